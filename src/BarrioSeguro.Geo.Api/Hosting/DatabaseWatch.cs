using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Npgsql;

namespace BarrioSeguro.Geo.Api.Hosting;

/// <summary>
/// Watches the service's private PostgreSQL server and starts it again when its postmaster died (killed, crashed), so
/// the service comes back by itself: requests answer 503 meanwhile (see Http/ApiErrors), and the connection pools are
/// cleared after the restart so no request gets a connection to the dead server. Does nothing for an external database.
/// </summary>
public sealed class DatabaseWatch(DatabaseConnection database, IServiceScopeFactory scopes, IServer server,
    IHostApplicationLifetime lifetime, ILogger<DatabaseWatch> log) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Once listening, the real addresses (a port 0 became a number) go where a second `./barrio up` reads them.
        lifetime.ApplicationStarted.Register(() =>
        {
            if (server.Features.Get<IServerAddressesFeature>()?.Addresses is { Count: > 0 } addresses)
                database.ServedAt(string.Join(", ", addresses));
        });
        return base.StartAsync(cancellationToken);
    }

    /// <summary>How often the postmaster is looked at: a look is a read of postmaster.pid and /proc, cheap.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (database.Server is not { } postgres) continue; // external database, or not started yet
            try
            {
                if (postgres.IsPostmasterAlive()) continue;
                log.LogWarning("The private PostgreSQL server in {Folder} is not running; starting it again.", postgres.DataDirectory);
                if (await postgres.RestartIfStoppedAsync(stoppingToken))
                {
                    NpgsqlConnection.ClearAllPools();
                    await using (var scope = scopes.CreateAsyncScope())
                    {
                        // EF Core keeps its own data source (and pool) for the connection string: clear that one too.
                        var db = scope.ServiceProvider.GetRequiredService<Data.BarrioDbContext>();
                        NpgsqlConnection.ClearPool((NpgsqlConnection)Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database));
                    }
                    log.LogWarning("The private PostgreSQL server is back: {Server}.", postgres);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Data.Hosting.LocalPostgisException or NpgsqlException or IOException)
            {
                // E.g. the old server's processes still hold its shared memory: the next look tries again.
                log.LogWarning("The private PostgreSQL server did not start again yet: {Reason}", e.Message.ReplaceLineEndings(" "));
            }
        }
    }
}
