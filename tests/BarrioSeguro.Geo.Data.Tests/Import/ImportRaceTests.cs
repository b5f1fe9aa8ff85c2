using BarrioSeguro.Geo.Data.Import;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Import;

/// <summary>Imports racing on the same unique keys: one wins, the others get a clean answer, nothing doubles.</summary>
[Collection(PostgisCollection.Name)]
public class ImportRaceTests(PostgisFixture postgis)
{
    private static readonly IFeature[] Streets =
    [
        TestGeometry.Feature("LINESTRING(-79.0665 -8.0181,-79.0634 -8.0170)", ("osm_way_id", "94600261"), ("highway", "residential")),
        TestGeometry.Feature("LINESTRING(-79.0700 -8.0200,-79.0690 -8.0210)", ("osm_way_id", "1"), ("highway", "primary")),
    ];

    [SkippableFact]
    public async Task The_same_file_imported_eight_times_at_once_loads_once_and_never_throws_a_database_error()
    {
        var cs = await postgis.CreateDatabaseAsync("race");
        await BarrioDatabase.MigrateAsync(cs);
        // Each caller has its own context and connection, as the service's requests and a CLI run do.
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
            return await new CollectionImporter(db).ImportAsync("streets", Streets, "calles.geojson", "sha-race");
        })));

        Assert.Single(results, r => !r.AlreadyLoaded);
        Assert.All(results.Where(r => r.AlreadyLoaded), r => Assert.Equal(0, r.Inserted));
        await using var check = new BarrioDbContext(BarrioDatabase.Options(cs));
        Assert.Equal(2, await check.Streets.CountAsync());
        Assert.Equal(1, await check.Datasets.CountAsync());
    }
}
