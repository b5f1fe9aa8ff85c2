using BarrioSeguro.Geo.Core.Neighborhoods;
using NetTopologySuite.Geometries;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Neighborhoods.Metres;

namespace BarrioSeguro.Geo.Core.Tests.Neighborhoods;

public class NeighborhoodMetricsTests
{
    private static readonly Geometry Km = M("POLYGON((0 0, 1000 0, 1000 1000, 0 1000, 0 0))");

    [Fact]
    public void A_one_kilometre_square_has_one_square_kilometre_and_Polsby_Popper_pi_over_4()
    {
        var f = NeighborhoodMetrics.Compute(Km, [], [], [], []);
        Assert.InRange(f.AreaKm2, 0.999, 1.001);
        Assert.InRange(f.PerimeterKm, 3.998, 4.002);
        Assert.Equal(Math.PI / 4, f.PolsbyPopper, 6);
        Assert.Empty(f.StreetKmByClass);
        Assert.Equal(0, f.StreetKm);
    }

    [Fact]
    public void Streets_are_clipped_and_summed_by_class_and_things_inside_are_counted()
    {
        var streets = new (Geometry, string)[]
        {
            (M("LINESTRING(250 -100, 250 1100)"), "residential"),
            (M("LINESTRING(500 -100, 500 1100)"), "residential"),
            (M("LINESTRING(750 -100, 750 1100)"), "residential"),
            (M("LINESTRING(-500 500, 1500 500)"), "primary"),
            (M("LINESTRING(1200 0, 1200 1000)"), "footway"), // outside
        };
        var blocks = new Geometry[]
        {
            M("POLYGON((260 10, 490 10, 490 490, 260 490, 260 10))"),
            M("POLYGON((510 510, 740 510, 740 990, 510 990, 510 510))"),
            M("POLYGON((990 10, 1100 10, 1100 100, 990 100, 990 10))"), // mostly outside: interior point outside
        };
        var incidents = new[] { (Point)M("POINT(10 10)"), (Point)M("POINT(999 999)"), (Point)M("POINT(1010 10)") };
        var stations = new[] { (Point)M("POINT(500 500)"), (Point)M("POINT(-20 0)") };

        var f = NeighborhoodMetrics.Compute(Km, streets, blocks, incidents, stations);

        Assert.Equal(["primary", "residential"], f.StreetKmByClass.Keys);
        Assert.InRange(f.StreetKmByClass["residential"], 2.997, 3.003);
        Assert.InRange(f.StreetKmByClass["primary"], 0.999, 1.001);
        Assert.InRange(f.StreetKm, 3.996, 4.004);
        Assert.Equal(2, f.Blocks);
        Assert.Equal(2, f.Incidents);
        Assert.Equal(1, f.Stations);
    }

    [Fact]
    public void An_empty_boundary_gives_zeros()
    {
        var f = NeighborhoodMetrics.Compute(M("POLYGON EMPTY"), [], [], [], []);
        Assert.Equal(0, f.AreaKm2);
        Assert.Equal(0, f.PolsbyPopper);
    }
}
