using System.Net;
using System.Text.Json;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>The OpenAPI document lists what each route can answer, errors included: its handler's return type says so.</summary>
[Collection(ApiCollection.Name)]
public class OpenApiTests(ApiFixture api)
{
    public static TheoryData<string, string, int[]> Routes => new()
    {
        { "get", "/api", [200, 400, 406] },
        { "get", "/api/conformance", [200, 400, 406] },
        { "get", "/api/collections", [200, 400, 406] },
        { "get", "/api/collections/{name}", [200, 400, 401, 404, 406] },
        { "get", "/api/collections/{name}/items", [200, 400, 401, 404, 406] },
        { "get", "/api/collections/{name}/items/{id}", [200, 400, 401, 404, 406] },
        { "get", "/api/collections/{name}/export", [200, 206, 304, 400, 401, 403, 404, 416] },
        { "get", "/api/neighborhoods/{id}", [200, 401, 403, 404] },
        { "post", "/api/neighborhoods", [201, 400, 401, 403, 409, 413, 415, 422] },
        { "put", "/api/neighborhoods/{id}", [200, 400, 401, 403, 404, 409, 412, 413, 415, 422, 428] },
        { "get", "/api/neighborhoods/{id}/revisions", [200, 401, 403, 404] },
        { "get", "/api/neighborhoods/{id}/revisions/{version}", [200, 401, 403, 404] },
        { "get", "/api/neighborhoods/{id}/diff", [200, 401, 403, 404] },
        { "post", "/api/neighborhoods/{id}/revert", [200, 400, 401, 403, 404, 409, 412, 413, 415, 422, 428] },
        { "post", "/api/neighborhoods/validate", [200, 400, 401, 403, 413, 415, 422] },
        { "get", "/api/neighborhoods/{id}/validation", [200, 401, 403, 404] },
        { "post", "/api/neighborhoods/{id}/repair", [200, 401, 403, 404, 409, 412, 428] },
        { "get", "/api/neighborhoods/{id}/figures", [200, 401, 403, 404] },
        { "post", "/api/neighborhoods/{id}/blocks", [200, 401, 403, 404, 422] },
        { "get", "/api/neighborhoods/{id}/blocks", [200, 401, 403] },
        { "post", "/api/neighborhoods/proposals", [200, 400, 401, 403, 422] },
        { "post", "/api/districts/{ubigeo}/blocks", [200, 401, 403, 404, 422] },
        { "get", "/api/districts/{ubigeo}/blocks", [200, 401, 403] },
        { "get", "/api/contingents", [200, 401] },
        { "get", "/api/contingents/{id}/staffing", [200, 401, 403, 404, 422] },
        { "post", "/api/neighborhoods/{id}/plans", [201, 401, 403, 404, 422, 429] },
        { "get", "/api/neighborhoods/{id}/plans", [200, 401, 403, 404] }, // 403: ?deleted=true is for admins (lifecycle)
        { "get", "/api/plans/{planId}", [200, 401, 403, 404, 409] },
        { "get", "/api/plans/{planId}/sectors", [200, 401, 403, 404] },
        { "get", "/api/plans/compare", [200, 400, 401, 403, 404, 409] },
        { "post", "/api/plans/{planId}/coverage", [201, 401, 403, 404, 409, 422, 429] },
        { "get", "/api/plans/{planId}/coverage", [200, 401, 403, 404, 409] },
        { "get", "/api/coverages/{id}/pieces", [200, 401, 403, 404] },
        { "post", "/api/plans/{planId}/routes", [201, 401, 403, 404, 409, 422, 429] },
        { "get", "/api/plans/{planId}/routes", [200, 401, 403, 404, 409, 422] },
        { "get", "/api/routes/{id}/gpx", [200, 401, 403, 404] },
        { "get", "/api/plans/{planId}/fieldkit.pdf", [200, 401, 403, 404, 409, 503] },
        { "get", "/api/audit", [200, 400, 401, 403] },
        { "post", "/api/contingents", [201, 400, 401, 403, 413, 415, 422] },
        { "get", "/api/contingents/{id}", [200, 304, 401, 403, 404] },
        { "put", "/api/contingents/{id}", [200, 400, 401, 403, 404, 412, 413, 415, 422, 428] },
        { "patch", "/api/stations/{id}", [200, 400, 401, 403, 404, 412, 413, 415, 422, 428] },
        { "delete", "/api/hotspots/{id}", [204, 401, 403, 404, 412, 428] },
        { "post", "/api/incidents/import", [200, 400, 401, 403, 413, 415, 422] },
    };

