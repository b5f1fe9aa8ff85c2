using System.Diagnostics;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.OverlayNG;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>
/// The figures of any plan (block id → sector), computed or drawn by hand, the same way: workload and deviation from the
/// mean, area, Polsby-Popper, contiguity per sector, churn against a previous plan, islands.
/// </summary>
public static class PlanEvaluator
{
    /// <summary>Evaluates a plan. Sector numbers may be any integers; k is the number of distinct ones.</summary>
    /// <param name="units">The blocks.</param>
    /// <param name="assignment">Every block id with its sector.</param>
    /// <param name="previous">A previous plan to count churn against (sector numbers compared as they are).</param>
    /// <exception cref="ArgumentException">A block without a sector, an id that names no block, a negative sector number,
    /// or zero total workload.</exception>
    /// <param name="streets">Travel on this street graph from each sector's best centre; null: straight line at
    /// <paramref name="straightLineKmh"/>.</param>
    public static PlanReport Evaluate(
        IReadOnlyList<SectorUnit> units, IReadOnlyDictionary<string, int> assignment, IReadOnlyDictionary<string, int>? previous = null,
        Network.StreetGraph? streets = null, double straightLineKmh = 5)
    {
        var clock = Stopwatch.StartNew();
        var defaults = new PartitionOptions();
        var graph = SectorGraph.Build(units, defaults.GapToleranceMeters, defaults.MinSharedEdgeMeters, bridgeIslands: true);
        var index = IndexOf(units);
        var unknown = assignment.Keys.Where(id => !index.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) throw new RefusalException(Note.Of("sectors.plan_unknown_blocks", ("blocks", unknown)), "assignment");
        var missing = units.Where(u => !assignment.ContainsKey(u.Id)).Select(u => u.Id).ToList();
        if (missing.Count > 0) throw new RefusalException(Note.Of("sectors.plan_missing_blocks", ("count", missing.Count), ("blocks", missing)), "assignment");
        var part = units.Select(u => assignment[u.Id]).ToArray();
        if (part.Any(s => s < 0)) throw new RefusalException(Note.Of("sectors.plan_negative_sector"), "assignment");
        if (graph.Weight.Sum() <= 0) throw new RefusalException(Note.Of("sectors.refused_zero_workload"), "units");
        var prev = Previous(units, previous, out _);
        var notes = new List<Note>();
        var report = Build(graph, units, part, prev, seed: 0, fixedWeights: [], notes, islandsByNecessity: true);
        var travel = new TravelCost(graph, [], streets, straightLineKmh);
        return report with { Travel = TravelOf(graph, units, part, travel, [], null), ElapsedMs = clock.Elapsed.TotalMilliseconds };
    }

    /// <summary>
    /// Turns drawn sector polygons into a plan: each block goes to the sector that covers the largest share of its area.
    /// </summary>
    /// <param name="units">The blocks.</param>
    /// <param name="drawn">The sectors as drawn (lon/lat polygons), each with its number.</param>
    /// <param name="attachUncoveredToNearest">Blocks no drawn polygon touches go to the nearest one; otherwise they are an error.</param>
    /// <exception cref="ArgumentException">Nothing drawn, or blocks outside every drawn sector (named).</exception>
    public static IReadOnlyDictionary<string, int> AssignByLargestShare(
        IReadOnlyList<SectorUnit> units, IReadOnlyList<(int Sector, Geometry Polygon)> drawn, bool attachUncoveredToNearest = false)
    {
        if (drawn is null || drawn.Count == 0) throw new RefusalException(Note.Of("sectors.none_drawn"), nameof(drawn));
        var tree = new STRtree<int>();
        for (var d = 0; d < drawn.Count; d++) tree.Insert(drawn[d].Polygon.EnvelopeInternal, d);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var uncovered = new List<string>();
        foreach (var u in units)
        {
            var best = -1;
            var bestArea = 0.0;
            foreach (var d in tree.Query(u.Geometry.EnvelopeInternal).OrderBy(d => d))
            {
                var area = u.Geometry.Intersection(drawn[d].Polygon).Area;
                if (area > bestArea) { best = d; bestArea = area; }
            }
            if (best < 0 && attachUncoveredToNearest)
                best = Enumerable.Range(0, drawn.Count).MinBy(d => (drawn[d].Polygon.Distance(u.Geometry), d));
            if (best < 0) uncovered.Add(u.Id);
            else result[u.Id] = drawn[best].Sector;
        }
        if (uncovered.Count > 0)
            throw new RefusalException(Note.Of("sectors.outside_drawn", ("count", uncovered.Count), ("blocks", uncovered)), nameof(drawn));
        return result;
    }

