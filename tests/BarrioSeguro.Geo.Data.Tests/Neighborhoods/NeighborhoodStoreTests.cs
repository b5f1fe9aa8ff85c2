using BarrioSeguro.Geo.Data.Neighborhoods;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Neighborhoods;

[Collection(PostgisCollection.Name)]
public class NeighborhoodStoreTests(PostgisFixture postgis)
{
    private static readonly Edit Planner = new("planner@test", "test change");

    private static MultiPolygon Square(double west) => (MultiPolygon)TestGeometry.Wkt(FormattableString.Invariant(
        $"MULTIPOLYGON((({west} -8.03,{west + 0.01} -8.03,{west + 0.01} -8.02,{west} -8.02,{west} -8.03)))"));

    private async Task<string> NewDatabase()
    {
        var cs = await postgis.CreateDatabaseAsync("neighborhoods");
        await BarrioDatabase.MigrateAsync(cs);
        return cs;
    }

    [SkippableFact]
    public async Task An_update_from_the_current_version_is_saved_and_bumps_the_version()
    {
        var cs = await NewDatabase();
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store = new NeighborhoodStore(db);
        var created = await store.CreateAsync(new NeighborhoodChange("El Milagro", null, Square(-79.07), null, true, null), Planner, default);
        Assert.Equal(NeighborhoodSaveOutcome.Saved, created.Outcome);
        Assert.Equal(1, created.Neighborhood!.Version);

        var updated = await store.UpdateAsync(created.Neighborhood.Id, 1, new NeighborhoodChange(null, null, Square(-79.06), null, null, null), Planner, default);

        Assert.Equal(NeighborhoodSaveOutcome.Saved, updated.Outcome);
        Assert.Equal(2, updated.Neighborhood!.Version);
        await using var fresh = new BarrioDbContext(BarrioDatabase.Options(cs));
        var stored = await new NeighborhoodStore(fresh).FindAsync(created.Neighborhood.Id, default);
        Assert.Equal(-79.06, stored!.Boundary.EnvelopeInternal.MinX, 9);
        Assert.Equal("El Milagro", stored.Name);
    }

    [SkippableFact]
    public async Task A_stale_update_is_refused_and_loses_nothing()
    {
        var cs = await NewDatabase();
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store = new NeighborhoodStore(db);
        var id = (await store.CreateAsync(new NeighborhoodChange("A", null, Square(-79.07), null, null, null), Planner, default)).Neighborhood!.Id;
        await store.UpdateAsync(id, 1, new NeighborhoodChange(null, null, Square(-79.06), null, null, null), Planner, default);

        // A second planner still holds version 1.
        await using var other = new BarrioDbContext(BarrioDatabase.Options(cs));
        var stale = await new NeighborhoodStore(other).UpdateAsync(id, 1, new NeighborhoodChange(null, null, Square(-79.05), null, null, null), Planner, default);

        Assert.Equal(NeighborhoodSaveOutcome.StaleVersion, stale.Outcome);
        Assert.Equal(2, stale.Neighborhood!.Version);
        await using var check = new BarrioDbContext(BarrioDatabase.Options(cs));
        Assert.Equal(-79.06, (await new NeighborhoodStore(check).FindAsync(id, default))!.Boundary.EnvelopeInternal.MinX, 9);
    }

    [SkippableFact]
    public async Task Duplicate_names_and_unknown_districts_are_refused()
    {
        var cs = await NewDatabase();
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store = new NeighborhoodStore(db);
        await store.CreateAsync(new NeighborhoodChange("A", null, Square(-79.07), null, null, null), Planner, default);

        Assert.Equal(NeighborhoodSaveOutcome.DuplicateName,
            (await store.CreateAsync(new NeighborhoodChange("A", null, Square(-79.05), null, null, null), Planner, default)).Outcome);
        Assert.Equal(NeighborhoodSaveOutcome.UnknownDistrict,
            (await store.CreateAsync(new NeighborhoodChange("B", "999999", Square(-79.05), null, null, null), Planner, default)).Outcome);
        Assert.Equal(NeighborhoodSaveOutcome.MissingField,
            (await store.CreateAsync(new NeighborhoodChange(null, null, Square(-79.05), null, null, null), Planner, default)).Outcome);
    }

    [SkippableFact]
    public async Task Every_change_is_a_revision_with_its_area_added_and_removed_and_revert_makes_a_new_version()
    {
        var cs = await NewDatabase();
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store = new NeighborhoodStore(db);
        var id = (await store.CreateAsync(new NeighborhoodChange("H", null, Square(-79.07), null, null, null), Planner, default)).Neighborhood!.Id;
        // Shift east by a tenth of the width: a strip is added on the east and the same strip removed on the west.
        await store.UpdateAsync(id, 1, new NeighborhoodChange(null, null, Square(-79.069), null, null, null), new Edit("ana", "moved east"), default);
        var reverted = await store.RevertAsync(id, 2, 1, new Edit("luis"), default);

        Assert.Equal(NeighborhoodSaveOutcome.Saved, reverted.Outcome);
        Assert.Equal(3, reverted.Neighborhood!.Version);
        var history = await store.RevisionsAsync(id, default);
        Assert.Equal([1, 2, 3], history.Select(r => r.Version));
        Assert.Equal(["planner@test", "ana", "luis"], history.Select(r => r.Author));
        Assert.Equal("Reverted to version 1.", history[2].Comment);
        var full = history[0].AddedSquareMeters;
        Assert.InRange(full, 1.21e6, 1.23e6); // 0.01° square at 8° S
        Assert.InRange(history[1].AddedSquareMeters / full, 0.099, 0.101);
        Assert.InRange(history[1].RemovedSquareMeters / full, 0.099, 0.101);
        Assert.True(history[2].Boundary.EqualsExact(history[0].Boundary));

        var diff = await store.DiffAsync(id, 1, 2, default);
        Assert.NotNull(diff);
        Assert.Equal(-79.059, diff!.Added.EnvelopeInternal.MaxX, 9);
        Assert.Equal(-79.07, diff.Removed.EnvelopeInternal.MinX, 9);
        Assert.Null(await store.DiffAsync(id, 1, 9, default));
        Assert.Equal(NeighborhoodSaveOutcome.UnknownRevision, (await store.RevertAsync(id, 3, 9, Planner, default)).Outcome);
        Assert.Equal(NeighborhoodSaveOutcome.StaleVersion, (await store.RevertAsync(id, 2, 1, Planner, default)).Outcome);
    }
}
