using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Data.Entries;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Entries;

/// <summary>Entries with versions: a change names the version it started from; racing writers from one version get one save.</summary>
[Collection(PostgisCollection.Name)]
public class EntryStoreTests(PostgisFixture postgis)
{
    private static Point At(double lon, double lat) => new GeometryFactory(new PrecisionModel(), 4326).CreatePoint(new Coordinate(lon, lat));

    [SkippableFact]
    public async Task Two_writers_from_one_version_one_is_saved_and_the_other_told_the_current_version()
    {
        var cs = await postgis.CreateDatabaseAsync("entries");
        await BarrioDatabase.MigrateAsync(cs);
        int id;
        await using (var db = new BarrioDbContext(BarrioDatabase.Options(cs)))
            id = (await new EntryStore(db).CreateAsync(new HotSpot { Name = "Mercado", Location = At(-79.06, -8.08) }, "ana", default)).Id;

        // Both read version 1 and save at once, each in its own context (two requests).
        var outcomes = await Task.WhenAll(new[] { "Mercado norte", "Mercado sur" }.Select(async name =>
        {
            await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
            return await new EntryStore(db).UpdateAsync<HotSpot>(id, 1, h => h.Name = name, name == "Mercado norte" ? "ana" : "luis", default);
        }));
        Assert.Single(outcomes, o => o.Outcome == EntryOutcome.Saved);
        var stale = Assert.Single(outcomes, o => o.Outcome == EntryOutcome.Stale);
        Assert.Equal(2, stale.Entry!.Version);

        await using var fresh = new BarrioDbContext(BarrioDatabase.Options(cs));
        var stored = await new EntryStore(fresh).FindAsync<HotSpot>(id, default);
        var winner = outcomes.Single(o => o.Outcome == EntryOutcome.Saved).Entry!;
        Assert.Equal((2, winner.Name, winner.ChangedBy), (stored!.Version, stored.Name, stored.ChangedBy));
        Assert.Equal(EntryOutcome.Stale, (await new EntryStore(fresh).DeleteAsync<HotSpot>(id, 1, default)).Outcome);
        Assert.Equal(EntryOutcome.Saved, (await new EntryStore(fresh).DeleteAsync<HotSpot>(id, 2, default)).Outcome);
        Assert.Null(await new EntryStore(fresh).FindAsync<HotSpot>(id, default));
    }
}
