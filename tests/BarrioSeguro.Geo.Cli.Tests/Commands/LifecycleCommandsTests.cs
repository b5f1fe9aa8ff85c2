using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// barrio import --district, imports list and diff, delete and restore (neighbourhoods, imports) against a real
/// PostGIS: what the API does, from the command line, audited, with one-line errors.
/// </summary>
[Collection(PostgisCollection.Name)]
public class LifecycleCommandsTests(PostgisFixture postgis)
{
    private const double X0 = -75.2, Y0 = -12.2, Step = 0.001;

    private static string Line(long osm, string name, double x0, double y0, double x1, double y1) => string.Create(CultureInfo.InvariantCulture,
        $$$"""{"type":"Feature","properties":{"osm_id":{{{osm}}},"name":"{{{name}}}","highway":"residential"},"geometry":{"type":"LineString","coordinates":[[{{{x0}}},{{{y0}}}],[{{{x1}}},{{{y1}}}]]}}""");

    private static string Collection(IEnumerable<string> features) => $$"""{"type":"FeatureCollection","features":[{{string.Join(",", features)}}]}""";

    private static IEnumerable<string> Grid(bool newer)
    {
        for (var i = 0; i < 5; i++)
            if (!(newer && i == 2)) yield return Line(1001 + i, $"Calle {i + 1}", X0 + i * Step, Y0, X0 + i * Step, Y0 + 4 * Step);
        for (var j = 0; j < 5; j++)
            yield return Line(2001 + j, newer && j == 1 ? "Jirón 2" : $"Avenida {j + 1}", X0, Y0 + j * Step, X0 + 4 * Step, Y0 + j * Step);
        if (newer) yield return Line(1006, "Calle 6", X0 + 0.5 * Step, Y0, X0 + 0.5 * Step, Y0 + 4 * Step);
    }

    private static string Box(double m) => string.Create(CultureInfo.InvariantCulture,
        $"[[[{X0 - m},{Y0 - m}],[{X0 + 4 * Step + m},{Y0 - m}],[{X0 + 4 * Step + m},{Y0 + 4 * Step + m}],[{X0 - m},{Y0 + 4 * Step + m}],[{X0 - m},{Y0 - m}]]]");

