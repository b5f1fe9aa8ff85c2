using System.Text.Json;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.FieldKits;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>
/// Loads what the field kit of a kept plan prints (<see cref="FieldKitInput"/>): the plan, its sectors, the newest kept
/// route of each sector for the shift and the streets around the neighbourhood with their names, and each route's kept GPX file (it computes none of them). The one place
/// the API's <c>GET /api/plans/{id}/fieldkit.pdf</c> and the CLI's <c>barrio fieldkit</c> get their kit from.
/// </summary>
public sealed class FieldKitSource(BarrioDbContext db)
{
    /// <summary>The shift printed when none is named.</summary>
    public static string DefaultShift => Shifts.DefaultCode;

    /// <summary>The input of plan <paramref name="planId"/>'s kit for <paramref name="shift"/>, or null when there is no
    /// such plan. A sector without a kept route for the shift has none (its page says so).</summary>
    /// <exception cref="KeptInOlderShapeException">A report kept in a shape this version does not read.</exception>
    public async Task<FieldKitInput?> LoadAsync(int planId, string? shift, CancellationToken ct)
    {
        var plan = await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null) return null;
        shift = string.IsNullOrWhiteSpace(shift) ? DefaultShift : shift.Trim();

        var n = await db.Neighborhoods.AsNoTracking().FirstAsync(x => x.Id == plan.NeighborhoodId, ct);
        var around = n.Boundary.EnvelopeInternal.Copy();
        around.ExpandBy(0.002);
        var streets = await db.Streets.Intersecting(s => s.Geometry, SpatialQueries.Box(around)).AsNoTracking()
            .Select(s => new FieldKitStreet(s.Name, s.Geometry)).ToListAsync(ct);
        // The newest kept route of each sector for the shift, whatever its travel mode.
        var routes = (await RouteStore.Asked(db.PlanRoutes.AsNoTracking()).Where(r => r.PlanId == planId && r.Shift == shift).ToListAsync(ct))
            .GroupBy(r => r.Sector).ToDictionary(g => g.Key, g => g.MaxBy(r => r.Id)!);
        var sectors = (await db.PlanSectors.AsNoTracking().Where(s => s.PlanId == planId).OrderBy(s => s.Sector).ToListAsync(ct))
            .Select(s => new FieldKitSector(s.Sector, s.Geometry,
                routes.TryGetValue(s.Sector, out var r) ? new FieldKitRoute(r.Id, r.Track, r.Stops, RouteStore.ReportOf(r), r.Gpx) : null))
            .ToList();
        return new FieldKitInput(n.Name, n.Boundary, plan.Name, shift, plan.MaxDeviationPct, plan.Contiguous, plan.MeanPolsbyPopper,
            PlanStore.ReportOf(plan), sectors, streets)
        {
            Cycles = sectors.Where(s => s.Route is not null).Select(s => CycleOf(routes[s.Sector])).OfType<SectorCycleReport>().ToList(),
        };
    }

    /// <summary>The sector's coverage cycle kept in the route's report ("cycle"), if the route was computed with one.</summary>
    /// <exception cref="KeptInOlderShapeException">A cycle kept in a shape this version does not read.</exception>
    internal static SectorCycleReport? CycleOf(PlanRoute row)
    {
        // Read from the kept JSON itself, so that it does not matter which build's RouteReport type carries the member.
        try
        {
            using var doc = JsonDocument.Parse(row.ReportJson);
            return doc.RootElement.TryGetProperty("cycle", out var cycle) && cycle.ValueKind == JsonValueKind.Object
                ? PlanningJson.Deserialize<SectorCycleReport>(cycle.GetRawText())
                : null;
        }
        catch (JsonException e)
        {
            throw new KeptInOlderShapeException("Route", row.Id, e);
        }
    }
}
