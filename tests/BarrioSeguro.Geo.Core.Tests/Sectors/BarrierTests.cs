using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;
using NetTopologySuite.Geometries;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>Barriers: lines (main roads, rivers) that no sector may cross, on a grid of blocks with a line through it.</summary>
public class BarrierTests
{
    private const int Rows = 10, Cols = 12;

    private static int Col(string id) => int.Parse(id[(id.IndexOf('c') + 1)..]);

    /// <summary>A north-south line at longitude x, from below the grid to above it.</summary>
    private static SectorBarrier NorthSouth(string name, double x) =>
        new(name, Factory.CreateLineString([new Coordinate(x, Y(0) - 0.0005), new Coordinate(x, Y(Rows) + 0.0005)]));

    private static PartitionOptions Options(int k, params SectorBarrier[] barriers) =>
        new() { Sectors = k, Seed = 3, TimeBudget = TimeSpan.FromSeconds(30), Barriers = barriers };

    [Theory]
    [InlineData(4, 0.0)]      // along the shared edge of columns 5 and 6
    [InlineData(4, 0.0001)]   // a line drawn about 11 m inside column 6, as a river or a road from another source is
    [InlineData(6, -0.0002)]  // about 22 m inside column 5
    public void No_sector_spans_both_sides_of_a_line_through_the_grid(int k, double offset)
    {
        var units = RandomGrid(Rows, Cols, seed: 7);
        var plan = Sectorizer.Partition(units, Options(k, NorthSouth("Av. Test", X(6) + offset)));

        SectorizerTests.AssertValidPlan(units, plan, k);
        foreach (var s in Enumerable.Range(0, k))
        {
            var sides = units.Where(u => plan.Assignment[u.Id] == s).Select(u => Col(u.Id) < 6).Distinct().Count();
            Assert.True(sides == 1, $"sector {s} has blocks on both sides of the barrier");
        }
        var b = plan.Report.Barriers!;
        Assert.Equal(1, b.Lines);
        Assert.Equal(Rows, b.LinksCut);   // one link per row crosses the line
        Assert.Equal(0, b.LinksKept);
        Assert.Equal(2, b.Parts);
        Assert.Equal(k, b.SectorsPerPart.Sum());
        Assert.Contains(plan.Report.Notes, n => n.Code == "sectors.barriers" && (double)n.Args["cut"] == Rows);
    }

    [Fact]
    public void Without_the_barrier_the_same_grid_has_sectors_across_it()
    {
        // The check above could fail: the plain plan does cross column 5/6 (else the barrier test would prove nothing).
        var units = RandomGrid(Rows, Cols, seed: 7);
        var plan = Sectorizer.Partition(units, Options(4) with { Barriers = null });
        Assert.Contains(Enumerable.Range(0, 4), s => units.Where(u => plan.Assignment[u.Id] == s).Select(u => Col(u.Id) < 6).Distinct().Count() == 2);
        Assert.Null(plan.Report.Barriers);
    }

    [Fact]
    public void An_empty_list_of_barriers_gives_exactly_the_plain_plan()
    {
        var units = RandomGrid(Rows, Cols, seed: 5);
        var plain = Sectorizer.Partition(units, new PartitionOptions { Sectors = 5, Seed = 2, TimeBudget = TimeSpan.FromSeconds(30) });
        var empty = Sectorizer.Partition(units, new PartitionOptions { Sectors = 5, Seed = 2, TimeBudget = TimeSpan.FromSeconds(30), Barriers = [] });
        Assert.Equal(plain.Assignment.OrderBy(a => a.Key), empty.Assignment.OrderBy(a => a.Key));
        Assert.Null(empty.Report.Barriers);
    }

