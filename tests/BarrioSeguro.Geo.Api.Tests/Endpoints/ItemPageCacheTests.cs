using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Api.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// Kept pages of /items (issue 15.5): a page asked again is the page read again, with no query while the data versions
/// are announced; a write by anyone (here psql's way: SQL on the table, outside the service) is seen once its notice
/// arrives, one through the service on the very next request; and pages never stand in for one another.
/// </summary>
[Collection(ApiCollection.Name)]
public class ItemPageCacheTests(ApiFixture api)
{
    private const string Url = "/api/collections/streets/items?limit=20&offset=40";

    [SkippableFact]
    public async Task A_kept_page_is_the_page_read_again()
    {
        Kept.Clear();
        var read = await api.PageAsync(Url);
        Assert.True(Kept.TryGet(await KeyAsync(20, 40), out var kept), "the page read from the rows was not kept");
        Assert.Equal(20, kept.NumberReturned);
        var again = await api.PageAsync(Url);

        Assert.Equal(Without(read, "timeStamp"), Without(again, "timeStamp"));
        Assert.Equal(20, again["features"]!.AsArray().Count);
        Assert.Equal(read["numberMatched"]!.GetValue<int>(), again["numberMatched"]!.GetValue<int>());
    }

    [SkippableFact]
    public async Task A_kept_page_is_what_is_sent_until_the_table_changes()
    {
        Kept.Clear();
        var first = await api.PageAsync(Url);
        var id = first["features"]![0]!["id"]!.GetValue<int>();
        var name = NameOf(first, 0);
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        try
        {
            // A change the version does not see (its trigger off for one statement) shows the page really is kept...
            await ApiFixture.ExecuteAsync(connection, $"BEGIN; ALTER TABLE streets DISABLE TRIGGER streets_tile_version; UPDATE streets SET name = 'Calle escondida' WHERE id = {id}; ALTER TABLE streets ENABLE TRIGGER streets_tile_version; COMMIT;");
            Assert.Equal(name, NameOf(await api.PageAsync(Url), 0));
            // ...and any write through SQL, as psql or another service would make it, is seen once its notice arrives.
            await ApiFixture.ExecuteAsync(connection, $"UPDATE streets SET name = 'Calle nueva' WHERE id = {id}");
            await ApiFixture.UntilAsync(async () => NameOf(await api.PageAsync(Url), 0) == "Calle nueva", "a write made in SQL was never shown");
        }
        finally
        {
            await PutBackAsync(connection, id, name);
        }
    }

    [SkippableFact]
    public async Task A_kept_page_costs_no_version_query_while_the_versions_are_announced()
    {
        var versions = api.Factory!.Services.GetRequiredService<DataVersions>();
        await ApiFixture.UntilAsync(() => Task.FromResult(versions.Listening), "the service never listened to the data version notices");
        Kept.Clear();
        var first = await api.PageAsync(Url);
        var id = first["features"]![0]!["id"]!.GetValue<int>();
        var name = NameOf(first, 0);
        Assert.True(versions.TryGet("streets", out var kept), "the version read for the page was not kept");
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        try
        {
            // The version bumped but not announced (the notice's trigger off for the statement): the page asked again
            // is still the kept one, so no request read the version.
            await ApiFixture.ExecuteAsync(connection, $"BEGIN; ALTER TABLE tile_versions DISABLE TRIGGER tile_versions_notice; UPDATE streets SET name = 'Calle sin aviso' WHERE id = {id}; ALTER TABLE tile_versions ENABLE TRIGGER tile_versions_notice; COMMIT;");
            Assert.Equal(name, NameOf(await api.PageAsync(Url), 0));
            Assert.True(versions.TryGet("streets", out var still));
            Assert.Equal(kept, still);
            // A notice (here raised by hand, as any write's trigger would) makes the next requests read it again.
            await ApiFixture.ExecuteAsync(connection, $"SELECT pg_notify('{DataVersions.NoticeChannel}', 'streets')");
            await ApiFixture.UntilAsync(async () => NameOf(await api.PageAsync(Url), 0) == "Calle sin aviso", "the announced version was never read");
            Assert.True(versions.TryGet("streets", out var now));
            Assert.True(now > kept, $"version {now} after {kept}");
        }
        finally
        {
            await PutBackAsync(connection, id, name);
        }
    }

