using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

public class ConvertCommandTests
{
    private const string Streets = """
        { "type": "FeatureCollection", "features": [
          { "type": "Feature", "properties": { "nombre": "Jirón Los Álamos", "ubicación1": "El Milagro" },
            "geometry": { "type": "LineString", "coordinates": [[-79.0312, -8.0421], [-79.0301, -8.0410]] } },
          { "type": "Feature", "properties": { "nombre": "Comisaría El Milagro", "ubicación1": "El Milagro" },
            "geometry": { "type": "Point", "coordinates": [-79.0305, -8.0415] } } ] }
        """;

    [Theory]
    [InlineData("out.zip", new string[0], "Wrote 2 features to out.zip (WGS 84 / UTM zone 17S)", 32717)]
    [InlineData("out.gpkg", new string[0], "Wrote 2 features to out.gpkg (WGS 84 / UTM zone 17S)", 32717)]
    [InlineData("out.geojson", new string[0], "Wrote 2 features to out.geojson (WGS 84)", 4326)]
    [InlineData("out.zip", new[] { "--crs", "EPSG:32718" }, "Wrote 2 features to out.zip (WGS 84 / UTM zone 18S)", 32718)]
    [InlineData("out.gpkg", new[] { "--crs=EPSG:24877" }, "Wrote 2 features to out.gpkg (PSAD56 / UTM zone 17S)", 24877)]
    [InlineData("out.shp", new[] { "--crs", "32717" }, "Wrote 2 features to out.shp (WGS 84 / UTM zone 17S): out_lines.shp, out_points.shp", 32717)]
    [InlineData("out.fgb", new string[0], "Wrote 2 features to out.fgb (WGS 84 / UTM zone 17S)", 32717)]
    [InlineData("out.fgb", new[] { "--crs", "EPSG:4326" }, "Wrote 2 features to out.fgb (WGS 84)", 4326)]
    public void Converts_by_extension(string output, string[] options, string summary, int epsg)
    {
        using var dir = new TempDir();
        var input = dir.Write("calles.geojson", Streets);

        var run = CliRun.Of(["convert", input, dir.File(output), .. options]);

        // A DBF field name holds 10 bytes: the 11-byte "ubicación1" is cut, and a warning says so.
        var shapefile = output.EndsWith(".shp") || output.EndsWith(".zip");
        Assert.Equal(shapefile ? $"warning: {output}: field names cut to 10 bytes: ubicación1 → ubicación" : "", run.Error.TrimEnd());
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(summary, run.Out.TrimEnd());
        var read = output.EndsWith(".shp") ? VectorFile.Read(dir.File("out_points.shp")) : VectorFile.Read(dir.File(output));
        Assert.Equal(epsg, read.Epsg);
        Assert.Contains(read.Features, f => (string)f.Attributes["nombre"] == "Comisaría El Milagro");
    }

    [Theory]
    [InlineData(new[] { "convert" }, "barrio convert: expected IN and OUT files (see 'barrio convert --help')")]
    [InlineData(new[] { "convert", "a.geojson" }, "barrio convert: expected IN and OUT files (see 'barrio convert --help')")]
    [InlineData(new[] { "convert", "a.geojson", "b.zip", "c.zip" }, "barrio convert: unexpected argument 'c.zip' (see 'barrio convert --help')")]
    [InlineData(new[] { "convert", "a.geojson", "b.zip", "--crs" }, "barrio convert: option '--crs' needs a value (see 'barrio convert --help')")]
    [InlineData(new[] { "convert", "a.geojson", "b.zip", "--srs", "x" }, "barrio convert: unknown option '--srs' (see 'barrio convert --help')")]
    [InlineData(new[] { "convert", "a.geojson", "b.zip", "--crs", "EPSG:9999" }, "barrio convert: unknown CRS 'EPSG:9999' (try EPSG:4326, EPSG:32717, EPSG:32718, EPSG:32719)")]
    public void Usage_errors_exit_2(string[] args, string message)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.ErrorLine);
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("bad.geojson", "{ \"type\": \"FeatureCollection\", \"features\": [ }", "out.zip", "barrio convert: bad.geojson: malformed GeoJSON at line 1, position 46")] // the "}" inside the array
    [InlineData("missing.geojson", null, "out.zip", "barrio convert: missing.geojson: file not found")]
    [InlineData("calles.geojson", Streets, "out.dwg", "barrio convert: out.dwg: unknown file type '.dwg' (use .geojson, .json, .gpkg, .shp, .zip, .kml, .csv, .fgb, .gpx)")]
    [InlineData("calles.txt", "x", "out.zip", "barrio convert: calles.txt: unknown file type '.txt' (use .geojson, .json, .gpkg, .shp, .zip, .kml, .csv, .fgb, .gpx)")]
    [InlineData("bad.fgb", "{ \"type\": \"FeatureCollection\" }", "out.gpkg", "barrio convert: bad.fgb: not a FlatGeobuf file (it does not start with the bytes 'fgb')")]
    [InlineData("short.gpx", "<gpx version=\"1.1\" creator=\"x\" xmlns=\"http://www.topografix.com/GPX/1/1\"><rte><rtept lat=\"-8\" lon=\"-79\"/></rte></gpx>", "out.fgb",
        "barrio convert: short.gpx: route (rte) #1 has 1 point(s): a line needs at least 2")]
    public void Failures_exit_1_with_one_line_and_write_nothing(string inputName, string? content, string output, string message)
    {
        using var dir = new TempDir();
        var input = content is null ? dir.File(inputName) : dir.Write(inputName, content);

        var run = CliRun.Of("convert", input, dir.File(output));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(message, run.ErrorLine);
        Assert.Equal("", run.Out);
        Assert.Equal(content is null ? [] : [inputName], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_GPX_track_converts_to_FlatGeobuf_and_back_with_its_vertices()
    {
        using var dir = new TempDir();
        var gpx = dir.Write("ronda.gpx", """
            <gpx version="1.1" creator="Garmin" xmlns="http://www.topografix.com/GPX/1/1">
              <trk><name>Ronda</name><trkseg><trkpt lat="-8.0421" lon="-79.0312"/><trkpt lat="-8.0410" lon="-79.0301"/></trkseg></trk>
            </gpx>
            """);
        var run = CliRun.Of("convert", gpx, dir.File("ronda.fgb"), "--crs", "EPSG:4326");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("Wrote 1 feature to ronda.fgb (WGS 84)", run.Out.TrimEnd());
        var back = VectorFile.Read(dir.File("ronda.fgb")).Features.Single();
        Assert.Equal("Ronda", back.Attributes["name"]);
        Assert.Equal([-79.0312, -79.0301], back.Geometry.Coordinates.Select(c => c.X));
    }

    [Fact]
    public void Converts_the_El_Milagro_streets_to_a_UTM_17S_shapefile_zip()
    {
        var input = SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson");
        using var dir = new TempDir();
        var expected = VectorFile.Read(input).Count;

        var run = CliRun.Of("convert", input, dir.File("el_milagro.zip"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"Wrote {expected:N0} features to el_milagro.zip (WGS 84 / UTM zone 17S)", run.Out.TrimEnd());
        var back = VectorFile.Read(dir.File("el_milagro.zip"));
        Assert.Equal(expected, back.Count);
        Assert.Equal(32717, back.Epsg);
    }
}
