using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Routes;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Routes;

/// <summary>The integer model for the mixed (and directed rural) postman, against enumeration on small graphs.</summary>
public class MixedPostmanTests
{
    private const int MaxCopies = 3;

    /// <summary>
    /// Small random mixed graphs (one-way arcs, two-way edges, some not required, so pieces happen): every way of
    /// travelling each arc 0..3 times and each edge 0..3 times each way is tried; the cheapest balanced, connected
    /// choice that covers the reachable required links is the optimum the solver must reach and prove.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Exact_solver_matches_brute_force_on_small_mixed_graphs(int seed)
    {
        var g = SmallMixed(new Random(seed));
        var t = ChinesePostman.Solve(g, 0, seed);
        RouteChecks.AssertClosedWalkCovering(g, t);
        var required = Enumerable.Range(0, g.Edges.Count).Where(i => g.Edges[i].Required).Except(t.UnreachableRequiredEdges).ToList();
        var best = BruteForce(g, required, 0);
        Assert.Equal(best, t.TotalCost, 6);
        Assert.True(t.Optimal, $"seed {seed}: {string.Join("; ", t.Notes)}");
        Assert.Equal(t.TotalCost, t.LowerBound!.Value, 6);
        Assert.Equal(0, t.GapPercent!.Value, 6);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 40)];

    /// <summary>The same enumeration for the deterministic CP-SAT model (integer costs here, so centi-units lose nothing).</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Deterministic_model_matches_brute_force_on_small_mixed_graphs(int seed)
    {
        var g = SmallMixed(new Random(seed));
        var t = ChinesePostman.Solve(g, 0, seed, new PostmanOptions { ExactWork = 10 });
        RouteChecks.AssertClosedWalkCovering(g, t);
        var required = Enumerable.Range(0, g.Edges.Count).Where(i => g.Edges[i].Required).Except(t.UnreachableRequiredEdges).ToList();
        var best = BruteForce(g, required, 0);
        Assert.Equal(best, t.TotalCost, 6);
        Assert.True(t.Optimal, $"seed {seed}: {string.Join("; ", t.Notes)}");
        Assert.Equal(t.TotalCost, t.LowerBound!.Value, 6);
        // A proof says which solver gave it: CP-SAT here, never SCIP.
        Assert.DoesNotContain(t.Notes, n => n.English.Contains("SCIP"));
        Assert.All(t.Notes.Where(n => n.Code == "postman.heuristic_proven"), n => Assert.Equal("CP-SAT", n.Args["solver"]));
    }

    /// <summary>
    /// The deterministic model stops on work, not on the clock: solved again while every core is kept busy by other
    /// threads, the same graph gives the same steps, bound and notes, and the unproven tour it accepts is the same.
    /// </summary>
    [Fact]
    public void The_deterministic_model_gives_the_same_tour_under_load()
    {
        var g = RouteChecks.Grid(12, 12, new Random(5), requiredShare: 0.9, oneWayShare: 0.3, integerCosts: false, diagonals: true);
        var options = new PostmanOptions { ExactWork = 1, AcceptUnproven = true };
        var quiet = ChinesePostman.Solve(g, 0, 7, options);
        RouteChecks.AssertClosedWalkCovering(g, quiet);
        Assert.Equal("integer model (CP-SAT, deterministic)", quiet.Method);

        using var stop = new CancellationTokenSource();
        var burners = Enumerable.Range(0, 2 * Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            var x = 0.0;
            while (!stop.IsCancellationRequested) x = Math.Sqrt(x + 1);
        }) { IsBackground = true }).ToList();
        burners.ForEach(t => t.Start());
        PostmanTour loaded;
        try { loaded = ChinesePostman.Solve(g, 0, 7, options); }
        finally { stop.Cancel(); burners.ForEach(t => t.Join()); }

        Assert.Equal(quiet.EdgeSequence, loaded.EdgeSequence);
        Assert.Equal(quiet.LowerBound, loaded.LowerBound);
        Assert.Equal(quiet.Notes.Select(n => n.ToString()), loaded.Notes.Select(n => n.ToString()));
        var heuristic = ChinesePostman.Solve(g, 0, 7, new PostmanOptions { ExactTimeLimit = TimeSpan.Zero });
        Assert.True(quiet.TotalCost <= heuristic.TotalCost + 1e-6, $"model {quiet.TotalCost}, heuristic {heuristic.TotalCost}");
        Assert.True(quiet.LowerBound <= quiet.TotalCost + 1e-6);
    }

    [Fact]
    public void Euler_circuit_travels_each_required_link_as_required()
    {
        var rng = new Random(11);
        var g = RouteChecks.Grid(6, 6, rng, requiredShare: 0.8, oneWayShare: 0.35, integerCosts: false, diagonals: true);
        var heuristic = ChinesePostman.Solve(g, 0, 1, new PostmanOptions { ExactTimeLimit = TimeSpan.Zero });
        var exact = ChinesePostman.Solve(g, 0, 1, new PostmanOptions { ExactTimeLimit = TimeSpan.FromSeconds(30) });
        RouteChecks.AssertClosedWalkCovering(g, exact);
        Assert.Equal(heuristic.UnreachableRequiredEdges.Order(), exact.UnreachableRequiredEdges.Order());
        Assert.True(exact.TotalCost <= heuristic.TotalCost + 1e-6, $"exact {exact.TotalCost}, heuristic {heuristic.TotalCost}");
        Assert.True(exact.LowerBound!.Value <= exact.TotalCost + 1e-6);
        // Required one-way arcs forward only, required two-way edges at least once in some direction.
        var times = exact.EdgeSequence.GroupBy(PostmanTour.EdgeOf).ToDictionary(x => x.Key, x => x.ToList());
        for (var i = 0; i < g.Edges.Count; i++)
        {
            var e = g.Edges[i];
            if (!e.Required || exact.UnreachableRequiredEdges.Contains(i)) continue;
            Assert.True(times.ContainsKey(i), $"required edge {i} not travelled");
            if (e.OneWay) Assert.All(times[i], s => Assert.True(PostmanTour.IsForward(s)));
        }
    }

    [Fact]
    public void The_same_graph_and_seed_give_the_same_tour()
    {
        var g = RouteChecks.Grid(12, 12, new Random(5), requiredShare: 0.9, oneWayShare: 0.3, integerCosts: false, diagonals: true);
        var options = new PostmanOptions { ExactTimeLimit = TimeSpan.FromSeconds(60), ExactNodeLimit = 50, AcceptUnproven = true };
        var a = ChinesePostman.Solve(g, 0, 7, options);
        var b = ChinesePostman.Solve(g, 0, 7, options);
        RouteChecks.AssertClosedWalkCovering(g, a);
        Assert.Equal("integer model (SCIP)", a.Method);
        Assert.Equal(a.EdgeSequence, b.EdgeSequence);
        Assert.Equal(a.LowerBound, b.LowerBound);

        // By default only a proven optimal tour replaces the heuristic's; an unproven one leaves it, with the bound.
        var heuristic = ChinesePostman.Solve(g, 0, 7, new PostmanOptions { ExactTimeLimit = TimeSpan.Zero });
        var kept = ChinesePostman.Solve(g, 0, 7, options with { AcceptUnproven = false });
        RouteChecks.AssertClosedWalkCovering(g, kept);
        Assert.NotNull(kept.LowerBound);
        if (a.Optimal) Assert.Equal(a.EdgeSequence, kept.EdgeSequence);
        else
        {
            Assert.False(kept.Optimal);
            Assert.Equal(heuristic.EdgeSequence, kept.EdgeSequence);
            Assert.True(kept.LowerBound <= a.TotalCost + 1e-6);
        }
    }

    [Fact]
    public void A_cycle_travelled_apart_from_the_walk_is_left_out()
    {
        // A solution stopped early: the walk 0→1→0, and a balanced loop 2→3→2 nowhere near it.
        var g = new PostmanGraph(4, [new PostmanEdge(0, 1, 1, false, true), new PostmanEdge(2, 3, 5, true, false), new PostmanEdge(3, 2, 5, true, false)]);
        int[] forward = [1, 1, 1], backward = [1, 0, 0];
        MixedPostmanModel.DropStrayCycles(g, forward, backward, 0);
        Assert.Equal([1, 0, 0], forward);
        Assert.Equal([1, 0, 0], backward);
    }

    [Fact]
    public void A_negative_time_limit_is_refused()
    {
        var g = new PostmanGraph(2, [new PostmanEdge(0, 1, 1, true, true), new PostmanEdge(1, 0, 1, false, true)]);
        var ex = Assert.Throws<RefusalException>(() => ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactTimeLimit = TimeSpan.FromSeconds(-1) }));
        Assert.Contains("time limit", ex.Message);
        var nodes = Assert.Throws<RefusalException>(() => ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactNodeLimit = 0 }));
        Assert.Contains("node limit", nodes.Message);
        var work = Assert.Throws<RefusalException>(() => ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactWork = -1 }));
        Assert.Contains("deterministic work", work.Message);
    }

    /// <summary>4-5 nodes, 6 links, at most 10 counts to enumerate.</summary>
    private static PostmanGraph SmallMixed(Random rng)
    {
        while (true)
        {
            var n = rng.Next(4, 6);
            var edges = new List<PostmanEdge>();
            for (var i = 0; i < 6; i++)
            {
                var a = rng.Next(n);
                var b = rng.Next(n - 1);
                if (b >= a) b++;
                edges.Add(new PostmanEdge(a, b, rng.Next(1, 10), rng.NextDouble() < 0.5, rng.NextDouble() < 0.75));
            }
            var counts = edges.Sum(e => e.OneWay ? 1 : 2);
            if (counts <= 10 && edges.Any(e => e.OneWay) && edges.Any(e => !e.OneWay && e.Required)) return new PostmanGraph(n, edges);
        }
    }

    /// <summary>Cheapest closed walk from the start over all count vectors in 0..MaxCopies; +∞ when none.</summary>
    private static double BruteForce(PostmanGraph g, List<int> required, int start)
    {
        var slots = new List<(int Edge, bool Forward)>();
        for (var i = 0; i < g.Edges.Count; i++)
        {
            slots.Add((i, true));
            if (!g.Edges[i].OneWay) slots.Add((i, false));
        }
        var isRequired = required.ToHashSet();
        var counts = new int[slots.Count];
        var best = double.PositiveInfinity;
        var total = (int)Math.Pow(MaxCopies + 1, slots.Count);
        for (var code = 0; code < total; code++)
        {
            var c = code;
            for (var k = 0; k < slots.Count; k++) { counts[k] = c % (MaxCopies + 1); c /= MaxCopies + 1; }
            var balance = new int[g.NodeCount];
            var per = new int[g.Edges.Count];
            var cost = 0.0;
            var parent = Enumerable.Range(0, g.NodeCount).ToArray();
            int Find(int v) { while (parent[v] != v) v = parent[v]; return v; }
            for (var k = 0; k < slots.Count; k++)
            {
                if (counts[k] == 0) continue;
                var (i, fwd) = slots[k];
                var e = g.Edges[i];
                var (from, to) = fwd ? (e.From, e.To) : (e.To, e.From);
                balance[from] += counts[k];
                balance[to] -= counts[k];
                per[i] += counts[k];
                cost += counts[k] * e.Cost;
                parent[Find(from)] = Find(to);
            }
            if (cost >= best || balance.Any(b => b != 0) || isRequired.Any(i => per[i] == 0)) continue;
            var root = Find(start);
            if (isRequired.Any(i => Find(g.Edges[i].From) != root)) continue;
            best = cost;
        }
        return required.Count == 0 ? 0 : best;
    }
}
