using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Spatial;

public class MeasureTests
{
    private static readonly WKTReader Wkt = new();

    [Fact]
    public void Scale_factor_is_k0_on_the_central_meridian_and_grows_away_from_it()
    {
        Assert.Equal(0.9996, Measure.UtmScaleFactor(-81, -8, 32717), 9);
        var near = Measure.UtmScaleFactor(-79, -8, 32717);
        var edge = Measure.UtmScaleFactor(-78.01, -8, 32717);
        Assert.True(near > 0.9996 && edge > near && edge < 1.0011, $"k near {near}, at the edge {edge}");
    }

    /// <summary>
    /// A one-arc-minute cell on the equator has an area known in closed form on the ellipsoid; the same area must come
    /// out whether the cell sits near the central meridian or at the zone's edge (where UTM stretches areas by 0.2 %).
    /// </summary>
    [Theory]
    [InlineData(-81.0)]
    [InlineData(-79.0)]
    [InlineData(-78.02)]
    public void Area_does_not_depend_on_the_place_in_the_zone(double west)
    {
        var cell = (Polygon)Wkt.Read(FormattableString.Invariant(
            $"POLYGON(({west} -8.0, {west + 1 / 60.0} -8.0, {west + 1 / 60.0} -7.98333333, {west} -7.98333333, {west} -8.0))"));
        var reference = Measure.AreaSquareMeters((Polygon)Wkt.Read(
            "POLYGON((-81.0 -8.0, -80.98333333 -8.0, -80.98333333 -7.98333333, -81.0 -7.98333333, -81.0 -8.0))"));
        var area = Measure.AreaSquareMeters(cell);
        Assert.InRange(Math.Abs(area / reference - 1), 0, 0.0001);
        // About 1.84 km east-west by 1.84 km north-south at 8° S.
        Assert.InRange(area, 3.35e6, 3.42e6);
    }

    [Fact]
    public void Length_of_one_degree_of_latitude_near_8_south_matches_the_ellipsoid()
    {
        // Meridian arc from 8°S to 7°S on WGS 84: 110,602.5 m (from the meridian arc series).
        var line = (LineString)Wkt.Read("LINESTRING(-81 -8, -81 -7)");
        Assert.InRange(Measure.LengthMeters(line), 110_590, 110_615);
    }

    [Fact]
    public void Empty_and_point_geometries_measure_zero()
    {
        Assert.Equal(0, Measure.AreaSquareMeters(Polygon.Empty));
        Assert.Equal(0, Measure.AreaSquareMeters(new Point(-79, -8)));
        Assert.Equal(0, Measure.LengthMeters(LineString.Empty));
    }
}
