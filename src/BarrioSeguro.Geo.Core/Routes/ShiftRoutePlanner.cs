using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>One shift of a coverage cycle: the day (1-based), the shift code, the route's name and when the shift starts.</summary>
public sealed record CycleSlot(int Day, string Shift, string Name, DateTimeOffset Start);

/// <summary>The route of one shift of the cycle, with the length of streets it walks first in the pass and the share walked by its end.</summary>
/// <param name="CoveredPct">Share (%) of the sector's reachable streets walked in the cycle by the end of this shift.</param>
public sealed record CycleRoute(CycleSlot Slot, PatrolRoute Route, double NewStreetsMeters, double CoveredPct);

/// <summary>
/// A sector's coverage cycle: a route per shift of the cycle; how many shifts a full pass takes when each gives it all
/// its free time (<paramref name="ShiftsForFullPass"/>, null when no number does); whether the cycle walks every
/// reachable street; the deadhead of the pass work (reaching the pieces, repeats within them).
/// </summary>
/// <param name="ShiftsUsed">Shifts of the cycle that walk new streets of the pass.</param>
/// <param name="ReachableMeters">The sector's streets a closed walk reaches and one shift can walk and come back from.</param>
/// <param name="OutOfReach">Required edges left out: unreachable by the tour, or too far for one shift.</param>
public sealed record CoverageCycle(
    IReadOnlyList<CycleRoute> Routes, int? ShiftsForFullPass, int ShiftsUsed, bool Covered, double StreetsMeters, double ReachableMeters,
    double CoveredMeters, double PassMeters, double PassMinutes, double DeadheadMeters, IReadOnlyList<int> OutOfReach, IReadOnlyList<Note> Notes)
{
    /// <summary>Patrol minutes the pass takes when each shift gives it all its free time (the <see cref="ShiftsForFullPass"/> shifts).</summary>
    public double FewestPassMinutes { get; init; }
}

