using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Data;

/// <summary>One place that says how the service talks to PostGIS.</summary>
public static class BarrioDatabase
{
    /// <summary>Configures Npgsql with NetTopologySuite and snake_case names.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(connectionString, npgsql => npgsql.UseNetTopologySuite())
            .UseSnakeCaseNamingConvention();

    public static DbContextOptions<BarrioDbContext> Options(string connectionString) =>
        (DbContextOptions<BarrioDbContext>)Configure(new DbContextOptionsBuilder<BarrioDbContext>(), connectionString).Options;

    /// <summary>Applies every pending migration (creating the PostGIS extension first).</summary>
    public static async Task MigrateAsync(string connectionString, CancellationToken ct = default)
    {
        await using var db = new BarrioDbContext(Options(connectionString));
        await db.Database.MigrateAsync(ct);
    }
}
