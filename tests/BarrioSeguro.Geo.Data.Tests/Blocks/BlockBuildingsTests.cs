using BarrioSeguro.Geo.Data.Blocks;
using BarrioSeguro.Geo.Data.Import;
using NetTopologySuite.Features;
using NetTopologySuite.IO;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Blocks;

/// <summary>Stored buildings (import-osm --buildings) are counted in the blocks the database builds.</summary>
[Collection(PostgisCollection.Name)]
public class BlockBuildingsTests(PostgisFixture postgis)
{
    [SkippableFact]
    public async Task A_block_counts_the_stored_buildings_whose_interior_point_it_holds()
    {
        var cs = await postgis.CreateDatabaseAsync("blockbuildings");
        await BarrioDatabase.MigrateAsync(cs);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        // Two blocks side by side: x -79.075..-79.070 and -79.070..-79.065, y -8.025..-8.020.
        IFeature[] streets =
        [
            TestGeometry.Feature("LINESTRING(-79.076 -8.025,-79.064 -8.025)", ("highway", "residential")),
            TestGeometry.Feature("LINESTRING(-79.076 -8.020,-79.064 -8.020)", ("highway", "residential")),
            TestGeometry.Feature("LINESTRING(-79.075 -8.026,-79.075 -8.019)", ("highway", "residential")),
            TestGeometry.Feature("LINESTRING(-79.070 -8.026,-79.070 -8.019)", ("highway", "residential")),
            TestGeometry.Feature("LINESTRING(-79.065 -8.026,-79.065 -8.019)", ("highway", "residential")),
        ];
        await new CollectionImporter(db).ImportAsync("streets", streets, "grid.geojson", "sha-grid");
        IFeature[] buildings =
        [
            TestGeometry.Feature("POLYGON((-79.074 -8.024,-79.073 -8.024,-79.073 -8.023,-79.074 -8.023,-79.074 -8.024))", ("osm_id", 11L), ("building", "house")),
            TestGeometry.Feature("POLYGON((-79.072 -8.022,-79.071 -8.022,-79.071 -8.021,-79.072 -8.021,-79.072 -8.022))", ("osm_id", 12L), ("building", "yes")),
            TestGeometry.Feature("POLYGON((-79.069 -8.024,-79.068 -8.024,-79.068 -8.023,-79.069 -8.023,-79.069 -8.024))", ("osm_id", 13L), ("building", "school")),
        ];
        var loaded = await new CollectionImporter(db).ImportAsync("buildings", buildings, "b.geojson", "sha-b");
        Assert.Equal(3, loaded.Inserted);

        var area = new WKTReader().Read("POLYGON((-79.076 -8.026,-79.064 -8.026,-79.064 -8.019,-79.076 -8.019,-79.076 -8.026))");
        area.SRID = 4326;
        var set = await new BlockStore(db).BuildAsync(area, default);
        var west = set.Blocks.Single(b => b.Geometry.Contains(area.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(-79.0735, -8.0235))));
        var east = set.Blocks.Single(b => b.Geometry.Contains(area.Factory.CreatePoint(new NetTopologySuite.Geometries.Coordinate(-79.0685, -8.0235))));
        Assert.Equal((2, 1), (west.Buildings, east.Buildings));
        Assert.Equal(3, set.Blocks.Sum(b => b.Buildings));
    }
}
