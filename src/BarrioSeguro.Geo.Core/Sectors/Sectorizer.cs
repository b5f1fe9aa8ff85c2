using System.Diagnostics;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>
/// Splits a neighbourhood's blocks into k patrol sectors: contiguous (blocks sharing an edge), balanced by workload within
/// a tolerance, then as compact as possible; seeds, locks and a previous plan honoured; the same inputs and seed give the
/// same plan. The method is described in Sectors/README.md.
/// </summary>
public static class Sectorizer
{
    /// <summary>Partitions the blocks.</summary>
    /// <param name="units">The blocks with their workloads (ids unique, polygons lon/lat).</param>
    /// <param name="options">The number of sectors and the rest.</param>
    /// <param name="progress">Receives 0..1 as the work goes on.</param>
    /// <param name="ct">Cancels the work (OperationCanceledException).</param>
    /// <exception cref="ArgumentException">No blocks, k below 1 or above the number of blocks, zero total workload, a
    /// negative workload, duplicate ids, unknown ids or sectors in locks, locked blocks of a sector that are not connected,
    /// more seeds than sectors, islands under <see cref="IslandPolicy.Refuse"/>, or more islands than sectors under
    /// <see cref="IslandPolicy.OwnSector"/>.</exception>
    public static Plan Partition(IReadOnlyList<SectorUnit> units, PartitionOptions options, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        ArgumentNullException.ThrowIfNull(options);
        if (units is null || units.Count == 0) throw new RefusalException(Note.Of("sectors.refused_no_blocks"));
        var k = options.Sectors;
        if (k < 1) throw new RefusalException(Note.Of("sectors.refused_too_few", ("sectors", k)));
        if (k > units.Count)
            throw new RefusalException(Note.Of("sectors.refused_too_many", ("sectors", k), ("blocks", units.Count)));
        if (!(options.TargetDeviation >= 0)) throw new RefusalException(Note.Of("sectors.refused_tolerance"));
        if (options.Attempts < 1) throw new RefusalException(Note.Of("sectors.refused_attempts", ("attempts", options.Attempts)), nameof(options.Attempts));
        if (options.StayCloseWeight < 0) throw new RefusalException(Note.Of("sectors.refused_stay_close", ("weight", options.StayCloseWeight)), nameof(options.StayCloseWeight));
        if (!(options.CompactnessWeight >= 0) || !double.IsFinite(options.CompactnessWeight))
            throw new RefusalException(Note.Of("sectors.refused_compactness_weight"));
        if (!(options.StraightLineKmh > 0) || !double.IsFinite(options.StraightLineKmh))
            throw new RefusalException(Note.Of("sectors.refused_speed"));
        double[]? shares = null;
        if (options.SectorShares is { } given)
        {
            if (given.Count != k) throw new RefusalException(Note.Of("sectors.refused_capacities_count", ("given", given.Count), ("sectors", k)));
            var bad = given.Select((x, i) => (x, i)).FirstOrDefault(p => !(p.x > 0) || !double.IsFinite(p.x), (1, -1));
            if (bad.Item2 >= 0) throw new RefusalException(Note.Of("sectors.refused_capacity", ("sector", bad.Item2), ("capacity", bad.Item1.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            shares = given.ToArray();
        }

        if (options.Barriers is { Count: > 0 }) return BarrierPartition.Partition(units, options, progress, ct);

        var graph = SectorGraph.Build(units, options.GapToleranceMeters, options.MinSharedEdgeMeters,
            bridgeIslands: options.Islands == IslandPolicy.AttachToNearest, options.CutLinks);
        if (graph.Weight.Sum() <= 0) throw new RefusalException(Note.Of("sectors.refused_zero_workload"));
        progress?.Report(0.1);

        var n = units.Count;
        var index = PlanEvaluator.IndexOf(units);
        var notes = new List<Note>();
        var fixedSector = Enumerable.Repeat(-1, n).ToArray();
        var islandComponents = Enumerable.Range(0, graph.ComponentCount).Where(c => c != graph.MainComponent)
            .OrderBy(c => Array.IndexOf(graph.Component, c)).ToList();
        var islandIds = islandComponents.Select(c => Enumerable.Range(0, n).Where(i => graph.Component[i] == c).Select(i => units[i].Id).ToList()).ToList();
        var fixedWeights = new List<(double, bool)>();
        var kMain = k;
        if (islandComponents.Count > 0)
        {
            switch (options.Islands)
            {
                case IslandPolicy.Refuse:
                    throw new RefusalException(Note.Of("sectors.refused_islands",
                        ("islands", islandComponents.Count), ("blocks", string.Join("; ", islandIds.Select(ids => PlanEvaluator.Ids(ids, 5))))));
                case IslandPolicy.OwnSector:
                    if (islandComponents.Count >= k)
                        throw new RefusalException(Note.Of("sectors.refused_islands_own", ("islands", islandComponents.Count), ("sectors", k)));
                    kMain = k - islandComponents.Count;
                    for (var c = 0; c < islandComponents.Count; c++)
                    {
                        var s = kMain + c;
                        var w = 0.0;
                        for (var i = 0; i < n; i++)
                            if (graph.Component[i] == islandComponents[c]) { fixedSector[i] = s; w += graph.Weight[i]; }
                        fixedWeights.Add((w, true));
                        notes.Add(Note.Of("sectors.island_own", ("blocks", islandIds[c]), ("sector", s)));
                    }
                    break;
            }
        }

        var prev = PlanEvaluator.Previous(units, options.PreviousPlan, out var unknownPrevious);
        for (var i = 0; i < n; i++) if (prev[i] >= k) prev[i] = -1;
        if (unknownPrevious > 0) notes.Add(Note.Of("sectors.previous_unknown", ("count", unknownPrevious)));

        // Locks: named blocks, and whole sectors of the previous plan.
        var locks = new Dictionary<string, int>(StringComparer.Ordinal);
        if (options.LockedSectors is { Count: > 0 } lockedSectors)
        {
            if (options.PreviousPlan is null) throw new RefusalException(Note.Of("sectors.refused_locked_no_previous"));
            foreach (var s in lockedSectors)
            {
                if (s < 0 || s >= k) throw new RefusalException(Note.Of("sectors.refused_locked_sector", ("sector", s), ("last", k - 1)));
                foreach (var (id, ps) in options.PreviousPlan) if (ps == s && index.ContainsKey(id)) locks[id] = s;
            }
        }
        if (options.LockedBlocks is not null)
        {
            var unknown = options.LockedBlocks.Keys.Where(id => !index.ContainsKey(id)).Order(StringComparer.Ordinal).ToList();
            if (unknown.Count > 0) throw new RefusalException(Note.Of("sectors.refused_locked_unknown", ("blocks", unknown)));
            foreach (var (id, s) in options.LockedBlocks)
            {
                if (s < 0 || s >= k) throw new RefusalException(Note.Of("sectors.refused_lock_range", ("block", id), ("sector", s), ("last", k - 1)));
                if (locks.TryGetValue(id, out var other) && other != s)
                    throw new RefusalException(Note.Of("sectors.refused_lock_twice", ("block", id), ("sector", s), ("other", other)));
                locks[id] = s;
            }
        }
        foreach (var (id, s) in locks.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            var i = index[id];
            if (fixedSector[i] >= 0 && fixedSector[i] != s)
                throw new RefusalException(Note.Of("sectors.refused_lock_island", ("block", id), ("sector", s), ("own", fixedSector[i])));
            if (fixedSector[i] < 0 && s >= kMain)
                throw new RefusalException(Note.Of("sectors.refused_lock_island_sector", ("block", id), ("sector", s)));
            fixedSector[i] = s;
        }
        for (var s = 0; s < kMain; s++)
        {
            var locked = Enumerable.Range(0, n).Where(i => fixedSector[i] == s).ToList();
            if (locked.Count == 0) continue;
            var sector = s;
            if (!graph.IsConnected(locked, j => fixedSector[j] == sector))
                throw new RefusalException(Note.Of("sectors.refused_locks_apart", ("sector", s), ("blocks", locked.Select(i => units[i].Id).ToList())));
            fixedWeights.Add((locked.Sum(i => graph.Weight[i]), false));
        }
        if (locks.Count > 0) notes.Add(Note.Of("sectors.locked", ("count", locks.Count)));

        // Seeds: the block under each point, or the nearest one.
        var seedBlocks = Enumerable.Repeat(-1, k).ToArray();
        if (options.Seeds is { Count: > 0 } seeds)
        {
            if (seeds.Count > kMain) throw new RefusalException(Note.Of("sectors.refused_seeds_count", ("given", seeds.Count), ("sectors", kMain)));
            for (var s = 0; s < seeds.Count; s++)
            {
                var (x, y) = Crs.Transform(seeds[s].X, seeds[s].Y, Crs.Wgs84, graph.Zone);
                var b = Enumerable.Range(0, n).FirstOrDefault(i => units[i].Geometry.Covers(seeds[s]), -1);
                if (b < 0) b = Enumerable.Range(0, n).MinBy(i => (Math.Pow(graph.X[i] - x, 2) + Math.Pow(graph.Y[i] - y, 2), i));
                if (fixedSector[b] >= 0 && fixedSector[b] != s)
                    notes.Add(Note.Of("sectors.seed_on_fixed", ("seed", s), ("block", units[b].Id), ("fixed", fixedSector[b])));
                else if (Array.IndexOf(seedBlocks, b) >= 0)
                    notes.Add(Note.Of("sectors.seed_shared", ("seed", s), ("block", units[b].Id)));
                else seedBlocks[s] = b;
            }
        }

        // Centres fixed by the chief: travel from the point, growth from the block under it.
        var centres = options.Centres ?? [];
        if (centres.Count > kMain) throw new RefusalException(Note.Of("sectors.refused_centres_count", ("given", centres.Count), ("sectors", kMain)));
        var fixedOrigin = Enumerable.Repeat(-1, k).ToArray();
        for (var s = 0; s < centres.Count; s++)
        {
            if (centres[s] is null || centres[s].IsEmpty || !double.IsFinite(centres[s].X) || !double.IsFinite(centres[s].Y))
                throw new RefusalException(Note.Of("sectors.refused_centre_not_point", ("centre", s)));
            fixedOrigin[s] = n + s;
            var (x, y) = Crs.Transform(centres[s].X, centres[s].Y, Crs.Wgs84, graph.Zone);
            var b = Enumerable.Range(0, n).FirstOrDefault(i => units[i].Geometry.Covers(centres[s]), -1);
            if (b < 0) b = Enumerable.Range(0, n).MinBy(i => (Math.Pow(graph.X[i] - x, 2) + Math.Pow(graph.Y[i] - y, 2), i));
            if (fixedSector[b] < 0 && Array.IndexOf(seedBlocks, b) < 0) seedBlocks[s] = b;
        }
        var travel = new TravelCost(graph, centres, options.Streets, options.StraightLineKmh);
        if (travel.OffNetwork > 0) notes.Add(Notes.OffNetwork(travel.OffNetwork));
        var response = options.Objective == SectorObjective.Response
            ? new PartitionSearch.ResponseSetup(travel, fixedOrigin, options.CompactnessWeight * 60 / 1000)
            : null;

        // Attempts: the first always runs; the others while the budget lasts.
        var search = new PartitionSearch(graph, k, fixedSector, prev, seedBlocks, options.TargetDeviation, options.StayCloseWeight, ct, response, shares);
        PartitionSearch.Result? best = null;
        var ran = 0;
        for (var a = 0; a < options.Attempts; a++)
        {
            if (a > 0 && clock.Elapsed > options.TimeBudget) break;
            var random = new Random(unchecked(options.Seed * 1_000_003 + a * 7_919));
            var result = search.Run(random);
            ran++;
            if (best is null || result.BetterThan(best, options.TargetDeviation)) best = result;
            progress?.Report(0.1 + 0.8 * (a + 1) / options.Attempts);
        }
        PolishFigures? polish = null;
        if (response is not null && options.PolishSeconds > 0 && best!.Origins is { } origins)
        {
            // Polish, re-centre each free sector at its 1-median, polish again while that shortens the plan.
            var polishClock = Stopwatch.StartNew();
            var total = graph.Weight.Sum();
            var targets = Enumerable.Range(0, k).Select(s => shares is null ? total / k : total * shares[s] / shares.Sum()).ToArray();
            var heuristic = best.Travel;
            var current = best.Travel;
            for (var round = 0; round < 3; round++)
            {
                var left = TimeSpan.FromSeconds(options.PolishSeconds) - polishClock.Elapsed;
                if (left <= TimeSpan.FromSeconds(0.2)) break;
                var rows = origins.Select(travel.Row).ToArray();
                var (polished, figures) = Polish.Run(graph, k, best.Part, origins, rows, targets, Math.Max(options.TargetDeviation, best.MaxDeviation),
                    fixedSector, current, left);
                var kept = polished is not null && figures.Improved
                    && Enumerable.Range(0, k).All(s => graph.IsConnected(Enumerable.Range(0, n).Where(i => polished[i] == s).ToList(), j => polished[j] == s));
                // The figures of the last polish that was kept (or of the first one).
                if (kept || polish is null)
                    polish = figures with { HeuristicMinutes = heuristic / 60, ElapsedMs = polishClock.Elapsed.TotalMilliseconds, Improved = kept || polish?.Improved == true };
                else polish = polish with { ElapsedMs = polishClock.Elapsed.TotalMilliseconds };
                if (!kept) break;
                current = figures.ObjectiveMinutes!.Value * 60;
                var next = (int[])origins.Clone();
                for (var s = 0; s < k; s++)
                    if (fixedOrigin[s] < 0) next[s] = travel.BestCentre(Enumerable.Range(0, n).Where(i => polished![i] == s).ToList(), graph.Weight, origins[s]);
                best = best with { Part = polished!, Origins = origins };
                if (next.SequenceEqual(origins)) break;
                var recentred = 0.0;
                for (var i = 0; i < n; i++) recentred += graph.Weight[i] * travel.Row(next[polished![i]])[i];
                if (recentred >= current - 1e-6) break;
                origins = next;
                current = recentred;
                best = best with { Origins = origins };
            }
            notes.Add(Notes.Polished(polish!));
        }
        if (ran < options.Attempts)
            notes.Add(Note.Of("sectors.budget_short", ("budget", options.TimeBudget.TotalSeconds), ("ran", ran), ("attempts", options.Attempts)));

        var report = PlanEvaluator.Build(graph, units, best!.Part, prev, options.Seed, fixedWeights, notes,
            islandsByNecessity: options.Islands == IslandPolicy.AttachToNearest, shares);
        report = report with
        {
            Objective = options.Objective,
            Travel = PlanEvaluator.TravelOf(graph, units, best.Part, travel, fixedOrigin, best.Origins),
            Polish = polish,
        };
        if (response is not null && options.CutLinks is null)
        {
            var (bound, boundNote) = ResponseBound.Of(graph, travel, fixedOrigin, shares, options.TargetDeviation, report);
            report = report with { Bound = bound };
            notes.Add(boundNote);
        }
        var tolerance = options.TargetDeviation * 100;
        // Blocks that cut the graph: the light parts behind one go with it (equal targets, nothing fixed).
        // (The report's bound has it already; the note names the hub when no single block explains the bound.)
        var mean = graph.Weight.Sum() / k;
        var (hostage, hostageBound) = shares is null && fixedSector.All(f => f < 0) && k > 1 && k < n ? graph.HostageBound(mean, options.TargetDeviation) : (null, 0);
        if (report.MaxDeviationPct > tolerance + 1e-9 && hostage is not null && hostageBound * 100 > tolerance
            && hostageBound * 100 >= report.BalanceBoundPct - 1e-9 && hostageBound > (graph.Weight.Max() - mean) / mean + 1e-9)
            notes.Add(Note.Of("sectors.balance_bound_hub", ("bound", hostageBound * 100), ("deviation", report.MaxDeviationPct),
                ("block", units[hostage.Hub].Id), ("count", hostage.Hanging.Count), ("blocks", hostage.Hanging.Select(i => units[i].Id).ToList()),
                ("weight", hostage.Weight), ("target", mean)));
        else if (report.MaxDeviationPct > tolerance + 1e-9)
            notes.Add(report.BalanceBoundPct > tolerance
                ? Note.Of("sectors.balance_bound", ("bound", report.BalanceBoundPct), ("deviation", report.MaxDeviationPct))
                : Note.Of("sectors.balance_missed", ("tolerance", tolerance), ("deviation", report.MaxDeviationPct)));
        var assignment = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++) assignment[units[i].Id] = best.Part[i];
        progress?.Report(1);
        return new Plan(assignment, report with { ElapsedMs = clock.Elapsed.TotalMilliseconds });
    }

    /// <summary>The notes of the partition, one small method per kind.</summary>
    internal static class Notes
    {
        // The solver gives its bound and gap whenever it gives an objective.
        public static Note Polished(PolishFigures p) => p is { ObjectiveMinutes: { } value, BoundMinutes: { } bound, GapPct: { } gap }
            ? Note.Of(p.Improved ? "sectors.polish_kept" : "sectors.polish_not_better", ("solver", p.Solver), ("status", p.Status),
                ("seconds", p.ElapsedMs / 1000), ("value", value), ("heuristic", p.HeuristicMinutes), ("bound", bound), ("gap", gap))
            : Note.Of("sectors.polish_no_solution", ("solver", p.Solver), ("status", p.Status), ("seconds", p.ElapsedMs / 1000));

        public static Note OffNetwork(int blocks) => Note.Of("sectors.off_network", ("count", blocks));
    }
}