    internal static Dictionary<string, int> IndexOf(IReadOnlyList<SectorUnit> units)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < units.Count; i++) index[units[i].Id] = i;
        return index;
    }

    internal static string Ids(IReadOnlyList<string> ids, int max = 12) =>
        string.Join(", ", ids.Take(max)) + (ids.Count > max ? $" and {ids.Count - max} more" : "");

    /// <summary>The previous sector of each block (-1 where it had none); ids that name no block are counted.</summary>
    internal static int[] Previous(IReadOnlyList<SectorUnit> units, IReadOnlyDictionary<string, int>? previous, out int unknown)
    {
        unknown = 0;
        var prev = Enumerable.Repeat(-1, units.Count).ToArray();
        if (previous is null) return prev;
        var index = IndexOf(units);
        foreach (var (id, s) in previous)
        {
            if (index.TryGetValue(id, out var i) && s >= 0) prev[i] = s;
            else unknown++;
        }
        return prev;
    }

    /// <summary>The report of a plan given as a sector number per block.</summary>
    /// <param name="fixedWeights">Workload that some sectors must carry whatever the plan (locks, island sectors), for the
    /// balance bound; the flag says the sector can hold nothing else.</param>
    internal static PlanReport Build(SectorGraph g, IReadOnlyList<SectorUnit> units, int[] part, int[] prev, int seed,
        IReadOnlyList<(double Weight, bool Exact)> fixedWeights, List<Note> notes, bool islandsByNecessity, double[]? shares = null)
    {
        var labels = part.Distinct().Order().ToArray();
        var k = labels.Length;
        var total = g.Weight.Sum();
        var mean = total / k;
        // Each sector's target: the mean, or its share of the total.
        double Target(int index) => shares is null ? mean : total * shares[index] / shares.Sum();
        var factory = units[0].Geometry.Factory;
        var sectors = new List<SectorFigures>();
        var members = labels.ToDictionary(l => l, _ => new List<int>());
        var snapped = false;
        for (var i = 0; i < part.Length; i++) members[part[i]].Add(i);
        foreach (var label in labels)
        {
            var blocks = members[label];
            var weight = blocks.Sum(i => g.Weight[i]);
            var area = blocks.Sum(i => g.AreaM2[i]);
            // A multipart unit is connected through itself, but its pieces stay apart in the union.
            var parts = g.CountParts(blocks, j => part[j] == label) + blocks.Sum(i => units[i].Geometry.NumGeometries - 1);
            var union = Union(blocks.Select(i => (Geometry)units[i].Geometry).ToArray(), factory, parts, ref snapped);
            var utm = Crs.Transform(union, Crs.Wgs84, g.Zone);
            var pp = utm.Length > 0 ? 4 * Math.PI * utm.Area / (utm.Length * utm.Length) : 0;
            var contiguous = g.IsConnected(blocks, j => part[j] == label);
            sectors.Add(new SectorFigures(label, weight, blocks.Count, area / 1e6, pp, contiguous, union) { TargetWorkload = Target(sectors.Count) });
        }
        var maxDev = sectors.Max(s => Math.Abs(s.Workload - s.TargetWorkload) / s.TargetWorkload) * 100;

        var largest = shares is null ? mean : sectors.Max(s => s.TargetWorkload);
        var bound = Math.Max(0, g.Weight.Max() - largest) / largest;
        if (k == g.Count) bound = g.Weight.Max(w => Math.Abs(w - mean)) / mean;
        foreach (var (w, exact) in fixedWeights)
            bound = Math.Max(bound, (exact ? Math.Abs(w - mean) : Math.Max(0, w - mean)) / mean);
        // A block holding light parts hostage (SectorGraph.HostageBound): with equal targets and nothing fixed.
        if (shares is null && fixedWeights.Count == 0 && k > 1 && k < g.Count) bound = Math.Max(bound, g.HostageBound(mean).Bound);

        Churn? churn = null;
        if (prev.Any(p => p >= 0))
        {
            var changed = Enumerable.Range(0, part.Length).Where(i => prev[i] >= 0 && prev[i] != part[i]).ToList();
            churn = new Churn(changed.Count, changed.Sum(i => g.Weight[i]) / total * 100);
        }

        var islands = new List<string>();
        if (islandsByNecessity && g.ComponentCount > 1)
        {
            islands = g.IslandBlocks().Select(i => units[i].Id).ToList();
            foreach (var b in g.Bridges)
                notes.Add(Note.Of("sectors.island_joined", ("blocks", IslandGroup(g, units, b.From)), ("block", units[b.To].Id), ("distance", b.DistanceM), ("sector", part[b.To])));
        }
        if (snapped)
            notes.Add(Note.Of("sectors.snap_rounding"));
        var broken = sectors.Where(s => !s.Contiguous).Select(s => s.Id).ToList();
        if (broken.Count > 0) notes.Add(Note.Of("sectors.not_contiguous", ("sectors", broken)));
        return new PlanReport(sectors, maxDev, bound * 100, broken.Count == 0, sectors.Average(s => s.PolsbyPopper), seed, churn,
            islands, 0, notes);
    }

    /// <summary>
    /// The travel figures of a plan: each sector's centre (fixed, given by the search, or its best block, the 1-median),
    /// Σ workload × minutes to its blocks, the mean and the worst.
    /// </summary>
    internal static TravelFigures TravelOf(SectorGraph g, IReadOnlyList<SectorUnit> units, int[] part, TravelCost travel,
        int[] fixedOrigin, int[]? origins)
    {
        var labels = part.Distinct().Order().ToArray();
        var members = labels.ToDictionary(l => l, _ => new List<int>());
        for (var i = 0; i < part.Length; i++) members[part[i]].Add(i);
        var sectors = new List<SectorTravel>();
        double total = 0, totalKm = 0, worst = 0;
        foreach (var label in labels)
        {
            var blocks = members[label];
            var o = label < fixedOrigin.Length && fixedOrigin[label] >= 0 ? fixedOrigin[label]
                : origins is not null && label < origins.Length && origins[label] >= 0 ? origins[label]
                : travel.BestCentre(blocks, g.Weight);
            var row = travel.Row(o);
            double wt = 0, w = 0, km = 0, plain = 0, far = -1;
            var farBlock = blocks[0];
            foreach (var i in blocks)
            {
                wt += g.Weight[i] * row[i];
                w += g.Weight[i];
                plain += row[i];
                km += g.Weight[i] * travel.Metres(o, i) / 1000;
                if (row[i] > far) { far = row[i]; farBlock = i; }
            }
            var (lon, lat) = travel.LonLat(o, g.Zone);
            var fixedCentre = o >= g.Count;
            sectors.Add(new SectorTravel(label, fixedCentre ? null : units[o].Id, lon, lat, fixedCentre, wt / 60,
                (w > 0 ? wt / w : plain / blocks.Count) / 60, far / 60, units[farBlock].Id, travel.OnNetwork ? null : km));
            total += wt; totalKm += km; worst = Math.Max(worst, far);
        }
        var weight = g.Weight.Sum();
        return new TravelFigures(travel.Measure, total / 60, weight > 0 ? total / weight / 60 : 0, worst / 60,
            travel.OnNetwork ? null : totalKm, sectors, travel.OffNetwork);
    }

    private static List<string> IslandGroup(SectorGraph g, IReadOnlyList<SectorUnit> units, int block) =>
        Enumerable.Range(0, g.Count).Where(i => g.Component[i] == g.Component[block]).Select(i => units[i].Id).ToList();

    /// <summary>
    /// The union of blocks. Blocks that tile (shared edges, no overlaps) are merged exactly by the coverage union; when
    /// that leaves more parts than the blocks' adjacency says (edges that do not match exactly), the blocks are merged
    /// again by an overlay union snap-rounded at 1e-9° (about 0.1 mm).
    /// </summary>
    internal static MultiPolygon Union(Geometry[] blocks, GeometryFactory factory, int expectedParts, ref bool snapped)
    {
        Geometry? union = null;
        try
        {
            union = NetTopologySuite.Coverage.CoverageUnion.Union(blocks);
            if (!union.IsValid || union.NumGeometries > expectedParts) union = null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or TopologyException)
        {
            union = null;
        }
        if (union is null)
        {
            snapped = true;
            union = UnaryUnionNG.Union((Geometry)factory.CreateGeometryCollection(blocks), new PrecisionModel(1e9));
        }
        var polygons = Enumerable.Range(0, union.NumGeometries).Select(union.GetGeometryN).OfType<Polygon>().ToArray();
        return factory.CreateMultiPolygon(polygons);
    }
}
