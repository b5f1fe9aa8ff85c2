using BarrioSeguro.Geo.Core.Neighborhoods;
using NetTopologySuite.Geometries;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Neighborhoods.Metres;

namespace BarrioSeguro.Geo.Core.Tests.Neighborhoods;

public class BoundarySnapperTests
{
    // Street centrelines on a 100 m grid.
    private static readonly Geometry[] Grid =
    [
        M("LINESTRING(-50 0, 250 0)"), M("LINESTRING(-50 100, 250 100)"),
        M("LINESTRING(0 -50, 0 250)"), M("LINESTRING(100 -50, 100 250)"), M("LINESTRING(200 -50, 200 250)"),
    ];

    [Fact]
    public void Vertices_near_streets_move_onto_them()
    {
        var drawn = M("POLYGON((2 -3, 198 1, 197 60, 201 98, -1 103, 2 -3))");
        var snapped = BoundarySnapper.Snap(drawn, Grid, 5);
        Assert.IsType<Polygon>(snapped);
        Assert.True(snapped.IsValid);
        var back = ((Polygon)snapped).ExteriorRing.Coordinates.Select(c => Back(c)).ToList();
        var expected = new[] { (0.0, 0.0), (200, 0), (200, 60), (200, 100), (0, 100), (0, 0) };
        Assert.Equal(expected.Length, back.Count);
        foreach (var (e, a) in expected.Zip(back))
        {
            Assert.InRange(a.X, e.Item1 - 0.01, e.Item1 + 0.01);
            Assert.InRange(a.Y, e.Item2 - 0.01, e.Item2 + 0.01);
        }
    }

    [Fact]
    public void Vertices_beyond_the_tolerance_stay()
    {
        var drawn = M("POLYGON((20 20, 80 20, 80 80, 20 80, 20 20))");
        var snapped = BoundarySnapper.Snap(drawn, Grid, 5);
        Assert.True(snapped.EqualsExact(drawn, 1e-9));
    }

    [Fact]
    public void Snapping_that_would_cross_the_ring_stays_valid()
    {
        // A thin drawn shape whose two long sides both snap onto the same street: without care this collapses.
        var drawn = M("POLYGON((10 -2, 90 -2, 90 2, 50 3, 10 2, 10 -2))");
        var snapped = BoundarySnapper.Snap(drawn, Grid, 5);
        Assert.True(snapped.IsValid);
        // A drawn bowtie-prone quadrilateral: two vertices pulled past each other.
        var twisted = M("POLYGON((0 0, 104 4, 96 -3, 30 60, 0 0))");
        Assert.True(BoundarySnapper.Snap(twisted, Grid, 6).IsValid);
    }

    [Fact]
    public void No_targets_gives_a_copy() =>
        Assert.True(BoundarySnapper.Snap(M("POLYGON((0 0, 10 0, 10 10, 0 0))"), [], 5).EqualsExact(M("POLYGON((0 0, 10 0, 10 10, 0 0))")));
}