    // One service serves the whole collection: its document is read once.
    private static JsonElement? _document;

    private async Task<JsonElement> Document()
    {
        if (_document is { } d) return d;
        var response = await api.Client().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (_document = await ApiFixture.JsonOf(response)).Value;
    }

    [SkippableTheory]
    [MemberData(nameof(Routes))]
    public async Task A_route_lists_its_success_and_every_error_it_can_answer(string method, string path, int[] statuses)
    {
        var doc = await Document();
        Assert.True(doc.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the OpenAPI document.");
        Assert.True(item.TryGetProperty(method, out var operation), $"{method.ToUpperInvariant()} {path} is not in the OpenAPI document.");
        var listed = operation.GetProperty("responses").EnumerateObject().Select(r => int.Parse(r.Name)).ToHashSet();
        Assert.Equal(statuses.Order(), listed.Order());

        // Every error is a ProblemDetails (but 416: ASP.NET Core's range processing sends Content-Range and no body).
        foreach (var error in operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name) >= 400 && r.Name != "416"))
            Assert.True(error.Value.GetProperty("content").TryGetProperty("application/problem+json", out _),
                $"{method.ToUpperInvariant()} {path} answers {error.Name} without application/problem+json.");
    }

    [SkippableTheory]
    [InlineData("put", "/api/neighborhoods/{id}")]
    [InlineData("post", "/api/neighborhoods")]
    [InlineData("post", "/api/neighborhoods/{id}/revert")]
    [InlineData("post", "/api/neighborhoods/{id}/repair")]
    [InlineData("post", "/api/neighborhoods/{id}/plans")]
    public async Task A_route_that_edits_lists_the_If_Match_and_author_headers(string method, string path)
    {
        var operation = (await Document()).GetProperty("paths").GetProperty(path).GetProperty(method);
        var headers = operation.GetProperty("parameters").EnumerateArray()
            .Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("If-Match", headers);
        Assert.Contains("X-Barrio-User", headers);
    }

    [SkippableFact]
    public async Task The_export_lists_its_warning_headers()
    {
        var headers = (await Document()).GetProperty("paths").GetProperty("/api/collections/{name}/export").GetProperty("get")
            .GetProperty("responses").GetProperty("200").GetProperty("headers");
        Assert.Contains("percent-encoded", headers.GetProperty("X-Barrio-Warning").GetProperty("description").GetString());
        Assert.True(headers.TryGetProperty("X-Barrio-Warning-Count", out _));
    }

    [Fact]
    public void A_warning_header_is_ASCII_and_decodes_back_to_the_warning()
    {
        const string warning = "descripción of feature #3 (id 9) cut from 300 to 254 bytes; 100% “whole” €";
        var header = BarrioSeguro.Geo.Api.Http.WarningHeaders.Encode(warning);
        Assert.All(header, c => Assert.InRange(c, ' ', '~'));
        Assert.StartsWith("descripci%C3%B3n of feature #3 (id 9) cut", header);
        Assert.Equal(warning, Uri.UnescapeDataString(header));
        Assert.Equal("a b", Uri.UnescapeDataString(BarrioSeguro.Geo.Api.Http.WarningHeaders.Encode("a\nb")));
    }

    [SkippableFact]
    public async Task GeoJSON_answers_are_described_as_GeoJSON_not_as_NetTopologySuite_classes()
    {
        var doc = await Document();
        var ok = doc.GetProperty("paths").GetProperty("/api/neighborhoods/{id}").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.True(ok.GetProperty("content").TryGetProperty("application/geo+json", out _));
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        Assert.False(schemas.TryGetProperty("GeometryFactory", out _));
        Assert.False(schemas.TryGetProperty("CoordinateSequence", out _));
    }
}
