using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>What may not be painted: blocks that keep their sector, and whole sectors that neither give nor take blocks.</summary>
public sealed record PlanLocks(IReadOnlyList<string>? Blocks = null, IReadOnlyList<int>? Sectors = null)
{
    public static readonly PlanLocks None = new();
}

/// <summary>How an edited plan is measured: the parent plan's travel and workload targets.</summary>
public sealed record EditOptions
{
    /// <summary>Travel on this street graph; null: straight line at <see cref="StraightLineKmh"/>.</summary>
    public StreetGraph? Streets { get; init; }
    public double StraightLineKmh { get; init; } = 5;
    /// <summary>Centres fixed for sectors 0, 1, ... (lon/lat): travel is measured from them.</summary>
    public IReadOnlyList<Point>? Centres { get; init; }
    /// <summary>Each sector's share of the workload (its patrol units); null: equal.</summary>
    public IReadOnlyList<double>? SectorShares { get; init; }
}

/// <summary>An edited plan: the new assignment, its report (churn against the parent) and the blocks that moved.</summary>
public sealed record PlanEdit(IReadOnlyDictionary<string, int> Assignment, PlanReport Report, IReadOnlyList<string> Moved);

/// <summary>
/// What the viewer needs to evaluate a painted plan by itself, with the same arithmetic as <see cref="PlanEdits.Evaluate"/>:
/// per block its sector, workload, area, perimeter, UTM centroid and neighbours (shared metres; 0 for a bridge to an island).
/// </summary>
/// <param name="Zone">EPSG code of the UTM zone of X and Y.</param>
/// <param name="Scale">UTM scale factor of the blocks' centre (ground metres = grid metres / Scale).</param>
/// <param name="SpeedMps">Straight-line speed, metres per second.</param>
/// <param name="OnNetwork">Travel is on streets: the viewer cannot measure it and waits for the service.</param>
/// <param name="Centres">Fixed centres (UTM x, y) of sectors 0, 1, ...</param>
/// <param name="Shares">Each sector's share of the workload; null: equal.</param>
public sealed record PaintBasis(
    int Zone, double Scale, double SpeedMps, bool OnNetwork, IReadOnlyList<double[]> Centres, IReadOnlyList<double>? Shares,
    IReadOnlyList<PaintBlock> Blocks);

/// <summary>One block of a <see cref="PaintBasis"/>. <paramref name="Neighbours"/>: [index, m of boundary in common] pairs,
/// the sector graph's links (0 m for a bridge to an island or a link across a small gap).</summary>
public sealed record PaintBlock(string Id, int Sector, double Workload, double AreaM2, double PerimeterM, double X, double Y, IReadOnlyList<double[]> Neighbours);

