using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BarrioSeguro.Geo.Api.Hosting;

/// <summary>
/// The connection string the service uses: the configured one, or that of a private PostGIS server started in
/// Barrio:LocalDatabaseDirectory. The private server stops when the service stops (Ctrl-C, SIGTERM): it is a singleton,
/// disposed with the host. A server already running there is used and adopted: the one a crashed service left behind
/// (stopped with this service), or one a command line started (left to it while it still runs).
/// The service's pool leaves connections for the command line and an administrator: on the private server it holds at
/// most <see cref="LocalPostgisServer.ServicePoolSize"/>; on an external database at most
/// <see cref="ExternalPoolSize"/> unless its connection string sets Maximum Pool Size itself.
/// </summary>
public sealed class DatabaseConnection(IOptions<BarrioOptions> options) : IAsyncDisposable
{
    /// <summary>The pool cap on an external database (BARRIO_DB) whose connection string names none: a fifth of
    /// PostgreSQL's default max_connections (100).</summary>
    public const int ExternalPoolSize = 20;

    private LocalPostgisServer? _server;
    private ServiceLock? _lock;
    private string? _value = options.Value.ConnectionString is { } external
        ? WithStatementTimeout(CapPool(external, ExternalPoolSize), options.Value.StatementTimeoutSeconds)
        : null;

    /// <summary>The private server, once started; null for an external database.</summary>
    public LocalPostgisServer? Server => _server;

    public string Value => _value ?? throw new InvalidOperationException("The database has not been started yet.");

    /// <summary>
    /// Starts (or adopts) the private server, unless an external database is configured. The folder above the data
    /// folder (<c>.barrio/</c>) is taken first (<see cref="ServiceLock"/>): a second service on it is refused before it
    /// touches the first one's server.
    /// </summary>
    /// <param name="url">Where this service will answer, for the refusal a second one prints.</param>
    /// <exception cref="ServiceAlreadyRunningException">another service serves this folder.</exception>
    public async Task StartAsync(string url, CancellationToken ct)
    {
        if (_value is not null) return;
        var folder = Path.GetFullPath(options.Value.LocalDatabaseDirectory!);
        _lock = ServiceLock.Acquire(Path.GetDirectoryName(folder) ?? folder, url);
        _server = await LocalPostgisServer.StartAsync(new LocalPostgisOptions { DataDirectory = folder, Database = "barrio", Adopt = true }, ct);
        _value = WithStatementTimeout(
            new NpgsqlConnectionStringBuilder(_server.ConnectionString) { MaxPoolSize = LocalPostgisServer.ServicePoolSize }.ConnectionString,
            options.Value.StatementTimeoutSeconds);
    }

    /// <summary>
    /// The connection string with PostgreSQL's statement_timeout set for every session (Options=-c ...), and a client
    /// command timeout a little longer, so that the server cancels a long query first and says why (SQLSTATE 57014).
    /// </summary>
    public static string WithStatementTimeout(string connectionString, int seconds)
    {
        if (seconds <= 0) return connectionString;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var setting = $"-c statement_timeout={seconds * 1000}";
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? setting : builder.Options + " " + setting;
        if (builder.CommandTimeout is > 0 && builder.CommandTimeout <= seconds) builder.CommandTimeout = seconds + 10;
        return builder.ConnectionString;
    }

    /// <summary>The connection string with Maximum Pool Size set to <paramref name="size"/>, unless it sets one.</summary>
    public static string CapPool(string connectionString, int size)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var named = given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant() is "maxpoolsize" or "maximumpoolsize");
        return named ? connectionString : new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = size }.ConnectionString;
    }

    /// <summary>Records where the service answers, once it listens.</summary>
    public void ServedAt(string url) => _lock?.Update(url);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_server is not null) await _server.DisposeAsync();
        }
        finally
        {
            _lock?.Dispose();
        }
    }
}