/// <summary>
/// Shift routes that always fit, and a coverage cycle that walks every reachable street of a sector.
/// <list type="bullet">
/// <item>A route never runs longer than <see cref="RouteOptions.PatrolMinutes"/>: no step is taken unless the patrol can
/// still get back to the start in time, so it ends at the start by the end of the patrol.</item>
/// <item>Hot spots: a stop of <see cref="RouteOptions.StopMinutes"/> at each, the next one due at a seeded random share
/// (55-90 %) of <see cref="RouteOptions.MaxIntervalHours"/> after the last (the first at 20-60 % of it), and never
/// later than the limit where the spot is within reach: a step is refused if it would leave the spot out of reach in
/// time. When the two rules clash the patrol time is kept and the route says by how much the interval was missed.</item>
/// <item>When the hot-spot rule holds the pass up (a shift spends less than half its share on it), the next shifts walk
/// their piece first, for up to half the patrol, without going back to the hot spots; their routes say by how much the
/// interval is missed (kept: street coverage).</item>
/// <item>The pass: the sector's postman tour (the least-deadhead closed walk of its streets) is cut into shift-sized
/// pieces; each shift walks on from where the last one left off, for at most its share of the pass, then patrols.</item>
/// <item>Preventive patrol: the rest of the time goes to the streets of highest priority, (1 + incident weight) ×
/// (shifts since last walked in the cycle), over the time to reach them; streets walked in the shift count less.</item>
/// </list>
/// </summary>
public static class ShiftRoutePlanner
{
    /// <summary>Plans the cycle of a sector: one route per slot. <paramref name="tour"/> must come from <paramref name="graph"/>.</summary>
    /// <param name="edgeWeight">Incident weight near each edge (any non-negative scale), or null.</param>
    public static CoverageCycle PlanCycle(
        PostmanGraph graph, PostmanTour tour, IRouteGeometry geometry, IReadOnlyList<RouteHotspot> hotspots, RouteOptions options,
        IReadOnlyList<CycleSlot> slots, IReadOnlyList<double>? edgeWeight = null)
    {
        var net = Prepare(graph, tour, geometry, hotspots, options, edgeWeight);
        if (slots.Count == 0) throw new RefusalException(Note.Of("route.refused_no_shift"), nameof(slots));
        var (fewest, fewestMinutes) = net.FewestShifts(Math.Max(4 * slots.Count, 60));
        var totalPass = tour.EdgeSequence.Sum(s => net.Seconds[PostmanTour.EdgeOf(s)]);
        // Spread the pass over the cycle: the smallest share per shift (tried in growing steps) that still covers it;
        // then larger shares up to the whole free time of each shift, keeping the covering run of least pass deadhead.
        var budget = Math.Max(20 * 60, 1.1 * totalPass / slots.Count);
        CycleRun? run = null;
        for (var attempt = 0; attempt < 8 && fewest is not null; attempt++, budget *= 1.35)
        {
            run = net.Run(slots, budget, stopWhenCovered: false);
            if (run.Covered) break;
        }
        var whole = net.Run(slots, double.PositiveInfinity, stopWhenCovered: false);
        if (run is not { Covered: true }) run = whole;
        else
            foreach (var larger in new[] { 2 * budget, 4 * budget, double.PositiveInfinity })
            {
                var other = double.IsPositiveInfinity(larger) ? whole : net.Run(slots, larger, stopWhenCovered: false);
                if (other.Covered && other.PassDeadheadMeters < run.PassDeadheadMeters) run = other;
            }
        var notes = new List<Note>();
        if (net.OutOfShiftReach.Count > 0)
            notes.Add(RouteNotes.StreetsOutOfShiftReach(net.OutOfShiftReach.Count, net.OutOfShiftReach.Sum(e => net.Meters[e]) / 1000, options.PatrolMinutes));
        var coveredPct = net.ReachableMeters > 0 ? 100 * run.CoveredMeters / net.ReachableMeters : 100;
        if (!run.Covered) notes.Add(RouteNotes.CycleNotCovered(coveredPct, slots.Count, fewest));
        else if (fewest is { } f) notes.Add(RouteNotes.CyclePass(f, run.ShiftsUsed, slots.Count));
        var outOfReach = tour.UnreachableRequiredEdges.Concat(net.OutOfShiftReach).Distinct().Order().ToList();
        return new CoverageCycle(run.Routes, fewest, run.ShiftsUsed, run.Covered, net.StreetsMeters, net.ReachableMeters, run.CoveredMeters,
            run.PassMeters, run.PassSeconds / 60, run.PassDeadheadMeters, outOfReach, notes) { FewestPassMinutes = fewestMinutes };
    }

    /// <summary>How many shifts a full pass takes when each shift gives it all its free time (null: not within <paramref name="limit"/>).</summary>
    public static (int? Shifts, double PassMinutes) FewestShifts(
        PostmanGraph graph, PostmanTour tour, IRouteGeometry geometry, IReadOnlyList<RouteHotspot> hotspots, RouteOptions options,
        IReadOnlyList<double>? edgeWeight = null, int limit = 200) =>
        Prepare(graph, tour, geometry, hotspots, options, edgeWeight).FewestShifts(limit);

