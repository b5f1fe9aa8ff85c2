using BarrioSeguro.Geo.Core.Network;
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
}

/// <summary>A sector as seen from one block: its centre and the minutes from it to the block.</summary>
/// <param name="Touches">The block shares an edge with the sector (or is in it).</param>
public sealed record SectorFromBlock(int Sector, string? CentreBlock, double CentreLon, double CentreLat, bool CentreFixed, double Minutes, bool Touches);

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
/// <param name="Reasons">The explanation in sentences.</param>
public sealed record BlockExplanation(string Block, double Workload, string Measure, SectorFromBlock Own, SectorFromBlock? NextBest,
    MoveEffect? IfMoved, IReadOnlyList<string> Reasons);

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
        if (!index.TryGetValue(blockId ?? "", out var b)) throw new ArgumentException($"No block '{blockId}' in the plan's blocks.");
        var missing = units.Where(u => !assignment.ContainsKey(u.Id)).Select(u => u.Id).ToList();
        if (missing.Count > 0) throw new ArgumentException($"{missing.Count} block(s) have no sector: {PlanEvaluator.Ids(missing)}.");
        var part = units.Select(u => assignment[u.Id]).ToArray();
        if (part.Any(s => s < 0)) throw new ArgumentException("Sector numbers must be 0 or more.");
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
            throw new ArgumentException($"{shares.Count} sector capacities for {labels.Length} sectors: give one per sector.");
        double Target(int label) => shares is null ? total / labels.Length : total * shares[Array.IndexOf(labels, label)] / shares.Sum();
        var w = labels.ToDictionary(l => l, l => members[l].Sum(i => graph.Weight[i]));
        double Dev(int label, double load) => Math.Abs(load - Target(label)) / Target(label) * 100;

        var touching = new HashSet<int> { part[b] };
        for (var e = graph.Start[b]; e < graph.Start[b + 1]; e++) touching.Add(part[graph.Neighbours[e]]);
        SectorFromBlock From(int label)
        {
            var o = origin[label];
            var (lon, lat) = travel.LonLat(o, graph.Zone);
            var fixedCentre = o >= graph.Count;
            return new SectorFromBlock(label, fixedCentre ? null : units[o].Id, lon, lat, fixedCentre, travel.Row(o)[b] / 60, touching.Contains(label));
        }
        var own = From(part[b]);
        var others = labels.Where(l => l != part[b]).Select(From).OrderBy(s => (s.Minutes, s.Sector)).ToList();
        var next = others.FirstOrDefault();
        var reasons = new List<string>();

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

        if (next is null) reasons.Add(Reasons.OnlySector());
        else if (own.Minutes <= next.Minutes) reasons.Add(Reasons.Nearest(own, next));
        else reasons.Add(Reasons.NotNearest(own, next));
        if (to is null && next is not null) reasons.Add(Reasons.Interior(part[b]));
        else if (effect is not null && to is not null)
        {
            if (!effect.FromStaysContiguous) reasons.Add(Reasons.WouldSplit(part[b], to.Sector));
            else if (!effect.WithinTolerance) reasons.Add(Reasons.WouldUnbalance(effect, options.TolerancePct));
            else if (effect.WeightedMinutesAfter >= effect.WeightedMinutesBefore) reasons.Add(Reasons.WouldLengthen(effect));
            else reasons.Add(Reasons.WouldShorten(effect));
        }
        return new BlockExplanation(units[b].Id, graph.Weight[b], travel.Measure, own, next, effect, reasons);
    }

    /// <summary>The sentences of an explanation, one small method per kind.</summary>
    internal static class Reasons
    {
        private static string L(int s) => $"S{s + 1}";

        public static string OnlySector() => "There is one sector: every block is in it.";

        public static string Nearest(SectorFromBlock own, SectorFromBlock next) =>
            $"Its sector's centre is the nearest: {own.Minutes:0.0} min, against {next.Minutes:0.0} min to {L(next.Sector)}'s.";

        public static string NotNearest(SectorFromBlock own, SectorFromBlock next) =>
            $"{L(next.Sector)}'s centre is nearer ({next.Minutes:0.0} min against {own.Minutes:0.0} min to its own).";

        public static string Interior(int sector) =>
            $"It touches no other sector: moving it would leave it apart from the sector it joined, so it stays in {L(sector)}.";

        public static string WouldSplit(int from, int to) =>
            $"Moving it to {L(to)} would split {L(from)} in two: the block holds its sector together.";

        public static string WouldUnbalance(MoveEffect e, double tolerance) =>
            $"Moving it to {L(e.ToSector)} would take the sectors to {e.FromDeviationPctAfter:0.0} % and {e.ToDeviationPctAfter:0.0} % off their " +
            $"targets (now {e.FromDeviationPctBefore:0.0} % and {e.ToDeviationPctBefore:0.0} %), beyond the {tolerance:0.#} % tolerance.";

        public static string WouldLengthen(MoveEffect e) =>
            $"Moving it to {L(e.ToSector)} would keep the balance ({e.MaxDeviationPctAfter:0.0} % at most) but lengthen the weighted travel " +
            $"from {e.WeightedMinutesBefore:0.#} to {e.WeightedMinutesAfter:0.#} workload·min.";

        public static string WouldShorten(MoveEffect e) =>
            $"Moving it to {L(e.ToSector)} would shorten the weighted travel from {e.WeightedMinutesBefore:0.#} to {e.WeightedMinutesAfter:0.#} " +
            $"workload·min within the tolerance ({e.MaxDeviationPctAfter:0.0} % at most): the plan was made for compactness, or could improve.";
    }
}
