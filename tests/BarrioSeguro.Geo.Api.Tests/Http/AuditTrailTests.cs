using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BarrioSeguro.Geo.Api.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>Every write through the API leaves exactly one audit row naming who, what, which resource and the answer.</summary>
[Collection(ApiCollection.Name)]
public class AuditTrailTests(ApiFixture api)
{
    private const string Square = "[[[-79.240,-8.130],[-79.235,-8.130],[-79.235,-8.125],[-79.240,-8.125],[-79.240,-8.130]]]";

    private sealed record Row(string User, string? Role, string Action, string? Kind, string? Id, int Status, string? Client, string? Detail);

    private async Task<List<Row>> RowsOf(string requestId)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT user_name, role, action, resource_kind, resource_id, status, client_address, detail::text FROM audit_entries WHERE request_id = @r", connection);
        cmd.Parameters.AddWithValue("r", requestId);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync())
            rows.Add(new Row(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        return rows;
    }

    /// <summary>Sends a request with a fresh X-Request-Id and returns the one audit row it left.</summary>
    private async Task<(HttpResponseMessage Response, Row Row)> Send(HttpClient client, HttpMethod method, string path, string? body, string? ifMatch = null)
    {
        var requestId = "test-" + Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (ifMatch is not null) request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{ifMatch}\""));
        request.Headers.Add(AuditTrail.RequestIdHeader, requestId);
        request.Headers.Add(EditContext.UserHeader, "auditora.ruiz");
        var response = await client.SendAsync(request);
        Assert.Equal(requestId, response.Headers.GetValues(AuditTrail.RequestIdHeader).Single());
        return (response, Assert.Single(await RowsOf(requestId)));
    }

    private static string Feature(string name, string extra = "") =>
        $$$"""{"type":"Feature","properties":{"name":"{{{name}}}","districtUbigeo":"130104"{{{extra}}}},"geometry":{"type":"Polygon","coordinates":{{{Square}}}}}""";

    [SkippableFact]
    public async Task Each_kind_of_write_leaves_one_row_with_its_user_action_resource_and_status()
    {
        var client = api.Client();
        var name = $"Auditada {Guid.NewGuid():N}"[..20];
        try
        {
            var (created, createRow) = await Send(client, HttpMethod.Post, "/api/neighborhoods", Feature(name));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var id = created.Headers.Location!.ToString().Split('/').Last();
            Assert.Equal(("POST /api/neighborhoods/", "neighborhoods", id, 201), (createRow.Action, createRow.Kind, createRow.Id, createRow.Status));
            Assert.Equal("127.0.0.1", createRow.Client);

            var (updated, updateRow) = await Send(client, HttpMethod.Put, $"/api/neighborhoods/{id}", Feature(name, ",\"comment\":\"audit\""), ifMatch: "1");
            Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
            Assert.Equal(("PUT /api/neighborhoods/{id}", "neighborhoods", id, 200), (updateRow.Action, updateRow.Kind, updateRow.Id, updateRow.Status));
            Assert.Contains("\"toVersion\": 2", updateRow.Detail);
            Assert.Contains("\"fromVersion\": 1", updateRow.Detail);

            // Refused writes are kept too: a stale version, a body that is not JSON, a neighbourhood that does not exist.
            var (stale, staleRow) = await Send(client, HttpMethod.Put, $"/api/neighborhoods/{id}", Feature(name), ifMatch: "1");
            Assert.Equal((int)stale.StatusCode, staleRow.Status);
            Assert.InRange(staleRow.Status, 409, 412);
            var (malformed, malformedRow) = await Send(client, HttpMethod.Post, "/api/neighborhoods", "{not json");
            Assert.Equal((400, 400), ((int)malformed.StatusCode, malformedRow.Status));
            var (missing, missingRow) = await Send(client, HttpMethod.Post, "/api/neighborhoods/987654/revert", """{"toVersion":1}""", ifMatch: "1");
            Assert.Equal((404, 404), ((int)missing.StatusCode, missingRow.Status));
            Assert.Equal(("POST /api/neighborhoods/{id}/revert", "neighborhoods", "987654"), (missingRow.Action, missingRow.Kind, missingRow.Id));

            var (reverted, revertRow) = await Send(client, HttpMethod.Post, $"/api/neighborhoods/{id}/revert", """{"toVersion":1}""", ifMatch: "2");
            Assert.Equal(HttpStatusCode.OK, reverted.StatusCode);
            Assert.Equal(("POST /api/neighborhoods/{id}/revert", id, 200), (revertRow.Action, revertRow.Id, revertRow.Status));

            // The audit's user is the revision's author: one source (the signed-in user, else X-Barrio-User).
            var revisions = await ApiFixture.JsonOf(await client.GetAsync($"/api/neighborhoods/{id}/revisions"));
            var authors = revisions.EnumerateArray().Select(r => r.GetProperty("author").GetString()!).Distinct().ToList();
            var rows = new[] { createRow, updateRow, staleRow, malformedRow, missingRow, revertRow };
            Assert.Equal(authors, rows.Select(r => r.User).Distinct().ToList());
            if (createRow.Role is null) Assert.Equal(["auditora.ruiz"], authors); // nobody signed in: the header names the author
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

    /// <summary>A refusal thrown by Core becomes a 422 in the exception handler, which forgets the route: the row keeps it.</summary>
    [SkippableFact]
    public async Task A_refusal_thrown_by_the_engine_is_kept_with_its_route_and_422()
    {
        var id = (await api.MilagroIdAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (response, row) = await Send(api.Client(), HttpMethod.Post, $"/api/neighborhoods/{id}/plans",
            """{"sectors": 4, "weights": [{"attribute": "robberies", "weight": 1}]}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal(("POST /api/neighborhoods/{id}/plans", "neighborhoods", id, 422), (row.Action, row.Kind, row.Id, row.Status));
    }

    [SkippableFact]
    public async Task A_read_leaves_no_row_and_still_gets_a_request_id()
    {
        var client = api.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/collections/neighborhoods/items");
        request.Headers.Add(AuditTrail.RequestIdHeader, "read-" + Guid.NewGuid().ToString("N"));
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await RowsOf(request.Headers.GetValues(AuditTrail.RequestIdHeader).Single()));

        // An id that is not a plain token is replaced by the service's own.
        var odd = new HttpRequestMessage(HttpMethod.Get, "/api/contingents");
        odd.Headers.TryAddWithoutValidation(AuditTrail.RequestIdHeader, "<script>");
        var answered = await client.SendAsync(odd);
        Assert.NotEqual("<script>", answered.Headers.GetValues(AuditTrail.RequestIdHeader).Single());
        Assert.NotEmpty(answered.Headers.GetValues(AuditTrail.RequestIdHeader).Single());
    }

    /// <summary>
    /// Every write route the service maps, called with an id that does not exist and an empty body: each leaves one
    /// row with its route pattern and the status it answered, so a route added later cannot escape the trail.
    /// </summary>
    [SkippableFact]
    public async Task Every_write_route_of_the_app_is_audited()
    {
        // An admin of its own: the walk calls POST /api/auth/revoke too, which must not end the fixture admin's token.
        await api.AddUserAsync("audit-walker", BarrioSeguro.Geo.Data.Accounts.Role.Admin, []);
        var client = api.ClientWithToken(await api.SignInAsync("audit-walker"));
        var writes = api.Require().Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Where(AuditTrail.IsWrite).Select(m => (Method: m, Endpoint: e)))
            .ToList();
        Assert.True(writes.Count >= 10, $"only {writes.Count} write routes found");
        foreach (var (method, endpoint) in writes)
        {
            var path = "/" + string.Join("/", endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart l => l.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart q when q.ParameterPolicies.Any(x => x.Content == "int") => "987654",
                _ => "000000",
            }))));
            var (response, row) = await Send(client, new HttpMethod(method), path, "{}");
            Assert.Equal((AuditTrail.Action(method, endpoint.RoutePattern), (int)response.StatusCode), (row.Action, row.Status));
            Assert.True((int)response.StatusCode < 500, $"{method} {path}: {(int)response.StatusCode}");
        }
    }

    [SkippableFact]
    public async Task The_trail_is_read_back_filtered_newest_first_a_page_at_a_time()
    {
        var client = api.Client();
        var id = Random.Shared.Next(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var since = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O");
        var (_, first) = await Send(client, HttpMethod.Post, $"/api/neighborhoods/{id}/revert", """{"toVersion":1}""", ifMatch: "1");
        var (_, second) = await Send(client, HttpMethod.Put, $"/api/neighborhoods/{id}", "{}", ifMatch: "1");

        var page = await ApiFixture.JsonOf(await client.GetAsync($"/api/audit?resourceKind=neighborhoods&resourceId={id}&from={Uri.EscapeDataString(since)}&limit=1"));
        var entry = Assert.Single(page.GetProperty("entries").EnumerateArray());
        Assert.Equal(second.Action, entry.GetProperty("action").GetString());
        Assert.Equal(second.Status, entry.GetProperty("status").GetInt32());
        Assert.Equal(second.User, entry.GetProperty("user").GetString());
        var next = page.GetProperty("links").EnumerateArray().Single(l => l.GetProperty("rel").GetString() == "next").GetProperty("href").GetString()!;
        Assert.Contains("offset=1", next);

        var last = await ApiFixture.JsonOf(await client.GetAsync(next));
        Assert.Equal(first.Action, Assert.Single(last.GetProperty("entries").EnumerateArray()).GetProperty("action").GetString());
        Assert.DoesNotContain(last.GetProperty("links").EnumerateArray(), l => l.GetProperty("rel").GetString() == "next");

        var byAction = await ApiFixture.JsonOf(await client.GetAsync($"/api/audit?resourceId={id}&action={Uri.EscapeDataString("PUT /api/neighborhoods/{id}")}"));
        Assert.Single(byAction.GetProperty("entries").EnumerateArray());
        var before = await ApiFixture.JsonOf(await client.GetAsync($"/api/audit?resourceId={id}&to={Uri.EscapeDataString(since)}"));
        Assert.Empty(before.GetProperty("entries").EnumerateArray());
    }

    [SkippableTheory]
    [InlineData("from=yesterday", "Invalid from")]
    [InlineData("to=2026-13-01", "Invalid to")]
    [InlineData("limit=0", "Invalid limit")]
    [InlineData("limit=1001", "Invalid limit")]
    [InlineData("offset=-1", "Invalid offset")]
    public async Task A_bad_filter_is_a_400_that_names_it(string query, string title)
    {
        var response = await api.Client().GetAsync("/api/audit?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, (await ApiFixture.JsonOf(response)).GetProperty("title").GetString());
    }
}
