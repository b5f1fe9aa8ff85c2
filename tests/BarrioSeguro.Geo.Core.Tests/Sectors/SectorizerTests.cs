using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Coverage;
using NetTopologySuite.Geometries;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

public class SectorizerTests
{
    /// <summary>What every plan must be: k sectors, each contiguous, tiling the blocks exactly.</summary>
    internal static void AssertValidPlan(IReadOnlyList<SectorUnit> units, Plan plan, int k)
    {
        Assert.Equal(units.Count, plan.Assignment.Count);
        Assert.Equal(k, plan.Report.Sectors.Count);
        Assert.Equal(Enumerable.Range(0, k), plan.Assignment.Values.Distinct().Order());
        Assert.True(plan.Report.Contiguous, string.Join("; ", plan.Report.Notes));
        Assert.All(plan.Report.Sectors, s => Assert.True(s.Contiguous, $"sector {s.Id}"));
        Assert.Equal(units.Sum(u => u.Workload), plan.Report.Sectors.Sum(s => s.Workload), 6);
        // Tiles: sector areas add up to the blocks' area, the sector polygons form a valid coverage (no overlap), and
        // their union covers exactly what the blocks cover (no gap).
        var blocksArea = units.Sum(u => Measure.AreaSquareMeters(u.Geometry)) / 1e6;
        Assert.Equal(blocksArea, plan.Report.Sectors.Sum(s => s.AreaKm2), 1e-6);
        var sectors = plan.Report.Sectors.Select(s => (Geometry)s.Geometry).ToArray();
        Assert.All(CoverageValidator.Validate(sectors), invalid => Assert.True(invalid is null || invalid.IsEmpty, invalid?.AsText()));
        Assert.Equal(units.Sum(u => u.Geometry.Area), sectors.Sum(s => s.Area), 1e-10);
        if (plan.Report.Islands.Count == 0) Assert.All(plan.Report.Sectors, s => Assert.Equal(1, s.Geometry.NumGeometries));
        foreach (var s in plan.Report.Sectors)
            Assert.Equal(units.Where(u => plan.Assignment[u.Id] == s.Id).Sum(u => u.Geometry.Area), s.Geometry.Area, 1e-10);
    }

