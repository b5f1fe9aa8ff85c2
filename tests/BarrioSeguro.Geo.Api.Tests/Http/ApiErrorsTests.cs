using System.Net;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>The service's error handling (ApiErrors, as Program.cs wires it) in a small host whose handlers throw.</summary>
public class ApiErrorsTests
{
    private static Task<HttpClient> Host() => ErrorHost.StartAsync(app =>
    {
        app.MapGet("/api/refuse", () => { throw new ArgumentException("A sector needs at least one block.", "sectors"); });
        app.MapGet("/api/refuse-range", () => { throw new ArgumentOutOfRangeException("minutes", 0, "Minutes must be more than 0."); });
        app.MapGet("/api/crs", () => { throw new UnknownCrsException("EPSG:9999"); });
        app.MapGet("/api/boom", () => { throw new InvalidOperationException("Secret connection string Password=hunter2"); });
        app.MapGet("/api/too-large", () => { throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge); });
        app.MapGet("/outside", () => { throw new ArgumentException("Not an API route."); });
    });

    [Fact]
    public async Task A_refusal_thrown_by_a_handler_is_a_422_ProblemDetails_with_the_reason_and_the_place()
    {
        var client = await Host();
        var response = await client.GetAsync("/api/refuse");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var body = await ApiFixture.JsonOf(response);
        Assert.Equal(422, body.GetProperty("status").GetInt32());
        Assert.Equal("A sector needs at least one block.", body.GetProperty("detail").GetString());
        Assert.Equal("sectors", body.GetProperty("parameter").GetString());
        Assert.Equal("/api/refuse", body.GetProperty("instance").GetString());
    }

    [Fact]
    public async Task Every_kind_of_argument_refusal_is_a_422_and_an_unknown_crs_a_400()
    {
        var client = await Host();
        var range = await client.GetAsync("/api/refuse-range");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, range.StatusCode);
        Assert.StartsWith("Minutes must be more than 0.", (await ApiFixture.JsonOf(range)).GetProperty("detail").GetString());

        var crs = await client.GetAsync("/api/crs");
        Assert.Equal(HttpStatusCode.BadRequest, crs.StatusCode);
        var body = await ApiFixture.JsonOf(crs);
        Assert.Contains("EPSG:9999", body.GetProperty("detail").GetString());
        Assert.Equal("crs.unknown", body.GetProperty("code").GetString());
        Assert.Equal("EPSG:9999", body.GetProperty("args").GetProperty("crs").GetString());
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_ProblemDetails_that_shows_no_internals()
    {
        var client = await Host();
        var response = await client.GetAsync("/api/boom");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(500, (await ApiFixture.JsonOf(response)).GetProperty("status").GetInt32());
        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("InvalidOperationException", text);
        Assert.DoesNotContain(" at ", text); // no stack frame
    }

    [Fact]
    public async Task A_body_over_the_limit_keeps_its_413()
    {
        var client = await Host();
        var response = await client.GetAsync("/api/too-large");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (await ApiFixture.JsonOf(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Outside_the_api_an_argument_exception_is_not_taken_for_a_refusal()
    {
        var client = await Host();
        var response = await client.GetAsync("/outside");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }
}
