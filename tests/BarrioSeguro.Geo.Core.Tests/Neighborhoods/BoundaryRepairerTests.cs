using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Neighborhoods.Metres;

namespace BarrioSeguro.Geo.Core.Tests.Neighborhoods;

public class BoundaryRepairerTests
{
    private const string Square = "POLYGON((0 0, 100 0, 100 100, 0 100, 0 0))";

    private static void Repaired(BoundaryRepair r, double areaUtm)
    {
        Assert.IsType<MultiPolygon>(r.Repaired);
        Assert.True(r.Repaired.IsValid);
        AreaNear(areaUtm, Measure.AreaSquareMeters(r.Repaired));
        Assert.True(BoundaryValidator.Validate(r.Repaired, rules: new BoundaryRules { SinglePart = false }).IsValid);
    }

    [Fact]
    public void A_valid_polygon_is_left_as_it_is()
    {
        var r = BoundaryRepairer.Repair(M(Square));
        Repaired(r, 10_000);
        Assert.Empty(r.Changes);
        Assert.Equal(0, r.AddedSquareMeters);
        Assert.Equal(0, r.RemovedSquareMeters);
        Assert.True(r.Added.IsEmpty && r.Removed.IsEmpty);
    }

    [Fact]
    public void A_bowtie_is_made_valid_as_its_two_triangles()
    {
        var r = BoundaryRepairer.Repair(M("POLYGON((0 0, 100 100, 100 0, 0 100, 0 0))"));
        Repaired(r, 5000);
        Assert.Equal(2, r.Repaired.NumGeometries);
        Assert.StartsWith("Made valid: the drawn rings crossed or touched at 1 place;", Assert.Single(r.Changes));
        Assert.Equal(0, r.AddedSquareMeters);
        Assert.Equal(0, r.RemovedSquareMeters);
    }

    [Fact]
    public void A_spike_is_dropped_and_its_area_reported()
    {
        var r = BoundaryRepairer.Repair(M("POLYGON((0 0, 100 0, 100 50, 150 50, 150 51, 100 51, 100 100, 0 100, 0 0))"));
        Repaired(r, 10_000);
        AreaNear(50, r.RemovedSquareMeters);
        Assert.Equal(0, r.AddedSquareMeters);
        Assert.StartsWith("Dropped 1 sliver (50 m² removed)", Assert.Single(r.Changes));
        Assert.Equal(50, Back(r.Removed).Area, 0.5);
    }

    [Fact]
    public void A_tiny_part_is_dropped()
    {
        var r = BoundaryRepairer.Repair(M("MULTIPOLYGON(((0 0, 100 0, 100 100, 0 100, 0 0)), ((200 0, 205 0, 205 5, 200 5, 200 0)))"));
        Repaired(r, 10_000);
        Assert.Equal(1, r.Repaired.NumGeometries);
        AreaNear(25, r.RemovedSquareMeters);
    }

    [Fact]
    public void A_small_hole_is_filled()
    {
        var r = BoundaryRepairer.Repair(M("POLYGON((0 0, 100 0, 100 100, 0 100, 0 0), (40 40, 50 40, 50 50, 40 50, 40 40))"));
        Repaired(r, 10_000);
        AreaNear(100, r.AddedSquareMeters);
        Assert.Equal(0, r.RemovedSquareMeters);
        Assert.StartsWith("Filled 1 hole smaller than 500 m² (100 m² added)", Assert.Single(r.Changes));
    }

    [Fact]
    public void What_lies_outside_the_district_is_clipped()
    {
        var r = BoundaryRepairer.Repair(M("POLYGON((0 0, 150 0, 150 100, 0 100, 0 0))"), M(Square));
        Repaired(r, 10_000);
        AreaNear(5000, r.RemovedSquareMeters);
        Assert.StartsWith("Clipped to the district (4,99", Assert.Single(r.Changes));
    }

    [Fact]
    public void Overlaps_are_removed_only_when_asked()
    {
        var others = new[] { new OtherBoundary("La Esperanza", M("POLYGON((50 0, 150 0, 150 100, 50 100, 50 0))")) };
        Assert.Empty(BoundaryRepairer.Repair(M(Square), others: others).Changes);

        var r = BoundaryRepairer.Repair(M(Square), others: others, options: new RepairOptions { RemoveOverlaps = true });
        Repaired(r, 5000);
        AreaNear(5000, r.RemovedSquareMeters);
        Assert.StartsWith("Removed the overlap with La Esperanza (4,99", Assert.Single(r.Changes));
    }

    [Fact]
    public void Without_make_valid_an_invalid_boundary_is_left_as_drawn()
    {
        var r = BoundaryRepairer.Repair(M("POLYGON((0 0, 100 100, 100 0, 0 100, 0 0))"), options: new RepairOptions { MakeValid = false });
        Assert.False(r.Repaired.IsValid);
        Assert.StartsWith("Left as drawn", Assert.Single(r.Changes));
    }

    [Theory]
    [InlineData("POLYGON EMPTY")]
    [InlineData("LINESTRING(0 0, 100 100)")]
    public void Nothing_to_repair_gives_an_empty_multipolygon(string wkt)
    {
        var r = BoundaryRepairer.Repair(M(wkt));
        Assert.IsType<MultiPolygon>(r.Repaired);
        Assert.True(r.Repaired.IsEmpty);
        Assert.StartsWith("Nothing to repair", Assert.Single(r.Changes));
    }

    [Fact]
    public void Each_change_is_a_note_with_a_code_and_its_area_said_in_Spanish_and_in_English()
    {
        var r = BoundaryRepairer.Repair(M("POLYGON((0 0, 150 0, 150 100, 0 100, 0 0))"), M(Square));
        var note = Assert.Single(r.ChangeNotes);
        Assert.Equal("repair.clipped", note.Code);
        Assert.InRange((double)note.Args["removed"], 4900, 5100);
        Assert.StartsWith("Clipped to the district (4,99", note.Text("en"));
        Assert.StartsWith("Recortado al distrito (se quitaron 4,99", note.Text("es"));
        Assert.DoesNotContain("Clipped", note.Text("es"));
        // Changes follow the reader's language.
        var before = NoteLanguage.Current;
        try
        {
            NoteLanguage.Current = "es";
            Assert.Equal(note.Text("es"), Assert.Single(r.Changes));
        }
        finally { NoteLanguage.Current = before; }
    }
}
