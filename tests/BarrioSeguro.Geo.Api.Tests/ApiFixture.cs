using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Data.Accounts;
using BarrioSeguro.Geo.Data.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests;

/// <summary>
/// The service as users run it: a real PostGIS database with the sample data loaded, served by Kestrel on a free
/// loopback port (so a real browser can reach it). One instance serves every test class of the "api" collection.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public PostgisFixture Postgis { get; } = new();
    public WebApplicationFactory<Program>? Factory { get; private set; }
    public string ConnectionString { get; private set; } = "";

    public static string RepositoryRoot { get; } = FindRoot();
    public static string GeodataPath => Path.Combine(RepositoryRoot, "geodata");

    public async Task InitializeAsync()
    {
        await Postgis.InitializeAsync();
        if (!Postgis.Available) return;
        ConnectionString = await Postgis.CreateDatabaseAsync("api");
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:ConnectionString", ConnectionString);
            web.UseSetting("Barrio:LoadSampleData", "true");
            web.UseSetting("Barrio:SampleDataPath", GeodataPath);
            web.UseSetting("Barrio:MaxUploadBytes", (1024 * 1024).ToString());
            // Every test signs in and computes from one address and few users: the limits are RateLimitTests' to check.
            foreach (var limit in new[] { "PlansPerWindow", "RoutesPerWindow", "CoveragePerWindow", "SignInsPerWindow" })
                web.UseSetting($"Barrio:Limits:{limit}", "100000");
            // A free loopback port chosen by the system: test runs in parallel never fight over 5000.
            web.UseSetting("urls", "http://127.0.0.1:0");
        });
        factory.UseKestrel();
        factory.StartServer();
        Factory = factory;
        await AddUserAsync(AdminName, Role.Admin, []);
        _tokens[AdminName] = new Lazy<Task<(string, DateTime)>>(Task.FromResult((await SignInAsync(AdminName), DateTime.UtcNow)));
    }

    /// <summary>A full run outlasts a token (60 min): one older than this is replaced by a fresh sign-in.</summary>
    private static readonly TimeSpan TokenReuse = TimeSpan.FromMinutes(30);

    /// <summary>The admin of the fixture's database, whom <see cref="Client"/> signs in as.</summary>
    public const string AdminName = "admin";

    /// <summary>The password of every user the fixture creates.</summary>
    public const string Password = "fixture-password-1";

    private readonly ConcurrentDictionary<string, Lazy<Task<(string Token, DateTime At)>>> _tokens = new(StringComparer.Ordinal);

    /// <summary>The kept token of a fixture user, signed in again once it is older than <see cref="TokenReuse"/>;
    /// <paramref name="create"/> makes the user the first time.</summary>
    private async Task<string> TokenOf(string name, Func<Task>? create = null)
    {
        var kept = _tokens.GetOrAdd(name, n => new Lazy<Task<(string, DateTime)>>(async () =>
        {
            if (create is not null) await create();
            return (await SignInAsync(n), DateTime.UtcNow);
        }));
        var (token, at) = await kept.Value;
        if (DateTime.UtcNow - at < TokenReuse) return token;
        var fresh = new Lazy<Task<(string, DateTime)>>(async () => (await SignInAsync(name), DateTime.UtcNow));
        _tokens.TryUpdate(name, fresh, kept);
        return (await _tokens[name].Value).Token;
    }

    /// <summary>Creates a user in the fixture's database (password <see cref="Password"/>).</summary>
    public async Task<UserAccount> AddUserAsync(string name, Role role, IReadOnlyCollection<string> districts)
    {
        await using var scope = Factory!.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountStore>().AddAsync(name, Password, role, districts);
    }

    /// <summary>A token from the real POST /api/auth/token.</summary>
    public async Task<string> SignInAsync(string name, string password = Password)
    {
        using var anonymous = AnonymousClient();
        var response = await anonymous.PostAsJsonAsync("/api/auth/token", new { username = name, password });
        response.EnsureSuccessStatusCode();
        return (await JsonOf(response)).GetProperty("access_token").GetString()!;
    }

    /// <summary>A token of an existing user that expired a minute ago, signed with the service's key.</summary>
    public async Task<string> ExpiredTokenAsync(string name)
    {
        await using var scope = Factory!.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<AccountStore>().FindAsync(name);
        return scope.ServiceProvider.GetRequiredService<TokenIssuer>().Issue(user!, TimeSpan.FromMinutes(-1));
    }

    /// <summary>A client that sends the token as Authorization: Bearer.</summary>
    public HttpClient ClientWithToken(string token)
    {
        var client = NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client signed in with a role over some districts (none: all of Peru); one user per role and districts.</summary>
    public async Task<HttpClient> ClientAs(Role role, params string[] districts)
    {
        var name = $"{role.ToString().ToLowerInvariant()}{(districts.Length == 0 ? "" : "-" + string.Join("-", districts))}";
        return ClientWithToken(await TokenOf(name, () => AddUserAsync(name, role, districts)));
    }

    /// <summary>A client that sends no credentials.</summary>
    public HttpClient AnonymousClient() => NewClient();

    // HttpClient's default 100 s is shorter than a route or field-kit request takes on a loaded 2-core CI machine;
    // a test waits for the answer rather than failing on the machine's speed.
    private HttpClient NewClient()
    {
        var client = Require().CreateClient();
        client.Timeout = TimeSpan.FromMinutes(10);
        return client;
    }

    /// <summary>Skips the calling test when PostGIS is missing (never in CI, where the fixture fails instead).</summary>
    public WebApplicationFactory<Program> Require()
    {
        Postgis.RequireDatabase();
        return Factory!;
    }

    /// <summary>An HTTP client for the running service, signed in as the admin.</summary>
    public HttpClient Client()
    {
        Require();
        // Off the test's synchronisation context: a sign-in again (every half hour) must not wait on a busy one.
        return ClientWithToken(Task.Run(() => TokenOf(AdminName)).GetAwaiter().GetResult());
    }

    /// <summary>The id of the sample neighbourhood, El Milagro.</summary>
    public async Task<int> MilagroIdAsync()
    {
        var all = await JsonOf(await Client().GetAsync("/api/collections/neighborhoods/items"));
        return all.GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("properties").GetProperty("name").GetString() == "El Milagro")
            .GetProperty("properties").GetProperty("id").GetInt32();
    }

    /// <summary>The body of a response as JSON.</summary>
    public static async Task<JsonElement> JsonOf(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    /// <summary>The base address of the running service, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress => AnonymousClient().BaseAddress!;

    /// <summary>A GET as the admin that must succeed, its body as JSON.</summary>
    public async Task<JsonNode> PageAsync(string url)
    {
        using var response = await Client().GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>SQL run on a connection of the test's own, outside the service (as psql or the command line would).</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Waits for something a database notice brings (it comes a moment after the commit): up to 30 s, then fails. Not
    /// timed: only a notice that never comes fails it.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> done, string failure)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await done()) return;
            await Task.Delay(100);
        }
        Assert.Fail(failure);
    }

    public async Task DisposeAsync()
    {
        if (Factory is not null) await Factory.DisposeAsync();
        await Postgis.DisposeAsync();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) return dir.FullName;
        throw new InvalidOperationException("BarrioSeguro.Geo.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
