using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>Painting a plan: moves, refusals with their codes, locks, and the figures the viewer computes by itself.</summary>
public class PlanEditsTests
{
    /// <summary>3 × 3 grid, one sector per row: r0 is S1, r1 is S2, r2 is S3.</summary>
    private static (List<SectorUnit> Units, Dictionary<string, int> Plan) Rows(Func<int, int, double>? workload = null)
    {
        var units = Grid(3, 3, workload ?? ((r, c) => 1 + r + 0.5 * c));
        return (units, units.ToDictionary(u => u.Id, u => u.Id[1] - '0'));
    }

    [Fact]
    public void A_painted_block_moves_its_workload_and_the_report_is_the_evaluators_with_churn_against_the_parent()
    {
        var (units, plan) = Rows();
        var moves = new Dictionary<string, int> { ["r0c2"] = 1, ["r1c0"] = 1 }; // r1c0 stays: no move
        var edit = PlanEdits.Evaluate(units, plan, moves);

        Assert.Equal(["r0c2"], edit.Moved);
        Assert.Equal(1, edit.Assignment["r0c2"]);
        var expected = new Dictionary<string, int>(plan) { ["r0c2"] = 1 };
        var evaluated = PlanEvaluator.Evaluate(units, expected);
        Assert.Equal(evaluated.Sectors.Select(s => (s.Id, s.Workload, s.Blocks, s.Contiguous)), edit.Report.Sectors.Select(s => (s.Id, s.Workload, s.Blocks, s.Contiguous)));
        Assert.Equal(evaluated.Sectors.Select(s => Math.Round(s.PolsbyPopper, 9)), edit.Report.Sectors.Select(s => Math.Round(s.PolsbyPopper, 9)));
        Assert.Equal(evaluated.MaxDeviationPct, edit.Report.MaxDeviationPct, 9);
        Assert.Equal(evaluated.Travel!.TotalWeightedMinutes, edit.Report.Travel!.TotalWeightedMinutes, 9);
        // S1 lost r0c2 (workload 2), S2 took it.
        Assert.Equal(1 + 1.5, edit.Report.Sectors[0].Workload, 9);
        Assert.Equal(2 + 2.5 + 3 + 2, edit.Report.Sectors[1].Workload, 9);
        var total = units.Sum(u => u.Workload);
        Assert.Equal(1, edit.Report.Churn!.BlocksChanged);
        Assert.Equal(2 / total * 100, edit.Report.Churn.WorkloadSharePct, 9);
    }

    [Fact]
    public void A_move_that_splits_the_giving_sector_is_refused_with_its_code_sector_and_blocks()
    {
        var (units, plan) = Rows();
        var e = Assert.Throws<RefusalException>(() => PlanEdits.Evaluate(units, plan, new Dictionary<string, int> { ["r1c1"] = 0 }));
        Assert.Equal("sectors.move_splits", e.Reason.Code);
        Assert.Equal("S2", e.Reason.Args["sector"]);
        Assert.Equal(new[] { "r1c1" }, (string[])e.Reason.Args["blocks"]);
        Assert.Equal("moves", e.ParamName);
        Assert.Contains("S2", e.Reason.Text("es"));
        Assert.Contains("partido", e.Reason.Text("es"));
    }

    [Fact]
    public void A_block_painted_into_a_sector_it_does_not_touch_is_refused_for_the_receiving_sector()
    {
        var (units, plan) = Rows();
        var e = Assert.Throws<RefusalException>(() => PlanEdits.Evaluate(units, plan, new Dictionary<string, int> { ["r0c0"] = 2 }));
        Assert.Equal("sectors.move_splits", e.Reason.Code);
        Assert.Equal("S3", e.Reason.Args["sector"]); // S1 keeps r0c1 and r0c2 together: only S3 would be in pieces
        // Painted along a path instead (r1c0 first), the same block may go: each step keeps both sectors whole.
        var ok = PlanEdits.Evaluate(units, plan, new Dictionary<string, int> { ["r1c0"] = 2, ["r0c0"] = 2 });
        Assert.True(ok.Report.Contiguous);
        Assert.Equal(2, ok.Report.Churn!.BlocksChanged);
    }

    [Fact]
    public void A_sector_already_in_pieces_may_still_be_painted_as_long_as_it_gets_no_more_pieces()
    {
        var (units, _) = Rows();
        // S1 = r0c0 and r0c2 (two pieces), S2 = the rest.
        var plan = units.ToDictionary(u => u.Id, u => u.Id is "r0c0" or "r0c2" ? 0 : 1);
        var joined = PlanEdits.Evaluate(units, plan, new Dictionary<string, int> { ["r0c1"] = 0 });
        Assert.True(joined.Report.Sectors[0].Contiguous);
        Assert.Throws<RefusalException>(() => PlanEdits.Evaluate(units, plan, new Dictionary<string, int> { ["r2c1"] = 0 }));
    }

