using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// Stale and unusable versions give clean conflicts (412 for If-Match, 409 for a body's version), and racing writers
/// never see a 500 nor lose or duplicate a version.
/// </summary>
[Collection(ApiCollection.Name)]
public class ConcurrencyTests(ApiFixture api)
{
    // Far from the sample neighbourhoods, so no overlap another test sees.
    private static string Square(double west) => FormattableString.Invariant(
        $"[[[{west},-8.230],[{west + 0.004},-8.230],[{west + 0.004},-8.226],[{west},-8.226],[{west},-8.230]]]");

    private static string Feature(string name, string coordinates, string extraProperties = "") =>
        $$$"""{"type":"Feature","properties":{"name":"{{{name}}}"{{{extraProperties}}}},"geometry":{"type":"Polygon","coordinates":{{{coordinates}}}}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/geo+json");

    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..24];

    private async Task<string> CreateAsync(HttpClient client, string name, double west = -79.300)
    {
        var created = await client.PostAsync("/api/neighborhoods", Json(Feature(name, Square(west))));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return created.Headers.Location!.ToString();
    }

    private async Task DeleteNamed(string name)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE name LIKE @n", connection);
        cmd.Parameters.AddWithValue("n", name + "%");
        await cmd.ExecuteNonQueryAsync();
    }

    private static HttpRequestMessage Put(string location, string body, string? ifMatch)
    {
        var put = new HttpRequestMessage(HttpMethod.Put, location) { Content = Json(body) };
        if (ifMatch is not null) put.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return put;
    }

    private static async Task<int> VersionOf(HttpClient client, string location) =>
        (await ApiFixture.JsonOf(await client.GetAsync(location))).GetProperty("properties").GetProperty("version").GetInt32();

    [SkippableTheory]
    [InlineData("\"stale-0\"")]
    [InlineData("*")]
    [InlineData("\"1\"")] // stale: the neighbourhood is at version 2
    public async Task An_If_Match_that_names_no_current_version_is_a_412_even_when_the_body_names_the_right_one(string ifMatch)
    {
        var client = api.Client();
        var name = Unique("Precondición");
        try
        {
            var location = await CreateAsync(client, name);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Put(location, Feature(name, Square(-79.301), ",\"version\":1"), null))).StatusCode);

            var refused = await client.SendAsync(Put(location, Feature(name, Square(-79.302), ",\"version\":2"), ifMatch));
            Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            // Said in Spanish (no language asked): its note's code names the refusal.
            var problem = await ApiFixture.JsonOf(refused);
            Assert.Contains("versión", problem.GetProperty("detail").GetString());
            Assert.Equal(ifMatch == "\"1\"" ? "store.stale_version" : "api.if_match_unusable", problem.GetProperty("code").GetString());
            Assert.Equal(2, await VersionOf(client, location));

            var revert = new HttpRequestMessage(HttpMethod.Post, location + "/revert") { Content = JsonContent.Create(new { toVersion = 1, version = 2 }) };
            revert.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            Assert.Equal(HttpStatusCode.PreconditionFailed, (await client.SendAsync(revert)).StatusCode);

            var repair = new HttpRequestMessage(HttpMethod.Post, location + "/repair?apply=true");
            repair.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            var repaired = await client.SendAsync(repair);
            // A repair with nothing to change writes nothing and needs no precondition; one that would write is refused.
            Assert.True(repaired.StatusCode is HttpStatusCode.PreconditionFailed, $"repair answered {(int)repaired.StatusCode}");
            Assert.Equal(2, await VersionOf(client, location));
        }
        finally
        {
            await DeleteNamed(name);
        }
    }

    [SkippableFact]
    public async Task A_stale_version_in_the_body_without_If_Match_is_a_409_with_the_current_version()
    {
        var client = api.Client();
        var name = Unique("Conflicto");
        try
        {
            var location = await CreateAsync(client, name);
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(Put(location, Feature(name, Square(-79.301), ",\"version\":1"), null))).StatusCode);
            var stale = await client.SendAsync(Put(location, Feature(name, Square(-79.302), ",\"version\":1"), null));
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Equal(2, (await ApiFixture.JsonOf(stale)).GetProperty("currentVersion").GetInt32());
        }
        finally
        {
            await DeleteNamed(name);
        }
    }

    [SkippableFact]
    public async Task Racing_updates_1000_from_32_clients_give_200_409_or_412_never_a_500_and_lose_no_update()
    {
        var name = Unique("Carrera");
        try
        {
            var location = await CreateAsync(api.Client(), name);
            const int clients = 32, updates = 1000; // the size
            var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
            var written = new System.Collections.Concurrent.ConcurrentBag<int>(); // the version each 200 says it made
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                var client = api.Client();
                var version = await VersionOf(client, location);
                // Each client sends its change with the version it last saw (half by If-Match, half in the body), and
                // learns the current one from the answer: a 200's ETag, a 409's or 412's currentVersion.
                for (var i = Interlocked.Increment(ref next); i < updates; i = Interlocked.Increment(ref next))
                {
                    var west = -79.300 - 0.0001 * (i % 50);
                    var useHeader = i % 2 == 0;
                    var body = Feature(name, Square(west), useHeader ? "" : $",\"version\":{version}");
                    using var response = await client.SendAsync(Put(location, body, useHeader ? $"\"{version}\"" : null));
                    statuses.Add(response.StatusCode);
                    if (response.StatusCode == HttpStatusCode.OK && int.TryParse(response.Headers.ETag?.Tag.Trim('"'), out var made))
                    {
                        written.Add(made);
                        version = made;
                    }
                    else if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed
                             && (await ApiFixture.JsonOf(response)).TryGetProperty("currentVersion", out var current))
                        version = current.GetInt32();
                    else
                        version = await VersionOf(client, location);
                }
            })));

            var all = statuses.ToList();
            Assert.Equal(updates, all.Count);
            Assert.DoesNotContain(all, s => (int)s >= 500);
            Assert.All(all, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed }));
            var successes = all.Count(s => s == HttpStatusCode.OK);
            Assert.True(successes > 0);

            // No update lost or doubled: every 200 made its own version, and the history holds exactly those.
            Assert.Equal(successes, written.Count);
            Assert.Equal(Enumerable.Range(2, successes), written.Order());
            var history = await ApiFixture.JsonOf(await api.Client().GetAsync(location + "/revisions"));
            var versions = history.EnumerateArray().Select(r => r.GetProperty("version").GetInt32()).ToList();
            Assert.Equal(Enumerable.Range(1, successes + 1), versions); // version 1 (the create) then one per success
            Assert.Equal(successes + 1, await VersionOf(api.Client(), location));
        }
        finally
        {
            await DeleteNamed(name);
        }
    }

    [SkippableFact]
    public async Task Racing_creates_of_one_name_give_one_201_and_409s_never_a_500()
    {
        var name = Unique("Mismo nombre");
        try
        {
            var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
                (await api.Client().PostAsync("/api/neighborhoods", Json(Feature(name, Square(-79.320 - 0.01 * i))))).StatusCode)));
            Assert.Single(answers, s => s == HttpStatusCode.Created);
            Assert.All(answers.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        }
        finally
        {
            await DeleteNamed(name);
        }
    }
}
