using System.Globalization;
using BarrioSeguro.Geo.Api.Hosting;
using Npgsql;

namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>
/// What every signed-in request checks of its user (disabled, token version), kept between requests while PostgreSQL
/// tells this service of every change to it (<c>barrio_token_state</c>, raised by triggers on <c>users</c> whoever
/// writes: the service, <c>barrio user</c>, psql). Nothing is kept while no one listens: then every request reads the
/// account, as before. A read that began before a change is never kept after it (<see cref="Generation"/>).
/// </summary>
public sealed class TokenStates
{
    /// <summary>More accounts than this and the kept states are dropped (a police force has hundreds, not millions).</summary>
    public const int MaxKept = 100_000;

    private readonly Dictionary<int, (bool Disabled, int TokenVersion)> _kept = [];
    private readonly Lock _lock = new();
    private long _generation;
    private bool _listening;

    /// <summary>Whether changes reach this service now (the notices are listened to and raised).</summary>
    public bool Listening
    {
        get { lock (_lock) return _listening; }
    }

    /// <summary>Changes with every notice and every loss of the listener: a read taken at an older one is not kept.</summary>
    public long Generation
    {
        get { lock (_lock) return _generation; }
    }

    public bool TryGet(int id, out (bool Disabled, int TokenVersion) state)
    {
        lock (_lock)
        {
            if (_listening && _kept.TryGetValue(id, out state)) return true;
            state = default;
            return false;
        }
    }

    /// <summary>Keeps a state read from the database when nothing changed since <paramref name="generation"/>.</summary>
    public void Keep(int id, (bool Disabled, int TokenVersion) state, long generation)
    {
        lock (_lock)
        {
            if (!_listening || generation != _generation) return;
            if (_kept.Count >= MaxKept) _kept.Clear();
            _kept[id] = state;
        }
    }

    /// <summary>The account changed (or, for null, any account may have).</summary>
    public void Forget(int? id)
    {
        lock (_lock)
        {
            _generation++;
            if (id is { } one) _kept.Remove(one);
            else _kept.Clear();
        }
    }

    /// <summary>Listening starts (everything kept before is dropped) or stops.</summary>
    public void SetListening(bool listening)
    {
        lock (_lock)
        {
            _generation++;
            _kept.Clear();
            _listening = listening;
        }
    }
}

/// <summary>
/// Listens to <c>barrio_token_state</c> on a connection of its own (outside the pool: one of the connections
/// <see cref="Data.ConnectionBudget.ToolReserve"/> leaves) and tells <see cref="TokenStates"/>; when the connection is
/// lost, nothing is kept until it is back.
/// </summary>
public sealed class TokenStateListener(TokenStates states, DatabaseConnection database, ILogger<TokenStateListener> log) : BackgroundService
{
    public const string Channel = "barrio_token_state";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // Not started yet, not migrated yet, or the connection was lost: every request reads its account meanwhile.
                log.LogDebug(e, "Token state notices not listened to; retrying");
            }
            finally
            {
                states.SetListening(false);
            }
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.Value) { Pooling = false, KeepAlive = 30, ApplicationName = "barrio token notices" }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        connection.Notification += (_, e) =>
            states.Forget(int.TryParse(e.Payload, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id) ? id : null);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(ct);
        // Kept states are only safe once the triggers that raise the notices exist (a database not yet migrated has none).
        await using (var raised = new NpgsqlCommand("SELECT count(*) FROM pg_trigger WHERE tgname IN ('users_token_state_change', 'users_token_state_delete', 'users_token_state_truncate')", connection))
            if ((long)(await raised.ExecuteScalarAsync(ct))! < 3) throw new InvalidOperationException("The token state triggers are not in the database yet.");
        states.SetListening(true);
        while (true) await connection.WaitAsync(ct);
    }
}
