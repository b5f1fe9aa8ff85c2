using System.Globalization;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Blocks;
using BarrioSeguro.Geo.Data.Lifecycle;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Blocks;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>
/// issue 14.5, plans: kept plans and their pieces as fixed collections (one layer per kind, every plan in it), each
/// filterable by plan (<c>plan=ID</c>; the attribute <c>planId</c> for CQL2). Fixed rather than one collection per plan:
/// QGIS and GDAL list the collections once and keep a layer by its name, so a layer stays valid as plans come and go,
/// and one layer shows every plan of a district side by side. Police data: a district limit keeps the plans of
/// neighbourhoods in those districts (of the blocks: the scopes in them); nothing else is seen, not even a count.
/// </summary>
public sealed class PlanCollections(BarrioDbContext db)
{
    public const string Plans = "plans";
    public const string Sectors = "sectors";
    public const string PlanBlocks = "plan-blocks";
    public const string Routes = "routes";
    public const string Coverage = "coverage";
    public const string Blocks = "blocks";

    /// <summary>The query parameter that keeps one plan's features (not on <see cref="Blocks"/>, which belong to no plan).</summary>
    public const string PlanParameter = "plan";

    public static readonly IReadOnlyList<CollectionInfo> Collections =
    [
        new(Plans, "Kept sector plans (union of their sectors)", "MultiPolygon"),
        new(Sectors, "Sectors of the kept plans", "MultiPolygon"),
        new(PlanBlocks, "Blocks of the kept plans with their sector (built from the current streets)", "Polygon"),
        new(Routes, "Patrol routes of the kept plans (day 1 of each computation)", "LineString"),
        new(Coverage, "Coverage of the kept plans: street pieces by status (covered, backup, uncovered, outside)", "MultiLineString"),
        new(Blocks, "Blocks computed for neighbourhoods and districts", "Polygon"),
    ];

    public static readonly IReadOnlySet<string> Names = Collections.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

    public static bool Handles(string collection) => Names.Contains(collection);

    /// <summary>Whether the collection takes <c>plan=ID</c>.</summary>
    public static bool TakesPlan(string collection) => Handles(collection) && collection != Blocks;

    /// <summary>Features of a collection in a stable order, optionally of one plan and inside a lon/lat box.</summary>
    public Task<FeaturePage> GetItemsAsync(string collection, Envelope? bbox, int limit, int offset, int? plan,
        IReadOnlyCollection<string>? districts, CancellationToken ct) => collection switch
    {
        Plans => PlansAsync(bbox, limit, offset, plan, districts, ct),
        Sectors => SectorsAsync(bbox, limit, offset, plan, districts, ct),
        PlanBlocks => InMemory(PlanBlocksAsync(plan, null, districts, ct), bbox, limit, offset),
        Routes => RoutesAsync(bbox, limit, offset, plan, null, districts, ct),
        Coverage => InMemory(CoverageAsync(plan, null, districts, ct), bbox, limit, offset),
        Blocks => BlocksAsync(bbox, limit, offset, null, districts, ct),
        _ => throw new KeyNotFoundException($"No collection named '{collection}'."),
    };

    /// <summary>
    /// One feature by its id, or null (also outside the district limit): plans by plan id, routes by route id, sectors
    /// "planId-sector" (0-based, as <c>sector</c>), plan blocks "planId-blockId", coverage "coverageId-status", blocks
    /// "scope:blockId" (scope "neighborhood:12" or "district:130104").
    /// </summary>
    public async Task<IFeature?> GetItemAsync(string collection, string id, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        static int? Int(string s) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        var (head, tail) = dash > 0 ? (Int(id[..dash]), id[(dash + 1)..]) : (null, "");
        switch (collection)
        {
            case Plans when Int(id) is { } p:
                return (await PlansAsync(null, 1, 0, p, districts, ct)).Features.FirstOrDefault();
            case Sectors when head is { } p && Int(tail) is { } s:
                return (await SectorsAsync(null, int.MaxValue, 0, p, districts, ct)).Features.FirstOrDefault(f => Equals(f.Attributes["sector"], s));
            case PlanBlocks when head is { } p && tail.Length > 0:
                return (await PlanBlocksAsync(p, tail, districts, ct)).FirstOrDefault();
            case Routes when Int(id) is { } r:
                return (await RoutesAsync(null, 1, 0, null, r, districts, ct)).Features.FirstOrDefault();
            case Coverage when head is { } c && tail.Length > 0:
                return (await CoverageAsync(null, c, districts, ct)).FirstOrDefault(f => Equals(f.Attributes["status"], tail));
            case Blocks when id.LastIndexOf(':') is var slash and > 0:
                return (await BlocksAsync(null, 1, 0, (id[..slash], id[(slash + 1)..]), districts, ct)).Features.FirstOrDefault();
            default:
                return null;
        }
    }

