namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// Maximum-weight matching in a general undirected graph: Edmonds' blossom algorithm with the primal-dual method,
/// O(n³), after Galil (1986) as laid out in Van Rantwijk's <c>mwmatching</c>. Weights are integers so that every
/// dual variable (kept doubled) stays an integer and the optimum is exact; callers scale real costs first.
/// With <c>maxCardinality</c> only maximum-cardinality matchings count, which turns it into a minimum-weight perfect
/// matching solver when given weights <c>M − w</c> on a graph that has a perfect matching.
/// </summary>
public static class BlossomMatching
{
    /// <summary>
    /// The matching: <c>mate[v]</c> is the vertex matched to <c>v</c>, or −1. Vertices are 0..n−1 with
    /// <c>n = max vertex + 1</c> (or <paramref name="vertexCount"/> when larger). No self-loops; at most one edge per pair.
    /// </summary>
    public static int[] MaxWeightMatching(IReadOnlyList<(int U, int V, long W)> edges, bool maxCardinality, int vertexCount = 0)
    {
        var n = vertexCount;
        foreach (var (u, v, _) in edges)
        {
            if (u < 0 || v < 0 || u == v) throw new ArgumentException("vertices must be non-negative and distinct", nameof(edges));
            n = Math.Max(n, Math.Max(u, v) + 1);
        }
        if (edges.Count == 0) return Enumerable.Repeat(-1, n).ToArray();
        return new Solver(edges, n, maxCardinality).Run();
    }

    /// <summary>
    /// Minimum-cost perfect matching on the complete graph of <paramref name="k"/> vertices (k even) with costs
    /// <c>cost[i, j]</c> (i &lt; j used). Exact, by pricing: the blossom runs on each vertex's nearest candidates; its dual
    /// solution is then checked against every left-out pair (reduced cost ≥ 0 proves the matching optimal on the complete
    /// graph, by LP duality); violated pairs are added and it runs again. Returns <c>mate</c>.
    /// </summary>
    public static int[] MinCostPerfectMatching(int k, long[,] cost, int candidates = 12)
    {
        if (k % 2 != 0) throw new ArgumentException("a perfect matching needs an even number of vertices", nameof(k));
        if (k == 0) return [];
        long max = 0;
        for (var i = 0; i < k; i++)
            for (var j = i + 1; j < k; j++) max = Math.Max(max, cost[i, j]);
        long W(int i, int j) => max + 1 - (i < j ? cost[i, j] : cost[j, i]);
        var chosen = new HashSet<long>();
        void Choose(int i, int j) { if (i > j) (i, j) = (j, i); chosen.Add((long)i * k + j); }
        var order = new int[k];
        var keys = new long[k];
        var near = Math.Min(candidates, k - 1);
        for (var i = 0; i < k; i++)
        {
            for (var j = 0; j < k; j++) { order[j] = j; keys[j] = j == i ? long.MaxValue : (i < j ? cost[i, j] : cost[j, i]); }
            Array.Sort(keys, order);
            for (var t = 0; t < near; t++) Choose(i, order[t]);
        }
        while (true)
        {
            var edges = chosen.Select(key => ((int)(key / k), (int)(key % k), W((int)(key / k), (int)(key % k)))).ToList();
            var solver = new Solver(edges, k, true);
            var mate = solver.Run();
            if (mate.Any(m => m < 0))
            {
                // the candidates have no perfect matching: take everything
                for (var i = 0; i < k; i++) for (var j = i + 1; j < k; j++) Choose(i, j);
                continue;
            }
            var added = 0;
            for (var i = 0; i < k; i++)
                for (var j = i + 1; j < k; j++)
                    if (!chosen.Contains((long)i * k + j) && solver.ReducedCost(i, j, W(i, j)) < 0) { Choose(i, j); added++; }
            if (added == 0) return mate;
        }
    }

