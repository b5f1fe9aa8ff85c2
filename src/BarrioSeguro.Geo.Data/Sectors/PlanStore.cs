using System.Security.Cryptography;
using System.Text;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Data.Blocks;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Blocks;
using BarrioSeguro.Geo.Planning.Network;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Sectors;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>A kept plan with its report and parameters read back typed (null when only the plan was listed).</summary>
public sealed record KeptPlan(SectorPlan Plan, SectorPlanReport? Report, SectorPlanParameters? Parameters);

/// <summary>
/// Sector plans of the neighbourhoods: what a plan is computed from (the neighbourhood's blocks, its contingent, a
/// previous plan) and the kept plans with their sectors, reports and what reproduces them. Loads and saves only: the
/// plan itself is <see cref="SectorPlanning.Plan"/>.
/// </summary>
public sealed class PlanStore(BarrioDbContext db, BlockStore blocks, NetworkCache? networks = null)
{
    public Task<Neighborhood?> NeighborhoodAsync(int id, CancellationToken ct) =>
        db.Neighborhoods.AsNoTracking().FirstOrDefaultAsync(n => n.Id == id, ct);

    public Task<bool> NeighborhoodExistsAsync(int id, CancellationToken ct) => db.Neighborhoods.AnyAsync(n => n.Id == id, ct);