    [Fact]
    public void A_side_with_too_little_work_for_a_sector_keeps_one_named_link()
    {
        // Column 0 (10 of 120 equal blocks) behind a line; with 4 sectors a sector carries 30: it cannot stand alone.
        var units = Grid(Rows, Cols, (_, _) => 1);
        var plan = Sectorizer.Partition(units, Options(4, NorthSouth("Río Moche", X(1))));

        SectorizerTests.AssertValidPlan(units, plan, 4);
        Assert.True(plan.Report.MaxDeviationPct <= 5 + 1e-9);
        var b = plan.Report.Barriers!;
        Assert.Equal(1, b.LinksKept);
        Assert.Equal(Rows - 1, b.LinksCut);
        Assert.Equal(1, b.Parts);
        var kept = Assert.Single(b.Kept);
        Assert.Equal("Río Moche", kept.Barrier);
        Assert.Equal(new[] { 0, 1 }, new[] { Col(kept.BlockA), Col(kept.BlockB) }.Order());
        Assert.Contains(plan.Report.Notes, n => n.Code == "sectors.barrier_kept" && (string)n.Args["block"] == kept.BlockA
            && (string)n.Args["other"] == kept.BlockB && (string)n.Args["barrier"] == "Río Moche");
        // The strip joins its sector only through the kept link: its row is the row of the link.
        var strip = units.Where(u => Col(u.Id) == 0).Select(u => plan.Assignment[u.Id]).Distinct().ToList();
        var sector = Assert.Single(strip);
        Assert.Equal(sector, plan.Assignment[Col(kept.BlockA) == 1 ? kept.BlockA : kept.BlockB]);
    }

    [Fact]
    public void More_parts_than_sectors_keep_a_link_so_one_sector_holds_both_sides()
    {
        var units = RandomGrid(Rows, Cols, seed: 7);
        var plan = Sectorizer.Partition(units, Options(1, NorthSouth("Av. Test", X(6))));
        SectorizerTests.AssertValidPlan(units, plan, 1);
        Assert.Equal(1, plan.Report.Barriers!.LinksKept);
        Assert.Equal(Rows - 1, plan.Report.Barriers.LinksCut);
    }

    private static void AssertOneSide(IReadOnlyList<SectorUnit> units, Plan plan, int k)
    {
        foreach (var s in Enumerable.Range(0, k))
            Assert.True(units.Where(u => plan.Assignment[u.Id] == s).Select(u => Col(u.Id) < 6).Distinct().Count() == 1,
                $"sector {s} has blocks on both sides of the barrier");
    }

    [Fact]
    public void Locks_on_either_side_are_kept_and_the_barrier_too()
    {
        var units = RandomGrid(Rows, Cols, seed: 7);
        var locks = new Dictionary<string, int> { ["r0c0"] = 2, ["r1c0"] = 2, ["r9c11"] = 0 };
        var plan = Sectorizer.Partition(units, Options(4, NorthSouth("Av. Test", X(6))) with { LockedBlocks = locks });
        SectorizerTests.AssertValidPlan(units, plan, 4);
        AssertOneSide(units, plan, 4);
        foreach (var (id, s) in locks) Assert.Equal(s, plan.Assignment[id]);
        Assert.Contains(plan.Report.Notes, n => n.Code == "sectors.locked" && (double)n.Args["count"] == 3);
    }

    [Fact]
    public void A_sector_locked_on_both_sides_is_refused_with_a_note_naming_the_barrier()
    {
        var units = RandomGrid(Rows, Cols, seed: 7);
        var e = Assert.Throws<RefusalException>(() => Sectorizer.Partition(units,
            Options(4, NorthSouth("Av. Test", X(6))) with { LockedBlocks = new Dictionary<string, int> { ["r0c0"] = 1, ["r0c11"] = 1 } }));
        Assert.Equal("sectors.barrier_lock_across", e.Reason.Code);
        Assert.Equal("Av. Test", e.Reason.Args["barrier"]);
        Assert.Equal(new[] { "r0c0", "r0c11" }, new[] { (string)e.Reason.Args["block"], (string)e.Reason.Args["other"] }.Order());
    }

    [Fact]
    public void A_previous_plan_with_a_locked_sector_is_kept_and_the_rest_stays_close()
    {
        var units = RandomGrid(Rows, Cols, seed: 7);
        var first = Sectorizer.Partition(units, Options(4, NorthSouth("Av. Test", X(6))));
        var again = Sectorizer.Partition(units, Options(4, NorthSouth("Av. Test", X(6))) with
        {
            Seed = 11, PreviousPlan = first.Assignment, LockedSectors = [1], StayCloseWeight = 5,
        });
        var fresh = Sectorizer.Partition(units, Options(4, NorthSouth("Av. Test", X(6))) with { Seed = 11 });
        SectorizerTests.AssertValidPlan(units, again, 4);
        AssertOneSide(units, again, 4);
        Assert.All(units.Where(u => first.Assignment[u.Id] == 1), u => Assert.Equal(1, again.Assignment[u.Id]));
        var churn = again.Report.Churn!;
        var freshChanged = units.Count(u => fresh.Assignment[u.Id] != first.Assignment[u.Id]);
        Assert.True(churn.BlocksChanged <= freshChanged, $"{churn.BlocksChanged} blocks changed with the previous plan, {freshChanged} without");
        Assert.Equal(units.Count(u => again.Assignment[u.Id] != first.Assignment[u.Id]), churn.BlocksChanged);
    }

