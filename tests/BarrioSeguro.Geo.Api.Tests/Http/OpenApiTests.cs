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
        { "get", "/api", [200] },
        { "get", "/api/conformance", [200] },
        { "get", "/api/collections", [200] },
        { "get", "/api/collections/{name}", [200, 404] },
        { "get", "/api/collections/{name}/items", [200, 400, 404] },
        { "get", "/api/collections/{name}/items/{id}", [200, 404] },
        { "get", "/api/collections/{name}/export", [200, 400, 404] },
        { "get", "/api/neighborhoods/{id}", [200, 404] },
        { "post", "/api/neighborhoods", [201, 400, 409, 413, 422] },
        { "put", "/api/neighborhoods/{id}", [200, 400, 404, 409, 413, 422, 428] },
        { "get", "/api/neighborhoods/{id}/revisions", [200, 404] },
        { "get", "/api/neighborhoods/{id}/revisions/{version}", [200, 404] },
        { "get", "/api/neighborhoods/{id}/diff", [200, 404] },
        { "post", "/api/neighborhoods/{id}/revert", [200, 400, 404, 409, 428] },
        { "post", "/api/neighborhoods/validate", [200, 400, 413, 422] },
        { "get", "/api/neighborhoods/{id}/validation", [200, 404] },
        { "post", "/api/neighborhoods/{id}/repair", [200, 404, 409, 428] },
        { "get", "/api/neighborhoods/{id}/figures", [200, 404] },
        { "post", "/api/neighborhoods/{id}/blocks", [200, 404, 422] },
        { "get", "/api/neighborhoods/{id}/blocks", [200] },
        { "post", "/api/neighborhoods/proposals", [200, 400, 422] },
        { "post", "/api/districts/{ubigeo}/blocks", [200, 404, 422] },
        { "get", "/api/districts/{ubigeo}/blocks", [200] },
    };

    private async Task<JsonElement> Document()
    {
        var response = await api.Client().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ApiFixture.JsonOf(response);
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

        // Every error is a ProblemDetails.
        foreach (var error in operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name) >= 400))
            Assert.True(error.Value.GetProperty("content").TryGetProperty("application/problem+json", out _),
                $"{method.ToUpperInvariant()} {path} answers {error.Name} without application/problem+json.");
    }
}