    private sealed class Solver
    {
        private readonly int n, m;
        private readonly bool maxCard;
        private readonly int[] eu, ev;
        private readonly long[] ew;
        private readonly int[] endpoint;
        private readonly List<int>[] neighbend;
        private readonly int[] mate, label, labelend, inblossom, blossomparent, blossombase, bestedge;
        private readonly List<int>?[] blossomchilds, blossomendps, blossombestedges;
        private readonly Stack<int> unused = new();
        private readonly long[] dualvar;
        private readonly bool[] allowedge;
        private readonly List<int> queue = [];

        public Solver(IReadOnlyList<(int U, int V, long W)> edges, int nv, bool maxCardinality)
        {
            n = nv; m = edges.Count; maxCard = maxCardinality;
            eu = new int[m]; ev = new int[m]; ew = new long[m];
            long maxW = 0;
            for (var k = 0; k < m; k++) { (eu[k], ev[k], ew[k]) = edges[k]; maxW = Math.Max(maxW, ew[k]); }
            endpoint = new int[2 * m];
            for (var p = 0; p < 2 * m; p++) endpoint[p] = p % 2 == 0 ? eu[p / 2] : ev[p / 2];
            neighbend = new List<int>[n];
            for (var i = 0; i < n; i++) neighbend[i] = [];
            for (var k = 0; k < m; k++) { neighbend[eu[k]].Add(2 * k + 1); neighbend[ev[k]].Add(2 * k); }
            mate = Fill(n, -1);
            label = new int[2 * n];
            labelend = Fill(2 * n, -1);
            inblossom = new int[n];
            for (var i = 0; i < n; i++) inblossom[i] = i;
            blossomparent = Fill(2 * n, -1);
            blossomchilds = new List<int>?[2 * n];
            blossomendps = new List<int>?[2 * n];
            blossombestedges = new List<int>?[2 * n];
            blossombase = Fill(2 * n, -1);
            for (var i = 0; i < n; i++) blossombase[i] = i;
            bestedge = Fill(2 * n, -1);
            for (var b = 2 * n - 1; b >= n; b--) unused.Push(b);
            dualvar = new long[2 * n];
            for (var i = 0; i < n; i++) dualvar[i] = maxW;
            allowedge = new bool[m];
        }

        private static int[] Fill(int count, int value) { var a = new int[count]; Array.Fill(a, value); return a; }

        /// <summary>Doubled reduced cost of a pair under the final duals (blossoms holding both count), after <see cref="Run"/>.</summary>
        public long ReducedCost(int i, int j, long w)
        {
            var s = dualvar[i] + dualvar[j] - 2 * w;
            if (inblossom[i] != inblossom[j] || inblossom[i] < n) return s;
            var chainI = Chain(i);
            var chainJ = Chain(j);
            for (int a = chainI.Count - 1, b = chainJ.Count - 1; a >= 0 && b >= 0 && chainI[a] == chainJ[b]; a--, b--)
                s += 2 * dualvar[chainI[a]];
            return s;
        }

        private List<int> Chain(int v)
        {
            var chain = new List<int>();
            for (var b = blossomparent[v]; b != -1; b = blossomparent[b]) chain.Add(b);
            return chain;
        }

        private long Slack(int k) => dualvar[eu[k]] + dualvar[ev[k]] - 2 * ew[k];

        private IEnumerable<int> Leaves(int b)
        {
            if (b < n) { yield return b; yield break; }
            var stack = new Stack<int>();
            stack.Push(b);
            while (stack.Count > 0)
            {
                var t = stack.Pop();
                if (t < n) { yield return t; continue; }
                var ch = blossomchilds[t]!;
                for (var i = ch.Count - 1; i >= 0; i--) stack.Push(ch[i]);
            }
        }

        private void AssignLabel(int w, int t, int p)
        {
            while (true)
            {
                var b = inblossom[w];
                label[w] = label[b] = t;
                labelend[w] = labelend[b] = p;
                bestedge[w] = bestedge[b] = -1;
                if (t == 1) { queue.AddRange(Leaves(b)); return; }
                var bs = blossombase[b];
                // A T-blossom's base is matched: its mate becomes S.
                w = endpoint[mate[bs]]; t = 1; p = mate[bs] ^ 1;
            }
        }