    [SkippableFact]
    public async Task A_write_through_the_service_is_seen_by_the_very_next_request()
    {
        const string stations = "/api/collections/stations/items?limit=1";
        var before = await api.PageAsync(stations);
        var matched = before["numberMatched"]!.GetValue<int>();
        var where = before["features"]![0]!["geometry"]!.ToJsonString();
        Assert.Equal(matched, (await api.PageAsync(stations))["numberMatched"]!.GetValue<int>()); // kept now

        var feature = $$$"""{"type":"Feature","geometry":{{{where}}},"properties":{"name":"Comisaría de prueba (caché)","operator":"PNP"}}""";
        using var made = await api.Client().PostAsync("/api/collections/stations/items", new StringContent(feature, Encoding.UTF8, "application/geo+json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, made.StatusCode);
        // No wait for the notice: the service's own write drops the kept versions before it answers.
        Assert.Equal(matched + 1, (await api.PageAsync(stations))["numberMatched"]!.GetValue<int>());

        using var delete = new HttpRequestMessage(HttpMethod.Delete, made.Headers.Location);
        delete.Headers.TryAddWithoutValidation("If-Match", made.Headers.ETag!.Tag);
        using var deleted = await api.Client().SendAsync(delete);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(matched, (await api.PageAsync(stations))["numberMatched"]!.GetValue<int>());
    }

    [Fact]
    public void A_notice_drops_the_version_of_its_table_only_and_a_truncate_all_of_them()
    {
        var versions = new DataVersions();
        versions.SetListening(true);
        versions.Keep("streets", 4, versions.Generation);
        versions.Keep("stations", 9, versions.Generation);
        versions.Keep("districts", null, versions.Generation); // a table that keeps no version: known, too
        versions.Heard("streets");
        Assert.False(versions.TryGet("streets", out _));
        Assert.True(versions.TryGet("stations", out var stations));
        Assert.Equal(9, stations);
        Assert.True(versions.TryGet("districts", out var none));
        Assert.Null(none);
        var before = versions.Generation;
        versions.Heard("*");
        Assert.False(versions.TryGet("stations", out _));
        versions.Keep("stations", 9, before); // read before the truncate: not kept
        Assert.False(versions.TryGet("stations", out _));
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
        foreach (var url in urls) firstRound.Add(Without(await api.PageAsync(url), "timeStamp"));
        Assert.Equal(urls.Length, firstRound.Distinct().Count());
        for (var i = 0; i < urls.Length; i++) Assert.Equal(firstRound[i], Without(await api.PageAsync(urls[i]), "timeStamp"));
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

    // The street's name as it was, and seen again, so the tests after this one read the sample as it is.
    private async Task PutBackAsync(NpgsqlConnection connection, int id, string? name)
    {
        await using (var restore = new NpgsqlCommand("UPDATE streets SET name = $1 WHERE id = $2", connection))
        {
            restore.Parameters.Add(new NpgsqlParameter { Value = (object?)name ?? DBNull.Value });
            restore.Parameters.Add(new NpgsqlParameter { Value = id });
            await restore.ExecuteNonQueryAsync();
        }
        await ApiFixture.UntilAsync(async () => NameOf(await api.PageAsync(Url), 0) == name, "the name put back was never shown");
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

    private static string? NameOf(JsonNode page, int i) => page["features"]![i]!["properties"]!["name"]?.GetValue<string>();

    private static string Without(JsonNode page, string member)
    {
        var copy = page.DeepClone().AsObject();
        copy.Remove(member);
        return copy.ToJsonString();
    }
}
