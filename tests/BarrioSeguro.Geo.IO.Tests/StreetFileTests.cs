using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests;

public class StreetFileTests
{
    // What clipping in a desktop GIS leaves: a line, a touch point, two touch points, a line with a touch point,
    // a collection of points only, and a line crossing twice.
    private const string Clipped = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"highway":"residential","name":"Jirón Uno"},"geometry":{"type":"LineString","coordinates":[[-79.060,-8.020],[-79.059,-8.020]]}},
          {"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"Point","coordinates":[-79.058,-8.020]}},
          {"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"MultiPoint","coordinates":[[-79.058,-8.021],[-79.057,-8.021]]}},
          {"type":"Feature","properties":{"highway":"primary","name":"Avenida Dos"},"geometry":{"type":"GeometryCollection","geometries":[
            {"type":"Point","coordinates":[-79.061,-8.022]},{"type":"LineString","coordinates":[[-79.060,-8.022],[-79.059,-8.022]]},
            {"type":"LineString","coordinates":[[-79.059,-8.022],[-79.058,-8.022]]}]}},
          {"type":"Feature","properties":{"highway":"service"},"geometry":{"type":"GeometryCollection","geometries":[
            {"type":"Point","coordinates":[-79.061,-8.023]},{"type":"Point","coordinates":[-79.060,-8.023]}]}},
          {"type":"Feature","properties":{"highway":"tertiary"},"geometry":{"type":"MultiLineString","coordinates":[[[-79.060,-8.024],[-79.059,-8.024]],[[-79.058,-8.024],[-79.057,-8.024]]]}}
        ]}
        """;

    [Fact]
    public void Points_are_left_out_with_one_note_and_collections_keep_their_lines()
    {
        using var dir = new TempDir();
        var file = StreetFile.Read(dir.Write("calles.geojson", Clipped), NonLines.Skip);

        Assert.Equal(3, file.Lines.Count);
        Assert.Equal(["Jirón Uno", "Avenida Dos", null], file.Lines.Features.Select(f => f.Attributes.Exists("name") ? f.Attributes["name"] as string : null));
        var kept = Assert.IsType<MultiLineString>(file.Lines.Features[1].Geometry);
        Assert.Equal(2, kept.NumGeometries);
        Assert.Equal(4326, file.Lines.Epsg);
        Assert.Equal(
            ["left out 3 features that are not lines: #2 Point, #3 MultiPoint, #5 GeometryCollection",
             "kept only the lines of 1 GeometryCollection: #4"],
            file.Notes.Select(n => n.English));
        // The kept lines make streets the block builder and the street graph accept.
        Assert.All(StreetLines.From(file.Lines), s => Assert.IsAssignableFrom<ILineal>(s.Geometry));
    }

    [Fact]
    public void Refuse_names_the_first_feature_that_is_not_a_line()
    {
        using var dir = new TempDir();
        var path = dir.Write("calles.geojson", Clipped);

        var e = Assert.Throws<InvalidVectorFileException>(() => StreetFile.Read(path, NonLines.Refuse));

        Assert.Equal("calles.geojson: feature #2 is a Point, not a line (4 such features; non-line features are refused)", e.Message);
    }

    [Fact]
    public void A_file_of_lines_has_no_note()
    {
        using var dir = new TempDir();
        var file = StreetFile.Read(dir.Write("calles.geojson", Samples.Streets), NonLines.Refuse);
        Assert.Empty(file.Notes);
        Assert.Equal(VectorFile.Read(dir.File("calles.geojson")).Count, file.Lines.Count);
    }

    [Fact]
    public void A_long_list_names_ten_and_counts_the_rest()
    {
        var many = Enumerable.Range(1, 13).Select(n => new NonLineFeature(n * 2, "Point")).ToList();
        Assert.Equal("left out 13 features that are not lines: #2 Point, #4 Point, #6 Point, #8 Point, #10 Point, #12 Point, " +
                     "#14 Point, #16 Point, #18 Point, #20 Point and 3 more", StreetGeometry.LeftOut(many)!.English);
    }

    [Fact]
    public void A_file_without_any_line_is_refused_even_when_skipping()
    {
        using var dir = new TempDir();
        var path = dir.Write("puntos.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-79.06,-8.02]}}]}
            """);
        var e = Assert.Throws<InvalidVectorFileException>(() => StreetFile.Read(path, NonLines.Skip));
        Assert.Equal("puntos.geojson: no street in the file: left out 1 feature that is not a line: #1 Point", e.Message);
    }
}
