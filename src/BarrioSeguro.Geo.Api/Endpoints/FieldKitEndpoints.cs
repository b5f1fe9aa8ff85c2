using System.Text.Json;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Api.Printing;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>The printed field kit of a kept plan: a cover and a page per sector with map, route, stops, figures and a QR code.</summary>
public static class FieldKitEndpoints
{
    public static IEndpointRouteBuilder MapFieldKit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/plans/{planId:int}/fieldkit.pdf", FieldKitPdf).WithTags("Sector plans")
            .WithSummary("The plan as an A4 PDF to print for the officers: ?shift=mañana (the kept routes of that shift), ?lang=es|en.");
        return app;
    }

    /// <summary>Gathers the plan's sectors, streets and kept routes of the shift (computes none) and prints them.</summary>
    public static async Task<IResult> FieldKitPdf(
        int planId, string? shift, string? lang, HttpRequest http, BarrioDbContext db, CancellationToken ct)
    {
        var plan = await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null) return Problems.NotFound($"No plan {planId}.");
        MapStyle style;
        try
        {
            style = MapStyle.Default();
        }
        catch (FontsMissingException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Fonts missing");
        }
        var text = FieldKitText.For(lang);
        shift = string.IsNullOrWhiteSpace(shift) ? "mañana" : shift.Trim();

        var n = await db.Neighborhoods.AsNoTracking().FirstAsync(x => x.Id == plan.NeighborhoodId, ct);
        var utm = Crs.UtmZoneFor(n.Boundary);
        var sectors = (await db.PlanSectors.AsNoTracking().Where(s => s.PlanId == planId).OrderBy(s => s.Sector).ToListAsync(ct))
            .Select(s => new SectorShape(s.Sector, $"S{s.Sector + 1}", Crs.Transform<Geometry>(s.Geometry, Crs.Wgs84, utm))).ToList();
        var around = n.Boundary.EnvelopeInternal.Copy();
        around.ExpandBy(0.002);
        var streets = (await db.Streets.Intersecting(s => s.Geometry, SpatialQueries.Box(around)).AsNoTracking()
                .Select(s => s.Geometry).ToListAsync(ct))
            .SelectMany(g => Enumerable.Range(0, g.NumGeometries).Select(i => (LineString)g.GetGeometryN(i)))
            .Select(l => Crs.Transform(l, Crs.Wgs84, utm)).ToList();
        // The newest kept route of each sector for the shift, whatever its travel mode.
        var routes = (await db.PlanRoutes.AsNoTracking().Where(r => r.PlanId == planId && r.Shift == shift).ToListAsync(ct))
            .GroupBy(r => r.Sector).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);

        var report = JsonDocument.Parse(plan.ReportJson).RootElement;
        var cover = new FieldKitCover(
            n.Name, plan.Name, shift, Today(text), Data.Sectors.PlanStore.ReportOf(plan).Staffing?.Explanation.ToList() ?? [], sectors,
            [
                (text.MaxDeviation, $"{text.Number(plan.MaxDeviationPct, 1)} %"),
                (text.Contiguity, plan.Contiguous ? text.Yes : text.No),
                (text.PolsbyPopper, text.Number(plan.MeanPolsbyPopper, 2)),
                (text.Sectors, sectors.Count.ToString(text.Culture)),
            ],
            Strings(report, "notes"));
        var origin = $"{http.Scheme}://{http.Host}";
        var sheets = sectors.Select(s => new SectorSheet(s, sectors.Where(o => o.Index != s.Index).ToList(),
            routes.TryGetValue(s.Index, out var r) ? Route(r, utm, text, origin) : null)).ToList();

        using var pdf = new MemoryStream();
        FieldKitRenderer.Render(new FieldKit(cover, sheets, streets, text), style, pdf);
        var name = text.Language == "en" ? "field_kit" : "kit_de_campo";
        return TypedResults.File(pdf.ToArray(), "application/pdf", $"{name}_plan{plan.Id}_{shift}.pdf");
    }

    private static SheetRoute Route(Core.Domain.PlanRoute r, int utm, FieldKitText text, string origin)
    {
        var report = JsonDocument.Parse(r.ReportJson).RootElement;
        var stops = new List<RouteStopMark>();
        var stopReports = report.TryGetProperty("stops", out var sr) ? sr.EnumerateArray().ToList() : [];
        for (var i = 0; i < r.Stops.NumGeometries; i++)
        {
            var p = Crs.Transform(r.Stops.GetGeometryN(i), Crs.Wgs84, utm).Coordinate;
            var s = i < stopReports.Count ? stopReports[i] : default;
            var stopName = s.ValueKind == JsonValueKind.Object && s.TryGetProperty("name", out var nm) ? nm.GetString() ?? "" : "";
            var arrive = s.ValueKind == JsonValueKind.Object ? s.GetProperty("arriveMin").GetDouble() : 0;
            var minutes = s.ValueKind == JsonValueKind.Object ? s.GetProperty("minutes").GetInt32() : 0;
            stops.Add(new RouteStopMark(i + 1, stopName, p, $"{FieldKitText.Clock(arrive)} · {minutes} {text.Minutes}"));
        }
        double Get(string name) => report.GetProperty(name).GetDouble();
        var duration = Get("durationMin");
        return new SheetRoute(
            Crs.Transform(r.Track, Crs.Wgs84, utm), stops,
            [
                (text.Length, $"{text.Number(Get("lengthKm"), 1)} km"),
                (text.Duration, $"{text.Number(duration, 0)} min ({FieldKitText.Clock(duration)} h)"),
                (text.Deadhead, $"{text.Number(Get("deadheadPct"), 1)} %"),
                (text.StreetsCovered, $"{text.Number(Get("streetsCoveredPct"), 1)} %"),
                (text.Stops, stops.Count.ToString(text.Culture)),
            ],
            Strings(report, "notes"), $"{origin}/api/routes/{r.Id}/gpx");
    }

    private static List<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];

    // The date in Peru (UTC-5, no daylight saving), written out in the kit's language.
    private static string Today(FieldKitText text) =>
        DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(-5))
            .ToString(text.Language == "en" ? "d MMMM yyyy" : "d 'de' MMMM 'de' yyyy", text.Culture);
}
