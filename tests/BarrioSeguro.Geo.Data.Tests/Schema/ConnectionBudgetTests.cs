using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Schema;

/// <summary>The service's pool leaves PostgreSQL connections for the command line and an administrator (issue 15.5).</summary>
[Collection(PostgisCollection.Name)]
public class ConnectionBudgetTests(PostgisFixture postgis)
{
    [SkippableFact]
    public async Task A_pool_within_the_budget_passes_and_one_beyond_it_is_refused_with_what_to_set()
    {
        postgis.RequireDatabase();
        var cs = await postgis.CreateDatabaseAsync("budget");
        // The server's own figures, read independently of ConnectionBudget.
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var show = new NpgsqlCommand("SELECT current_setting('max_connections')::int, current_setting('superuser_reserved_connections')::int", connection);
        await using var reader = await show.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (max, superusers) = (reader.GetInt32(0), reader.GetInt32(1));
        var allowed = max - superusers - ConnectionBudget.ToolReserve; // reserved_connections is 0 unless set

        var fits = await ConnectionBudget.CheckAsync(new NpgsqlConnectionStringBuilder(cs) { MaxPoolSize = allowed }.ConnectionString);
        Assert.Equal(max, fits.MaxConnections);
        Assert.True(fits.Fits);

        var tooLarge = new NpgsqlConnectionStringBuilder(cs) { MaxPoolSize = allowed + 1 }.ConnectionString;
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => ConnectionBudget.CheckAsync(tooLarge));
        Assert.Contains($"Set Maximum Pool Size to {allowed} or less", refused.Message);
        Assert.Contains($"max_connections {max}", refused.Message);
    }

    [SkippableFact]
    public async Task Queries_beyond_the_pool_wait_for_a_connection_and_do_not_fail()
    {
        postgis.RequireDatabase();
        var cs = new NpgsqlConnectionStringBuilder(await postgis.CreateDatabaseAsync("queue")) { MaxPoolSize = 2, Timeout = 60 }.ConnectionString;
        await using var source = NpgsqlDataSource.Create(cs);
        var backends = await Task.WhenAll(Enumerable.Range(0, 12).Select(async _ =>
        {
            await using var c = await source.OpenConnectionAsync();
            await using var sleep = new NpgsqlCommand("SELECT pg_backend_pid() FROM pg_sleep(0.05)", c);
            return (int)(await sleep.ExecuteScalarAsync())!;
        }));
        Assert.Equal(12, backends.Length); // all answered
        Assert.InRange(backends.Distinct().Count(), 1, 2); // through at most the pool's two connections
    }
}
