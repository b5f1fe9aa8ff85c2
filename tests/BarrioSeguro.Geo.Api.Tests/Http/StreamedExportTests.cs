using System.Net;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>
/// issue 15.2: collection exports stream from PostGIS (FeatureRows) and are kept by the table's data version: the same
/// version gives the same file and ETag without reading rows again; a write to the table (any writer: here SQL, as
/// psql would) gives a new version, a new ETag and the new data. The streamed features are those the items route gives.
/// </summary>
[Collection(ApiCollection.Name)]
public class StreamedExportTests(ApiFixture api)
{
    [SkippableTheory]
    [InlineData("stations")]
    [InlineData("districts")]
    [InlineData("neighborhoods")]
    [InlineData("incidents")]
    public async Task The_streamed_export_holds_the_features_and_values_of_the_items_route(string collection)
    {
        var token = await api.SignInAsync(ApiFixture.AdminName);
        using var client = api.ClientWithToken(token);
        var export = await client.GetAsync($"/api/collections/{collection}/export?format=geojson");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var exported = (await ApiFixture.JsonOf(export)).GetProperty("features").EnumerateArray().ToList();
        var items = (await ApiFixture.JsonOf(await client.GetAsync($"/api/collections/{collection}/items?limit=10000")))
            .GetProperty("features").EnumerateArray().ToList();

        Assert.Equal(items.Count, exported.Count);
        var compared = 0;
        foreach (var (e, i) in exported.Zip(items)) // both ordered by id
        {
            var ours = e.GetProperty("properties");
            var theirs = i.GetProperty("properties");
            foreach (var p in theirs.EnumerateObject())
            {
                if (!ours.TryGetProperty(p.Name, out var value)) continue;
                Assert.True(Same(p.Value, value), $"{collection} {p.Name}: items {p.Value.GetRawText()}, export {value.GetRawText()}");
                compared++;
            }
        }
        Assert.True(compared >= items.Count * 2, $"only {compared} values compared");
    }

    [SkippableFact]
    public async Task A_write_to_the_table_gives_a_new_ETag_and_the_new_data_and_none_keeps_the_file()
    {
        using var client = api.AnonymousClient();
        const string Url = "/api/collections/stations/export?format=geojson";
        var first = await client.GetAsync(Url);
        var second = await client.GetAsync(Url);
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(first.Content.Headers.LastModified, second.Content.Headers.LastModified);

        await using var db = new NpgsqlConnection(api.ConnectionString);
        await db.OpenAsync();
        string? before;
        await using (var read = new NpgsqlCommand("SELECT name FROM stations ORDER BY id LIMIT 1", db)) before = await read.ExecuteScalarAsync() as string;
        try
        {
            await using (var rename = new NpgsqlCommand("UPDATE stations SET name = 'Comisaría renombrada por la prueba' WHERE id = (SELECT min(id) FROM stations)", db))
                await rename.ExecuteNonQueryAsync();
            var third = await client.GetAsync(Url);
            Assert.NotEqual(first.Headers.ETag, third.Headers.ETag);
            Assert.Contains("Comisaría renombrada por la prueba", await third.Content.ReadAsStringAsync());
            // The old ETag no longer validates: a conditional request gets the new file.
            var conditional = new HttpRequestMessage(HttpMethod.Get, Url) { Headers = { IfNoneMatch = { first.Headers.ETag! } } };
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(conditional)).StatusCode);
        }
        finally
        {
            await using var restore = new NpgsqlCommand("UPDATE stations SET name = $1 WHERE id = (SELECT min(id) FROM stations)", db);
            restore.Parameters.Add(new NpgsqlParameter { Value = (object?)before ?? DBNull.Value });
            await restore.ExecuteNonQueryAsync();
        }
    }

    [SkippableFact]
    public async Task Incidents_and_buildings_have_a_data_version_bumped_by_every_write()
    {
        await using var db = new NpgsqlConnection(api.ConnectionString);
        await db.OpenAsync();
        foreach (var table in new[] { "incidents", "buildings" })
        {
            var before = await VersionAsync(db, table);
            await using (var touch = new NpgsqlCommand($"UPDATE {table} SET id = id WHERE false", db)) await touch.ExecuteNonQueryAsync();
            Assert.Equal(before + 1, await VersionAsync(db, table)); // a statement trigger: even a write of no row
        }
    }

    private static async Task<long> VersionAsync(NpgsqlConnection db, string table)
    {
        await using var c = new NpgsqlCommand("SELECT version FROM tile_versions WHERE collection = $1", db);
        c.Parameters.Add(new NpgsqlParameter { Value = table });
        return (long)(await c.ExecuteScalarAsync())!;
    }

    // Numbers compared as numbers (1 and 1.0 are one value), times as instants (the file writes ISO 8601 with 7
    // decimals, the items route without), everything else as JSON text.
    private static bool Same(JsonElement a, JsonElement b)
    {
        if (a.ValueKind == JsonValueKind.Number && b.ValueKind == JsonValueKind.Number) return Math.Abs(a.GetDouble() - b.GetDouble()) < 1e-9;
        if (a.ValueKind == JsonValueKind.String && b.ValueKind == JsonValueKind.String && a.TryGetDateTimeOffset(out var x) && b.TryGetDateTimeOffset(out var y))
            return x == y;
        return a.GetRawText() == b.GetRawText();
    }
}