    /// <summary>The lon/lat extent of a collection (of every plan), or null when it is empty.</summary>
    public async Task<Envelope?> ExtentAsync(string collection, CancellationToken ct)
    {
        switch (collection)
        {
            case Plans or Sectors:
                return await db.PlanSectors.ExtentAsync(s => s.Geometry, ct);
            case PlanBlocks:
                // The blocks of a plan lie in its sectors.
                return await ExtentAsync(Sectors, ct);
            case Routes:
                return await db.PlanRoutes.ExtentAsync(r => r.Track, ct);
            case Coverage:
                return await db.PlanCoverages.ExtentAsync(c => c.Covered, ct) is { } covered
                    ? Expand(covered, await db.PlanCoverages.ExtentAsync(c => c.Uncovered, ct)) : await db.PlanCoverages.ExtentAsync(c => c.Uncovered, ct);
            case Blocks:
                return await db.Blocks.ExtentAsync(b => b.Geometry, ct);
            default:
                throw new KeyNotFoundException($"No collection named '{collection}'.");
        }
    }

    private static Envelope Expand(Envelope a, Envelope? b)
    {
        var e = new Envelope(a);
        if (b is not null) e.ExpandToInclude(b);
        return e;
    }

    // ---- what a user may see --------------------------------------------------------------------------------------

    /// <summary>The kept plans (not deleted, of a neighbourhood not deleted) in the districts; one plan when asked.</summary>
    private IQueryable<SectorPlan> VisiblePlans(int? plan, IReadOnlyCollection<string>? districts)
    {
        var neighborhoods = FeatureCatalog.InDistricts(db.Neighborhoods, districts).Select(n => n.Id);
        var plans = db.SectorPlans.AsNoTracking().Where(p => neighborhoods.Contains(p.NeighborhoodId));
        return plan is { } id ? plans.Where(p => p.Id == id) : plans;
    }

    // ---- plans ----------------------------------------------------------------------------------------------------

    private async Task<FeaturePage> PlansAsync(Envelope? bbox, int limit, int offset, int? plan, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var query = VisiblePlans(plan, districts);
        if (bbox is not null)
        {
            var inBox = db.PlanSectors.Intersecting(s => s.Geometry, SpatialQueries.Box(bbox)).Select(s => s.PlanId);
            query = query.Where(p => inBox.Contains(p.Id));
        }
        query = query.OrderBy(p => p.Id);
        var matched = await query.CountAsync(ct);
        var rows = await query.Skip(offset).Take(limit).ToListAsync(ct);
        var ids = rows.Select(p => p.Id).ToList();
        var shapes = (await db.PlanSectors.AsNoTracking().Where(s => ids.Contains(s.PlanId)).ToListAsync(ct))
            .GroupBy(s => s.PlanId).ToDictionary(g => g.Key, g => g.Select(s => (Geometry)s.Geometry).ToList());
        var neighborhoodIds = rows.Select(p => p.NeighborhoodId).Distinct().ToList();
        var neighborhoods = await db.Neighborhoods.AsNoTracking().Where(n => neighborhoodIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, ct);
        var life = new LifecycleStore(db);
        var states = new Dictionary<int, PlanDataState>();
        foreach (var group in rows.GroupBy(p => p.NeighborhoodId))
        {
            var state = await life.DataStatesAsync(neighborhoods[group.Key], group, ct);
            foreach (var p in group) states[p.Id] = state(p);
        }
        var features = rows.Select(p =>
        {
            var n = neighborhoods[p.NeighborhoodId];
            var report = ReportOrNull(p);
            var s = states[p.Id];
            return (IFeature)new Feature(UnionOf(shapes.GetValueOrDefault(p.Id) ?? [], n.Boundary), new AttributesTable
            {
                { "id", p.Id }, { "name", p.Name }, { "neighborhoodId", p.NeighborhoodId }, { "neighborhood", n.Name },
                { "districtUbigeo", n.DistrictUbigeo }, { "neighborhoodVersion", p.NeighborhoodVersion }, { "contingentId", p.ContingentId },
                { "author", p.Author }, { "createdAt", p.CreatedAt }, { "sectors", p.Sectors }, { "blocks", report?.Blocks },
                { "shifts", report?.Staffing is { } st ? string.Join(",", st.PerShift.Select(x => x.Shift)) : null },
                { "unitsPerShift", report?.Staffing is { } su ? string.Join(",", su.PerShift.Select(x => x.Units.ToString(CultureInfo.InvariantCulture))) : null },
                { "seed", p.Seed }, { "maxDeviationPct", Math.Round(p.MaxDeviationPct, 2) }, { "meanPolsbyPopper", Math.Round(p.MeanPolsbyPopper, 4) },
                { "contiguous", p.Contiguous }, { "dataVersion", p.DataVersion }, { "stale", s.Stale }, { "datasetVersion", s.DatasetVersion },
                { "currentVersion", s.CurrentVersion }, { "areaKm2", Math.Round(shapes.GetValueOrDefault(p.Id)?.Sum(Measure.AreaSquareMeters) / 1e6 ?? 0, 4) },
            });
        }).ToList();
        return new FeaturePage(features, matched);
    }

