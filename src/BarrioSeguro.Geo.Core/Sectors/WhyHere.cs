using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>How travel and balance are measured when a block's place is explained.</summary>
public sealed record ExplainOptions
{
    /// <summary>Travel on this street graph; null: straight line at <see cref="StraightLineKmh"/>.</summary>
    public StreetGraph? Streets { get; init; }
    public double StraightLineKmh { get; init; } = 5;
    /// <summary>Centres fixed for sectors 0, 1, ... (lon/lat); the other sectors' centres are their best blocks.</summary>
    public IReadOnlyList<Point>? Centres { get; init; }
    /// <summary>Capacity per sector (by sector number order), as in <see cref="PartitionOptions.SectorShares"/>.</summary>
    public IReadOnlyList<double>? SectorShares { get; init; }
    /// <summary>Balance tolerance in percent.</summary>
    public double TolerancePct { get; init; } = 5;
    /// <summary>The plan's barriers: no block moves across one, and the next best sector is one reachable without crossing.</summary>
    public IReadOnlyList<SectorBarrier>? Barriers { get; init; }
    /// <summary>Links across a barrier the plan kept by necessity (its report's barriers.kept): these join as usual.</summary>
    public IReadOnlyList<KeptLink>? KeptLinks { get; init; }
}

/// <summary>A sector as seen from one block: its centre and the minutes from it to the block.</summary>
/// <param name="Touches">The block shares an edge with the sector (or is in it).</param>
public sealed record SectorFromBlock(int Sector, string? CentreBlock, double CentreLon, double CentreLat, bool CentreFixed, double Minutes, bool Touches)
{
    /// <summary>The barrier between the block and this sector (it lies only across it); null when reachable.</summary>
    public string? Barrier { get; init; }
}

/// <summary>What would happen if the block moved to another sector (centres kept where they are).</summary>
/// <param name="ToSector">The sector it would move to.</param>
/// <param name="FromStaysContiguous">Its sector stays in one piece without it.</param>
/// <param name="FromDeviationPctBefore">|workload − target| / target of its sector, before and after, in percent.</param>
/// <param name="MaxDeviationPctBefore">The plan's largest deviation before and after, in percent.</param>
/// <param name="WeightedMinutesBefore">The plan's Σ workload × minutes from the centres, before and after.</param>
/// <param name="WithinTolerance">Both sectors stay within the tolerance after the move.</param>
public sealed record MoveEffect(int ToSector, bool FromStaysContiguous,
    double FromDeviationPctBefore, double FromDeviationPctAfter, double ToDeviationPctBefore, double ToDeviationPctAfter,
    double MaxDeviationPctBefore, double MaxDeviationPctAfter, double WeightedMinutesBefore, double WeightedMinutesAfter, bool WithinTolerance);

/// <summary>Why a block is in its sector.</summary>
/// <param name="Own">Its sector, its centre and the minutes from it.</param>
/// <param name="NextBest">The other sector whose centre is nearest the block (null with one sector).</param>
/// <param name="IfMoved">The effect of moving it to the nearest-centred sector it touches (null when it touches none).</param>
/// <param name="Reasons">The explanation, as notes (codes with arguments, said in the reader's language).</param>
public sealed record BlockExplanation(string Block, double Workload, string Measure, SectorFromBlock Own, SectorFromBlock? NextBest,
    MoveEffect? IfMoved, IReadOnlyList<Note> Reasons)
{
    /// <summary>A sector whose centre is nearer than <see cref="NextBest"/>'s but lies across a barrier (null when none).</summary>
    public SectorFromBlock? Across { get; init; }
}

