using System.Net;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>
/// The service's statement timeout: a second service over the fixture's database with a limit of 1 s, and a test-only
/// route (added after the service's own pipeline, inside its error handling) that runs pg_sleep(30) through the
/// service's DbContext. PostgreSQL cancels it; the answer is a 503 naming the limit, never a 500.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class QueryTimeoutTests(ApiFixture api) : IAsyncLifetime
{
    private const string SlowPath = "/api/test-only/slow-query";
    private WebApplicationFactory<Program>? _service;

    private sealed class SlowQueryRoute : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Map(SlowPath, slow => slow.Run(async http =>
            {
                var db = http.RequestServices.GetRequiredService<BarrioDbContext>();
                await db.Database.ExecuteSqlRawAsync("SELECT pg_sleep(30)");
                http.Response.StatusCode = StatusCodes.Status200OK;
            }));
        };
    }

    public Task InitializeAsync()
    {
        if (!api.Postgis.Available) return Task.CompletedTask;
        _service = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:ConnectionString", api.ConnectionString);
            web.UseSetting("Barrio:LoadSampleData", "false");
            web.UseSetting("Barrio:StatementTimeoutSeconds", "1");
            web.ConfigureServices(s => s.AddTransient<IStartupFilter, SlowQueryRoute>());
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_service is not null) await _service.DisposeAsync();
    }

    [SkippableFact]
    public async Task A_query_over_the_statement_timeout_answers_503_naming_the_limit_and_the_service_goes_on()
    {
        api.Require();
        var client = _service!.CreateClient();
        var response = await client.GetAsync(SlowPath);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        var problem = await ApiFixture.JsonOf(response);
        Assert.Equal("Query too long", problem.GetProperty("title").GetString());
        Assert.Contains("1 s (Barrio:StatementTimeoutSeconds)", problem.GetProperty("detail").GetString());
        Assert.Equal("at most 1 s per database statement", problem.GetProperty("limit").GetString());
        Assert.DoesNotContain("pg_sleep", await response.Content.ReadAsStringAsync());

        // Ordinary requests still answer on the same pool.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/collections/streets/items?limit=1")).StatusCode);
    }

    [Fact]
    public void The_timeout_rides_on_every_connection_of_the_service_and_the_client_waits_longer_than_the_server()
    {
        var cs = new NpgsqlConnectionStringBuilder(DatabaseConnection.WithStatementTimeout("Host=x;Options=-c search_path=public", 5));
        Assert.Equal("-c search_path=public -c statement_timeout=5000", cs.Options);
        Assert.True(cs.CommandTimeout > 5);
        Assert.Equal("Host=x", DatabaseConnection.WithStatementTimeout("Host=x", 0));
    }
}