    /// <summary>A plan's shape: the union of its sectors (the neighbourhood's boundary for a plan kept without any).</summary>
    private static MultiPolygon UnionOf(List<Geometry> sectors, MultiPolygon boundary)
    {
        if (sectors.Count == 0) return boundary;
        var union = UnaryUnionOp.Union(sectors);
        var factory = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        return union switch
        {
            MultiPolygon m => m,
            Polygon p => factory.CreateMultiPolygon([p]),
            _ => factory.CreateMultiPolygon(Enumerable.Range(0, union.NumGeometries).Select(union.GetGeometryN).OfType<Polygon>().ToArray()),
        };
    }

    private static Planning.Reports.SectorPlanReport? ReportOrNull(SectorPlan p)
    {
        try { return PlanStore.ReportOf(p); }
        catch (KeptInOlderShapeException) { return null; } // a plan kept before the typed reports: its figures from the row only
    }

    // ---- sectors --------------------------------------------------------------------------------------------------

    private async Task<FeaturePage> SectorsAsync(Envelope? bbox, int limit, int offset, int? plan, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var plans = VisiblePlans(plan, districts).Select(p => p.Id);
        var query = (bbox is null ? db.PlanSectors : db.PlanSectors.Intersecting(s => s.Geometry, SpatialQueries.Box(bbox)))
            .AsNoTracking().Where(s => plans.Contains(s.PlanId)).OrderBy(s => s.PlanId).ThenBy(s => s.Sector);
        var matched = await query.CountAsync(ct);
        var rows = await query.Skip(offset).Take(limit).ToListAsync(ct);
        var ids = rows.Select(s => s.PlanId).Distinct().ToList();
        var kept = await db.SectorPlans.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var units = kept.ToDictionary(p => p.Key, p => ReportOrNull(p.Value)?.Sectors.ToDictionary(s => s.Id, s => s.Units) ?? []);
        var features = rows.Select(s => (IFeature)new Feature(s.Geometry, new AttributesTable
        {
            { "id", $"{s.PlanId}-{s.Sector}" }, { "planId", s.PlanId }, { "planName", kept[s.PlanId].Name }, { "sector", s.Sector },
            { "label", SectorLabel.Of(s.Sector) }, { "units", units[s.PlanId].GetValueOrDefault(s.Sector) }, { "workload", Math.Round(s.Workload, 3) },
            { "blocks", s.Blocks }, { "areaKm2", Math.Round(s.AreaKm2, 4) }, { "perimeterKm", Math.Round(Measure.LengthMeters(s.Geometry.Boundary) / 1000, 3) },
            { "polsbyPopper", Math.Round(s.PolsbyPopper, 4) }, { "contiguous", s.Contiguous },
        })).ToList();
        return new FeaturePage(features, matched);
    }

    // ---- blocks of plans ------------------------------------------------------------------------------------------

    /// <summary>
    /// The blocks of the plans as the plan export gives them: built now from the stored streets (as the plan was), each
    /// with its sector; blocks the plan does not name (the streets changed since) are left out. One build per
    /// neighbourhood, whatever the number of its plans.
    /// </summary>
    private async Task<List<IFeature>> PlanBlocksAsync(int? plan, string? blockId, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var plans = await VisiblePlans(plan, districts).OrderBy(p => p.Id).ToListAsync(ct);
        var store = new BlockStore(db);
        var features = new List<IFeature>();
        foreach (var group in plans.GroupBy(p => p.NeighborhoodId))
        {
            var n = await db.Neighborhoods.AsNoTracking().FirstAsync(x => x.Id == group.Key, ct);
            var built = await BuiltBlocksAsync(n, store, ct);
            foreach (var p in group)
            {
                var assignment = PlanStore.AssignmentOf(p);
                foreach (var b in built)
                {
                    if (blockId is not null && b.Id != blockId) continue;
                    if (!assignment.TryGetValue(b.Id, out var sector)) continue;
                    var a = new AttributesTable
                    {
                        { "id", $"{p.Id}-{b.Id}" }, { "planId", p.Id }, { "blockId", b.Id }, { "sector", sector }, { "label", SectorLabel.Of(sector) },
                    };
                    // The attribute names and rounding of `barrio blocks` files and the plan export, so a block weighs the same in each.
                    foreach (var (key, value) in BlockPlanning.Attributes(b)) if (key != BlockPlanning.Id) a.Add(key, value);
                    features.Add(new Feature(b.Geometry, a));
                }
            }
        }
        return features;
    }