/// <summary>What the start found in the database, for what runs after it.</summary>
/// <param name="HasUsers">Whether any account exists (no first admin to create).</param>
public sealed record DatabaseState(bool HasUsers);

/// <summary>
/// Gets the database ready before the service listens: private server, migrations, sample data. A warm start asks
/// over plain Npgsql only (one SELECT for the migrations, one for the pool budget, one for the sample data and the
/// accounts) and builds no EF Core model: that is done after the service is ready (<see cref="WarmUpAfterStart"/>).
/// </summary>
public static class DatabaseStartup
{
    /// <summary>Registers the service's database connection and the watch that restarts its private server.</summary>
    public static IServiceCollection AddDatabaseConnection(this IServiceCollection services)
    {
        services.AddSingleton<DatabaseConnection>();
        services.AddHostedService<DatabaseWatch>();
        return services;
    }

    /// <summary>Starts the private server if one is configured, applies the migrations, and loads the sample data if asked.</summary>
    public static async Task<DatabaseState> PrepareDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        var connection = app.Services.GetRequiredService<DatabaseConnection>();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await connection.StartAsync(app.Configuration["urls"] ?? "http://localhost:5000", ct);
        }
        catch (ServiceAlreadyRunningException e)
        {
            // Nothing of ours runs yet: one clear line and a non-zero exit, not a stack trace.
            await Console.Error.WriteLineAsync("barrio up: " + e.Message);
            Environment.Exit(1);
        }
        var server = clock.ElapsedMilliseconds;
        // One SELECT on a current database; EF Core's full migration check only when it is behind.
        var migrated = await BarrioDatabase.EnsureMigratedAsync(connection.Value, ct);
        var migrations = clock.ElapsedMilliseconds - server;
        try
        {
            // issue 15.5: the pool leaves connections for the command line and an administrator.
            await ConnectionBudget.CheckAsync(connection.Value, ct);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync("barrio up: " + e.Message);
            Environment.Exit(1);
        }
        var budget = clock.ElapsedMilliseconds - server - migrations;
        var options = app.Services.GetRequiredService<IOptions<BarrioOptions>>().Value;
        bool hasUsers;
        var sample = "not asked";
        await using (var db = new NpgsqlConnection(connection.Value))
        {
            await db.OpenAsync(ct);
            await using (var users = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM users)", db))
                hasUsers = await users.ExecuteScalarAsync(ct) is true;
            if (options.LoadSampleData)
            {
                var path = options.SampleDataPath ?? throw new InvalidOperationException("Barrio:LoadSampleData is on but Barrio:SampleDataPath is not set.");
                if (await SampleData.IsLoadedAsync(db, path, ct))
                    sample = "already loaded";
                else
                {
                    await using var scope = app.Services.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<SampleData>().LoadAsync(path, ct);
                    sample = "loaded";
                }
            }
        }
        // What a start spends, so a slow one says where (barrio bench startup times the whole of it).
        log.LogInformation("start-up: database server {Server} ms, migrations {Migrations} ms ({Outcome}), pool budget {Budget} ms, sample data {Sample} ms ({SampleOutcome})",
            server, migrations, migrated ? "applied" : "current", budget, clock.ElapsedMilliseconds - server - migrations - budget, sample);
        return new DatabaseState(hasUsers);
    }

    /// <summary>
    /// Once the service is ready, builds EF Core's model and runs its first query in the background, so the first
    /// request that needs them finds them built; nothing of it holds up "ready". A failure is logged, not thrown: the
    /// request that needs the model builds it then.
    /// </summary>
    public static void WarmUpAfterStart(this WebApplication app) => app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(async () =>
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseStartup));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
            await db.Users.AsNoTracking().AnyAsync(app.Lifetime.ApplicationStopping);
            log.LogInformation("warm-up after start: EF Core model and first query {Elapsed} ms", clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            log.LogWarning("warm-up after start did not finish: {Reason}", e.Message.ReplaceLineEndings(" "));
        }
    }));
}
