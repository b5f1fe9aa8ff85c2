using BarrioSeguro.Geo.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Schema;

/// <summary>Issue 13.2's migration on a database that already held districts (a ./barrio up of before).</summary>
[Collection(PostgisCollection.Name)]
public class DistrictsMigrationTests(PostgisFixture postgis)
{
    [SkippableFact]
    public async Task Names_kept_before_get_Spanish_particles_and_a_search_name()
    {
        postgis.RequireDatabase();
        var cs = await postgis.CreateDatabaseAsync("districts_migration");
        await using (var db = new BarrioDbContext(BarrioDatabase.Options(cs)))
        {
            var migrations = db.Database.GetMigrations().ToList();
            var before = migrations[migrations.FindIndex(m => m.EndsWith("_Districts", StringComparison.Ordinal)) - 1];
            await db.GetInfrastructure().GetRequiredService<IMigrator>().MigrateAsync(before);
        }
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                INSERT INTO districts (ubigeo, name, province, department, boundary) VALUES
                ('130103', 'Florencia De Mora', 'Trujillo', 'La Libertad', ST_Multi(ST_MakeEnvelope(-79.04, -8.08, -79.02, -8.06, 4326))),
                ('150142', 'Villa El Salvador', 'Lima', 'Lima', ST_Multi(ST_MakeEnvelope(-76.95, -12.23, -76.90, -12.20, 4326)))
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }
        await BarrioDatabase.MigrateAsync(cs);
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT string_agg(name || '|' || search_name, ';' ORDER BY ubigeo) FROM districts", connection);
            Assert.Equal("Florencia de Mora|florencia de mora;Villa El Salvador|villa el salvador", (string?)await read.ExecuteScalarAsync());
        }
    }
}
