using BarrioSeguro.Geo.Core.Routes;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Routes;

public class ChinesePostmanTests
{
    private static PostmanEdge E(int a, int b, double cost, bool oneWay = false, bool required = true) => new(a, b, cost, oneWay, required);

    private static PostmanGraph G(int n, params PostmanEdge[] edges) => new(n, edges);

    [Fact]
    public void Square_cycle_needs_no_deadhead()
    {
        var g = G(4, E(0, 1, 1), E(1, 2, 2), E(2, 3, 3), E(3, 0, 4));
        var t = ChinesePostman.Solve(g, 0);
        Assert.Equal(10, t.RequiredCost);
        Assert.Equal(0, t.DeadheadCost);
        Assert.True(t.Optimal);
        Assert.Equal(4, t.EdgeSequence.Count);
        RouteChecks.AssertClosedWalkCovering(g, t);
    }

    [Fact]
    public void Path_of_three_edges_is_walked_there_and_back()
    {
        // Ends 0 and 3 are the odd nodes; their shortest path is the whole street, so every edge is walked twice.
        var g = G(4, E(0, 1, 1), E(1, 2, 2), E(2, 3, 3));
        var t = ChinesePostman.Solve(g, 1);
        Assert.Equal(6, t.RequiredCost);
        Assert.Equal(6, t.DeadheadCost);
        Assert.True(t.Optimal);
        RouteChecks.AssertClosedWalkCovering(g, t);
    }

    [Fact]
    public void Path_whose_ends_are_joined_by_a_neighbouring_street_uses_it()
    {
        // Same street, but a non-required street 3-0 (cost 4) closes the loop: deadhead 4 instead of 6.
        var g = G(4, E(0, 1, 1), E(1, 2, 2), E(2, 3, 3), E(3, 0, 4, required: false));
        var t = ChinesePostman.Solve(g, 0);
        Assert.Equal(4, t.DeadheadCost);
        RouteChecks.AssertClosedWalkCovering(g, t);
    }

    [Fact]
    public void T_junction_doubles_every_arm()
    {
        // L-C 3, C-R 4, C-B 5: odd nodes L, R, B, C; every pairing costs 12.
        var g = G(4, E(0, 1, 3), E(1, 2, 4), E(1, 3, 5));
        var t = ChinesePostman.Solve(g, 0);
        Assert.Equal(12, t.RequiredCost);
        Assert.Equal(12, t.DeadheadCost);
        RouteChecks.AssertClosedWalkCovering(g, t);
    }

    [Fact]
    public void Textbook_graph_with_four_odd_nodes()
    {
        // A0 B1 C2 D3 E4. Odd: A, B, D, E. d(A,B)=4, d(D,E)=3, d(A,D)=9, d(B,E)=6, d(A,E)=7, d(B,D)=5.
        // Pairings: AB+DE = 7, AD+BE = 15, AE+BD = 12  ->  deadhead 7, tour 34 + 7 = 41.
        var g = G(5, E(0, 1, 4), E(0, 2, 3), E(1, 2, 2), E(1, 3, 5), E(2, 3, 6), E(2, 4, 4), E(3, 4, 3), E(0, 4, 7));
        var t = ChinesePostman.Solve(g, 2);
        Assert.Equal(34, t.RequiredCost);
        Assert.Equal(7, t.DeadheadCost, 9);
        Assert.Equal(41, t.TotalCost, 9);
        Assert.True(t.Optimal);
        RouteChecks.AssertClosedWalkCovering(g, t);
    }

    [Fact]
    public void Weighted_K4()
    {
        // All four nodes odd. d01=1, d23=3 (4); d02=3 via 1, d13=5 (8); d03=4, d12=2 (6)  ->  deadhead 4.
        var g = G(4, E(0, 1, 1), E(0, 2, 5), E(0, 3, 4), E(1, 2, 2), E(1, 3, 6), E(2, 3, 3));
        var t = ChinesePostman.Solve(g, 3);
        Assert.Equal(21, t.RequiredCost);
        Assert.Equal(4, t.DeadheadCost, 9);
        RouteChecks.AssertClosedWalkCovering(g, t);
        // the deadhead copies are exactly 0-1 and 2-3
        var counts = t.EdgeSequence.GroupBy(PostmanTour.EdgeOf).ToDictionary(x => x.Key, x => x.Count());
        Assert.Equal(2, counts[0]);
        Assert.Equal(2, counts[5]);
    }

