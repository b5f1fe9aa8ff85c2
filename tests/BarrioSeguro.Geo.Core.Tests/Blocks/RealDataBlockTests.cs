using BarrioSeguro.Geo.Core.Blocks;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.OverlayNG;
using static BarrioSeguro.Geo.Core.Tests.Blocks.BlockSamples;

using Xunit;
using Xunit.Abstractions;

namespace BarrioSeguro.Geo.Core.Tests.Blocks;

/// <summary>Blocks of the real OpenStreetMap streets in geodata/.</summary>
public class RealDataBlockTests(ITestOutputHelper output)
{
    [Fact]
    public void Streets_far_away_in_the_same_file_change_no_block_id_of_the_boundary()
    {
        // A street file of two regions (El Milagro and a grid in zone 18, at -75.3°): the streets' centre falls in zone 18,
        // but the blocks of El Milagro are measured and named in its own zone 17, as with its streets alone.
        var streets = OsmStreets("osm/el_milagro_streets_wgs84.geojson");
        var boundary = ReadGeoJson("sample/el_milagro_barrio_seguro_illustrative.geojson")[0].Geometry;
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var far = Enumerable.Range(0, 5).SelectMany(i => new[]
        {
            new StreetLine(factory.CreateLineString([new(-75.3 + i * 0.001, -12.1), new(-75.3 + i * 0.001, -12.096)]), "residential"),
            new StreetLine(factory.CreateLineString([new(-75.3, -12.1 + i * 0.001), new(-75.296, -12.1 + i * 0.001)]), "residential"),
        });
        var alone = BlockBuilder.Build(streets, boundary);
        var both = BlockBuilder.Build(streets.Concat(far), boundary);
        Assert.Equal(32717, Core.Spatial.Crs.UtmZoneFor(boundary));
        Assert.NotEqual(32717, Core.Spatial.Crs.UtmZoneFor(new GeometryCollection(streets.Concat(far).Select(s => s.Geometry).ToArray(), factory)));
        Assert.Equal(alone.Blocks.Select(b => b.Id), both.Blocks.Select(b => b.Id));
        Assert.Equal(alone.Blocks.Select(b => Math.Round(b.AreaSquareMeters, 3)), both.Blocks.Select(b => Math.Round(b.AreaSquareMeters, 3)));
    }

    [Fact]
    public void El_Milagro_end_to_end()
    {
        var streets = OsmStreets("osm/el_milagro_streets_wgs84.geojson");
        var boundary = ReadGeoJson("sample/el_milagro_barrio_seguro_illustrative.geojson")[0].Geometry;
        var set = BlockBuilder.Build(streets, boundary);
        output.WriteLine($"{set.Report}; notes: {string.Join("; ", set.Report.Notes)}");

        Assert.Equal(1060, set.Report.InputLines);
        Assert.InRange(set.Blocks.Count, 100, 5000);
        Assert.True(set.Report.ExcludedByClass > 0);
        AssertTiles(set.Blocks);
        Assert.All(set.Blocks, b =>
        {
            Assert.True(b.AreaSquareMeters >= 1, $"{b.Id}: {b.AreaSquareMeters} m²");
            Assert.True(b.FrontageMeters <= b.PerimeterMeters + 1e-6, $"{b.Id}: frontage over perimeter");
            Assert.True(boundary.Buffer(1e-7).Covers(b.Geometry), $"{b.Id} sticks out of the boundary");
        });
        Assert.Equal(set.Blocks.Count, set.Blocks.Select(b => b.Id).Distinct().Count());
        // No overlaps: the area of the union is the sum of the areas.
        var union = OverlayNGRobust.Union(set.Blocks.Select(b => (Geometry)b.Geometry).ToList());
        Assert.Equal(set.Blocks.Sum(b => b.Geometry.Area), union.Area, 1e-9);

        // OSM buildings by their interior point.
        var buildings = ReadGeoJson("osm/el_milagro_areas_osm_wgs84.geojson")
            .Where(f => f.Properties.ContainsKey("building")).Select(f => f.Geometry).ToList();
        BlockBuilder.CountContents(set.Blocks, [], buildings);
        var inside = buildings.Count(g => set.Blocks.Any(b => b.Geometry.Covers(g.InteriorPoint)));
        Assert.Equal(inside, set.Blocks.Sum(b => b.Buildings));
        Assert.True(inside > 0);

        // The same data gives the same blocks and ids.
        var again = BlockBuilder.Build(streets, boundary);
        Assert.Equal(set.Blocks.Select(b => b.Id), again.Blocks.Select(b => b.Id));
    }

    [Fact]
    public void Huanchaco_district_tiles_without_gaps()
    {
        // Speed is `barrio bench blocks`' job: a timed assertion fails at random when test projects run in parallel.
        var streets = OsmStreets("osm/huanchaco_130104_streets_clipped_wgs84.geojson");
        var district = ReadGeoJson("admin/huanchaco_130104_inei2023.geojson")[0].Geometry;
        Assert.Equal(3030, streets.Count);
        var set = BlockBuilder.Build(streets, district);
        output.WriteLine($"{set.Report}; notes: {string.Join("; ", set.Report.Notes)}");
        // 12 bridges, 3 of them footways or the like (counted as excluded by class).
        Assert.Equal(12, streets.Count(s => s.Layer != 0));
        Assert.Equal(9, set.Report.ExcludedOtherLayer);
        Assert.InRange(set.Blocks.Count, 1000, 20000);
        AssertTiles(set.Blocks);
    }
}
