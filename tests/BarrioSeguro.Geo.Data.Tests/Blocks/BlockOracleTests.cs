using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Bench;
using BarrioSeguro.Geo.Bench.Peers;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace BarrioSeguro.Geo.Data.Tests.Blocks;

/// <summary>
/// Our blocks against PostGIS: the same prepared lines through <c>ST_Polygonize(ST_Node(ST_Collect(geom)))</c> give
/// the same faces, and block areas agree with <c>ST_Area(geography)</c>.
/// </summary>
[Collection(PostgisCollection.Name)]
public class BlockOracleTests(PostgisFixture postgis, ITestOutputHelper output)
{
    private static readonly BlockOptions RawFaces = new() { MinAreaSquareMeters = 0, SliverWidthMeters = 0 };

    private static string Geodata(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "BarrioSeguro.Geo.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "repository root (BarrioSeguro.Geo.sln) not found");
        return Path.Combine(dir!.FullName, "geodata", relative);
    }

    private async Task<NpgsqlConnection> Connect()
    {
        var connection = new NpgsqlConnection(await postgis.CreateDatabaseAsync("blocks"));
        await connection.OpenAsync();
        return connection;
    }

    [SkippableTheory]
    [InlineData("osm/el_milagro_streets_wgs84.geojson")]
    [InlineData("osm/huanchaco_130104_streets_clipped_wgs84.geojson")]
    public async Task Faces_are_those_of_ST_Polygonize_ST_Node(string streetsFile)
    {
        var streets = StreetLines.From(VectorFile.Read(Geodata(streetsFile)));
        var ours = BlockBuilder.Build(streets, null, RawFaces);
        var prepared = BlockBuilder.PrepareLines(streets, RawFaces);
        await using var connection = await Connect();
        await PostgisBlocks.LoadAsync(connection, prepared);
        var theirs = await PostgisBlocks.PolygonizeAsync(connection, prepared.UtmEpsg, null);
        output.WriteLine($"ours {ours.Blocks.Count} faces, {ours.Blocks.Sum(b => b.AreaSquareMeters):F0} m²; " +
                         $"PostGIS {theirs.Count} faces, {theirs.Sum(f => f.AreaSquareMeters):F0} m²");

        Assert.Equal(theirs.Count, ours.Blocks.Count);
        AssertClose(theirs.Sum(f => f.AreaSquareMeters), ours.Blocks.Sum(b => b.AreaSquareMeters), 0.0001, "total area");
        AssertEveryFaceMatched(theirs, ours.Blocks);
        await AssertGeographyAreas(connection, ours.Blocks);
    }

    [SkippableFact]
    public async Task Huanchaco_clipped_to_the_district_has_the_area_of_the_PostGIS_clip()
    {
        var streets = StreetLines.From(VectorFile.Read(Geodata("osm/huanchaco_130104_streets_clipped_wgs84.geojson")));
        var district = StreetLines.Geometries(VectorFile.Read(Geodata("admin/huanchaco_130104_inei2023.geojson")))[0];
        var ours = BlockBuilder.Build(streets, district);
        var prepared = BlockBuilder.PrepareLines(streets);
        await using var connection = await Connect();
        await PostgisBlocks.LoadAsync(connection, prepared);
        var theirs = await PostgisBlocks.PolygonizeAsync(connection, prepared.UtmEpsg, district);
        output.WriteLine($"ours {ours.Blocks.Count} blocks, {ours.Blocks.Sum(b => b.AreaSquareMeters):F0} m²; " +
                         $"PostGIS {theirs.Count} pieces, {theirs.Sum(f => f.AreaSquareMeters):F0} m²; {string.Join("; ", ours.Report.Notes)}");

        AssertClose(theirs.Sum(f => f.AreaSquareMeters), ours.Blocks.Sum(b => b.AreaSquareMeters), 0.0001, "total area");
        await AssertGeographyAreas(connection, ours.Blocks);
    }

    [SkippableFact]
    public async Task Metro_scale_blocks_are_those_of_ST_Polygonize_ST_Node_and_each_copy_keeps_its_ids()
    {
        // The real extract's streets twice side by side (6,058 ways each, as the metro case of `barrio bench blocks`):
        // the copies are clusters apart, noded and polygonized each on its own and side by side on the cores. The faces
        // must be PostGIS's, and the blocks of the first copy must be those of that copy built alone (same ids, areas).
        var both = StreetLines.From(MetroArea.Streets(2));
        var first = both.Take(both.Count / 2).ToList();
        var ours = BlockBuilder.Build(both, null, RawFaces);
        var alone = BlockBuilder.Build(first, null, RawFaces);
        var prepared = BlockBuilder.PrepareLines(both, RawFaces);
        Assert.Equal(alone.UtmEpsg, ours.UtmEpsg);
        await using var connection = await Connect();
        await PostgisBlocks.LoadAsync(connection, prepared);
        var theirs = await PostgisBlocks.PolygonizeAsync(connection, prepared.UtmEpsg, null);
        output.WriteLine($"ours {ours.Blocks.Count} faces, {ours.Blocks.Sum(b => b.AreaSquareMeters):F0} m²; " +
                         $"PostGIS {theirs.Count} faces, {theirs.Sum(f => f.AreaSquareMeters):F0} m²; first copy alone {alone.Blocks.Count}");

        Assert.InRange(alone.Blocks.Count, 1000, ours.Blocks.Count / 2 + 1);
        Assert.Equal(theirs.Count, ours.Blocks.Count);
        AssertClose(theirs.Sum(f => f.AreaSquareMeters), ours.Blocks.Sum(b => b.AreaSquareMeters), 0.0001, "total area");
        AssertEveryFaceMatched(theirs, ours.Blocks);
        await AssertGeographyAreas(connection, ours.Blocks);

        var east = alone.Blocks.Max(b => b.Geometry.EnvelopeInternal.MaxX);
        var firstCopy = ours.Blocks.Where(b => b.Geometry.EnvelopeInternal.MaxX <= east).ToList();
        Assert.Equal(alone.Blocks.Select(b => b.Id), firstCopy.Select(b => b.Id));
        Assert.Equal(alone.Blocks.Select(b => Math.Round(b.AreaSquareMeters, 6)), firstCopy.Select(b => Math.Round(b.AreaSquareMeters, 6)));
        Assert.Equal(alone.Blocks.Select(b => Math.Round(b.FrontageMeters, 6)), firstCopy.Select(b => Math.Round(b.FrontageMeters, 6)));
    }

