using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

[Collection(ApiCollection.Name)]
public class NeighborhoodEndpointsTests(ApiFixture api)
{
    private static string Feature(string name, string coordinates, string extraProperties = "", string extraMembers = "") =>
        $$$"""{"type":"Feature",{{{extraMembers}}}"properties":{"name":"{{{name}}}"{{{extraProperties}}}},"geometry":{"type":"Polygon","coordinates":{{{coordinates}}}}}""";

    private const string Square = "[[[-79.160,-8.030],[-79.150,-8.030],[-79.150,-8.020],[-79.160,-8.020],[-79.160,-8.030]]]";
    private const string Moved = "[[[-79.161,-8.030],[-79.151,-8.030],[-79.151,-8.020],[-79.161,-8.020],[-79.161,-8.030]]]";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/geo+json");

    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    private static string Unique(string name) => $"{name} {Guid.NewGuid():N}"[..24];

    /// <summary>Removes a neighbourhood a test made over El Milagro, so no other test sees an overlap it did not make.</summary>
    private async Task DeleteNamed(string name)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE name = @n", connection);
        cmd.Parameters.AddWithValue("n", name);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<long> CountNamed(string name)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM neighborhoods WHERE name = @n", connection);
        cmd.Parameters.AddWithValue("n", name);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [SkippableFact]
    public async Task Create_then_update_with_the_version_then_refuse_the_stale_one()
    {
        var client = api.Client();
        var name = Unique("Alto Trujillo");
        var created = await client.PostAsync("/api/neighborhoods", Json(Feature(name, Square, ",\"districtUbigeo\":\"130104\"")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        var location = created.Headers.Location!.ToString();
        var createdProps = (await Body(created)).GetProperty("properties");
        Assert.InRange(createdProps.GetProperty("areaKm2").GetDouble(), 1.20, 1.25); // 0.01° x 0.01° at 8° S: about 1.22 km²

        var update = new HttpRequestMessage(HttpMethod.Put, location) { Content = Json(Feature(name, Moved)) };
        update.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        var updated = await client.SendAsync(update);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("\"2\"", updated.Headers.ETag!.Tag);

        // A second planner who loaded version 1 sends a change: refused, and version 2 stays.
        var stale = await client.PutAsync(location, Json(Feature(name, Square, ",\"version\":1")));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(2, (await Body(stale)).GetProperty("currentVersion").GetInt32());
        var current = await Body(await client.GetAsync(location));
        Assert.Equal(-79.161, current.GetProperty("geometry").GetProperty("coordinates")[0][0][0][0].GetDouble(), 6);
    }

    [SkippableFact]
    public async Task History_lists_each_version_with_its_author_diff_draws_the_change_and_revert_restores()
    {
        // Signed in: the account names the author, not the X-Barrio-User header.
        var client = await api.ClientAs(BarrioSeguro.Geo.Data.Accounts.Role.Planner);
        client.DefaultRequestHeaders.Add("X-Barrio-User", "comisario.perez");
        var name = Unique("Historia");
        var location = (await client.PostAsync("/api/neighborhoods", Json(Feature(name, Square)))).Headers.Location!.ToString();
        var moved = await client.PutAsync(location, Json(Feature(name, Moved, ",\"version\":1,\"comment\":\"ajuste al oeste\"")));
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);

        var history = await Body(await client.GetAsync(location + "/revisions"));
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal("planner", history[1].GetProperty("author").GetString());
        Assert.Equal("ajuste al oeste", history[1].GetProperty("comment").GetString());
        Assert.InRange(history[1].GetProperty("addedSquareMeters").GetDouble(), 0.09e6, 0.14e6); // a 0.001° strip on the west

        var diff = await Body(await client.GetAsync(location + "/diff?from=1&to=2"));
        var changes = diff.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("change").GetString()).ToList();
        Assert.Equal(["added", "removed"], changes);

        var revert = new HttpRequestMessage(HttpMethod.Post, location + "/revert") { Content = JsonContent.Create(new { toVersion = 1 }) };
        revert.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
        var reverted = await client.SendAsync(revert);
        Assert.Equal(HttpStatusCode.OK, reverted.StatusCode);
        Assert.Equal("\"3\"", reverted.Headers.ETag!.Tag);
        Assert.Equal(-79.160, (await Body(reverted)).GetProperty("geometry").GetProperty("coordinates")[0][0][0][0].GetDouble(), 6);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(location + "/diff?from=1&to=99")).StatusCode);
    }

    [SkippableFact]
    public async Task With_snapMeters_a_corner_drawn_2_m_off_a_street_lands_on_it()
    {
        // A corner about 2 m from a vertex of Calle José Olaya (-79.0665346, -8.0181668).
        const string ring = "[[[-79.06655,-8.01818],[-79.0700,-8.0200],[-79.0690,-8.0230],[-79.06655,-8.01818]]]";
        var name = Unique("Ajustado");
        try
        {
            await SnapsOntoTheStreet(name, ring);
        }
        finally
        {
            await DeleteNamed(name);
        }
    }

    private async Task SnapsOntoTheStreet(string name, string ring)
    {
        var response = await api.Client().PostAsync("/api/neighborhoods?snapMeters=5", Json(Feature(name, ring)));
        Assert.True(HttpStatusCode.Created == response.StatusCode, await response.Content.ReadAsStringAsync());
        var corner = (await Body(response)).GetProperty("geometry").GetProperty("coordinates")[0][0][0];
        var (x, y) = (corner[0].GetDouble(), corner[1].GetDouble());
        Assert.NotEqual(-79.06655, x);

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT min(ST_Distance(geometry::geography, ST_SetSRID(ST_MakePoint(@x, @y), 4326)::geography)) FROM streets", connection);
        cmd.Parameters.AddWithValue("x", x);
        cmd.Parameters.AddWithValue("y", y);
        Assert.InRange((double)(await cmd.ExecuteScalarAsync())!, 0, 0.01); // on a street centreline, to the centimetre
    }

    [SkippableFact]
    public async Task An_update_without_a_version_is_refused()
    {
        var client = api.Client();
        var name = Unique("Sin versión");
        var location = (await client.PostAsync("/api/neighborhoods", Json(Feature(name, Square)))).Headers.Location!;
        var response = await client.PutAsync(location, Json(Feature(name, Moved)));
        Assert.Equal(HttpStatusCode.PreconditionRequired, response.StatusCode);
    }

    public static TheoryData<string, HttpStatusCode, string, string?> BadBodies => new()
    {
        { Feature("Bowtie", "[[[-79.06,-8.03],[-79.05,-8.02],[-79.05,-8.03],[-79.06,-8.02],[-79.06,-8.03]]]"),
            HttpStatusCode.UnprocessableEntity, "self-intersection", "-79.055,-8.025" },
        { Feature("Swapped", "[[[-8.03,-79.06],[-8.03,-79.05],[-8.02,-79.05],[-8.02,-79.06],[-8.03,-79.06]]]"),
            HttpStatusCode.UnprocessableEntity, "axis-order", "-8.03,-79.06" },
        { Feature("Paris", "[[[2.3,48.8],[2.4,48.8],[2.4,48.9],[2.3,48.8]]]"), HttpStatusCode.UnprocessableEntity, "outside-peru", "2.3,48.8" },
        { """{"type":"Feature","properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[-79.06,-8.03],[-79.05""",
            HttpStatusCode.BadRequest, "Malformed GeoJSON", null },
        { """{"type":"FeatureCollection","features":[]}""", HttpStatusCode.BadRequest, "Not a GeoJSON Feature", null },
        { Feature("Unknown CRS", Square, "", "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:99999\"}},"),
            HttpStatusCode.BadRequest, "Unknown CRS", null },
        { """{"type":"Feature","properties":{"name":"Line"},"geometry":{"type":"LineString","coordinates":[[-79.06,-8.03],[-79.05,-8.02]]}}""",
            HttpStatusCode.UnprocessableEntity, "Invalid geometry", null },
        { "", HttpStatusCode.BadRequest, "Empty body", null },
    };

    [SkippableTheory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_gets_a_problem_with_the_place_and_nothing_is_written(
        string body, HttpStatusCode status, string expected, string? location)
    {
        var before = await CountAll();
        var response = await api.Client().PostAsync("/api/neighborhoods", Json(body));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Body(response);
        var text = problem.GetRawText();
        Assert.Contains(expected, text);
        if (location is not null)
        {
            var at = problem.GetProperty("problems")[0].GetProperty("location");
            Assert.Equal(location, FormattableString.Invariant($"{at[0].GetDouble():0.###},{at[1].GetDouble():0.###}"));
        }
        Assert.Equal(before, await CountAll());
    }

    [SkippableFact]
    public async Task An_oversized_body_gets_413()
    {
        // The fixture allows 1 MiB: send 2 MiB of valid-looking JSON.
        var padding = new string(' ', 2 * 1024 * 1024);
        var response = await api.Client().PostAsync("/api/neighborhoods", Json(Feature("Grande", Square) + padding));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await CountNamed("Grande"));
    }

    [SkippableFact]
    public async Task A_projected_boundary_is_accepted_and_stored_in_lon_lat()
    {
        var name = Unique("UTM");
        try
        {
            await IsStoredInLonLat(name);
        }
        finally
        {
            await DeleteNamed(name);
        }
    }

    private async Task IsStoredInLonLat(string name)
    {
        // The same square as above, in WGS 84 / UTM zone 17S.
        const string utm = "[[[713707.0,9111913.0],[714810.0,9111913.0],[714810.0,9113019.0],[713707.0,9113019.0],[713707.0,9111913.0]]]";
        var response = await api.Client().PostAsync("/api/neighborhoods",
            Json(Feature(name, utm, "", "\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::32717\"}},")));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var x = (await Body(response)).GetProperty("geometry").GetProperty("coordinates")[0][0][0][0].GetDouble();
        Assert.InRange(x, -79.07, -79.05);
    }

    private async Task<long> CountAll()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM neighborhoods", connection);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