/// <summary>"Why is this block in this sector": its centre, the next best sector, and what moving it would do.</summary>
public static class WhyHere
{
    /// <summary>Explains the place of one block in a plan.</summary>
    /// <exception cref="ArgumentException">An unknown block, a plan that misses blocks or names unknown ones, bad options.</exception>
    public static BlockExplanation Explain(IReadOnlyList<SectorUnit> units, IReadOnlyDictionary<string, int> assignment, string blockId,
        ExplainOptions? options = null)
    {
        options ??= new ExplainOptions();
        var defaults = new PartitionOptions();
        var graph = SectorGraph.Build(units, defaults.GapToleranceMeters, defaults.MinSharedEdgeMeters, bridgeIslands: true);
        var index = PlanEvaluator.IndexOf(units);
        if (!index.TryGetValue(blockId ?? "", out var b)) throw new RefusalException(Note.Of("sectors.why_no_block", ("block", blockId ?? "")), nameof(blockId));
        var missing = units.Where(u => !assignment.ContainsKey(u.Id)).Select(u => u.Id).ToList();
        if (missing.Count > 0) throw new RefusalException(Note.Of("sectors.plan_missing_blocks", ("count", missing.Count), ("blocks", missing)), "assignment");
        var part = units.Select(u => assignment[u.Id]).ToArray();
        if (part.Any(s => s < 0)) throw new RefusalException(Note.Of("sectors.plan_negative_sector"), "assignment");
        var labels = part.Distinct().Order().ToArray();
        var centres = options.Centres ?? [];
        var travel = new TravelCost(graph, centres, options.Streets, options.StraightLineKmh);

        // Centres: fixed by sector number, else each sector's best block.
        var members = labels.ToDictionary(l => l, _ => new List<int>());
        for (var i = 0; i < part.Length; i++) members[part[i]].Add(i);
        var origin = labels.ToDictionary(l => l, l => l < centres.Count ? graph.Count + l : travel.BestCentre(members[l], graph.Weight));
        var total = graph.Weight.Sum();
        var shares = options.SectorShares;
        if (shares is not null && shares.Count != labels.Length)
            throw new RefusalException(Note.Of("sectors.refused_capacities_count", ("given", shares.Count), ("sectors", labels.Length)), nameof(options));
        double Target(int label) => shares is null ? total / labels.Length : total * shares[Array.IndexOf(labels, label)] / shares.Sum();
        var w = labels.ToDictionary(l => l, l => members[l].Sum(i => graph.Weight[i]));
        double Dev(int label, double load) => Math.Abs(load - Target(label)) / Target(label) * 100;

        // Barriers: links across one joining different sectors are cut (the plan did not keep them); the block reaches
        // the sectors of its region only.
        var cut = new Dictionary<(int, int), string>();
        if (options.Barriers is { Count: > 0 } barriers)
        {
            var kept = (options.KeptLinks ?? []).Select(l => (index.GetValueOrDefault(l.BlockA, -1), index.GetValueOrDefault(l.BlockB, -1)))
                .Select(l => (Math.Min(l.Item1, l.Item2), Math.Max(l.Item1, l.Item2))).ToHashSet();
            foreach (var (link, bar) in BarrierPartition.Crossing(graph, units, barriers))
                if (part[link.Item1] != part[link.Item2] && !kept.Contains(link)) cut[link] = barriers[bar].Name;
        }
        bool Cut(int i, int j) => cut.ContainsKey((Math.Min(i, j), Math.Max(i, j)));
        var region = Regions(graph, Cut);

        var touching = new HashSet<int> { part[b] };
        var touchingAcross = new Dictionary<int, string>();
        for (var e = graph.Start[b]; e < graph.Start[b + 1]; e++)
        {
            var j = graph.Neighbours[e];
            if (!Cut(b, j)) touching.Add(part[j]);
            else touchingAcross.TryAdd(part[j], cut[(Math.Min(b, j), Math.Max(b, j))]);
        }
        var reachable = Enumerable.Range(0, part.Length).Where(i => region[i] == region[b]).Select(i => part[i]).ToHashSet();
        string BarrierTo(int label) =>
            touchingAcross.TryGetValue(label, out var name) ? name
            : cut.Where(c => (region[c.Key.Item1] == region[b] && part[c.Key.Item2] == label) || (region[c.Key.Item2] == region[b] && part[c.Key.Item1] == label))
                .OrderBy(c => c.Key).Select(c => c.Value).FirstOrDefault() ?? cut.OrderBy(c => c.Key).First().Value;
        SectorFromBlock From(int label)
        {
            var o = origin[label];
            var (lon, lat) = travel.LonLat(o, graph.Zone);
            var fixedCentre = o >= graph.Count;
            return new SectorFromBlock(label, fixedCentre ? null : units[o].Id, lon, lat, fixedCentre, travel.Row(o)[b] / 60, touching.Contains(label))
            {
                Barrier = reachable.Contains(label) ? null : BarrierTo(label),
            };
        }
        var own = From(part[b]);
        var all = labels.Where(l => l != part[b]).Select(From).OrderBy(s => (s.Minutes, s.Sector)).ToList();
        var others = all.Where(s => s.Barrier is null).ToList();
        var next = others.FirstOrDefault();
        var across = all.FirstOrDefault(s => s.Barrier is not null && (next is null || s.Minutes < next.Minutes));
        var reasons = new List<Note>();

        MoveEffect? effect = null;
        var to = others.FirstOrDefault(s => s.Touches);
        if (to is not null)
        {
            var a = part[b];
            var wb = graph.Weight[b];
            var stays = members[a].Count > 1 && graph.IsConnected(members[a].Where(i => i != b).ToList(), j => part[j] == a && j != b);
            var before = labels.Max(l => Dev(l, w[l]));
            var after = labels.Max(l => Dev(l, l == a ? w[l] - wb : l == to.Sector ? w[l] + wb : w[l]));
            var weighted = 0.0;
            foreach (var l in labels)
            {
                var row = travel.Row(origin[l]);
                foreach (var i in members[l]) weighted += graph.Weight[i] * row[i];
            }
            weighted /= 60;
            var moved = weighted + wb * (to.Minutes - own.Minutes);
            var fromAfter = Dev(a, w[a] - wb);
            var toAfter = Dev(to.Sector, w[to.Sector] + wb);
            effect = new MoveEffect(to.Sector, stays, Dev(a, w[a]), fromAfter, Dev(to.Sector, w[to.Sector]), toAfter, before, after, weighted, moved,
                fromAfter <= options.TolerancePct + 1e-9 && toAfter <= options.TolerancePct + 1e-9);
        }

        if (next is null && across is null) reasons.Add(Reasons.OnlySector());
        else if (next is not null && own.Minutes <= next.Minutes) reasons.Add(Reasons.Nearest(own, next));
        else if (next is not null) reasons.Add(Reasons.NotNearest(own, next));
        if (across is not null) reasons.Add(Reasons.AcrossBarrier(own, across));
        // A sector it touches only across a barrier, nearer than the one it could move to: that move is refused.
        var refused = all.FirstOrDefault(s => s.Barrier is not null && touchingAcross.ContainsKey(s.Sector) && (to is null || s.Minutes < to.Minutes));
        if (refused is not null) reasons.Add(Reasons.MoveRefused(refused.Sector, touchingAcross[refused.Sector]));
        if (to is null && next is not null && refused is null) reasons.Add(Reasons.Interior(part[b]));
        else if (effect is not null && to is not null)
        {
            if (!effect.FromStaysContiguous) reasons.Add(Reasons.WouldSplit(part[b], to.Sector));
            else if (!effect.WithinTolerance) reasons.Add(Reasons.WouldUnbalance(effect, options.TolerancePct));
            else if (effect.WeightedMinutesAfter >= effect.WeightedMinutesBefore) reasons.Add(Reasons.WouldLengthen(effect));
            else reasons.Add(Reasons.WouldShorten(effect));
        }
        return new BlockExplanation(units[b].Id, graph.Weight[b], travel.Measure, own, next, effect, reasons) { Across = across };
    }

