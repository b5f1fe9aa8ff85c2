using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Planning.Sectors;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Planning.Tests.Sectors;

public class SectorPlanningTests
{
    private static readonly GeometryFactory F = new(new PrecisionModel(), 4326);

    /// <summary>A 100 m square cell of a grid near Trujillo.</summary>
    internal static Polygon Cell(int col, int row)
    {
        const double x0 = -79.05, y0 = -8.08, d = 0.0009;
        double xa = x0 + col * d, ya = y0 + row * d, xb = xa + d, yb = ya + d;
        return F.CreatePolygon([new(xa, ya), new(xb, ya), new(xb, yb), new(xa, yb), new(xa, ya)]);
    }

    private static Dictionary<string, object?> Attributes(double frontage, int incidents = 0) => new()
    {
        ["frontage_m"] = frontage, ["incidents"] = incidents,
    };

    /// <summary>A 4 × 2 grid; cells (0,0) and (2,0) are one unit in two pieces, with (1,0) between them.</summary>
    internal static List<PlanningUnit> GridWithTwoPartUnit()
    {
        var units = new List<PlanningUnit> { new("dos-partes", F.CreateMultiPolygon([Cell(0, 0), Cell(2, 0)]), Attributes(800, 2)) };
        for (var r = 0; r < 2; r++)
            for (var c = 0; c < 4; c++)
                if (!(r == 0 && c is 0 or 2))
                    units.Add(new PlanningUnit(string.Create(CultureInfo.InvariantCulture, $"c{c}{r}"), Cell(c, r), Attributes(400, c % 2)));
        return units;
    }

    [Fact]
    public void A_unit_in_two_pieces_is_one_unit_whose_pieces_share_a_sector_and_neighbour_through_either()
    {
        var units = GridWithTwoPartUnit();
        var outcome = SectorPlanning.Plan(units, new SectorPlanRequest { Sectors = 2, Seed = 1 });
        Assert.Equal(units.Count, outcome.Report.Blocks);
        Assert.Equal(units.Count, outcome.Report.Sectors.Sum(s => s.Blocks));
        Assert.True(outcome.Report.Contiguous, string.Join(" ", outcome.Report.Notes));
        Assert.DoesNotContain(outcome.Report.Notes, n => n.English.Contains("snap rounding"));
        // The sector of the two-part unit holds both pieces.
        var sector = outcome.Plan.Assignment["dos-partes"];
        var outline = outcome.Plan.Report.Sectors.Single(s => s.Id == sector).Geometry;
        Assert.True(outline.Buffer(1e-9).Covers(Cell(0, 0)) && outline.Buffer(1e-9).Covers(Cell(2, 0)));
    }

    [Fact]
    public void A_unit_that_is_not_a_polygon_is_refused_with_its_id()
    {
        var units = GridWithTwoPartUnit();
        units.Add(new PlanningUnit("punto", F.CreatePoint(new Coordinate(-79.0, -8.0)), Attributes(1)));
        var e = Assert.Throws<RefusalException>(() => SectorPlanning.Plan(units, new SectorPlanRequest { Sectors = 2 }));
        Assert.Contains("'punto' is a Point", e.Message);
    }

    [Fact]
    public void The_default_workload_is_incidents_and_frontage_and_street_m_is_read_as_frontage_m()
    {
        var units = GridWithTwoPartUnit();
        var (_, terms) = SectorPlanning.Weigh(units, null);
        Assert.Equal([new WorkloadTerm("incidents", 1), new WorkloadTerm("frontage_m", 0.01)], terms);
        var (weighed, alias) = SectorPlanning.Weigh(units, [new WorkloadTerm("street_m", 0.01)]);
        Assert.Equal([new WorkloadTerm("frontage_m", 0.01)], alias);
        Assert.Equal(8, weighed[0].Workload, 9);
    }

    [Fact]
    public void Without_incidents_or_frontage_the_default_workload_says_what_the_blocks_have()
    {
        List<PlanningUnit> units = [new("a", Cell(0, 0), new Dictionary<string, object?> { ["calls"] = 3 })];
        var e = Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => SectorPlanning.Weigh(units, null));
        Assert.Contains("no incidents or frontage_m attribute", e.Message);
        Assert.Contains("calls", e.Message);
    }

    [Fact]
    public void The_staffing_decides_k_unless_the_chief_fixes_it()
    {
        var staffing = SectorPlanning.Staff(new ContingentPlan(20, Shifts.Of(3).Select(s => new ShiftPlan(s.Code, 8)).ToList(), 1, PatrolMode.FootPair));
        Assert.Equal(3, SectorPlanning.SectorsOf(new SectorPlanRequest { Staffing = staffing }));
        Assert.Equal(2, SectorPlanning.SectorsOf(new SectorPlanRequest { Staffing = staffing, Sectors = 2 }));
        Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => SectorPlanning.SectorsOf(new SectorPlanRequest()));
        Assert.Equal("mañana", staffing.PerShift[0].Shift);
    }
}
