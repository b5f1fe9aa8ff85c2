using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Routes;
using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>A kept route with its report read back typed.</summary>
public sealed record KeptRoute(PlanRoute Row, RouteReport Report);

/// <summary>A route to keep: its sector number, the planned route (with its calendar entries) and the GPX of each entry.</summary>
/// <param name="Gpx">The GPX of the asked route.</param>
/// <param name="EntryGpx">The GPX of each calendar entry, in the order of <see cref="PlannedRoute.Entries"/>.</param>
public sealed record RouteToKeep(int Sector, PlannedRoute Route, byte[] Gpx, IReadOnlyList<byte[]> EntryGpx);

/// <summary>
/// Patrol routes of kept plans: per sector, shift and mode, with the track, stops, report and GPX file; a row per
/// calendar entry of the cycle, the asked shift's day 1 being the route of the computation.
/// </summary>
public sealed class RouteStore(BarrioDbContext db)
{
    /// <summary>Only the routes asked for (day 1 of the computation's shift), not the other calendar entries.</summary>
    public static IQueryable<PlanRoute> Asked(IQueryable<PlanRoute> rows) => rows.Where(r => r.CycleDay == 1 && r.CycleShift == r.Shift);

    /// <summary>
    /// Keeps the routes of a shift and every calendar entry's route, replacing an earlier computation of the same plan,
    /// shift and mode. The kept reports' calendars (the asked routes' and the entries') carry each entry's route id.
    /// </summary>
    public async Task<List<KeptRoute>> ReplaceAsync(
        int planId, string shift, string mode, int seed, IReadOnlyList<RouteToKeep> routes, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.PlanRoutes.Where(r => r.PlanId == planId && r.Shift == shift && r.Mode == mode).ExecuteDeleteAsync(ct);
        var now = DateTimeOffset.UtcNow;
        PlanRoute Row(int sector, Core.Routes.PatrolRoute route, int day, string entryShift, byte[] gpx)
        {
            var (track, stops) = RoutePlanning.LonLatOf(route);
            return new PlanRoute
            {
                PlanId = planId, Sector = sector, Shift = shift, CycleDay = day, CycleShift = entryShift, Mode = mode, Seed = seed, CreatedAt = now,
                Track = track, Stops = stops, ReportJson = "{}", Gpx = gpx,
            };
        }
        // Per route: the asked row and the other entries' rows (the asked entry is the asked row itself).
        var kept = routes.Select(r =>
        {
            var asked = Row(r.Sector, r.Route.Route.Route, 1, shift, r.Gpx);
            var entries = r.Route.Entries.Select((e, i) => e.Day == 1 && e.Shift == shift ? asked : Row(r.Sector, e.Route.Route, e.Day, e.Shift, r.EntryGpx[i])).ToList();
            return (r, asked, entries);
        }).ToList();
        db.PlanRoutes.AddRange(kept.SelectMany(k => k.entries.Prepend(k.asked)).Distinct());
        await db.SaveChangesAsync(ct);
        // The ids are known now: each report's calendar names its entries' routes.
        var reports = new List<RouteReport>();
        foreach (var (r, asked, entries) in kept)
        {
            var ids = r.Route.Entries.Zip(entries, (e, row) => (e.Day, e.Shift, row.Id)).ToDictionary(x => (x.Day, x.Shift), x => x.Id);
            SectorCycleReport? WithIds(SectorCycleReport? c) => c is null ? null : c with
            {
                Calendar = c.Calendar.Select(e => e with { RouteId = ids.TryGetValue((e.Day, e.Shift), out var id) ? id : null }).ToList(),
            };
            var report = r.Route.Report with { Cycle = WithIds(r.Route.Report.Cycle) };
            asked.ReportJson = PlanningJson.Serialize(report);
            reports.Add(report);
            foreach (var (e, row) in r.Route.Entries.Zip(entries))
                if (!ReferenceEquals(row, asked)) row.ReportJson = PlanningJson.Serialize(e.Report with { Cycle = WithIds(e.Report.Cycle) });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return kept.Zip(reports, (k, report) => new KeptRoute(k.asked, report)).ToList();
    }

    /// <summary>The kept routes of one calendar entry (day × entry shift) of a plan, by sector; optionally of one travel mode.</summary>
    public async Task<List<KeptRoute>> EntryAsync(int planId, int day, string shift, string? mode, CancellationToken ct) =>
        (await db.PlanRoutes.AsNoTracking().Where(r => r.PlanId == planId && r.CycleDay == day && r.CycleShift == shift && (mode == null || r.Mode == mode))
            .OrderBy(r => r.Sector).ThenBy(r => r.Shift).ThenBy(r => r.Id).ToListAsync(ct))
        .Select(r => new KeptRoute(r, ReportOf(r))).ToList();

    /// <summary>The kept routes of a plan by shift and sector.</summary>
    public async Task<List<KeptRoute>> ListAsync(int planId, CancellationToken ct) =>
        (await Asked(db.PlanRoutes.AsNoTracking()).Where(r => r.PlanId == planId).OrderBy(r => r.Shift).ThenBy(r => r.Sector).ToListAsync(ct))
        .Select(r => new KeptRoute(r, ReportOf(r))).ToList();

    /// <summary>The newest kept route of each sector of a plan for a shift, whatever its travel mode (what the field kit prints).</summary>
    public async Task<Dictionary<int, KeptRoute>> NewestOfShiftAsync(int planId, string shift, CancellationToken ct) =>
        (await Asked(db.PlanRoutes.AsNoTracking()).Where(r => r.PlanId == planId && r.Shift == shift).ToListAsync(ct))
        .GroupBy(r => r.Sector).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!).ToDictionary(p => p.Key, p => new KeptRoute(p.Value, ReportOf(p.Value)));

    /// <summary>A route's GPX file with its sector, its entry's shift and day; null when there is no such route.</summary>
    public async Task<(byte[] Gpx, int Sector, string Shift, int Day)?> GpxAsync(int id, CancellationToken ct) =>
        await db.PlanRoutes.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Gpx, x.Sector, x.CycleShift, x.CycleDay }).FirstOrDefaultAsync(ct) is { } r
            ? (r.Gpx, r.Sector, r.CycleShift, r.CycleDay) : null;

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
