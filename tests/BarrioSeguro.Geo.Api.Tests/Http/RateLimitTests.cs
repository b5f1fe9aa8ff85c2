using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>
/// The rate limits, on a second service over the fixture's database with small limits (and a window of a day, so
/// no window ends during the test and no assertion depends on how fast it runs; xunit makes one per test): the call over the limit is a 429 ProblemDetails that names it, with Retry-After.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RateLimitTests(ApiFixture api) : IAsyncLifetime
{
    private static readonly TimeSpan Window = TimeSpan.FromDays(1);

    private WebApplicationFactory<Program>? _limited;

    public Task InitializeAsync()
    {
        if (!api.Postgis.Available) return Task.CompletedTask;
        _limited = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:ConnectionString", api.ConnectionString);
            web.UseSetting("Barrio:LoadSampleData", "false");
            web.UseSetting("Barrio:Limits:PlansPerWindow", "2");
            web.UseSetting("Barrio:Limits:RoutesPerWindow", "1");
            web.UseSetting("Barrio:Limits:CoveragePerWindow", "1");
            web.UseSetting("Barrio:Limits:SignInsPerWindow", "3");
            web.UseSetting("Barrio:Limits:Window", Window.ToString());
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_limited is not null) await _limited.DisposeAsync();
    }

    private async Task<HttpClient> SignedIn(string name)
    {
        var client = _limited!.CreateClient();
        var token = await ApiFixture.JsonOf(await client.PostAsJsonAsync("/api/auth/token", new { username = name, password = ApiFixture.Password }));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("access_token").GetString());
        return client;
    }

    // A body the endpoint refuses at once (400): the limit counts calls, so nothing need be computed to reach it.
    private static Task<HttpResponseMessage> Post(HttpClient client, string url) =>
        client.PostAsync(url, new StringContent("{", Encoding.UTF8, "application/json"));

    private static async Task AssertRefused(HttpResponseMessage response, string named, string spanish)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        // Retry-After is a positive whole number of seconds (its value depends on the clock, so only its form is
        // checked), and the detail names the same number: both come from one refusal.
        var header = Assert.Single(response.Headers.GetValues("Retry-After"));
        Assert.Matches("^[1-9][0-9]*$", header); // delta-seconds (RFC 9110), never an HTTP date or a fraction
        var problem = await ApiFixture.JsonOf(response);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        // The detail is said in the request's language (Spanish by default); "limit" stays English for scripts.
        var wait = long.Parse(header, System.Globalization.CultureInfo.InvariantCulture).ToString("#,0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"Rechazado: como máximo {spanish} cada 1,440 min. Intente de nuevo en {wait} s.",
            problem.GetProperty("detail").GetString());
        Assert.Equal(named, problem.GetProperty("limit").GetString());
    }

    [SkippableFact]
    public async Task Plan_route_and_coverage_computations_are_limited_per_user()
    {
        api.Require();
        var milagro = await api.MilagroIdAsync();
        var chief = $"chief-limits-{Guid.NewGuid().ToString("N")[..6]}";
        var other = $"chief-limits-{Guid.NewGuid().ToString("N")[..6]}";
        await api.AddUserAsync(chief, Role.Chief, []);
        await api.AddUserAsync(other, Role.Chief, []);
        var client = await SignedIn(chief);
        var plans = $"/api/neighborhoods/{milagro}/plans";

        Assert.Equal(HttpStatusCode.BadRequest, (await Post(client, plans)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(client, plans)).StatusCode);
        await AssertRefused(await Post(client, plans), "at most 2 sector plan computations per 1440 minutes per user", "2 cálculos de planes de sectores por usuario");
        // Routes and coverage have limits of their own.
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(client, "/api/plans/1/routes")).StatusCode);
        await AssertRefused(await Post(client, "/api/plans/1/routes"), "at most 1 patrol route computations per 1440 minutes per user", "1 cálculos de rutas de patrullaje por usuario");
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(client, "/api/plans/1/coverage")).StatusCode);
        await AssertRefused(await Post(client, "/api/plans/1/coverage"), "at most 1 coverage computations per 1440 minutes per user", "1 cálculos de cobertura por usuario");

        // Another user has its own allowance; reads are not limited.
        var second = await SignedIn(other);
        Assert.Equal(HttpStatusCode.BadRequest, (await Post(second, plans)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(plans)).StatusCode);
    }

    [SkippableFact]
    public async Task Sign_in_attempts_are_limited_per_client_address_and_the_refusal_is_audited()
    {
        api.Require();
        var client = _limited!.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last;
        do
        {
            last = await client.PostAsJsonAsync("/api/auth/token", new { username = "nobody-limits", password = "wrong password" });
            statuses.Add(last.StatusCode);
        } while (last.StatusCode != HttpStatusCode.TooManyRequests && statuses.Count < 10);
        // Each test has a service of its own: three attempts, then the refusal.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        await AssertRefused(last, "at most 3 sign-in attempts per 1440 minutes per client address", "3 intentos de ingreso por dirección de cliente");
        var english = await ApiFixture.JsonOf(await client.PostAsJsonAsync("/api/auth/token?lang=en", new { username = "nobody-limits", password = "x" }));
        Assert.StartsWith("Refused: at most 3 sign-in attempts per client address every 1,440 min. Try again in ", english.GetProperty("detail").GetString());
        // Even the right password waits.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsJsonAsync("/api/auth/token", new { username = ApiFixture.AdminName, password = ApiFixture.Password })).StatusCode);

        var audit = await ApiFixture.JsonOf(await api.Client().GetAsync("/api/audit?action=" + Uri.EscapeDataString("POST /api/auth/token") + "&limit=20"));
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("status").GetInt32() == 429);
    }
}
