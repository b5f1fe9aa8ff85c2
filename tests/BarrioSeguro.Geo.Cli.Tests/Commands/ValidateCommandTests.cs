using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

public class ValidateCommandTests
{
    private static string ElMilagro => SharedGeodata.PathOf("sample/el_milagro_barrio_seguro_illustrative.geojson");
    private static string Huanchaco => SharedGeodata.PathOf("admin/huanchaco_130104_inei2023.geojson");
    private static string Districts => SharedGeodata.PathOf("admin/huanchaco_y_vecinos_inei2023.geojson");

    // Near El Milagro: a bowtie crossing at (-79.065, -8.025), and two neighbourhoods overlapping by a strip 220 m wide.
    private const string Boundaries = """
        { "type": "FeatureCollection", "features": [
          { "type": "Feature", "properties": { "name": "Moño" }, "geometry": { "type": "Polygon", "coordinates":
            [[[-79.07, -8.03], [-79.06, -8.02], [-79.06, -8.03], [-79.07, -8.02], [-79.07, -8.03]]] } },
          { "type": "Feature", "properties": { "name": "Cuadrado" }, "geometry": { "type": "Polygon", "coordinates":
            [[[-79.05, -8.03], [-79.04, -8.03], [-79.04, -8.02], [-79.05, -8.02], [-79.05, -8.03]]] } } ] }
        """;

    private const string Neighbours = """
        { "type": "FeatureCollection", "features": [
          { "type": "Feature", "properties": { "name": "Cuadrado" }, "geometry": { "type": "Polygon", "coordinates":
            [[[-79.05, -8.03], [-79.04, -8.03], [-79.04, -8.02], [-79.05, -8.02], [-79.05, -8.03]]] } },
          { "type": "Feature", "properties": { "name": "Vecino" }, "geometry": { "type": "Polygon", "coordinates":
            [[[-79.042, -8.03], [-79.03, -8.03], [-79.03, -8.02], [-79.042, -8.02], [-79.042, -8.03]]] } } ] }
        """;

    [Fact]
    public void El_Milagro_alone_is_valid()
    {
        var run = CliRun.Of("validate", ElMilagro);
        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^El Milagro: valid \(\d\.\d\d km², 1 part\)$", run.Out.TrimEnd());
    }

    /// <summary>The illustrative boundary follows INEI's Huanchaco limit on its south-east side: inside the district.</summary>
    [Fact]
    public void El_Milagro_lies_inside_Huanchaco()
    {
        var run = CliRun.Of("validate", ElMilagro, "--district", Huanchaco);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.StartsWith("El Milagro: valid (", run.Out);
    }

    /// <summary>
    /// INEI's neighbouring districts were simplified separately and overlap each other: El Milagro, inside Huanchaco,
    /// still overlaps La Esperanza's polygon where the two districts overlap. Validation shows it, with the place.
    /// </summary>
    [Fact]
    public void El_Milagro_overlaps_La_Esperanza_where_the_INEI_districts_overlap()
    {
        var run = CliRun.Of("validate", ElMilagro, "--others", Districts);
        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"overlap: Overlaps la esperanza by [\d,]+ m² near -79\.05\d+, -8\.04", run.Out);
        Assert.Matches(@"overlap: Overlaps huanchaco by \d\.\d\d km²", run.Out);
    }

    [Theory]
    [InlineData("problemas.geojson")]
    [InlineData("problemas.gpkg")]
    public void Problems_are_printed_with_their_place_and_written_as_features(string output)
    {
        using var dir = new TempDir();
        var input = dir.Write("barrios.geojson", Boundaries);
        var others = dir.Write("vecinos.geojson", Neighbours);

        var run = CliRun.Of("validate", input, "--others", others, "--out", dir.File(output));

        Assert.Equal("", run.Error);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Moño: 1 problem", run.Out);
        Assert.Contains("  self-intersection: The boundary crosses itself at -79.065000, -8.025000.", run.Out);
        Assert.Contains("Cuadrado: 1 problem", run.Out); // itself (same name in OTHERS) is skipped
        Assert.Matches(@"  overlap: Overlaps Vecino by 0\.2\d km² near -79\.04\d{4}, -8\.02\d{4}\.", run.Out);
        Assert.Contains($"Wrote 2 problems to {output}", run.Out);

        var written = VectorFile.Read(dir.File(output));
        Assert.Equal(2, written.Count);
        var overlap = written.Features.Single(f => (string)f.Attributes["kind"] == "overlap");
        Assert.Equal("Cuadrado", overlap.Attributes["feature"]);
        Assert.Equal("Vecino", overlap.Attributes["other"]);
        Assert.InRange(Convert.ToDouble(overlap.Attributes["area_m2"]), 200_000, 300_000);
        Assert.Equal("Point", written.Features.Single(f => (string)f.Attributes["kind"] == "self-intersection").Geometry.GeometryType);
    }

    [Fact]
    public void A_shapefile_of_problems_is_split_by_geometry_type()
    {
        using var dir = new TempDir();
        var input = dir.Write("barrios.geojson", Boundaries);
        var run = CliRun.Of("validate", input, "--others", dir.Write("vecinos.geojson", Neighbours), "--out", dir.File("problemas.shp"));
        Assert.Equal(1, run.ExitCode);
        Assert.Single(VectorFile.Read(dir.File("problemas_points.shp")).Features);
        Assert.Single(VectorFile.Read(dir.File("problemas_polygons.shp")).Features);
    }

    [Fact]
    public void A_point_feature_is_not_a_neighbourhood()
    {
        using var dir = new TempDir();
        var input = dir.Write("punto.geojson", """
            { "type": "FeatureCollection", "features": [ { "type": "Feature", "properties": { "nombre": "Comisaría" },
              "geometry": { "type": "Point", "coordinates": [-79.06, -8.02] } } ] }
            """);
        var run = CliRun.Of("validate", input);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Comisaría: 1 problem", run.Out);
        Assert.Contains("  not-polygonal: ", run.Out);
    }

    [Theory]
    [InlineData(new[] { "validate" }, 2, "barrio validate: expected a NEIGHBORHOOD file (see 'barrio validate --help')")]
    [InlineData(new[] { "validate", "a.geojson", "b.geojson" }, 2, "barrio validate: unexpected argument 'b.geojson' (see 'barrio validate --help')")]
    [InlineData(new[] { "validate", "a.geojson", "--tolerance", "3" }, 2, "barrio validate: unknown option '--tolerance' (see 'barrio validate --help')")]
    [InlineData(new[] { "validate", "missing.geojson" }, 1, "barrio validate: missing.geojson: file not found")]
    public void Bad_command_lines_and_files_give_one_line(string[] args, int code, string message)
    {
        var run = CliRun.Of(args);
        Assert.Equal(code, run.ExitCode);
        Assert.Equal(message, run.ErrorLine);
    }

    [Fact]
    public void A_malformed_file_gives_one_line()
    {
        using var dir = new TempDir();
        var run = CliRun.Of("validate", dir.Write("roto.geojson", "{ \"type\": \"FeatureCollection\", \"features\": [ "));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("barrio validate: ", run.ErrorLine);
    }

    [Fact]
    public void Help_shows_the_usage()
    {
        var run = CliRun.Of("validate", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: barrio validate NEIGHBORHOOD [--district DISTRICT] [--others OTHERS] [--out PROBLEMS]", run.Out);
    }
}
