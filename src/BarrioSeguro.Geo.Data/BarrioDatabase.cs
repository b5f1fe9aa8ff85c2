using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace BarrioSeguro.Geo.Data;

/// <summary>One place that says how the service talks to PostGIS.</summary>
public static class BarrioDatabase
{
    /// <summary>EF Core's history table of applied migrations (its default name; the snake_case convention names its columns migration_id and product_version).</summary>
    private const string HistoryTable = "__EFMigrationsHistory";

    /// <summary>Configures Npgsql with NetTopologySuite and snake_case names.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString, npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention();

    public static DbContextOptions<BarrioDbContext> Options(string connectionString) =>
        (DbContextOptions<BarrioDbContext>)Configure(new DbContextOptionsBuilder<BarrioDbContext>(), connectionString).Options;

    /// <summary>Applies every pending migration (creating the PostGIS extension first): EF Core's full check.</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        await using var db = new BarrioDbContext(Options(connectionString));
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>
    /// The ids of the migrations this assembly holds, oldest first, read from their <c>[Migration]</c> attributes: no
    /// DbContext, no model (what <c>db.Database.GetMigrations()</c> lists, without EF Core's start-up).
    /// </summary>
    public static IReadOnlyList<string> MigrationIds { get; } = typeof(BarrioDbContext).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == typeof(BarrioDbContext))
        .Select(t => t.GetCustomAttribute<MigrationAttribute>()?.Id).OfType<string>()
        .Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Whether the database has exactly this assembly's migrations applied, in one SELECT: as many rows in the history
    /// table as migrations here, and the newest the same. False for a database never migrated (no history table).
    /// </summary>
    public static async Task<bool> IsCurrentAsync(string connectionString, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // to_regclass first: a fresh database has no history table, and asking it for rows would be an error.
        await using var command = new NpgsqlCommand(
            $"""SELECT to_regclass('"{HistoryTable}"') IS NOT NULL""", connection);
        if (await command.ExecuteScalarAsync(ct) is not true) return false;
        command.CommandText = $"""SELECT count(*), max(migration_id) FROM "{HistoryTable}" """;
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var count = reader.GetInt64(0);
        var newest = reader.IsDBNull(1) ? null : reader.GetString(1);
        return count == MigrationIds.Count && newest == MigrationIds[^1];
    }

    /// <summary>
    /// Applies the pending migrations only when <see cref="IsCurrentAsync"/> says the database is behind: on a current
    /// database that is one round trip and no EF Core start-up; otherwise <see cref="MigrateAsync"/>.
    /// </summary>
    /// <returns>True when migrations were run.</returns>
    public static async Task<bool> EnsureMigratedAsync(string connectionString, CancellationToken ct = default)
    {
        if (await IsCurrentAsync(connectionString, ct)) return false;
        await MigrateAsync(connectionString, ct);
        return true;
    }
}
