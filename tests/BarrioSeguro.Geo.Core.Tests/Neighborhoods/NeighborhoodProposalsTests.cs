using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Neighborhoods;

public class NeighborhoodProposalsTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
    private const double Step = 0.001; // about 110 m

    /// <summary>A 5 x 5 grid of blocks sharing their edges, ids "r{row}c{col}", south-west corner at (-79.07, -8.03).</summary>
    private static List<BlockShape> Grid() =>
        (from r in Enumerable.Range(0, 5)
         from c in Enumerable.Range(0, 5)
         let x = X(c)
         let y = Y(r)
         select new BlockShape($"r{r}c{c}", Factory.CreatePolygon(
         [
             new Coordinate(x, y), new Coordinate(X(c + 1), y), new Coordinate(X(c + 1), Y(r + 1)), new Coordinate(x, Y(r + 1)), new Coordinate(x, y),
         ]))).ToList();

    // Neighbouring blocks share their corner coordinates exactly, as blocks from the street network do.
    private static double X(int c) => -79.07 + c * Step;
    private static double Y(int r) => -8.03 + r * Step;

    [Fact]
    public void Adjacent_blocks_merge_into_one_part_without_inner_edges()
    {
        var p = NeighborhoodProposals.FromBlocks(Grid(), ["r0c0", "r0c1", "r1c0", "r1c1"]);
        var part = Assert.Single(p.Boundary.Geometries);
        Assert.Equal(8 * Step, part.Length, 12); // the outline of the 2 x 2 square: the shared edges are gone
        Assert.Equal(4 * Step * Step, p.Boundary.Area, 12);
        Assert.Empty(p.Notes);
    }

    [Fact]
    public void Chosen_blocks_around_an_unchosen_one_keep_it_out_as_a_hole()
    {
        var ring = Grid().Where(b => b.Id is not "r1c1" && b.Id[1] <= '2' && b.Id[3] <= '2').Select(b => b.Id).ToList();
        var p = NeighborhoodProposals.FromBlocks(Grid(), ring);
        Assert.True(1 == ((Polygon)p.Boundary.GetGeometryN(0)).NumInteriorRings, p.Boundary.AsText());
    }

    [Fact]
    public void Separate_blocks_give_separate_parts_and_say_so()
    {
        var p = NeighborhoodProposals.FromBlocks(Grid(), ["r0c0", "r4c4"]);
        Assert.Equal(2, p.Boundary.NumGeometries);
        Assert.Contains(p.Notes, n => n.English.Contains("2 separate parts"));
    }

    [Fact]
    public void Unknown_ids_are_named()
    {
        var ex = Assert.Throws<RefusalException>(() => NeighborhoodProposals.FromBlocks(Grid(), ["r0c0", "nope"]));
        Assert.Contains("nope", ex.Message);
    }

    [Fact]
    public void Hot_spot_proposal_covers_the_dense_cluster_and_not_the_lone_incident()
    {
        // Six incidents in block r3c3 (tight), one far away in r0c0.
        var incidents = Enumerable.Range(0, 6)
            .Select(i => Factory.CreatePoint(new Coordinate(-79.07 + 3.5 * Step + i * 0.00005, -8.03 + 3.5 * Step)))
            .Append(Factory.CreatePoint(new Coordinate(-79.07 + 0.5 * Step, -8.03 + 0.5 * Step)))
            .ToList();

        var p = NeighborhoodProposals.FromHotspots(incidents, Grid(), new HotspotOptions { RadiusMeters = 60, MinIncidents = 4 });

        Assert.Contains("r3c3", p.BlockIds);
        Assert.DoesNotContain("r0c0", p.BlockIds);
        Assert.True(p.Boundary.Contains(incidents[0]));
        Assert.False(p.Boundary.Contains(incidents[^1]));
        Assert.Contains(p.Notes, n => n.English.Contains("6 incidents"));
        Assert.Empty(InputGeometryCheck.Check(p.Boundary));
    }

    [Fact]
    public void No_cluster_says_what_to_change()
    {
        var lonely = new List<Point> { Factory.CreatePoint(new Coordinate(-79.0685, -8.0285)) };
        var ex = Assert.Throws<RefusalException>(() => NeighborhoodProposals.FromHotspots(lonely, Grid()));
        Assert.Contains("Lower the count or widen the radius", ex.Message);
    }
}
