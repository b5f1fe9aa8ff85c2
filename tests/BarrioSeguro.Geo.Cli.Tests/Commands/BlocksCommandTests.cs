using BarrioSeguro.Geo.Data.Tests;
using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

public class BlocksCommandTests
{
    private const string Square = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"LineString","coordinates":[[-79.060,-8.020],[-79.059,-8.020],[-79.059,-8.019],[-79.060,-8.019],[-79.060,-8.020]]}},
          {"type":"Feature","properties":{"highway":"primary","bridge":"yes"},"geometry":{"type":"LineString","coordinates":[[-79.0605,-8.0195],[-79.0585,-8.0195]]}},
          {"type":"Feature","properties":{"highway":"footway"},"geometry":{"type":"LineString","coordinates":[[-79.0595,-8.0205],[-79.0595,-8.0185]]}}
        ]}
        """;

    [Fact]
    public void El_Milagro_blocks_to_a_zipped_shapefile_with_short_field_names()
    {
        using var dir = new TempDir();
        var output = dir.File("manzanas.zip");
        var run = CliRun.Of("blocks", "--streets", SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson"),
            "--boundary", SharedGeodata.PathOf("sample/el_milagro_barrio_seguro_illustrative.geojson"),
            "--buildings", SharedGeodata.PathOf("osm/el_milagro_areas_osm_wgs84.geojson"), "--out", output);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"^[\d,]+ blocks, \d+\.\d\d km², from 1,060 streets \(160 footways, service roads and the like, 0 bridges and tunnels left out\) in \d+\.\d s", run.Out);
        Assert.Contains("buildings fall in a block", run.Out);
        Assert.Contains("(WGS 84 / UTM zone 17S)", run.Out);
        Assert.Equal("", run.Error); // no progress bar when stderr is not a terminal

        var written = VectorFile.Read(output);
        Assert.True(written.Count > 100);
        var names = written.Features[0].Attributes.GetNames();
        Assert.Equal(["id", "area_m2", "perim_m", "frontage_m", "incidents", "buildings"], names);
        Assert.True(written.Features.Sum(f => Convert.ToInt64(f.Attributes["buildings"])) > 0);
        Assert.Equal(written.Count, written.Features.Select(f => f.Attributes["id"]).Distinct().Count());
    }

    [Fact]
    public void Bridges_and_footways_are_left_out_and_counted()
    {
        using var dir = new TempDir();
        var streets = dir.Write("calles.geojson", Square);
        var run = CliRun.Of("blocks", "--streets", streets, "--out", dir.File("m.geojson"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("1 block, 0.01 km², from 3 streets (1 footways, service roads and the like, 1 bridges and tunnels left out)", run.Out);
    }

    [Fact]
    public void Incidents_are_counted_per_block()
    {
        using var dir = new TempDir();
        var streets = dir.Write("calles.geojson", Square);
        var incidents = dir.Write("incidentes.geojson", """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-79.0598,-8.0197]}},
              {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-79.0592,-8.0193]}},
              {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-79.05,-8.01]}}
            ]}
            """);
        var output = dir.File("m.geojson");
        var run = CliRun.Of("blocks", "--streets", streets, "--incidents", incidents, "--out", output);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("2 of 3 incidents fall in a block", run.Out);
        Assert.Equal(2L, Convert.ToInt64(Assert.Single(VectorFile.Read(output).Features).Attributes["incidents"]));
    }

    [Theory]
    [InlineData(new[] { "blocks", "--out", "x.geojson" }, "--streets FILE is required")]
    [InlineData(new[] { "blocks", "--streets", "x.geojson" }, "--out FILE is required")]
    [InlineData(new[] { "blocks", "--streets", "x.geojson", "--out", "y.geojson", "--snap", "lots" }, "--snap must be a distance in metres")]
    [InlineData(new[] { "blocks", "--streets", "x.geojson", "--out", "y.geojson", "--width", "3" }, "unknown option '--width'")]
    public void Usage_errors_exit_2(string[] args, string message)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.ErrorLine);
    }

    [Fact]
    public void Streets_that_are_not_lines_fail_with_one_line()
    {
        using var dir = new TempDir();
        var points = dir.Write("puntos.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"Point","coordinates":[-79.06,-8.02]}}]}
            """);
        var run = CliRun.Of("blocks", "--streets", points, "--out", dir.File("m.geojson"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("barrio blocks: Street 0 is a Point, not a line: blocks are made from LineString or MultiLineString streets. (Parameter 'streets')", run.ErrorLine);
    }

    [Fact]
    public void A_boundary_far_from_the_streets_fails_with_one_line()
    {
        using var dir = new TempDir();
        var streets = dir.Write("calles.geojson", Square);
        var far = dir.Write("lejos.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-78,-7],[-77.9,-7],[-77.9,-6.9],[-78,-6.9],[-78,-7]]]}}]}
            """);
        var run = CliRun.Of("blocks", "--streets", streets, "--boundary", far, "--out", dir.File("m.geojson"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The boundary meets no street", run.ErrorLine);
        Assert.False(File.Exists(dir.File("m.geojson")));
    }

    [Fact]
    public void An_empty_streets_file_or_an_unknown_crs_fails_with_one_line()
    {
        using var dir = new TempDir();
        var empty = dir.Write("vacio.geojson", """{"type":"FeatureCollection","features":[]}""");
        var run = CliRun.Of("blocks", "--streets", empty, "--out", dir.File("m.geojson"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("barrio blocks: ", run.ErrorLine);

        var unknown = dir.Write("raro.geojson", """
            {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::99999"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[1,2],[3,4]]}}]}
            """);
        run = CliRun.Of("blocks", "--streets", unknown, "--out", dir.File("m.geojson"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("99999", run.ErrorLine);
    }
}

[Collection(PostgisCollection.Name)]
public class BenchCommandTests(PostgisFixture postgis)
{
    [Theory]
    [InlineData(new[] { "bench" }, "name a benchmark (blocks, sectors, routes, coverage)")]
    [InlineData(new[] { "bench", "tiles" }, "unknown benchmark 'tiles' (blocks, sectors, routes, coverage)")]
    [InlineData(new[] { "bench", "blocks", "--runs", "0" }, "--runs must be a whole number from 1 to 1000")]
    public void Usage_errors_exit_2(string[] args, string message)
    {
        var run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.ErrorLine);
    }

    [SkippableFact]
    public async Task Blocks_benchmark_times_us_and_PostGIS_side_by_side()
    {
        var cs = await postgis.CreateDatabaseAsync("bench");
        var run = CliRun.Of("bench", "blocks", "--runs", "1", "--db", cs);
        // Met or missed depends on the machine's load: the test checks the report, the exit code follows the verdict.
        Assert.True(run.ExitCode == (run.Out.Contains("MISSED", StringComparison.Ordinal) ? 1 : 0), run.Out + run.Error);
        Assert.Matches(@"BarrioSeguro \(NTS\) +median +[\d,.]+ ms .* 1,994 blocks", run.Out);
        Assert.Matches(@"PostGIS [\d.]+, GEOS [\d.]+ +median +[\d,.]+ ms .* 1,994 pieces", run.Out);
        Assert.Matches(@"ratio PostGIS / ours: \d+\.\d\d", run.Out);
        Assert.Matches(@"target < 2,000 ms: (met|MISSED) \([\d,]+ ms\)", run.Out);
    }
}
