using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Hosting;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// The database of the database commands: --db, else BARRIO_DB, else the private server of <c>./barrio up</c>
/// (its folder in BARRIO_LOCAL_DB): the running service's server when it is up (found by the postmaster.pid in that
/// folder, used and left running), else started for the command and stopped after it. A command that writes has the
/// migrations applied first, at the cost of one SELECT when the database is current (<see cref="BarrioDatabase.EnsureMigratedAsync"/>);
/// one that only reads (<see cref="ReadAsync{T}"/>) is not held up by any check: a database that has no tables of
/// ours, or is behind, fails its query, and that failure is said in one line with what to do.
/// </summary>
public sealed class CliDatabase : IAsyncDisposable
{
    private readonly LocalPostgisServer? _server;

    private CliDatabase(string connectionString, LocalPostgisServer? server) => (ConnectionString, _server) = (connectionString, server);

    public string ConnectionString { get; }

    public const string Help = """
          --db CONNECTION  Npgsql connection string of the PostGIS database. Default: BARRIO_DB, else the
                           private database of ./barrio up (the running service's, or started for the command).
        """;

    /// <param name="extensions">Extensions the private server must have besides PostGIS (made there as its superuser, e.g.
    /// pgRouting for the benchmarks); a database named by --db or BARRIO_DB must have them already.</param>
    /// <remarks>For a command that writes: the migrations are applied first when the database is behind. A command that
    /// only reads goes through <see cref="ReadAsync{T}"/> instead (no check, and what a database behind lacks is said).</remarks>
    public static Task<CliDatabase> OpenAsync(string? option, CancellationToken ct, IReadOnlyList<string>? extensions = null) =>
        OpenAsync(option, ct, extensions, migrate: true);

    private static async Task<CliDatabase> OpenAsync(string? option, CancellationToken ct, IReadOnlyList<string>? extensions, bool migrate)
    {
        var connection = option ?? Environment.GetEnvironmentVariable("BARRIO_DB");
        LocalPostgisServer? server = null;
        try
        {
            if (string.IsNullOrWhiteSpace(connection))
            {
                var folder = Environment.GetEnvironmentVariable("BARRIO_LOCAL_DB")
                             ?? throw new CommandFailedException("no database: give --db CONNECTION or set BARRIO_DB");
                server = await LocalPostgisServer.StartAsync(new LocalPostgisOptions
                {
                    DataDirectory = folder, Database = "barrio", Extensions = ["postgis", .. extensions ?? []],
                }, ct);
                connection = server.ConnectionString;
            }
            if (migrate) await BarrioDatabase.EnsureMigratedAsync(connection, ct);
            return new CliDatabase(connection, server);
        }
        catch (Exception e) when (e is LocalPostgisException or Npgsql.NpgsqlException or ArgumentException)
        {
            if (server is not null) await server.DisposeAsync();
            throw new CommandFailedException($"cannot open the database: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    public BarrioDbContext NewContext() => new(BarrioDatabase.Options(ConnectionString));

    /// <summary>
    /// Runs a command that only reads: the database opened with no migration check (nothing added to its start),
    /// <paramref name="read"/> given it (a streamed export reads it over plain Npgsql; others make an EF Core context
    /// with <see cref="NewContext"/>, or <see cref="ReadAsync{T}(string?, Func{BarrioDbContext, Task{T}}, CancellationToken)"/>).
    /// A database never migrated or behind
    /// this build fails the read with PostgreSQL's "relation ... does not exist" (42P01) or "column ... does not exist"
    /// (42703): that is said here, for every read command, as the note <c>database.not_migrated</c> naming the database.
    /// </summary>
    public static async Task<T> ReadAsync<T>(string? option, Func<CliDatabase, Task<T>> read, CancellationToken ct = default)
    {
        await using var database = await OpenAsync(option, ct, null, migrate: false);
        try
        {
            return await read(database);
        }
        catch (Exception e) when (SchemaMissing(e))
        {
            var name = new NpgsqlConnectionStringBuilder(database.ConnectionString).Database ?? "";
            throw new CommandFailedException(Note.Of("database.not_migrated", ("database", name)).ToString(), e);
        }
    }

    /// <summary>As <see cref="ReadAsync{T}(string?, Func{CliDatabase, Task{T}}, CancellationToken)"/>, with an EF Core context on the database.</summary>
    public static Task<T> ReadAsync<T>(string? option, Func<BarrioDbContext, Task<T>> read, CancellationToken ct = default) =>
        ReadAsync<T>(option, async (CliDatabase database) =>
        {
            await using var db = database.NewContext();
            return await read(db);
        }, ct);

    // EF Core and Npgsql throw it as it came; a wrapper (an enumeration, an execution strategy) holds it inside.
    private static bool SchemaMissing(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn }) return true;
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
