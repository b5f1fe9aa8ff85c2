using BarrioSeguro.Geo.Core.Sectors;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>The lower bound of the weighted travel against the true optimum of tiny instances, found by enumeration.</summary>
public class ResponseBoundTests
{
    /// <summary>Every labelled partition of the blocks into k non-empty contiguous sectors within the tolerance, each
    /// sector at its best centre (a block of it, or sector 0 at a fixed origin): the least Σ workload × seconds.</summary>
    private static double BruteForce(SectorGraph g, TravelCost travel, int k, double tolerance, int fixedOrigin = -1)
    {
        var n = g.Count;
        var mean = g.Weight.Sum() / k;
        var part = new int[n];
        var best = double.PositiveInfinity;
        var total = (int)Math.Pow(k, n);
        for (var code = 0; code < total; code++)
        {
            var c = code;
            for (var i = 0; i < n; i++) { part[i] = c % k; c /= k; }
            var value = 0.0;
            var ok = true;
            for (var s = 0; s < k && ok; s++)
            {
                var members = Enumerable.Range(0, n).Where(i => part[i] == s).ToList();
                var sector = s;
                if (members.Count == 0 || Math.Abs(members.Sum(i => g.Weight[i]) - mean) > tolerance * mean + 1e-9
                    || !g.IsConnected(members, j => part[j] == sector)) { ok = false; break; }
                var origins = s == 0 && fixedOrigin >= 0 ? [fixedOrigin] : members;
                value += origins.Min(o => members.Sum(i => g.Weight[i] * travel.Row(o)[i]));
            }
            if (ok) best = Math.Min(best, value);
        }
        return best;
    }

    [Theory]
    [InlineData(2, 0.25, 1)]
    [InlineData(3, 0.25, 2)]
    [InlineData(3, 0.15, 3)]
    public void The_bound_is_at_or_below_the_optimum_of_every_balanced_contiguous_plan_of_a_3x3_grid(int k, double tolerance, int seed)
    {
        var random = new Random(seed);
        var units = Grid(3, 3, (_, _) => 1 + random.Next(5));
        var g = SectorGraph.Build(units, 0.5, 0.5, bridgeIslands: true);
        var travel = new TravelCost(g, [], null, 5);
        var optimum = BruteForce(g, travel, k, tolerance);
        Assert.True(double.IsFinite(optimum), "no balanced contiguous plan: the instance tests nothing");
        var bound = ResponseBound.Compute(g, travel, Enumerable.Repeat(-1, k).ToArray(), Enumerable.Repeat(g.Weight.Sum() / k, k).ToArray(),
            tolerance, optimum);
        Assert.True(bound.BoundMinutes * 60 <= optimum + 1e-6, $"bound {bound.BoundMinutes * 60:F3} s above the optimum {optimum:F3} s");
        Assert.True(bound.BoundMinutes * 60 >= 0.5 * optimum, $"bound {bound.BoundMinutes * 60:F3} s is far below the optimum {optimum:F3} s");

        // The plan's report: its bound at or below its own travel and below the optimum.
        var plan = Sectorizer.Partition(units, new PartitionOptions
        {
            Sectors = k, Seed = seed, Objective = SectorObjective.Response, TargetDeviation = tolerance, TimeBudget = TimeSpan.FromSeconds(30),
        });
        var b = plan.Report.Bound!;
        Assert.Equal("lagrangian-lp", b.Method);
        Assert.Equal(plan.Report.Travel!.TotalWeightedMinutes, b.PlanMinutes, 9);
        Assert.True(b.BoundMinutes <= b.PlanMinutes + 1e-9);
        if (plan.Report.MaxDeviationPct <= tolerance * 100 + 1e-9)
            Assert.True(b.BoundMinutes * 60 <= optimum + 1e-6, $"report bound {b.BoundMinutes * 60:F3} s above the optimum {optimum:F3} s");
        Assert.Equal((b.PlanMinutes - b.BoundMinutes) / b.PlanMinutes * 100, b.GapPct, 6);
        Assert.Contains(plan.Report.Notes, n => n.Code == "sectors.travel_bound");
    }

    [Fact]
    public void With_a_fixed_centre_the_bound_is_below_the_optimum_with_that_centre()
    {
        var random = new Random(5);
        var units = Grid(3, 3, (_, _) => 1 + random.Next(5));
        var corner = Factory.CreatePoint(units[0].Geometry.Centroid.Coordinate);
        var g = SectorGraph.Build(units, 0.5, 0.5, bridgeIslands: true);
        var travel = new TravelCost(g, [corner], null, 5);
        var optimum = BruteForce(g, travel, 2, 0.25, fixedOrigin: g.Count);
        var bound = ResponseBound.Compute(g, travel, [g.Count, -1], [g.Weight.Sum() / 2, g.Weight.Sum() / 2], 0.25, optimum);
        Assert.True(bound.BoundMinutes * 60 <= optimum + 1e-6, $"bound {bound.BoundMinutes * 60:F3} s above the optimum {optimum:F3} s");
        Assert.True(bound.BoundMinutes > 0);
    }

    [Fact]
    public void Over_the_limit_the_report_says_the_bound_was_skipped_and_names_the_limit()
    {
        var units = Grid(29, 29, (_, _) => 1);
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Objective = SectorObjective.Response, Attempts = 1 });
        Assert.Null(plan.Report.Bound);
        var note = Assert.Single(plan.Report.Notes, n => n.Code == "sectors.travel_bound_skipped");
        Assert.Equal(841.0, note.Args["count"]);
        Assert.Equal((double)ResponseBound.MaxBlocks, note.Args["limit"]);
    }
}
