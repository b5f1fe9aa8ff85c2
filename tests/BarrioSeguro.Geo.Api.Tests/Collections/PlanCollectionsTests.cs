using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Collections;

/// <summary>
/// issue 14.5, plans: a kept plan's sectors, blocks, routes and coverage read as OGC API collections agree with the
/// plan's own endpoints (/api/plans/{id}, .../sectors, .../routes, /api/coverages/{id}/pieces); requests and answers in
/// a table as the OGC test suite has them; police data: 401 anonymous, nothing outside the user's districts.
/// </summary>
[Collection(ApiCollection.Name)]
public class PlanCollectionsTests(ApiFixture api)
{
    public static readonly string[] PlanCollectionNames = ["plans", "sectors", "plan-blocks", "routes", "coverage"];

    private static async Task<JsonElement> Json(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ApiFixture.JsonOf(response);
    }

    private static List<JsonElement> Features(JsonElement fc) => fc.GetProperty("features").EnumerateArray().ToList();

    private static JsonElement Props(JsonElement f) => f.GetProperty("properties");

    /// <summary>Keeps a plan of El Milagro with routes and coverage, as the plan tests do; its id and the coverage's.</summary>
    internal static async Task<(int Plan, int Coverage)> KeepPlanAsync(ApiFixture api, int sectors = 2, bool withNetwork = true)
    {
        var id = await api.MilagroIdAsync();
        var created = await api.Client().PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors, seed = 5 });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var planId = (await ApiFixture.JsonOf(created)).GetProperty("id").GetInt32();
        if (!withNetwork) return (planId, 0);
        var routes = await api.Client().PostAsJsonAsync($"/api/plans/{planId}/routes", new { mode = "foot", shiftHours = 8, seed = 1, hotspotsPerSector = 1, cycleDays = 1 });
        Assert.True(routes.StatusCode == HttpStatusCode.Created, await routes.Content.ReadAsStringAsync());
        var coverage = await api.Client().PostAsJsonAsync($"/api/plans/{planId}/coverage", new { mode = "foot", minutes = 5 });
        Assert.True(coverage.StatusCode == HttpStatusCode.Created, await coverage.Content.ReadAsStringAsync());
        var kept = await Json(api.Client(), $"/api/plans/{planId}/coverage");
        var coverageId = kept[0].GetProperty("id").GetInt32();
        return (planId, coverageId);
    }

    [SkippableFact]
    public async Task Each_piece_of_a_kept_plan_is_a_collection_that_agrees_with_the_plans_report()
    {
        var (planId, coverageId) = await KeepPlanAsync(api);
        var client = api.Client();
        var plan = await Json(client, $"/api/plans/{planId}");
        var report = plan.GetProperty("report");

        // plans: one feature, the plan's figures.
        var plans = await Json(client, $"/api/collections/plans/items?plan={planId}");
        Assert.Equal(1, plans.GetProperty("numberMatched").GetInt32());
        var p = Props(Features(plans).Single());
        Assert.Equal(planId, p.GetProperty("id").GetInt32());
        Assert.Equal(plan.GetProperty("name").GetString(), p.GetProperty("name").GetString());
        Assert.Equal(plan.GetProperty("neighborhoodId").GetInt32(), p.GetProperty("neighborhoodId").GetInt32());
        Assert.Equal(report.GetProperty("k").GetInt32(), p.GetProperty("sectors").GetInt32());
        Assert.Equal(report.GetProperty("blocks").GetInt32(), p.GetProperty("blocks").GetInt32());
        Assert.Equal(plan.GetProperty("stale").GetBoolean(), p.GetProperty("stale").GetBoolean());
        Assert.Equal("MultiPolygon", Features(plans).Single().GetProperty("geometry").GetProperty("type").GetString());

        // sectors: the report's, sector by sector.
        var sectors = await Json(client, $"/api/collections/sectors/items?plan={planId}");
        var reported = report.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(reported.Count, sectors.GetProperty("numberMatched").GetInt32());
        foreach (var (f, r) in Features(sectors).Zip(reported))
        {
            Assert.Equal(planId, Props(f).GetProperty("planId").GetInt32());
            Assert.Equal(r.GetProperty("label").GetString(), Props(f).GetProperty("label").GetString());
            Assert.Equal(r.GetProperty("blocks").GetInt32(), Props(f).GetProperty("blocks").GetInt32());
            Assert.Equal(r.GetProperty("areaKm2").GetDouble(), Props(f).GetProperty("areaKm2").GetDouble(), 3);
        }
        var plansSectors = await Json(client, $"/api/plans/{planId}/sectors");
        Assert.Equal(Features(plansSectors).Select(f => Props(f).GetProperty("sector").GetInt32()), Features(sectors).Select(f => Props(f).GetProperty("sector").GetInt32()));

        // plan-blocks: every block of the report, each in the sector the plan gives it.
        var blocks = await Json(client, $"/api/collections/plan-blocks/items?plan={planId}&limit=10000");
        Assert.Equal(report.GetProperty("blocks").GetInt32(), blocks.GetProperty("numberMatched").GetInt32());
        Assert.Equal(report.GetProperty("blocks").GetInt32(), Features(blocks).Count);
        foreach (var r in reported)
            Assert.Equal(r.GetProperty("blocks").GetInt32(), Features(blocks).Count(f => Props(f).GetProperty("label").GetString() == r.GetProperty("label").GetString()));
        Assert.Equal(Features(blocks).Count, Features(blocks).Select(f => Props(f).GetProperty("id").GetString()).Distinct().Count());

        // routes: the tracks GET .../routes lists, with their length and duration.
        var planRoutes = Features(await Json(client, $"/api/plans/{planId}/routes")).Where(f => Props(f).GetProperty("kind").GetString() == "track").ToList();
        var routes = await Json(client, $"/api/collections/routes/items?plan={planId}");
        Assert.Equal(planRoutes.Count, routes.GetProperty("numberMatched").GetInt32());
        Assert.Equal(planRoutes.Select(f => Props(f).GetProperty("routeId").GetInt32()).Order(), Features(routes).Select(f => Props(f).GetProperty("id").GetInt32()).Order());
        foreach (var f in Features(routes))
        {
            var same = planRoutes.Single(r => Props(r).GetProperty("routeId").GetInt32() == Props(f).GetProperty("id").GetInt32());
            Assert.Equal(Props(same).GetProperty("lengthKm").GetDouble(), Props(f).GetProperty("lengthKm").GetDouble());
            Assert.Equal(Props(same).GetProperty("durationMin").GetDouble(), Props(f).GetProperty("durationMin").GetDouble());
            Assert.Equal("LineString", f.GetProperty("geometry").GetProperty("type").GetString());
        }

        // coverage: the non-empty pieces of the computation, by status.
        var pieces = Features(await Json(client, $"/api/coverages/{coverageId}/pieces"))
            .Where(f => f.GetProperty("geometry").GetProperty("coordinates").GetArrayLength() > 0).ToList();
        var coverage = await Json(client, $"/api/collections/coverage/items?plan={planId}");
        var ofThis = Features(coverage).Where(f => Props(f).GetProperty("coverageId").GetInt32() == coverageId).ToList();
        Assert.Equal(pieces.Select(f => Props(f).GetProperty("status").GetString()).Order(), ofThis.Select(f => Props(f).GetProperty("status").GetString()).Order());
        Assert.All(ofThis, f => Assert.Equal(5, Props(f).GetProperty("minutes").GetDouble()));

        // One feature by its id, the same as in the page.
        foreach (var (name, page) in new[] { ("plans", plans), ("sectors", sectors), ("plan-blocks", blocks), ("routes", routes), ("coverage", coverage) })
        {
            var first = Features(page)[0];
            var id = Props(first).GetProperty("id").ToString();
            var one = await Json(client, $"/api/collections/{name}/items/{Uri.EscapeDataString(id)}");
            Assert.Equal(id, Props(one).GetProperty("id").ToString());
            var key = name == "plans" ? "id" : "planId";
            Assert.Equal(planId, Props(one).GetProperty(key).GetInt32());
        }
    }

    [SkippableFact]
    public async Task Without_plan_a_collection_has_every_kept_plan_and_paging_reaches_them_all()
    {
        var (a, _) = await KeepPlanAsync(api, 2, withNetwork: false);
        var (b, _) = await KeepPlanAsync(api, 3, withNetwork: false);
        var client = api.Client();
        var all = await Json(client, "/api/collections/sectors/items?limit=10000");
        var planIds = Features(all).Select(f => Props(f).GetProperty("planId").GetInt32()).ToList();
        Assert.Equal(2, planIds.Count(x => x == a));
        Assert.Equal(3, planIds.Count(x => x == b));
        // Pages of 2 give the same features in the same order.
        var paged = new List<string>();
        for (var offset = 0; offset < all.GetProperty("numberMatched").GetInt32(); offset += 2)
            paged.AddRange(Features(await Json(client, $"/api/collections/sectors/items?limit=2&offset={offset}")).Select(f => Props(f).GetProperty("id").GetString()!));
        Assert.Equal(Features(all).Select(f => Props(f).GetProperty("id").GetString()!), paged);

        var plans = await Json(client, "/api/collections/plans/items?limit=10000");
        Assert.Contains(a, Features(plans).Select(f => Props(f).GetProperty("id").GetInt32()));
        Assert.Contains(b, Features(plans).Select(f => Props(f).GetProperty("id").GetInt32()));
        // A deleted plan leaves the collections (it is kept hidden, restorable).
        var deleted = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/plans/{a}") { Headers = { { "If-Match", "\"1\"" } } });
        Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        Assert.Equal(0, (await Json(client, $"/api/collections/sectors/items?plan={a}")).GetProperty("numberMatched").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/collections/plans/items/{a}")).StatusCode);
        Assert.Equal(3, (await Json(client, $"/api/collections/sectors/items?plan={b}")).GetProperty("numberMatched").GetInt32());
    }

    [SkippableFact]
    public async Task The_blocks_collection_has_the_kept_blocks_of_a_neighbourhood()
    {
        var id = await api.MilagroIdAsync();
        var kept = await api.Client().PostAsync($"/api/neighborhoods/{id}/blocks", null);
        Assert.True(kept.IsSuccessStatusCode, await kept.Content.ReadAsStringAsync());
        var expected = Features(await Json(api.Client(), $"/api/neighborhoods/{id}/blocks"));
        var all = await Json(api.Client(), "/api/collections/blocks/items?limit=10000");
        var mine = Features(all).Where(f => Props(f).GetProperty("scope").GetString() == $"neighborhood:{id}").ToList();
        Assert.Equal(expected.Count, mine.Count);
        Assert.All(mine, f => Assert.Equal(id, Props(f).GetProperty("neighborhoodId").GetInt32()));
        Assert.All(mine, f => Assert.Equal("Polygon", f.GetProperty("geometry").GetProperty("type").GetString()));
        var one = Props(mine[0]).GetProperty("id").GetString()!;
        Assert.Equal(one, Props(await Json(api.Client(), $"/api/collections/blocks/items/{one}")).GetProperty("id").GetString());
    }

    /// <summary>Requests and their answers, as the OGC test suite states them: status, content type, a JSON pointer's value.</summary>
    public static TheoryData<string, int, string, string?, string?> Requests() => new()
    {
        { "/api/collections/sectors", 200, "application/json", "/id", "sectors" },
        { "/api/collections/plans", 200, "application/json", "/geometryType", "MultiPolygon" },
        { "/api/collections/plan-blocks", 200, "application/json", "/geometryType", "Polygon" },
        { "/api/collections/routes", 200, "application/json", "/geometryType", "LineString" },
        { "/api/collections/coverage", 200, "application/json", "/geometryType", "MultiLineString" },
        { "/api/collections/blocks", 200, "application/json", "/geometryType", "Polygon" },
        { "/api/collections/sectors/items?plan={plan}", 200, "application/geo+json", "/features/0/properties/label", "S1" },
        { "/api/collections/sectors/items?plan={plan}&limit=1", 200, "application/geo+json", "/numberReturned", "1" },
        { "/api/collections/sectors/items/{plan}-1", 200, "application/geo+json", "/properties/label", "S2" },
        { "/api/collections/sectors/items/{plan}-99", 404, "application/problem+json", "/status", "404" },
        { "/api/collections/routes/items/0", 404, "application/problem+json", "/status", "404" },
        { "/api/collections/plans/items/not-a-plan", 404, "application/problem+json", "/status", "404" },
        { "/api/collections/sectors/items?plan=abc", 400, "application/problem+json", "/parameter", "plan" },
        { "/api/collections/sectors/items?plan=-3", 400, "application/problem+json", "/code", "plancol.plan_not_id" },
        { "/api/collections/streets/items?plan={plan}", 400, "application/problem+json", "/code", "plancol.plan_not_taken" },
        { "/api/collections/blocks/items?plan={plan}", 400, "application/problem+json", "/parameter", "plan" },
        { "/api/collections/sectors/export?plan=abc", 400, "application/problem+json", "/parameter", "plan" },
        { "/api/collections/sectors/items?plan=999999", 200, "application/geo+json", "/numberMatched", "0" },
        { "/api/collections/sectors/items?plan={plan}&bbox=-70,-13,-69,-12", 200, "application/geo+json", "/numberMatched", "0" },
        { "/api/collections/sectors/items?plan={plan}&bbox=-80,-9,-78,-7", 200, "application/geo+json", "/numberMatched", "3" },
        { "/api/collections/sectors/items?plan=abc&lang=es", 400, "application/problem+json", "/title", "plan no válido" },
    };

    private static int? _plan;
    private static readonly SemaphoreSlim Once = new(1, 1);

    private Task<int> SharedPlanAsync() => SharedPlanAsync(api);

    /// <summary>One kept plan of 3 sectors with routes and coverage for the tests that only read (kept again if deleted).</summary>
    internal static async Task<int> SharedPlanAsync(ApiFixture api)
    {
        await Once.WaitAsync();
        try
        {
            if (_plan is { } p && (await api.Client().GetAsync($"/api/plans/{p}")).IsSuccessStatusCode) return p;
            return (_plan = (await KeepPlanAsync(api, 3)).Plan).Value;
        }
        finally { Once.Release(); }
    }

    [SkippableTheory]
    [MemberData(nameof(Requests))]
    public async Task A_request_gets_the_answer_the_table_says(string url, int status, string contentType, string? pointer, string? value)
    {
        var plan = await SharedPlanAsync();
        var response = await api.Client().GetAsync(url.Replace("{plan}", plan.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal(contentType, response.Content.Headers.ContentType!.MediaType);
        if (pointer is null) return;
        var node = System.Text.Json.Nodes.JsonNode.Parse(body)!;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = int.TryParse(part, out var i) ? node![i] : node![part];
        Assert.True(node is not null, $"{url}: no {pointer} in {body}");
        Assert.Equal(value, node!.ToString());
    }

    [SkippableFact]
    public async Task The_plan_collections_are_listed_with_their_extent()
    {
        await SharedPlanAsync();
        var list = await Json(api.Client(), "/api/collections");
        var ids = list.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        foreach (var name in PlanCollectionNames.Append("blocks")) Assert.Contains(name, ids);
        var sectors = await Json(api.Client(), "/api/collections/sectors");
        var bbox = sectors.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0];
        Assert.InRange(bbox[0].GetDouble(), -79.2, -78.9); // El Milagro, lon/lat
        Assert.InRange(bbox[1].GetDouble(), -8.2, -7.9);
    }

    private sealed record Districts(string Ubigeo, string Other);

    private async Task<Districts> LookUpAsync(int planId)
    {
        await using var scope = api.Require().Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        var ubigeo = (await (from p in db.SectorPlans join n in db.Neighborhoods on p.NeighborhoodId equals n.Id where p.Id == planId select n.DistrictUbigeo).SingleAsync())!;
        var other = await db.Districts.Where(d => d.Ubigeo != ubigeo).Select(d => d.Ubigeo).OrderBy(u => u).FirstAsync();
        return new Districts(ubigeo, other);
    }

    public static TheoryData<string> Names() => [.. PlanCollectionNames, "blocks"];

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public async Task Plans_are_police_data_read_by_roles_of_their_district_only(string collection)
    {
        var plan = await SharedPlanAsync();
        if (collection == "blocks") await api.Client().PostAsync($"/api/neighborhoods/{await api.MilagroIdAsync()}/blocks", null);
        var d = await LookUpAsync(plan);
        var query = collection == "blocks" ? "?limit=10000" : $"?plan={plan}&limit=10000";

        var anonymous = await api.AnonymousClient().GetAsync($"/api/collections/{collection}/items{query}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.AnonymousClient().GetAsync($"/api/collections/{collection}/export")).StatusCode);

        var inside = await Json(await api.ClientAs(Role.Viewer, d.Ubigeo), $"/api/collections/{collection}/items{query}");
        Assert.True(inside.GetProperty("numberMatched").GetInt32() > 0, $"{collection}: the district's viewer sees the plan");
        var firstId = Props(Features(inside)[0]).GetProperty("id").ToString();

        var outsider = await api.ClientAs(Role.Viewer, d.Other);
        var outside = await Json(outsider, $"/api/collections/{collection}/items{query}");
        var milagroScope = $"neighborhood:{await api.MilagroIdAsync()}";
        if (collection == "blocks") // another district may have blocks of its own
            Assert.DoesNotContain(Features(outside), f => Props(f).GetProperty("scope").GetString() == milagroScope);
        else
        {
            Assert.Equal(0, outside.GetProperty("numberMatched").GetInt32());
            Assert.Empty(Features(outside));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/collections/{collection}/items/{Uri.EscapeDataString(firstId)}")).StatusCode);
        // Its extent is that of the user's own districts (as the neighbourhoods'), which tells nothing of the plans elsewhere.
        var described = await Json(outsider, $"/api/collections/{collection}");
        var neighborhoods = await Json(outsider, "/api/collections/neighborhoods");
        Assert.Equal(neighborhoods.GetProperty("extent").ToString(), described.GetProperty("extent").ToString());
        // A GIS analyst of another district exports nothing of them.
        if (collection != "blocks")
        {
            var gisOutside = await api.ClientAs(Role.Gis, d.Other);
            Assert.Equal(HttpStatusCode.NotFound, (await gisOutside.GetAsync($"/api/collections/{collection}/export?plan={plan}")).StatusCode);
        }
    }
}