/// <summary>
/// Painting a plan by hand: blocks moved into other sectors, refused when a move would split a sector, empty one or
/// touch something locked; the result measured like any plan (<see cref="PlanEvaluator"/>), with churn against the parent.
/// </summary>
public static class PlanEdits
{
    /// <summary>Applies the moves (block id → sector) to a plan and reports on the result.</summary>
    /// <exception cref="RefusalException">Unknown blocks or sectors, locked blocks or sectors, a sector emptied or split
    /// (codes sectors.move_*), locks naming unknown blocks or sectors.</exception>
    /// <exception cref="ArgumentException">The plan itself does not fit the blocks (PlanEvaluator's reasons).</exception>
    public static PlanEdit Evaluate(
        IReadOnlyList<SectorUnit> units, IReadOnlyDictionary<string, int> assignment, IReadOnlyDictionary<string, int> moves,
        PlanLocks? locks = null, EditOptions? options = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        options ??= new EditOptions();
        var g = Graph(units);
        var before = PartOf(units, assignment);
        var part = Apply(g, units, before, moves, locks ?? PlanLocks.None, out var moved);
        var notes = new List<Note>();
        var report = PlanEvaluator.Build(g, units, part, before, seed: 0, fixedWeights: [], notes, islandsByNecessity: true,
            shares: options.SectorShares is { Count: > 0 } s ? Shares(s, part) : null);
        var centres = options.Centres ?? [];
        var travel = new TravelCost(g, centres, options.Streets, options.StraightLineKmh);
        var fixedOrigin = Enumerable.Range(0, centres.Count).Select(c => g.Count + c).ToArray();
        report = report with
        {
            Travel = PlanEvaluator.TravelOf(g, units, part, travel, fixedOrigin, null), ElapsedMs = clock.Elapsed.TotalMilliseconds,
        };
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < units.Count; i++) result[units[i].Id] = part[i];
        return new PlanEdit(result, report, moved);
    }

    /// <summary>The figures the viewer paints with (see <see cref="PaintBasis"/>).</summary>
    /// <exception cref="ArgumentException">The plan does not fit the blocks.</exception>
    public static PaintBasis Basis(IReadOnlyList<SectorUnit> units, IReadOnlyDictionary<string, int> assignment, EditOptions? options = null)
    {
        options ??= new EditOptions();
        var g = Graph(units);
        var part = PartOf(units, assignment);
        var centres = options.Centres ?? [];
        var travel = new TravelCost(g, centres, options.Streets, options.StraightLineKmh);
        // The length two blocks' boundaries have in common, exactly (the graph's shared length allows a gap): the
        // coverage union's perimeter is Σ perimeters less twice these.
        var utm = units.Select(u => Crs.Transform(u.Geometry, Crs.Wgs84, g.Zone).Boundary).ToArray();
        var scale = units.Select(u => Measure.UtmScaleFactor(u.Geometry.EnvelopeInternal.Centre.X, u.Geometry.EnvelopeInternal.Centre.Y, g.Zone)).ToArray();
        var exact = new Dictionary<(int, int), double>();
        double Common(int i, int j)
        {
            var key = i < j ? (i, j) : (j, i);
            if (exact.TryGetValue(key, out var length)) return length;
            try { length = utm[key.Item1].Intersection(utm[key.Item2]).Length / scale[key.Item1]; }
            catch (TopologyException) { length = 0; }
            return exact[key] = length;
        }
        var blocks = new List<PaintBlock>(g.Count);
        for (var i = 0; i < g.Count; i++)
        {
            var nb = new List<double[]>();
            for (var e = g.Start[i]; e < g.Start[i + 1]; e++) nb.Add([g.Neighbours[e], g.Shared[e] > 0 ? Common(i, g.Neighbours[e]) : 0]);
            blocks.Add(new PaintBlock(units[i].Id, part[i], g.Weight[i], g.AreaM2[i], g.PerimeterM[i], g.X[i], g.Y[i], nb));
        }
        var fixedCentres = centres.Select(p => { var (x, y) = Crs.Transform(p.X, p.Y, Crs.Wgs84, g.Zone); return new[] { x, y }; }).ToList();
        return new PaintBasis(g.Zone, travel.Scale, travel.SpeedMps, travel.OnNetwork, fixedCentres,
            options.SectorShares is { Count: > 0 } s ? s : null, blocks);
    }

    private static SectorGraph Graph(IReadOnlyList<SectorUnit> units)
    {
        var defaults = new PartitionOptions();
        return SectorGraph.Build(units, defaults.GapToleranceMeters, defaults.MinSharedEdgeMeters, bridgeIslands: true);
    }

    /// <summary>The plan as a sector per block index, checked as <see cref="PlanEvaluator.Evaluate"/> checks it.</summary>
    private static int[] PartOf(IReadOnlyList<SectorUnit> units, IReadOnlyDictionary<string, int> assignment)
    {
        var index = PlanEvaluator.IndexOf(units);
        var unknown = assignment.Keys.Where(id => !index.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) throw new RefusalException(Note.Of("sectors.plan_unknown_blocks", ("blocks", unknown)), "assignment");
        var missing = units.Where(u => !assignment.ContainsKey(u.Id)).Select(u => u.Id).ToList();
        if (missing.Count > 0) throw new RefusalException(Note.Of("sectors.plan_missing_blocks", ("count", missing.Count), ("blocks", missing)), "assignment");
        var part = units.Select(u => assignment[u.Id]).ToArray();
        if (part.Any(s => s < 0)) throw new RefusalException(Note.Of("sectors.plan_negative_sector"), "assignment");
        return part;
    }

    private static double[]? Shares(IReadOnlyList<double> shares, int[] part)
    {
        var labels = part.Distinct().Order().ToArray();
        return labels.Select(l => l < shares.Count ? shares[l] : 1).ToArray();
    }

    private static string Label(int sector) => $"S{sector + 1}";

    private static int[] Apply(SectorGraph g, IReadOnlyList<SectorUnit> units, int[] before, IReadOnlyDictionary<string, int> moves,
        PlanLocks locks, out List<string> moved)
    {
        var index = PlanEvaluator.IndexOf(units);
        var sectors = before.Distinct().ToHashSet();
        var unknownLocks = (locks.Blocks ?? []).Where(b => !index.ContainsKey(b))
            .Concat((locks.Sectors ?? []).Where(s => !sectors.Contains(s)).Select(Label)).ToList();
        if (unknownLocks.Count > 0) throw new RefusalException(Note.Of("sectors.lock_unknown", ("items", unknownLocks)), "locks");
        var lockedBlocks = new HashSet<string>(locks.Blocks ?? [], StringComparer.Ordinal);
        var lockedSectors = new HashSet<int>(locks.Sectors ?? []);

        var unknown = moves.Keys.Where(id => !index.ContainsKey(id)).OrderBy(id => id, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) throw new RefusalException(Note.Of("sectors.move_unknown_block", ("blocks", unknown)), "moves");
        var part = (int[])before.Clone();
        moved = [];
        foreach (var (id, to) in moves.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            var i = index[id];
            if (!sectors.Contains(to))
                throw new RefusalException(Note.Of("sectors.move_unknown_sector", ("block", id), ("sector", to < 0 ? to.ToString(System.Globalization.CultureInfo.InvariantCulture) : Label(to)), ("count", sectors.Count)), "moves");
            if (before[i] == to) continue;
            if (lockedBlocks.Contains(id)) throw new RefusalException(Note.Of("sectors.move_locked", ("block", id), ("sector", Label(before[i]))), "moves");
            foreach (var s in new[] { before[i], to })
                if (lockedSectors.Contains(s)) throw new RefusalException(Note.Of("sectors.move_sector_locked", ("sector", Label(s)), ("block", id)), "moves");
            part[i] = to;
            moved.Add(id);
        }

        // Every sector that gave or took blocks: not emptied, and in no more pieces than before.
        var touched = moved.SelectMany(id => new[] { before[index[id]], part[index[id]] }).Distinct().Order();
        foreach (var s in touched)
        {
            var now = Enumerable.Range(0, part.Length).Where(i => part[i] == s).ToList();
            var involved = moved.Where(id => before[index[id]] == s || part[index[id]] == s).ToList();
            if (now.Count == 0) throw new RefusalException(Note.Of("sectors.move_empties", ("sector", Label(s)), ("blocks", involved)), "moves");
            var then = Enumerable.Range(0, before.Length).Where(i => before[i] == s).ToList();
            if (Pieces(g, now, part, s) > Pieces(g, then, before, s))
                throw new RefusalException(Note.Of("sectors.move_splits", ("sector", Label(s)), ("blocks", involved)), "moves");
        }
        return part;
    }

    /// <summary>Connected pieces of a sector through the graph's edges, bridges to islands included (as contiguity counts them).</summary>
    private static int Pieces(SectorGraph g, List<int> blocks, int[] part, int sector)
    {
        var seen = new HashSet<int>();
        var pieces = 0;
        var stack = new Stack<int>();
        foreach (var b in blocks)
        {
            if (!seen.Add(b)) continue;
            pieces++;
            stack.Push(b);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                for (var e = g.Start[i]; e < g.Start[i + 1]; e++)
                    if (part[g.Neighbours[e]] == sector && seen.Add(g.Neighbours[e])) stack.Push(g.Neighbours[e]);
            }
        }
        return pieces;
    }
}
