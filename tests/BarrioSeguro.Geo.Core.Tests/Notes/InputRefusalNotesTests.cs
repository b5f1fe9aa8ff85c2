using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Notes;

/// <summary>
/// Issue 12: what a user's input can make Core refuse is a note (code and arguments), so the API and the CLI say it in
/// the reader's language. One representative refusal per file; the Spanish text is checked free of English words.
/// </summary>
public class InputRefusalNotesTests
{
    private static readonly WKTReader Wkt = new(new NtsGeometryServices(new PrecisionModel(), 4326));

    private static readonly string[] EnglishWords = [" the ", " must ", " not ", " is ", " has ", "invalid", "unknown", " block", " street", " give "];

    /// <summary>The refusal's note, checked to have the code and a Spanish text without English words.</summary>
    private static Note Refused(Action act, string code)
    {
        var e = Assert.Throws<RefusalException>(act);
        Assert.Equal(code, e.Reason.Code);
        var spanish = " " + e.Reason.Text("es") + " ";
        Assert.DoesNotContain(spanish, s => s == '\uFFFD');
        foreach (var word in EnglishWords) Assert.False(spanish.Contains(word, StringComparison.OrdinalIgnoreCase), $"{code}: '{word}' in \"{spanish}\"");
        Assert.NotEqual(e.Reason.Text("en"), e.Reason.Text("es"));
        return e.Reason;
    }

    private static StreetGraph Graph() =>
        StreetGraph.Build([new NetworkStreet(Wkt.Read("LINESTRING(-79.03 -8.10, -79.02 -8.10)"), "residential")], TravelMode.Foot);

    [Fact]
    public void Plan_checks_name_the_blocks_without_a_sector()
    {
        var units = Grid(1, 3, (_, _) => 1);
        var n = Refused(() => PlanEvaluator.Evaluate(units, new Dictionary<string, int> { ["r0c0"] = 0 }), "sectors.plan_missing_blocks");
        Assert.Equal(2.0, n.Args["count"]);
        Assert.Equal(["r0c1", "r0c2"], (string[])n.Args["blocks"]);
        Assert.Equal("2 manzana(s) no tienen sector: r0c1, r0c2.", n.Text("es"));
    }

    [Fact]
    public void An_edit_of_a_plan_naming_unknown_blocks_is_refused_by_name()
    {
        var units = Grid(1, 2, (_, _) => 1);
        var plan = new Dictionary<string, int> { ["r0c0"] = 0, ["r0c1"] = 1, ["zz"] = 1 };
        var n = Refused(() => PlanEdits.Evaluate(units, plan, new Dictionary<string, int>()), "sectors.plan_unknown_blocks");
        Assert.Equal(["zz"], (string[])n.Args["blocks"]);
    }

    [Fact]
    public void Why_here_of_an_unknown_block_names_it()
    {
        var units = Grid(1, 2, (_, _) => 1);
        var n = Refused(() => WhyHere.Explain(units, new Dictionary<string, int> { ["r0c0"] = 0, ["r0c1"] = 1 }, "nada"), "sectors.why_no_block");
        Assert.Equal("nada", n.Args["block"]);
    }

