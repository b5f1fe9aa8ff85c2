using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.Tests.Support;

namespace BarrioSeguro.Geo.IO.Tests.Shapefile;

/// <summary>
/// PSAD56 and SIRGAS 2000 shapefiles land where GDAL (ogr2ogr, PROJ underneath, as in QGIS) puts them, within 1 cm;
/// an export to PSAD56 / UTM 17S agrees with ogr2ogr's transformation of our EPSG:4326 export.
/// </summary>
public class ProjShapefileTests
{
    // Lines over UTM zone 17S in Peru, Tumbes to Huarmey (one geometry type: a shapefile holds one).
    private const string Sample = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"ciudades"},"geometry":{"type":"LineString","coordinates":[[-80.4528,-3.5669],[-80.6328,-5.1945],[-79.0663893,-8.0233466],[-78.5936,-9.0745]]}},
        {"type":"Feature","properties":{"name":"costa"},"geometry":{"type":"LineString","coordinates":[[-81.2,-4.6],[-80.1,-6.9],[-79.3,-7.9],[-78.3,-10.1]]}},
        {"type":"Feature","properties":{"name":"borde"},"geometry":{"type":"LineString","coordinates":[[-79.07,-8.03],[-79.06,-8.03],[-79.06,-8.02],[-79.07,-8.02],[-79.07,-8.03]]}}
        ]}
        """;

    [Theory]
    [InlineData(24877)] // PSAD56 / UTM 17S
    [InlineData(31977)] // SIRGAS 2000 / UTM 17S
    public void A_shapefile_in_a_Peruvian_system_lands_where_GDAL_puts_it(int epsg)
    {
        using var dir = new TempDir();
        var source = dir.Write("muestra.geojson", Sample);
        var shp = dir.File("muestra.shp");
        Ogr2Ogr.Run("-f", "ESRI Shapefile", "-t_srs", $"EPSG:{epsg}", shp, source);

        var read = VectorFile.Read(shp);
        Assert.Equal(epsg, read.Epsg); // GDAL's .prj, identified by PROJ
        var ours = FeatureTransform.To(read.Features, read.Epsg, Crs.Wgs84)
            .SelectMany(f => f.Geometry.Coordinates).Select(c => (c.X, c.Y)).ToList();

        var gdal = dir.File("gdal.geojson");
        Ogr2Ogr.Run("-f", "GeoJSON", "-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=10", gdal, shp);
        AssertWithin(0.01, Ogr2Ogr.Coordinates(gdal), ours, geographic: true);
    }

    [Fact]
    public void An_export_to_PSAD56_agrees_with_GDAL_moving_our_WGS84_export()
    {
        using var dir = new TempDir();
        var set = VectorFile.Read(dir.Write("muestra.geojson", Sample));
        VectorFile.Write(dir.File("wgs84.shp"), set.Features, set.Epsg, Crs.Wgs84);
        VectorFile.Write(dir.File("psad56.shp"), set.Features, set.Epsg, 24877);

        var ours = dir.File("ours.geojson");
        Ogr2Ogr.Run("-f", "GeoJSON", "-lco", "COORDINATE_PRECISION=4", ours, dir.File("psad56.shp"));
        var gdal = dir.File("gdal.geojson");
        Ogr2Ogr.Run("-f", "GeoJSON", "-t_srs", "EPSG:24877", "-lco", "COORDINATE_PRECISION=4", gdal, dir.File("wgs84.shp"));
        AssertWithin(0.01, Ogr2Ogr.Coordinates(gdal), Ogr2Ogr.Coordinates(ours), geographic: false);
        Assert.Contains("PSAD_1956_UTM_Zone_17S", File.ReadAllText(dir.File("psad56.prj")));
    }

    private static void AssertWithin(double metres, IReadOnlyList<(double X, double Y)> expected, IReadOnlyList<(double X, double Y)> actual, bool geographic)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.NotEmpty(expected);
        for (var i = 0; i < expected.Count; i++)
        {
            var (ex, ey) = expected[i];
            var (ax, ay) = actual[i];
            var d = geographic
                ? Math.Sqrt(Math.Pow((ax - ex) * 111_320 * Math.Cos(ey * Math.PI / 180), 2) + Math.Pow((ay - ey) * 111_320, 2))
                : Math.Sqrt(Math.Pow(ax - ex, 2) + Math.Pow(ay - ey, 2));
            Assert.True(d <= metres, $"coordinate {i}: GDAL {expected[i]}, ours {actual[i]}: {d:0.####} m apart (at most {metres} m)");
        }
    }
}