    [Fact]
    public void Locks_empty_sectors_and_unknown_names_are_refused_with_their_codes()
    {
        var (units, plan) = Rows();
        Note Reason(IReadOnlyDictionary<string, int> moves, PlanLocks? locks = null) =>
            Assert.Throws<RefusalException>(() => PlanEdits.Evaluate(units, plan, moves, locks)).Reason;

        var locked = Reason(new Dictionary<string, int> { ["r0c2"] = 1 }, new PlanLocks(Blocks: ["r0c2"]));
        Assert.Equal(("sectors.move_locked", "r0c2", "S1"), (locked.Code, locked.Args["block"], locked.Args["sector"]));
        var giving = Reason(new Dictionary<string, int> { ["r0c2"] = 1 }, new PlanLocks(Sectors: [0]));
        Assert.Equal(("sectors.move_sector_locked", "S1"), (giving.Code, giving.Args["sector"]));
        var taking = Reason(new Dictionary<string, int> { ["r0c2"] = 1 }, new PlanLocks(Sectors: [1]));
        Assert.Equal(("sectors.move_sector_locked", "S2"), (taking.Code, taking.Args["sector"]));
        // A lock elsewhere does not stop the move.
        Assert.Single(PlanEdits.Evaluate(units, plan, new Dictionary<string, int> { ["r0c2"] = 1 }, new PlanLocks(["r0c0"], [2])).Moved);

        var all = units.Where(u => u.Id.StartsWith("r0", StringComparison.Ordinal)).ToDictionary(u => u.Id, _ => 1);
        Assert.Equal("sectors.move_empties", Reason(all).Code);
        var sector = Reason(new Dictionary<string, int> { ["r0c0"] = 3 });
        Assert.Equal(("sectors.move_unknown_sector", "S4", 3.0), (sector.Code, sector.Args["sector"], sector.Args["count"]));
        Assert.Equal("sectors.move_unknown_block", Reason(new Dictionary<string, int> { ["nope"] = 0 }).Code);
        Assert.Equal("sectors.lock_unknown", Reason(new Dictionary<string, int>(), new PlanLocks(["nope"])).Code);
        Assert.Equal("sectors.lock_unknown", Reason(new Dictionary<string, int>(), new PlanLocks(Sectors: [7])).Code);
    }

    [Fact]
    public void Shares_set_each_sectors_target_as_in_the_parent_plan()
    {
        var (units, plan) = Rows((_, _) => 1);
        var edit = PlanEdits.Evaluate(units, plan, new Dictionary<string, int>(), options: new EditOptions { SectorShares = [2, 1, 1] });
        Assert.Equal([4.5, 2.25, 2.25], edit.Report.Sectors.Select(s => s.TargetWorkload));
        Assert.Equal((3 - 2.25) / 2.25 * 100, edit.Report.MaxDeviationPct, 9);
    }

    /// <summary>
    /// The viewer's arithmetic on the basis (what panels/paint.js does) gives the service's figures: workload, area,
    /// Polsby-Popper from Σ areas and Σ perimeters less twice the shared edges, contiguity, and straight-line travel
    /// from the best centre, on El Milagro's real blocks.
    /// </summary>
    [Fact]
    public void The_basis_gives_the_viewer_the_services_figures_on_el_milagros_blocks()
    {
        var units = ElMilagro();
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Seed = 3, Attempts = 1 }).Assignment;
        var edit = PlanEdits.Evaluate(units, plan, new Dictionary<string, int>());
        var basis = PlanEdits.Basis(units, plan);
        Assert.Equal(units.Count, basis.Blocks.Count);
        Assert.False(basis.OnNetwork);
        Assert.Equal(5 / 3.6, basis.SpeedMps, 12);
        foreach (var s in edit.Report.Sectors)
        {
            var members = Enumerable.Range(0, basis.Blocks.Count).Where(i => basis.Blocks[i].Sector == s.Id).ToList();
            var inside = members.ToHashSet();
            var area = members.Sum(i => basis.Blocks[i].AreaM2);
            var shared = members.Sum(i => basis.Blocks[i].Neighbours.Where(n => inside.Contains((int)n[0])).Sum(n => n[1]));
            var perimeter = members.Sum(i => basis.Blocks[i].PerimeterM) - shared; // each shared edge counted from both sides
            Assert.Equal(s.Workload, members.Sum(i => basis.Blocks[i].Workload), 9);
            Assert.Equal(s.AreaKm2, area / 1e6, 9);
            Assert.Equal(s.PolsbyPopper, 4 * Math.PI * area / (perimeter * perimeter), 4);

            // Travel: the block of least Σ workload × distance (all candidates up to 100 blocks, else the 40 nearest the
            // weighted centroid), then seconds = ground metres / speed.
            double sx = 0, sy = 0, sw = 0;
            foreach (var i in members) { var w = basis.Blocks[i].Workload + 1e-9; sx += basis.Blocks[i].X * w; sy += basis.Blocks[i].Y * w; sw += w; }
            double D(int a, int b) => Math.Sqrt(Math.Pow(basis.Blocks[a].X - basis.Blocks[b].X, 2) + Math.Pow(basis.Blocks[a].Y - basis.Blocks[b].Y, 2));
            var candidates = members.Count <= 100 ? members
                : members.OrderBy(i => (Math.Pow(basis.Blocks[i].X - sx / sw, 2) + Math.Pow(basis.Blocks[i].Y - sy / sw, 2), i)).Take(40).ToList();
            var centre = candidates.MinBy(c => (members.Sum(j => basis.Blocks[j].Workload * D(c, j)), c));
            var minutes = members.Sum(j => basis.Blocks[j].Workload * D(centre, j) / basis.Scale / basis.SpeedMps) / 60;
            var travel = edit.Report.Travel!.Sectors.Single(t => t.Sector == s.Id);
            Assert.Equal(travel.WeightedMinutes, minutes, 6);
        }
    }
}
