using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Blocks;
using NetTopologySuite.Geometries;
using static BarrioSeguro.Geo.Core.Tests.Blocks.BlockSamples;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Blocks;

/// <summary>Hand-made cases, drawn in metres (UTM 17S near El Milagro) and handed over in lon/lat.</summary>
public class BlockBuilderTests
{
    // Local metres are UTM metres; UTM at -79.06° stretches lengths by k ≈ 1.00010, areas by k².
    private const double Square = 10_000;

    private static void AssertArea(double expected, double actual) =>
        Assert.True(Math.Abs(actual / expected - 1) < 0.001, $"area {actual:F1} m², expected about {expected:F1} m²");

    [Fact]
    public void Streets_crossing_without_a_shared_node_are_noded_and_their_dead_ends_dropped()
    {
        var set = BlockBuilder.Build(Hash(), null);
        var block = Assert.Single(set.Blocks);
        AssertArea(Square, block.AreaSquareMeters);
        Assert.InRange(block.PerimeterMeters, 399.5, 400.1);
        Assert.Equal(block.PerimeterMeters, block.FrontageMeters, 6);
        Assert.Equal(8, set.Report.DanglesDropped);
        Assert.Equal(32717, set.UtmEpsg);
        Assert.Equal(4, set.Report.InputLines);
        Assert.Equal(1, set.Report.Blocks);
    }

    [Fact]
    public void A_bridge_over_a_street_does_not_split_the_block_beneath_it()
    {
        var bridge = Street("LINESTRING(-50 50, 150 50)", "primary", layer: 1);
        var set = BlockBuilder.Build([.. Hash(), bridge], null);
        AssertArea(Square, Assert.Single(set.Blocks).AreaSquareMeters);
        Assert.Equal(1, set.Report.ExcludedOtherLayer);

        var atGrade = BlockBuilder.Build([.. Hash(), bridge with { Layer = 0 }], null);
        Assert.Equal(2, atGrade.Blocks.Count);
        Assert.Equal(0, atGrade.Report.ExcludedOtherLayer);
    }

    [Fact]
    public void Footways_and_other_excluded_classes_do_not_bound_blocks()
    {
        var footway = Street("LINESTRING(-50 50, 150 50)", "footway");
        var set = BlockBuilder.Build([.. Hash(), footway], null);
        Assert.Single(set.Blocks);
        Assert.Equal(1, set.Report.ExcludedByClass);

        var counted = BlockBuilder.Build([.. Hash(), footway], null, new BlockOptions { ExcludedClasses = new HashSet<string>() });
        Assert.Equal(2, counted.Blocks.Count);
    }

    [Fact]
    public void A_dangle_inside_a_block_drops_out()
    {
        var set = BlockBuilder.Build([.. Hash(), Street("LINESTRING(50 0, 50 40)")], null);
        var block = Assert.Single(set.Blocks);
        AssertArea(Square, block.AreaSquareMeters);
        Assert.Equal(9, set.Report.DanglesDropped);
    }

    [Fact]
    public void Duplicate_ways_in_either_direction_are_dropped_and_counted()
    {
        var set = BlockBuilder.Build([.. Hash(), Street("LINESTRING(-50 0, 150 0)"), Street("LINESTRING(150 0, -50 0)")], null);
        AssertArea(Square, Assert.Single(set.Blocks).AreaSquareMeters);
        Assert.Equal(2, set.Report.DuplicateLinesDropped);
    }

    private static List<StreetLine> SquareWithT(double gap) =>
    [
        Street("LINESTRING(0 0, 100 0, 100 100, 0 100, 0 0)"),
        Street($"LINESTRING(50 {gap.ToString(System.Globalization.CultureInfo.InvariantCulture)}, 50 100)"),
    ];