    [Fact]
    public void Sectorizer_options_and_blocks_are_refused_with_their_values()
    {
        var units = Grid(1, 4, (_, _) => 1);
        Assert.Equal(0.0, Refused(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 2, Attempts = 0 }), "sectors.refused_attempts").Args["attempts"]);
        Assert.Equal(-1.0, Refused(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 2, StayCloseWeight = -1 }), "sectors.refused_stay_close").Args["weight"]);
        var twice = Grid(1, 4, (_, _) => 1);
        twice[1] = twice[1] with { Id = "r0c0" };
        Assert.Equal("r0c0", Refused(() => Sectorizer.Partition(twice, new PartitionOptions { Sectors = 2 }), "sectors.block_id_twice").Args["block"]);
        var point = Grid(1, 4, (_, _) => 1);
        point[2] = point[2] with { Geometry = point[2].Geometry.Centroid };
        var n = Refused(() => Sectorizer.Partition(point, new PartitionOptions { Sectors = 2 }), "sectors.block_not_polygon");
        Assert.Equal("Point", n.Args["type"]);
        Assert.Contains("es un punto", n.Text("es"));
    }

    [Fact]
    public void A_barrier_line_of_one_point_is_refused_by_its_name()
    {
        var n = Refused(() => new BarrierPath("Río Moche", [[[-79.03, -8.1]]]).ToBarrier(), "barriers.line_too_short");
        Assert.Equal("Río Moche", n.Args["barrier"]);
    }

    [Fact]
    public void Coverage_and_the_street_graph_refuse_with_codes()
    {
        var g = Graph();
        var p = (Point)Wkt.Read("POINT(-79.025 -8.1)");
        var names = Refused(() => Coverage.Compute(g, [p], 5, new CoverageOptions { UnitNames = ["a", "b"] }), "coverage.refused_names_count");
        Assert.Equal(2.0, names.Args["names"]);
        Assert.Equal(1.0, names.Args["units"]);
        var far = (Point)Wkt.Read("POINT(-79.025 -8.102)");
        var none = Refused(() => Coverage.Compute(g, [far], 5), "coverage.refused_none_near");
        Assert.Equal("foot", none.Args["mode"]);
        Assert.Contains("a pie", none.Text("es"));

        Refused(() => StreetGraph.Build([], TravelMode.Car), "network.refused_no_streets");
        var notLine = Refused(() => StreetGraph.Build([new NetworkStreet(p, "residential")], TravelMode.Car), "network.refused_not_line");
        Assert.Equal("Point", notLine.Args["type"]);
        Assert.Equal("helicóptero", Refused(() => TravelModes.Parse("helicóptero"), "network.refused_mode").Args["mode"]);
        var speed = Refused(() => SpeedTable.Default.With(TravelMode.Car, "residential", 0), "network.refused_speed");
        Assert.Equal("residential", speed.Args["class"]);
        Assert.Equal("car", speed.Args["mode"]);
    }

    [Fact]
    public void Postman_input_checks_are_refusals_with_their_values()
    {
        var g = new PostmanGraph(2, [new PostmanEdge(0, 1, 10, false, true)]);
        var start = Refused(() => ChinesePostman.Solve(g, 5), "postman.refused_start");
        Assert.Equal(5.0, start.Args["start"]);
        Assert.Equal(1.0, start.Args["last"]);
        Assert.Equal(0.0, Refused(() => ChinesePostman.Solve(g, 0, 0, new PostmanOptions { ExactNodeLimit = 0 }), "postman.refused_node_limit").Args["limit"]);
    }

    [Fact]
    public void Block_building_refuses_with_codes()
    {
        Refused(() => BlockBuilder.Build([], null), "blocks.refused_no_streets");
        var street = new StreetLine(Wkt.Read("LINESTRING(-79.03 -8.10, -79.02 -8.10)"), "residential");
        var line = Refused(() => BlockBuilder.Build([street], Wkt.Read("LINESTRING(-79.03 -8.11, -79.02 -8.09)")), "blocks.refused_boundary_type");
        Assert.Equal("LineString", line.Args["type"]);
        var far = Refused(() => BlockBuilder.Build([street], Wkt.Read("POLYGON((-78 -7, -77.9 -7, -77.9 -6.9, -78 -6.9, -78 -7))")), "blocks.refused_boundary_no_street");
        Assert.Empty(far.Args);
    }

    [Fact]
    public void Neighbourhood_proposals_name_unknown_blocks()
    {
        var blocks = new List<BlockShape> { new("a", (Polygon)Wkt.Read("POLYGON((-79.03 -8.1, -79.02 -8.1, -79.02 -8.09, -79.03 -8.09, -79.03 -8.1))")) };
        Refused(() => NeighborhoodProposals.FromBlocks(blocks, []), "neighborhood.refused_no_block");
        Assert.Equal(["nope"], (string[])Refused(() => NeighborhoodProposals.FromBlocks(blocks, ["a", "nope"]), "neighborhood.refused_unknown_blocks").Args["blocks"]);
        var none = Refused(() => NeighborhoodProposals.FromHotspots([(Point)Wkt.Read("POINT(-79.025 -8.095)")], blocks), "neighborhood.refused_no_hotspot");
        Assert.True((double)none.Args["radius"] > 0);
    }

    [Fact]
    public void Street_words_and_input_limits_are_notes_naming_the_limit_and_its_unit()
    {
        Assert.Equal("both", Refused(() => StreetGeometry.ParseNonLines("both"), "input.refused_non_lines_word").Args["value"]);
        Assert.Null(InputLimits.FileFeatures(InputLimits.FeaturesPerFile));
        var many = InputLimits.FileFeatures(InputLimits.FeaturesPerFile + 1)!;
        Assert.Equal("limits.file_features", many.Code);
        Assert.Equal((double)InputLimits.FeaturesPerFile, many.Args["limit"]);
        Assert.Equal("el archivo tiene 200,001 entidades; se admiten como máximo 200,000 entidades", many.Text("es"));
        var name = InputLimits.FieldLength("name", new string('x', 201), InputLimits.NameLength)!;
        Assert.Equal("'name' has 201 characters; at most 200 characters are allowed", name.Text("en"));
    }
}
