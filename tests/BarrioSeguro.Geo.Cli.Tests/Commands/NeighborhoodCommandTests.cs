using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

public class NeighborhoodCommandTests
{
    private const double Step = 0.001;

    /// <summary>A 4 x 4 grid of blocks "r{row}c{col}" with exactly shared corners.</summary>
    private static string Blocks(TempDir dir)
    {
        static string X(int c) => (-79.07 + c * Step).ToString("R", CultureInfo.InvariantCulture);
        static string Y(int r) => (-8.03 + r * Step).ToString("R", CultureInfo.InvariantCulture);
        var features = from r in Enumerable.Range(0, 4)
                       from c in Enumerable.Range(0, 4)
                       select $$$"""{"type":"Feature","properties":{"id":"r{{{r}}}c{{{c}}}"},"geometry":{"type":"Polygon","coordinates":[[[{{{X(c)}}},{{{Y(r)}}}],[{{{X(c + 1)}}},{{{Y(r)}}}],[{{{X(c + 1)}}},{{{Y(r + 1)}}}],[{{{X(c)}}},{{{Y(r + 1)}}}],[{{{X(c)}}},{{{Y(r)}}}]]]}}""";
        return dir.Write("manzanas.geojson", $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""");
    }

    [Fact]
    public void From_blocks_writes_one_boundary_with_its_area()
    {
        using var dir = new TempDir();
        var out_ = dir.File("barrio.geojson");
        var run = CliRun.Of("neighborhood", "--from-blocks", Blocks(dir), "--ids", "r0c0,r0c1,r1c0,r1c1", "--name", "Señor de los Milagros", "--out", out_);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("from 4 blocks, 1 part(s)", run.Out);
        var written = Assert.Single(VectorFile.Read(out_).Features);
        Assert.Equal("Señor de los Milagros", written.Attributes["name"]);
        Assert.IsAssignableFrom<IPolygonal>(written.Geometry);
        Assert.InRange((double)written.Attributes["area_km2"], 0.045, 0.052); // 4 blocks of about 110 m x 110 m
    }

    [Fact]
    public void From_hotspots_covers_the_cluster()
    {
        using var dir = new TempDir();
        var points = new StringBuilder();
        for (var i = 0; i < 6; i++)
            points.Append(CultureInfo.InvariantCulture, $$$"""{{{(i > 0 ? "," : "")}}}{"type":"Feature","properties":{"category":"robo"},"geometry":{"type":"Point","coordinates":[{{{-79.07 + 2.5 * Step + i * 0.00003}}},{{{-8.03 + 2.5 * Step}}}]}}""");
        var incidents = dir.Write("incidentes.geojson", $$"""{"type":"FeatureCollection","features":[{{points}}]}""");
        var out_ = dir.File("propuesta.gpkg");

        var run = CliRun.Of("neighborhood", "--from-hotspots", incidents, "--blocks", Blocks(dir), "--radius", "50", "--out", out_);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("1 hot spot(s) of 6 incidents", run.Out);
        var boundary = Assert.Single(VectorFile.Read(out_).Features).Geometry;
        Assert.NotNull(boundary);
    }

    [Theory]
    [InlineData(new[] { "neighborhood", "--out", "x.geojson" }, 2, "either --from-blocks or --from-hotspots")]
    [InlineData(new[] { "neighborhood", "--from-blocks", "b.geojson", "--out", "x.geojson" }, 2, "--ids")]
    [InlineData(new[] { "neighborhood", "--from-hotspots", "i.geojson", "--blocks", "b.geojson", "--radius", "-5", "--out", "x.geojson" }, 2, "--radius")]
    public void Bad_arguments_exit_with_one_line(string[] args, int code, string reason)
    {
        var run = CliRun.Of(args);
        Assert.Equal(code, run.ExitCode);
        Assert.Contains(reason, run.ErrorLine);
    }

    [Fact]
    public void Unknown_block_ids_are_named()
    {
        using var dir = new TempDir();
        var run = CliRun.Of("neighborhood", "--from-blocks", Blocks(dir), "--ids", "r0c0,zz9", "--out", dir.File("x.geojson"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("zz9", run.ErrorLine);
        Assert.False(File.Exists(dir.File("x.geojson")));
    }
}
