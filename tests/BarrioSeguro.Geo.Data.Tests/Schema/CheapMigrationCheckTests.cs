using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Schema;

/// <summary>
/// The one-SELECT migration check of start-up (issue 15.2): it must agree with EF Core's own full check, on a fresh
/// database, a current one and one a migration behind.
/// </summary>
[Collection(PostgisCollection.Name)]
public class CheapMigrationCheckTests(PostgisFixture postgis)
{
    [Fact]
    public void The_migrations_read_from_the_attributes_are_EF_Cores_own_list()
    {
        // EF Core's list needs no server: the options are enough.
        using var db = new BarrioDbContext(BarrioDatabase.Options("Host=localhost;Database=unused"));
        Assert.Equal(db.Database.GetMigrations().ToList(), BarrioDatabase.MigrationIds);
    }

    [SkippableFact]
    public async Task A_fresh_database_is_migrated_and_then_found_current()
    {
        postgis.RequireDatabase();
        var cs = await postgis.CreateDatabaseAsync("cheap_check_fresh");

        Assert.False(await BarrioDatabase.IsCurrentAsync(cs)); // no history table yet: not an error
        Assert.True(await BarrioDatabase.EnsureMigratedAsync(cs));
        Assert.True(await BarrioDatabase.IsCurrentAsync(cs));
        Assert.False(await BarrioDatabase.EnsureMigratedAsync(cs)); // current: nothing run

        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [SkippableFact]
    public async Task A_database_one_migration_behind_is_brought_up_to_date()
    {
        postgis.RequireDatabase();
        var cs = await postgis.CreateDatabaseAsync("cheap_check_behind");
        await using (var db = new BarrioDbContext(BarrioDatabase.Options(cs)))
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync(BarrioDatabase.MigrationIds[^2]);

        Assert.False(await BarrioDatabase.IsCurrentAsync(cs));
        Assert.True(await BarrioDatabase.EnsureMigratedAsync(cs));

        Assert.True(await BarrioDatabase.IsCurrentAsync(cs));
        await using (var db = new BarrioDbContext(BarrioDatabase.Options(cs)))
            Assert.Equal(BarrioDatabase.MigrationIds, await db.Database.GetAppliedMigrationsAsync());
    }

    [SkippableFact]
    public async Task A_history_with_a_migration_this_build_does_not_know_is_not_current()
    {
        postgis.RequireDatabase();
        var cs = await postgis.CreateDatabaseAsync("cheap_check_unknown");
        await BarrioDatabase.MigrateAsync(cs);
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        // A newer build's migration (or one merged in between): the count no longer matches.
        await using var insert = new NpgsqlCommand(
            """INSERT INTO "__EFMigrationsHistory" (migration_id, product_version) VALUES ('20000101000000_Older', '10.0.0')""", connection);
        await insert.ExecuteNonQueryAsync();

        Assert.False(await BarrioDatabase.IsCurrentAsync(cs));
    }
}
