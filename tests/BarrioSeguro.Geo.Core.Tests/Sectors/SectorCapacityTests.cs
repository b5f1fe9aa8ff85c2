using BarrioSeguro.Geo.Core.Sectors;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>Sector capacity: a sector staffed by two pairs takes twice the work of one staffed by one.</summary>
public class SectorCapacityTests
{
    private static readonly Lazy<List<SectorUnit>> Blocks = new(ElMilagro);

    [Theory]
    [InlineData(SectorObjective.Compactness)]
    [InlineData(SectorObjective.Response)]
    public void Two_pairs_take_twice_the_work_of_one(SectorObjective objective)
    {
        var units = Blocks.Value;
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 3, SectorShares = [2, 1, 1], Objective = objective });
        SectorizerTests.AssertValidPlan(units, plan, 3);
        var total = units.Sum(u => u.Workload);
        var s = plan.Report.Sectors;
        Assert.Equal(total / 2, s[0].TargetWorkload, 6);
        Assert.Equal(total / 4, s[1].TargetWorkload, 6);
        Assert.Equal(total / 4, s[2].TargetWorkload, 6);
        Assert.All(s, x => Assert.True(Math.Abs(x.Workload - x.TargetWorkload) <= 0.05 * x.TargetWorkload + 1e-9,
            $"sector {x.Id}: {x.Workload:0.0} for a target of {x.TargetWorkload:0.0}"));
        Assert.Equal(s.Max(x => Math.Abs(x.Workload - x.TargetWorkload) / x.TargetWorkload) * 100, plan.Report.MaxDeviationPct, 9);
        Assert.InRange(s[0].Workload / s[1].Workload, 1.8, 2.2);
    }

    [Fact]
    public void Equal_shares_give_the_same_plan_as_none()
    {
        var units = RandomGrid(15, 15, 3);
        var none = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Seed = 2 });
        var equal = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Seed = 2, SectorShares = [1, 1, 1, 1] });
        Assert.Equal(none.Report.MaxDeviationPct, equal.Report.MaxDeviationPct, 9);
        Assert.All(equal.Report.Sectors, s => Assert.Equal(units.Sum(u => u.Workload) / 4, s.TargetWorkload, 9));
    }

    [Theory]
    [InlineData(new double[] { 1, 1 }, "2 sector capacities for 3 sectors")]
    [InlineData(new double[] { 1, 0, 1 }, "The capacity of sector 1 is 0")]
    [InlineData(new double[] { 1, double.NaN, 1 }, "The capacity of sector 1 is NaN")]
    public void Bad_capacities_are_refused(double[] shares, string message)
    {
        var units = Grid(3, 3, (_, _) => 1);
        var e = Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 3, SectorShares = shares }));
        Assert.Contains(message, e.Message);
    }
}
