using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Bench.Synthetic;
using BarrioSeguro.Geo.Core.Network;
using NetTopologySuite.Geometries;
using static BarrioSeguro.Geo.Core.Tests.Blocks.BlockSamples;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Network;

/// <summary>Hand-made networks drawn in local metres (UTM 17S near El Milagro), handed over in lon/lat.</summary>
public class StreetGraphTests
{
    public static NetworkStreet S(string wkt, string @class = "residential", int layer = 0, bool oneway = false, string? name = null) =>
        new(Metres(wkt), @class, layer, oneway, name);

    [Fact]
    public void A_line_is_one_edge_with_its_length_and_walking_time()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 100 0, 100 50)")], TravelMode.Foot);
        var e = Assert.Single(g.Edges);
        Assert.Equal(2, g.NodeCount);
        Assert.Equal(150 / g.ScaleFactor, e.LengthMeters, 3);
        Assert.Equal(e.LengthMeters / (5 / 3.6), e.ForwardSeconds, 9);
        Assert.Equal(e.ForwardSeconds, e.BackwardSeconds);
        Assert.Equal(32717, g.UtmEpsg);
        Assert.Equal(1, g.Components.Count);
        Assert.Equal(0, g.Components.LeftOutKm);
    }

    [Fact]
    public void A_triangle_of_three_lines_has_three_nodes_and_one_component()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 100 0)"), S("LINESTRING(100 0, 50 80)"), S("LINESTRING(50 80, 0 0)")], TravelMode.Car);
        Assert.Equal(3, g.NodeCount);
        Assert.Equal(3, g.Edges.Count);
        Assert.Equal(1, g.Components.Count);
        Assert.Equal(100 / g.ScaleFactor / (25 / 3.6), g.Edges.MinBy(e => Math.Abs(e.LengthMeters - 100))!.ForwardSeconds, 3);
    }

    [Fact]
    public void Crossings_and_shared_vertices_on_the_same_layer_are_nodes_dead_ends_stay()
    {
        var g = StreetGraph.Build([S("LINESTRING(-50 0, 150 0)"), S("LINESTRING(0 -50, 0 150)"), S("LINESTRING(100 0, 100 -20, 120 -20)")], TravelMode.Foot);
        // The first line is cut at x=0 (crossing) and x=100 (the third line's end); the second at y=0.
        Assert.Equal(6, g.Edges.Count);
        Assert.Equal(1, g.Components.Count);
        Assert.Equal((200 + 200 + 40) / g.ScaleFactor / 1000, g.TotalKm, 6);
    }

    [Fact]
    public void A_bridge_crossing_a_street_does_not_connect_to_it_but_its_ends_do()
    {
        var g = StreetGraph.Build([S("LINESTRING(-50 0, 150 0)"), S("LINESTRING(50 -50, 50 50)", "primary", layer: 1)], TravelMode.Car);
        Assert.Equal(2, g.Edges.Count);
        Assert.Equal(2, g.Components.Count);

        // A bridge whose end lies on the middle of a street: the street is cut there.
        var joined = StreetGraph.Build([S("LINESTRING(-50 0, 150 0)"), S("LINESTRING(50 0, 50 100)", "primary", layer: 1)], TravelMode.Car);
        Assert.Equal(3, joined.Edges.Count);
        Assert.Equal(1, joined.Components.Count);
    }

    [Fact]
    public void One_way_streets_bind_vehicles_and_not_walkers()
    {
        var streets = new[] { S("LINESTRING(0 0, 100 0)", oneway: true) };
        var car = Assert.Single(StreetGraph.Build(streets, TravelMode.Car).Edges);
        Assert.True(double.IsPositiveInfinity(car.BackwardSeconds));
        Assert.True(double.IsFinite(car.ForwardSeconds));
        var bike = Assert.Single(StreetGraph.Build(streets, TravelMode.Bike).Edges);
        Assert.True(double.IsPositiveInfinity(bike.BackwardSeconds));
        var foot = Assert.Single(StreetGraph.Build(streets, TravelMode.Foot).Edges);
        Assert.Equal(foot.ForwardSeconds, foot.BackwardSeconds);
    }

    [Fact]
    public void Classes_a_mode_may_not_use_are_left_out_and_reported()
    {
        var streets = new[] { S("LINESTRING(0 0, 100 0)"), S("LINESTRING(100 0, 200 0)", "footway") };
        var car = StreetGraph.Build(streets, TravelMode.Car);
        Assert.Single(car.Edges);
        Assert.Equal(1, car.Report.ExcludedForMode);
        Assert.Contains(car.Report.Notes, n => n.English.Contains("by car"));
        Assert.Equal(2, StreetGraph.Build(streets, TravelMode.Foot).Edges.Count);
        var e = Assert.Throws<RefusalException>(() => StreetGraph.Build([streets[1]], TravelMode.Car));
        Assert.Contains("No street can be used by car", e.Message);
    }

    [Fact]
    public void Duplicate_ways_become_one_edge()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 100 0)", oneway: true), S("LINESTRING(100 0, 0 0)", oneway: true)], TravelMode.Car);
        var e = Assert.Single(g.Edges);
        Assert.True(double.IsFinite(e.BackwardSeconds)); // one each way: both directions open
        Assert.Equal(1, g.Report.DuplicatePiecesMerged);
    }

    [Fact]
    public void Ends_within_a_centimetre_are_one_node_as_pgr_createTopology_makes_them()
    {
        // Footway, steps and path drawn apart from the street: ends 4 mm and 7 mm off join, 3 cm off stays apart.
        var g = StreetGraph.Build([S("LINESTRING(0 0, 100 0)"), S("LINESTRING(100.004 0, 100 40)", "footway"),
            S("LINESTRING(100 40.007, 60 40)", "steps"), S("LINESTRING(60 40.03, 60 80)", "path")], TravelMode.Foot);
        Assert.Equal(4, g.Edges.Count);
        Assert.Equal(6, g.NodeCount);
        Assert.Equal(2, g.Components.Count);
        Assert.Equal((100 + 40 + 40) / g.ScaleFactor / 1000, g.Components.LargestKm, 4);
        Assert.Equal(g.Edges.Single(e => e.Class == "residential").Component, g.Edges.Single(e => e.Class == "steps").Component);
        Assert.NotEqual(g.Edges.Single(e => e.Class == "steps").Component, g.Edges.Single(e => e.Class == "path").Component);
        // The moved ends are the node's position, so the edges meet there.
        var footway = g.Edges.Single(e => e.Class == "footway");
        Assert.True(footway.Geometry.Coordinates[0].Equals2D(g.NodeCoordinate(footway.From)));

        // A piece shorter than the tolerance between two streets: its ends are one node, it is dropped.
        var tiny = StreetGraph.Build([S("LINESTRING(0 0, 100 0)"), S("LINESTRING(100 0, 100.005 0)"), S("LINESTRING(100.005 0, 200 0)")], TravelMode.Foot);
        Assert.Equal(2, tiny.Edges.Count);
        Assert.Equal(1, tiny.Components.Count);
        Assert.Contains(tiny.Report.Notes, n => n.English.Contains("node tolerance"));
    }

    [Theory]
    [InlineData("footway")]
    [InlineData("steps")]
    [InlineData("path")]
    [InlineData("pedestrian")]
    public void Footways_steps_paths_and_pedestrian_streets_are_walked_not_driven(string highway)
    {
        var streets = new[] { S("LINESTRING(0 0, 100 0)"), S("LINESTRING(100 0, 100 60)", highway) };
        var foot = StreetGraph.Build(streets, TravelMode.Foot);
        Assert.Equal(2, foot.Edges.Count);
        Assert.Equal(1, foot.Components.Count);
        Assert.Equal(60 / foot.ScaleFactor / (5 / 3.6), foot.Edges.Single(e => e.Class == highway).ForwardSeconds, 3);
        var car = StreetGraph.Build(streets, TravelMode.Car);
        Assert.Single(car.Edges);
        Assert.Equal(1, car.Report.ExcludedForMode);
    }

    [Fact]
    public void An_isolated_piece_is_a_second_component_with_its_km()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 300 0)"), S("LINESTRING(0 500, 100 500)", "footway")], TravelMode.Foot);
        Assert.Equal(2, g.Components.Count);
        Assert.Equal(0.3 / g.ScaleFactor, g.Components.LargestKm, 6);
        Assert.Equal(0.1 / g.ScaleFactor, g.Components.LeftOutKm, 6);
        Assert.Equal(1, g.Edges.Single(e => e.Class == "footway").Component);
    }

    [Fact]
    public void Snapping_gives_edge_offset_and_distance_or_null_beyond_the_tolerance()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 100 0)")], TravelMode.Foot);
        var at = g.Snap((Point)Metres("POINT(25 10)"), 50);
        Assert.NotNull(at);
        Assert.Equal(0.25, at.Value.Fraction, 6);
        Assert.Equal(10 / g.ScaleFactor, at.Value.DistanceMeters, 3);
        Assert.Equal(25 / g.ScaleFactor, at.Value.OffsetMeters, 3);
        Assert.Null(g.Snap((Point)Metres("POINT(25 80)"), 50));
    }

    [Fact]
    public void Speeds_default_by_mode_and_class_and_refuse_zero()
    {
        var t = SpeedTable.Default;
        Assert.Equal(5, t.SpeedKmh(TravelMode.Foot, "footway"));
        Assert.Equal(5, t.SpeedKmh(TravelMode.Foot, "steps"));
        Assert.Null(t.SpeedKmh(TravelMode.Foot, "motorway"));
        Assert.Equal(16, t.SpeedKmh(TravelMode.Bike, "residential"));
        Assert.Null(t.SpeedKmh(TravelMode.Bike, "footway"));
        Assert.Equal(40, t.SpeedKmh(TravelMode.Car, "primary"));
        Assert.Equal(35, t.SpeedKmh(TravelMode.Moto, "secondary"));
        Assert.Equal(10, t.SpeedKmh(TravelMode.Car, "living_street"));
        Assert.Equal(60, t.SpeedKmh(TravelMode.Car, "motorway"));
        Assert.Null(t.SpeedKmh(TravelMode.Car, "pedestrian"));
        Assert.Equal(18, t.With(TravelMode.Bike, "footway", 18).SpeedKmh(TravelMode.Bike, "footway"));

        var zero = Assert.Throws<RefusalException>(() => t.With(TravelMode.Car, "residential", 0));
        Assert.Contains("car", zero.Message);
        Assert.Contains("'residential'", zero.Message);
        Assert.Throws<RefusalException>(() => t.With(TravelMode.Foot, "path", -5));
        var mode = Assert.Throws<RefusalException>(() => TravelModes.Parse("helicopter"));
        Assert.Contains("unknown travel mode 'helicopter'", mode.Message);
        Assert.Equal(TravelMode.Moto, TravelModes.Parse("MOTO"));
    }

    [Fact]
    public void The_synthetic_grid_has_the_promised_size_and_is_the_same_each_time()
    {
        var a = SyntheticStreets.Grid(5, 4);
        Assert.Equal(2 * 5 * 4 - 5 - 4, a.Count);
        var b = SyntheticStreets.Grid(5, 4);
        Assert.Equal(a.Select(s => (s.Geometry.ToText(), s.Oneway)), b.Select(s => (s.Geometry.ToText(), s.Oneway)));
        var g = StreetGraph.Build(a, TravelMode.Foot);
        Assert.Equal(20, g.NodeCount);
        Assert.Equal(31, g.Edges.Count);
    }
}
