using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.IO;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Neighborhoods;

/// <summary>
/// Test shapes written in metres: WKT coordinates are offsets from a point in El Milagro in UTM zone 17S
/// (E 720 000, N 9 112 000), turned into the lon/lat geometries the code under test takes.
/// </summary>
internal static class Metres
{
    public const int Zone = 32717;
    private const double E0 = 720_000, N0 = 9_112_000;
    private static readonly WKTReader Reader = new();

    public static Geometry M(string wkt)
    {
        var g = Reader.Read(wkt);
        if (g.IsEmpty) { g.SRID = Crs.Wgs84; return g; }
        var moved = AffineTransformation.TranslationInstance(E0, N0).Transform(g);
        return Crs.Transform(moved, Zone, Crs.Wgs84);
    }

    /// <summary>A lon/lat coordinate back as metres from the origin.</summary>
    public static (double X, double Y) Back(Coordinate c)
    {
        var (x, y) = Crs.Transform(c.X, c.Y, Crs.Wgs84, Zone);
        return (x - E0, y - N0);
    }

    /// <summary>A lon/lat geometry back in metres from the origin.</summary>
    public static Geometry Back(Geometry g) =>
        AffineTransformation.TranslationInstance(-E0, -N0).Transform(Crs.Transform(g, Crs.Wgs84, Zone));

    /// <summary>
    /// Asserts an area equals the area drawn in UTM metres within 0.1 % (UTM scale factor near El Milagro: 1.0002),
    /// or 0.1 m² for small areas (buffer arcs are polygons).
    /// </summary>
    public static void AreaNear(double expectedUtm, double? actual)
    {
        Assert.NotNull(actual);
        var tolerance = Math.Max(expectedUtm * 0.001, 0.1);
        Assert.InRange(actual!.Value, expectedUtm - tolerance, expectedUtm + tolerance);
    }
}
