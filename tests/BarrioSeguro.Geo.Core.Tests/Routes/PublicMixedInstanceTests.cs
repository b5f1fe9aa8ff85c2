using BarrioSeguro.Geo.Bench.Instances;
using BarrioSeguro.Geo.Core.Routes;

using Xunit;
using Xunit.Abstractions;

namespace BarrioSeguro.Geo.Core.Tests.Routes;

/// <summary>
/// Small public mixed postman instances (Yaoyuenyong's, as OARLib redistributes them, in the bench's data/mcpp): the
/// exact solver closes the gap on each (its tour costs what its proven lower bound says) and never does worse than
/// the heuristic. No optimum is published with these files, so the proof is the solver's own bound.
/// </summary>
public class PublicMixedInstanceTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("nobert.nwk", 11, 18)]
    [InlineData("D21_yut2.nwk", 21, 40)]
    [InlineData("A30_1.nwk", 30, 53)]
    [InlineData("MHe40a12.nwk", 35, 52)]
    public void Small_public_instances_are_solved_to_proven_optimality(string file, int vertices, int links)
    {
        var folder = MixedPostmanInstance.Folder() ?? throw new InvalidOperationException("tools/BarrioSeguro.Geo.Bench/data/mcpp not found above the test folder");
        var instance = MixedPostmanInstance.Read(Path.Combine(folder, file));
        var g = instance.Graph;
        Assert.Equal(vertices, g.NodeCount);
        Assert.Equal(links, g.Edges.Count);
        Assert.Contains(g.Edges, e => e.OneWay);
        Assert.Contains(g.Edges, e => !e.OneWay);

        var heuristic = ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactTimeLimit = TimeSpan.Zero });
        var exact = ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactTimeLimit = TimeSpan.FromSeconds(120) });
        output.WriteLine($"{instance.Name}: heuristic {heuristic.TotalCost}, exact {exact.TotalCost}, bound {exact.LowerBound}, {exact.Method}");
        Assert.Empty(exact.UnreachableRequiredEdges);
        RouteChecks.AssertClosedWalkCovering(g, exact);
        Assert.True(exact.Optimal, string.Join("; ", exact.Notes));
        Assert.Equal(exact.TotalCost, exact.LowerBound!.Value, 6);
        Assert.True(exact.TotalCost <= heuristic.TotalCost + 1e-9);
        // Every link at least once: the optimum is at least the sum of the link costs.
        Assert.True(exact.TotalCost >= g.Edges.Sum(e => e.Cost) - 1e-9);
    }
}
