using System.Net;
using System.Net.Http.Json;
using System.Text;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace BarrioSeguro.Geo.Api.Tests.Auth;

/// <summary>
/// Every endpoint the service maps (read from its endpoint data source, so a new one is in here by itself) against
/// every role, in and out of its district, and without a valid token (none, expired, revoked).
/// </summary>
[Collection(ApiCollection.Name)]
public class AccessMatrixTests(ApiFixture api, ITestOutputHelper output)
{
    private sealed record Endpoint(string Method, string Pattern);

    private IReadOnlyList<Endpoint> Endpoints() =>
        api.Require().Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => new Endpoint(m, e.RoutePattern.RawText ?? "")))
            .Distinct().OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal).ToList();

    // The roles each need lets in, written out here rather than taken from the service.
    private static readonly IReadOnlyDictionary<Need, Role[]> Allowed = new Dictionary<Need, Role[]>
    {
        [Need.SignedIn] = Enum.GetValues<Role>(),
        [Need.Read] = Enum.GetValues<Role>(),
        [Need.CollectionRead] = Enum.GetValues<Role>(),
        [Need.Planner] = [Role.Planner, Role.Admin],
        [Need.Chief] = [Role.Chief, Role.Admin],
        [Need.Gis] = [Role.Gis, Role.Admin],
        [Need.CollectionExport] = [Role.Gis, Role.Admin],
        [Need.Admin] = [Role.Admin],
        // Part 4 writes of {name} = incidents (see Url): the chiefs', as POST /api/incidents.
        [Need.CollectionWrite] = [Role.Chief, Role.Admin],
    };

    [SkippableFact]
    public void Every_endpoint_has_a_rule_and_every_write_needs_a_role_that_may_write()
    {
        var endpoints = Endpoints();
        Assert.NotEmpty(endpoints);
        Assert.Empty(endpoints.Where(e => !AccessTable.Rules.ContainsKey(AccessTable.Key(e.Method, e.Pattern))).Select(e => $"{e.Method} {e.Pattern}"));
        var openWrites = endpoints.Where(e => e.Method != "GET")
            .Where(e => AccessTable.For(e.Method, e.Pattern).Need is Need.Public or Need.Read or Need.CollectionRead or Need.SignedIn)
            .Select(e => AccessTable.Key(e.Method, e.Pattern)).ToList();
        Assert.Equal(["POST /api/auth/revoke", "POST /api/auth/token"], openWrites.Order(StringComparer.Ordinal));
        // A route naming a neighbourhood, plan, coverage, route, contingent or district is limited to the user's districts,
        // unless it is public (INEI's limits of a district, GET /api/districts/{ubigeo}: published data).
        var unscoped = endpoints.Where(e => (e.Pattern.Contains("{id:int}") || e.Pattern.Contains("{planId") || e.Pattern.Contains("{ubigeo}"))
                                            && AccessTable.For(e.Method, e.Pattern) is { Scope: Scope.None, Need: not Need.Public }).ToList();
        Assert.Empty(unscoped);
    }

    [SkippableFact]
    public async Task Each_role_in_and_out_of_its_district_and_each_bad_token_gets_the_answer_the_rules_say()
    {
        var ids = await Resources();
        await api.AddUserAsync("revoked-admin", Role.Admin, []);
        var revokedToken = await api.SignInAsync("revoked-admin");
        Assert.Equal(HttpStatusCode.NoContent, (await api.ClientWithToken(revokedToken).PostAsync("/api/auth/revoke", null)).StatusCode);
        var bad = new (string Name, HttpClient Client)[]
        {
            ("no token", api.AnonymousClient()),
            ("expired token", api.ClientWithToken(await api.ExpiredTokenAsync(ApiFixture.AdminName))),
            ("revoked token", api.ClientWithToken(revokedToken)),
        };
        var users = new List<(Role Role, string Where, bool InDistrict, HttpClient Client)>();
        foreach (var role in Enum.GetValues<Role>())
        {
            users.Add((role, "all of Peru", true, await api.ClientAs(role)));
            users.Add((role, ids.Ubigeo, true, await api.ClientAs(role, ids.Ubigeo)));
            users.Add((role, ids.OtherUbigeo, false, await api.ClientAs(role, ids.OtherUbigeo)));
        }

        var wrong = new List<string>();
        var checkedCalls = 0;
        foreach (var e in Endpoints())
        {
            var rule = AccessTable.For(e.Method, e.Pattern);
            if (rule.Need == Need.Public) continue;
            var url = Url(e.Pattern, rule.Scope, ids);
            foreach (var (name, client) in bad)
            {
                var status = await Send(client, e.Method, url);
                checkedCalls++;
                if (status != HttpStatusCode.Unauthorized) wrong.Add($"{e.Method} {url} with {name}: {(int)status}, expected 401");
            }
            // Signing out would end the shared tokens: its signed-in case is in AuthEndpointsTests.
            if (e.Pattern == "/api/auth/revoke") continue;
            foreach (var (role, where, inDistrict, client) in users)
            {
                var allowed = Allowed[rule.Need].Contains(role) && (inDistrict || rule.Scope == Scope.None);
                var status = await Send(client, e.Method, url);
                checkedCalls++;
                var ok = allowed ? status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) : status == HttpStatusCode.Forbidden;
                if (!ok) wrong.Add($"{e.Method} {url} as {role} of {where}: {(int)status}, expected {(allowed ? "an answer" : "403")}");
            }
        }
        output.WriteLine($"{checkedCalls} calls checked");
        Assert.Empty(wrong);
    }

    private sealed record Ids(int Neighborhood, int Plan, int Coverage, int Route, int Contingent, string Ubigeo, string OtherUbigeo,
        int Station = 0, int HotSpot = 0, int Incident = 0, int Import = 0);

    private async Task<Ids> Resources()
    {
        var milagro = await api.MilagroIdAsync();
        await using var scope = api.Require().Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        var ubigeo = (await db.Neighborhoods.Where(n => n.Id == milagro).Select(n => n.DistrictUbigeo).SingleAsync())!;
        var other = await db.Districts.Where(d => d.Ubigeo != ubigeo).Select(d => d.Ubigeo).OrderBy(u => u).FirstAsync();
        var contingent = await db.Contingents.Where(c => c.NeighborhoodId == milagro).Select(c => c.Id).FirstAsync();
        var admin = api.Client();
        var plan = (await ApiFixture.JsonOf(await admin.PostAsJsonAsync($"/api/neighborhoods/{milagro}/plans", new { sectors = 2, seed = 1 }))).GetProperty("id").GetInt32();
        Assert.True((await admin.PostAsJsonAsync($"/api/plans/{plan}/coverage", new { mode = "foot", minutes = 5 })).IsSuccessStatusCode);
        Assert.True((await admin.PostAsJsonAsync($"/api/plans/{plan}/routes", new { mode = "foot", shiftHours = 8, seed = 1 })).IsSuccessStatusCode);
        var coverage = await db.PlanCoverages.Where(c => c.PlanId == plan).Select(c => c.Id).FirstAsync();
        var route = await db.PlanRoutes.Where(r => r.PlanId == plan).Select(r => r.Id).FirstAsync();
        // Forms (issue 12): a station and an incident of the district, and a hot spot made in it.
        var district = await db.Districts.Where(d => d.Ubigeo == ubigeo).Select(d => d.Boundary).SingleAsync();
        var station = await db.Stations.Where(s => district.Intersects(s.Location)).OrderBy(s => s.Id).Select(s => s.Id).FirstAsync();
        var incident = await db.Incidents.Where(i => district.Intersects(i.Location)).OrderBy(i => i.Id).Select(i => i.Id).FirstAsync();
        var inside = await db.Neighborhoods.Where(n => n.Id == milagro).Select(n => n.Boundary.PointOnSurface).SingleAsync();
        var hotSpot = (await ApiFixture.JsonOf(await admin.PostAsJsonAsync("/api/hotspots", new { name = "Matriz de acceso", lon = inside.X, lat = inside.Y })))
            .GetProperty("id").GetInt32();
        // lifecycle (issue 13.5): an import of the district, with no rows (nothing else reads an empty stations version).
        var import = new Core.Domain.Dataset
        {
            Name = "matriz-de-acceso.geojson", Collection = "stations", Sha256 = Guid.NewGuid().ToString("N"), LoadedAt = DateTimeOffset.UtcNow,
            DistrictUbigeo = ubigeo, Version = 1_000,
        };
        db.Datasets.Add(import);
        await db.SaveChangesAsync();
        return new Ids(milagro, plan, coverage, route, contingent, ubigeo, other, station, hotSpot, incident, import.Id);
    }

    private static string Url(string pattern, Scope scope, Ids ids)
    {
        var id = scope switch
        {
            Scope.Coverage => ids.Coverage,
            Scope.Route => ids.Route,
            Scope.Contingent => ids.Contingent,
            Scope.Station => ids.Station,
            Scope.HotSpot => ids.HotSpot,
            Scope.Incident => ids.Incident,
            Scope.Import => ids.Import,
            Scope.CollectionItem => ids.Incident, // {name} is incidents
            _ => ids.Neighborhood,
        };
        var url = pattern.Replace("{id:int}", id.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{planId:int}", ids.Plan.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{version:int}", "1")
            .Replace("{ubigeo}", ids.Ubigeo)
            .Replace("{name}", "incidents")
            .Replace("{id}", (scope == Scope.CollectionItem ? ids.Incident : 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (scope == Scope.PlanPair) url += $"?a={ids.Plan}&b={ids.Plan}";
        if (pattern.EndsWith("/diff", StringComparison.Ordinal)) url += "?from=1&to=1";
        return url;
    }

    // Writes carry a body that is not JSON: an allowed call is refused by binding (400) and changes nothing.
    private static async Task<HttpStatusCode> Send(HttpClient client, string method, string url)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is "POST" or "PUT") request.Content = new StringContent("{", Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
