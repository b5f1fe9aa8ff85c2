using System.Diagnostics;
using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

[CollectionDefinition(PostgisCollection.Name)]
public sealed class CliPostgisCollection : ICollectionFixture<PostgisFixture>;

/// <summary>import and export against a real PostGIS database.</summary>
[Collection(PostgisCollection.Name)]
public class DatabaseCommandsTests(PostgisFixture postgis)
{
    private static async Task<long> Count(string cs, string table)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [SkippableFact]
    public async Task Import_guesses_the_collection_loads_once_and_export_writes_a_shapefile_GDAL_reads()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        var streets = SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson");

        var first = CliRun.Of("import", streets, "--db", cs);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("1,060 features loaded into streets", first.Out);
        var again = CliRun.Of("import", streets, "--db", cs);
        Assert.Contains("already loaded", again.Out);
        Assert.Equal(1060, await Count(cs, "streets"));

        using var dir = new TempDir();
        var zip = dir.File("calles.zip");
        var export = CliRun.Of("export", "streets", "--out", zip, "--crs", "EPSG:32717", "--db", cs);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("Wrote 1,060 streets to calles.zip (WGS 84 / UTM zone 17S)", export.Out);
        var info = Run("ogrinfo", "-so", "-al", "/vsizip/" + zip);
        Assert.Contains("WGS 84 / UTM zone 17S", info);
        Assert.Contains("Feature Count: 1060", info);
    }

    [SkippableFact]
    public async Task Export_writes_KML_and_CSV_GDAL_reads_and_refuses_KML_in_UTM_with_one_line()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        var stations = SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson");
        var import = CliRun.Of("import", stations, "--collection", "stations", "--db", cs);
        Assert.True(import.ExitCode == 0, import.Error);
        var count = await Count(cs, "stations");

        using var dir = new TempDir();
        var kml = CliRun.Of("export", "stations", "--out", dir.File("comisarias.kml"), "--db", cs);
        Assert.True(kml.ExitCode == 0, kml.Error);
        Assert.Contains("(WGS 84)", kml.Out);
        Assert.Contains($"Feature Count: {count}", Run("ogrinfo", "-so", "-al", dir.File("comisarias.kml")));

        var csv = CliRun.Of("export", "stations", "--out", dir.File("comisarias.csv"), "--crs", "EPSG:32717", "--db", cs);
        Assert.True(csv.ExitCode == 0, csv.Error);
        Assert.StartsWith("x,y,", File.ReadLines(dir.File("comisarias.csv")).First());
        Assert.Contains($"Feature Count: {count}", Run("ogrinfo", "-so", "-al", "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y", dir.File("comisarias.csv")));

        var utm = CliRun.Of("export", "stations", "--out", dir.File("utm.kml"), "--crs", "EPSG:32717", "--db", cs);
        Assert.NotEqual(0, utm.ExitCode);
        Assert.Contains("EPSG:4326", utm.ErrorLine);
        Assert.False(File.Exists(dir.File("utm.kml")));
    }

    [SkippableFact]
    public async Task A_file_with_one_bad_polygon_is_refused_whole_with_a_one_line_reason()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        using var dir = new TempDir();
        var file = dir.Write("barrios.geojson", """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"Bueno"},"geometry":{"type":"Polygon","coordinates":[[[-79.07,-8.03],[-79.06,-8.03],[-79.06,-8.02],[-79.07,-8.02],[-79.07,-8.03]]]}},
              {"type":"Feature","properties":{"name":"Lazo"},"geometry":{"type":"Polygon","coordinates":[[[-79.07,-8.03],[-79.06,-8.02],[-79.06,-8.03],[-79.07,-8.02],[-79.07,-8.03]]]}}
            ]}
            """);

        var run = CliRun.Of("import", file, "--db", cs);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("feature 1", run.ErrorLine);
        Assert.Contains("-79.065", run.ErrorLine);
        Assert.Equal(0, await Count(cs, "neighborhoods"));
    }

    [Theory]
    [InlineData(new[] { "import" }, "expected at least one FILE")]
    [InlineData(new[] { "import", "x.geojson", "--collection", "parks" }, "unknown collection 'parks'")]
    [InlineData(new[] { "export", "parks", "--out", "x.zip" }, "unknown collection 'parks'")]
    [InlineData(new[] { "export", "streets" }, "--out FILE is required")]
    [InlineData(new[] { "export", "streets", "--out", "x.zip", "--crs", "EPSG:1" }, "unknown CRS")]
    public void Usage_errors_exit_2_with_one_line(string[] args, string reason)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(reason, run.ErrorLine);
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        return output;
    }
}
