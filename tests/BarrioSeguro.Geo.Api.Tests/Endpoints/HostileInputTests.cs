using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// A hostile corpus of request bodies, built here, through every endpoint that takes a boundary (create, update,
/// validate): each is refused with a clear 4xx that names the problem, nothing is written, no answer shows a stack
/// trace or an internal path, and the service answers afterwards.
/// </summary>
[Collection(ApiCollection.Name)]
public class HostileInputTests(ApiFixture api)
{
    private const string Ring = "[[-79.300,-8.230],[-79.296,-8.230],[-79.296,-8.226],[-79.300,-8.226],[-79.300,-8.230]]";

    private static string Feature(string geometry, string properties = "\"name\":\"Hostil\"", string extra = "") =>
        $$"""{"type":"Feature",{{extra}}"properties":{{{properties}}},"geometry":{{geometry}}}""";

    private static string Polygon(string ring) => $$"""{"type":"Polygon","coordinates":[{{ring}}]}""";

    /// <summary>A closed ring of <paramref name="vertices"/> vertices on a small circle, written straight as text.</summary>
    private static string RingOf(int vertices)
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < vertices - 1; i++)
        {
            var a = 2 * Math.PI * i / (vertices - 1);
            sb.Append(FormattableString.Invariant($"[{-79.298 + 0.002 * Math.Cos(a):0.#######},{-8.228 + 0.002 * Math.Sin(a):0.#######}],"));
        }
        sb.Append("[-79.296,-8.228]]");
        return sb.ToString();
    }

    public sealed record Case(string Name, byte[] Body, string ContentType, int Status, string Reason)
    {
        public override string ToString() => Name;
    }

    private static Case Text(string name, string body, int status, string reason, string contentType = "application/geo+json") =>
        new(name, Encoding.UTF8.GetBytes(body), contentType, status, reason);

    public static IEnumerable<Case> Corpus()
    {
        yield return Text("no content type", Feature(Polygon(Ring)), 415, "media type", "");
        yield return Text("text/plain (a CORS simple request)", Feature(Polygon(Ring)), 415, "media type", "text/plain");
        yield return Text("form", "name=x", 415, "media type", "application/x-www-form-urlencoded");
        yield return Text("truncated", Feature(Polygon(Ring))[..60], 400, "not valid GeoJSON");
        yield return Text("not a feature", "[1,2,3]", 400, "Feature");
        yield return Text("deep nesting", new string('[', 5000) + new string(']', 5000), 400, "depth");
        yield return Text("deep nesting in a geometry", Feature("{\"type\":\"Polygon\",\"coordinates\":" + new string('[', 200) + new string(']', 200) + "}"), 400, "depth");
        yield return Text("crs named by a number", Feature(Polygon(Ring), extra: "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":4326},},".Replace(",},", "},")), 400, "crs");
        yield return Text("unknown crs", Feature(Polygon(Ring), extra: "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:99999\"}},"), 400, "99999");
        yield return Text("coordinate 1e308", Feature(Polygon("[[1e308,-8.23],[-79.296,-8.230],[-79.296,-8.226],[1e308,-8.23]]")), 422, "outside Peru");
        yield return Text("coordinate 1e400 (Infinity)", Feature(Polygon("[[1e400,-8.23],[-79.296,-8.230],[-79.296,-8.226],[1e400,-8.23]]")), 422, "finite");
        yield return Text("NaN", Feature(Polygon("[[NaN,-8.23],[-79.296,-8.230],[-79.296,-8.226],[NaN,-8.23]]")), 400, "not valid GeoJSON");
        yield return Text("UTM metres without a crs", Feature(Polygon("[[718000,9110000],[719000,9110000],[719000,9111000],[718000,9110000]]")), 422, "outside Peru");
        yield return Text("swapped axes", Feature(Polygon("[[-8.230,-79.300],[-8.230,-79.296],[-8.226,-79.296],[-8.230,-79.300]]")), 422, "swapped");
        yield return Text("a million vertices", Feature(Polygon(RingOf(1_000_001))), 413, "MiB"); // over the 1 MiB test cap first
        // Counted before anything is built: the same short position repeated keeps the body under the 1 MiB test cap.
        yield return Text("60,001 vertices", Feature(Polygon("[" + string.Concat(Enumerable.Repeat("[-79.3,-8.2],", 60_000)) + "[-79.3,-8.2]]")), 422, "at most 50,000");
        yield return Text("a 5 MB name", Feature(Polygon(Ring), $"\"name\":\"{new string('x', 5 * 1024 * 1024)}\""), 413, "MiB");
        yield return Text("a 300-character name", Feature(Polygon(Ring), $"\"name\":\"{new string('x', 300)}\""), 422, "at most 200");
        yield return Text("a 3,000-character comment", Feature(Polygon(Ring), $"\"name\":\"Hostil\",\"comment\":\"{new string('c', 3000)}\""), 422, "at most 2,000");
        yield return Text("geometry of the wrong kind", Feature("{\"type\":\"Polygon\",\"coordinates\":\"DROP TABLE neighborhoods\"}"), 400, "GeoJSON");
        yield return Text("a point", Feature("{\"type\":\"Point\",\"coordinates\":[-79.3,-8.23]}"), 422, "Polygon");
        var invalid = Encoding.UTF8.GetBytes(Feature(Polygon(Ring), "\"name\":\"Hostil \u00e9\""));
        var at = Array.IndexOf(invalid, (byte)0xC3);
        invalid[at] = 0xFF; // a byte that is never UTF-8
        yield return new Case("invalid UTF-8", invalid, "application/geo+json", 400, "UTF-8");
    }

    public static TheoryData<Case> Cases() => new(Corpus());

    private async Task<long> Rows(string table)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static ByteArrayContent Content(Case c)
    {
        var content = new ByteArrayContent(c.Body);
        if (c.ContentType.Length > 0) content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
        return content;
    }

    private static void NoInternals(string body)
    {
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain(".cs:line", body);
        Assert.DoesNotContain("/work/", body);
        Assert.DoesNotContain("Exception", body);
    }

    [SkippableTheory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_body_is_refused_on_create_update_and_validate_and_nothing_is_written(Case c)
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var (neighborhoods, revisions) = (await Rows("neighborhoods"), await Rows("neighborhood_revisions"));

        var requests = new[]
        {
            new HttpRequestMessage(HttpMethod.Post, "/api/neighborhoods") { Content = Content(c) },
            new HttpRequestMessage(HttpMethod.Put, $"/api/neighborhoods/{id}") { Content = Content(c) },
            new HttpRequestMessage(HttpMethod.Post, "/api/neighborhoods/validate") { Content = Content(c) },
        };
        requests[1].Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        foreach (var request in requests)
        {
            // The reasons are checked in English (geometry problems are notes said in the request's language).
            request.Headers.AcceptLanguage.ParseAdd("en");
            var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var where = $"{c.Name}: {request.Method} {request.RequestUri}";
            // A point is a fine thing to validate against the neighbourhoods; only storing it as a boundary is refused.
            var validate = request.RequestUri!.ToString().EndsWith("validate", StringComparison.Ordinal);
            if (c.Name == "a point" && validate) continue;
            if (validate && c.Status == 422 && response.StatusCode == HttpStatusCode.OK)
            {
                // Validation answers a geometry it can read with its problems, the same reason, as data.
                Assert.Contains("\"valid\":false", body);
            }
            else
            {
                Assert.True(c.Status == (int)response.StatusCode, $"{where} answered {(int)response.StatusCode}: {body}");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
            Assert.True(body.Contains(c.Reason, StringComparison.OrdinalIgnoreCase), $"{where}: '{c.Reason}' not in {body[..Math.Min(body.Length, 400)]}");
            NoInternals(body);
        }

        Assert.Equal(neighborhoods, await Rows("neighborhoods"));
        Assert.Equal(revisions, await Rows("neighborhood_revisions"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/neighborhoods/{id}")).StatusCode); // still up
    }

    [SkippableFact]
    public async Task A_body_bound_as_JSON_elsewhere_also_needs_a_JSON_content_type()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var revert = new HttpRequestMessage(HttpMethod.Post, $"/api/neighborhoods/{id}/revert") { Content = new StringContent("{\"toVersion\":1}", Encoding.UTF8, "text/plain") };
        revert.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.SendAsync(revert)).StatusCode);
        var plan = await client.PostAsync($"/api/neighborhoods/{id}/plans", new StringContent("{\"sectors\":2}", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plan.StatusCode);
    }

    [SkippableFact]
    public async Task A_polygon_with_Z_and_M_values_is_kept_as_its_2D()
    {
        var client = api.Client();
        var name = $"Alturas {Guid.NewGuid():N}"[..20];
        var ring = "[[-79.300,-8.230,31.5,1],[-79.296,-8.230,32,2],[-79.296,-8.226,33,3],[-79.300,-8.226,30,4],[-79.300,-8.230,31.5,1]]";
        var created = await client.PostAsync("/api/neighborhoods", new StringContent(Feature(Polygon(ring), $"\"name\":\"{name}\""), Encoding.UTF8, "application/geo+json"));
        try
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var back = await ApiFixture.JsonOf(await client.GetAsync(created.Headers.Location));
            var first = back.GetProperty("geometry").GetProperty("coordinates")[0][0][0];
            Assert.Equal(2, first.GetArrayLength());
            Assert.Equal(-79.300, first[0].GetDouble(), 6);
        }
        finally
        {
            await using var connection = new NpgsqlConnection(api.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE name = @n", connection);
            cmd.Parameters.AddWithValue("n", name);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    [SkippableFact]
    public async Task SQL_in_every_parameter_and_property_stays_data()
    {
        var client = api.Client();
        var tables = await Rows("neighborhoods");
        const string sql = "x'); DROP TABLE neighborhoods; --";
        var escaped = Uri.EscapeDataString(sql);
        foreach (var path in new[]
                 {
                     $"/api/collections/streets/items?bbox={escaped}", $"/api/collections/{escaped}/items",
                     $"/api/collections/streets/items?limit={escaped}", $"/api/neighborhoods/1/diff?from={escaped}&to=1",
                     $"/api/collections/neighborhoods/items?name={escaped}",
                 })
        {
            var r = await client.GetAsync(path);
            Assert.True((int)r.StatusCode is 200 or 400 or 404, $"{path}: {(int)r.StatusCode}");
            NoInternals(await r.Content.ReadAsStringAsync());
        }
        var name = sql + Guid.NewGuid().ToString("N")[..6];
        var created = await client.PostAsync("/api/neighborhoods", new StringContent(
            Feature(Polygon(Ring), $"\"name\":\"{name.Replace("'", "\\u0027")}\",\"description\":\"'; DELETE FROM districts; --\""), Encoding.UTF8, "application/geo+json"));
        try
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(name, (await ApiFixture.JsonOf(await client.GetAsync(created.Headers.Location))).GetProperty("properties").GetProperty("name").GetString());
            Assert.Equal(tables + 1, await Rows("neighborhoods"));
            Assert.True(await Rows("districts") > 0);
        }
        finally
        {
            await using var connection = new NpgsqlConnection(api.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE name = @n", connection);
            cmd.Parameters.AddWithValue("n", name);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