        private int ScanBlossom(int v, int w)
        {
            var path = new List<int>();
            var based = -1;
            while (v != -1 || w != -1)
            {
                var b = inblossom[v];
                if ((label[b] & 4) != 0) { based = blossombase[b]; break; }
                path.Add(b);
                label[b] = 5;
                if (labelend[b] == -1) v = -1;
                else
                {
                    v = endpoint[labelend[b]];
                    b = inblossom[v];
                    v = endpoint[labelend[b]];
                }
                if (w != -1) (v, w) = (w, v);
            }
            foreach (var b in path) label[b] = 1;
            return based;
        }

        private void AddBlossom(int bas, int k)
        {
            int v = eu[k], w = ev[k];
            int bb = inblossom[bas], bv = inblossom[v], bw = inblossom[w];
            var b = unused.Pop();
            blossombase[b] = bas;
            blossomparent[b] = -1;
            blossomparent[bb] = b;
            var path = new List<int>();
            var endps = new List<int>();
            while (bv != bb)
            {
                blossomparent[bv] = b;
                path.Add(bv);
                endps.Add(labelend[bv]);
                v = endpoint[labelend[bv]];
                bv = inblossom[v];
            }
            path.Add(bb);
            path.Reverse();
            endps.Reverse();
            endps.Add(2 * k);
            while (bw != bb)
            {
                blossomparent[bw] = b;
                path.Add(bw);
                endps.Add(labelend[bw] ^ 1);
                w = endpoint[labelend[bw]];
                bw = inblossom[w];
            }
            blossomchilds[b] = path;
            blossomendps[b] = endps;
            label[b] = 1;
            labelend[b] = labelend[bb];
            dualvar[b] = 0;
            foreach (var leaf in Leaves(b).ToList())
            {
                if (label[inblossom[leaf]] == 2) queue.Add(leaf);
                inblossom[leaf] = b;
            }
            var bestedgeto = Fill(2 * n, -1);
            foreach (var sub in path)
            {
                IEnumerable<int> ks = blossombestedges[sub] is { } list
                    ? list
                    : Leaves(sub).SelectMany(leaf => neighbend[leaf].Select(p => p / 2));
                foreach (var kk in ks)
                {
                    int i = eu[kk], j = ev[kk];
                    if (inblossom[j] == b) (i, j) = (j, i);
                    var bj = inblossom[j];
                    if (bj != b && label[bj] == 1 && (bestedgeto[bj] == -1 || Slack(kk) < Slack(bestedgeto[bj])))
                        bestedgeto[bj] = kk;
                }
                blossombestedges[sub] = null;
                bestedge[sub] = -1;
            }
            var best = new List<int>();
            foreach (var kk in bestedgeto) if (kk != -1) best.Add(kk);
            blossombestedges[b] = best;
            bestedge[b] = -1;
            foreach (var kk in best)
                if (bestedge[b] == -1 || Slack(kk) < Slack(bestedge[b])) bestedge[b] = kk;
        }

        private void ExpandBlossom(int b, bool endstage)
        {
            var childs = blossomchilds[b]!;
            var endps = blossomendps[b]!;
            foreach (var s in childs)
            {
                blossomparent[s] = -1;
                if (s < n) inblossom[s] = s;
                else if (endstage && dualvar[s] == 0) ExpandBlossom(s, endstage);
                else foreach (var leaf in Leaves(s)) inblossom[leaf] = s;
            }
            if (!endstage && label[b] == 2)
            {
                var entrychild = inblossom[endpoint[labelend[b] ^ 1]];
                var j = childs.IndexOf(entrychild);
                int jstep, endptrick;
                if ((j & 1) != 0) { j -= childs.Count; jstep = 1; endptrick = 0; }
                else { jstep = -1; endptrick = 1; }
                var p = labelend[b];
                while (j != 0)
                {
                    label[endpoint[p ^ 1]] = 0;
                    label[endpoint[At(endps, j - endptrick) ^ endptrick ^ 1]] = 0;
                    AssignLabel(endpoint[p ^ 1], 2, p);
                    allowedge[At(endps, j - endptrick) / 2] = true;
                    j += jstep;
                    p = At(endps, j - endptrick) ^ endptrick;
                    allowedge[p / 2] = true;
                    j += jstep;
                }
                var bv = At(childs, j);
                label[endpoint[p ^ 1]] = label[bv] = 2;
                labelend[endpoint[p ^ 1]] = labelend[bv] = p;
                bestedge[bv] = -1;
                j += jstep;
                while (At(childs, j) != entrychild)
                {
                    bv = At(childs, j);
                    if (label[bv] == 1) { j += jstep; continue; }
                    var reached = -1;
                    foreach (var leaf in Leaves(bv))
                        if (label[leaf] != 0) { reached = leaf; break; }
                    if (reached >= 0)
                    {
                        label[reached] = 0;
                        label[endpoint[mate[blossombase[bv]]]] = 0;
                        AssignLabel(reached, 2, labelend[reached]);
                    }
                    j += jstep;
                }
            }
            label[b] = labelend[b] = -1;
            blossomchilds[b] = blossomendps[b] = null;
            blossombase[b] = -1;
            blossombestedges[b] = null;
            bestedge[b] = -1;
            unused.Push(b);
        }

