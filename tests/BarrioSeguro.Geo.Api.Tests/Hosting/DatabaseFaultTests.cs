using System.Net;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Data.Tests;
using BarrioSeguro.Geo.Data.Tests.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Hosting;

/// <summary>
/// The service on its own private PostgreSQL server (as <c>./barrio up</c> runs it, in a temp folder) while that server
/// is killed: requests answer 503 with Retry-After, the service starts the server again and answers 200, all without
/// restarting the service.
/// </summary>
public sealed class DatabaseFaultTests : IAsyncLifetime
{
    // A public base layer: readable without signing in.
    private const string DataRequest = "/api/collections/streets/items?limit=1";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2); // a bound for a broken service, not a speed claim

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "barrio-faults-" + Guid.NewGuid().ToString("N")[..8]);
    private WebApplicationFactory<Program>? _factory;

    public Task InitializeAsync()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:LocalDatabaseDirectory", _folder);
            web.UseSetting("Barrio:LoadSampleData", "false");
        });
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task Killed_private_server_gives_503_with_Retry_After_then_comes_back_by_itself()
    {
        PostgisFixture.RequireLocalServer();
        var client = _factory!.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(DataRequest)).StatusCode);
        var server = _factory.Services.GetRequiredService<DatabaseConnection>().Server!;
        var killed = Postmaster.Pid(server.DataDirectory);

        await Postmaster.KillAsync(server.DataDirectory);

        var unavailable = 0;
        var deadline = DateTime.UtcNow + Patience;
        HttpResponseMessage response;
        while (true)
        {
            response = await client.GetAsync(DataRequest);
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline) break;
            // While it is down: a 503 that says when to try again, never a bare 500.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
            Assert.NotNull(response.Headers.RetryAfter?.Delta);
            unavailable++;
            await Task.Delay(100);
        }

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"still {(int)response.StatusCode} after {unavailable} answers of 503");
        Assert.True(server.IsPostmasterAlive());
        Assert.NotEqual(killed, Postmaster.Pid(server.DataDirectory));
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        try { Directory.Delete(_folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