    /// <summary>The contingent asked for (of that neighbourhood), else the neighbourhood's first; null when none.</summary>
    public Task<Contingent?> ContingentOfAsync(int neighborhoodId, int? contingentId, CancellationToken ct) => contingentId is { } cid
        ? db.Contingents.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cid && c.NeighborhoodId == neighborhoodId, ct)
        : db.Contingents.AsNoTracking().Where(c => c.NeighborhoodId == neighborhoodId).OrderBy(c => c.Id).FirstOrDefaultAsync(ct);

    public Task<Contingent?> ContingentAsync(int id, CancellationToken ct) => db.Contingents.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>The contingents of the neighbourhoods not deleted (a deleted one's come back with it).</summary>
    public Task<List<Contingent>> ContingentsAsync(CancellationToken ct) =>
        db.Contingents.AsNoTracking().Where(c => db.Neighborhoods.Any(n => n.Id == c.NeighborhoodId)).OrderBy(c => c.Id).ToListAsync(ct);

    /// <summary>The planning units of a neighbourhood: its blocks from the stored streets (<see cref="BlockStore.BuildAsync"/>).</summary>
    /// <exception cref="ArgumentException">No street of the neighbourhood bounds a block.</exception>
    public async Task<List<PlanningUnit>> UnitsAsync(Neighborhood n, CancellationToken ct) =>
        (await blocks.BuildAsync(n.Boundary, ct)).Blocks.Select(PlanningUnit.Of).ToList();

    /// <summary>The street graph of a mode around the neighbourhood, for travel times.</summary>
    /// <exception cref="ArgumentException">No street the mode may use.</exception>
    public async Task<StreetGraph> StreetGraphAsync(Neighborhood n, TravelMode mode, CancellationToken ct)
    {
        var streets = await blocks.StreetsAroundAsync(n.Boundary, ct, BlockPlanning.NetworkMarginDegrees);
        return StreetGraph.Build(streets.Select(s => new NetworkStreet(s.Geometry, s.Class, s.Layer, s.Oneway, s.Name)), mode);
    }

    /// <summary>The stored streets in and around the neighbourhood, with their class and name (for barriers by class).</summary>
    public async Task<List<NetworkStreet>> StreetsAsync(Neighborhood n, CancellationToken ct) =>
        (await blocks.StreetsAroundAsync(n.Boundary, ct, BlockPlanning.NetworkMarginDegrees))
            .Select(s => new NetworkStreet(s.Geometry, s.Class, s.Layer, s.Oneway, s.Name)).ToList();

    /// <summary>The stations (comisarías) with these ids, in the order given; the ids that name none are returned apart.</summary>
    public async Task<(List<Station> Found, List<int> Missing)> StationsAsync(IReadOnlyList<int> ids, CancellationToken ct)
    {
        var list = ids.ToList();
        var found = await db.Stations.AsNoTracking().Where(s => list.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        return (ids.Where(found.ContainsKey).Select(i => found[i]).ToList(), ids.Where(i => !found.ContainsKey(i)).ToList());
    }

    public async Task<KeptPlan?> GetAsync(int planId, CancellationToken ct) =>
        await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct) is { } p ? Read(p) : null;

    /// <summary>The kept plans of a neighbourhood, newest first (their reports are read by <see cref="GetAsync"/>).</summary>
    public Task<List<SectorPlan>> ListAsync(int neighborhoodId, CancellationToken ct) =>
        db.SectorPlans.AsNoTracking().Where(p => p.NeighborhoodId == neighborhoodId).OrderByDescending(p => p.Id).ToListAsync(ct);

    /// <summary>The deleted kept plans of a neighbourhood, deleted or not, newest first (lifecycle).</summary>
    public Task<List<SectorPlan>> ListDeletedAsync(int neighborhoodId, CancellationToken ct) =>
        db.SectorPlans.IgnoreQueryFilters().AsNoTracking().Where(p => p.NeighborhoodId == neighborhoodId && p.DeletedAt != null)
            .OrderByDescending(p => p.Id).ToListAsync(ct);

    public Task<bool> ExistsAsync(int planId, CancellationToken ct) => db.SectorPlans.AnyAsync(p => p.Id == planId, ct);

    public Task<List<PlanSector>> SectorsAsync(int planId, CancellationToken ct) =>
        db.PlanSectors.AsNoTracking().Where(s => s.PlanId == planId).OrderBy(s => s.Sector).ToListAsync(ct);

    /// <summary>A plan's blocks and their sectors (block id → sector, 0-based).</summary>
    public static Dictionary<string, int> AssignmentOf(SectorPlan plan) => PlanningJson.Deserialize<Dictionary<string, int>>(plan.AssignmentJson);

    /// <summary>The assignment of a plan of the neighbourhood; null when it has no such plan.</summary>
    public async Task<Dictionary<string, int>?> AssignmentAsync(int neighborhoodId, int planId, CancellationToken ct) =>
        await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId && p.NeighborhoodId == neighborhoodId, ct) is { } p
            ? AssignmentOf(p) : null;

    /// <summary>The report of a kept plan, typed.</summary>
    /// <exception cref="KeptInOlderShapeException">A report kept in another shape (by a build before the typed reports).</exception>
    public static SectorPlanReport ReportOf(SectorPlan p)
    {
        try
        {
            return PlanningJson.Deserialize<SectorPlanReport>(p.ReportJson);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new KeptInOlderShapeException("Plan", p.Id, e);
        }
    }

    private static KeptPlan Read(SectorPlan p) => new(p, ReportOf(p),
        string.IsNullOrEmpty(p.ParametersJson) || p.ParametersJson == "null" ? null : PlanningJson.Deserialize<SectorPlanParameters>(p.ParametersJson));

    /// <summary>Keeps a computed plan with its sectors, in one transaction.</summary>
    public async Task<KeptPlan> SaveAsync(Neighborhood n, int? contingentId, string name, string author, SectorPlanOutcome outcome, CancellationToken ct)
    {
        var report = outcome.Report;
        var kept = new SectorPlan
        {
            NeighborhoodId = n.Id,
            NeighborhoodVersion = n.Version,
            ContingentId = contingentId,
            Name = name,
            Author = author,
            CreatedAt = DateTimeOffset.UtcNow,
            Sectors = report.K,
            Seed = report.Seed,
            ParametersJson = PlanningJson.Serialize(report.Parameters),
            DataVersion = await DataVersionAsync(n, ct),
            DatasetId = (await Lifecycle.LifecycleStore.StreetDatasetOfAsync(db, n, ct))?.Id,
            AssignmentJson = PlanningJson.Serialize(new SortedDictionary<string, int>(outcome.Plan.Assignment.ToDictionary(), StringComparer.Ordinal)),
            ReportJson = PlanningJson.Serialize(report),
            MaxDeviationPct = outcome.Plan.Report.MaxDeviationPct,
            MeanPolsbyPopper = outcome.Plan.Report.MeanPolsbyPopper,
            Contiguous = outcome.Plan.Report.Contiguous,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SectorPlans.Add(kept);
        await db.SaveChangesAsync(ct);
        db.PlanSectors.AddRange(outcome.Plan.Report.Sectors.Select(s => new PlanSector
        {
            PlanId = kept.Id, Sector = s.Id, Geometry = s.Geometry, Workload = s.Workload, Blocks = s.Blocks,
            AreaKm2 = s.AreaKm2, PolsbyPopper = s.PolsbyPopper, Contiguous = s.Contiguous,
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return Read(kept);
    }

    /// <summary>
    /// A fingerprint of what a plan was computed on: the neighbourhood's version and boundary and the checksums of the
    /// street and incident datasets. The same fingerprint and parameters give the same plan.
    /// </summary>
    public async Task<string> DataVersionAsync(Neighborhood n, CancellationToken ct)
    {
        var datasets = await db.Datasets.AsNoTracking().Where(d => d.Collection == "streets" || d.Collection == "incidents")
            .OrderBy(d => d.Collection).ThenBy(d => d.Sha256).Select(d => d.Collection + ":" + d.Sha256).ToListAsync(ct);
        var text = $"neighborhood:{n.Id}:v{n.Version}:{n.Boundary.AsText()}|{string.Join("|", datasets)}";
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>
    /// What the network of a neighbourhood is built from, as a key for <see cref="NetworkCache"/>: the database, the
    /// streets' data version (<c>tile_versions</c>, bumped by PostgreSQL on every write to streets, whoever writes) and
    /// the boundary; null when the database keeps no such version (nothing is cached then).
    /// </summary>
    private async Task<string?> NetworkKeyAsync(Neighborhood n, CancellationToken ct)
    {
        long? version;
        try
        {
            var rows = await db.Database.SqlQueryRaw<long>("SELECT version AS \"Value\" FROM tile_versions WHERE collection = 'streets'").ToListAsync(ct);
            version = rows.Count > 0 ? rows[0] : null;
        }
        catch (Npgsql.PostgresException) { return null; }
        if (version is null) return null;
        var boundary = Convert.ToHexStringLower(SHA256.HashData(n.Boundary.AsBinary()))[..32];
        return $"{db.Database.GetConnectionString()}|streets:{version}|boundary:{boundary}";
    }

    /// <summary>
    /// A kept plan as coverage and routes need it: its sectors, the contingent's staffing, and the street graph of the
    /// mode around the neighbourhood with the blocks, incidents, stations and newest kept routes in it. Null when the
    /// plan does not exist.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown travel mode.</exception>
    /// <param name="withBlocks">Build the neighbourhood's blocks (coverage counts them; routes do not need them).</param>
    public async Task<PlanNetworkInput?> NetworkInputAsync(int planId, string mode, CancellationToken ct, bool withBlocks = true)
    {
        var travel = TravelModes.Parse(mode);
        var plan = await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null) return null;
        var n = await db.Neighborhoods.AsNoTracking().FirstAsync(x => x.Id == plan.NeighborhoodId, ct);
        var sectors = await SectorsAsync(planId, ct);
        // The graph and the blocks depend only on the streets and the boundary: kept per streets' data version.
        var key = networks is null ? null : await NetworkKeyAsync(n, ct);
        var graph = key is null ? null : networks!.Get<StreetGraph>($"{key}|graph:{travel.Name()}");
        if (graph is null)
        {
            var streets = await blocks.StreetsAroundAsync(n.Boundary, ct, BlockPlanning.NetworkMarginDegrees);
            graph = StreetGraph.Build(streets.Select(s => new NetworkStreet(s.Geometry, s.Class, s.Layer, s.Oneway, s.Name)), travel);
            if (key is not null) networks!.Set($"{key}|graph:{travel.Name()}", graph);
        }
        Staffing? staffing = null;
        if (plan.ContingentId is { } cid && await ContingentAsync(cid, ct) is { } c)
        {
            try { staffing = SectorPlanning.Staff(SectorPlanning.PlanOf(c)); }
            catch (ArgumentException) { } // a contingent that cannot be staffed: coverage falls back to one unit per sector
        }
        List<Geometry> blockShapes = [];
        if (withBlocks)
        {
            if (key is not null && networks!.Get<List<Geometry>>($"{key}|blocks") is { } kept) blockShapes = kept;
            else
            {
                try { blockShapes = (await blocks.BuildAsync(n.Boundary, ct)).Blocks.Select(b => (Geometry)b.Geometry).ToList(); }
                catch (ArgumentException) { } // no street bounds a block: none to count
                if (key is not null) networks!.Set($"{key}|blocks", blockShapes);
            }
        }
        var incidents = await db.Incidents.Intersecting(i => i.Location, n.Boundary).AsNoTracking().OrderBy(i => i.Id).Select(i => i.Location).ToListAsync(ct);
        var stations = (await db.Stations.Intersecting(s => s.Location, BlockPlanning.Around(n.Boundary, BlockPlanning.NetworkMarginDegrees)).AsNoTracking().OrderBy(s => s.Id).ToListAsync(ct))
            .Select(s => (s.Name ?? $"comisaría {s.Id}", s.Location)).ToList();
        var modeName = travel.Name();
        var routes = (await RouteStore.Asked(db.PlanRoutes.AsNoTracking()).Where(r => r.PlanId == planId && r.Mode == modeName).OrderByDescending(r => r.Id).ToListAsync(ct))
            .GroupBy(r => r.Sector).Select(g => g.First()).OrderBy(r => r.Sector)
            .Select(r => (r.Sector, r.Track, RouteStore.ReportOf(r))).ToList();
        return new PlanNetworkInput(plan.Id, n.Name, n.Boundary, sectors.Select(s => (s.Sector, (Geometry)s.Geometry)).ToList(), staffing,
            graph, blockShapes, incidents, stations, routes);
    }
}
