namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// Minimum-cost flow by successive shortest paths (Dijkstra on reduced costs with node potentials). Costs must be
/// non-negative, so the zero potential is a valid start. Exact for integer capacities.
/// </summary>
internal sealed class MinCostFlow(int nodeCount)
{
    private readonly List<int> head = [], cap = [];
    private readonly List<double> cost = [];
    private readonly List<int>[] outgoing = Enumerable.Range(0, nodeCount).Select(_ => new List<int>()).ToArray();
    private readonly List<int> initialCap = [];

    /// <summary>Adds an arc and returns its id (the reverse residual arc is id ^ 1).</summary>
    public int Add(int from, int to, int capacity, double arcCost)
    {
        var id = head.Count;
        head.Add(to); cap.Add(capacity); cost.Add(arcCost); initialCap.Add(capacity); outgoing[from].Add(id);
        head.Add(from); cap.Add(0); cost.Add(-arcCost); initialCap.Add(0); outgoing[to].Add(id + 1);
        return id;
    }

    /// <summary>Flow on an arc after <see cref="Run"/>.</summary>
    public int Flow(int id) => initialCap[id] - cap[id];

    /// <summary>Sends as much flow as possible from source to sink at minimum cost; returns the amount sent.</summary>
    public int Run(int source, int sink)
    {
        var n = outgoing.Length;
        var potential = new double[n];
        var dist = new double[n];
        var via = new int[n];
        var sent = 0;
        while (true)
        {
            Array.Fill(dist, double.PositiveInfinity);
            Array.Fill(via, -1);
            dist[source] = 0;
            var heap = new PriorityQueue<int, double>();
            heap.Enqueue(source, 0);
            while (heap.TryDequeue(out var v, out var dv))
            {
                if (dv > dist[v]) continue;
                foreach (var id in outgoing[v])
                {
                    if (cap[id] <= 0) continue;
                    var w = head[id];
                    var reduced = Math.Max(0, cost[id] + potential[v] - potential[w]);
                    var nd = dv + reduced;
                    if (nd < dist[w]) { dist[w] = nd; via[w] = id; heap.Enqueue(w, nd); }
                }
            }
            if (double.IsPositiveInfinity(dist[sink])) return sent;
            for (var v = 0; v < n; v++) if (!double.IsPositiveInfinity(dist[v])) potential[v] += dist[v];
            var push = int.MaxValue;
            for (var v = sink; v != source; v = head[via[v] ^ 1]) push = Math.Min(push, cap[via[v]]);
            for (var v = sink; v != source; v = head[via[v] ^ 1]) { cap[via[v]] -= push; cap[via[v] ^ 1] += push; }
            sent += push;
        }
    }
}
