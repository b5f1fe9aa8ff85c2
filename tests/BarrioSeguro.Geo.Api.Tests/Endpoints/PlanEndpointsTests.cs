using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

[Collection(ApiCollection.Name)]
public class PlanEndpointsTests(ApiFixture api)
{
    private static Task<JsonElement> Body(HttpResponseMessage r) => ApiFixture.JsonOf(r);

    [SkippableFact]
    public async Task The_contingent_decides_the_sectors_which_are_balanced_contiguous_and_tile_without_overlap()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var contingent = (await Body(await client.GetAsync("/api/contingents")))[0];
        var staffing = await Body(await client.GetAsync($"/api/contingents/{contingent.GetProperty("id").GetInt32()}/staffing"));
        var k = staffing.GetProperty("sectorsPerShift").GetInt32();
        Assert.InRange(k, 1, 10);
        Assert.Contains(staffing.GetProperty("explanation").EnumerateArray(), l => l.GetProperty("code").GetString()!.StartsWith("staffing.roster", StringComparison.Ordinal)
            && l.GetProperty("args").GetProperty("officers").GetInt32() == 20 && l.GetProperty("text").GetString()!.StartsWith("20 efectivos")); // Spanish by default

        var response = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { seed = 3 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var plan = await Body(response);
        var report = plan.GetProperty("report");
        Assert.Equal(k, plan.GetProperty("sectors").GetInt32());
        Assert.True(report.GetProperty("contiguous").GetBoolean());
        Assert.True(report.GetProperty("maxDeviationPct").GetDouble() <= Math.Max(5.0, report.GetProperty("balanceBoundPct").GetDouble()) + 1e-9,
            report.GetRawText());
        Assert.NotEmpty(report.GetProperty("staffing").GetProperty("explanation").EnumerateArray());
        Assert.StartsWith("sha256:", plan.GetProperty("dataVersion").GetString());

        var planId = plan.GetProperty("id").GetInt32();
        var sectors = await Body(await client.GetAsync($"/api/plans/{planId}/sectors"));
        Assert.Equal(k, sectors.GetProperty("features").GetArrayLength());

        // PostGIS: the sectors do not overlap and all lie inside the neighbourhood.
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM plan_sectors a JOIN plan_sectors b ON a.plan_id = b.plan_id AND a.sector < b.sector
                    AND ST_Area(ST_Intersection(a.geometry, b.geometry)::geography) > 1 WHERE a.plan_id = @p),
                   (SELECT count(*) FROM plan_sectors s, neighborhoods n WHERE s.plan_id = @p AND n.id = @n
                    AND ST_Area(ST_Difference(s.geometry, n.boundary)::geography) > 1)
            """, connection);
        cmd.Parameters.AddWithValue("p", planId);
        cmd.Parameters.AddWithValue("n", id);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal(0, r.GetInt64(0));
        Assert.Equal(0, r.GetInt64(1));
    }

    [SkippableFact]
    public async Task The_same_request_on_the_same_data_gives_the_same_plan_and_a_previous_plan_gives_churn()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var a = await Body(await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 5, seed = 11 }));
        var b = await Body(await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 5, seed = 11 }));
        var compare = await Body(await client.GetAsync($"/api/plans/compare?a={a.GetProperty("id")}&b={b.GetProperty("id")}"));
        Assert.True(compare.GetProperty("sameData").GetBoolean());
        Assert.Equal(0, compare.GetProperty("blocksChanged").GetInt32());

        var c = await Body(await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 5, seed = 12, previousPlanId = a.GetProperty("id").GetInt32() }));
        var churn = c.GetProperty("report").GetProperty("churn");
        Assert.True(churn.GetProperty("blocksChanged").GetInt32() >= 0);
        Assert.InRange(churn.GetProperty("workloadSharePct").GetDouble(), 0, 100);

        var list = await Body(await client.GetAsync($"/api/neighborhoods/{id}/plans"));
        Assert.True(list.GetArrayLength() >= 3);
    }

    [SkippableFact]
    public async Task A_plan_is_signed_by_the_signed_in_user_whatever_the_body_or_X_Barrio_User_say()
    {
        var id = await api.MilagroIdAsync();
        var chief = await api.ClientAs(BarrioSeguro.Geo.Data.Accounts.Role.Chief);
        async Task<string> AuthorOf(object body, string? user)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/neighborhoods/{id}/plans") { Content = JsonContent.Create(body) };
            if (user is not null) request.Headers.Add("X-Barrio-User", user);
            var response = await chief.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            return (await Body(response)).GetProperty("author").GetString()!;
        }
        Assert.Equal("chief", await AuthorOf(new { sectors = 2, seed = 1 }, "comisaria.rios"));
        Assert.Equal("chief", await AuthorOf(new { sectors = 2, seed = 1, author = "sgt. Vega" }, "comisaria.rios"));
        Assert.Equal("chief", await AuthorOf(new { sectors = 2, seed = 1 }, null));
    }

    [SkippableTheory]
    [InlineData("""{"sectors": 100000}""", "sector")]
    [InlineData("""{"sectors": 4, "weights": [{"attribute": "robberies", "weight": 1}]}""", "robberies")]
    [InlineData("""{"sectors": 4, "weights": [{"attribute": "incidents", "weight": -1}]}""", "negative")]
    [InlineData("""{"sectors": 4, "islands": "sink"}""", "attach, own or refuse")]
    public async Task Impossible_requests_get_a_problem_that_says_why(string body, string reason)
    {
        var id = await api.MilagroIdAsync();
        var response = await api.Client().PostAsync($"/api/neighborhoods/{id}/plans?lang=en",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(reason, (await Body(response)).GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task A_plan_kept_in_an_older_report_shape_is_a_409_that_says_to_compute_it_again_never_a_500()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var created = await Body(await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 3, seed = 41 }));
        var planId = created.GetProperty("id").GetInt32();
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        try
        {
            // The shape an earlier build kept: staffing as a list of sentences.
            await using (var old = new NpgsqlCommand(
                "UPDATE sector_plans SET report_json = jsonb_set(report_json, '{staffing}', '[\"20 officers\"]') WHERE id = @p", connection))
            {
                old.Parameters.AddWithValue("p", planId);
                Assert.Equal(1, await old.ExecuteNonQueryAsync());
            }
            var response = await client.GetAsync($"/api/plans/{planId}?lang=en");
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var problem = await Body(response);
            Assert.Equal($"Plan {planId} was kept in an older report shape; compute it again.", problem.GetProperty("detail").GetString());
            Assert.Equal("store.kept_older_plan", problem.GetProperty("code").GetString());
            Assert.Equal($"/api/plans/{planId}", problem.GetProperty("instance").GetString());
        }
        finally
        {
            await using var drop = new NpgsqlCommand("DELETE FROM sector_plans WHERE id = @p", connection);
            drop.Parameters.AddWithValue("p", planId);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