    [Fact]
    public void One_way_streets_are_balanced_exactly_and_a_neighbouring_two_way_street_is_used()
    {
        // Required one-way 0->1 (1), 1->2 (1), 2->0 (4), 0->2 (5); neighbouring two-way 2-0 (2), not required.
        // Node 2 has one arc too many in: the cheapest way from 2 back to 0 is the neighbouring street: deadhead 2.
        var g = G(3, E(0, 1, 1, true), E(1, 2, 1, true), E(2, 0, 4, true), E(0, 2, 5, true), E(2, 0, 2, false, false));
        var t = ChinesePostman.Solve(g, 0);
        Assert.True(t.Optimal);
        Assert.Equal(11, t.RequiredCost);
        Assert.Equal(2, t.DeadheadCost);
        RouteChecks.AssertClosedWalkCovering(g, t);
        Assert.All(t.EdgeSequence.Where(s => g.Edges[PostmanTour.EdgeOf(s)].OneWay), s => Assert.True(PostmanTour.IsForward(s)));
    }

    [Fact]
    public void One_way_street_against_the_flow_needs_the_way_round()
    {
        // A one-way square 0->1->2->3->0 of 1 each plus a required one-way 0->2 (1): node 2 gets two arcs in, one out;
        // the only way from 2 back to 0 is 2->3->0 (deadhead 2).
        var g = G(4, E(0, 1, 1, true), E(1, 2, 1, true), E(2, 3, 1, true), E(3, 0, 1, true), E(0, 2, 1, true));
        var t = ChinesePostman.Solve(g, 0);
        Assert.Equal(2, t.DeadheadCost);
        Assert.True(t.Optimal);
        RouteChecks.AssertClosedWalkCovering(g, t);
    }

