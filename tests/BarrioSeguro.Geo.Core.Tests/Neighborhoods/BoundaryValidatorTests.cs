using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Neighborhoods;
using NetTopologySuite.Geometries;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Neighborhoods.Metres;

namespace BarrioSeguro.Geo.Core.Tests.Neighborhoods;

public class BoundaryValidatorTests
{
    private const string Square = "POLYGON((0 0, 100 0, 100 100, 0 100, 0 0))";

    private static BoundaryProblem Single(BoundaryValidation v, string kind)
    {
        Assert.False(v.IsValid);
        var p = Assert.Single(v.Problems);
        Assert.Equal(kind, p.Kind);
        return p;
    }

    private static void At(Geometry location, double x, double y, double tolerance = 0.01)
    {
        var (bx, by) = Back(location.Coordinate);
        Assert.InRange(bx, x - tolerance, x + tolerance);
        Assert.InRange(by, y - tolerance, y + tolerance);
    }

    [Theory]
    [InlineData(Square)]
    [InlineData("POLYGON((0 0, 300 0, 300 300, 0 300, 0 0), (100 100, 200 100, 200 200, 100 200, 100 100))")] // a 10 000 m² hole
    [InlineData("POLYGON((0 0, 100 0, 100 100, 50 20, 0 100, 0 0))")] // concave, no thin piece
    public void A_clean_polygon_has_no_problems(string wkt)
    {
        var v = BoundaryValidator.Validate(M(wkt));
        Assert.True(v.IsValid, string.Join("; ", v.Problems.Select(p => p.Message)));
    }

    [Fact]
    public void A_bowtie_gives_its_crossing_point()
    {
        var p = Single(BoundaryValidator.Validate(M("POLYGON((0 0, 100 100, 100 0, 0 100, 0 0))")), "self-intersection");
        Assert.IsType<Point>(p.Location);
        At(p.Location, 50, 50);
        Assert.Contains("crosses itself at -79.", p.Message);
    }

    [Fact]
    public void Every_crossing_is_reported_not_only_the_first()
    {
        var v = BoundaryValidator.Validate(M("POLYGON((0 0, 100 0, 100 100, 50 100, 50 -50, 30 -50, 30 50, 0 50, 0 0))"));
        var crossings = v.Problems.Where(p => p.Kind == "self-intersection").Select(p => Back(p.Location.Coordinate)).OrderBy(c => c.X).ToList();
        Assert.Equal(2, crossings.Count);
        Assert.InRange(crossings[0].X, 29.99, 30.01);
        Assert.InRange(crossings[1].X, 49.99, 50.01);
        Assert.All(crossings, c => Assert.InRange(c.Y, -0.01, 0.01));
    }

    [Fact]
    public void A_figure_eight_through_one_vertex_gives_that_vertex()
    {
        var v = BoundaryValidator.Validate(M("POLYGON((0 0, 50 50, 100 0, 100 100, 50 50, 0 100, 0 0))"));
        var p = v.Problems.First(p => p.Kind == "self-intersection");
        At(p.Location, 50, 50);
        Assert.Single(v.Problems, p => p.Kind == "self-intersection");
    }

    [Fact]
    public void A_spike_running_back_over_itself_is_a_self_intersection()
    {
        var v = BoundaryValidator.Validate(M("POLYGON((0 0, 100 0, 100 50, 150 50, 100 50, 100 100, 0 100, 0 0))"));
        Assert.Contains(v.Problems, p => p.Kind == "self-intersection");
    }

    [Fact]
    public void An_overlap_with_a_neighbour_gives_the_overlap_polygon_and_its_area()
    {
        var others = new[] { new OtherBoundary("La Esperanza", M("POLYGON((50 0, 150 0, 150 100, 50 100, 50 0))")) };
        var p = Single(BoundaryValidator.Validate(M(Square), others: others), "overlap");
        Assert.Equal("La Esperanza", p.Other);
        AreaNear(5000, p.AreaSquareMeters);
        Assert.Equal(5000, Back(p.Location).Area, 0.5);
        Assert.Matches(@"^Overlaps La Esperanza by 4,99\d m² near -79\.\d{6}, -8\.\d{6}\.$", p.Message);
    }

    [Fact]
    public void Neighbours_sharing_an_edge_do_not_overlap()
    {
        var others = new[] { new OtherBoundary("B", M("POLYGON((100 0, 200 0, 200 100, 100 100, 100 0))")) };
        Assert.True(BoundaryValidator.Validate(M(Square), others: others).IsValid);
    }

    [Fact]
    public void A_part_outside_the_district_is_reported_with_its_area()
    {
        var p = Single(BoundaryValidator.Validate(M("POLYGON((0 0, 150 0, 150 100, 0 100, 0 0))"), M(Square)), "outside-district");
        AreaNear(5000, p.AreaSquareMeters);
        Assert.InRange(Back(p.Location).EnvelopeInternal.MinX, 99.9, 100.1);
    }

