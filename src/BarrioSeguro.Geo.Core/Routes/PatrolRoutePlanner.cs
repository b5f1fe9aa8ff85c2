using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// Turns a postman tour into a timed patrol route for one shift, with Koper-style hot-spot stops.
/// <list type="bullet">
/// <item>The tour is walked once, and again while one more complete round still fits in the shift
/// (<see cref="RouteOptions.FillShift"/>); a round is never cut, so the route always ends back at the start and every
/// round covers every reachable street.</item>
/// <item>Passing a hot spot becomes a stop when a seeded random share (35-75 %) of the maximum interval has gone by
/// since the last arrival there (the first pass within half of it), so stops fall at unpredictable times.</item>
/// <item>Before each step, each hot spot is checked: if after the step the patrol could no longer arrive there before
/// its deadline (last arrival + <see cref="RouteOptions.MaxIntervalHours"/>, the first one counted from the start), it
/// detours now by the quickest path, stops, and comes back to where it left the tour.</item>
/// <item>Stops last a whole number of minutes drawn from <see cref="RouteOptions.StopMinutes"/>.</item>
/// </list>
/// Intervals are between arrivals, plus the gap from the start to the first arrival and from the last arrival to the end
/// of the route. When a hot spot cannot be kept within the interval (unreachable, too far, too many hot spots), the
/// figures say so and a note explains it; the route is still returned.
/// Deadhead is counted per round: travel on non-required streets, on required streets already walked in the round,
/// and detours.
/// </summary>
public static class PatrolRoutePlanner
{
    /// <summary>Plans the route. <paramref name="tour"/> must come from <paramref name="graph"/>.</summary>
    public static PatrolRoute Plan(PostmanGraph graph, PostmanTour tour, IRouteGeometry geometry, IReadOnlyList<RouteHotspot> hotspots, RouteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(tour);
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(hotspots);
        options ??= new RouteOptions();
        if (options.StopMinutes.Min < 0 || options.StopMinutes.Max < options.StopMinutes.Min)
            throw new ArgumentException("StopMinutes must be a range 0 <= min <= max", nameof(options));
        if (!(options.SpeedKmh > 0)) throw new ArgumentException("SpeedKmh must be positive", nameof(options));
        foreach (var h in hotspots)
            if (h.Node < 0 || h.Node >= graph.NodeCount) throw new ArgumentException($"hot spot {h.Id} is at node {h.Node}, not in the graph", nameof(hotspots));
        return new Walker(graph, tour, geometry, hotspots, options).Run();
    }

    private sealed class Walker
    {
        private readonly PostmanGraph g;
        private readonly PostmanTour tour;
        private readonly IRouteGeometry geo;
        private readonly IReadOnlyList<RouteHotspot> spots;
        private readonly RouteOptions o;
        private readonly Random rng;
        private readonly double[] meters, seconds;
        private readonly LineString?[] lines;
        private readonly GeometryFactory factory = new();
        private readonly List<TrackPoint> track = [];
        private readonly List<RouteStop> stops = [];
        private readonly List<RouteLeg> legs = [];
        private readonly List<Note> notes = [];
        private readonly double[] lastArrival, threshold;
        private readonly List<double>[] arrivals;
        private readonly double[][] toSpot;
        private readonly int[][] nextToSpot;
        private readonly double maxInterval;
        private readonly HashSet<int> coveredInRound = [];
        private readonly HashSet<int> coveredEver = [];
        private double now;

        public Walker(PostmanGraph graph, PostmanTour t, IRouteGeometry geometry, IReadOnlyList<RouteHotspot> hotspots, RouteOptions options)
        {
            g = graph; tour = t; geo = geometry; spots = hotspots; o = options;
            rng = new Random(options.Seed);
            maxInterval = options.MaxIntervalHours * 3600;
            var m = g.Edges.Count;
            meters = new double[m];
            seconds = new double[m];
            lines = new LineString?[m];
            for (var e = 0; e < m; e++)
            {
                lines[e] = geo.Edge(e);
                var line = lines[e] ?? factory.CreateLineString([geo.Node(g.Edges[e].From), geo.Node(g.Edges[e].To)]);
                lines[e] = line;
                meters[e] = geo.Epsg == Crs.Wgs84 ? Measure.LengthMeters(line) : line.Length;
                seconds[e] = o.EdgeSeconds?.Invoke(e) ?? meters[e] / (o.SpeedKmh / 3.6);
            }
            lastArrival = new double[spots.Count];
            threshold = new double[spots.Count];
            arrivals = new List<double>[spots.Count];
            toSpot = new double[spots.Count][];
            nextToSpot = new int[spots.Count][];
            var reverse = ReverseArcs();
            for (var h = 0; h < spots.Count; h++)
            {
                arrivals[h] = [];
                threshold[h] = rng.NextDouble() * 0.5 * maxInterval;
                (toSpot[h], nextToSpot[h]) = Dijkstra(reverse, spots[h].Node);
            }
        }

