using System.Collections.Concurrent;
using System.Text;
using BarrioSeguro.Geo.Data.Hosting;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests;

/// <summary>
/// One PostGIS server for all database tests of a test assembly (an xunit collection fixture).
/// <list type="bullet">
/// <item>Env <c>BARRIO_TEST_DB</c> set: that connection string is used (PostGIS is created there if missing).</item>
/// <item>Otherwise a throwaway <see cref="LocalPostgisServer"/> with PostGIS and pgRouting is started.</item>
/// <item>PostGIS not installed: with env <c>CI=true</c> initialisation fails with the reason; elsewhere
/// <see cref="Available"/> is false and tests calling <see cref="RequireDatabase"/> are skipped.</item>
/// </list>
/// Tests should not share data: each test class (or test) calls <see cref="CreateDatabaseAsync"/> for a fresh database.
/// </summary>
/// <remarks>xunit 2 only sees collection definitions in the test's own assembly: another test project declares
/// <c>[CollectionDefinition(PostgisCollection.Name)] public sealed class X : ICollectionFixture&lt;PostgisFixture&gt;;</c>.</remarks>
public sealed class PostgisFixture : IAsyncLifetime
{
    public const string TestDatabaseVariable = "BARRIO_TEST_DB";

    private readonly ConcurrentBag<string> _createdDatabases = [];
    private LocalPostgisServer? _server;
    private string? _connectionString;
    private string? _template;
    private bool _external;

    /// <summary>True when a PostGIS database can be used.</summary>
    public bool Available { get; private set; }

    /// <summary>Why <see cref="Available"/> is false (names the package to install).</summary>
    public string UnavailableReason { get; private set; } = "";

    /// <summary>Whether pgRouting is installed in the databases from <see cref="CreateDatabaseAsync"/>.</summary>
    public bool HasPgRouting { get; private set; }

    /// <summary>The local server, or null when <c>BARRIO_TEST_DB</c> is used.</summary>
    public LocalPostgisServer? Server => _server;

    /// <summary>Connection string of the fixture's own database. Prefer <see cref="CreateDatabaseAsync"/> for test data.</summary>
    public string ConnectionString =>
        _connectionString ?? throw new InvalidOperationException($"No PostGIS database: {UnavailableReason}");

    /// <summary>True when env CI is "true": missing PostGIS is then a failure, not a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(TestDatabaseVariable);
        try
        {
            if (!string.IsNullOrWhiteSpace(external))
            {
                // A connection string someone set on purpose: connection errors are failures, everywhere.
                _external = true;
                await PostgisDatabase.EnsureExtensionsAsync(external, ["postgis"]);
                _connectionString = external;
            }
            else
            {
                _server = await LocalPostgisServer.StartAsync(new LocalPostgisOptions
                {
                    Throwaway = true,
                    Database = "barrio_test",
                    Extensions = ["postgis", "pgrouting"],
                });
                _connectionString = _server.AdminConnectionString; // tests create databases: the superuser
            }
        }
        catch (PostgisUnavailableException e) when (!IsCi)
        {
            UnavailableReason = "PostGIS is not available, database tests are skipped (they fail when CI=true). " + e.Message;
            return;
        }
        catch (PostgisUnavailableException e)
        {
            throw new InvalidOperationException("CI=true and PostGIS is not available: " + e.Message, e);
        }

        // Fresh databases are copies of a template that already has the extensions: faster than CREATE EXTENSION each time.
        _template = "barrio_tpl_" + Guid.NewGuid().ToString("N")[..12];
        await PostgisDatabase.EnsureDatabaseAsync(Admin(), _template);
        var templateConnection = PostgisDatabase.WithDatabase(Admin(), _template);
        await PostgisDatabase.EnsureExtensionsAsync(templateConnection, ["postgis"]);
        try
        {
            await PostgisDatabase.EnsureExtensionsAsync(templateConnection, ["pgrouting"]);
            HasPgRouting = true;
        }
        catch (PostgisUnavailableException) when (_external)
        {
            HasPgRouting = false; // an external server without pgRouting: routing tests check HasPgRouting
        }
        Available = true;
    }

    /// <summary>Skips the calling <c>[SkippableFact]</c> when no PostGIS database is available.</summary>
    public void RequireDatabase() => Skip.If(!Available, UnavailableReason);

    /// <summary>
    /// Creates a fresh database with PostGIS (and pgRouting when <see cref="HasPgRouting"/>) named
    /// <c>&lt;prefix&gt;_&lt;random&gt;</c> and returns its connection string. Skips the test when PostGIS is unavailable.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken ct = default)
    {
        RequireDatabase();
        var name = SafePrefix(prefix) + "_" + Guid.NewGuid().ToString("N")[..12];
        await PostgisDatabase.EnsureDatabaseAsync(Admin(), name, _template, ct);
        _createdDatabases.Add(name);
        return PostgisDatabase.WithDatabase(ConnectionString, name);
    }

    /// <summary>
    /// For tests of the local server itself: skips when PostgreSQL/PostGIS binaries are missing, fails when CI=true.
    /// </summary>
    public static void RequireLocalServer(params string[] extensions)
    {
        var report = PostgisPrerequisites.Check(extensions.Length == 0 ? ["postgis"] : extensions);
        if (!report.IsSatisfied && IsCi)
        {
            throw new InvalidOperationException("CI=true and a local PostGIS server cannot run: " + report.Message);
        }
        Skip.If(!report.IsSatisfied, report.Message);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync(); // the whole throwaway folder goes, databases included
            return;
        }
        if (!_external || _connectionString is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(PostgisDatabase.WithDatabase(Admin(), "postgres"));
        await connection.OpenAsync();
        foreach (var name in _createdDatabases.Append(_template).OfType<string>())
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private string Admin() => new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString;

    private static string SafePrefix(string prefix)
    {
        var safe = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
        {
            safe.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' ? c : '_');
        }
        if (safe.Length == 0 || char.IsDigit(safe[0]))
        {
            safe.Insert(0, 't');
        }
        return safe.ToString()[..Math.Min(safe.Length, 40)];
    }
}

/// <summary>The "postgis" test collection: every class marked <c>[Collection(PostgisCollection.Name)]</c> shares one
/// <see cref="PostgisFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgisCollection : ICollectionFixture<PostgisFixture>
{
    public const string Name = "postgis";
}
