using System.Net;
using System.Text.Json;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>
/// The service's own refusals (not found, a bad parameter) carry a note: code and args, and a detail in the request's
/// language, so no English reaches the Spanish viewer.
/// </summary>
[Collection(ApiCollection.Name)]
public class ProblemNoteTests(ApiFixture api)
{
    private async Task<(HttpStatusCode Status, JsonElement Body)> Ask(HttpMethod method, string url, string language, string? json = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.TryAddWithoutValidation("Accept-Language", language);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await api.Client().SendAsync(request);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, await ApiFixture.JsonOf(response));
    }

    private async Task Says(HttpMethod method, string url, HttpStatusCode status, string code, string arg, double value, string spanish, string english, string? json = null)
    {
        foreach (var (language, detail) in new[] { ("es-PE,es;q=0.9", spanish), ("en-GB", english) })
        {
            var (got, body) = await Ask(method, url, language, json);
            Assert.Equal(status, got);
            Assert.Equal(code, body.GetProperty("code").GetString());
            Assert.Equal(value, body.GetProperty("args").GetProperty(arg).GetDouble());
            Assert.Equal(detail, body.GetProperty("detail").GetString());
        }
    }

    [SkippableFact]
    public async Task A_plan_or_a_neighbourhood_that_does_not_exist_is_said_in_the_request_language()
    {
        await Says(HttpMethod.Get, "/api/plans/987654", HttpStatusCode.NotFound, "api.no_plan", "plan", 987654,
            "No existe el plan 987654.", "No plan 987654.");
        await Says(HttpMethod.Get, "/api/neighborhoods/987654/revisions", HttpStatusCode.NotFound, "api.no_neighborhood", "id", 987654,
            "No existe el barrio 987654.", "No neighbourhood 987654.");
    }
}
