using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Planning.Blocks;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Planning.Tests.Blocks;

public class BlockPlanningTests
{
    private static readonly GeometryFactory F = new(new PrecisionModel(), 4326);
    private const double X0 = -79.05, Y0 = -8.08, D = 0.001;

    private static StreetLine Street(double xa, double ya, double xb, double yb) =>
        new(F.CreateLineString([new(xa, ya), new(xb, yb)]), "residential");

    /// <summary>Two blocks side by side: three north-south streets and two east-west ones, 110 m apart.</summary>
    private static List<StreetLine> TwoBlocks() =>
    [
        Street(X0, Y0 - D / 2, X0, Y0 + 1.5 * D), Street(X0 + D, Y0 - D / 2, X0 + D, Y0 + 1.5 * D), Street(X0 + 2 * D, Y0 - D / 2, X0 + 2 * D, Y0 + 1.5 * D),
        Street(X0 - D / 2, Y0, X0 + 2.5 * D, Y0), Street(X0 - D / 2, Y0 + D, X0 + 2.5 * D, Y0 + D),
    ];

    private static Polygon Box(double xa, double ya, double xb, double yb) =>
        F.CreatePolygon([new(xa, ya), new(xb, ya), new(xb, yb), new(xa, yb), new(xa, ya)]);

    [Fact]
    public void A_block_closed_by_a_street_outside_the_area_is_kept_clipped_to_it()
    {
        // The area holds the west block and the west half of the east one, whose eastern street lies outside it.
        var area = Box(X0 - D / 4, Y0 - D / 4, X0 + 1.5 * D, Y0 + 1.25 * D);
        var all = BlockPlanning.Build(TwoBlocks(), area);
        Assert.Equal(2, all.Blocks.Count);
        // Only the streets that touch the area (what the service read before): the east block is lost.
        var touching = TwoBlocks().Where(s => s.Geometry.Intersects(area)).ToList();
        Assert.Single(BlockPlanning.Build(touching, area).Blocks);
        // The streets around the area (what the service reads now) keep it.
        Assert.Equal(2, BlockPlanning.Build(BlockPlanning.Near(TwoBlocks(), s => s.Geometry, area), area).Blocks.Count);
    }

    [Fact]
    public void Block_attributes_have_one_name_each_and_are_rounded_as_written()
    {
        var incident = F.CreatePoint(new Coordinate(X0 + D / 2, Y0 + D / 2));
        var set = BlockPlanning.Build(TwoBlocks(), null, [incident]);
        var attributes = set.Blocks.Select(BlockPlanning.Attributes).ToList();
        Assert.All(attributes, a => Assert.Equal(["id", "area_m2", "perim_m", "frontage_m", "incidents", "buildings"], a.Keys));
        Assert.Equal(1, attributes.Sum(a => (int)a["incidents"]!));
        Assert.All(attributes, a => Assert.Equal(Math.Round((double)a["frontage_m"]!, 2), (double)a["frontage_m"]!));
        Assert.All(attributes, a => Assert.InRange((double)a["area_m2"]!, 0.9 * 110 * 110, 1.1 * 110 * 110));
    }
}