    /// <summary>Components of the graph (bridges included) without the cut links.</summary>
    private static int[] Regions(SectorGraph g, Func<int, int, bool> cut)
    {
        var region = Enumerable.Repeat(-1, g.Count).ToArray();
        var stack = new Stack<int>();
        for (int s = 0, count = 0; s < g.Count; s++)
        {
            if (region[s] >= 0) continue;
            region[s] = count;
            stack.Push(s);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                for (var e = g.Start[i]; e < g.Start[i + 1]; e++)
                {
                    var j = g.Neighbours[e];
                    if (region[j] >= 0 || cut(i, j)) continue;
                    region[j] = count;
                    stack.Push(j);
                }
            }
            count++;
        }
        return region;
    }

    /// <summary>The reasons of an explanation as notes (see notes.json, codes sectors.why_*), one small method per kind.</summary>
    internal static class Reasons
    {
        private static string L(int s) => $"S{s + 1}";

        public static Note OnlySector() => Note.Of("sectors.why_only_sector");

        public static Note Nearest(SectorFromBlock own, SectorFromBlock next) =>
            Note.Of("sectors.why_nearest", ("own", own.Minutes), ("next", L(next.Sector)), ("nextMinutes", next.Minutes));

        public static Note NotNearest(SectorFromBlock own, SectorFromBlock next) =>
            Note.Of("sectors.why_not_nearest", ("next", L(next.Sector)), ("nextMinutes", next.Minutes), ("own", own.Minutes));

        public static Note AcrossBarrier(SectorFromBlock own, SectorFromBlock across) =>
            Note.Of("sectors.why_across_barrier", ("sector", L(across.Sector)), ("minutes", across.Minutes), ("own", own.Minutes), ("barrier", across.Barrier!));

        public static Note MoveRefused(int sector, string barrier) =>
            Note.Of("sectors.why_move_refused", ("sector", L(sector)), ("barrier", barrier));

        public static Note Interior(int sector) => Note.Of("sectors.why_interior", ("sector", L(sector)));

        public static Note WouldSplit(int from, int to) => Note.Of("sectors.why_would_split", ("to", L(to)), ("from", L(from)));

        public static Note WouldUnbalance(MoveEffect e, double tolerance) =>
            Note.Of("sectors.why_would_unbalance", ("to", L(e.ToSector)), ("fromAfter", e.FromDeviationPctAfter), ("toAfter", e.ToDeviationPctAfter),
                ("fromBefore", e.FromDeviationPctBefore), ("toBefore", e.ToDeviationPctBefore), ("tolerance", tolerance));

        public static Note WouldLengthen(MoveEffect e) =>
            Note.Of("sectors.why_would_lengthen", ("to", L(e.ToSector)), ("deviation", e.MaxDeviationPctAfter),
                ("before", e.WeightedMinutesBefore), ("after", e.WeightedMinutesAfter));

        public static Note WouldShorten(MoveEffect e) =>
            Note.Of("sectors.why_would_shorten", ("to", L(e.ToSector)), ("deviation", e.MaxDeviationPctAfter),
                ("before", e.WeightedMinutesBefore), ("after", e.WeightedMinutesAfter));
    }
}
