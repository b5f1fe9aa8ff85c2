using BarrioSeguro.Geo.Core.Routes;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Routes;

public class BlossomMatchingTests
{
    [Fact]
    public void Empty_and_single_edge()
    {
        Assert.Empty(BlossomMatching.MaxWeightMatching([], false));
        Assert.Equal([1, 0], BlossomMatching.MaxWeightMatching([(0, 1, 1)], false));
    }

    [Fact]
    public void Max_cardinality_takes_the_lighter_edges_when_it_must()
    {
        // 1-2 (5), 2-3 (11), 3-4 (5): the heaviest is 2-3 alone, the heaviest perfect one is 1-2 + 3-4.
        Assert.Equal([-1, -1, 3, 2, -1], BlossomMatching.MaxWeightMatching([(1, 2, 5), (2, 3, 11), (3, 4, 5)], false));
        Assert.Equal([-1, 2, 1, 4, 3], BlossomMatching.MaxWeightMatching([(1, 2, 5), (2, 3, 11), (3, 4, 5)], true));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(10)]
    public void Min_weight_perfect_matching_equals_brute_force_on_random_complete_graphs(int n)
    {
        var rng = new Random(n);
        for (var trial = 0; trial < (n <= 6 ? 200 : 40); trial++)
        {
            var w = new long[n, n];
            for (var i = 0; i < n; i++)
                for (var j = i + 1; j < n; j++) w[i, j] = w[j, i] = rng.Next(trial % 2 == 0 ? 5 : 1000);
            long max = 0;
            foreach (var x in w) max = Math.Max(max, x);
            var edges = new List<(int, int, long)>();
            for (var i = 0; i < n; i++)
                for (var j = i + 1; j < n; j++) edges.Add((i, j, max + 1 - w[i, j]));
            var mate = BlossomMatching.MaxWeightMatching(edges, maxCardinality: true, vertexCount: n);
            long got = 0;
            for (var i = 0; i < n; i++)
            {
                Assert.True(mate[i] >= 0 && mate[mate[i]] == i, "perfect matching");
                if (mate[i] > i) got += w[i, mate[i]];
            }
            Assert.Equal(BruteMinPerfect(w, n), got);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Priced_min_cost_perfect_matching_equals_brute_force(int candidates)
    {
        // Few candidates per vertex force the pricing loop to add the pairs the duals show are missing.
        var rng = new Random(candidates);
        for (var trial = 0; trial < 150; trial++)
        {
            var n = 2 * rng.Next(1, 6);
            var w = new long[n, n];
            var pts = Enumerable.Range(0, n).Select(_ => (X: rng.Next(20), Y: rng.Next(20))).ToArray();
            for (var i = 0; i < n; i++)
                for (var j = i + 1; j < n; j++)
                    w[i, j] = w[j, i] = trial % 3 == 0 ? rng.Next(50) : Math.Abs(pts[i].X - pts[j].X) + Math.Abs(pts[i].Y - pts[j].Y);
            var mate = BlossomMatching.MinCostPerfectMatching(n, w, candidates);
            long got = 0;
            for (var i = 0; i < n; i++)
            {
                Assert.True(mate[i] >= 0 && mate[mate[i]] == i);
                if (mate[i] > i) got += w[i, mate[i]];
            }
            Assert.Equal(BruteMinPerfect(w, n), got);
        }
    }

    [Fact]
    public void Max_weight_matching_equals_brute_force_on_random_sparse_graphs()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 400; trial++)
        {
            var n = rng.Next(2, 11);
            var edges = new List<(int U, int V, long W)>();
            for (var i = 0; i < n; i++)
                for (var j = i + 1; j < n; j++)
                    if (rng.NextDouble() < 0.45) edges.Add((i, j, rng.Next(1, 30)));
            var mate = BlossomMatching.MaxWeightMatching(edges, maxCardinality: false, vertexCount: n);
            long got = 0;
            foreach (var (u, v, wt) in edges) if (mate[u] == v) { Assert.Equal(u, mate[v]); got += wt; }
            Assert.Equal(BruteMax(edges, 0, new bool[n]), got);
        }
    }

    private static long BruteMinPerfect(long[,] w, int n)
    {
        long Best(int usedMask)
        {
            var i = 0;
            while (i < n && (usedMask & (1 << i)) != 0) i++;
            if (i == n) return 0;
            var best = long.MaxValue;
            for (var j = i + 1; j < n; j++)
                if ((usedMask & (1 << j)) == 0) best = Math.Min(best, w[i, j] + Best(usedMask | (1 << i) | (1 << j)));
            return best;
        }
        return Best(0);
    }

    private static long BruteMax(List<(int U, int V, long W)> edges, int from, bool[] used)
    {
        long best = 0;
        for (var k = from; k < edges.Count; k++)
        {
            var (u, v, w) = edges[k];
            if (used[u] || used[v]) continue;
            used[u] = used[v] = true;
            best = Math.Max(best, w + BruteMax(edges, k + 1, used));
            used[u] = used[v] = false;
        }
        return best;
    }
}
