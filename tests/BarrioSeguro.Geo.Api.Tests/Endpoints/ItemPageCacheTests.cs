using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Api.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// Kept pages of /items (issue 15.5): a page asked again is the page read again, a write by anyone (here psql's way:
/// SQL on the table, outside the service) is seen on the next request, and pages never stand in for one another.
/// </summary>
[Collection(ApiCollection.Name)]
public class ItemPageCacheTests(ApiFixture api)
{
    private const string Url = "/api/collections/streets/items?limit=20&offset=40";

    [SkippableFact]
    public async Task A_kept_page_is_the_page_read_again()
    {
        Kept.Clear();
        var read = await Page(Url);
        Assert.True(Kept.TryGet(await KeyAsync(20, 40), out var kept), "the page read from the rows was not kept");
        Assert.Equal(20, kept.NumberReturned);
        var again = await Page(Url);

        Assert.Equal(Without(read, "timeStamp"), Without(again, "timeStamp"));
        Assert.Equal(20, again["features"]!.AsArray().Count);
        Assert.Equal(read["numberMatched"]!.GetValue<int>(), again["numberMatched"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task A_kept_page_is_what_is_sent_until_the_table_changes()
    {
        Kept.Clear();
        var first = await Page(Url);
        var id = first["features"]![0]!["id"]!.GetValue<int>();
        var name = first["features"]![0]!["properties"]!["name"]?.GetValue<string>();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        try
        {
            // A change the version does not see (its trigger off for one statement) shows the page really is kept...
            await Execute(connection, $"BEGIN; ALTER TABLE streets DISABLE TRIGGER streets_tile_version; UPDATE streets SET name = 'Calle escondida' WHERE id = {id}; ALTER TABLE streets ENABLE TRIGGER streets_tile_version; COMMIT;");
            Assert.Equal(name, NameOf(await Page(Url), 0));
            // ...and any write through SQL, as psql or another service would make it, is seen on the next request.
            await Execute(connection, $"UPDATE streets SET name = 'Calle nueva' WHERE id = {id}");
            Assert.Equal("Calle nueva", NameOf(await Page(Url), 0));
        }
        finally
        {
            await using var restore = new NpgsqlCommand("UPDATE streets SET name = $1 WHERE id = $2", connection);
            restore.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value });
            restore.Parameters.Add(new NpgsqlParameter { Value = id });
            await restore.ExecuteNonQueryAsync();
        }
        Assert.Equal(name, NameOf(await Page(Url), 0));
    }

    [SkippableFact]
    public async Task Pages_of_another_box_offset_or_limit_are_kept_apart()
    {
        Kept.Clear();
        string[] urls =
        [
            "/api/collections/streets/items?limit=5",
            "/api/collections/streets/items?limit=5&offset=5",
            "/api/collections/streets/items?limit=6",
            "/api/collections/streets/items?limit=5&bbox=-79.07,-8.04,-79.06,-8.02",
            "/api/collections/stations/items?limit=5",
        ];
        var firstRound = new List<string>();
        foreach (var url in urls) firstRound.Add(Without(await Page(url), "timeStamp"));
        Assert.Equal(urls.Length, firstRound.Distinct().Count());
        for (var i = 0; i < urls.Length; i++) Assert.Equal(firstRound[i], Without(await Page(urls[i]), "timeStamp"));
    }

    [Fact]
    public void The_copy_is_what_passed_between_start_and_stop_and_nothing_past_its_limit()
    {
        var sent = new ArrayBufferWriter<byte>();
        var copying = new CopyingWriter(sent, limit: 8);
        Write(copying, "ab");
        copying.Start();
        Write(copying, "cde");
        Write(copying, "fg");
        Assert.Equal("cdefg", Encoding.ASCII.GetString(copying.Stop()!));
        copying.Start();
        Write(copying, "0123456789"); // past the limit: no copy, now or later
        Assert.Null(copying.Stop());
        copying.Start();
        Write(copying, "x");
        Assert.Null(copying.Stop());
        Assert.Equal("abcdefg0123456789x", Encoding.ASCII.GetString(sent.WrittenSpan));
    }

    private ItemPageCache Kept => api.Factory!.Services.GetRequiredService<ItemPageCache>();

    private async Task<string> KeyAsync(int limit, int offset)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM tile_versions WHERE collection = 'streets'", connection);
        var version = (long)(await command.ExecuteScalarAsync())!;
        return ItemPageCache.Key("streets", version, $"{api.BaseAddress.ToString().TrimEnd('/')}/api/collections/streets", null, limit, offset);
    }

    private static void Write(IBufferWriter<byte> writer, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        bytes.CopyTo(writer.GetSpan(bytes.Length));
        writer.Advance(bytes.Length);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string? NameOf(JsonNode page, int i) => page["features"]![i]!["properties"]!["name"]?.GetValue<string>();

    private static string Without(JsonNode page, string member)
    {
        var copy = page.DeepClone().AsObject();
        copy.Remove(member);
        return copy.ToJsonString();
    }

    private async Task<JsonNode> Page(string url)
    {
        using var response = await api.Client().GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
