using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Bench.Synthetic;
using BarrioSeguro.Geo.Core.Sectors;
using NetTopologySuite.Geometries;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

public class PlanEvaluatorTests
{
    private static Polygon Box(double x0, double y0, double x1, double y1) => Factory.CreatePolygon(
        [new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]);

    [Fact]
    public void A_hand_drawn_plan_is_assigned_by_largest_share_and_evaluated_like_a_computed_one()
    {
        var units = Grid(4, 4, (r, c) => r + 1); // rows weigh 1, 2, 3, 4
        // Drawn a little sloppily: the line between the sectors runs a third of a block into row 2.
        var split = Y(2) + Step / 3;
        var drawn = new List<(int, Geometry)> { (7, Box(X(0) - 0.0002, Y(0) - 0.0002, X(4) + 0.0002, split)), (9, Box(X(0) - 0.0002, split, X(4) + 0.0002, Y(4) + 0.0002)) };
        var plan = PlanEvaluator.AssignByLargestShare(units, drawn);
        Assert.All(units, u => Assert.Equal(u.Id[1] <= '1' ? 7 : 9, plan[u.Id]));

        var report = PlanEvaluator.Evaluate(units, plan);
        Assert.Equal([7, 9], report.Sectors.Select(s => s.Id));
        Assert.Equal([12.0, 28.0], report.Sectors.Select(s => s.Workload));
        Assert.Equal(40, report.MaxDeviationPct, 9); // mean 20: |12 - 20| / 20
        Assert.True(report.Contiguous);
        Assert.Equal(Math.PI / 4 * 8 / 9, report.MeanPolsbyPopper, 2); // two 2:1 rectangles
        Assert.Null(report.Churn);
    }

    [Fact]
    public void Blocks_outside_every_drawn_sector_are_named_or_attached_on_request()
    {
        var units = Grid(1, 3, (_, _) => 1);
        var drawn = new List<(int, Geometry)> { (0, Box(X(0), Y(0), X(2), Y(1))) };
        var e = Assert.Throws<RefusalException>(() => PlanEvaluator.AssignByLargestShare(units, drawn));
        Assert.Contains("r0c2", e.Message);
        Assert.Equal(0, PlanEvaluator.AssignByLargestShare(units, drawn, attachUncoveredToNearest: true)["r0c2"]);
    }

    [Fact]
    public void A_plan_with_a_sector_in_two_pieces_is_not_contiguous_and_says_so()
    {
        var units = Grid(1, 3, (_, _) => 1);
        var report = PlanEvaluator.Evaluate(units, new Dictionary<string, int> { ["r0c0"] = 0, ["r0c1"] = 1, ["r0c2"] = 0 },
            previous: new Dictionary<string, int> { ["r0c0"] = 0, ["r0c1"] = 0, ["r0c2"] = 1 });
        Assert.False(report.Contiguous);
        Assert.False(report.Sectors[0].Contiguous);
        Assert.Equal(2, report.Sectors[0].Geometry.NumGeometries);
        Assert.Contains(report.Notes, n => n.English.Contains("Sector(s) 0 are not contiguous"));
        Assert.Equal(2, report.Churn!.BlocksChanged);
        Assert.Equal(200.0 / 3, report.Churn.WorkloadSharePct, 9);
    }

    [Fact]
    public void Missing_and_unknown_blocks_are_errors()
    {
        var units = Grid(1, 2, (_, _) => 1);
        Assert.Contains("r0c1", Assert.Throws<RefusalException>(() => PlanEvaluator.Evaluate(units, new Dictionary<string, int> { ["r0c0"] = 0 })).Message);
        Assert.Contains("zz", Assert.Throws<RefusalException>(() => PlanEvaluator.Evaluate(units,
            new Dictionary<string, int> { ["r0c0"] = 0, ["r0c1"] = 0, ["zz"] = 1 })).Message);
    }

    [Fact]
    public void The_synthetic_city_is_a_reproducible_tiling()
    {
        var a = SyntheticCity.Generate(500, 3);
        var b = SyntheticCity.Generate(500, 3);
        Assert.Equal(500, a.Count);
        Assert.Equal(a.Select(u => (u.Id, u.Workload, u.Geometry.AsText())), b.Select(u => (u.Id, u.Workload, u.Geometry.AsText())));
        var plan = Sectorizer.Partition(a, new PartitionOptions { Sectors = 10 });
        SectorizerTests.AssertValidPlan(a, plan, 10);
        Assert.Empty(plan.Report.Islands);
    }
}
