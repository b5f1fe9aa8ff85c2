using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>The CLI's database writes leave audit rows, as the service's do: the OS user or --as NAME.</summary>
[Collection(PostgisCollection.Name)]
public class ImportAuditTests(PostgisFixture postgis)
{
    private static async Task<List<(string User, string Action, string? Kind, string? Id, int Status, string Detail)>> Rows(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT user_name, action, resource_kind, resource_id, status, detail::text FROM audit_entries ORDER BY id", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<(string, string, string?, string?, int, string)>();
        while (await reader.ReadAsync())
            rows.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4), reader.GetString(5)));
        return rows;
    }

    [SkippableFact]
    public async Task Each_imported_or_refused_file_leaves_one_row_naming_the_user()
    {
        var cs = await postgis.CreateDatabaseAsync("cliaudit");
        using var dir = new TempDir();
        var good = dir.Write("bueno.geojson", """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"Bueno"},"geometry":{"type":"Polygon","coordinates":[[[-79.07,-8.03],[-79.06,-8.03],[-79.06,-8.02],[-79.07,-8.02],[-79.07,-8.03]]]}}
            ]}
            """);
        var bad = dir.Write("lazo.geojson", """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"Lazo"},"geometry":{"type":"Polygon","coordinates":[[[-79.07,-8.03],[-79.06,-8.02],[-79.06,-8.03],[-79.07,-8.02],[-79.07,-8.03]]]}}
            ]}
            """);

        Assert.Equal(0, CliRun.Of("import", good, "--db", cs, "--as", "gis.torres").ExitCode);
        Assert.Equal(1, CliRun.Of("import", bad, "--db", cs).ExitCode);

        var rows = await Rows(cs);
        Assert.Equal(2, rows.Count);
        Assert.Equal(("gis.torres", "cli import", "neighborhoods", "bueno.geojson", 200), (rows[0].User, rows[0].Action, rows[0].Kind, rows[0].Id, rows[0].Status));
        Assert.Contains("\"inserted\": 1", rows[0].Detail);
        Assert.Equal((Environment.UserName, "cli import", "lazo.geojson", 422), (rows[1].User, rows[1].Action, rows[1].Id, rows[1].Status));
        Assert.Contains("\"refused\": ", rows[1].Detail);
        Assert.True(rows[1].Detail.Contains("Self-intersection", StringComparison.Ordinal), rows[1].Detail);
    }
}
