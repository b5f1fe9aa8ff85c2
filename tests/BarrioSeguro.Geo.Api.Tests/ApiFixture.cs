using System.Text.Json;
using BarrioSeguro.Geo.Data.Tests;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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
            // A free loopback port chosen by the system: test runs in parallel never fight over 5000.
            web.UseSetting("urls", "http://127.0.0.1:0");
        });
        factory.UseKestrel();
        factory.StartServer();
        Factory = factory;
    }

    /// <summary>Skips the calling test when PostGIS is missing (never in CI, where the fixture fails instead).</summary>
    public WebApplicationFactory<Program> Require()
    {
        Postgis.RequireDatabase();
        return Factory!;
    }

    /// <summary>An HTTP client for the running service.</summary>
    public HttpClient Client() => Require().CreateClient();

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
    public Uri BaseAddress => Client().BaseAddress!;

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
