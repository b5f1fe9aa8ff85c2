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

    private async Task Says(HttpMethod method, string url, HttpStatusCode status, string code, string arg, object value, string spanish, string english, string? json = null)
    {
        foreach (var (language, detail) in new[] { ("es-PE,es;q=0.9", spanish), ("en-GB", english) })
        {
            var (got, body) = await Ask(method, url, language, json);
            Assert.Equal(status, got);
            Assert.Equal(code, body.GetProperty("code").GetString());
            var given = body.GetProperty("args").GetProperty(arg);
            if (value is string text) Assert.Equal(text, given.GetString());
            else Assert.Equal(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), given.GetDouble());
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

    [SkippableFact]
    public async Task A_bad_plan_or_route_parameter_is_said_in_the_request_language_with_its_arguments()
    {
        var id = await api.MilagroIdAsync();
        await Says(HttpMethod.Post, $"/api/neighborhoods/{id}/plans", HttpStatusCode.UnprocessableEntity, "api.polish_range", "seconds", 99,
            "polishSeconds debe ser de 0 a 60 s (se dio 99 s).", "polishSeconds must be from 0 to 60 s (got 99 s).",
            """{"sectors":2,"objective":"response","polishSeconds":99}""");
        await Says(HttpMethod.Post, $"/api/neighborhoods/{id}/plans", HttpStatusCode.UnprocessableEntity, "api.barrier_not_line", "index", 0,
            "barriers[0] debe ser un LineString o MultiLineString GeoJSON (o un Feature con uno), en lon/lat.",
            "barriers[0] must be a GeoJSON LineString or MultiLineString (or a Feature of one), lon/lat.",
            """{"sectors":2,"barriers":[{"type":"Point","coordinates":[-79.05,-8.02]}]}""");
        await Says(HttpMethod.Get, "/api/plans/987654/export?layer=nope", HttpStatusCode.BadRequest, "api.unknown_layer", "layer", "nope",
            "La capa «nope» no es ninguna de sectors, blocks, routes, coverage.", "layer 'nope' is not one of sectors, blocks, routes, coverage.");
    }

    [SkippableFact]
    public async Task A_refusal_from_Core_of_the_workload_terms_is_said_in_the_request_language_with_its_arguments()
    {
        var id = await api.MilagroIdAsync();
        await Says(HttpMethod.Post, $"/api/neighborhoods/{id}/plans", HttpStatusCode.UnprocessableEntity, "workload.weight_negative", "weight", -1,
            "El peso de «incidents» es negativo (-1); los pesos deben ser 0 o más.", "The weight of 'incidents' is negative (-1); weights must be 0 or more.",
            """{"sectors":4,"weights":[{"attribute":"incidents","weight":-1}]}""");
    }
}