    private sealed record BuiltBlocks(DateTimeOffset At, IReadOnlyList<Core.Blocks.Block> Blocks);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, BuiltBlocks> BlockBuilds = new(StringComparer.Ordinal);

    /// <summary>How long a neighbourhood's built blocks are reused: GDAL and QGIS read a layer page by page, and each
    /// page would build them again. The key changes with what the build reads, so this only bounds what it misses.</summary>
    public static readonly TimeSpan BlockBuildReuse = TimeSpan.FromMinutes(5);

    private const int BlockBuildsKept = 16;

    /// <summary>The neighbourhood's blocks built from the stored streets, reused while the boundary, the streets and the
    /// incidents are the same (count, newest id, versions); empty when no street bounds a block.</summary>
    private async Task<IReadOnlyList<Core.Blocks.Block>> BuiltBlocksAsync(Neighborhood n, BlockStore store, CancellationToken ct)
    {
        var streets = await db.Streets.CountAsync(ct) + ":" + await db.Streets.MaxAsync(s => (int?)s.Id, ct);
        var incidents = await db.Incidents.CountAsync(ct) + ":" + await db.Incidents.MaxAsync(i => (int?)i.Id, ct) + ":" + await db.Incidents.SumAsync(i => (long)i.Version, ct);
        var key = $"{db.Database.GetConnectionString()}|{n.Id}|v{n.Version}|{await new PlanStore(db, store).DataVersionAsync(n, ct)}|{streets}|{incidents}";
        var now = DateTimeOffset.UtcNow;
        if (BlockBuilds.TryGetValue(key, out var kept) && now - kept.At < BlockBuildReuse) return kept.Blocks;
        IReadOnlyList<Core.Blocks.Block> built;
        try { built = (await store.BuildAsync(n.Boundary, ct)).Blocks; }
        catch (ArgumentException) { built = []; } // no street bounds a block any more: none to show
        foreach (var old in BlockBuilds.Where(e => now - e.Value.At >= BlockBuildReuse).Select(e => e.Key).ToList()) BlockBuilds.TryRemove(old, out _);
        if (BlockBuilds.Count >= BlockBuildsKept) BlockBuilds.Clear();
        BlockBuilds[key] = new BuiltBlocks(now, built);
        return built;
    }

    // ---- routes ---------------------------------------------------------------------------------------------------

    private async Task<FeaturePage> RoutesAsync(Envelope? bbox, int limit, int offset, int? plan, int? routeId, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var plans = VisiblePlans(plan, districts).Select(p => p.Id);
        var query = RouteStore.Asked(bbox is null ? db.PlanRoutes : db.PlanRoutes.Intersecting(r => r.Track, SpatialQueries.Box(bbox)))
            .AsNoTracking().Where(r => plans.Contains(r.PlanId));
        if (routeId is { } rid) query = query.Where(r => r.Id == rid);
        query = query.OrderBy(r => r.Id);
        var matched = await query.CountAsync(ct);
        var rows = await query.Skip(offset).Take(limit).ToListAsync(ct);
        var features = rows.Select(r =>
        {
            var report = RouteStore.ReportOf(r);
            return (IFeature)new Feature(r.Track, new AttributesTable
            {
                { "id", r.Id }, { "planId", r.PlanId }, { "sector", r.Sector }, { "label", report.Sector }, { "name", report.Name },
                { "shift", r.Shift }, { "mode", r.Mode }, { "seed", r.Seed }, { "createdAt", r.CreatedAt },
                { "lengthKm", report.LengthKm }, { "durationMin", report.DurationMin }, { "patrolMin", report.PatrolMinutes },
                { "deadheadPct", report.DeadheadPct }, { "streetsCoveredPct", report.StreetsCoveredPct }, { "stops", r.Stops.NumGeometries },
                { "gpx", $"/api/routes/{r.Id}/gpx" },
            });
        }).ToList();
        return new FeaturePage(features, matched);
    }

