using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Hosting;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// The database of the database commands: --db, else BARRIO_DB, else the private server of <c>./barrio up</c>
/// (its folder in BARRIO_LOCAL_DB): the running service's server when it is up (found by the postmaster.pid in that
/// folder, used and left running), else started for the command and stopped after it. A command that writes has the
/// migrations applied first, at the cost of one SELECT when the database is current (<see cref="BarrioDatabase.EnsureMigratedAsync"/>);
/// one that only reads (<see cref="DatabaseUse.Reads"/>) is not held up by any check.
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
    /// <param name="use">Whether the command writes (migrations applied when behind) or only reads (none checked: a
    /// database that is behind fails the command's own query, with PostgreSQL's reason).</param>
    public static async Task<CliDatabase> OpenAsync(string? option, CancellationToken ct, IReadOnlyList<string>? extensions = null,
        DatabaseUse use = DatabaseUse.Writes)
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
            if (use == DatabaseUse.Writes) await BarrioDatabase.EnsureMigratedAsync(connection, ct);
            return new CliDatabase(connection, server);
        }
        catch (Exception e) when (e is LocalPostgisException or Npgsql.NpgsqlException or ArgumentException)
        {
            if (server is not null) await server.DisposeAsync();
            throw new CommandFailedException($"cannot open the database: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    public BarrioDbContext NewContext() => new(BarrioDatabase.Options(ConnectionString));

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

/// <summary>What a database command does with the database: it decides whether the migrations are checked first.</summary>
public enum DatabaseUse
{
    /// <summary>Writes: the migrations are applied first when the database is behind.</summary>
    Writes,

    /// <summary>Reads only: no migration check.</summary>
    Reads,
}