    private static async Task<List<string?>> Strings(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var list = new List<string?>();
        while (await reader.ReadAsync()) list.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture));
        return list;
    }

    [SkippableFact]
    public async Task A_newer_extract_is_a_version_the_diff_names_and_delete_and_restore_put_each_version_back()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        using var dir = new TempDir();
        var district = dir.Write("distrito.geojson", Collection(["""{"type":"Feature","properties":{"ubigeo":"990001","name":"Distrito de prueba"},"geometry":{"type":"Polygon","coordinates":""" + Box(0.002) + "}}"]));
        Assert.Equal(0, CliRun.Of("import", district, "--collection", "districts", "--db", cs).ExitCode);
        var v1 = dir.Write("calles-2025.geojson", Collection(Grid(false)));
        var v2 = dir.Write("calles-2026.geojson", Collection(Grid(true)));

        var first = CliRun.Of("import", v1, "--collection", "streets", "--district", "990001", "--as", "ana", "--db", cs);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("10 features loaded into streets", first.Out);
        Assert.Contains("version 1)", first.Out);
        var second = CliRun.Of("import", v2, "--collection", "streets", "--district", "990001", "--as", "ana", "--db", cs);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("version 2, replacing import", second.Out);
        Assert.Equal(["Avenida 1", "Avenida 3", "Avenida 4", "Avenida 5", "Calle 1", "Calle 2", "Calle 4", "Calle 5", "Calle 6", "Jirón 2"],
            await Strings(cs, "SELECT name FROM streets ORDER BY name"));
        var ids = await Strings(cs, "SELECT id FROM datasets WHERE collection = 'streets' ORDER BY version");
        var (oldId, newId) = (ids[0]!, ids[1]!);

        var list = CliRun.Of("imports", "list", "--collection", "streets", "--db", cs);
        Assert.True(list.ExitCode == 0, list.Error);
        var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("v2", lines[0]);
        Assert.Contains("calles-2026.geojson  ana", lines[0]);
        Assert.EndsWith("current", lines[0].TrimEnd());
        Assert.DoesNotContain("current", lines[1]);
        Assert.Equal("2 import(s)", lines[2].TrimEnd());

        var diff = CliRun.Of("imports", "diff", newId, "--db", cs);
        Assert.True(diff.ExitCode == 0, diff.Error);
        Assert.Contains("added 1, removed 1, renamed 1, geometry changed 0, unchanged 8", diff.Out);
        Assert.Contains("matched by osm_id", diff.Out);
        Assert.Contains("+ osm 1006 Calle 6", diff.Out);
        Assert.Contains("- osm 1003 Calle 3", diff.Out);
        Assert.Contains("~ osm 2002 Avenida 2 -> Jirón 2", diff.Out);

        // Only the newest version may go; with a stale version nothing happens; each is one line on stderr.
        var older = CliRun.Of("delete", "import", oldId, "--db", cs);
        Assert.Equal(1, older.ExitCode);
        Assert.Contains($"import {oldId} is not the current version", older.ErrorLine);
        var stale = CliRun.Of("delete", "import", newId, "--version", "1", "--db", cs);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("is at version 2, not 1", stale.ErrorLine);
        Assert.Single(stale.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(10, (await Strings(cs, "SELECT name FROM streets")).Count);
        Assert.Contains("Jirón 2", await Strings(cs, "SELECT name FROM streets"));

        var deleted = CliRun.Of("delete", "import", newId, "--as", "ana", "--db", cs);
        Assert.True(deleted.ExitCode == 0, deleted.Error);
        Assert.Contains($"import {oldId} is current", deleted.Out);
        Assert.Equal(["Avenida 1", "Avenida 2", "Avenida 3", "Avenida 4", "Avenida 5", "Calle 1", "Calle 2", "Calle 3", "Calle 4", "Calle 5"],
            await Strings(cs, "SELECT name FROM streets ORDER BY name"));
        Assert.Contains("deleted", CliRun.Of("imports", "list", "--deleted", "--db", cs).Out);

        var restored = CliRun.Of("restore", "import", newId, "--db", cs);
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Contains("Jirón 2", await Strings(cs, "SELECT name FROM streets"));
        Assert.DoesNotContain("Calle 3", await Strings(cs, "SELECT name FROM streets"));

        var audit = await Strings(cs, "SELECT action || ' ' || resource_kind || ' ' || status FROM audit_entries WHERE action IN ('cli delete', 'cli restore') ORDER BY id");
        Assert.Equal(["cli delete import 409", "cli delete import 412", "cli delete import 200", "cli restore import 200"], audit);
    }

    [SkippableFact]
    public async Task A_neighbourhood_is_deleted_and_restored_from_the_command_line_with_one_line_errors()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        using var dir = new TempDir();
        var file = dir.Write("barrio.geojson", Collection(["""{"type":"Feature","properties":{"name":"Barrio de prueba CLI"},"geometry":{"type":"Polygon","coordinates":""" + Box(0) + "}}"]));
        Assert.Equal(0, CliRun.Of("import", file, "--collection", "neighborhoods", "--db", cs).ExitCode);
        var id = (await Strings(cs, "SELECT id FROM neighborhoods"))[0]!;

        Assert.Equal(2, CliRun.Of("delete", "barrio", id, "--db", cs).ExitCode);
        Assert.Equal(2, CliRun.Of("delete", "neighborhood", "x", "--db", cs).ExitCode);
        var stale = CliRun.Of("delete", "neighborhood", id, "--version", "3", "--db", cs);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains($"neighbourhood {id} is at version 1, not 3", stale.ErrorLine);
        Assert.Equal([null], await Strings(cs, "SELECT deleted_at FROM neighborhoods"));

        var deleted = CliRun.Of("delete", "neighborhood", id, "--as", "luis", "--db", cs);
        Assert.True(deleted.ExitCode == 0, deleted.Error);
        Assert.Contains($"neighbourhood {id} deleted, with 0 plan(s)", deleted.Out);
        Assert.Equal(["luis"], await Strings(cs, "SELECT deleted_by FROM neighborhoods"));
        var again = CliRun.Of("delete", "neighborhood", id, "--db", cs);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"no neighbourhood {id}", again.ErrorLine);

        var restored = CliRun.Of("restore", "neighborhood", id, "--db", cs);
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Equal([null], await Strings(cs, "SELECT deleted_by FROM neighborhoods"));
        var twice = CliRun.Of("restore", "neighborhood", id, "--db", cs);
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("is not deleted", twice.ErrorLine);
        Assert.Equal(["cli delete neighborhood luis 200", "cli restore neighborhood 200"],
            (await Strings(cs, "SELECT action || ' ' || resource_kind || ' ' || (CASE WHEN user_name = 'luis' THEN 'luis ' ELSE '' END) || status FROM audit_entries WHERE status = 200 AND action IN ('cli delete', 'cli restore') ORDER BY id")));
    }
}