        /// <summary>Python-style index: negative counts from the end.</summary>
        private static int At(List<int> list, int i) => list[i < 0 ? i + list.Count : i];

        private void AugmentBlossom(int b, int v)
        {
            var t = v;
            while (blossomparent[t] != b) t = blossomparent[t];
            if (t >= n) AugmentBlossom(t, v);
            var childs = blossomchilds[b]!;
            var endps = blossomendps[b]!;
            var i = childs.IndexOf(t);
            var j = i;
            int jstep, endptrick;
            if ((i & 1) != 0) { j -= childs.Count; jstep = 1; endptrick = 0; }
            else { jstep = -1; endptrick = 1; }
            while (j != 0)
            {
                j += jstep;
                t = At(childs, j);
                var p = At(endps, j - endptrick) ^ endptrick;
                if (t >= n) AugmentBlossom(t, endpoint[p]);
                j += jstep;
                t = At(childs, j);
                if (t >= n) AugmentBlossom(t, endpoint[p ^ 1]);
                mate[endpoint[p]] = p ^ 1;
                mate[endpoint[p ^ 1]] = p;
            }
            blossomchilds[b] = [.. childs.Skip(i), .. childs.Take(i)];
            blossomendps[b] = [.. endps.Skip(i), .. endps.Take(i)];
            blossombase[b] = blossombase[blossomchilds[b]![0]];
        }

        private void AugmentMatching(int k)
        {
            foreach (var (s0, p0) in new[] { (eu[k], 2 * k + 1), (ev[k], 2 * k) })
            {
                int s = s0, p = p0;
                while (true)
                {
                    var bs = inblossom[s];
                    if (bs >= n) AugmentBlossom(bs, s);
                    mate[s] = p;
                    if (labelend[bs] == -1) break;
                    var t = endpoint[labelend[bs]];
                    var bt = inblossom[t];
                    s = endpoint[labelend[bt]];
                    var j = endpoint[labelend[bt] ^ 1];
                    if (bt >= n) AugmentBlossom(bt, j);
                    mate[j] = labelend[bt];
                    p = labelend[bt] ^ 1;
                }
            }
        }

