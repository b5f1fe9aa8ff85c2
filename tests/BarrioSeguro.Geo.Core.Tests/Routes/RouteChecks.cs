using BarrioSeguro.Geo.Core.Routes;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Routes;

internal static class RouteChecks
{
    /// <summary>The tour is a closed walk from its start, honours one-way streets, and covers every reachable required edge.</summary>
    public static void AssertClosedWalkCovering(PostmanGraph g, PostmanTour t)
    {
        var at = t.Start;
        double total = 0;
        foreach (var s in t.EdgeSequence)
        {
            var e = g.Edges[PostmanTour.EdgeOf(s)];
            var fwd = PostmanTour.IsForward(s);
            Assert.True(fwd || !e.OneWay, "a one-way street walked against its direction");
            Assert.Equal(at, fwd ? e.From : e.To);
            at = fwd ? e.To : e.From;
            total += e.Cost;
        }
        Assert.Equal(t.Start, at);
        Assert.Equal(total, t.TotalCost, 6);
        var walked = t.EdgeSequence.Select(PostmanTour.EdgeOf).ToHashSet();
        var unreachable = t.UnreachableRequiredEdges.ToHashSet();
        for (var i = 0; i < g.Edges.Count; i++)
        {
            if (!g.Edges[i].Required) continue;
            Assert.True(walked.Contains(i) ^ unreachable.Contains(i), $"required edge {i}: walked {walked.Contains(i)}, listed {unreachable.Contains(i)}");
        }
        Assert.Equal(g.Edges.Where((e, i) => e.Required && !unreachable.Contains(i)).Sum(e => e.Cost), t.RequiredCost, 6);
    }

    /// <summary>A jittered grid with some streets missing, random costs, required and one-way shares.</summary>
    public static PostmanGraph Grid(int w, int h, Random rng, double requiredShare, double oneWayShare, bool integerCosts, bool diagonals = false)
    {
        var edges = new List<PostmanEdge>();
        double Cost() => integerCosts ? rng.Next(1, 10) : 50 + rng.NextDouble() * 100;
        void Add(int a, int b)
        {
            if (rng.NextDouble() < 0.1) return;
            var oneWay = rng.NextDouble() < oneWayShare;
            var (f, t) = oneWay && rng.Next(2) == 0 ? (b, a) : (a, b);
            edges.Add(new PostmanEdge(f, t, Cost(), oneWay, rng.NextDouble() < requiredShare));
        }
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var v = y * w + x;
                if (x + 1 < w) Add(v, v + 1);
                if (y + 1 < h) Add(v, v + w);
                if (diagonals && x + 1 < w && y + 1 < h && rng.Next(3) == 0) Add(v, v + w + 1);
            }
        return new PostmanGraph(w * h, edges);
    }

    /// <summary>Exact undirected deadhead by enumeration (connected required edges assumed): min pairing of odd nodes.</summary>
    public static double BruteForceDeadhead(PostmanGraph g)
    {
        var n = g.NodeCount;
        var d = new double[n, n];
        for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) d[i, j] = i == j ? 0 : double.PositiveInfinity;
        foreach (var e in g.Edges) d[e.From, e.To] = d[e.To, e.From] = Math.Min(d[e.From, e.To], e.Cost);
        for (var k = 0; k < n; k++) for (var i = 0; i < n; i++) for (var j = 0; j < n; j++) d[i, j] = Math.Min(d[i, j], d[i, k] + d[k, j]);
        var degree = new int[n];
        foreach (var e in g.Edges.Where(e => e.Required && double.IsFinite(d[0, e.From]))) { degree[e.From]++; degree[e.To]++; }
        var odd = Enumerable.Range(0, n).Where(v => degree[v] % 2 == 1).ToList();
        double Best(List<int> rest)
        {
            if (rest.Count == 0) return 0;
            var best = double.PositiveInfinity;
            for (var j = 1; j < rest.Count; j++)
            {
                var next = rest.Where((_, i) => i != 0 && i != j).ToList();
                best = Math.Min(best, d[rest[0], rest[j]] + Best(next));
            }
            return best;
        }
        return odd.Count > 12 ? throw new InvalidOperationException("too many odd nodes for brute force") : Best(odd);
    }
}