    // ---- coverage -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Every kept coverage computation's street pieces by status, clipped to the neighbourhood as the viewer draws them
    /// (<see cref="CoverageStore.PiecesAsync"/>); empty pieces are left out. Kept computations never change, so each
    /// piece's id ("coverageId-status") names the same lines for as long as the computation is kept.
    /// </summary>
    private async Task<List<IFeature>> CoverageAsync(int? plan, int? coverageId, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var plans = VisiblePlans(plan, districts).Select(p => p.Id);
        var query = db.PlanCoverages.AsNoTracking().Where(c => plans.Contains(c.PlanId));
        if (coverageId is { } cid) query = query.Where(c => c.Id == cid);
        var rows = await query.OrderBy(c => c.Id).Select(c => new { c.Id, c.PlanId, c.Units, c.CreatedAt }).ToListAsync(ct);
        var store = new CoverageStore(db);
        var features = new List<IFeature>();
        foreach (var row in rows)
        {
            if (await store.PiecesAsync(row.Id, ct) is not { } pieces) continue;
            foreach (var (status, g) in new[] { ("covered", pieces.Covered), ("backup", pieces.Backup), ("uncovered", pieces.Uncovered), ("outside", pieces.Outside) })
            {
                if (g is null || g.IsEmpty) continue;
                features.Add(new Feature(g, new AttributesTable
                {
                    { "id", $"{row.Id}-{status}" }, { "coverageId", row.Id }, { "planId", row.PlanId }, { "status", status },
                    { "shift", pieces.Shift }, { "mode", pieces.Mode }, { "minutes", pieces.Minutes }, { "units", row.Units },
                    { "lengthKm", Math.Round(Measure.LengthMeters(g) / 1000, 3) }, { "createdAt", row.CreatedAt },
                }));
            }
        }
        return features;
    }

    // ---- blocks of neighbourhoods and districts -------------------------------------------------------------------

    private async Task<FeaturePage> BlocksAsync(Envelope? bbox, int limit, int offset, (string Scope, string Id)? one,
        IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var query = (bbox is null ? db.Blocks : db.Blocks.Intersecting(b => b.Geometry, SpatialQueries.Box(bbox))).AsNoTracking();
        if (districts is { Count: > 0 })
        {
            var scopes = districts.Select(BlockStore.DistrictScope)
                .Concat((await FeatureCatalog.InDistricts(db.Neighborhoods, districts).Select(n => n.Id).ToListAsync(ct)).Select(BlockStore.NeighborhoodScope))
                .ToList();
            query = query.Where(b => scopes.Contains(EF.Property<string>(b, BlockStore.ScopeColumn)));
        }
        if (one is { } o) query = query.Where(b => EF.Property<string>(b, BlockStore.ScopeColumn) == o.Scope && b.Id == o.Id);
        var ordered = query.OrderBy(b => EF.Property<string>(b, BlockStore.ScopeColumn)).ThenBy(b => b.Id);
        var matched = await ordered.CountAsync(ct);
        var rows = await ordered.Skip(offset).Take(limit)
            .Select(b => new { Block = b, Scope = EF.Property<string>(b, BlockStore.ScopeColumn) }).ToListAsync(ct);
        var features = rows.Select(r =>
        {
            var a = new AttributesTable
            {
                { "id", $"{r.Scope}:{r.Block.Id}" }, { "blockId", r.Block.Id }, { "scope", r.Scope },
                { "neighborhoodId", r.Scope.StartsWith("neighborhood:", StringComparison.Ordinal) ? int.Parse(r.Scope["neighborhood:".Length..], CultureInfo.InvariantCulture) : null },
                { "districtUbigeo", r.Scope.StartsWith("district:", StringComparison.Ordinal) ? r.Scope["district:".Length..] : null },
            };
            foreach (var (key, value) in BlockPlanning.Attributes(r.Block)) if (key != BlockPlanning.Id) a.Add(key, value);
            return (IFeature)new Feature(r.Block.Geometry, a);
        }).ToList();
        return new FeaturePage(features, matched);
    }

    // ---- paging of what is built in memory ------------------------------------------------------------------------

    private static async Task<FeaturePage> InMemory(Task<List<IFeature>> all, Envelope? bbox, int limit, int offset)
    {
        var features = await all;
        if (bbox is not null)
        {
            var box = SpatialQueries.Box(bbox);
            features = features.Where(f => f.Geometry.EnvelopeInternal.Intersects(bbox) && f.Geometry.Intersects(box)).ToList();
        }
        return new FeaturePage(features.Skip(offset).Take(limit).ToList(), features.Count);
    }
}
