using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Auth;

/// <summary>
/// Collection reads carry only what a district-limited user's districts allow: the neighbourhoods of the districts, the
/// incidents inside them, their contingents; admins and users of all of Peru see everything. Each role, in and out.
/// </summary>
[Collection(ApiCollection.Name)]
public class DistrictReadTests(ApiFixture api)
{
    private sealed record Districts(int Milagro, string Ubigeo, string Other, int Contingent);

    private async Task<Districts> LookUp()
    {
        var milagro = await api.MilagroIdAsync();
        await using var scope = api.Require().Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        var ubigeo = (await db.Neighborhoods.Where(n => n.Id == milagro).Select(n => n.DistrictUbigeo).SingleAsync())!;
        var other = await db.Districts.Where(d => d.Ubigeo != ubigeo).Select(d => d.Ubigeo).OrderBy(u => u).FirstAsync();
        var contingent = await db.Contingents.Where(c => c.NeighborhoodId == milagro).Select(c => c.Id).FirstAsync();
        return new Districts(milagro, ubigeo, other, contingent);
    }

    // Counted by PostGIS itself, not through the service's query.
    private async Task<long> IncidentsInside(string? ubigeo)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(ubigeo is null
            ? "SELECT count(*) FROM incidents"
            : "SELECT count(*) FROM incidents i WHERE EXISTS (SELECT 1 FROM districts d WHERE d.ubigeo = @u AND ST_Intersects(d.boundary, i.location))", connection);
        if (ubigeo is not null) command.Parameters.AddWithValue("u", ubigeo);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<JsonElement> Json(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ApiFixture.JsonOf(response);
    }

    public static TheoryData<Role> Roles() => [.. Enum.GetValues<Role>()];