    [Fact]
    public void Mixed_streets_give_a_complete_tour_marked_not_optimal_by_the_heuristic_alone()
    {
        var g = G(5, E(0, 1, 1, true), E(1, 2, 1), E(2, 3, 2), E(3, 0, 1, true), E(1, 3, 3), E(3, 4, 1), E(4, 0, 2, true));
        var t = ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactTimeLimit = TimeSpan.Zero });
        Assert.False(t.Optimal);
        Assert.Null(t.LowerBound);
        Assert.Contains(t.Notes, n => n.English.Contains("mixed"));
        RouteChecks.AssertClosedWalkCovering(g, t);
        foreach (var s in t.EdgeSequence)
            if (g.Edges[PostmanTour.EdgeOf(s)].OneWay) Assert.True(PostmanTour.IsForward(s));

        // With the integer model (the default) the same graph is solved and proven.
        var exact = ChinesePostman.Solve(g, 0);
        Assert.True(exact.Optimal);
        Assert.Equal(exact.TotalCost, exact.LowerBound!.Value, 6);
        Assert.True(exact.TotalCost <= t.TotalCost + 1e-9);
        RouteChecks.AssertClosedWalkCovering(g, exact);
    }

    [Fact]
    public void Unreachable_required_streets_are_listed()
    {
        // 0-1 reachable; 2-3 an island; one-way 1->4 has no way back.
        var g = G(5, E(0, 1, 1), E(2, 3, 1), E(1, 4, 1, true));
        var t = ChinesePostman.Solve(g, 0);
        Assert.Equal([1, 2], t.UnreachableRequiredEdges.Order());
        Assert.NotEmpty(t.Notes);
        RouteChecks.AssertClosedWalkCovering(g, t);

        var undirected = G(4, E(0, 1, 1), E(2, 3, 1));
        var u = ChinesePostman.Solve(undirected, 0);
        Assert.Equal([1], u.UnreachableRequiredEdges);
        Assert.Equal(2, u.TotalCost);
    }

    [Fact]
    public void Pieces_joined_through_a_neighbouring_sector()
    {
        // Two required triangles joined only by a non-required street 2-3 (cost 5): walked there and back.
        var g = G(6, E(0, 1, 1), E(1, 2, 1), E(2, 0, 1), E(3, 4, 1), E(4, 5, 1), E(5, 3, 1), E(2, 3, 5, required: false));
        var t = ChinesePostman.Solve(g, 0);
        Assert.False(t.Optimal);
        Assert.Equal(10, t.DeadheadCost);
        Assert.Empty(t.UnreachableRequiredEdges);
        RouteChecks.AssertClosedWalkCovering(g, t);
    }

    [Fact]
    public void Start_off_the_sector_walks_in_and_back()
    {
        var g = G(4, E(0, 1, 2, required: false), E(1, 2, 1), E(2, 3, 1), E(3, 1, 1));
        var t = ChinesePostman.Solve(g, 0);
        Assert.Equal(4, t.DeadheadCost);
        RouteChecks.AssertClosedWalkCovering(g, t);
    }

    [Fact]
    public void Seeds_vary_the_tour_but_not_its_cost()
    {
        var g = RouteChecks.Grid(8, 8, new Random(3), requiredShare: 1.0, oneWayShare: 0, integerCosts: true);
        var tours = Enumerable.Range(0, 6).Select(seed => ChinesePostman.Solve(g, 0, seed)).ToList();
        foreach (var t in tours)
        {
            RouteChecks.AssertClosedWalkCovering(g, t);
            Assert.Equal(tours[0].RequiredCost, t.RequiredCost, 9);
            Assert.Equal(tours[0].DeadheadCost, t.DeadheadCost, 9);
        }
        Assert.True(tours.Select(t => string.Join(",", t.EdgeSequence)).Distinct().Count() >= 5);

        // Avenues with a one-way lane each way, some with one lane only: directed, strongly connected, unbalanced.
        var lanes = new List<PostmanEdge>();
        var r = new Random(4);
        foreach (var e in RouteChecks.Grid(6, 6, r, requiredShare: 1.0, oneWayShare: 0, integerCosts: true).Edges)
        {
            lanes.Add(e with { OneWay = true });
            if (r.NextDouble() < 0.7) lanes.Add(new PostmanEdge(e.To, e.From, e.Cost, true, true));
            else lanes.Add(new PostmanEdge(e.To, e.From, e.Cost + 3, false, false));
        }
        var directed = new PostmanGraph(36, lanes);
        var d = Enumerable.Range(0, 4).Select(seed => ChinesePostman.Solve(directed, 0, seed)).ToList();
        Assert.All(d, t => RouteChecks.AssertClosedWalkCovering(directed, t));
        Assert.All(d, t => Assert.True(t.Optimal));
        Assert.All(d, t => Assert.Equal(d[0].DeadheadCost, t.DeadheadCost, 9));
        Assert.True(d.Select(t => string.Join(",", t.EdgeSequence)).Distinct().Count() >= 3);
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.0)]
    [InlineData(3, 0.3)]
    [InlineData(4, 1.0)]
    [InlineData(5, 0.5)]
    public void Every_reachable_required_street_lies_on_a_closed_walk_from_the_start(int seed, double oneWay)
    {
        var rng = new Random(seed);
        for (var trial = 0; trial < 10; trial++)
        {
            var g = RouteChecks.Grid(rng.Next(2, 9), rng.Next(2, 9), rng, requiredShare: 0.7, oneWayShare: oneWay, integerCosts: false);
            var start = rng.Next(g.NodeCount);
            var t = ChinesePostman.Solve(g, start, seed);
            RouteChecks.AssertClosedWalkCovering(g, t);
        }
    }

    [Fact]
    public void Undirected_deadhead_equals_brute_force_optimum_on_small_graphs()
    {
        // Exhaustive check: min over all pairings of the odd nodes of the sum of shortest paths (Floyd-Warshall).
        var rng = new Random(11);
        for (var trial = 0; trial < 60; trial++)
        {
            var g = RouteChecks.Grid(rng.Next(2, 5), rng.Next(2, 5), rng, requiredShare: 1.0, oneWayShare: 0, integerCosts: true, diagonals: true);
            var t = ChinesePostman.Solve(g, 0, trial);
            RouteChecks.AssertClosedWalkCovering(g, t);
            Assert.True(t.Optimal, string.Join("; ", t.Notes));
            var brute = RouteChecks.BruteForceDeadhead(g);
            Assert.True(Math.Abs(brute - t.DeadheadCost) < 1e-6, $"brute {brute} got {t.DeadheadCost} n={g.NodeCount} " + string.Join(" ", g.Edges.Select(e => $"{e.From}-{e.To}:{e.Cost}")) + " walk " + string.Join(",", t.EdgeSequence));
        }
    }
}
