using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>
/// HEAD wherever GET is (issue 14.1, RFC 9110 9.3.2): for every GET route without route parameters, and a sample of
/// ones with, HEAD answers the status and headers GET answers, the body's length, and no body.
/// </summary>
[Collection(ApiCollection.Name)]
public class HeadRequestTests(ApiFixture api)
{
    // Headers that differ between two requests of the same thing.
    private static readonly HashSet<string> PerRequest = new(StringComparer.OrdinalIgnoreCase) { "Date", "Transfer-Encoding", "Content-Length", "X-Request-ID" };

    [SkippableFact]
    public async Task Every_GET_route_without_parameters_answers_HEAD_as_GET_without_a_body()
    {
        var routes = api.Require().Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") == true && e.RoutePattern.Parameters.Count == 0)
            .Select(e => "/" + (e.RoutePattern.RawText ?? "").Trim('/'))
            .Distinct().Order().ToList();
        Assert.Contains("/api/collections", routes);
        Assert.True(routes.Count > 15, $"Only {routes.Count} GET routes without parameters: {string.Join(", ", routes)}");
        foreach (var route in routes) await AssertHeadLikeGet(route);
    }

    [SkippableTheory]
    [InlineData("/")] // the viewer's page, a static file
    [InlineData("/api/collections/streets")]
    [InlineData("/api/collections/streets/items?limit=3")]
    [InlineData("/api/collections/neighborhoods/items?limit=1")]
    [InlineData("/api/collections/nowhere")] // a 404 ProblemDetails
    [InlineData("/api/collections/streets/items?bbox=1,2")] // a 400
    [InlineData("/api/districts/150135")]
    [InlineData("/api/collections/districts/export?format=geojson")]
    [InlineData("/api/no/such/route")]
    public async Task A_parameterized_GET_answers_HEAD_as_GET(string url) => await AssertHeadLikeGet(url);

    [SkippableFact]
    public async Task A_versioned_resource_answers_HEAD_with_its_ETag_and_304_to_If_None_Match_as_GET_does()
    {
        await AssertHeadLikeGet($"/api/neighborhoods/{await api.MilagroIdAsync()}");
        using var client = api.Client();
        var contingents = await ApiFixture.JsonOf(await client.GetAsync("/api/contingents"));
        var url = $"/api/contingents/{contingents[0].GetProperty("id").GetInt32()}";
        await AssertHeadLikeGet(url);
        var tag = (await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url))).Headers.ETag;
        Assert.NotNull(tag);
        var get = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { IfNoneMatch = { tag! } } };
        var head = new HttpRequestMessage(HttpMethod.Head, url) { Headers = { IfNoneMatch = { tag! } } };
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(get)).StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(head)).StatusCode);
    }

    [SkippableFact]
    public async Task HEAD_of_a_route_without_GET_is_refused_as_GET_is()
    {
        using var client = api.Client();
        var get = await client.GetAsync("/api/auth/token");
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/auth/token"));
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, head.StatusCode);
    }

    private async Task AssertHeadLikeGet(string url)
    {
        using var client = api.Client();
        var get = await client.GetAsync(url);
        var body = await get.Content.ReadAsByteArrayAsync();
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));
        var headBody = await head.Content.ReadAsByteArrayAsync();

        Assert.True(get.StatusCode == head.StatusCode, $"{url}: GET {(int)get.StatusCode}, HEAD {(int)head.StatusCode}");
        Assert.True(headBody.Length == 0, $"{url}: HEAD sent a body of {headBody.Length} bytes");
        var getHeaders = Headers(get);
        var headHeaders = Headers(head);
        foreach (var (name, value) in getHeaders)
        {
            Assert.True(headHeaders.TryGetValue(name, out var other), $"{url}: HEAD lacks {name} ({value})");
            Assert.True(value == other, $"{url}: {name} is {value} for GET, {other} for HEAD");
        }
        Assert.True(headHeaders.Keys.All(getHeaders.ContainsKey), $"{url}: HEAD has headers GET has not: {string.Join(", ", headHeaders.Keys.Except(getHeaders.Keys))}");
        // The length of what GET sends, when HEAD gives one (RFC 9110 8.6).
        if (body.Length > 0 && get.Content.Headers.ContentLength is { } getLength) Assert.Equal(getLength, head.Content.Headers.ContentLength);
        if (body.Length > 0) Assert.True(head.Content.Headers.ContentLength == body.Length, $"{url}: HEAD's Content-Length {head.Content.Headers.ContentLength}, GET's body {body.Length} bytes");
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response) =>
        response.Headers.Concat(response.Content.Headers)
            .Where(h => !PerRequest.Contains(h.Key))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
}
