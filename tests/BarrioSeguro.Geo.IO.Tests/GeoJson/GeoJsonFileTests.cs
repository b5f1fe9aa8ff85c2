using System.Text.Json;
using BarrioSeguro.Geo.IO.Tests.Support;

namespace BarrioSeguro.Geo.IO.Tests.GeoJson;

public class GeoJsonFileTests
{
    [Theory]
    [InlineData(null, 4326)]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", 4326)]
    [InlineData("urn:ogc:def:crs:EPSG::32717", 32717)]
    [InlineData("EPSG:32717", 32717)]
    [InlineData("EPSG:24877", 24877)]
    public void Crs_member(string? crs, int epsg)
    {
        using var dir = new TempDir();
        var member = crs is null ? "" : $"\"crs\": {{ \"type\": \"name\", \"properties\": {{ \"name\": \"{crs}\" }} }},";
        var path = dir.Write("a.geojson", $$"""{ "type": "FeatureCollection", {{member}} "features": [] }""");
        Assert.Equal(epsg, VectorFile.Read(path).Epsg);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("  \n ", "empty file")]
    [InlineData("{ \"type\": \"FeatureCollection\",\n  \"features\": [ { ] }", "malformed GeoJSON at line 2, position 19")] // the "]" that closes no object
    [InlineData("[1, 2]", "not GeoJSON: the top level is not an object with a \"type\"")]
    [InlineData("{ \"type\": \"FeatureCollection\" }", "FeatureCollection without a \"features\" array")]
    [InlineData("{ \"type\": \"FeatureCollection\", \"crs\": { \"type\": \"name\", \"properties\": { \"name\": \"EPSG:9999\" } }, \"features\": [] }",
        "unknown CRS \"EPSG:9999\" in the \"crs\" member")]
    [InlineData("{ \"type\": \"FeatureCollection\", \"features\": [ { \"type\": \"Feature\", \"properties\": {}, \"geometry\": { \"type\": \"Point\", \"coordinates\": \"x\" } } ] }",
        "feature #1 has an invalid geometry")]
    public void Errors_are_one_line_naming_the_file(string text, string reason)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write("bad.geojson", text)));
        Assert.True(e.Message.StartsWith("bad.geojson: " + reason, StringComparison.Ordinal), e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Property_values_become_plain_values()
    {
        using var dir = new TempDir();
        var path = dir.Write("a.json", """
            { "type": "Feature", "properties": { "s": "Jirón", "i": 3, "d": 2.5, "b": true, "n": null, "o": { "k": 1 } },
              "geometry": null }
            """);
        var a = Assert.Single(VectorFile.Read(path).Features).Attributes;
        Assert.Equal("Jirón", a["s"]);
        Assert.Equal(3L, a["i"]);
        Assert.Equal(2.5, a["d"]);
        Assert.Equal(true, a["b"]);
        Assert.Null(a["n"]);
        Assert.Equal("{ \"k\": 1 }", a["o"]);
    }

    [Fact]
    public void Writes_RFC_7946_by_default_with_readable_accents()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        var utm = BarrioSeguro.Geo.IO.Tests.Support.Features.InUtm17S(source);

        var summary = VectorFile.Write(dir.File("out.geojson"), utm, 32717);

        Assert.Equal(4326, summary.Epsg);
        var text = File.ReadAllText(dir.File("out.geojson"));
        Assert.Contains("\"Jirón Los Álamos\"", text);
        Assert.DoesNotContain("\"crs\"", text);
        var back = VectorFile.Read(dir.File("out.geojson"));
        Assert.Equal(-79.0312, back.Features[0].Geometry.Coordinates[0].X, 7);
    }

    [Fact]
    public void Writes_a_legacy_crs_member_when_asked_for_UTM_and_GDAL_honours_it()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));

        VectorFile.Write(dir.File("utm.geojson"), source.Features, 4326, 32717);

        using var doc = JsonDocument.Parse(File.ReadAllText(dir.File("utm.geojson")));
        Assert.Equal("urn:ogc:def:crs:EPSG::32717", doc.RootElement.GetProperty("crs").GetProperty("properties").GetProperty("name").GetString());
        Assert.Equal(32717, VectorFile.Read(dir.File("utm.geojson")).Epsg);
        Assert.Contains("WGS 84 / UTM zone 17S", Gdal.OgrInfo("-so", "-al", dir.File("utm.geojson")));
    }
}
