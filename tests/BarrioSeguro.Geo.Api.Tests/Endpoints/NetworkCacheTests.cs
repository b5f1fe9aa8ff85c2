using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Planning.Network;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>The street graph the service keeps between coverage requests: the same answer while the streets stay as
/// they are, a new graph as soon as any writer changes them (the streets' data version in tile_versions).</summary>
[Collection(ApiCollection.Name)]
public class NetworkCacheTests(ApiFixture api)
{
    private async Task<int> PlanOf(int sectors)
    {
        var id = await api.MilagroIdAsync();
        var plan = await ApiFixture.JsonOf(await api.Client().PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors, seed = 2 }));
        return plan.GetProperty("id").GetInt32();
    }

    private async Task<JsonElement> CoverageAsync(int planId)
    {
        var response = await api.Client().PostAsJsonAsync($"/api/plans/{planId}/coverage", new { mode = "car", minutes = 3 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await ApiFixture.JsonOf(response))[0].GetProperty("report");
    }

    private static string Figures(JsonElement report) =>
        JsonSerializer.Serialize(report.GetProperty("networkFigures")) + JsonSerializer.Serialize(report.GetProperty("figures"));

    private async Task ExecAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    [SkippableFact]
    public async Task A_kept_graph_answers_the_same_and_a_changed_street_table_builds_it_again()
    {
        var planId = await PlanOf(2);
        var cache = api.Require().Services.GetRequiredService<NetworkCache>();
        var first = await CoverageAsync(planId);
        Assert.True(cache.Count > 0, "nothing kept after a coverage");
        var again = await CoverageAsync(planId);
        Assert.Equal(Figures(first), Figures(again));

        // A new two-way street of about 1.1 km inside El Milagro, written by another client (psql would do the same).
        const string line = "MULTILINESTRING((-79.0700 -8.0300, -79.0600 -8.0300))";
        await ExecAsync($"INSERT INTO streets (name, class, oneway, layer, geometry) VALUES ('cache test street', 'residential', false, 0, ST_GeomFromText('{line}', 4326))");
        try
        {
            var changed = await CoverageAsync(planId);
            var added = changed.GetProperty("networkFigures").GetProperty("streetKm").GetDouble() - first.GetProperty("networkFigures").GetProperty("streetKm").GetDouble();
            Assert.InRange(added, 0.9, 1.3);
        }
        finally
        {
            await ExecAsync("DELETE FROM streets WHERE name = 'cache test street'");
        }
        // Taken out again: the figures of the first graph, from a graph built again.
        Assert.Equal(Figures(first), Figures(await CoverageAsync(planId)));
    }
}