        public PatrolRoute Run()
        {
            var shift = o.ShiftHours * 3600;
            var roundSeconds = tour.EdgeSequence.Sum(s => seconds[PostmanTour.EdgeOf(s)]);
            var at = tour.Start;
            track.Add(new TrackPoint(geo.Node(at), 0));
            var rounds = 0;
            do
            {
                rounds++;
                coveredInRound.Clear();
                foreach (var step in tour.EdgeSequence)
                {
                    Visit(at);
                    Detours(at, step);
                    at = Walk(step, detour: false);
                }
                Visit(at);
            }
            while (o.FillShift && tour.EdgeSequence.Count > 0 && now + roundSeconds <= shift);
            if (tour.EdgeSequence.Count == 0) notes.Add(Note.Of("route.tour_empty"));
            if (now > shift) notes.Add(Note.Of("route.round_longer", ("minutes", now / 60), ("shift", o.ShiftHours)));
            return new PatrolRoute(o.Name, geo.Epsg, o.ShiftStart, track, stops, legs, Figures(rounds), notes);
        }

        /// <summary>Natural stops at hot spots on this node.</summary>
        private void Visit(int node)
        {
            for (var h = 0; h < spots.Count; h++)
                if (spots[h].Node == node && now - lastArrival[h] >= threshold[h]) Stop(h, detour: false);
        }

        private void Detours(int at, int step)
        {
            var (_, next) = Ends(step);
            var after = now + seconds[PostmanTour.EdgeOf(step)];
            for (var h = 0; h < spots.Count; h++)
            {
                var deadline = lastArrival[h] + maxInterval;
                if (!double.IsFinite(toSpot[h][at]) || now > deadline) continue;   // hopeless: reported in the figures
                // Leave early by one longest stop: another hot spot's stop on the way must not make this one late.
                if (after + toSpot[h][next] <= deadline - o.StopMinutes.Max * 60) continue;
                if (spots[h].Node == at) { Stop(h, detour: false); continue; }
                var path = new List<int>();
                for (var v = at; v != spots[h].Node; v = Ends(nextToSpot[h][v]).To) path.Add(nextToSpot[h][v]);
                foreach (var s in path) Walk(s, detour: true);
                Stop(h, detour: true);
                // stops of other hot spots at the same place
                Visit(spots[h].Node);
                for (var i = path.Count - 1; i >= 0; i--) Walk(path[i], detour: true, back: true);
            }
        }

        private void Stop(int h, bool detour)
        {
            var minutes = rng.Next(o.StopMinutes.Min, o.StopMinutes.Max + 1);
            var pos = geo.Node(spots[h].Node);
            stops.Add(new RouteStop(spots[h].Id, spots[h].Name, pos, now, minutes, detour));
            arrivals[h].Add(now);
            lastArrival[h] = now;
            threshold[h] = (0.35 + 0.4 * rng.NextDouble()) * maxInterval;
            now += minutes * 60;
            track.Add(new TrackPoint(pos, now));
        }

