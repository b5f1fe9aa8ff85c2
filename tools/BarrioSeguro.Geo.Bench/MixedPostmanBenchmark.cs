using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Bench.Instances;
using BarrioSeguro.Geo.Bench.Peers;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// The mixed postman part of <c>barrio bench routes</c>:
/// <list type="number">
/// <item>the public mixed instances of data/mcpp (Corberán's MA/MB, Yaoyuenyong's graphs, from OARLib): our heuristic
/// alone, our exact solver (integer model, <see cref="TimeLimit"/>), its proven lower bound and the gap. No optimum is
/// published with these files, so the reference is the proven bound (equal to the tour when proven optimal). Target:
/// every exact tour within 1 % of its bound;</item>
/// <item>a real sector, the car network inside the illustrative El Milagro boundary (its largest strongly connected
/// piece): pgr_chinesePostman (directed: every lane of a two-way street is required) beside our directed solver on the
/// same arcs, and our mixed tour (each two-way street once, either way), the problem a patrol car really has.</item>
/// </list>
/// </summary>
public static class MixedPostmanBenchmark
{
    public const double TargetGapPercent = 1.0;
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    /// <summary>Runs both parts; false when the gap target is missed on an instance.</summary>
    public static async Task<bool> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var ok = Instances(options, context, ct);
        ok &= await RealSectorAsync(options, context, ct);
        return ok;
    }

    private static bool Instances(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var folder = MixedPostmanInstance.Folder() ?? throw new CommandFailedException("tools/BarrioSeguro.Geo.Bench/data/mcpp not found: run from the repository");
        var files = Directory.GetFiles(folder).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"mixed postman: {files.Count} public instances (OARLib test_instances), exact time limit {TimeLimit.TotalSeconds:0} s; costs in the files' units"));
        context.Out.WriteLine($"  {"instance",-11} {"nodes",5} {"links",5} {"arcs",5} {"heuristic",10} {"exact",10} {"bound",10} {"proven",6} {"gap %",6} {"heur. %",7} {"time s",7}");
        var ok = true;
        var worstGap = 0.0;
        foreach (var file in files)
        {
            ct.ThrowIfCancellationRequested();
            var instance = MixedPostmanInstance.Read(file);
            var g = instance.Graph;
            var heuristic = ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactTimeLimit = TimeSpan.Zero });
            var clock = Stopwatch.StartNew();
            var exact = ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactTimeLimit = TimeLimit, ExactNodeLimit = null, AcceptUnproven = true });
            var seconds = clock.Elapsed.TotalSeconds;
            var bound = exact.LowerBound ?? 0;
            var gap = bound > 0 ? 100 * (exact.TotalCost - bound) / bound : double.PositiveInfinity;
            var heuristicGap = bound > 0 ? 100 * (heuristic.TotalCost - bound) / bound : double.PositiveInfinity;
            worstGap = Math.Max(worstGap, gap);
            if (!(gap <= TargetGapPercent) || exact.UnreachableRequiredEdges.Count > 0) ok = false;
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {instance.Name,-11} {g.NodeCount,5} {g.Edges.Count,5} {g.Edges.Count(e => e.OneWay),5} {heuristic.TotalCost,10:N0} {exact.TotalCost,10:N0} {bound,10:N0} {(exact.Optimal ? "yes" : "no"),6} {gap,6:0.00} {heuristicGap,7:0.00} {seconds,7:0.00}"));
        }
        return options.Verdicts.Judge(context, "routes", string.Create(CultureInfo.InvariantCulture, $"{files.Count} public mixed instances"), null,
            string.Create(CultureInfo.InvariantCulture, $"every exact tour within {TargetGapPercent:0} % of its proven bound"), ok,
            string.Create(CultureInfo.InvariantCulture, $"worst gap {worstGap:0.00} %"));
    }

    /// <summary>The real sector; false when a database ran pgr_chinesePostman and ours was slower (median ratio below 1)
    /// or found another tour.</summary>
    private static async Task<bool> RealSectorAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var streetsPath = BenchTiming.Geodata("osm/el_milagro_streets_wgs84.geojson")
                          ?? throw new CommandFailedException("geodata/osm/el_milagro_streets_wgs84.geojson not found: run from the repository");
        var boundaryPath = BenchTiming.Geodata("sample/el_milagro_barrio_seguro_illustrative.geojson")
                           ?? throw new CommandFailedException("geodata/sample/el_milagro_barrio_seguro_illustrative.geojson not found: run from the repository");
        var car = StreetGraph.Build(StreetLines.Network(VectorFile.Read(streetsPath)), TravelMode.Car);
        var boundary = Crs.Transform(StreetLines.Geometries(VectorFile.Read(boundaryPath)).Single(), Crs.Wgs84, car.UtmEpsg);
        var sector = Sector.Of(car, boundary);
        var directed = sector.Directed();
        var mixed = sector.Mixed();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"real sector: El Milagro Barrio Seguro (illustrative boundary), car, largest strongly connected piece: {sector.Streets.Count:N0} streets ({sector.Streets.Count(e => e.Oneway):N0} one-way), {sector.Streets.Sum(e => e.LengthMeters) / 1000:0.00} km, {sector.Lanes:N0} lanes; costs in whole milliseconds"));

        var clock = Stopwatch.StartNew();
        var heuristic = ChinesePostman.Solve(mixed, 0, 0, new PostmanOptions { ExactTimeLimit = TimeSpan.Zero });
        var heuristicMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var exact = ChinesePostman.Solve(mixed, 0, 0, new PostmanOptions { ExactTimeLimit = TimeLimit, ExactNodeLimit = null, AcceptUnproven = true });
        var exactMs = clock.Elapsed.TotalMilliseconds;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  BarrioSeguro mixed (each two-way street once): heuristic {heuristic.TotalCost / 60000:N1} min ({heuristicMs:N0} ms), exact {exact.TotalCost / 60000:N1} min ({exactMs:N0} ms), bound {(exact.LowerBound ?? 0) / 60000:N1} min, gap {exact.GapPercent ?? double.NaN:0.00} %, heuristic +{100 * (heuristic.TotalCost - exact.TotalCost) / exact.TotalCost:0.00} %"));

        PostmanTour ours = null!;
        Task Ours() { ours = ChinesePostman.Solve(directed, 0, 0); return Task.CompletedTask; }
        string OursText() => string.Create(CultureInfo.InvariantCulture, $"every lane, tour {ours.TotalCost / 60000:N2} min, optimal {(ours.Optimal ? "yes" : "no")}");
        await using var database = await BenchTiming.OpenPeerAsync(options.Db, ct);
        if (database is null)
        {
            var alone = await BenchTiming.RepeatAsync(options.Runs, Ours);
            context.Out.WriteLine(BenchTiming.Line("BarrioSeguro directed", alone, OursText()));
            context.Out.WriteLine("  pgr_chinesePostman: skipped (no database: give --db CONNECTION or set BARRIO_DB)");
            return true;
        }
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        try { await PgRouting.EnsureAsync(connection, ct); }
        catch (PostgresException e) { throw new CommandFailedException($"pgRouting is not available in the database: {e.MessageText}", e); }
        var version = await PgRouting.VersionAsync(connection, ct);
        await PgRouting.LoadPostmanAsync(connection, sector.Rows(), ct);
        (double Total, int Steps, int Lanes) peer = default;
        var paired = await BenchTiming.InterleaveAsync(options.Runs, Ours, async () => peer = await PgRouting.ChinesePostmanAsync(connection, ct));
        context.Out.WriteLine(BenchTiming.Line("BarrioSeguro directed", paired.Ours, OursText()));
        context.Out.WriteLine(BenchTiming.Line($"pgr_chinesePostman {version}", paired.Peer, string.Create(CultureInfo.InvariantCulture,
            $"same lanes, tour {peer.Total / 60000:N2} min, {peer.Steps:N0} steps, {peer.Lanes:N0} of {sector.Lanes:N0} lanes walked")));
        context.Out.WriteLine(paired.RatioText("pgRouting"));
        if (peer.Total <= 0) context.Out.WriteLine("  pgr_chinesePostman returned no tour");
        else
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  tour cost ours / pgRouting {ours.TotalCost / peer.Total:0.00000}; the mixed tour (each two-way street once) is {100 * (1 - exact.TotalCost / peer.Total):0.0} % shorter than the directed one"));
        var same = peer.Total > 0 && Math.Abs(ours.TotalCost / peer.Total - 1) <= 1e-4;
        return options.Verdicts.Judge(context, "routes", "El Milagro car sector, every lane", paired,
            "the same tour as pgr_chinesePostman, at least as fast (ratio >= 1)", same && paired.Meets(1),
            string.Create(CultureInfo.InvariantCulture, $"median ratio {paired.MedianRatio:N2}, tour {(same ? "the same" : "DIFFERENT")}"));
    }

    /// <summary>
    /// The car streets of a sector: edges with their midpoint inside the boundary, largest strongly connected piece,
    /// nodes renumbered, travel times in whole milliseconds (pgr_chinesePostman 3.4 returns an empty set on fractional
    /// costs). A street parallel to an earlier one (same two nodes) is split in two at a new node, because
    /// pgr_chinesePostman merges parallel edges and would leave one out; the split changes no cost.
    /// </summary>
    private sealed record Sector(List<GraphEdge> Streets, List<(int From, int To, long Forward, long Backward)> Links, int NodeCount)
    {
        public static Sector Of(StreetGraph graph, Geometry boundary)
        {
            var inside = graph.Edges.Where(e => boundary.Contains(e.Geometry.Centroid)).ToList();
            var arcs = new Dictionary<int, List<int>>();
            void Arc(int a, int b) { if (!arcs.TryGetValue(a, out var l)) arcs[a] = l = []; l.Add(b); }
            foreach (var e in inside)
            {
                if (double.IsFinite(e.ForwardSeconds)) Arc(e.From, e.To);
                if (double.IsFinite(e.BackwardSeconds)) Arc(e.To, e.From);
            }
            var component = StrongComponents(arcs);
            var largest = component.GroupBy(kv => kv.Value).MaxBy(x => x.Count())!.Key;
            var kept = inside.Where(e => component.GetValueOrDefault(e.From, -1) == largest && component.GetValueOrDefault(e.To, -1) == largest).ToList();
            var ids = new Dictionary<int, int>();
            int Id(int v) { if (!ids.TryGetValue(v, out var i)) ids[v] = i = ids.Count; return i; }
            static long Ms(double seconds) => double.IsFinite(seconds) ? Math.Max(1, (long)Math.Round(seconds * 1000)) : -1;
            var links = new List<(int, int, long, long)>();
            var pairs = new HashSet<(int, int)>();
            var extra = 0;
            foreach (var e in kept)
            {
                var (a, b) = (Id(e.From), Id(e.To));
                var (f, r) = (Ms(e.ForwardSeconds), Ms(e.BackwardSeconds));
                if (pairs.Add((Math.Min(a, b), Math.Max(a, b)))) { links.Add((a, b, f, r)); continue; }
                var m = -(++extra); // numbered after the real nodes below
                links.Add((a, m, f < 0 ? -1 : f / 2, r < 0 ? -1 : r / 2));
                links.Add((m, b, f < 0 ? -1 : f - f / 2, r < 0 ? -1 : r - r / 2));
            }
            var n = ids.Count;
            links = links.Select(l => (l.Item1 < 0 ? n - 1 - l.Item1 : l.Item1, l.Item2 < 0 ? n - 1 - l.Item2 : l.Item2, l.Item3, l.Item4)).ToList();
            return new Sector(kept, links, n + extra);
        }

        /// <summary>Every lane a car may drive, each required once (what pgr_chinesePostman solves).</summary>
        public PostmanGraph Directed()
        {
            var edges = new List<PostmanEdge>();
            foreach (var (a, b, f, r) in Links)
            {
                if (f > 0) edges.Add(new PostmanEdge(a, b, f, true, true));
                if (r > 0) edges.Add(new PostmanEdge(b, a, r, true, true));
            }
            return new PostmanGraph(NodeCount, edges);
        }

        /// <summary>Each street once: one-way streets as arcs, two-way streets either way.</summary>
        public PostmanGraph Mixed() => new(NodeCount, Links.Select(l =>
            l.Forward > 0 && l.Backward > 0 ? new PostmanEdge(l.From, l.To, l.Forward, false, true)
            : l.Forward > 0 ? new PostmanEdge(l.From, l.To, l.Forward, true, true)
            : new PostmanEdge(l.To, l.From, l.Backward, true, true)).ToList());

        /// <summary>pgRouting rows: id, source, target, cost, reverse_cost (−1 where not allowed), nodes from 1.</summary>
        public IReadOnlyList<(long Id, long Source, long Target, double Cost, double Reverse)> Rows() =>
            Links.Select((l, i) => ((long)i + 1, (long)l.From + 1, (long)l.To + 1, (double)l.Forward, (double)l.Backward)).ToList();

        /// <summary>Lanes (one per allowed direction of a link).</summary>
        public int Lanes => Links.Sum(l => (l.Forward > 0 ? 1 : 0) + (l.Backward > 0 ? 1 : 0));

        /// <summary>Tarjan's strongly connected components, iterative: node → component id.</summary>
        private static Dictionary<int, int> StrongComponents(Dictionary<int, List<int>> arcs)
        {
            var nodes = arcs.Keys.Concat(arcs.Values.SelectMany(v => v)).Distinct().ToList();
            var index = new Dictionary<int, int>();
            var low = new Dictionary<int, int>();
            var onStack = new HashSet<int>();
            var stack = new Stack<int>();
            var component = new Dictionary<int, int>();
            var next = 0;
            var count = 0;
            foreach (var root in nodes)
            {
                if (index.ContainsKey(root)) continue;
                var work = new Stack<(int Node, int Child)>();
                work.Push((root, 0));
                index[root] = low[root] = next++;
                stack.Push(root);
                onStack.Add(root);
                while (work.Count > 0)
                {
                    var (v, child) = work.Pop();
                    var outs = arcs.GetValueOrDefault(v) ?? [];
                    if (child < outs.Count)
                    {
                        work.Push((v, child + 1));
                        var w = outs[child];
                        if (!index.ContainsKey(w))
                        {
                            index[w] = low[w] = next++;
                            stack.Push(w);
                            onStack.Add(w);
                            work.Push((w, 0));
                        }
                        else if (onStack.Contains(w)) low[v] = Math.Min(low[v], index[w]);
                        continue;
                    }
                    if (low[v] == index[v])
                    {
                        int w;
                        do { w = stack.Pop(); onStack.Remove(w); component[w] = count; } while (w != v);
                        count++;
                    }
                    if (work.Count > 0) { var parent = work.Peek().Node; low[parent] = Math.Min(low[parent], low[v]); }
                }
            }
            return component;
        }
    }
}
