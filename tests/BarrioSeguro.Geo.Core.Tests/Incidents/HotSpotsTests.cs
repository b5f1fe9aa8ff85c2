using BarrioSeguro.Geo.Core.Incidents;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Incidents;

public class HotSpotsTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    // About 11 m per 0.0001° at 8° S.
    private static Point At(double dx, double dy) => Factory.CreatePoint(new Coordinate(-79.06 + dx * 0.0001, -8.03 + dy * 0.0001));

    [Fact]
    public void The_densest_cluster_comes_first_and_a_second_must_lie_apart()
    {
        Point[] incidents =
        [
            At(0, 0), At(1, 0), At(0, 1), At(1, 1), // four within ~15 m
            At(3, 0), // close to the first cluster: not a hot spot of its own
            At(100, 0), At(101, 0), // two, 1.1 km away
            At(200, 200), // alone
        ];

        var spots = HotSpots.Densest(incidents, max: 3);

        Assert.Equal(2, spots.Count);
        Assert.Equal(5, spots[0].Incidents); // the four and the one at 33 m, within 150 m
        Assert.True(spots[0].Place.X < -79.0599);
        Assert.Equal(2, spots[1].Incidents);
        Assert.True(spots[1].Place.X > -79.051);
    }

    [Fact]
    public void Lone_incidents_and_no_incidents_give_no_hot_spots()
    {
        Assert.Empty(HotSpots.Densest([At(0, 0), At(50, 50)], max: 3));
        Assert.Empty(HotSpots.Densest([], max: 3));
        Assert.Single(HotSpots.Densest([At(0, 0), At(1, 0), At(100, 0), At(101, 0)], max: 1));
    }
}
