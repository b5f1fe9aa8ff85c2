using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Features;

[Collection(PostgisCollection.Name)]
public class FeatureCatalogTests(PostgisFixture postgis)
{
    private async Task<(string Cs, List<string> Sql)> Streets(int count)
    {
        var cs = await postgis.CreateDatabaseAsync("catalog");
        await BarrioDatabase.MigrateAsync(cs);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        // A row of short streets going east, 0.001° apart.
        var features = Enumerable.Range(0, count).Select(i => TestGeometry.Feature(
            FormattableString.Invariant($"LINESTRING({-79.1 + i * 0.001} -8.03,{-79.1 + i * 0.001 + 0.0005} -8.03)"),
            ("osm_way_id", i + 1), ("highway", "residential"))).ToList();
        await new CollectionImporter(db).ImportAsync("streets", features, "row.geojson", "row");
        return (cs, []);
    }

    private static BarrioDbContext Logged(string cs, List<string> sql)
    {
        var builder = new DbContextOptionsBuilder<BarrioDbContext>();
        BarrioDatabase.Configure(builder, cs).LogTo(sql.Add, LogLevel.Information);
        return new BarrioDbContext(builder.Options);
    }

    [SkippableFact]
    public async Task Bbox_keeps_the_features_it_touches_and_uses_the_spatial_predicate()
    {
        var (cs, sql) = await Streets(20);
        await using var db = Logged(cs, sql);
        // Covers streets 5..9 (x from -79.095 to -79.0905).
        var page = await new FeatureCatalog(db).GetItemsAsync("streets", new Envelope(-79.0951, -79.0909, -8.031, -8.029), 100, 0, default);

        Assert.Equal(5, page.NumberMatched);
        Assert.Equal([6L, 7L, 8L, 9L, 10L], page.Features.Select(f => (long)f.Attributes["osmId"]));
        // ST_Intersects carries the && operator, so PostGIS answers from the GiST index.
        Assert.Contains(sql, s => s.Contains("ST_Intersects", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Paging_returns_consecutive_pages_and_the_total()
    {
        var (cs, _) = await Streets(25);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var catalog = new FeatureCatalog(db);
        var first = await catalog.GetItemsAsync("streets", null, 10, 0, default);
        var last = await catalog.GetItemsAsync("streets", null, 10, 20, default);

        Assert.Equal(25, first.NumberMatched);
        Assert.Equal(10, first.Features.Count);
        Assert.Equal(5, last.Features.Count);
        Assert.Equal(21L, last.Features[0].Attributes["osmId"]);
    }

    [SkippableFact]
    public async Task Unknown_collection_is_refused()
    {
        var cs = await postgis.CreateDatabaseAsync("catalog");
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => new FeatureCatalog(db).GetItemsAsync("parks", null, 10, 0, default));
    }
}
