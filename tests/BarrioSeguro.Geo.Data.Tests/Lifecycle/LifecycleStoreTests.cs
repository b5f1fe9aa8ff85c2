using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Data.Import;
using BarrioSeguro.Geo.Data.Lifecycle;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Lifecycle;

/// <summary>Dataset versions on a real PostGIS: what a versioned import replaces and puts back, and the diff without OSM ids.</summary>
[Collection(PostgisCollection.Name)]
public class LifecycleStoreTests(PostgisFixture postgis)
{
    private async Task<BarrioDbContext> NewDatabase()
    {
        var cs = await postgis.CreateDatabaseAsync("lifecycle");
        await BarrioDatabase.MigrateAsync(cs);
        var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        await new CollectionImporter(db).ImportAsync("districts",
            [TestGeometry.Feature("POLYGON((-79.08 -8.03,-79.06 -8.03,-79.06 -8.01,-79.08 -8.01,-79.08 -8.03))", ("ubigeo", "990002"), ("name", "Prueba"))],
            "d.geojson", "sha-d");
        return db;
    }

    private static IFeature Street(string wkt, string? name, string highway = "residential") =>
        name is null ? TestGeometry.Feature(wkt, ("highway", highway)) : TestGeometry.Feature(wkt, ("name", name), ("highway", highway));