        public int[] Run()
        {
            for (var stage = 0; stage < n; stage++)
            {
                Array.Clear(label);
                Array.Fill(bestedge, -1);
                for (var b = n; b < 2 * n; b++) blossombestedges[b] = null;
                Array.Clear(allowedge);
                queue.Clear();
                for (var v = 0; v < n; v++)
                    if (mate[v] == -1 && label[inblossom[v]] == 0) AssignLabel(v, 1, -1);

                var augmented = false;
                while (true)
                {
                    while (queue.Count > 0 && !augmented)
                    {
                        var v = queue[^1];
                        queue.RemoveAt(queue.Count - 1);
                        foreach (var p in neighbend[v])
                        {
                            var k = p / 2;
                            var w = endpoint[p];
                            if (inblossom[v] == inblossom[w]) continue;
                            long kslack = 0;
                            if (!allowedge[k])
                            {
                                kslack = Slack(k);
                                if (kslack <= 0) allowedge[k] = true;
                            }
                            if (allowedge[k])
                            {
                                if (label[inblossom[w]] == 0) AssignLabel(w, 2, p ^ 1);
                                else if (label[inblossom[w]] == 1)
                                {
                                    var bas = ScanBlossom(v, w);
                                    if (bas >= 0) AddBlossom(bas, k);
                                    else { AugmentMatching(k); augmented = true; break; }
                                }
                                else if (label[w] == 0) { label[w] = 2; labelend[w] = p ^ 1; }
                            }
                            else if (label[inblossom[w]] == 1)
                            {
                                var b = inblossom[v];
                                if (bestedge[b] == -1 || kslack < Slack(bestedge[b])) bestedge[b] = k;
                            }
                            else if (label[w] == 0)
                            {
                                if (bestedge[w] == -1 || kslack < Slack(bestedge[w])) bestedge[w] = k;
                            }
                        }
                    }
                    if (augmented) break;

                    var deltatype = -1;
                    long delta = 0;
                    int deltaedge = -1, deltablossom = -1;
                    if (!maxCard)
                    {
                        deltatype = 1;
                        delta = long.MaxValue;
                        for (var v = 0; v < n; v++) delta = Math.Min(delta, dualvar[v]);
                    }
                    for (var v = 0; v < n; v++)
                    {
                        if (label[inblossom[v]] == 0 && bestedge[v] != -1)
                        {
                            var d = Slack(bestedge[v]);
                            if (deltatype == -1 || d < delta) { delta = d; deltatype = 2; deltaedge = bestedge[v]; }
                        }
                    }
                    for (var b = 0; b < 2 * n; b++)
                    {
                        if (blossomparent[b] == -1 && label[b] == 1 && bestedge[b] != -1)
                        {
                            var d = Slack(bestedge[b]) / 2;
                            if (deltatype == -1 || d < delta) { delta = d; deltatype = 3; deltaedge = bestedge[b]; }
                        }
                    }
                    for (var b = n; b < 2 * n; b++)
                    {
                        if (blossombase[b] >= 0 && blossomparent[b] == -1 && label[b] == 2 && (deltatype == -1 || dualvar[b] < delta))
                        {
                            delta = dualvar[b]; deltatype = 4; deltablossom = b;
                        }
                    }
                    if (deltatype == -1)
                    {
                        deltatype = 1;
                        delta = long.MaxValue;
                        for (var v = 0; v < n; v++) delta = Math.Min(delta, dualvar[v]);
                        delta = Math.Max(0, delta);
                    }
                    for (var v = 0; v < n; v++)
                    {
                        var l = label[inblossom[v]];
                        if (l == 1) dualvar[v] -= delta;
                        else if (l == 2) dualvar[v] += delta;
                    }
                    for (var b = n; b < 2 * n; b++)
                    {
                        if (blossombase[b] >= 0 && blossomparent[b] == -1)
                        {
                            if (label[b] == 1) dualvar[b] += delta;
                            else if (label[b] == 2) dualvar[b] -= delta;
                        }
                    }
                    if (deltatype == 1) break;
                    if (deltatype == 2)
                    {
                        allowedge[deltaedge] = true;
                        int i = eu[deltaedge], j = ev[deltaedge];
                        if (label[inblossom[i]] == 0) (i, j) = (j, i);
                        queue.Add(i);
                    }
                    else if (deltatype == 3)
                    {
                        allowedge[deltaedge] = true;
                        queue.Add(eu[deltaedge]);
                    }
                    else ExpandBlossom(deltablossom, false);
                }
                if (!augmented) break;
                for (var b = n; b < 2 * n; b++)
                    if (blossomparent[b] == -1 && blossombase[b] >= 0 && label[b] == 1 && dualvar[b] == 0)
                        ExpandBlossom(b, true);
            }
            var result = new int[n];
            for (var v = 0; v < n; v++) result[v] = mate[v] >= 0 ? endpoint[mate[v]] : -1;
            return result;
        }
    }
}
