using BarrioSeguro.Geo.Data.Tests;
using BarrioSeguro.Geo.IO;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// A street file clipped to an area carries Points, MultiPoints and GeometryCollections where streets touch its edge:
/// they are left out with one warning naming them, or refused with --non-lines refuse.
/// </summary>
[Collection(PostgisCollection.Name)]
public class NonLineStreetsTests(PostgisFixture postgis)
{
    private static string Expected(ClippedStreets clipped)
    {
        var named = clipped.Points.Take(10).Select(n => $"#{n} {(clipped.Types[n - 1] == "POINT" ? "Point" : "MultiPoint")}");
        return $"left out {clipped.Points.Count} features that are not lines: {string.Join(", ", named)}";
    }

    [Fact]
    public void Blocks_leave_the_points_out_with_one_warning_and_keep_the_lines_of_collections()
    {
        using var dir = new TempDir();
        var clipped = ClippedStreets.Make(dir.Path);
        Assert.NotEmpty(clipped.Points);
        Assert.NotEmpty(clipped.Collections);

        var run = CliRun.Of("blocks", "--streets", clipped.Path, "--out", dir.File("manzanas.geojson"));

        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"warning: calles_recortadas.geojson: {Expected(clipped)}", lines[0]);
        Assert.StartsWith($"warning: calles_recortadas.geojson: kept only the lines of {clipped.Collections.Count} GeometryCollections: #{clipped.Collections[0]},", lines[1]);
        Assert.DoesNotContain("Exception", run.Error);
        var streets = clipped.Types.Count - clipped.Points.Count;
        Assert.Contains($"from {streets} streets", run.Out);
        Assert.True(VectorFile.Read(dir.File("manzanas.geojson")).Count > 0);
    }

    [Fact]
    public void Blocks_with_refuse_exit_1_naming_the_first_feature_and_write_nothing()
    {
        using var dir = new TempDir();
        var clipped = ClippedStreets.Make(dir.Path);
        var first = clipped.Points.Concat(clipped.Collections).Min();

        var run = CliRun.Of("blocks", "--streets", clipped.Path, "--out", dir.File("manzanas.geojson"), "--non-lines", "refuse");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"calles_recortadas.geojson: feature #{first} is a ", run.ErrorLine);
        Assert.Contains("not a line", run.ErrorLine);
        Assert.False(File.Exists(dir.File("manzanas.geojson")));
    }

    [Fact]
    public void A_wrong_non_lines_word_is_a_usage_error()
    {
        var run = CliRun.Of("blocks", "--streets", "x.geojson", "--out", "y.geojson", "--non-lines", "drop");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--non-lines must be skip or refuse, not 'drop'", run.ErrorLine);
    }

    [Fact]
    public void Coverage_on_the_clipped_extract_leaves_the_points_out_with_the_same_warning()
    {
        using var dir = new TempDir();
        var clipped = ClippedStreets.Make(dir.Path);
        var units = dir.Write("unidad.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"U1"},"geometry":{"type":"Point","coordinates":[-79.064,-8.027]}}]}
            """);

        var run = CliRun.Of("coverage", "--streets", clipped.Path, "--units", units, "--mode", "foot", "--minutes", "5",
            "--out", dir.File("cobertura.geojson"), "--report", dir.File("cobertura.json"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains($"warning: calles_recortadas.geojson: {Expected(clipped)}", run.Error);
        Assert.True(File.Exists(dir.File("cobertura.json")));

        var refused = CliRun.Of("coverage", "--streets", clipped.Path, "--units", units, "--mode", "foot", "--minutes", "5",
            "--out", dir.File("otra.geojson"), "--report", dir.File("otra.json"), "--non-lines", "refuse");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("not a line", refused.ErrorLine);
        Assert.False(File.Exists(dir.File("otra.json")));
    }

    [Fact]
    public void Blocks_from_a_file_without_any_street_fail_with_one_line_and_no_dotnet_text()
    {
        using var dir = new TempDir();
        var empty = dir.Write("vacias.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"highway":"residential"},"geometry":null}]}
            """);
        var run = CliRun.Of("blocks", "--streets", empty, "--out", dir.File("m.geojson"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("barrio blocks: No streets given", run.ErrorLine);
        Assert.DoesNotContain("Parameter", run.ErrorLine);
    }

    [Theory]
    [InlineData("blocks")]
    [InlineData("coverage")]
    [InlineData("routes")]
    [InlineData("import")]
    public void Help_documents_the_option(string command)
    {
        var run = CliRun.Of("help", command);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--non-lines skip|refuse", run.Out);
    }

    [SkippableFact]
    public async Task Import_leaves_the_points_out_with_the_same_warning_and_refuse_loads_nothing()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        using var dir = new TempDir();
        var clipped = ClippedStreets.Make(dir.Path);

        var refused = CliRun.Of("import", clipped.Path, "--non-lines", "refuse", "--db", cs);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"feature #{clipped.Points.Concat(clipped.Collections).Min()} is a ", refused.ErrorLine);
        Assert.Equal(0L, await Count(cs, "streets"));

        var run = CliRun.Of("import", clipped.Path, "--db", cs);
        Assert.True(run.ExitCode == 0, run.Error);
        var loaded = clipped.Types.Count - clipped.Points.Count;
        Assert.Contains($"{loaded} features loaded into streets", run.Out);
        Assert.Contains($"warning: calles_recortadas.geojson: {Expected(clipped)}", run.Error);
        Assert.Contains($"kept only the lines of {clipped.Collections.Count} GeometryCollections", run.Error);
        Assert.Equal(loaded, await Count(cs, "streets"));
        Assert.Equal(0L, await Scalar(cs, "SELECT count(*) FROM streets WHERE GeometryType(geometry) <> 'MULTILINESTRING'"));
    }

    private static Task<long> Count(string cs, string table) => Scalar(cs, $"SELECT count(*) FROM {table}");

    private static async Task<long> Scalar(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
