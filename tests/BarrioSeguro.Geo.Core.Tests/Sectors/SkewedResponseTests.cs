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
}
