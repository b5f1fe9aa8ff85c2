using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace BarrioSeguro.Geo.Api.Hosting;

public static class AnnouncedSetup
{
    /// <summary>
    /// Registers <typeparamref name="T"/> as a singleton heard by the one <see cref="NoticeListener"/> of the service,
    /// which is added with the first of them.
    /// </summary>
    public static IServiceCollection AddAnnounced<T>(this IServiceCollection services) where T : class, IAnnounced
    {
        services.TryAddSingleton<T>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAnnounced, T>(sp => sp.GetRequiredService<T>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, NoticeListener>());
        return services;
    }
}

/// <summary>Something kept in the service while PostgreSQL announces its changes on <see cref="Channel"/>.</summary>
public interface IAnnounced
{
    /// <summary>The LISTEN channel.</summary>
    string Channel { get; }

    /// <summary>The triggers that raise the notices: nothing may be kept before they exist (a database not yet migrated).</summary>
    IReadOnlyList<string> Triggers { get; }

    /// <summary>A notice's payload: what changed.</summary>
    void Heard(string payload);

    /// <summary>Listening starts (everything kept before is dropped) or stops.</summary>
    void SetListening(bool listening);
}

/// <summary>
/// Values read from the database, kept between requests only while their changes are announced (<see cref="IAnnounced"/>):
/// nothing is kept while no one listens. A read that began before a change is never kept after it: the caller takes
/// <see cref="Generation"/> before reading and passes it to <see cref="Keep"/>. Lock-free: every request looks here.
/// </summary>
public abstract class KeptWhileAnnounced<TKey, TValue>(int maxKept) : IAnnounced where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _kept = new();
    private long _generation;
    private volatile bool _listening;

    public abstract string Channel { get; }

    public abstract IReadOnlyList<string> Triggers { get; }

    public abstract void Heard(string payload);

    /// <summary>Whether changes reach this service now (the notices are listened to and raised).</summary>
    public bool Listening => _listening;

    /// <summary>Changes with every notice and every start or loss of the listener: a read taken at an older one is not kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public bool TryGet(TKey key, out TValue value)
    {
        if (_listening && _kept.TryGetValue(key, out value!)) return true;
        value = default!;
        return false;
    }

    /// <summary>Keeps a value read from the database when nothing changed since <paramref name="generation"/>.</summary>
    public void Keep(TKey key, TValue value, long generation)
    {
        if (!_listening || generation != Generation) return;
        if (_kept.Count >= maxKept) _kept.Clear();
        _kept[key] = value;
        // A change that came between the check and the store: taken back (only this read's value, not a newer one).
        if (!_listening || generation != Generation) _kept.TryRemove(new KeyValuePair<TKey, TValue>(key, value));
    }

    /// <summary>The value of <paramref name="key"/> changed: read again on the next request.</summary>
    public void Forget(TKey key)
    {
        Interlocked.Increment(ref _generation);
        _kept.TryRemove(key, out _);
    }

    /// <summary>Any value may have changed.</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _kept.Clear();
    }

    public void SetListening(bool listening)
    {
        if (!listening) _listening = false;
        Interlocked.Increment(ref _generation);
        _kept.Clear();
        _listening = listening;
    }
}

/// <summary>
/// Listens to the channels of every <see cref="IAnnounced"/> on one connection of its own (outside the pool: one of
/// the connections <see cref="Data.ConnectionBudget.ToolReserve"/> leaves). While it is lost nothing is kept, and it
/// tries again, less and less often (up to every 30 s).
/// </summary>
public sealed class NoticeListener(IEnumerable<IAnnounced> kept, DatabaseConnection database, ILogger<NoticeListener> log) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500), LastRetry = TimeSpan.FromSeconds(30);

    /// <summary>Failures in a row before they are logged as warnings (the first are the service's own start).</summary>
    private const int QuietFailures = 3;

    private readonly IAnnounced[] _kept = kept.ToArray();
    private int _failures;

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
                // Not started yet, not migrated yet, or the connection was lost: every request reads from the database meanwhile.
                _failures++;
                if (_failures == QuietFailures) log.LogWarning(e, "Database notices not listened to ({Failures} tries); nothing is kept until they are", _failures);
                else log.LogDebug(e, "Database notices not listened to; retrying");
            }
            finally
            {
                foreach (var k in _kept) k.SetListening(false);
            }
            var wait = TimeSpan.FromTicks(Math.Min(LastRetry.Ticks, FirstRetry.Ticks << Math.Min(Math.Max(_failures - 1, 0), 10)));
            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task ListenAsync(CancellationToken ct)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.Value) { Pooling = false, KeepAlive = 30, ApplicationName = "barrio notices" }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var byChannel = _kept.ToDictionary(k => k.Channel, StringComparer.Ordinal);
        connection.Notification += (_, e) =>
        {
            if (byChannel.TryGetValue(e.Channel, out var k)) k.Heard(e.Payload);
        };
        foreach (var channel in byChannel.Keys)
            await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection)) await listen.ExecuteNonQueryAsync(ct);
        var triggers = _kept.SelectMany(k => k.Triggers).Distinct().ToArray();
        await using (var raised = new NpgsqlCommand("SELECT count(DISTINCT tgname) FROM pg_trigger WHERE tgname = ANY($1)", connection))
        {
            raised.Parameters.Add(new NpgsqlParameter { Value = triggers });
            if ((long)(await raised.ExecuteScalarAsync(ct))! < triggers.Length) throw new InvalidOperationException("The notices' triggers are not in the database yet.");
        }
        foreach (var k in _kept) k.SetListening(true);
        if (_failures >= QuietFailures) log.LogInformation("Database notices listened to again");
        _failures = 0;
        while (true) await connection.WaitAsync(ct);
    }
}
