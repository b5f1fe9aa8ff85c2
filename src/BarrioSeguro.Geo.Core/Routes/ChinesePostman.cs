using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// The (rural) Chinese postman: a closed walk from a start node that travels every reachable required edge, with as
/// little deadhead as the case allows.
/// <list type="bullet">
/// <item>No one-way edge anywhere: exact. Shortest paths (over all edges, required or not) between the odd-degree nodes
/// of the required edges, a minimum-weight perfect matching on them (Edmonds' blossom, <see cref="BlossomMatching"/>),
/// the matched paths added as deadhead copies, then an Euler circuit (Hierholzer) from the start.</item>
/// <item>Every required edge one-way (non-required two-way streets may still be used both ways): exact. In- and
/// out-degrees are balanced by a minimum-cost flow over shortest paths (successive shortest paths), then an Euler
/// circuit.</item>
/// <item>Mixed (required two-way streets and one-way arcs, NP-hard) or directed in several pieces: a heuristic first.
/// Two-way required edges start in their digitised direction; one min-cost flow both balances the degrees with
/// deadhead arcs and flips two-way edges at no cost (a flip moves two units of imbalance); an edge the flow half-flips
/// is walked both ways; pieces are joined first by shortest deadhead paths, nearest piece first. Then, within
/// <see cref="PostmanOptions.ExactTimeLimit"/>, an integer model (<see cref="MixedPostmanModel"/>, SCIP) started from
/// the heuristic: its tour is used when cheaper, and its proven lower bound is reported
/// (<see cref="PostmanTour.LowerBound"/>), with <see cref="PostmanTour.Optimal"/> when it closes the gap. The
/// heuristic stays when the model gives nothing in time.</item>
/// <item>Undirected, required edges in several pieces (or a start off the required edges): the pieces are joined first
/// by the shortest deadhead paths of a minimum spanning tree over the pieces, then matched: a rural-postman heuristic,
/// not proven optimal.</item>
/// </list>
/// Required edges with no closed walk from the start (no path there, or no way back over one-way streets) are listed
/// in <see cref="PostmanTour.UnreachableRequiredEdges"/>, never dropped silently. The seed shuffles every tie (shortest
/// path ties, which of several optimal matchings, the Euler circuit's edge order and first edge), so shifts get
/// different walks with the same required cost and, in the exact cases, the same deadhead.
/// Matching weights are shortest-path costs rounded to 1/1000 of the cost unit (so the blossom works on exact
/// integers); the deadhead reported is the real sum of edge costs.
/// </summary>
public static class ChinesePostman
{
    private const double Scale = 1000.0;

    /// <summary>Solves the postman for <paramref name="graph"/> from <paramref name="start"/>.</summary>
    /// <exception cref="ArgumentException">A node out of range, or a negative or non-finite cost.</exception>
    public static PostmanTour Solve(PostmanGraph graph, int start, int seed = 0) => Solve(graph, start, seed, PostmanOptions.Default);