    public static TheoryData<int, int> GridCases()
    {
        var data = new TheoryData<int, int>();
        foreach (var seed in new[] { 1, 2, 3, 4, 5 })
            foreach (var k in new[] { 3, 4, 5, 6, 7, 8 }) data.Add(seed, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(GridCases))]
    public void Random_grid_of_400_blocks_is_contiguous_tiled_and_within_five_percent(int seed, int k)
    {
        var units = RandomGrid(20, 20, seed);
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = k, Seed = seed });
        AssertValidPlan(units, plan, k);
        Assert.True(plan.Report.MaxDeviationPct <= 5, $"{plan.Report.MaxDeviationPct:0.00} %");
        Assert.Equal(seed, plan.Report.Seed);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 6)]
    [InlineData(3, 9)]
    public void Irregular_voronoi_blocks_are_contiguous_and_tiled(int seed, int k)
    {
        var units = Voronoi(300, seed);
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = k, Seed = seed });
        AssertValidPlan(units, plan, k);
        Assert.True(plan.Report.MaxDeviationPct <= 5, $"{plan.Report.MaxDeviationPct:0.00} %");
    }

    [Fact]
    public void Same_seed_gives_the_same_plan()
    {
        var units = Voronoi(250, 7);
        var a = Sectorizer.Partition(units, new PartitionOptions { Sectors = 6, Seed = 42 });
        var b = Sectorizer.Partition(units, new PartitionOptions { Sectors = 6, Seed = 42 });
        Assert.Equal(a.Assignment.OrderBy(x => x.Key), b.Assignment.OrderBy(x => x.Key));
        Assert.Empty(a.Report.Notes);
    }

    [Fact]
    public void A_strip_of_four_equal_blocks_splits_in_halves()
    {
        var units = Grid(1, 4, (_, _) => 1);
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 2 });
        var p = units.Select(u => plan.Assignment[u.Id]).ToArray();
        Assert.Equal(p[0], p[1]);
        Assert.Equal(p[2], p[3]);
        Assert.NotEqual(p[0], p[2]);
        Assert.Equal(0, plan.Report.MaxDeviationPct, 9);
    }

    [Fact]
    public void Two_by_two_into_two_gives_two_dominoes()
    {
        var units = Grid(2, 2, (_, _) => 1);
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 2 });
        AssertValidPlan(units, plan, 2);
        Assert.Equal(0, plan.Report.MaxDeviationPct, 9);
        Assert.All(plan.Report.Sectors, s => Assert.Equal(2, s.Blocks));
        Assert.All(plan.Report.Sectors, s => Assert.Equal(Math.PI / 4 * 2 / 2.25, s.PolsbyPopper, 2)); // 2:1 rectangle: 4π·2/36
    }

    [Fact]
    public void A_block_heavier_than_the_mean_gives_the_bound()
    {
        var units = Grid(1, 4, (_, c) => c == 3 ? 10 : 1); // mean 6.5 for k = 2: the heavy block alone is 10
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 2 });
        Assert.Equal((10 - 6.5) / 6.5 * 100, plan.Report.BalanceBoundPct, 6);
        Assert.Equal(plan.Report.BalanceBoundPct, plan.Report.MaxDeviationPct, 6);
        Assert.Contains(plan.Report.Notes, n => n.English.Contains("allow no better balance than 53.8 %"));
    }

    [Fact]
    public void Locked_blocks_stay_put_and_locked_sectors_stay_whole()
    {
        var units = RandomGrid(12, 12, 3);
        var locks = new Dictionary<string, int> { ["r0c0"] = 2, ["r0c1"] = 2, ["r11c11"] = 0, ["r6c6"] = 4 };
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 5, LockedBlocks = locks });
        AssertValidPlan(units, plan, 5);
        Assert.All(locks, l => Assert.Equal(l.Value, plan.Assignment[l.Key]));

        var changed = units.Select((u, i) => u with { Workload = u.Workload * (i % 7 == 0 ? 3 : 1) }).ToList();
        var again = Sectorizer.Partition(changed, new PartitionOptions { Sectors = 5, PreviousPlan = plan.Assignment, LockedSectors = [1, 3] });
        AssertValidPlan(changed, again, 5);
        foreach (var (id, s) in plan.Assignment.Where(a => a.Value is 1 or 3)) Assert.Equal(s, again.Assignment[id]);
    }

    [Fact]
    public void Locked_blocks_of_a_sector_must_be_connected()
    {
        var units = RandomGrid(6, 6, 1);
        var e = Assert.ThrowsAny<ArgumentException>(() => Sectorizer.Partition(units,
            new PartitionOptions { Sectors = 3, LockedBlocks = new Dictionary<string, int> { ["r0c0"] = 1, ["r5c5"] = 1 } }));
        Assert.Contains("locked blocks of sector 1 are not connected", e.Message);
    }

    [Fact]
    public void A_previous_plan_keeps_churn_low_and_is_reported()
    {
        var units = RandomGrid(16, 16, 4);
        var first = Sectorizer.Partition(units, new PartitionOptions { Sectors = 6, Seed = 1 });
        var random = new Random(9);
        var changed = units.Select(u => u with { Workload = u.Workload * (0.8 + 0.4 * random.NextDouble()) }).ToList();
        var fresh = Sectorizer.Partition(changed, new PartitionOptions { Sectors = 6, Seed = 2 });
        var close = Sectorizer.Partition(changed, new PartitionOptions { Sectors = 6, Seed = 2, PreviousPlan = first.Assignment });
        AssertValidPlan(changed, close, 6);
        Assert.Null(fresh.Report.Churn);
        var churn = Assert.IsType<Churn>(close.Report.Churn);
        var freshChurn = PlanEvaluator.Evaluate(changed, fresh.Assignment, first.Assignment).Churn!;
        Assert.True(churn.BlocksChanged < units.Count / 4, $"{churn.BlocksChanged} blocks changed");
        Assert.True(churn.WorkloadSharePct <= freshChurn.WorkloadSharePct, $"{churn.WorkloadSharePct} vs {freshChurn.WorkloadSharePct}");
        Assert.True(close.Report.MaxDeviationPct <= 5, $"{close.Report.MaxDeviationPct:0.00} %");
    }

    [Fact]
    public void Seed_points_choose_where_sectors_grow_from()
    {
        var units = RandomGrid(10, 10, 2);
        var seeds = new[] { Factory.CreatePoint(new Coordinate(-79.0695, -8.0295)), Factory.CreatePoint(new Coordinate(-79.0605, -8.0205)) };
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 3, Seeds = seeds });
        AssertValidPlan(units, plan, 3);
        Assert.Equal(0, plan.Assignment["r0c0"]);
        Assert.Equal(1, plan.Assignment["r9c9"]);
    }

    [Fact]
    public void Islands_are_attached_to_the_nearest_sector_and_named()
    {
        var units = Grid(5, 5, (_, _) => 1);
        units.Add(new SectorUnit("far", Square(X(8), Y(2), Step), 1));    // 3 blocks east of the grid
        units.Add(new SectorUnit("corner", Square(X(5), Y(5), Step), 1)); // touches r4c4 at a corner only
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 3 });
        AssertValidPlan(units, plan, 3);
        Assert.Equal(["far", "corner"], plan.Report.Islands);
        Assert.Equal(plan.Assignment["r4c4"], plan.Assignment["corner"]);
        Assert.Equal(plan.Assignment["r2c4"], plan.Assignment["far"]);
        Assert.Contains(plan.Report.Notes, n => n.English.Contains("far") && n.English.Contains("contiguous only by necessity"));
        Assert.Contains(plan.Report.Notes, n => n.English.Contains("corner") && n.English.Contains("r4c4"));

        var e = Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 3, Islands = IslandPolicy.Refuse }));
        Assert.Contains("far", e.Message);
        Assert.Contains("corner", e.Message);

        var own = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Islands = IslandPolicy.OwnSector });
        Assert.Equal(2, own.Assignment["far"]);
        Assert.Equal(3, own.Assignment["corner"]);
        Assert.Equal(1, own.Report.Sectors.Count(s => s.Id == 2 && s.Blocks == 1));
        Assert.Contains(own.Report.Notes, n => n.English.Contains("far is sector 2 of its own"));
        Assert.ThrowsAny<ArgumentException>(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 2, Islands = IslandPolicy.OwnSector }));
    }

    [Fact]
    public void Small_gaps_between_hand_made_blocks_are_bridged_by_the_tolerance()
    {
        // 2 cm gaps between blocks: still neighbours; no islands.
        var gap = 0.0000002;
        var units = (from r in Enumerable.Range(0, 4) from c in Enumerable.Range(0, 4)
                     select new SectorUnit($"r{r}c{c}", Square(-79.07 + c * (Step + gap), -8.03 + r * (Step + gap), Step), 1)).ToList();
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4 });
        Assert.Empty(plan.Report.Islands);
        Assert.True(plan.Report.Contiguous);
        Assert.Contains(plan.Report.Notes, n => n.English.Contains("do not match exactly"));
        Assert.Equal(0, plan.Report.MaxDeviationPct, 9);
    }

    public static TheoryData<string, PartitionOptions, string> BadOptions => new()
    {
        { "more sectors than blocks", new PartitionOptions { Sectors = 5 }, "at most 4" },
        { "no sector", new PartitionOptions { Sectors = 0 }, "at least 1 sector" },
        { "unknown locked block", new PartitionOptions { Sectors = 2, LockedBlocks = new Dictionary<string, int> { ["zz"] = 0 } }, "zz" },
        { "locked to a sector that does not exist", new PartitionOptions { Sectors = 2, LockedBlocks = new Dictionary<string, int> { ["r0c0"] = 2 } }, "sectors are 0..1" },
        { "too many seeds", new PartitionOptions { Sectors = 1, Seeds = [Factory.CreatePoint(new Coordinate(-79.07, -8.03)), Factory.CreatePoint(new Coordinate(-79.06, -8.03))] }, "at most one per sector" },
        { "locked sectors without a previous plan", new PartitionOptions { Sectors = 2, LockedSectors = [0] }, "give the previous plan" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_get_a_clear_error(string why, PartitionOptions options, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Sectorizer.Partition(Grid(1, 4, (_, _) => 1), options));
        Assert.True(e.Message.Contains(expected), $"{why}: {e.Message}");
    }

    [Fact]
    public void Bad_blocks_get_a_clear_error()
    {
        var zero = Assert.ThrowsAny<ArgumentException>(() => Sectorizer.Partition(Grid(2, 2, (_, _) => 0), new PartitionOptions { Sectors = 2 }));
        Assert.Contains("total workload is zero", zero.Message);
        var negative = Assert.Throws<RefusalException>(() => Sectorizer.Partition(Grid(2, 2, (r, _) => r == 0 ? -1 : 1), new PartitionOptions { Sectors = 2 }));
        Assert.Contains("r0c0", negative.Message);
        var twice = Grid(2, 2, (_, _) => 1);
        twice[1] = twice[1] with { Id = "r0c0" };
        Assert.Contains("twice", Assert.Throws<RefusalException>(() => Sectorizer.Partition(twice, new PartitionOptions { Sectors = 2 })).Message);
        Assert.Contains("no blocks", Assert.ThrowsAny<ArgumentException>(() => Sectorizer.Partition([], new PartitionOptions { Sectors = 1 })).Message);
    }

    [Fact]
    public void As_many_sectors_as_blocks_gives_one_block_each()
    {
        var units = Grid(2, 3, (r, c) => 1 + r + c);
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 6 });
        AssertValidPlan(units, plan, 6);
        Assert.Equal(plan.Report.BalanceBoundPct, plan.Report.MaxDeviationPct, 9);
    }

    [Fact]
    public void Progress_is_reported_and_cancellation_is_honoured()
    {
        var units = RandomGrid(10, 10, 1);
        var seen = new List<double>();
        Sectorizer.Partition(units, new PartitionOptions { Sectors = 4 }, new SyncProgress(seen.Add));
        Assert.Equal(1, seen[^1]);
        Assert.Equal(seen.Order(), seen);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 4 }, null, cts.Token));
    }

    [Fact]
    public void More_compact_than_k_means_on_the_same_blocks()
    {
        foreach (var (units, k) in new[] { (RandomGrid(20, 20, 1), 6), ((List<SectorUnit>)Voronoi(300, 2), 5) })
        {
            var ours = Sectorizer.Partition(units, new PartitionOptions { Sectors = k }).Report;
            var kmeans = PlanEvaluator.Evaluate(units, KMeans(units, k, 1));
            Assert.True(ours.MeanPolsbyPopper > kmeans.MeanPolsbyPopper, $"{ours.MeanPolsbyPopper:0.000} vs k-means {kmeans.MeanPolsbyPopper:0.000}");
            Assert.True(ours.MaxDeviationPct < kmeans.MaxDeviationPct);
        }
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
