using System.Net;
using System.Text;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>ProblemDetails titles in the language the request asks for (?lang=, Accept-Language), English when it asks for none.</summary>
[Collection(ApiCollection.Name)]
public class ProblemLanguageTests(ApiFixture api)
{
    private async Task<string?> TitleOf(HttpRequestMessage request)
    {
        var response = await api.Client().SendAsync(request);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await ApiFixture.JsonOf(response)).GetProperty("title").GetString();
    }

    private static HttpRequestMessage Get(string url, string? acceptLanguage = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return request;
    }

    [SkippableFact]
    public async Task A_problem_title_is_Spanish_when_asked_English_when_asked_or_not_asked()
    {
        Assert.Equal("Invalid limit", await TitleOf(Get("/api/audit?limit=0")));
        Assert.Equal("limit no válido", await TitleOf(Get("/api/audit?limit=0", "es-PE,es;q=0.9")));
        Assert.Equal("limit no válido", await TitleOf(Get("/api/audit?limit=0&lang=es", "en")));
        Assert.Equal("Invalid limit", await TitleOf(Get("/api/audit?limit=0", "en-GB")));
        Assert.Equal("No encontrado", await TitleOf(Get("/api/plans/987654", "es")));
    }

    [SkippableFact]
    public async Task A_refusal_from_Core_caught_by_the_error_handler_has_its_title_in_Spanish_too()
    {
        // An unknown CRS is thrown by IO and turned into a ProblemDetails by the service's exception handler.
        var body = """{"type":"Feature","crs":{"type":"name","properties":{"name":"EPSG:99999"}},"properties":{"name":"x"},"geometry":{"type":"Polygon","coordinates":[[[-79.06,-8.03],[-79.05,-8.03],[-79.05,-8.02],[-79.06,-8.03]]]}}""";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/neighborhoods") { Content = new StringContent(body, Encoding.UTF8, "application/geo+json") };
        request.Headers.TryAddWithoutValidation("Accept-Language", "es");
        var response = await api.Client().SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("SRC desconocido", (await ApiFixture.JsonOf(response)).GetProperty("title").GetString());
    }
}