    private static Network Prepare(
        PostmanGraph graph, PostmanTour tour, IRouteGeometry geometry, IReadOnlyList<RouteHotspot> hotspots, RouteOptions options, IReadOnlyList<double>? edgeWeight)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tour);
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(hotspots);
        ArgumentNullException.ThrowIfNull(options);
        if (options.StopMinutes.Min < 0 || options.StopMinutes.Max < options.StopMinutes.Min)
            throw new RefusalException(Note.Of("route.refused_stop_minutes", ("min", options.StopMinutes.Min), ("max", options.StopMinutes.Max)), nameof(options.StopMinutes));
        if (!(options.SpeedKmh > 0)) throw new RefusalException(Note.Of("route.refused_speed"), nameof(options.SpeedKmh));
        if (!(options.PatrolMinutes > 0))
            throw new RefusalException(Note.Of("route.refused_patrol_time", ("shift", options.ShiftHours * 60), ("break", options.BreakMinutes), ("handover", options.HandoverMinutes)), nameof(options));
        if (options.BreakMinutes < 0 || options.HandoverMinutes < 0) throw new RefusalException(Note.Of("route.refused_break_negative"), nameof(options));
        if (!(options.MaxIntervalHours > 0)) throw new RefusalException(Note.Of("route.refused_interval"), nameof(options.MaxIntervalHours));
        if (edgeWeight is not null && edgeWeight.Count != graph.Edges.Count) throw new ArgumentException("one weight per edge", nameof(edgeWeight));
        foreach (var h in hotspots)
            if (h.Node < 0 || h.Node >= graph.NodeCount) throw new RefusalException(Note.Of("route.refused_hotspot_node", ("hotspot", h.Id), ("node", h.Node)), nameof(hotspots));
        return new Network(graph, tour, geometry, hotspots, options, edgeWeight);
    }

    private sealed record CycleRun(
        IReadOnlyList<CycleRoute> Routes, bool Covered, int ShiftsUsed, int ShiftsToCover, double CoveredMeters, double PassMeters, double PassDeadheadMeters, double PassSeconds);

    /// <summary>What does not change from shift to shift: lengths, times, distances to the start and the hot spots.</summary>
    private sealed class Network
    {
        public readonly PostmanGraph G;
        public readonly PostmanTour Tour;
        public readonly IRouteGeometry Geo;
        public readonly IReadOnlyList<RouteHotspot> Spots;
        public readonly RouteOptions O;
        public readonly double[] Meters, Seconds, Weight;
        public readonly LineString[] Lines;
        public readonly double[] ToStart;
        public readonly double[][] ToSpot;
        public readonly bool[] InPass;
        public readonly List<int> Required = [];
        public readonly List<int> OutOfShiftReach = [];
        public readonly double StreetsMeters, ReachableMeters, Patrol;
        private readonly List<(int To, int Step, double Cost)>[] forward;
        private readonly Dictionary<int, (double[] Dist, int[] Pred)> cache = [];

        public Network(PostmanGraph g, PostmanTour tour, IRouteGeometry geo, IReadOnlyList<RouteHotspot> spots, RouteOptions o, IReadOnlyList<double>? weight)
        {
            G = g; Tour = tour; Geo = geo; Spots = spots; O = o;
            Patrol = o.PatrolMinutes * 60;
            var m = g.Edges.Count;
            Meters = new double[m];
            Seconds = new double[m];
            Lines = new LineString[m];
            var factory = new GeometryFactory();
            for (var e = 0; e < m; e++)
            {
                Lines[e] = geo.Edge(e) ?? factory.CreateLineString([geo.Node(g.Edges[e].From), geo.Node(g.Edges[e].To)]);
                Meters[e] = geo.Epsg == Crs.Wgs84 ? Measure.LengthMeters(Lines[e]) : Lines[e].Length;
                Seconds[e] = o.EdgeSeconds?.Invoke(e) ?? Meters[e] / (o.SpeedKmh / 3.6);
            }
            var maxWeight = weight is { Count: > 0 } ? weight.Max() : 0;
            Weight = new double[m];
            for (var e = 0; e < m; e++) Weight[e] = maxWeight > 0 ? 3 * Math.Max(0, weight![e]) / maxWeight : 0;

            forward = new List<(int, int, double)>[g.NodeCount];
            var reverse = new List<(int From, int Step, double Cost)>[g.NodeCount];
            for (var v = 0; v < g.NodeCount; v++) { forward[v] = []; reverse[v] = []; }
            for (var e = 0; e < m; e++)
            {
                var edge = g.Edges[e];
                forward[edge.From].Add((edge.To, PostmanTour.Step(e, true), Seconds[e]));
                reverse[edge.To].Add((edge.From, PostmanTour.Step(e, true), Seconds[e]));
                if (edge.OneWay) continue;
                forward[edge.To].Add((edge.From, PostmanTour.Step(e, false), Seconds[e]));
                reverse[edge.From].Add((edge.To, PostmanTour.Step(e, false), Seconds[e]));
            }
            ToStart = Reverse(reverse, tour.Start);
            ToSpot = spots.Select(h => Reverse(reverse, h.Node)).ToArray();

            // The pass: the tour's required edges that one shift can reach, walk and come back from.
            InPass = new bool[m];
            var fromStart = From(tour.Start).Dist;
            var inTour = tour.EdgeSequence.Select(PostmanTour.EdgeOf).ToHashSet();
            for (var e = 0; e < m; e++)
            {
                if (!g.Edges[e].Required) continue;
                StreetsMeters += Meters[e];
                if (!inTour.Contains(e)) continue;
                Required.Add(e);
                var edge = g.Edges[e];
                var there = edge.OneWay ? fromStart[edge.From] + Seconds[e] + ToStart[edge.To]
                    : Math.Min(fromStart[edge.From] + Seconds[e] + ToStart[edge.To], fromStart[edge.To] + Seconds[e] + ToStart[edge.From]);
                if (there <= Patrol) { InPass[e] = true; ReachableMeters += Meters[e]; }
                else OutOfShiftReach.Add(e);
            }
        }

        public (int From, int To) Ends(int step)
        {
            var e = G.Edges[PostmanTour.EdgeOf(step)];
            return PostmanTour.IsForward(step) ? (e.From, e.To) : (e.To, e.From);
        }

        /// <summary>Quickest times from a node to every node and the last step of each quickest path (kept for a while).</summary>
        public (double[] Dist, int[] Pred) From(int source)
        {
            if (cache.TryGetValue(source, out var hit)) return hit;
            if (cache.Count > 600) cache.Clear();
            var n = G.NodeCount;
            var dist = new double[n];
            var pred = new int[n];
            Array.Fill(dist, double.PositiveInfinity);
            Array.Fill(pred, int.MinValue);
            dist[source] = 0;
            var heap = new PriorityQueue<int, double>();
            heap.Enqueue(source, 0);
            while (heap.TryDequeue(out var v, out var dv))
            {
                if (dv > dist[v]) continue;
                foreach (var (to, step, cost) in forward[v])
                {
                    var nd = dv + cost;
                    if (nd < dist[to]) { dist[to] = nd; pred[to] = step; heap.Enqueue(to, nd); }
                }
            }
            return cache[source] = (dist, pred);
        }

        /// <summary>The steps of the quickest path from <paramref name="source"/> to <paramref name="target"/>.</summary>
        public List<int> Path(int source, int target)
        {
            var (_, pred) = From(source);
            var path = new List<int>();
            for (var v = target; v != source; v = Ends(pred[v]).From) path.Add(pred[v]);
            path.Reverse();
            return path;
        }

        private static double[] Reverse(List<(int From, int Step, double Cost)>[] rev, int target)
        {
            var dist = new double[rev.Length];
            Array.Fill(dist, double.PositiveInfinity);
            dist[target] = 0;
            var heap = new PriorityQueue<int, double>();
            heap.Enqueue(target, 0);
            while (heap.TryDequeue(out var v, out var dv))
            {
                if (dv > dist[v]) continue;
                foreach (var (from, _, cost) in rev[v])
                {
                    var nd = dv + cost;
                    if (nd < dist[from]) { dist[from] = nd; heap.Enqueue(from, nd); }
                }
            }
            return dist;
        }

        public (int? Shifts, double PassMinutes) FewestShifts(int limit)
        {
            if (Required.Count(e => InPass[e]) == 0) return (0, 0);
            var slots = Enumerable.Range(0, limit).Select(i => new CycleSlot(i + 1, "", O.Name, O.ShiftStart)).ToList();
            var run = Run(slots, double.PositiveInfinity, stopWhenCovered: true);
            return (run.Covered ? run.ShiftsToCover : null, run.PassSeconds / 60);
        }

        public CycleRun Run(IReadOnlyList<CycleSlot> slots, double budget, bool stopWhenCovered)
        {
            var state = new CycleState(G.Edges.Count);
            var left = Required.Count(e => InPass[e]);
            var routes = new List<CycleRoute>();
            double covered = 0, pass = 0, passNew = 0, passSeconds = 0;
            var used = 0;
            var toCover = 0;
            var idle = 0;
            for (var i = 0; i < slots.Count; i++)
            {
                var walker = new ShiftWalker(this, state, slots[i], i, left > 0 ? budget : 0);
                var route = walker.Run();
                covered += walker.NewMeters;
                pass += walker.PassMeters;
                passNew += walker.PassNewMeters;
                passSeconds += walker.PassSeconds;
                left -= walker.NewEdges;
                if (walker.NewEdges > 0) { used++; idle = 0; } else if (left > 0) idle++;
                // The pass held up by the hot-spot rule (less than half its time spent on it): the next shift may break the rule for it.
                // Once held up, always: the same streets stay as far from the hot spots.
                state.Relax |= left > 0 && walker.PassSeconds < 0.5 * Math.Min(budget, Patrol);
                if (left == 0 && toCover == 0) toCover = i + 1;
                routes.Add(new CycleRoute(slots[i], route, walker.NewMeters, ReachableMeters > 0 ? 100 * covered / ReachableMeters : 100));
                if (stopWhenCovered && (left == 0 || idle >= 2)) break;
            }
            return new CycleRun(routes, left == 0, used, toCover, covered, pass, pass - passNew, passSeconds);
        }
    }

    /// <summary>What carries over from shift to shift: when each street was last walked, the pass so far, where the tour was left.</summary>
    private sealed class CycleState(int edges)
    {
        public readonly int[] LastWalked = Fill(edges, -1);
        public readonly bool[] Covered = new bool[edges];
        public int Cursor;

        /// <summary>Set after a shift that found no new street within the hot-spot rule: the next shift's pass may break it.</summary>
        public bool Relax;

        private static int[] Fill(int n, int value)
        {
            var a = new int[n];
            Array.Fill(a, value);
            return a;
        }
    }

    private sealed class ShiftWalker
    {
        private readonly Network net;
        private readonly CycleState state;
        private readonly CycleSlot slot;
        private readonly int index;
        private readonly RouteOptions o;
        private readonly Random rng;
        private readonly double interval, stopMax, stopMin;
        private readonly List<TrackPoint> track = [];
        private readonly List<RouteStop> stops = [];
        private readonly List<RouteLeg> legs = [];
        private readonly List<Note> notes = [];
        private readonly List<RuleMiss> misses = [];
        private readonly double[] last, next;
        private readonly bool[] active, reachable;
        private readonly List<double>[] arrivals;
        private readonly int[] walkedNow, staleness;
        private double budget, now;
        private int at;
        private readonly bool relaxed;
        private double unbroken;

        public double NewMeters { get; private set; }
        public double PassMeters { get; private set; }
        public double PassNewMeters { get; private set; }
        public double PassSeconds { get; private set; }
        public int NewEdges { get; private set; }

        public ShiftWalker(Network network, CycleState cycle, CycleSlot s, int i, double passBudget)
        {
            net = network; state = cycle; slot = s; index = i; o = network.O; budget = passBudget;
            relaxed = cycle.Relax;
            // A held-up pass walks its piece first, for up to half the patrol, without going back to the hot spots.
            unbroken = relaxed ? Math.Min(passBudget, network.Patrol / 2) : 0;
            // Reproducible per plan seed and shift, different from shift to shift.
            rng = new Random(unchecked(o.Seed * 7919 + i * 104729 + 17));
            interval = o.MaxIntervalHours * 3600;
            stopMax = o.StopMinutes.Max * 60;
            stopMin = o.StopMinutes.Min * 60;
            var n = net.Spots.Count;
            last = new double[n];
            next = new double[n];
            active = new bool[n];
            reachable = new bool[n];
            arrivals = new List<double>[n];
            walkedNow = new int[net.G.Edges.Count];
            // Shifts since each street was last walked in the cycle (never: since before the cycle began).
            staleness = state.LastWalked.Select(w => index - w).ToArray();
            at = net.Tour.Start;
            for (var h = 0; h < n; h++)
            {
                arrivals[h] = [];
                next[h] = (0.2 + 0.4 * rng.NextDouble()) * interval;
                var there = net.ToSpot[h][at];
                var back = net.ToStart[net.Spots[h].Node];
                active[h] = reachable[h] = double.IsFinite(there) && there + stopMin + back <= net.Patrol;
                if (!double.IsFinite(there) || !double.IsFinite(back)) notes.Add(RouteNotes.HotspotUnreachable(net.Spots[h].Name));
                else if (!active[h])
                {
                    notes.Add(RouteNotes.HotspotTooFar(net.Spots[h].Name, (there + stopMin + back) / 60, o.PatrolMinutes));
                    misses.Add(new RuleMiss(RuleMiss.PatrolTime, RuleMiss.HotspotVisit, net.Spots[h].Id, o.PatrolMinutes, (there + stopMin + back) / 60));
                }
            }
        }

        private DateTimeOffset Start => slot.Start.AddMinutes(o.HandoverMinutes / 2);

        public PatrolRoute Run()
        {
            track.Add(new TrackPoint(net.Geo.Node(at), 0));
            for (var guard = 0; guard < 1_000_000; guard++)
            {
                // A hot spot whose (random) time has come.
                var due = -1;
                for (var h = 0; h < net.Spots.Count && unbroken <= 0; h++)
                    if (active[h] && now + net.ToSpot[h][at] >= next[h] && (due < 0 || next[h] < next[due])) due = h;
                if (due >= 0) { Visit(First(due)); continue; }

                var blocked = -1;
                var moved = false;
                foreach (var (path, pass, cursor) in Moves())
                {
                    var (ok, by) = Allowed(path, relaxed: pass && unbroken > 0);
                    // The pass held up by a hot spot: stop there first, so the way to the next piece is open the longest.
                    if (!ok && pass && by >= 0 && now - last[by] >= 0.25 * interval) { blocked = by; break; }
                    if (!ok) { if (by >= 0 && blocked < 0) blocked = by; continue; }
                    foreach (var s in path) Walk(s, detour: false, pass);
                    if (pass) state.Cursor = cursor;
                    moved = true;
                    break;
                }
                if (moved) continue;
                if (blocked >= 0) { Visit(First(blocked)); continue; }
                break;
            }
            foreach (var s in net.Path(at, net.Tour.Start)) Walk(s, detour: false, pass: false);
            if (net.Tour.EdgeSequence.Count == 0) notes.Add(RouteNotes.TourEmpty());
            var route = new PatrolRoute(slot.Name, net.Geo.Epsg, Start, track, stops, legs, Figures(), notes)
            {
                PatrolMinutes = o.PatrolMinutes,
                NewStreetsMeters = NewMeters,
                RulesMissed = misses,
            };
            return route;
        }

        /// <summary>Candidate moves, best first: the next piece of the tour while the pass has budget, then preventive patrol.</summary>
        private IEnumerable<(List<int> Path, bool Pass, int Cursor)> Moves()
        {
            var tour = net.Tour.EdgeSequence;
            if (budget > 0 && tour.Count > 0)
            {
                for (var k = 0; k < tour.Count; k++)
                {
                    var j = (state.Cursor + k) % tour.Count;
                    var e = PostmanTour.EdgeOf(tour[j]);
                    if (!net.InPass[e] || state.Covered[e]) continue;
                    var path = net.Path(at, net.Ends(tour[j]).From);
                    path.Add(tour[j]);
                    // From the end of the piece walked so far, a quickest path to the next uncovered step of the tour.
                    yield return (path, true, (j + 1) % tour.Count);
                    break;
                }
            }
            var (dist, _) = net.From(at);
            var best = new List<(double Score, int Step)>();
            foreach (var e in net.Required)
            {
                if (!net.InPass[e]) continue;
                var edge = net.G.Edges[e];
                var fwd = dist[edge.From];
                var bwd = edge.OneWay ? double.PositiveInfinity : dist[edge.To];
                var forward = fwd <= bwd;
                var reach = Math.Min(fwd, bwd);
                if (!double.IsFinite(reach)) continue;
                var stale = staleness[e];
                var priority = (1 + net.Weight[e]) * stale / (1 + 4 * walkedNow[e]);
                best.Add((priority / (reach + net.Seconds[e] + 60), PostmanTour.Step(e, forward)));
            }
            best.Sort((a, b) => b.Score.CompareTo(a.Score));
            foreach (var (_, step) in best.Take(40))
            {
                var path = net.Path(at, net.Ends(step).From);
                path.Add(step);
                yield return (path, false, 0);
            }
        }

        /// <summary>May the patrol take these steps: back at the start in time, and every hot spot still reachable in time?</summary>
        private (bool Ok, int BlockedBy) Allowed(List<int> path, bool relaxed)
        {
            var t = now + path.Sum(s => net.Seconds[PostmanTour.EdgeOf(s)]);
            var y = path.Count > 0 ? net.Ends(path[^1]).To : at;
            if (t + net.ToStart[y] > net.Patrol + 1e-6) return (false, -1);
            var worst = -1;
            var worstSlack = double.PositiveInfinity;
            for (var h = 0; h < net.Spots.Count; h++)
            {
                if (!active[h]) continue;
                var arrive = t + net.ToSpot[h][y];
                if (relaxed)
                {
                    // Even a held-up pass leaves time for one more visit of each hot spot before the end.
                    var end = net.Patrol - (arrive + stopMin + net.ToStart[net.Spots[h].Node]);
                    if (end < 0 && end < worstSlack) { worst = h; worstSlack = end; }
                    continue;
                }
                // Leave room for one other stop on the way, so that another hot spot cannot make this one late.
                var slack = last[h] + interval - stopMax - arrive;
                // Before the end a last visit must still fit when the gap to the end would be too long.
                if (net.Patrol - last[h] > interval)
                    slack = Math.Min(slack, net.Patrol - (arrive + stopMin + net.ToStart[net.Spots[h].Node]));
                if (slack < 0 && slack < worstSlack) { worst = h; worstSlack = slack; }
            }
            if (worst < 0 && Unvisited(y, t) is { } first) worst = first;
            return worst >= 0 ? (false, worst) : (true, -1);
        }

        /// <summary>
        /// The hot spot to visit first when, from <paramref name="y"/> at <paramref name="t"/>, a round of the hot spots not
        /// yet visited in the shift (nearest first) with a stop at each and back to the start no longer fits; else null.
        /// </summary>
        private int? Unvisited(int y, double t)
        {
            var left = Enumerable.Range(0, net.Spots.Count).Where(h => active[h] && arrivals[h].Count == 0).ToList();
            if (left.Count == 0) return null;
            int? first = null;
            var node = y;
            while (left.Count > 0)
            {
                var from = node;
                var h = left.MinBy(k => net.ToSpot[k][from]);
                first ??= h;
                t += net.ToSpot[h][from] + stopMin;
                node = net.Spots[h].Node;
                left.Remove(h);
            }
            return t + net.ToStart[node] > net.Patrol + 1e-6 ? first : null;
        }

        /// <summary>
        /// The hot spot to go to before <paramref name="h"/>: another one that would be late if the patrol went to
        /// <paramref name="h"/> and stopped there first (the most pressed), else <paramref name="h"/>.
        /// </summary>
        private int First(int h)
        {
            var node = net.Spots[h].Node;
            var leave = now + net.ToSpot[h][at] + stopMax;
            var first = h;
            var worst = 0.0;
            for (var k = 0; k < net.Spots.Count; k++)
            {
                if (k == h || !active[k] || net.Spots[k].Node == node) continue;
                var slack = last[k] + interval - (leave + net.ToSpot[k][node]);
                var direct = last[k] + interval - (now + net.ToSpot[k][at]);
                // ... unless going there first leaves no time for h before the end.
                var kNode = net.Spots[k].Node;
                var thenH = now + net.ToSpot[k][at] + stopMax + net.ToSpot[h][kNode] + stopMin + net.ToStart[node];
                if (slack < worst && direct >= 0 && thenH <= net.Patrol) { worst = slack; first = k; }
            }
            return first;
        }

        private void Visit(int h)
        {
            var node = net.Spots[h].Node;
            var there = net.ToSpot[h][at];
            var back = net.ToStart[node];
            if (!double.IsFinite(there) || now + there + stopMin + back > net.Patrol + 1e-6 || last[h] >= now && arrivals[h].Count > 0)
            {
                active[h] = false; // no more visits fit this shift: the gap to the end is reported
                return;
            }
            foreach (var s in net.Path(at, node)) Walk(s, detour: true, pass: false);
            Stop(h, detour: there > 0);
            // Other hot spots at the same place, when their time is near.
            for (var k = 0; k < net.Spots.Count; k++)
                if (k != h && active[k] && net.Spots[k].Node == node && now >= next[k] - 0.25 * interval && now + stopMin + back <= net.Patrol)
                    Stop(k, detour: false);
        }

        private void Stop(int h, bool detour)
        {
            var back = net.ToStart[net.Spots[h].Node];
            var room = (int)Math.Floor((net.Patrol - now - back) / 60 + 1e-9);
            var minutes = Math.Min(rng.Next(o.StopMinutes.Min, o.StopMinutes.Max + 1), room);
            var pos = net.Geo.Node(net.Spots[h].Node);
            stops.Add(new RouteStop(net.Spots[h].Id, net.Spots[h].Name, pos, now, minutes, detour));
            arrivals[h].Add(now);
            last[h] = now;
            next[h] = now + (0.55 + 0.35 * rng.NextDouble()) * interval;
            now += minutes * 60;
            track.Add(new TrackPoint(pos, now));
        }

        private void Walk(int step, bool detour, bool pass)
        {
            var e = PostmanTour.EdgeOf(step);
            var forward = PostmanTour.IsForward(step);
            var edge = net.G.Edges[e];
            var fresh = edge.Required && net.InPass[e] && !state.Covered[e];
            var deadhead = !edge.Required || walkedNow[e] > 0;
            if (edge.Required)
            {
                walkedNow[e]++;
                state.LastWalked[e] = index;
                if (fresh) { state.Covered[e] = true; NewMeters += net.Meters[e]; NewEdges++; }
            }
            var coords = net.Lines[e].Coordinates;
            if (!forward) coords = coords.Reverse().ToArray();
            var planar = 0.0;
            for (var i = 1; i < coords.Length; i++) planar += coords[i - 1].Distance(coords[i]);
            var t0 = now;
            var run = 0.0;
            for (var i = 1; i < coords.Length; i++)
            {
                run += coords[i - 1].Distance(coords[i]);
                track.Add(new TrackPoint(coords[i], t0 + (planar > 0 ? run / planar : 1) * net.Seconds[e]));
            }
            now = t0 + net.Seconds[e];
            legs.Add(new RouteLeg(step, t0, now, net.Meters[e], deadhead, detour));
            at = forward ? edge.To : edge.From;
            if (pass)
            {
                budget -= net.Seconds[e];
                unbroken -= net.Seconds[e];
                PassSeconds += net.Seconds[e];
                PassMeters += net.Meters[e];
                if (fresh) PassNewMeters += net.Meters[e];
            }
        }

        private RouteFigures Figures()
        {
            var length = legs.Sum(l => l.LengthMeters);
            var dead = legs.Where(l => l.Deadhead).Sum(l => l.LengthMeters);
            double all = 0, walked = 0;
            for (var e = 0; e < net.G.Edges.Count; e++)
            {
                if (!net.G.Edges[e].Required) continue;
                all += net.Meters[e];
                if (walkedNow[e] > 0) walked += net.Meters[e];
            }
            var visits = new List<HotspotVisits>();
            for (var h = 0; h < net.Spots.Count; h++)
            {
                var times = arrivals[h];
                var gaps = new List<double>();
                var prev = 0.0;
                foreach (var t in times) { gaps.Add((t - prev) / 60); prev = t; }
                gaps.Add((now - prev) / 60);
                var max = gaps.Max();
                var ok = max <= o.MaxIntervalHours * 60 + 1e-6;
                // A hot spot reachable within the patrol time but left without a visit (or late) is a rule missed.
                if (!ok && (times.Count > 0 || reachable[h]))
                {
                    notes.Add(relaxed
                        ? RouteNotes.HotspotIntervalMissedForStreets(net.Spots[h].Name, max, o.MaxIntervalHours * 60)
                        : RouteNotes.HotspotIntervalMissed(net.Spots[h].Name, max, o.MaxIntervalHours * 60, o.PatrolMinutes));
                    misses.Add(new RuleMiss(relaxed ? RuleMiss.StreetCoverage : RuleMiss.PatrolTime, RuleMiss.HotspotInterval, net.Spots[h].Id, o.MaxIntervalHours * 60, max));
                }
                visits.Add(new HotspotVisits(net.Spots[h].Id, net.Spots[h].Name, times.Select(t => t / 60).ToList(), gaps, max, ok));
            }
            return new RouteFigures(length / 1000, now / 60, length > 0 ? 100 * dead / length : 0, all > 0 ? 100 * walked / all : 100, 0, visits);
        }
    }
}