        /// <summary>Walks a step (or, with <paramref name="back"/>, the reverse of a detour step); returns the node reached.</summary>
        private int Walk(int step, bool detour, bool back = false)
        {
            var e = PostmanTour.EdgeOf(step);
            var forward = PostmanTour.IsForward(step) ^ back;
            var edge = g.Edges[e];
            var deadhead = detour || !edge.Required || !coveredInRound.Add(e);
            if (edge.Required) coveredEver.Add(e);
            var coords = lines[e]!.Coordinates;
            if (!forward) coords = coords.Reverse().ToArray();
            var total = meters[e];
            var planar = 0.0;
            for (var i = 1; i < coords.Length; i++) planar += coords[i - 1].Distance(coords[i]);
            var t0 = now;
            var run = 0.0;
            for (var i = 1; i < coords.Length; i++)
            {
                run += coords[i - 1].Distance(coords[i]);
                var share = planar > 0 ? run / planar : 1;
                track.Add(new TrackPoint(coords[i], t0 + share * seconds[e]));
            }
            now = t0 + seconds[e];
            legs.Add(new RouteLeg(PostmanTour.Step(e, forward), t0, now, total, deadhead, detour));
            return forward ? edge.To : edge.From;
        }

        private RouteFigures Figures(int rounds)
        {
            var length = legs.Sum(l => l.LengthMeters);
            var dead = legs.Where(l => l.Deadhead).Sum(l => l.LengthMeters);
            double requiredAll = 0, requiredCovered = 0;
            for (var e = 0; e < g.Edges.Count; e++)
            {
                if (!g.Edges[e].Required) continue;
                requiredAll += meters[e];
                if (coveredEver.Contains(e)) requiredCovered += meters[e];
            }
            var visits = new List<HotspotVisits>();
            for (var h = 0; h < spots.Count; h++)
            {
                var times = arrivals[h];
                var gaps = new List<double>();
                var prev = 0.0;
                foreach (var t in times) { gaps.Add((t - prev) / 60); prev = t; }
                gaps.Add((now - prev) / 60);
                var max = gaps.Max();
                var ok = max <= o.MaxIntervalHours * 60 + 1e-6;
                if (!ok)
                    notes.Add(double.IsFinite(toSpot[h][tour.Start])
                        ? Note.Of("route.hotspot_interval_missed", ("name", spots[h].Name), ("gap", max), ("max", o.MaxIntervalHours * 60))
                        : Note.Of("route.hotspot_unreachable", ("name", spots[h].Name)));
                visits.Add(new HotspotVisits(spots[h].Id, spots[h].Name, times.Select(t => t / 60).ToList(), gaps, max, ok));
            }
            return new RouteFigures(
                length / 1000,
                now / 60,
                length > 0 ? 100 * dead / length : 0,
                requiredAll > 0 ? 100 * requiredCovered / requiredAll : 100,
                rounds,
                visits);
        }

        private (int From, int To) Ends(int step)
        {
            var e = g.Edges[PostmanTour.EdgeOf(step)];
            return PostmanTour.IsForward(step) ? (e.From, e.To) : (e.To, e.From);
        }

        /// <summary>For each node, the arcs arriving at it: (from node, forward step code, seconds).</summary>
        private List<(int From, int Step, double Cost)>[] ReverseArcs()
        {
            var rev = new List<(int, int, double)>[g.NodeCount];
            for (var v = 0; v < g.NodeCount; v++) rev[v] = [];
            for (var e = 0; e < g.Edges.Count; e++)
            {
                var edge = g.Edges[e];
                rev[edge.To].Add((edge.From, PostmanTour.Step(e, true), seconds[e]));
                if (!edge.OneWay) rev[edge.From].Add((edge.To, PostmanTour.Step(e, false), seconds[e]));
            }
            return rev;
        }

        /// <summary>Time from every node to <paramref name="target"/> and the first step of that quickest path.</summary>
        private static (double[] Dist, int[] Next) Dijkstra(List<(int From, int Step, double Cost)>[] rev, int target)
        {
            var n = rev.Length;
            var dist = new double[n];
            var next = new int[n];
            Array.Fill(dist, double.PositiveInfinity);
            Array.Fill(next, int.MinValue);
            dist[target] = 0;
            var heap = new PriorityQueue<int, double>();
            heap.Enqueue(target, 0);
            while (heap.TryDequeue(out var v, out var dv))
            {
                if (dv > dist[v]) continue;
                foreach (var (from, step, cost) in rev[v])
                {
                    var nd = dv + cost;
                    if (nd < dist[from]) { dist[from] = nd; next[from] = step; heap.Enqueue(from, nd); }
                }
            }
            return (dist, next);
        }
    }
}
