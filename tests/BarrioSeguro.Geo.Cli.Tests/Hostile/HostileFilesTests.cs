using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Hostile;

/// <summary>
/// The hostile corpus through every command that reads a file: convert, validate, blocks and import. Each is refused
/// with exit 1 and one line naming the problem, no stack trace or internal path, nothing written.
/// </summary>
[Collection(PostgisCollection.Name)]
public class HostileFilesTests(PostgisFixture postgis)
{
    private static void Refused(CliRun run, HostileFiles.Case c, string command)
    {
        Assert.True(run.ExitCode == 1, $"{command} {c.Name}: exit {run.ExitCode}\n{run.Out}{run.Error}");
        var line = run.ErrorLine;
        Assert.True(line.Contains(c.Reason, StringComparison.OrdinalIgnoreCase), $"{command} {c.Name}: '{c.Reason}' not in: {line}");
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
        Assert.DoesNotContain(Path.GetTempPath(), line); // file names, never the folders they sit in
    }

    [Theory]
    [MemberData(nameof(HostileFiles.Names), MemberType = typeof(HostileFiles))]
    public void Convert_validate_and_blocks_refuse_it_and_write_nothing(string name)
    {
        using var dir = new TempDir();
        var c = HostileFiles.Build(name, dir.Path);
        var outputs = new[] { dir.File("out.geojson"), dir.File("out.zip"), dir.File("blocks.geojson"), dir.File("problems.geojson") };

        Refused(CliRun.Of("convert", c.File, outputs[0]), c, "convert");
        Refused(CliRun.Of("convert", c.File, outputs[1]), c, "convert");
        Refused(CliRun.Of("validate", c.File, "--out", outputs[3]), c, "validate");
        Refused(CliRun.Of("blocks", "--streets", c.File, "--out", outputs[2]), c, "blocks");
        Assert.All(outputs, o => Assert.False(File.Exists(o), o));
        Assert.Empty(Directory.GetDirectories(dir.Path)); // no scratch folder left beside the outputs
    }

    [SkippableFact]
    public async Task Import_refuses_every_case_and_no_table_gains_a_row()
    {
        var cs = await postgis.CreateDatabaseAsync("hostile");
        Assert.Equal(0, CliRun.Of("import", SharedGeodata.PathOf("admin/huanchaco_130104_inei2023.geojson"), "--db", cs).ExitCode);
        var before = await Counts(cs);
        using var dir = new TempDir();
        foreach (var name in HostileFiles.Names().Select(n => (string)n[0]))
        {
            var c = HostileFiles.Build(name, dir.Path);
            Refused(CliRun.Of("import", c.File, "--collection", "neighborhoods", "--db", cs), c, "import");
            Assert.Equal(before, await Counts(cs));
        }
        // Still serving: a good file loads after all of them.
        Assert.Equal(0, CliRun.Of("import", SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson"), "--db", cs).ExitCode);
    }

    [SkippableFact]
    public async Task SQL_in_a_property_stays_data_and_Z_values_are_stored_as_2D()
    {
        var cs = await postgis.CreateDatabaseAsync("hostile");
        using var dir = new TempDir();
        const string sql = "x'); DROP TABLE neighborhoods; --";
        var file = dir.Write("barrio.geojson", $$$"""
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"{{{sql}}}","description":"'; DELETE FROM datasets; --"},
             "geometry":{"type":"Polygon","coordinates":[[[-79.07,-8.03,31],[-79.06,-8.03,32],[-79.06,-8.02,33],[-79.07,-8.02,34],[-79.07,-8.03,31]]]}}]}
            """);
        var run = CliRun.Of("import", file, "--collection", "neighborhoods", "--db", cs);
        Assert.True(run.ExitCode == 0, run.Error);
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT name, ST_NDims(boundary) FROM neighborhoods", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(sql, reader.GetString(0));
        Assert.Equal(2, reader.GetInt32(1));
    }

    private static async Task<string> Counts(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM neighborhoods) || '/' || (SELECT count(*) FROM neighborhood_revisions) || '/' || (SELECT count(*) FROM datasets) || '/' || (SELECT count(*) FROM districts)", connection);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