    [SkippableFact]
    public async Task Without_OSM_ids_the_diff_matches_by_geometry_and_name_and_a_deleted_file_may_be_loaded_again()
    {
        await using var db = await NewDatabase();
        var options = new ImportOptions { District = "990002", User = "ana" };
        IFeature[] v1 =
        [
            Street("LINESTRING(-79.075 -8.02,-79.070 -8.02)", "Jirón Uno"),
            Street("LINESTRING(-79.075 -8.025,-79.070 -8.025)", "Jirón Dos"),
            Street("LINESTRING(-79.075 -8.015,-79.070 -8.015)", "Jirón Tres"),
        ];
        IFeature[] v2 =
        [
            Street("LINESTRING(-79.075 -8.02,-79.070 -8.02)", "Jirón Uno"),
            Street("LINESTRING(-79.075 -8.025,-79.070 -8.025)", "Avenida Dos"), // renamed
            Street("LINESTRING(-79.065 -8.015,-79.062 -8.015)", "Jirón Cuatro"), // new; Tres is gone
        ];
        var first = await new CollectionImporter(db).ImportAsync("streets", v1, "a.geojson", "sha-a", options);
        var second = await new CollectionImporter(db).ImportAsync("streets", v2, "b.geojson", "sha-b", options);
        Assert.Equal((1, 2, first.DatasetId), (first.Version, second.Version, second.Replaced));
        Assert.Equal(3, await db.Streets.CountAsync());

        var store = new LifecycleStore(db);
        var diff = (await store.DiffAsync(second.DatasetId, default))!;
        Assert.Equal("geometry and name", diff.MatchedBy);
        Assert.Equal(["Jirón Cuatro"], diff.Added.Select(a => a.Name));
        Assert.Equal(["Jirón Tres"], diff.Removed.Select(a => a.Name));
        Assert.Equal([("Jirón Dos", "Avenida Dos")], diff.Renamed.Select(r => (r.From!, r.To!)));
        Assert.Equal(1, diff.Unchanged);

        // Deleted: the first version's rows come back, as they were loaded.
        var before = await db.Streets.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Name, s.Class, s.Oneway, s.Layer, Wkt = s.Geometry.AsText() }).ToListAsync();
        Assert.Equal(LifecycleOutcome.Done, (await store.DeleteImportAsync(second.DatasetId, 2, "ana", default)).Outcome);
        var names = await db.Streets.AsNoTracking().OrderBy(s => s.Name).Select(s => s.Name).ToListAsync();
        Assert.Equal(["Jirón Dos", "Jirón Tres", "Jirón Uno"], names);
        Assert.NotEqual(before.Select(b => b.Name), names);
        Assert.All(await db.Streets.AsNoTracking().ToListAsync(), s => Assert.Equal(("residential", false, 0), (s.Class, s.Oneway, s.Layer)));

        // The same file again after its delete is a new version, not "already loaded".
        var again = await new CollectionImporter(db).ImportAsync("streets", v2, "b.geojson", "sha-b", options);
        Assert.False(again.AlreadyLoaded);
        Assert.Equal((3, first.DatasetId), (again.Version, again.Replaced));
        // The deleted version cannot come back over a newer one.
        Assert.Equal(LifecycleOutcome.NotCurrent, (await store.RestoreImportAsync(second.DatasetId, 2, default)).Outcome);
        Assert.Equal(["Avenida Dos", "Jirón Cuatro", "Jirón Uno"], await db.Streets.AsNoTracking().OrderBy(s => s.Name).Select(s => s.Name).ToListAsync());
    }

    [SkippableFact]
    public async Task A_district_extract_takes_the_place_of_the_same_OSM_ways_loaded_with_no_district_and_gives_it_back_when_deleted()
    {
        await using var db = await NewDatabase();
        static IFeature Way(long osmId, double y, string name) =>
            TestGeometry.Feature(FormattableString.Invariant($"LINESTRING(-79.075 {y},-79.070 {y})"), ("osm_id", osmId), ("name", name), ("highway", "residential"));
        // A city file with no district (as the sample streets are), then the district's own extract sharing two ways.
        await new CollectionImporter(db).ImportAsync("streets", [Way(1, -8.015, "Uno"), Way(2, -8.02, "Dos"), Way(3, -8.025, "Tres")], "city.geojson", "sha-city");
        var district = await new CollectionImporter(db).ImportAsync("streets",
            [Way(2, -8.02, "Dos"), Way(3, -8.025, "Tres"), Way(4, -8.028, "Cuatro")], "district.pbf", "sha-district",
            new ImportOptions { District = "990002", User = "ana" });

        Assert.Equal([1L, 2, 3, 4], await db.Streets.AsNoTracking().OrderBy(s => s.OsmId).Select(s => s.OsmId!.Value).ToListAsync());
        var shadowed = Assert.Single(district.Notes, n => n.Code == "import.shadowed");
        Assert.Equal("2 streets features loaded before with no district are the same OSM features (osm_id) and give way to the district's (they come back if this import is deleted)", shadowed.English);

        // Deleted: the city file's two ways are back, once each; restored: the district's again.
        var store = new LifecycleStore(db);
        Assert.Equal(LifecycleOutcome.Done, (await store.DeleteImportAsync(district.DatasetId, 1, "ana", default)).Outcome);
        Assert.Equal([1L, 2, 3], await db.Streets.AsNoTracking().OrderBy(s => s.OsmId).Select(s => s.OsmId!.Value).ToListAsync());
        Assert.Equal(LifecycleOutcome.Done, (await store.RestoreImportAsync(district.DatasetId, 1, default)).Outcome);
        Assert.Equal([1L, 2, 3, 4], await db.Streets.AsNoTracking().OrderBy(s => s.OsmId).Select(s => s.OsmId!.Value).ToListAsync());
    }

    [SkippableFact]
    public async Task Imports_without_a_district_add_to_the_collection_and_others_are_not_kept_in_versions()
    {
        await using var db = await NewDatabase();
        var a = await new CollectionImporter(db).ImportAsync("streets", [Street("LINESTRING(-79.075 -8.02,-79.070 -8.02)", "Uno")], "a.geojson", "sha-a");
        var b = await new CollectionImporter(db).ImportAsync("streets", [Street("LINESTRING(-79.075 -8.025,-79.070 -8.025)", "Dos")], "b.geojson", "sha-b");
        Assert.Equal((1, 2, (int?)null), (a.Version, b.Version, b.Replaced));
        Assert.Equal(2, await db.Streets.CountAsync());
        var store = new LifecycleStore(db);
        var districts = await db.Datasets.SingleAsync(d => d.Collection == "districts");
        Assert.Equal(LifecycleOutcome.NotVersioned, (await store.DeleteImportAsync(districts.Id, districts.Version, "ana", default)).Outcome);
        Assert.Equal(LifecycleOutcome.Done, (await store.DeleteImportAsync(b.DatasetId, 2, "ana", default)).Outcome);
        Assert.Equal(["Uno"], await db.Streets.Select(s => s.Name).ToListAsync());
        Assert.Equal(LifecycleOutcome.Done, (await store.RestoreImportAsync(b.DatasetId, 2, default)).Outcome);
        Assert.Equal(["Dos", "Uno"], await db.Streets.OrderBy(s => s.Name).Select(s => s.Name).ToListAsync());
    }
}
