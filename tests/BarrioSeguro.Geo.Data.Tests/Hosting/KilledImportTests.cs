using System.Globalization;
using BarrioSeguro.Geo.Data.Hosting;
using BarrioSeguro.Geo.Data.Import;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Hosting;

/// <summary>A PostgreSQL server killed in the middle of an import: after its restart no row of that import is there.</summary>
public sealed class KilledImportTests
{
    private const int StreetCount = 40_000; // enough rows that the import is still writing when the server is killed

    [SkippableFact]
    public async Task A_server_killed_during_an_import_leaves_no_partial_rows()
    {
        PostgisFixture.RequireLocalServer("postgis", "pgrouting");
        await using var server = await LocalPostgisServer.StartAsync(new LocalPostgisOptions
        {
            Throwaway = true, Database = "barrio_killed", Extensions = ["postgis", "pgrouting"],
        });
        await BarrioDatabase.MigrateAsync(server.ConnectionString);
        var streets = Enumerable.Range(1, StreetCount).Select(Street).ToList();

        Task<ImportResult> import;
        await using (var db = new BarrioDbContext(BarrioDatabase.Options(server.ConnectionString)))
        {
            import = new CollectionImporter(db).ImportAsync("streets", streets, "big.geojson", "sha-big");
            // Kill it once the rows are being written: the COPY into the staging table (or the INSERT into streets that
            // follows it) has run in the import's session, whose transaction is still open.
            await using (var watcher = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString))
            {
                await watcher.OpenAsync();
                while (!import.IsCompleted && !await IsInsertingAsync(watcher))
                {
                    await Task.Delay(10);
                }
            }
            Assert.False(import.IsCompleted, "the import ended before the server could be killed");
            await Postmaster.KillAsync(server.DataDirectory, backendsToo: true);
            await Assert.ThrowsAnyAsync<Exception>(() => import);
        }

        Assert.True(await server.RestartIfStoppedAsync());
        NpgsqlConnection.ClearAllPools();
        await using (var after = new BarrioDbContext(BarrioDatabase.Options(server.ConnectionString)))
        {
            Assert.Equal(0, await after.Streets.CountAsync());
            Assert.Equal(0, await after.Datasets.CountAsync());
            // And the same file loads completely once the server is back.
            var again = await new CollectionImporter(after).ImportAsync("streets", streets.Take(100).ToList(), "small.geojson", "sha-small");
            Assert.Equal(100, again.Inserted);
            Assert.Equal(100, await after.Streets.CountAsync());
        }
    }

    private static async Task<bool> IsInsertingAsync(NpgsqlConnection watcher)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND (query ILIKE '%INSERT INTO%streets%' OR query ILIKE 'COPY import_staging_streets%')", watcher);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    private static IFeature Street(int i)
    {
        var x = -79.06 + (i % 200) * 0.0001;
        var y = -8.02 + (i / 200) * 0.0001;
        var wkt = string.Create(CultureInfo.InvariantCulture, $"LINESTRING({x} {y},{x + 0.00008} {y + 0.00005})");
        return TestGeometry.Feature(wkt, ("osm_way_id", i.ToString(CultureInfo.InvariantCulture)), ("highway", "residential"));
    }
}