    [Fact]
    public void A_one_metre_wide_spike_is_a_sliver()
    {
        var p = Single(BoundaryValidator.Validate(M("POLYGON((0 0, 100 0, 100 50, 150 50, 150 51, 100 51, 100 100, 0 100, 0 0))")), "sliver");
        AreaNear(50, p.AreaSquareMeters);
        Assert.True(Back(p.Location).EnvelopeInternal.MinX >= 99.9);
    }

    [Fact]
    public void A_tiny_second_part_is_a_sliver_not_a_second_part()
    {
        var p = Single(BoundaryValidator.Validate(M("MULTIPOLYGON(((0 0, 100 0, 100 100, 0 100, 0 0)), ((200 0, 205 0, 205 5, 200 5, 200 0)))")), "sliver");
        AreaNear(25, p.AreaSquareMeters);
    }

    [Fact]
    public void A_small_hole_is_reported()
    {
        var p = Single(BoundaryValidator.Validate(M("POLYGON((0 0, 100 0, 100 100, 0 100, 0 0), (40 40, 50 40, 50 50, 40 50, 40 40))")), "hole");
        AreaNear(100, p.AreaSquareMeters);
        Assert.Equal(100, Back(p.Location).Area, 0.1);
    }

    [Fact]
    public void Two_parts_where_one_is_expected_are_reported()
    {
        var wkt = "MULTIPOLYGON(((0 0, 100 0, 100 100, 0 100, 0 0)), ((200 0, 250 0, 250 50, 200 50, 200 0)))";
        var p = Single(BoundaryValidator.Validate(M(wkt)), "multiple-parts");
        AreaNear(2500, p.AreaSquareMeters);
        Assert.True(BoundaryValidator.Validate(M(wkt), rules: new BoundaryRules { SinglePart = false }).IsValid);
    }

    [Theory]
    [InlineData("POLYGON EMPTY", "empty")]
    [InlineData("LINESTRING(0 0, 100 100)", "not-polygonal")]
    [InlineData("POINT(0 0)", "not-polygonal")]
    public void Input_that_is_no_polygon(string wkt, string kind) => Single(BoundaryValidator.Validate(M(wkt)), kind);

    [Fact]
    public void What_noding_does_not_see_comes_from_IsValidOp_with_its_place()
    {
        // GeometryFixer turns the stray hole into a 100 m² part, which the sliver check then reports too.
        var v = BoundaryValidator.Validate(M("POLYGON((0 0, 100 0, 100 100, 0 100, 0 0), (200 200, 210 200, 210 210, 200 210, 200 200))"));
        Assert.Equal(["self-intersection", "sliver"], v.Problems.Select(p => p.Kind));
        var p = v.Problems[0];
        Assert.Contains("Hole lies outside shell", p.Message);
        Assert.IsType<Point>(p.Location);
    }

    [Fact]
    public void A_collection_with_a_line_reports_the_line_and_checks_the_polygon()
    {
        var v = BoundaryValidator.Validate(M("GEOMETRYCOLLECTION(LINESTRING(0 0, 50 50), POLYGON((0 0, 100 100, 100 0, 0 100, 0 0)))"));
        Assert.Equal(["not-polygonal", "self-intersection"], v.Problems.Select(p => p.Kind));
    }

    [Fact]
    public void Null_is_empty() => Single(BoundaryValidator.Validate(null!), "empty");

    [Fact]
    public void Swapped_axes_and_places_outside_Peru_are_reported()
    {
        var f = new GeometryFactory(new PrecisionModel(), 4326);
        Single(BoundaryValidator.Validate(f.CreatePolygon([new(-8.0, -79.0), new(-8.0, -79.01), new(-8.01, -79.01), new(-8.0, -79.0)])), "axis-order");
        Single(BoundaryValidator.Validate(f.CreatePolygon([new(2.0, 48.0), new(2.1, 48.0), new(2.1, 48.1), new(2.0, 48.0)])), "outside-peru");
    }

    [Fact]
    public void Problems_are_listed_together()
    {
        var district = M("POLYGON((0 0, 120 0, 120 100, 0 100, 0 0))");
        var others = new[] { new OtherBoundary("B", M("POLYGON((80 0, 200 0, 200 100, 80 100, 80 0))")) };
        var v = BoundaryValidator.Validate(M("POLYGON((0 0, 150 0, 150 100, 0 100, 0 0), (40 40, 50 40, 50 50, 40 50, 40 40))"), district, others);
        Assert.Equal(["hole", "outside-district", "overlap"], v.Problems.Select(p => p.Kind));
    }

    [Fact]
    public void A_problem_is_a_note_said_in_Spanish_with_its_place_and_area()
    {
        var others = new[] { new OtherBoundary("La Esperanza", M("POLYGON((50 0, 150 0, 150 100, 50 100, 50 0))")) };
        var p = Single(BoundaryValidator.Validate(M(Square), others: others), "overlap");
        Assert.Equal("boundary.overlap", p.Note.Code);
        Assert.Equal("La Esperanza", p.Note.Args["other"]);
        Assert.Matches(@"^Se superpone con La Esperanza en 4,99\d m² cerca de -79\.\d{6}, -8\.\d{6}\.$", p.Note.Text("es"));
        Assert.Equal(p.Note.Text("en"), p.Message); // the tests' language is English
    }
}