    [Fact]
    public void A_street_ending_just_short_of_another_is_snapped_within_the_tolerance()
    {
        var snapped = BlockBuilder.Build(SquareWithT(0.3), null);
        Assert.Equal(2, snapped.Blocks.Count);
        Assert.Equal(1, snapped.Report.SnappedEndpoints);
        Assert.All(snapped.Blocks, b => AssertArea(Square / 2, b.AreaSquareMeters));
        AssertTiles(snapped.Blocks);

        Assert.Single(BlockBuilder.Build(SquareWithT(0.6), null).Blocks); // beyond 0.5 m: a dead end
        Assert.Single(BlockBuilder.Build(SquareWithT(0.3), null, new BlockOptions { SnapToleranceMeters = 0 }).Blocks);
        Assert.Equal(2, BlockBuilder.Build(SquareWithT(0.6), null, new BlockOptions { SnapToleranceMeters = 1 }).Blocks.Count);
    }

    [Fact]
    public void Two_street_ends_with_a_tiny_gap_join()
    {
        var set = BlockBuilder.Build(
        [
            Street("LINESTRING(0 0, 100 0, 100 100)"),
            Street("LINESTRING(100.2 100.1, 0 100, 0 0.3)"),
        ], null);
        AssertArea(Square, Assert.Single(set.Blocks).AreaSquareMeters);
        Assert.Equal(2, set.Report.SnappedEndpoints);
    }

    [Fact]
    public void A_sliver_between_a_way_and_its_near_duplicate_merges_into_its_neighbour()
    {
        List<StreetLine> streets =
        [
            Street("LINESTRING(0 0, 100 0, 100 100, 0 100, 0 0)"),
            Street("LINESTRING(0 0, 100 0.2)"),
        ];
        var set = BlockBuilder.Build(streets, null);
        AssertArea(Square, Assert.Single(set.Blocks).AreaSquareMeters);
        Assert.Contains(set.Report.Notes, n => n.English.Contains("sliver"));

        var raw = BlockBuilder.Build(streets, null, new BlockOptions { MinAreaSquareMeters = 0, SliverWidthMeters = 0 });
        Assert.Equal(2, raw.Blocks.Count);
        AssertArea(10, raw.Blocks.Min(b => b.AreaSquareMeters));
    }

    [Fact]
    public void A_bowtie_street_makes_two_triangles()
    {
        var set = BlockBuilder.Build([Street("LINESTRING(0 0, 100 100, 100 0, 0 100, 0 0)")], null);
        Assert.Equal(2, set.Blocks.Count);
        Assert.All(set.Blocks, b => AssertArea(Square / 4, b.AreaSquareMeters));
        AssertTiles(set.Blocks);
    }

    [Fact]
    public void A_ring_street_inside_a_block_makes_an_island_and_a_block_with_a_hole()
    {
        var set = BlockBuilder.Build(
            [Street("LINESTRING(0 0, 100 0, 100 100, 0 100, 0 0)"), Street("LINESTRING(25 25, 75 25, 75 75, 25 75, 25 25)")], null);
        Assert.Equal(2, set.Blocks.Count);
        var outer = set.Blocks.Single(b => b.Geometry.NumInteriorRings == 1);
        AssertArea(Square - 2500, outer.AreaSquareMeters);
        Assert.InRange(outer.FrontageMeters, 599.5, 600.1); // both rings are streets
        AssertTiles(set.Blocks);
    }

    [Fact]
    public void A_self_crossing_boundary_is_repaired_and_said_so()
    {
        // A bowtie around the # block: repaired into two triangles touching at (50, 50).
        var bowtie = Metres("POLYGON((-10 -10, 110 110, 110 -10, -10 110, -10 -10))");
        var set = BlockBuilder.Build(Hash(), bowtie);
        Assert.Contains(set.Report.Notes, n => n.English.Contains("repaired"));
        AssertArea(Square / 2, set.Blocks.Sum(b => b.AreaSquareMeters));
        AssertTiles(set.Blocks);
    }

