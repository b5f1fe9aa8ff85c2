using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// The service as the benchmarks that send it requests start it (coverage, overview, load, tiles): the API in this process on
/// a port the system chooses on loopback (Kestrel on 127.0.0.1:0), its content root the repository's API folder
/// (appsettings.json, wwwroot), no logging (the report is the output; a 5xx is counted, not logged), and a client to
/// it, signed in with <see cref="SignInAsync"/> as an admin account made for the run, disabled when the service is
/// disposed (its audit rows stay), or with a token given (<see cref="UseToken"/>).
/// </summary>
public sealed class BenchService : IAsyncDisposable
{
    private string? _account;

    private BenchService(WebApplicationFactory<global::Program> factory, HttpClient client) => (Factory, Client) = (factory, client);

    public WebApplicationFactory<global::Program> Factory { get; }

    public IServiceProvider Services => Factory.Services;

    /// <summary>A client of the service, at its address.</summary>
    public HttpClient Client { get; }

    public Uri Address => Client.BaseAddress!;

    /// <summary>The admin account made for the run, or null when signed in with a token given.</summary>
    public string? Account => _account;

    /// <param name="connectionString">The service's database.</param>
    /// <param name="timeout">How long the client waits for an answer.</param>
    /// <param name="sampleData">The geodata/ folder whose sample the service loads at its start; null: none loaded.</param>
    /// <param name="unlimited">Limits (Barrio:Limits:NAME) the benchmark's requests would exceed, set out of reach.</param>
    /// <param name="connections">The client's connections at most (a load's concurrency). Default: no limit.</param>
    public static async Task<BenchService> StartAsync(string connectionString, TimeSpan timeout, string? sampleData = null,
        IReadOnlyList<string>? unlimited = null, int connections = int.MaxValue)
    {
        var factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:ConnectionString", connectionString);
            web.UseSetting("Barrio:LoadSampleData", sampleData is null ? "false" : "true");
            if (sampleData is not null) web.UseSetting("Barrio:SampleDataPath", sampleData);
            foreach (var limit in unlimited ?? Array.Empty<string>()) web.UseSetting($"Barrio:Limits:{limit}", "100000");
            web.UseSetting("urls", "http://127.0.0.1:0"); // loopback only, a port the system chooses
            web.UseContentRoot(ApiFolder());
            web.ConfigureLogging(l => l.ClearProviders());
        });
        try
        {
            factory.UseKestrel();
            factory.StartServer();
            var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            if (!IPAddress.IsLoopback(IPAddress.Parse(address.Host))) throw new CommandFailedException($"the service is not on loopback: {address}");
            var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
            return new BenchService(factory, new HttpClient(handler) { BaseAddress = address, Timeout = timeout });
        }
        catch
        {
            await factory.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs the client in as an admin account made for this run and named after the benchmark.</summary>
    public async Task SignInAsync(string benchmark, CancellationToken ct)
    {
        var user = $"bench-{benchmark}-{Guid.NewGuid():N}"[..24];
        var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
        await using (var scope = Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<AccountStore>().AddAsync(user, password, Role.Admin, [], ct);
        _account = user;
        using var signIn = await Client.PostAsJsonAsync("/api/auth/token", new { username = user, password }, ct);
        if (!signIn.IsSuccessStatusCode) throw new CommandFailedException($"the benchmark could not sign in: {(int)signIn.StatusCode}");
        using var answer = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync(ct));
        UseToken(answer.RootElement.GetProperty("access_token").GetString()!);
    }

    /// <summary>Signs the client in with a bearer token given.</summary>
    public void UseToken(string token) => Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

    /// <summary>The repository's src/BarrioSeguro.Geo.Api, beside geodata/; else the program's folder.</summary>
    private static string ApiFolder()
    {
        var api = BenchTiming.Geodata("sample/el_milagro_barrio_seguro_illustrative.geojson") is { } sample
            ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(sample)!, "..", "..", "src", "BarrioSeguro.Geo.Api")) : null;
        return api is not null && Directory.Exists(api) ? api : AppContext.BaseDirectory;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_account is not null)
            {
                await using var scope = Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AccountStore>().DisableAsync(_account, CancellationToken.None);
            }
        }
        finally
        {
            Client.Dispose();
            await Factory.DisposeAsync();
        }
    }
}
