using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Routes;
using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>A kept route with its report read back typed.</summary>
public sealed record KeptRoute(PlanRoute Row, RouteReport Report);

/// <summary>Patrol routes of kept plans: per sector, shift and mode, with the track, stops, report and GPX file.</summary>
public sealed class RouteStore(BarrioDbContext db)
{
    /// <summary>Keeps the routes of a shift, replacing an earlier computation of the same plan, shift and mode.</summary>
    public async Task<List<KeptRoute>> ReplaceAsync(
        int planId, string shift, string mode, int seed, IReadOnlyList<(int Sector, PlannedRoute Route, byte[] Gpx)> routes, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.PlanRoutes.Where(r => r.PlanId == planId && r.Shift == shift && r.Mode == mode).ExecuteDeleteAsync(ct);
        var rows = routes.Select(r =>
        {
            var (track, stops) = RoutePlanning.LonLatOf(r.Route.Route.Route);
            return new PlanRoute
            {
                PlanId = planId, Sector = r.Sector, Shift = shift, Mode = mode, Seed = seed, CreatedAt = DateTimeOffset.UtcNow,
                Track = track, Stops = stops, ReportJson = PlanningJson.Serialize(r.Route.Report), Gpx = r.Gpx,
            };
        }).ToList();
        db.PlanRoutes.AddRange(rows);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return rows.Zip(routes, (row, r) => new KeptRoute(row, r.Route.Report)).ToList();
    }

    /// <summary>The kept routes of a plan by shift and sector.</summary>
    public async Task<List<KeptRoute>> ListAsync(int planId, CancellationToken ct) =>
        (await db.PlanRoutes.AsNoTracking().Where(r => r.PlanId == planId).OrderBy(r => r.Shift).ThenBy(r => r.Sector).ToListAsync(ct))
        .Select(r => new KeptRoute(r, ReportOf(r))).ToList();

    /// <summary>The newest kept route of each sector of a plan for a shift, whatever its travel mode (what the field kit prints).</summary>
    public async Task<Dictionary<int, KeptRoute>> NewestOfShiftAsync(int planId, string shift, CancellationToken ct) =>
        (await db.PlanRoutes.AsNoTracking().Where(r => r.PlanId == planId && r.Shift == shift).ToListAsync(ct))
        .GroupBy(r => r.Sector).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!).ToDictionary(p => p.Key, p => new KeptRoute(p.Value, ReportOf(p.Value)));

    /// <summary>A route's GPX file with its sector and shift; null when there is no such route.</summary>
    public async Task<(byte[] Gpx, int Sector, string Shift)?> GpxAsync(int id, CancellationToken ct) =>
        await db.PlanRoutes.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Gpx, x.Sector, x.Shift }).FirstOrDefaultAsync(ct) is { } r
            ? (r.Gpx, r.Sector, r.Shift) : null;

    /// <summary>The report of a kept route, typed.</summary>
    /// <exception cref="KeptInOlderShapeException">A report kept in another shape (by a build before the typed reports).</exception>
    public static RouteReport ReportOf(PlanRoute row)
    {
        try
        {
            return PlanningJson.Deserialize<RouteReport>(row.ReportJson);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new KeptInOlderShapeException("Route", row.Id, e);
        }
    }
}
