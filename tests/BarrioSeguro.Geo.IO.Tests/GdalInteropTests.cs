using System.Text.Json;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.IO.Tests;

/// <summary>
/// Every format both ways against GDAL (what QGIS reads and writes files with): written by us and read by GDAL (its
/// GeoJSON output compared feature by feature), and written by GDAL (ogr2ogr from a GeoJSON) and read by us. Features
/// are matched by name: FlatGeobuf's index reorders them, as GDAL's own writer does.
/// </summary>
public class GdalInteropTests
{
    // Lines and multi-lines of one and two parts (a shapefile holds one geometry type), accented names, an integer over 32 bits.
    private const string Lines = """
        {
          "type": "FeatureCollection",
          "features": [
            { "type": "Feature", "properties": { "name": "Jirón Los Álamos", "carriles": 2, "longitud_m": 152.5, "ubigeo": 130101123456 },
              "geometry": { "type": "LineString", "coordinates": [[-79.0312, -8.0421], [-79.0301, -8.0410], [-79.0296, -8.0402]] } },
            { "type": "Feature", "properties": { "name": "Avenida Perú", "carriles": 4, "longitud_m": 410.25, "ubigeo": 130101123457 },
              "geometry": { "type": "LineString", "coordinates": [[-79.0330, -8.0440], [-79.0290, -8.0400]] } },
            { "type": "Feature", "properties": { "name": "Calle Ñandú", "carriles": 1, "longitud_m": 80, "ubigeo": 130101123458 },
              "geometry": { "type": "MultiLineString", "coordinates": [[[-79.1330, -8.1440], [-79.1290, -8.1400]]] } },
            { "type": "Feature", "properties": { "name": "Pasaje Los Olivos", "carriles": 1, "longitud_m": 95.5, "ubigeo": 130101123459 },
              "geometry": { "type": "MultiLineString", "coordinates": [[[-79.0230, -8.0340], [-79.0190, -8.0300]], [[-79.0190, -8.0300], [-79.0170, -8.0310]]] } }
          ]
        }
        """;

    public static TheoryData<string> OurFormats => [".geojson", ".gpkg", ".shp", ".zip", ".kml", ".csv", ".fgb", ".gpx"];

    [Theory]
    [MemberData(nameof(OurFormats))]
    public void Written_by_us_GDAL_reads_every_feature_name_and_vertex(string extension)
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("calles.geojson", Lines));
        var path = dir.File("calles" + extension);
        VectorFile.Write(path, source.Features, source.Epsg, 4326);

        var input = extension == ".zip" ? "/vsizip/" + path : path;
        var args = new List<string> { "-f", "GeoJSON", dir.File("gdal.geojson"), input };
        if (extension == ".gpx") args.Add("tracks");
        Ogr2Ogr.Run([.. args]);

        var ours = ByName(source.Features);
        var theirs = GdalByName(dir.File("gdal.geojson"));
        Assert.Equal(ours.Keys.Order(), theirs.Keys.Order());
        foreach (var (name, coordinates) in ours) AssertSame(coordinates, theirs[name], $"{extension} {name}");
    }

    public static TheoryData<string, string, string[]> GdalFormats => new()
    {
        { ".gpkg", "GPKG", [] },
        { ".shp", "ESRI Shapefile", [] },
        { ".kml", "KML", [] },
        { ".csv", "CSV", ["-lco", "GEOMETRY=AS_WKT"] },
        { ".fgb", "FlatGeobuf", [] },
        { ".gpx", "GPX", ["-dsco", "GPX_USE_EXTENSIONS=YES", "-nlt", "MULTILINESTRING"] },
        { ".geojson", "GeoJSON", [] },
    };

    [Theory]
    [MemberData(nameof(GdalFormats))]
    public void Written_by_GDAL_we_read_every_feature_name_and_vertex(string extension, string driver, string[] options)
    {
        using var dir = new TempDir();
        var geojson = dir.Write("source.geojson", Lines);
        var path = dir.File("calles" + extension);
        Ogr2Ogr.Run([.. new[] { "-f", driver, path, geojson }, .. options]);

        var read = VectorFile.Read(path);
        Assert.Equal(4326, read.Epsg);
        var expected = GdalByName(geojson);
        var ours = ByName(read.Features);
        Assert.Equal(expected.Keys.Order(), ours.Keys.Order());
        foreach (var (name, coordinates) in expected) AssertSame(coordinates, ours[name], $"{extension} {name}");
    }

    private static Dictionary<string, List<(double X, double Y)>> ByName(IEnumerable<IFeature> features) =>
        features.ToDictionary(f => (string)f.Attributes["name"], f => f.Geometry.Coordinates.Select(c => (c.X, c.Y)).ToList());

    private static Dictionary<string, List<(double X, double Y)>> GdalByName(string geoJsonPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(geoJsonPath));
        var result = new Dictionary<string, List<(double, double)>>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var coordinates = new List<(double, double)>();
            Walk(f.GetProperty("geometry").GetProperty("coordinates"), coordinates);
            // GDAL's KML driver names the placemark's <name> "Name".
            var properties = f.GetProperty("properties");
            var name = properties.TryGetProperty("name", out var n) ? n : properties.GetProperty("Name");
            result[name.GetString()!] = coordinates;
        }
        return result;
    }

    private static void Walk(JsonElement e, List<(double, double)> into)
    {
        if (e[0].ValueKind == JsonValueKind.Number) into.Add((e[0].GetDouble(), e[1].GetDouble()));
        else foreach (var c in e.EnumerateArray()) Walk(c, into);
    }

    private static void AssertSame(List<(double X, double Y)> expected, List<(double X, double Y)> actual, string what)
    {
        Assert.True(expected.Count == actual.Count, $"{what}: {actual.Count} vertices, expected {expected.Count}");
        for (var i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i].X - actual[i].X) <= 1e-9 && Math.Abs(expected[i].Y - actual[i].Y) <= 1e-9,
                $"{what}: vertex {i} is ({actual[i].X}, {actual[i].Y}), expected ({expected[i].X}, {expected[i].Y})");
    }
}
