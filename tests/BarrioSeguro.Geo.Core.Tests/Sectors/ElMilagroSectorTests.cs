using BarrioSeguro.Geo.Core.Sectors;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>El Milagro's blocks (OSM streets polygonized inside the illustrative boundary), synthetic incidents.</summary>
public class ElMilagroSectorTests
{
    private static readonly Lazy<List<SectorUnit>> Blocks = new(ElMilagro);

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Three_to_eight_sectors_within_five_percent_or_the_bound_and_more_compact_than_k_means(int k)
    {
        var units = Blocks.Value;
        Assert.InRange(units.Count, 100, 5000);
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = k, Seed = 1 });
        SectorizerTests.AssertValidPlan(units, plan, k);
        Assert.True(plan.Report.MaxDeviationPct <= Math.Max(5, plan.Report.BalanceBoundPct) + 1e-9,
            $"{plan.Report.MaxDeviationPct:0.00} % (bound {plan.Report.BalanceBoundPct:0.00} %)");
        var kmeans = PlanEvaluator.Evaluate(units, KMeans(units, k, 1));
        Assert.True(plan.Report.MeanPolsbyPopper > kmeans.MeanPolsbyPopper,
            $"{plan.Report.MeanPolsbyPopper:0.000} vs k-means {kmeans.MeanPolsbyPopper:0.000}");
    }
}