    [Fact]
    public void Capacities_per_sector_go_to_the_sides_so_that_each_side_carries_its_targets()
    {
        // 120 equal blocks, halves of 60; capacities 2,1,1,2 → targets 40, 20, 20, 40: each half takes a 40 and a 20.
        var units = Grid(Rows, Cols, (_, _) => 1);
        var plan = Sectorizer.Partition(units, Options(4, NorthSouth("Av. Test", X(6))) with { SectorShares = [2, 1, 1, 2] });
        SectorizerTests.AssertValidPlan(units, plan, 4);
        AssertOneSide(units, plan, 4);
        Assert.Equal(new[] { 40.0, 20, 20, 40 }, plan.Report.Sectors.Select(s => s.TargetWorkload));
        Assert.All(plan.Report.Sectors, s => Assert.True(Math.Abs(s.Workload - s.TargetWorkload) / s.TargetWorkload <= 0.05 + 1e-9,
            $"sector {s.Id}: {s.Workload} against {s.TargetWorkload}"));
        Assert.True(plan.Report.MaxDeviationPct <= 5 + 1e-9);
    }

    [Fact]
    public void A_line_that_runs_between_no_blocks_cuts_nothing()
    {
        var units = RandomGrid(Rows, Cols, seed: 7);
        var far = new SectorBarrier("far", Factory.CreateLineString([new Coordinate(X(0) - 0.01, Y(0)), new Coordinate(X(0) - 0.01, Y(Rows))]));
        var plan = Sectorizer.Partition(units, Options(4, far));
        Assert.Equal(0, plan.Report.Barriers!.LinksCut);
        Assert.Equal(1, plan.Report.Barriers.Parts);
        SectorizerTests.AssertValidPlan(units, plan, 4);
    }

    [Fact]
    public void A_fixed_centre_keeps_its_sector_number_on_its_side()
    {
        var units = RandomGrid(Rows, Cols, seed: 7);
        var east = Factory.CreatePoint(new Coordinate(X(10) + Step / 2, Y(5) + Step / 2));
        var plan = Sectorizer.Partition(units, Options(4, NorthSouth("Av. Test", X(6))) with { Objective = SectorObjective.Response, Centres = [east] });
        SectorizerTests.AssertValidPlan(units, plan, 4);
        Assert.Equal(0, plan.Assignment["r5c10"]);
        Assert.True(plan.Report.Travel!.Sectors[0].CentreFixed);
        Assert.All(units.Where(u => plan.Assignment[u.Id] == 0), u => Assert.True(Col(u.Id) >= 6));
    }

    [Fact]
    public void A_barrier_that_is_not_a_line_is_refused_by_its_number()
    {
        var units = RandomGrid(Rows, Cols, seed: 7);
        var e = Assert.Throws<RefusalException>(() => Sectorizer.Partition(units,
            Options(4, NorthSouth("ok", X(6)), new SectorBarrier("dot", Factory.CreatePoint(new Coordinate(X(3), Y(3)))))));
        Assert.Contains("Barrier 1 (dot)", e.Message);
    }
}

public class BarriersFromStreetsTests
{
    [Fact]
    public void Streets_of_the_classes_become_one_multiline_per_name_lines_and_multilines_alike()
    {
        var f = SectorSamples.Factory;
        LineString L(double x) => f.CreateLineString([new Coordinate(x, 0), new Coordinate(x, 1)]);
        var streets = new List<BarrioSeguro.Geo.Core.Network.NetworkStreet>
        {
            new(L(0), "primary", Name: "Av. Grau"),
            new(f.CreateMultiLineString([L(1), L(2)]), "primary", Name: "Av. Grau"),
            new(L(3), "trunk"),
            new(L(4), "residential", Name: "Jr. Uno"),
        };
        var barriers = SectorBarrier.FromStreets(streets, ["Primary", "trunk"]);
        Assert.Equal(["Av. Grau (primary)", "trunk"], barriers.Select(b => b.Name));
        Assert.IsType<MultiLineString>(barriers[0].Line);
        Assert.Equal(3, barriers[0].Line.NumGeometries);
        var e = Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => SectorBarrier.FromStreets(streets, ["canal"]));
        Assert.Contains("primary, residential, trunk", e.Message);
    }
}
