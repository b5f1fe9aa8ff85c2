using BarrioSeguro.Geo.Core.Sectors;
using Xunit;
using Xunit.Abstractions;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>Reporting-area-like cells with heavy-tailed call counts (Carrollton's shape: 325 areas, 12 beats).</summary>
public class SkewedResponseTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void With_skewed_calls_the_response_plan_is_at_least_5_percent_shorter_than_the_compact_plan(int seed)
    {
        var rnd = new Random(seed);
        var units = Voronoi(325, seed).Select(u => u with { Workload = Math.Round(Math.Exp(rnd.NextDouble() * 3) * 50) }).ToList();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var c = Sectorizer.Partition(units, new PartitionOptions { Sectors = 12 });
        var t1 = sw.ElapsedMilliseconds; sw.Restart();
        var r = Sectorizer.Partition(units, new PartitionOptions { Sectors = 12, Objective = SectorObjective.Response, TimeBudget = TimeSpan.FromSeconds(10) });
        var t2 = sw.ElapsedMilliseconds;
        var ce = PlanEvaluator.Evaluate(units, c.Assignment).Travel!.TotalWeightedKm!.Value;
        var re = PlanEvaluator.Evaluate(units, r.Assignment).Travel!.TotalWeightedKm!.Value;
        output.WriteLine($"seed {seed}: compact {ce:0} ({c.Report.MaxDeviationPct:0.0} %, {t1} ms) response {re:0} ({r.Report.MaxDeviationPct:0.0} %, contiguous {r.Report.Contiguous}, {t2} ms) {100 * (re - ce) / ce:0.0} %");
        SectorizerTests.AssertValidPlan(units, r, 12);
        Assert.True(r.Report.MaxDeviationPct <= 5 + 1e-9, $"{r.Report.MaxDeviationPct:0.00} %");
        Assert.True(re <= 0.95 * ce, $"response {re:0} vs compact {ce:0} call-km");
    }

    [Fact]
    public void The_exact_polish_reports_its_bound_and_never_lengthens_the_plan()
    {
        var rnd = new Random(1);
        var units = Voronoi(325, 1).Select(u => u with { Workload = Math.Round(Math.Exp(rnd.NextDouble() * 3) * 50) }).ToList();
        var heuristic = Sectorizer.Partition(units, new PartitionOptions { Sectors = 12, Objective = SectorObjective.Response });
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 12, Objective = SectorObjective.Response, PolishSeconds = 20 });
        var p = plan.Report.Polish!;
        output.WriteLine(string.Join(" | ", plan.Report.Notes));
        SectorizerTests.AssertValidPlan(units, plan, 12);
        Assert.True(plan.Report.MaxDeviationPct <= 5 + 1e-9);
        Assert.Equal("SCIP", p.Solver);
        Assert.Contains(p.Status, new[] { "optimal", "feasible", "infeasible", "not solved" });
        Assert.Equal(heuristic.Report.Travel!.TotalWeightedMinutes, p.HeuristicMinutes, 6);
        Assert.True(plan.Report.Travel!.TotalWeightedMinutes <= heuristic.Report.Travel.TotalWeightedMinutes + 1e-6);
        if (p.ObjectiveMinutes is { } value)
        {
            Assert.True(p.BoundMinutes <= value + 1e-6);
            Assert.InRange(p.GapPct!.Value, 0, 100);
            if (p.Improved) Assert.True(plan.Report.Travel.TotalWeightedMinutes <= value + 1e-3); // re-centring after it can only shorten
        }
        Assert.Contains(plan.Report.Notes, n => n.Code.StartsWith("sectors.polish_") && n.English.StartsWith("Exact polish (SCIP"));
    }
}
