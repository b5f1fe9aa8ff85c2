using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>POST /api/neighborhoods/{id}/plans with the response objective: centres at a comisaría, travel on the streets.</summary>
[Collection(ApiCollection.Name)]
public class PlanResponseTests(ApiFixture api)
{
    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    private async Task<int> MilagroStationAsync()
    {
        var root = await Body(await api.Client().GetAsync("/api/collections/stations/items?bbox=-79.068,-8.025,-79.065,-8.022"));
        return root.GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("properties").GetProperty("name").GetString() == "PNP MILAGRO").GetProperty("properties").GetProperty("id").GetInt32();
    }

    [SkippableFact]
    public async Task A_response_plan_from_the_comisaria_on_foot_reports_travel_beside_balance()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var station = await MilagroStationAsync();
        var response = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans",
            new { sectors = 3, seed = 1, objective = "response", mode = "foot", centreStationIds = new[] { station } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var plan = await Body(response);
        var report = plan.GetProperty("report");
        Assert.Equal("response", report.GetProperty("objective").GetString());
        Assert.True(report.GetProperty("contiguous").GetBoolean());
        Assert.True(report.GetProperty("maxDeviationPct").GetDouble() <= Math.Max(5.0, report.GetProperty("balanceBoundPct").GetDouble()) + 1e-9);
        var travel = report.GetProperty("travel");
        Assert.Equal("street network on foot", travel.GetProperty("measure").GetString());
        var first = travel.GetProperty("sectors")[0];
        Assert.True(first.GetProperty("centreFixed").GetBoolean());
        Assert.Equal(-79.0663893, first.GetProperty("centreLon").GetDouble(), 5);
        Assert.True(travel.GetProperty("worstMinutes").GetDouble() > travel.GetProperty("meanMinutes").GetDouble());
        Assert.Equal("foot", plan.GetProperty("parameters").GetProperty("mode").GetString());

        // The kept report reads back the same.
        var kept = await Body(await client.GetAsync($"/api/plans/{plan.GetProperty("id").GetInt32()}"));
        Assert.Equal(travel.GetProperty("totalWeightedMinutes").GetDouble(),
            kept.GetProperty("report").GetProperty("travel").GetProperty("totalWeightedMinutes").GetDouble());
    }

    [SkippableFact]
    public async Task Why_here_names_the_block_s_centre_the_next_best_sector_and_the_effect_of_moving_it()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var plan = await Body(await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 3, seed = 1, objective = "response", mode = "foot" }));
        var planId = plan.GetProperty("id").GetInt32();
        var centre = plan.GetProperty("report").GetProperty("travel").GetProperty("sectors")[1];
        var block = centre.GetProperty("centreBlock").GetString()!;

        var response = await client.GetAsync($"/api/plans/{planId}/blocks/{Uri.EscapeDataString(block)}/why");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var why = await Body(response);
        Assert.Equal(block, why.GetProperty("block").GetString());
        Assert.Equal(centre.GetProperty("sector").GetInt32(), why.GetProperty("sector").GetInt32());
        Assert.Equal("S2", why.GetProperty("label").GetString());
        Assert.Equal("street network on foot", why.GetProperty("measure").GetString());
        Assert.Equal(block, why.GetProperty("own").GetProperty("centreBlock").GetString());
        Assert.Equal(0, why.GetProperty("own").GetProperty("minutes").GetDouble(), 6);
        Assert.True(why.GetProperty("nextBest").GetProperty("minutes").GetDouble() > 0);
        Assert.NotEmpty(why.GetProperty("reasons").EnumerateArray());
        Assert.Equal("sectors.why_nearest", why.GetProperty("reasons")[0].GetProperty("code").GetString());
        Assert.Contains("es el más cercano", why.GetProperty("reasons")[0].GetProperty("text").GetString());
        var english = await Body(await client.GetAsync($"/api/plans/{planId}/blocks/{Uri.EscapeDataString(block)}/why?lang=en"));
        Assert.Contains("is the nearest", english.GetProperty("reasons")[0].GetProperty("text").GetString());

        var unknown = await client.GetAsync($"/api/plans/{planId}/blocks/nada/why?lang=en");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("has no block 'nada'", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/plans/999999/blocks/{block}/why")).StatusCode);
    }

    [SkippableFact]
    public async Task Units_per_sector_give_each_sector_its_share_of_the_work()
    {
        var id = await api.MilagroIdAsync();
        var response = await api.Client().PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectorUnits = new[] { 1, 2 }, seed = 1 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var report = (await Body(response)).GetProperty("report");
        Assert.Equal(2, report.GetProperty("k").GetInt32());
        var s = report.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(2 * s[0].GetProperty("targetWorkload").GetDouble(), s[1].GetProperty("targetWorkload").GetDouble(), 2);
        Assert.Equal(2, s[1].GetProperty("units").GetInt32());
        Assert.InRange(s[1].GetProperty("workload").GetDouble() / s[0].GetProperty("workload").GetDouble(), 1.8, 2.2);
    }

    [SkippableTheory]
    [InlineData("{\"sectors\":3,\"sectorUnits\":[1,1]}", HttpStatusCode.UnprocessableEntity, "2 sectors' units given for 3 sectors")]
    [InlineData("{\"sectorUnits\":[1,0]}", HttpStatusCode.UnprocessableEntity, "at least 1 patrol unit")]
    [InlineData("{\"sectors\":2,\"objective\":\"fastest\"}", HttpStatusCode.UnprocessableEntity, "objective must be compactness or response")]
    [InlineData("{\"sectors\":2,\"objective\":\"response\",\"mode\":\"plane\"}", HttpStatusCode.UnprocessableEntity, "plane")]
    [InlineData("{\"sectors\":2,\"centreStationIds\":[999999]}", HttpStatusCode.NotFound, "No station 999999")]
    [InlineData("{\"sectors\":2,\"centres\":[[-79.06]]}", HttpStatusCode.UnprocessableEntity, "centres[0] must be [lon, lat]")]
    [InlineData("{\"sectors\":2,\"straightLineKmh\":0}", HttpStatusCode.UnprocessableEntity, "straightLineKmh")]
    [InlineData("{\"sectors\":2,\"objective\":\"response\",\"polishSeconds\":99}", HttpStatusCode.UnprocessableEntity, "polishSeconds must be from 0 to 60")]
    public async Task Bad_response_options_are_problems_with_their_reason(string body, HttpStatusCode status, string reason)
    {
        var id = await api.MilagroIdAsync();
        var response = await api.Client().PostAsync($"/api/neighborhoods/{id}/plans?lang=en", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, text);
        Assert.Contains(reason, text);
        Assert.Contains("application/problem+json", response.Content.Headers.ContentType?.ToString());
    }
}