    [Fact]
    public void Clipping_keeps_the_street_enclosed_pieces_inside_the_boundary()
    {
        // Two blocks side by side (0..100 and 100..200); the boundary takes x < 150 and reaches far past the streets.
        List<StreetLine> streets =
        [
            Street("LINESTRING(0 0, 200 0)"), Street("LINESTRING(0 100, 200 100)"),
            Street("LINESTRING(0 0, 0 100)"), Street("LINESTRING(100 0, 100 100)"), Street("LINESTRING(200 0, 200 100)"),
        ];
        var boundary = Metres("POLYGON((-500 -500, 150 -500, 150 500, -500 500, -500 -500))");
        var set = BlockBuilder.Build(streets, boundary);
        Assert.Equal(2, set.Blocks.Count);
        var whole = set.Blocks.Single(b => b.AreaSquareMeters > 9000);
        var cut = set.Blocks.Single(b => b.AreaSquareMeters < 9000);
        AssertArea(Square, whole.AreaSquareMeters);
        AssertArea(Square / 2, cut.AreaSquareMeters);
        Assert.Equal(whole.PerimeterMeters, whole.FrontageMeters, 6);
        Assert.InRange(cut.PerimeterMeters, 299.5, 300.1);
        Assert.InRange(cut.FrontageMeters, 199.5, 200.1); // 50 + 100 + 50: the cut side is not a street
        AssertTiles(set.Blocks);
    }

    [Fact]
    public void Clip_pieces_below_the_minimum_area_merge_into_a_neighbour()
    {
        List<StreetLine> streets =
        [
            Street("LINESTRING(0 0, 200 0)"), Street("LINESTRING(0 100, 200 100)"),
            Street("LINESTRING(0 0, 0 100)"), Street("LINESTRING(100 0, 100 100)"), Street("LINESTRING(200 0, 200 100)"),
        ];
        // The boundary takes a 0.004 m wide strip of the second block: a sliver.
        var set = BlockBuilder.Build(streets, Metres("POLYGON((-500 -500, 100.004 -500, 100.004 500, -500 500, -500 -500))"));
        AssertArea(Square, Assert.Single(set.Blocks).AreaSquareMeters);
    }

    [Fact]
    public void Ids_are_stable_unique_and_untouched_by_a_change_elsewhere()
    {
        var grid = new List<StreetLine>();
        for (var i = 0; i <= 3; i++)
        {
            grid.Add(Street($"LINESTRING(0 {i * 100}, 300 {i * 100})"));
            grid.Add(Street($"LINESTRING({i * 100} 0, {i * 100} 300)"));
        }
        var a = BlockBuilder.Build(grid, null);
        var b = BlockBuilder.Build(grid.AsEnumerable().Reverse(), null);
        Assert.Equal(9, a.Blocks.Count);
        Assert.Equal(a.Blocks.Select(x => x.Id), b.Blocks.Select(x => x.Id));
        Assert.Equal(9, a.Blocks.Select(x => x.Id).Distinct().Count());
        Assert.All(a.Blocks, x => Assert.Matches("^M[0-9A-HJKMNP-TV-Z]{10}$", x.Id));

        // A new street splits the corner block (200..300, 200..300): the other eight keep their ids.
        var c = BlockBuilder.Build([.. grid, Street("LINESTRING(250 200, 250 300)")], null);
        Assert.Equal(10, c.Blocks.Count);
        Assert.Equal(8, a.Blocks.Select(x => x.Id).Intersect(c.Blocks.Select(x => x.Id)).Count());
        AssertTiles(c.Blocks);
    }