    /// <summary>Solves the postman for <paramref name="graph"/> from <paramref name="start"/> with these options.</summary>
    /// <exception cref="ArgumentException">A node out of range, a negative or non-finite cost, or a negative time limit.</exception>
    public static PostmanTour Solve(PostmanGraph graph, int start, int seed, PostmanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ExactTimeLimit < TimeSpan.Zero)
            throw new RefusalException(Note.Of("postman.refused_time_limit", ("limit", options.ExactTimeLimit.TotalSeconds)), nameof(options.ExactTimeLimit));
        if (options.ExactWork is { } work && !(work >= 0 && double.IsFinite(work)))
            throw new RefusalException(Note.Of("postman.refused_work", ("work", work.ToString(CultureInfo.InvariantCulture))), nameof(options.ExactWork));
        if (options.ExactNodeLimit is < 1)
            throw new RefusalException(Note.Of("postman.refused_node_limit", ("limit", options.ExactNodeLimit!.Value)), nameof(options.ExactNodeLimit));
        ArgumentNullException.ThrowIfNull(graph);
        var n = graph.NodeCount;
        if (start < 0 || start >= n) throw new RefusalException(Note.Of("postman.refused_start", ("start", start), ("last", n - 1)), nameof(start));
        for (var i = 0; i < graph.Edges.Count; i++)
        {
            var e = graph.Edges[i];
            if (e.From < 0 || e.From >= n || e.To < 0 || e.To >= n)
                throw new RefusalException(Note.Of("postman.refused_edge_nodes", ("edge", i), ("from", e.From), ("to", e.To), ("last", n - 1)), nameof(graph));
            if (!(e.Cost >= 0) || !double.IsFinite(e.Cost))
                throw new RefusalException(Note.Of("postman.refused_edge_cost", ("edge", i), ("cost", e.Cost.ToString(CultureInfo.InvariantCulture))), nameof(graph));
        }
        return new Solver(graph, start, seed, options).Run();
    }

    private sealed class Solver(PostmanGraph g, int start, int seed, PostmanOptions options)
    {
        private readonly Random rng = new(seed);
        private readonly List<Note> notes = [];
        private readonly int n = g.NodeCount;
        private bool optimal = true;
        private double? bound;
        private string method = "";

        public PostmanTour Run()
        {
            var directed = g.HasOneWay;
            var arcs = Arcs(directed);
            var forward = Reach(arcs, start);
            var backward = Reach(Reverse(arcs), start);

            var required = new List<int>();
            var unreachable = new List<int>();
            for (var i = 0; i < g.Edges.Count; i++)
            {
                var e = g.Edges[i];
                if (!e.Required) continue;
                var ok = (forward[e.From] && backward[e.To]) || (!e.OneWay && forward[e.To] && backward[e.From]);
                (ok ? required : unreachable).Add(i);
            }
            if (unreachable.Count > 0)
                notes.Add(Note.Of("postman.not_closed", ("count", unreachable.Count), ("node", start)));
            var requiredCost = required.Sum(i => g.Edges[i].Cost);
            if (required.Count == 0)
            {
                notes.Add(Note.Of("postman.empty"));
                return new PostmanTour(start, [], 0, 0, unreachable, true, notes) { LowerBound = 0, Method = "none" };
            }

            var steps = directed ? Directed(arcs, required) : Undirected(arcs, required);
            var total = steps.Sum(s => g.Edges[PostmanTour.EdgeOf(s)].Cost);
            if (optimal) bound = total;
            return new PostmanTour(start, steps, requiredCost, Math.Max(0, total - requiredCost), unreachable, optimal, notes)
            {
                LowerBound = bound is { } b ? Math.Min(b, total) : null,
                Method = method,
            };
        }

        // ---- undirected -------------------------------------------------------------------------------------------

        private List<int> Undirected(List<Arc>[] arcs, List<int> required)
        {
            var items = new List<int>(required);   // edge indices in the walk (multiset)
            var degree = new int[n];
            void Add(int edge) { var e = g.Edges[edge]; degree[e.From]++; degree[e.To]++; }
            foreach (var i in required) Add(i);

            method = "matching";
            var pieces = Pieces(items);
            if (pieces.Count > 1)
            {
                optimal = false;
                method = "spanning tree + matching (heuristic)";
                notes.Add(Note.Of("postman.pieces_joined_tree", ("count", pieces.Count)));
                foreach (var link in SpanningLinks(arcs, pieces)) { items.Add(link); Add(link); }
            }

            var odd = Enumerable.Range(0, n).Where(v => degree[v] % 2 == 1).ToArray();
            rng.Shuffle(odd);
            if (odd.Length > 0)
            {
                var k = odd.Length;
                var dist = new double[k][];
                var pred = new int[k][];
                for (var i = 0; i < k; i++) (dist[i], pred[i]) = Dijkstra(arcs, [odd[i]]);
                var q = new long[k, k];
                for (var i = 0; i < k; i++)
                    for (var j = i + 1; j < k; j++) q[i, j] = (long)Math.Round(dist[i][odd[j]] * Scale);
                var mate = BlossomMatching.MinCostPerfectMatching(k, q);
                for (var i = 0; i < k; i++)
                {
                    if (mate[i] < i) continue;
                    foreach (var s in PathTo(pred[i], odd[mate[i]])) items.Add(PostmanTour.EdgeOf(s));
                }
            }
            return UndirectedEuler(items);
        }

        private List<int> UndirectedEuler(List<int> items)
        {
            var adj = new List<int>[n];
            for (var v = 0; v < n; v++) adj[v] = [];
            for (var t = 0; t < items.Count; t++)
            {
                var e = g.Edges[items[t]];
                adj[e.From].Add(t);
                if (e.To != e.From) adj[e.To].Add(t);
            }
            foreach (var list in adj) Shuffle(list);
            var used = new bool[items.Count];
            var ptr = new int[n];
            var stack = new Stack<(int Node, int Step)>();
            var result = new List<int>(items.Count);
            stack.Push((start, int.MinValue));
            while (stack.Count > 0)
            {
                var (v, step) = stack.Peek();
                var list = adj[v];
                while (ptr[v] < list.Count && used[list[ptr[v]]]) ptr[v]++;
                if (ptr[v] < list.Count)
                {
                    var t = list[ptr[v]];
                    used[t] = true;
                    var edge = items[t];
                    var e = g.Edges[edge];
                    var fwd = e.From == v;
                    stack.Push((fwd ? e.To : e.From, PostmanTour.Step(edge, fwd)));
                }
                else
                {
                    stack.Pop();
                    if (step != int.MinValue) result.Add(step);
                }
            }
            result.Reverse();
            if (result.Count != items.Count) throw new InvalidOperationException("postman: the streets to walk are not connected");
            return result;
        }

        // ---- directed and mixed -----------------------------------------------------------------------------------

        private List<int> Directed(List<Arc>[] arcs, List<int> required)
        {
            var steps = new List<int>();
            var twoWay = new List<int>();
            foreach (var i in required)
            {
                steps.Add(PostmanTour.Step(i, true));
                if (!g.Edges[i].OneWay) twoWay.Add(i);
            }
            if (twoWay.Count > 0)
            {
                optimal = false;
                notes.Add(Note.Of("postman.mixed_heuristic", ("count", twoWay.Count)));
            }

            var pieces = Pieces(required);
            if (pieces.Count > 1)
            {
                optimal = false;
                notes.Add(Note.Of("postman.pieces_joined_nearest", ("count", pieces.Count)));
                steps.AddRange(DirectedLinks(arcs, pieces));
            }

            // Imbalance b(v) = out − in; a deadhead arc x→y adds +1 at x and −1 at y, i.e. carries a unit of flow
            // from a node with b < 0 towards a node with b > 0.
            var balance = new int[n];
            foreach (var s in steps) { var (a, b) = Ends(s); balance[a]++; balance[b]--; }

            var flow = new MinCostFlow(n + 2);
            int source = n, sink = n + 1;
            var arcIds = new List<(int Id, int Step)>();
            for (var v = 0; v < n; v++)
                foreach (var a in arcs[v]) arcIds.Add((flow.Add(v, a.To, int.MaxValue / 4, a.Cost), a.Step));
            var flips = new List<(int Id, int Edge)>();
            foreach (var i in twoWay) flips.Add((flow.Add(g.Edges[i].To, g.Edges[i].From, 2, 0), i));
            var need = 0;
            for (var v = 0; v < n; v++)
            {
                if (balance[v] < 0) { flow.Add(source, v, -balance[v], 0); need -= balance[v]; }
                else if (balance[v] > 0) flow.Add(v, sink, balance[v], 0);
            }
            var sent = flow.Run(source, sink);
            if (sent < need) throw new InvalidOperationException("postman balancing failed: the reachable streets are not strongly connected");

            foreach (var (id, step) in arcIds)
                for (var c = flow.Flow(id); c > 0; c--) steps.Add(step);
            var halfFlips = 0;
            foreach (var (id, edge) in flips)
            {
                var f = flow.Flow(id);
                if (f == 0) continue;
                var at = steps.IndexOf(PostmanTour.Step(edge, true));
                if (f == 2) steps[at] = PostmanTour.Step(edge, false);
                else { steps.Add(PostmanTour.Step(edge, false)); halfFlips++; }
            }
            if (halfFlips > 0) notes.Add(Note.Of("postman.both_ways", ("count", halfFlips)));
            method = optimal ? "min-cost flow" : "min-cost flow (heuristic)";
            if (!optimal && (options.ExactWork is > 0 || options.ExactWork is null && options.ExactTimeLimit > TimeSpan.Zero))
                steps = Exact(required, steps);
            return DirectedEuler(steps);
        }

        /// <summary>The integer model from the heuristic's steps; returns the better steps and sets the bound.</summary>
        private List<int> Exact(List<int> required, List<int> heuristic)
        {
            var m = g.Edges.Count;
            var f = new int[m];
            var b = new int[m];
            var heuristicCost = 0.0;
            foreach (var s in heuristic)
            {
                if (PostmanTour.IsForward(s)) f[s]++; else b[~s]++;
                heuristicCost += g.Edges[PostmanTour.EdgeOf(s)].Cost;
            }
            var r = options.ExactWork is { } work
                ? MixedPostmanModel.SolveDeterministic(g, required, start, work, (f, b))
                : MixedPostmanModel.Solve(g, required, start, options.ExactTimeLimit, options.ExactNodeLimit, (f, b));
            if (r.Bound > 0) bound = r.Bound;
            var tolerance = 1e-9 * Math.Max(1, heuristicCost);
            if (r.Forward is null || r.Backward is null || !r.Proven && (r.Objective > heuristicCost - tolerance || !options.AcceptUnproven))
            {
                if (r.Forward is null) notes.Add(Note.Of("postman.exact_no_tour", ("seconds", options.ExactWork ?? options.ExactTimeLimit.TotalSeconds)));
                else if (r.Objective < heuristicCost - tolerance) notes.Add(Note.Of("postman.exact_unproven_kept_heuristic",
                    ("shorter", 100 * (heuristicCost - r.Objective) / heuristicCost), ("seconds", options.ExactWork ?? options.ExactTimeLimit.TotalSeconds)));
                if (bound is { } lb && heuristicCost > 0)
                    notes.Add(Note.Of("postman.lower_bound", ("bound", lb), ("above", 100 * Math.Max(0, heuristicCost - lb) / heuristicCost)));
                if (bound is { } lb2 && heuristicCost <= lb2 + tolerance)
                {
                    optimal = true;
                    method = "min-cost flow, proven optimal by the integer model";
                    DropHeuristicNotes();
                    notes.Add(Note.Of("postman.heuristic_proven", ("solver", options.ExactWork is null ? "SCIP" : "CP-SAT")));
                }
                return heuristic;
            }
            var steps = new List<int>();
            for (var i = 0; i < m; i++)
            {
                for (var c = 0; c < r.Forward[i]; c++) steps.Add(PostmanTour.Step(i, true));
                for (var c = 0; c < r.Backward[i]; c++) steps.Add(PostmanTour.Step(i, false));
            }
            optimal = r.Proven;
            method = options.ExactWork is null ? "integer model (SCIP)" : "integer model (CP-SAT, deterministic)";
            DropHeuristicNotes();
            if (options.ExactWork is { } w)
                notes.Add(r.Proven
                    ? Note.Of("postman.sat_proven", ("work", w), ("heuristicAbove", 100 * (heuristicCost - r.Objective) / r.Objective))
                    : Note.Of("postman.sat_stopped", ("work", w), ("tour", r.Objective), ("bound", r.Bound),
                        ("above", 100 * Math.Max(0, r.Objective - r.Bound) / r.Objective)));
            else notes.Add(r.Proven
                ? Note.Of("postman.exact_proven", ("seconds", r.Seconds), ("heuristicAbove", 100 * (heuristicCost - r.Objective) / r.Objective))
                : Note.Of("postman.exact_stopped", ("seconds", options.ExactTimeLimit.TotalSeconds), ("nodes", (double)(options.ExactNodeLimit ?? 0)),
                    ("tour", r.Objective), ("bound", r.Bound), ("above", 100 * Math.Max(0, r.Objective - r.Bound) / r.Objective)));
            return steps;
        }

        /// <summary>The heuristic's notes, once the integer model has replaced or proven its tour.</summary>
        private void DropHeuristicNotes() => notes.RemoveAll(n => n.Code is "postman.mixed_heuristic" or "postman.pieces_joined_tree"
            or "postman.pieces_joined_nearest" or "postman.both_ways" or "postman.lower_bound");

        private List<int> DirectedEuler(List<int> steps)
        {
            var adj = new List<int>[n];
            for (var v = 0; v < n; v++) adj[v] = [];
            for (var t = 0; t < steps.Count; t++) adj[Ends(steps[t]).From].Add(t);
            foreach (var list in adj) Shuffle(list);
            var ptr = new int[n];
            var stack = new Stack<(int Node, int Step)>();
            var result = new List<int>(steps.Count);
            stack.Push((start, int.MinValue));
            while (stack.Count > 0)
            {
                var (v, step) = stack.Peek();
                if (ptr[v] < adj[v].Count)
                {
                    var s = steps[adj[v][ptr[v]++]];
                    stack.Push((Ends(s).To, s));
                }
                else
                {
                    stack.Pop();
                    if (step != int.MinValue) result.Add(step);
                }
            }
            result.Reverse();
            if (result.Count != steps.Count) throw new InvalidOperationException("postman: the balanced streets are not connected");
            return result;
        }

        private IEnumerable<int> DirectedLinks(List<Arc>[] arcs, List<List<int>> pieces)
        {
            var pieceOf = new int[n];
            Array.Fill(pieceOf, -1);
            for (var p = 0; p < pieces.Count; p++) foreach (var v in pieces[p]) pieceOf[v] = p;
            var joined = new bool[pieces.Count];
            var startPiece = pieceOf[start];
            joined[startPiece] = true;
            var members = new List<int>(pieces[startPiece]);
            var links = new List<int>();
            for (var round = 1; round < pieces.Count; round++)
            {
                var (dist, pred) = Dijkstra(arcs, members);
                var best = -1;
                for (var v = 0; v < n; v++)
                    if (pieceOf[v] >= 0 && !joined[pieceOf[v]] && double.IsFinite(dist[v]) && (best < 0 || dist[v] < dist[best])) best = v;
                if (best < 0) break;
                foreach (var s in PathTo(pred, best))
                {
                    links.Add(s);
                    var to = Ends(s).To;
                    if (pieceOf[to] < 0) { members.Add(to); continue; }
                    if (joined[pieceOf[to]]) continue;
                    joined[pieceOf[to]] = true;
                    members.AddRange(pieces[pieceOf[to]]);
                }
            }
            return links;
        }

        // ---- connectivity -----------------------------------------------------------------------------------------

        /// <summary>Node sets of the connected pieces of the given edges (direction ignored), the start included.</summary>
        private List<List<int>> Pieces(IEnumerable<int> edges)
        {
            var parent = new int[n];
            for (var v = 0; v < n; v++) parent[v] = v;
            int Find(int v) { while (parent[v] != v) v = parent[v] = parent[parent[v]]; return v; }
            var touched = new bool[n];
            touched[start] = true;
            foreach (var i in edges)
            {
                var e = g.Edges[i];
                touched[e.From] = touched[e.To] = true;
                parent[Find(e.From)] = Find(e.To);
            }
            var byRoot = new Dictionary<int, List<int>>();
            for (var v = 0; v < n; v++)
            {
                if (!touched[v]) continue;
                var r = Find(v);
                if (!byRoot.TryGetValue(r, out var list)) byRoot[r] = list = [];
                list.Add(v);
            }
            return [.. byRoot.Values];
        }

        /// <summary>Prim over the pieces with shortest-path distances; returns the edges of the joining paths.</summary>
        private List<int> SpanningLinks(List<Arc>[] arcs, List<List<int>> pieces)
        {
            var k = pieces.Count;
            var pieceOf = new int[n];
            Array.Fill(pieceOf, -1);
            for (var p = 0; p < k; p++) foreach (var v in pieces[p]) pieceOf[v] = p;
            var fromPiece = new (double[] Dist, int[] Pred)[k];
            for (var p = 0; p < k; p++) fromPiece[p] = Dijkstra(arcs, pieces[p]);
            // d[p,q] and the node of q nearest to p
            var d = new double[k, k];
            var near = new int[k, k];
            for (var p = 0; p < k; p++)
                for (var q = 0; q < k; q++) { d[p, q] = double.PositiveInfinity; near[p, q] = -1; }
            for (var p = 0; p < k; p++)
                for (var v = 0; v < n; v++)
                {
                    var q = pieceOf[v];
                    if (q < 0 || q == p || !(fromPiece[p].Dist[v] < d[p, q])) continue;
                    d[p, q] = fromPiece[p].Dist[v];
                    near[p, q] = v;
                }
            var inTree = new bool[k];
            var best = new double[k];
            var via = new int[k];
            Array.Fill(best, double.PositiveInfinity);
            Array.Fill(via, -1);
            var root = pieceOf[start];
            best[root] = 0;
            var links = new List<int>();
            for (var round = 0; round < k; round++)
            {
                var u = -1;
                for (var p = 0; p < k; p++) if (!inTree[p] && (u < 0 || best[p] < best[u])) u = p;
                if (u < 0 || double.IsPositiveInfinity(best[u])) break;
                inTree[u] = true;
                if (via[u] >= 0) links.AddRange(PathTo(fromPiece[via[u]].Pred, near[via[u], u]).Select(PostmanTour.EdgeOf));
                for (var q = 0; q < k; q++)
                    if (!inTree[q] && d[u, q] < best[q]) { best[q] = d[u, q]; via[q] = u; }
            }
            return links;
        }

        // ---- shortest paths ---------------------------------------------------------------------------------------

        private readonly record struct Arc(int To, int Step, double Cost);

        private (int From, int To) Ends(int step)
        {
            var e = g.Edges[PostmanTour.EdgeOf(step)];
            return PostmanTour.IsForward(step) ? (e.From, e.To) : (e.To, e.From);
        }

        private List<Arc>[] Arcs(bool directed)
        {
            var arcs = new List<Arc>[n];
            for (var v = 0; v < n; v++) arcs[v] = [];
            for (var i = 0; i < g.Edges.Count; i++)
            {
                var e = g.Edges[i];
                arcs[e.From].Add(new Arc(e.To, PostmanTour.Step(i, true), e.Cost));
                if (!(directed && e.OneWay) && e.From != e.To) arcs[e.To].Add(new Arc(e.From, PostmanTour.Step(i, false), e.Cost));
            }
            foreach (var list in arcs) Shuffle(list);
            return arcs;
        }

        private List<Arc>[] Reverse(List<Arc>[] arcs)
        {
            var rev = new List<Arc>[n];
            for (var v = 0; v < n; v++) rev[v] = [];
            for (var v = 0; v < n; v++) foreach (var a in arcs[v]) rev[a.To].Add(a with { To = v });
            return rev;
        }

        private bool[] Reach(List<Arc>[] arcs, int from)
        {
            var seen = new bool[n];
            var stack = new Stack<int>();
            seen[from] = true;
            stack.Push(from);
            while (stack.Count > 0)
                foreach (var a in arcs[stack.Pop()])
                    if (!seen[a.To]) { seen[a.To] = true; stack.Push(a.To); }
            return seen;
        }

        /// <summary>Dijkstra from several sources; <c>pred[v]</c> is the step arriving at v (int.MinValue at sources and unreached nodes).</summary>
        private (double[] Dist, int[] Pred) Dijkstra(List<Arc>[] arcs, IEnumerable<int> sources)
        {
            var dist = new double[n];
            var pred = new int[n];
            Array.Fill(dist, double.PositiveInfinity);
            Array.Fill(pred, int.MinValue);
            var heap = new PriorityQueue<int, double>();
            foreach (var s in sources) { dist[s] = 0; heap.Enqueue(s, 0); }
            while (heap.TryDequeue(out var v, out var dv))
            {
                if (dv > dist[v]) continue;
                foreach (var a in arcs[v])
                {
                    var nd = dv + a.Cost;
                    if (nd < dist[a.To]) { dist[a.To] = nd; pred[a.To] = a.Step; heap.Enqueue(a.To, nd); }
                }
            }
            return (dist, pred);
        }

        /// <summary>The steps from the Dijkstra sources to <paramref name="target"/>, in walking order.</summary>
        private List<int> PathTo(int[] pred, int target)
        {
            var path = new List<int>();
            for (var v = target; pred[v] != int.MinValue; v = Ends(pred[v]).From) path.Add(pred[v]);
            path.Reverse();
            return path;
        }

        private void Shuffle<T>(List<T> list)
        {
            for (var i = list.Count - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (list[i], list[j]) = (list[j], list[i]);
            }
        }
    }
}