    [SkippableFact]
    public async Task Hand_made_crossings_agree_with_PostGIS()
    {
        // Crossings without nodes, a dead end, a duplicate, a near-miss T, a bowtie: the same faces in both.
        var reader = new NetTopologySuite.IO.WKTReader();
        StreetLine S(string wkt) => new(reader.Read(wkt), "residential");
        List<StreetLine> streets =
        [
            S("LINESTRING(-79.0600 -8.0200, -79.0580 -8.0200)"), S("LINESTRING(-79.0600 -8.0190, -79.0580 -8.0190)"),
            S("LINESTRING(-79.0595 -8.0205, -79.0595 -8.0185)"), S("LINESTRING(-79.0585 -8.0205, -79.0585 -8.0185)"),
            S("LINESTRING(-79.0590 -8.0200, -79.0590 -8.0196)"), S("LINESTRING(-79.0580 -8.0200, -79.0600 -8.0200)"),
            S("LINESTRING(-79.0590 -8.01900001, -79.0590 -8.0180)"),
            S("LINESTRING(-79.0570 -8.0200, -79.0560 -8.0190, -79.0560 -8.0200, -79.0570 -8.0190, -79.0570 -8.0200)"),
        ];
        var ours = BlockBuilder.Build(streets, null, RawFaces);
        var prepared = BlockBuilder.PrepareLines(streets, RawFaces);
        await using var connection = await Connect();
        await PostgisBlocks.LoadAsync(connection, prepared);
        var theirs = await PostgisBlocks.PolygonizeAsync(connection, prepared.UtmEpsg, null);
        Assert.Equal(3, ours.Blocks.Count);
        Assert.Equal(theirs.Count, ours.Blocks.Count);
        AssertEveryFaceMatched(theirs, ours.Blocks);
        await AssertGeographyAreas(connection, ours.Blocks);
    }

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(actual / expected - 1) <= relative,
            $"{what}: ours {actual:F2}, PostGIS {expected:F2} ({(actual / expected - 1) * 100:F4} %)");

    /// <summary>Every PostGIS face has one of our blocks around its interior point, with the same area.</summary>
    private static void AssertEveryFaceMatched(List<PostgisBlocks.Face> theirs, IReadOnlyList<Block> ours)
    {
        var tree = new STRtree<Block>();
        foreach (var b in ours) tree.Insert(b.Geometry.EnvelopeInternal, b);
        tree.Build();
        var matched = new HashSet<string>();
        foreach (var face in theirs)
        {
            var at = face.Geometry.InteriorPoint.Coordinate;
            var block = tree.Query(new Envelope(at)).FirstOrDefault(b => new IndexedPointInAreaLocator(b.Geometry).Locate(at) == Location.Interior);
            Assert.True(block is not null, $"no block of ours at the PostGIS face {face.Geometry}");
            Assert.True(Math.Abs(block!.AreaSquareMeters - face.AreaSquareMeters) <= Math.Max(0.001 * face.AreaSquareMeters, 0.01),
                $"block {block.Id}: {block.AreaSquareMeters:F3} m², PostGIS face {face.AreaSquareMeters:F3} m²");
            Assert.True(matched.Add(block.Id), $"block {block.Id} matches two PostGIS faces");
        }
    }

    /// <summary>Our areas (UTM, scale-corrected) against ST_Area(geography) of the same polygons: within 0.1 %.</summary>
    private static async Task AssertGeographyAreas(NpgsqlConnection connection, IReadOnlyList<Block> blocks)
    {
        var areas = await PostgisBlocks.GeographyAreasAsync(connection, blocks.Select(b => b.Geometry));
        for (var i = 0; i < blocks.Count; i++)
            Assert.True(Math.Abs(blocks[i].AreaSquareMeters / areas[i] - 1) <= 0.001,
                $"block {blocks[i].Id}: {blocks[i].AreaSquareMeters:F3} m², geography {areas[i]:F3} m²");
    }
}
