using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Lifecycle;

/// <summary>
/// Deleting and restoring neighbourhoods, plans and imports through the API on a real PostGIS, with If-Match, roles
/// and the audit trail; re-importing a newer extract as a new dataset version, its diff, and plans on older data.
/// </summary>
[Collection(ApiCollection.Name)]
public class LifecycleEndpointsTests(ApiFixture api)
{
    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    private static HttpRequestMessage With(HttpMethod method, string path, string? ifMatch)
    {
        var request = new HttpRequestMessage(method, path);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    private async Task<(LifecycleGrid Grid, int Neighborhood, int Plan)> NeighborhoodWithPlanAsync(string name)
    {
        var grid = new LifecycleGrid();
        await grid.AddDistrictAsync(api);
        await grid.ImportStreetsAsync(api, grid.Streets(), $"grid-{grid.Ubigeo}-v1.geojson");
        var client = api.Client();
        var created = await client.PostAsJsonAsync("/api/neighborhoods", grid.NeighborhoodBody($"{name} {grid.Ubigeo}"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = int.Parse(created.Headers.Location!.ToString().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var plan = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 2, seed = 5 });
        Assert.True(plan.StatusCode == HttpStatusCode.Created, await plan.Content.ReadAsStringAsync());
        return (grid, id, (await Body(plan)).GetProperty("id").GetInt32());
    }

    private static async Task<List<int>> CollectionIds(HttpClient client, string collection, LifecycleGrid grid)
    {
        var a = grid.Area(0.001).EnvelopeInternal;
        var page = await Body(await client.GetAsync(FormattableString.Invariant(
            $"/api/collections/{collection}/items?bbox={a.MinX},{a.MinY},{a.MaxX},{a.MaxY}&limit=1000")));
        return page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("id").GetInt32()).ToList();
    }

    private static async Task<List<int>> ContingentIds(HttpClient client) =>
        (await Body(await client.GetAsync("/api/contingents"))).EnumerateArray().Select(c => c.GetProperty("id").GetInt32()).ToList();

    [SkippableFact]
    public async Task Deleting_a_neighbourhood_hides_it_its_plans_and_contingents_and_restoring_brings_them_back_identical()
    {
        var (grid, id, plan) = await NeighborhoodWithPlanAsync("Borrable");
        var client = api.Client();
        var contingent = await client.PostAsJsonAsync("/api/contingents", new Dictionary<string, object>
        {
            ["neighborhoodId"] = id, ["name"] = "Contingente borrable", ["officers"] = 12, ["shifts"] = 2, ["availability"] = 0.9,
            ["mode"] = "foot", ["crewSize"] = 2, ["jointUnits"] = 0,
        });
        Assert.True(contingent.StatusCode == HttpStatusCode.Created, await contingent.Content.ReadAsStringAsync());
        var contingentId = (await Body(contingent)).GetProperty("id").GetInt32();
        Assert.Contains(contingentId, await ContingentIds(client));
        var before = await client.GetAsync($"/api/neighborhoods/{id}");
        var beforeText = await before.Content.ReadAsStringAsync();
        var etag = before.Headers.ETag!.Tag;
        var planBefore = await (await client.GetAsync($"/api/plans/{plan}")).Content.ReadAsStringAsync();
        Assert.Contains(id, await CollectionIds(client, "neighborhoods", grid));

        // Missing If-Match: 428; a stale one: 412 with the current ETag; nothing deleted either way.
        Assert.Equal((HttpStatusCode)428, (await client.SendAsync(With(HttpMethod.Delete, $"/api/neighborhoods/{id}", null))).StatusCode);
        var stale = await client.SendAsync(With(HttpMethod.Delete, $"/api/neighborhoods/{id}", "\"7\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(etag, stale.Headers.ETag!.Tag);
        var staleBody = await Body(stale);
        Assert.Equal(etag, staleBody.GetProperty("currentETag").GetString());
        Assert.Equal(ApiFixture.AdminName, staleBody.GetProperty("changedBy").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/neighborhoods/{id}")).StatusCode);

        var deleted = await client.SendAsync(With(HttpMethod.Delete, $"/api/neighborhoods/{id}", etag));
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, await deleted.Content.ReadAsStringAsync());
        var gone = await Body(deleted);
        Assert.True(gone.GetProperty("deleted").GetBoolean());
        Assert.Equal(1, gone.GetProperty("plans").GetInt32());
        Assert.Equal(ApiFixture.AdminName, gone.GetProperty("deletedBy").GetString());

        // Hidden: the feature, the OGC collection, its plans, the list; the admins' list names it with who and when.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/neighborhoods/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/collections/neighborhoods/items/{id}")).StatusCode);
        Assert.DoesNotContain(id, await CollectionIds(client, "neighborhoods", grid));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/plans/{plan}")).StatusCode);
        Assert.DoesNotContain(contingentId, await ContingentIds(client));
        var live = await Body(await client.GetAsync("/api/neighborhoods"));
        Assert.DoesNotContain(live.EnumerateArray(), n => n.GetProperty("id").GetInt32() == id);
        var listed = (await Body(await client.GetAsync("/api/neighborhoods?deleted=true"))).EnumerateArray()
            .Single(n => n.GetProperty("id").GetInt32() == id);
        Assert.Equal(ApiFixture.AdminName, listed.GetProperty("deletedBy").GetString());
        var deletedPlans = await Body(await client.GetAsync($"/api/neighborhoods/{id}/plans?deleted=true"));
        Assert.Contains(deletedPlans.EnumerateArray(), p => p.GetProperty("id").GetInt32() == plan);
        // A plan deleted with its neighbourhood comes back only with it.
        var alone = await client.SendAsync(With(HttpMethod.Post, $"/api/plans/{plan}/restore", "\"1\""));
        Assert.Equal(HttpStatusCode.Conflict, alone.StatusCode);
        Assert.Equal("lifecycle.plan_neighborhood_deleted", (await Body(alone)).GetProperty("code").GetString());

        var restored = await client.SendAsync(With(HttpMethod.Post, $"/api/neighborhoods/{id}/restore", etag));
        Assert.True(restored.StatusCode == HttpStatusCode.OK, await restored.Content.ReadAsStringAsync());
        Assert.Equal(1, (await Body(restored)).GetProperty("plans").GetInt32());
        Assert.Equal(beforeText, await (await client.GetAsync($"/api/neighborhoods/{id}")).Content.ReadAsStringAsync());
        Assert.Equal(planBefore, await (await client.GetAsync($"/api/plans/{plan}")).Content.ReadAsStringAsync());
        Assert.Contains(id, await CollectionIds(client, "neighborhoods", grid));
        Assert.Contains(contingentId, await ContingentIds(client));
        Assert.DoesNotContain((await Body(await client.GetAsync("/api/neighborhoods?deleted=true"))).EnumerateArray(),
            n => n.GetProperty("id").GetInt32() == id);
        // A second restore: nothing to restore.
        Assert.Equal(HttpStatusCode.Conflict, (await client.SendAsync(With(HttpMethod.Post, $"/api/neighborhoods/{id}/restore", etag))).StatusCode);

        // Both writes are in the audit trail, under their routes.
        var audit = await Body(await client.GetAsync($"/api/audit?resourceKind=neighborhoods&resourceId={id}&limit=50"));
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("status").GetInt32())).ToList();
        Assert.Contains(("DELETE /api/neighborhoods/{id}", 200), actions);
        Assert.Contains(("DELETE /api/neighborhoods/{id}", 412), actions);
        Assert.Contains(("POST /api/neighborhoods/{id}/restore", 200), actions);
    }

    [SkippableFact]
    public async Task A_plan_is_deleted_and_restored_alone_and_roles_without_the_right_are_refused()
    {
        var (grid, id, plan) = await NeighborhoodWithPlanAsync("Planes");
        var client = api.Client();
        var get = await client.GetAsync($"/api/plans/{plan}");
        Assert.Equal("\"1\"", get.Headers.ETag!.Tag);

        // A GIS user may not delete plans or neighbourhoods; a chief of another district may not delete this plan.
        var gis = await api.ClientAs(Role.Gis);
        Assert.Equal(HttpStatusCode.Forbidden, (await gis.SendAsync(With(HttpMethod.Delete, $"/api/plans/{plan}", "\"1\""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await gis.SendAsync(With(HttpMethod.Delete, $"/api/neighborhoods/{id}", "\"1\""))).StatusCode);
        var otherChief = await api.ClientAs(Role.Chief, "130101");
        Assert.Equal(HttpStatusCode.Forbidden, (await otherChief.SendAsync(With(HttpMethod.Delete, $"/api/plans/{plan}", "\"1\""))).StatusCode);
        // The deleted lists are the admins'.
        var planner = await api.ClientAs(Role.Planner);
        var refused = await planner.GetAsync("/api/neighborhoods?deleted=true");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("lifecycle.deleted_admins", (await Body(refused)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/plans/{plan}")).StatusCode);

        var chief = await api.ClientAs(Role.Chief, grid.Ubigeo);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await chief.SendAsync(With(HttpMethod.Delete, $"/api/plans/{plan}", "\"2\""))).StatusCode);
        var deleted = await chief.SendAsync(With(HttpMethod.Delete, $"/api/plans/{plan}", "\"1\""));
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, await deleted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/plans/{plan}")).StatusCode);
        var plans = await Body(await client.GetAsync($"/api/neighborhoods/{id}/plans"));
        Assert.DoesNotContain(plans.EnumerateArray(), p => p.GetProperty("id").GetInt32() == plan);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/neighborhoods/{id}")).StatusCode);

        var restored = await chief.SendAsync(With(HttpMethod.Post, $"/api/plans/{plan}/restore", "\"1\""));
        Assert.True(restored.StatusCode == HttpStatusCode.OK, await restored.Content.ReadAsStringAsync());
        Assert.Equal(await get.Content.ReadAsStringAsync(), await (await client.GetAsync($"/api/plans/{plan}")).Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task A_newer_extract_is_a_new_version_whose_diff_names_the_changed_streets_and_makes_older_plans_stale()
    {
        var (grid, id, plan) = await NeighborhoodWithPlanAsync("Versiones");
        var client = api.Client();
        var first = await Body(await client.GetAsync($"/api/plans/{plan}"));
        Assert.False(first.GetProperty("stale").GetBoolean());
        Assert.Equal(1, first.GetProperty("datasetVersion").GetInt32());
        var streetsV1 = await CollectionIds(client, "streets", grid);
        Assert.Equal(10, streetsV1.Count);

        var second = await grid.ImportStreetsAsync(api, grid.NewerStreets(), $"grid-{grid.Ubigeo}-v2.geojson");
        Assert.Equal(2, second.Version);
        Assert.NotNull(second.Replaced);

        // The list of imports: both versions of the district's streets, the newer one current.
        var imports = (await Body(await client.GetAsync($"/api/imports?collection=streets&district={grid.Ubigeo}"))).EnumerateArray().ToList();
        Assert.Equal([2, 1], imports.Select(i => i.GetProperty("version").GetInt32()));
        Assert.True(imports[0].GetProperty("current").GetBoolean());
        Assert.False(imports[1].GetProperty("current").GetBoolean());
        Assert.Equal(10, imports[0].GetProperty("featureCount").GetInt32());
        Assert.Equal("gis-test", imports[0].GetProperty("importedBy").GetString());
        Assert.Equal($"grid-{grid.Ubigeo}-v2.geojson", imports[0].GetProperty("sourceName").GetString());

        var diff = await Body(await client.GetAsync($"/api/imports/{second.DatasetId}/diff"));
        Assert.Equal("osm_id", diff.GetProperty("matchedBy").GetString());
        Assert.Equal(1, diff.GetProperty("fromVersion").GetInt32());
        Assert.Equal([1006L], diff.GetProperty("added").EnumerateArray().Select(f => f.GetProperty("osmId").GetInt64()));
        Assert.Equal([1003L], diff.GetProperty("removed").EnumerateArray().Select(f => f.GetProperty("osmId").GetInt64()));
        var renamed = diff.GetProperty("renamed").EnumerateArray().Single();
        Assert.Equal(2002, renamed.GetProperty("osmId").GetInt64());
        Assert.Equal("Avenida 2", renamed.GetProperty("from").GetString());
        Assert.Equal("Jirón 2", renamed.GetProperty("to").GetString());
        Assert.Equal(0, diff.GetProperty("geometryChanged").GetArrayLength());
        Assert.Equal(8, diff.GetProperty("unchanged").GetInt32());

        // The streets collection holds the newer extract only.
        var names = await StreetNames(client, grid);
        Assert.Contains("Jirón 2", names);
        Assert.Contains("Calle 6", names);
        Assert.DoesNotContain("Calle 3", names);
        Assert.DoesNotContain("Avenida 2", names);

        // The plan made before is on older data; recomputed, a new plan on the new version.
        var listed = (await Body(await client.GetAsync($"/api/neighborhoods/{id}/plans"))).EnumerateArray().Single(p => p.GetProperty("id").GetInt32() == plan);
        Assert.True(listed.GetProperty("stale").GetBoolean());
        Assert.Equal(1, listed.GetProperty("datasetVersion").GetInt32());
        Assert.Equal(2, listed.GetProperty("currentVersion").GetInt32());
        var recomputed = await client.PostAsync($"/api/plans/{plan}/recompute", null);
        Assert.True(recomputed.StatusCode == HttpStatusCode.Created, await recomputed.Content.ReadAsStringAsync());
        var fresh = await Body(recomputed);
        var freshId = fresh.GetProperty("id").GetInt32();
        Assert.NotEqual(plan, freshId);
        Assert.False(fresh.GetProperty("stale").GetBoolean());
        Assert.Equal(2, fresh.GetProperty("datasetVersion").GetInt32());
        Assert.Equal(first.GetProperty("seed").GetInt32(), fresh.GetProperty("seed").GetInt32());
        Assert.Equal(first.GetProperty("sectors").GetInt32(), fresh.GetProperty("sectors").GetInt32());
        Assert.NotEqual(first.GetProperty("dataVersion").GetString(), fresh.GetProperty("dataVersion").GetString());

        // Deleting the newer import (GIS) puts the previous version's streets back; the older plan is current again.
        var gis = await api.ClientAs(Role.Gis);
        Assert.Equal((HttpStatusCode)428, (await gis.SendAsync(With(HttpMethod.Delete, $"/api/imports/{second.DatasetId}", null))).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await gis.SendAsync(With(HttpMethod.Delete, $"/api/imports/{second.DatasetId}", "\"1\""))).StatusCode);
        // Not the newest version: refused, nothing changes.
        var older = await gis.SendAsync(With(HttpMethod.Delete, $"/api/imports/{second.Replaced}", "\"1\""));
        Assert.Equal(HttpStatusCode.Conflict, older.StatusCode);
        Assert.Equal("lifecycle.import_not_current", (await Body(older)).GetProperty("code").GetString());
        var chief = await api.ClientAs(Role.Chief);
        Assert.Equal(HttpStatusCode.Forbidden, (await chief.SendAsync(With(HttpMethod.Delete, $"/api/imports/{second.DatasetId}", "\"2\""))).StatusCode);

        var deleted = await gis.SendAsync(With(HttpMethod.Delete, $"/api/imports/{second.DatasetId}", "\"2\""));
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, await deleted.Content.ReadAsStringAsync());
        Assert.Equal(second.Replaced, (await Body(deleted)).GetProperty("currentImportId").GetInt32());
        names = await StreetNames(client, grid);
        Assert.Equal(grid.Streets().Select(f => (string)f.Attributes["name"]).Order(), names.Order());
        var plans = (await Body(await client.GetAsync($"/api/neighborhoods/{id}/plans"))).EnumerateArray().ToList();
        Assert.False(plans.Single(p => p.GetProperty("id").GetInt32() == plan).GetProperty("stale").GetBoolean());
        Assert.True(plans.Single(p => p.GetProperty("id").GetInt32() == freshId).GetProperty("stale").GetBoolean());
        var deletedImports = await Body(await client.GetAsync("/api/imports?deleted=true"));
        Assert.Contains(deletedImports.EnumerateArray(), i => i.GetProperty("id").GetInt32() == second.DatasetId
            && i.GetProperty("deletedBy").GetString() == "gis");

        // Restored: the newer extract is current again.
        var restored = await gis.SendAsync(With(HttpMethod.Post, $"/api/imports/{second.DatasetId}/restore", "\"2\""));
        Assert.True(restored.StatusCode == HttpStatusCode.OK, await restored.Content.ReadAsStringAsync());
        names = await StreetNames(client, grid);
        Assert.Equal(grid.NewerStreets().Select(f => (string)f.Attributes["name"]).Order(), names.Order());

        var audit = await Body(await client.GetAsync($"/api/audit?resourceKind=imports&resourceId={second.DatasetId}&limit=50"));
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("action").GetString(), e.GetProperty("status").GetInt32())).ToList();
        Assert.Contains(("DELETE /api/imports/{id}", 200), actions);
        Assert.Contains(("POST /api/imports/{id}/restore", 200), actions);
    }

    private static async Task<List<string>> StreetNames(HttpClient client, LifecycleGrid grid)
    {
        var a = grid.Area(0.0005).EnvelopeInternal;
        var page = await Body(await client.GetAsync(FormattableString.Invariant(
            $"/api/collections/streets/items?bbox={a.MinX},{a.MinY},{a.MaxX},{a.MaxY}&limit=1000")));
        return page.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("name").GetString()!).ToList();
    }
}