    [SkippableTheory]
    [MemberData(nameof(Roles))]
    public async Task Each_role_reads_the_neighbourhoods_incidents_and_contingents_of_its_districts_only(Role role)
    {
        var d = await LookUp();
        var everywhere = await api.ClientAs(role);
        var inside = await api.ClientAs(role, d.Ubigeo);
        var outside = await api.ClientAs(role, d.Other);

        // Neighbourhoods: the whole list for all of Peru, Milagro's district for one, none of it for another.
        var all = await Json(everywhere, "/api/collections/neighborhoods/items?limit=1000");
        Assert.Contains(Ids(all), id => id == d.Milagro);
        var mine = await Json(inside, "/api/collections/neighborhoods/items?limit=1000");
        Assert.Contains(Ids(mine), id => id == d.Milagro);
        Assert.All(Features(mine), f => Assert.Equal(d.Ubigeo, f.GetProperty("properties").GetProperty("districtUbigeo").GetString()));
        var theirs = await Json(outside, "/api/collections/neighborhoods/items?limit=1000");
        Assert.DoesNotContain(Ids(theirs), id => id == d.Milagro);
        Assert.All(Features(theirs), f => Assert.Equal(d.Other, f.GetProperty("properties").GetProperty("districtUbigeo").GetString()));
        Assert.Equal(Features(theirs).Count, theirs.GetProperty("numberMatched").GetInt32());

        // One feature: out of the district it is not found.
        Assert.Equal(HttpStatusCode.OK, (await inside.GetAsync($"/api/collections/neighborhoods/items/{d.Milagro}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync($"/api/collections/neighborhoods/items/{d.Milagro}")).StatusCode);

        // Incidents: as many as PostGIS counts inside the user's district.
        var inDistrict = await IncidentsInside(d.Ubigeo);
        Assert.True(inDistrict > 0, "the sample incidents lie in Milagro's district");
        Assert.Equal(await IncidentsInside(null), (await Json(everywhere, "/api/collections/incidents/items?limit=1")).GetProperty("numberMatched").GetInt64());
        Assert.Equal(inDistrict, (await Json(inside, "/api/collections/incidents/items?limit=1")).GetProperty("numberMatched").GetInt64());
        Assert.Equal(await IncidentsInside(d.Other), (await Json(outside, "/api/collections/incidents/items?limit=1")).GetProperty("numberMatched").GetInt64());
        var anIncident = Ids(await Json(inside, "/api/collections/incidents/items?limit=1")).Single();
        Assert.Equal(HttpStatusCode.NotFound, (await outside.GetAsync($"/api/collections/incidents/items/{anIncident}")).StatusCode);

        // Contingents: Milagro's for its district, not for another.
        Assert.Contains(ContingentIds(await Json(everywhere, "/api/contingents")), id => id == d.Contingent);
        Assert.Contains(ContingentIds(await Json(inside, "/api/contingents")), id => id == d.Contingent);
        Assert.DoesNotContain(ContingentIds(await Json(outside, "/api/contingents")), id => id == d.Contingent);

        // Exports (gis and admin): the same rows as the reads.
        if (role is Role.Gis or Role.Admin)
        {
            var exported = JsonDocument.Parse(await (await inside.GetAsync("/api/collections/incidents/export?format=geojson")).Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(inDistrict, exported.GetProperty("features").GetArrayLength());
            var elsewhere = await outside.GetAsync("/api/collections/neighborhoods/export?format=geojson");
            if (elsewhere.StatusCode == HttpStatusCode.OK)
                Assert.DoesNotContain(Ids(JsonDocument.Parse(await elsewhere.Content.ReadAsStringAsync()).RootElement), id => id == d.Milagro);
            else
                Assert.Equal(HttpStatusCode.NotFound, elsewhere.StatusCode); // nothing of that district to export
        }
    }

    [SkippableFact]
    public async Task A_district_limited_user_sees_no_extent_of_the_incidents_outside_its_districts_and_anonymous_none_at_all()
    {
        var d = await LookUp();
        var outside = await api.ClientAs(Role.Viewer, d.Other);
        var admin = await Json(api.Client(), "/api/collections/incidents");
        var theirs = await Json(outside, "/api/collections/incidents");
        var district = await Json(api.AnonymousClient(), $"/api/collections/districts/items/{d.Other}");
        Assert.True(admin.TryGetProperty("extent", out _));
        // The extent a limited user gets is its district's, whatever the incidents elsewhere.
        var box = theirs.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0].EnumerateArray().Select(x => x.GetDouble()).ToArray();
        var ring = district.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().SelectMany(p => p.EnumerateArray()).SelectMany(r => r.EnumerateArray())
            .Select(c => (X: c[0].GetDouble(), Y: c[1].GetDouble())).ToList();
        Assert.True(Math.Abs(ring.Min(c => c.X) - box[0]) < 1e-6 && Math.Abs(ring.Max(c => c.Y) - box[3]) < 1e-6, $"extent {string.Join(", ", box)}");
        var anonymous = await Json(api.AnonymousClient(), "/api/collections");
        var incidents = anonymous.GetProperty("collections").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "incidents");
        Assert.False(incidents.TryGetProperty("extent", out var e) && e.ValueKind != JsonValueKind.Null);
    }

    [SkippableFact]
    public async Task A_proposal_reads_blocks_and_incidents_only_in_the_planners_districts()
    {
        var d = await LookUp();
        var inside = await api.ClientAs(Role.Planner, d.Ubigeo);
        var outside = await api.ClientAs(Role.Planner, d.Other);
        var body = new { scope = $"neighborhood:{d.Milagro}", hotspots = new { radiusMeters = 150, minIncidents = 4, clusters = 1 } };

        var refused = await outside.PostAsJsonAsync("/api/neighborhoods/proposals", body);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains($"neighborhood:{d.Milagro}", (await ApiFixture.JsonOf(refused)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await inside.PostAsJsonAsync("/api/neighborhoods/proposals", new { scope = $"district:{d.Other}", blockIds = new[] { "1" } })).StatusCode);
        // In its district the planner gets an answer (a proposal, or why there is none), not a refusal.
        var mine = await inside.PostAsJsonAsync("/api/neighborhoods/proposals", body);
        Assert.NotEqual(HttpStatusCode.Forbidden, mine.StatusCode);
        Assert.True((int)mine.StatusCode < 500, $"{(int)mine.StatusCode}");
    }

    private static List<JsonElement> Features(JsonElement collection) => collection.GetProperty("features").EnumerateArray().ToList();

    private static List<int> Ids(JsonElement collection) =>
        Features(collection).Select(f => f.GetProperty("properties").GetProperty("id").GetInt32()).ToList();

    private static List<int> ContingentIds(JsonElement list) => list.EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToList();
}