    [Fact]
    public void Contents_are_counted_once_each()
    {
        var set = BlockBuilder.Build([Street("LINESTRING(0 0, 200 0, 200 100, 0 100, 0 0)"), Street("LINESTRING(100 0, 100 100)")], null);
        var left = set.Blocks.Single(b => b.Geometry.Contains(Metres("POINT(50 50)")));
        var right = set.Blocks.Single(b => b != left);
        Point P(string wkt) => (Point)Metres(wkt);
        BlockBuilder.CountContents(set.Blocks,
            [P("POINT(10 10)"), P("POINT(20 20)"), P("POINT(150 50)"), P("POINT(100 50)"), P("POINT(500 500)")],
            [Metres("POLYGON((140 40, 160 40, 160 60, 140 60, 140 40))"), Metres("POLYGON((500 500, 510 500, 510 510, 500 500))")]);
        Assert.Equal(4, left.Incidents + right.Incidents); // the point on the shared edge counts once; the far one not at all
        Assert.InRange(left.Incidents, 2, 3);
        Assert.Equal(1, right.Buildings);
        Assert.Equal(0, left.Buildings);
    }

    [Fact]
    public void Progress_runs_from_0_to_1()
    {
        var seen = new List<double>();
        BlockBuilder.Build(Hash(), null, progress: new SyncProgress(seen.Add));
        Assert.Equal(0, seen[0]);
        Assert.Equal(1, seen[^1]);
        Assert.Equal(seen.Order(), seen);
    }

    private sealed class SyncProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }

    // ---- bad input ----

    [Fact]
    public void Streets_that_are_not_lines_are_refused()
    {
        var e = Assert.Throws<RefusalException>(() => BlockBuilder.Build([.. Hash(), new StreetLine(Metres("POINT(5 5)"), "residential")], null));
        Assert.Contains("Street 4 is a Point, not a line", e.Message);
    }

    [Fact]
    public void No_streets_is_refused()
    {
        Assert.Contains("No streets", Assert.Throws<RefusalException>(() => BlockBuilder.Build([], null)).Message);
        var e = Assert.Throws<RefusalException>(() => BlockBuilder.Build([Street("LINESTRING(0 0, 10 0)", "footway")], null));
        Assert.Contains("1 are of an excluded class", e.Message);
    }

    [Fact]
    public void A_boundary_that_meets_no_street_is_refused()
    {
        var far = Metres("POLYGON((5000 5000, 5100 5000, 5100 5100, 5000 5100, 5000 5000))");
        Assert.Contains("meets no street", Assert.Throws<RefusalException>(() => BlockBuilder.Build(Hash(), far)).Message);
        var line = Metres("LINESTRING(0 0, 10 10)");
        Assert.Contains("must be a Polygon", Assert.Throws<RefusalException>(() => BlockBuilder.Build(Hash(), line)).Message);
    }

    [Fact]
    public void An_unknown_crs_or_projected_coordinates_are_refused()
    {
        var utm = new NetTopologySuite.IO.WKTReader().Read("LINESTRING(715000 9113000, 715100 9113000)");
        Assert.Contains("not longitude/latitude", Assert.Throws<RefusalException>(() => BlockBuilder.Build([new StreetLine(utm, "residential")], null)).Message);
        var unknown = utm.Copy();
        unknown.SRID = 99999;
        Assert.Contains("unknown CRS (EPSG:99999)", Assert.Throws<RefusalException>(() => BlockBuilder.Build([new StreetLine(unknown, "residential")], null)).Message);

        // A supported projected CRS is fine when the SRID says so.
        var square = new NetTopologySuite.IO.WKTReader().Read("LINESTRING(715000 9113000, 715100 9113000, 715100 9113100, 715000 9113100, 715000 9113000)");
        square.SRID = 32717;
        AssertArea(Square, Assert.Single(BlockBuilder.Build([new StreetLine(square, "residential")], null).Blocks).AreaSquareMeters);
    }

    [Fact]
    public void Osm_tags_give_the_layer()
    {
        Assert.Equal(0, StreetLine.LayerFromOsm(null, null, null));
        Assert.Equal(1, StreetLine.LayerFromOsm(null, "yes", null));
        Assert.Equal(2, StreetLine.LayerFromOsm("2", "yes", null));
        Assert.Equal(-1, StreetLine.LayerFromOsm(null, null, "yes"));
        Assert.Equal(0, StreetLine.LayerFromOsm(null, "no", "building_passage"));
    }
}
