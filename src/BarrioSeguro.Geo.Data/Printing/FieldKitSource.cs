using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
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
    public static string DefaultShift => Shifts.DefaultCode;

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
            .Select(s => new SectorShape(s.Sector, SectorLabel.Of(s.Sector), Crs.Transform<Geometry>(s.Geometry, Crs.Wgs84, utm))).ToList();
        var around = n.Boundary.EnvelopeInternal.Copy();
        around.ExpandBy(0.002);
        var streets = (await db.Streets.Intersecting(s => s.Geometry, SpatialQueries.Box(around)).AsNoTracking()
                .Select(s => s.Geometry).ToListAsync(ct))
            .SelectMany(g => Enumerable.Range(0, g.NumGeometries).Select(i => (LineString)g.GetGeometryN(i)))
            .Select(l => Crs.Transform(l, Crs.Wgs84, utm)).ToList();
        // The newest kept route of each sector for the shift, whatever its travel mode.
        var routes = (await db.PlanRoutes.AsNoTracking().Where(r => r.PlanId == planId && r.Shift == shift).ToListAsync(ct))
            .GroupBy(r => r.Sector).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);

        var planReport = PlanStore.ReportOf(plan);
        var cover = new FieldKitCover(
            n.Name, plan.Name, shift, text.Date(printedAt.ToOffset(LimaTime.Offset)), planReport.Staffing?.Explanation ?? [], sectors,
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

    private static SheetRoute Route(PlanRoute r, int utm, FieldKitText text, string origin)
    {
        var report = RouteStore.ReportOf(r);
        var stops = new List<RouteStopMark>();
        for (var i = 0; i < r.Stops.NumGeometries; i++)
        {
            var p = Crs.Transform(r.Stops.GetGeometryN(i), Crs.Wgs84, utm).Coordinate;
            var s = i < report.Stops.Count ? report.Stops[i] : null;
            stops.Add(new RouteStopMark(i + 1, s?.Name ?? "", p, $"{s?.Arrive ?? "–"} · {s?.Minutes ?? 0} {text.Minutes}"));
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
}
