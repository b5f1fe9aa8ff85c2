using System.Text.Json;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Printing;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Printing;

/// <summary>
/// Gathers what the field kit of a kept plan prints: the plan, its sectors, the newest kept route of each sector for the
/// shift and the streets around the neighbourhood (it computes none of them). The one place the API's
/// <c>GET /api/plans/{id}/fieldkit.pdf</c> and the CLI's <c>barrio fieldkit</c> get their kit from.
/// </summary>
public static class FieldKitSource
{
    /// <summary>The shift printed when none is named.</summary>
    public const string DefaultShift = "mañana";

    /// <summary>The kit of plan <paramref name="planId"/> for <paramref name="shift"/>, or null when there is no such plan.
    /// A sector without a kept route for the shift still gets its page, which says so.</summary>
    /// <param name="gpxOrigin">Where the service answers (e.g. http://127.0.0.1:5080): the QR codes point at its GPX routes.</param>
    /// <param name="printedAt">When the kit is printed; shown as the date in Peru.</param>
    public static async Task<FieldKit?> LoadAsync(
        BarrioDbContext db, int planId, string? shift, FieldKitText text, string gpxOrigin, DateTimeOffset printedAt, CancellationToken ct)
    {
        var plan = await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null) return null;
        shift = string.IsNullOrWhiteSpace(shift) ? DefaultShift : shift.Trim();

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

        var planReport = ReadPlanReport(plan.ReportJson);
        var cover = new FieldKitCover(
            n.Name, plan.Name, shift, text.Date(printedAt.ToOffset(PeruOffset)), planReport.Staffing, sectors,
            [
                (text.MaxDeviation, $"{text.Number(plan.MaxDeviationPct, 1)} %"),
                (text.Contiguity, plan.Contiguous ? text.Yes : text.No),
                (text.PolsbyPopper, text.Number(plan.MeanPolsbyPopper, 2)),
                (text.Sectors, sectors.Count.ToString(text.Culture)),
            ],
            planReport.Notes);
        var origin = gpxOrigin.TrimEnd('/');
        var sheets = sectors.Select(s => new SectorSheet(s, sectors.Where(o => o.Index != s.Index).ToList(),
            routes.TryGetValue(s.Index, out var r) ? Route(r, utm, text, origin) : null)).ToList();
        return new FieldKit(cover, sheets, streets, text);
    }

    // Peru keeps UTC-5 all year (no daylight saving).
    private static readonly TimeSpan PeruOffset = TimeSpan.FromHours(-5);

    private static SheetRoute Route(PlanRoute r, int utm, FieldKitText text, string origin)
    {
        var report = ReadRouteReport(r.ReportJson);
        var stops = new List<RouteStopMark>();
        for (var i = 0; i < r.Stops.NumGeometries; i++)
        {
            var p = Crs.Transform(r.Stops.GetGeometryN(i), Crs.Wgs84, utm).Coordinate;
            var s = i < report.Stops.Count ? report.Stops[i] : new StopFigures("", 0, 0);
            stops.Add(new RouteStopMark(i + 1, s.Name, p, $"{FieldKitText.Clock(s.ArriveMin)} · {s.Minutes} {text.Minutes}"));
        }
        return new SheetRoute(
            Crs.Transform(r.Track, Crs.Wgs84, utm), stops,
            [
                (text.Length, $"{text.Number(report.LengthKm, 1)} km"),
                (text.Duration, $"{text.Number(report.DurationMin, 0)} min ({FieldKitText.Clock(report.DurationMin)} h)"),
                (text.Deadhead, $"{text.Number(report.DeadheadPct, 1)} %"),
                (text.StreetsCovered, $"{text.Number(report.StreetsCoveredPct, 1)} %"),
                (text.Stops, stops.Count.ToString(text.Culture)),
            ],
            report.Notes, $"{origin}/api/routes/{r.Id}/gpx");
    }

    // ------------------------------------------------------------------------------------------------------------------
    // Reading the stored reports. They are JSON strings read here by key, and only here: when the plan and route
    // reports become typed records, these two functions are what changes.

    private sealed record PlanReportTexts(IReadOnlyList<string> Staffing, IReadOnlyList<string> Notes);

    private sealed record StopFigures(string Name, double ArriveMin, int Minutes);

    private sealed record RouteReportFigures(
        double LengthKm, double DurationMin, double DeadheadPct, double StreetsCoveredPct, IReadOnlyList<StopFigures> Stops,
        IReadOnlyList<string> Notes);

    private static PlanReportTexts ReadPlanReport(string reportJson)
    {
        var report = JsonDocument.Parse(reportJson).RootElement;
        return new PlanReportTexts(Strings(report, "staffing"), Strings(report, "notes"));
    }

    private static RouteReportFigures ReadRouteReport(string reportJson)
    {
        var report = JsonDocument.Parse(reportJson).RootElement;
        var stops = (report.TryGetProperty("stops", out var sr) && sr.ValueKind == JsonValueKind.Array ? sr.EnumerateArray().ToList() : [])
            .Select(s => s.ValueKind == JsonValueKind.Object
                ? new StopFigures(
                    s.TryGetProperty("name", out var nm) ? nm.GetString() ?? "" : "",
                    s.GetProperty("arriveMin").GetDouble(), s.GetProperty("minutes").GetInt32())
                : new StopFigures("", 0, 0))
            .ToList();
        double Get(string name) => report.GetProperty(name).GetDouble();
        return new RouteReportFigures(
            Get("lengthKm"), Get("durationMin"), Get("deadheadPct"), Get("streetsCoveredPct"), stops, Strings(report, "notes"));
    }

    private static List<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array
            ? a.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];
}
