using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>POST /api/neighborhoods/{id}/plans with barriers: the stored primary streets (Avenida Miguel Grau crosses El
/// Milagro) or GeoJSON lines in the request.</summary>
[Collection(ApiCollection.Name)]
public class PlanBarrierTests(ApiFixture api)
{
    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    private static Geometry MiguelGrau() => new GeometryFactory().BuildGeometry(VectorFile.Read(Path.Combine(ApiFixture.GeodataPath, "osm", "el_milagro_streets_wgs84.geojson")).Features
        .Where(f => (f.Attributes.GetOptionalValue("highway") as string) == "primary" && (f.Attributes.GetOptionalValue("name") as string) == "Avenida Miguel Grau")
        .Select(f => f.Geometry).ToList());

    /// <summary>Length (°) of the avenue inside each kept sector, off its edges by about 2 m.</summary>
    private async Task<List<double>> RoadInsideAsync(int planId, Geometry road)
    {
        var text = await api.Client().GetStringAsync($"/api/plans/{planId}/sectors");
        var sectors = JsonSerializer.Deserialize<FeatureCollection>(text, GeoJson.Options)!;
        return sectors.Select(f => f.Geometry.Buffer(-2e-5).Intersection(road).Length).ToList();
    }

    [SkippableFact]
    public async Task Sectors_from_the_stored_primary_streets_do_not_cross_Avenida_Miguel_Grau()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var road = MiguelGrau();
        var plain = await Body(await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 4, seed = 1 }));
        Assert.Contains(await RoadInsideAsync(plain.GetProperty("id").GetInt32(), road), l => l > 1e-4); // the check can fail

        var response = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 4, seed = 1, barrierClasses = new[] { "primary" } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var plan = await Body(response);
        var report = plan.GetProperty("report");
        var b = report.GetProperty("barriers");
        Assert.True(b.GetProperty("linksCut").GetInt32() > 10);
        Assert.Equal(4, b.GetProperty("sectorsPerPart").EnumerateArray().Sum(x => x.GetInt32()));
        Assert.True(report.GetProperty("contiguous").GetBoolean());
        Assert.Contains(report.GetProperty("notes").EnumerateArray(), n => n.GetProperty("code").GetString() == "sectors.barriers");
        Assert.Equal("primary", plan.GetProperty("parameters").GetProperty("barrierClasses")[0].GetString());
        Assert.All(await RoadInsideAsync(plan.GetProperty("id").GetInt32(), road), l => Assert.True(l < 1e-4, $"a sector holds {l * 111_000:F0} m of the avenue"));

        // The kept report reads back the same figures.
        var kept = await Body(await client.GetAsync($"/api/plans/{plan.GetProperty("id").GetInt32()}"));
        Assert.Equal(b.GetProperty("linksCut").GetInt32(), kept.GetProperty("report").GetProperty("barriers").GetProperty("linksCut").GetInt32());
    }

    [SkippableFact]
    public async Task Barriers_work_with_units_per_sector_a_previous_plan_and_a_lock()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var first = await Body(await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans",
            new { sectors = 3, seed = 1, objective = "response", barrierClasses = new[] { "primary" } }));
        // Sector 0's centre, locked into sector 2.
        var block = first.GetProperty("report").GetProperty("travel").GetProperty("sectors")[0].GetProperty("centreBlock").GetString()!;
        var response = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new
        {
            seed = 2, barrierClasses = new[] { "primary" }, sectorUnits = new[] { 2, 1, 1 }, previousPlanId = first.GetProperty("id").GetInt32(),
            locks = new Dictionary<string, int> { [block] = 2 },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var plan = await Body(response);
        var report = plan.GetProperty("report");
        Assert.Equal(3, report.GetProperty("barriers").GetProperty("sectorsPerPart").EnumerateArray().Sum(x => x.GetInt32()));
        Assert.True(report.GetProperty("contiguous").GetBoolean(), report.GetProperty("notes").GetRawText());
        Assert.Equal(JsonValueKind.Object, report.GetProperty("churn").ValueKind);
        var targets = report.GetProperty("sectors").EnumerateArray().Select(s => s.GetProperty("targetWorkload").GetDouble()).ToList();
        Assert.Equal(2 * targets[1], targets[0], 2);
        Assert.Equal(targets[1], targets[2], 2);
        Assert.All(await RoadInsideAsync(plan.GetProperty("id").GetInt32(), MiguelGrau()), l => Assert.True(l < 1e-4, $"a sector holds {l * 111_000:F0} m of the avenue"));
        var why = await Body(await client.GetAsync($"/api/plans/{plan.GetProperty("id").GetInt32()}/blocks/{Uri.EscapeDataString(block)}/why"));
        Assert.Equal(2, why.GetProperty("sector").GetInt32());
    }

    [SkippableFact]
    public async Task A_GeoJSON_line_in_the_request_is_a_barrier_named_by_its_feature()
    {
        var id = await api.MilagroIdAsync();
        var road = MiguelGrau();
        var grau = new GeometryFactory().CreateMultiLineString(Enumerable.Range(0, road.NumGeometries).Select(i => (LineString)road.GetGeometryN(i)).ToArray());
        var feature = new Feature(grau, new AttributesTable { { "name", "Av. Grau" } });
        var body = $"{{\"sectors\":4,\"seed\":1,\"barriers\":[{JsonSerializer.Serialize<IFeature>(feature, GeoJson.Options)}]}}";
        var response = await api.Client().PostAsync($"/api/neighborhoods/{id}/plans", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var b = (await Body(response)).GetProperty("report").GetProperty("barriers");
        Assert.Equal(1, b.GetProperty("lines").GetInt32());
        Assert.True(b.GetProperty("linksCut").GetInt32() > 10);
    }

    [SkippableTheory]
    [InlineData("{\"sectors\":4,\"barriers\":[{\"type\":\"Point\",\"coordinates\":[-79.05,-8.02]}]}", "barriers[0] must be a GeoJSON LineString")]
    [InlineData("{\"sectors\":4,\"barriers\":[{\"type\":\"LineString\",\"coordinates\":[[-79.05,-8.02],[-79.05,-98.0]]}]}", "barriers[0] has a vertex outside")]
    [InlineData("{\"sectors\":4,\"barrierClasses\":[\"canal\"]}", "barrierClasses: No street of class canal")]
    [InlineData("{\"sectors\":4,\"barrierClasses\":[]}", "barrierClasses must name street classes")]
    public async Task Bad_barriers_are_a_422_naming_the_member(string body, string expected)
    {
        var id = await api.MilagroIdAsync();
        var response = await api.Client().PostAsync($"/api/neighborhoods/{id}/plans?lang=en", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        Assert.Contains(expected, text);
    }

    [SkippableFact]
    public async Task A_barrier_over_the_vertex_limit_is_refused_with_the_limit()
    {
        var id = await api.MilagroIdAsync();
        var n = Core.Spatial.InputLimits.VerticesPerGeometry + 1;
        var coords = string.Join(",", Enumerable.Range(0, n).Select(i => $"[{-79.06 + i * 1e-7:F7},-8.02]"));
        var body = $"{{\"sectors\":4,\"barriers\":[{{\"type\":\"LineString\",\"coordinates\":[{coords}]}}]}}";
        var response = await api.Client().PostAsync($"/api/neighborhoods/{id}/plans?lang=en", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, text);
        Assert.Contains($"barriers[0] has {n} vertices; the limit is {Core.Spatial.InputLimits.VerticesPerGeometry} per line", text);
    }
}
