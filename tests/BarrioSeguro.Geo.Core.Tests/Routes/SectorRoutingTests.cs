using BarrioSeguro.Geo.Bench.Synthetic;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Routes;

public class SectorRoutingTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>A sector over the middle of a 10 × 10 grid (80 m spacing around El Milagro).</summary>
    private static (StreetGraph Graph, Polygon Sector) Setup(TravelMode mode)
    {
        var graph = StreetGraph.Build(SyntheticStreets.Grid(10, 10), mode);
        var env = new Envelope();
        for (var n = 0; n < graph.NodeCount; n++) env.ExpandToInclude(graph.NodeLonLat(n).Coordinate);
        var w = env.Width / 4;
        var h = env.Height / 4;
        var sector = (Polygon)Factory.ToGeometry(new Envelope(env.MinX + w, env.MaxX - w, env.MinY + h, env.MaxY - h));
        return (graph, sector);
    }

    [Theory]
    [InlineData(TravelMode.Foot)]
    [InlineData(TravelMode.Car)]
    public void Every_reachable_street_of_the_sector_lies_on_its_route(TravelMode mode)
    {
        var (graph, sector) = Setup(mode);
        var route = SectorRouting.Plan(graph, sector, "S1", [], new RouteOptions { ShiftHours = 8, Seed = 3 });

        var utmSector = Crs.Transform(sector, Crs.Wgs84, graph.UtmEpsg);
        var own = graph.Edges.Where(e => utmSector.Contains(e.Geometry.InteriorPoint)).Select(e => e.Id).ToHashSet();
        Assert.NotEmpty(own);
        var walked = route.Tour.EdgeSequence.Select(PostmanTour.EdgeOf).ToHashSet();
        var unreachable = route.Tour.UnreachableRequiredEdges.ToHashSet();
        Assert.All(own, e => Assert.True(walked.Contains(e) || unreachable.Contains(e), $"edge {e} is neither walked nor reported"));
        Assert.Equal(route.Unreachable.Count, unreachable.Count);
        Assert.Equal(100, route.Route.Figures.StreetsCoveredPct, 6);
        if (mode == TravelMode.Foot) Assert.True(route.Tour.Optimal); // no one-way on foot: the exact undirected case
    }

    [Fact]
    public void A_hot_spot_in_the_sector_is_visited_at_least_every_two_hours_with_stops_of_10_to_15_minutes()
    {
        var (graph, sector) = Setup(TravelMode.Foot);
        var spot = (Point)sector.Centroid;
        var route = SectorRouting.Plan(graph, sector, "S1", [("Mercado", spot)], new RouteOptions { ShiftHours = 8, Seed = 1 });

        var visits = Assert.Single(route.Route.Figures.Hotspots);
        Assert.True(visits.WithinLimit, string.Join(" ", route.Notes));
        Assert.True(visits.MaxIntervalMinutes <= 120 + 1e-9);
        Assert.All(route.Route.Stops, s => Assert.InRange(s.Minutes, 10, 15));
        Assert.InRange(route.Route.Figures.DurationMin, 0, 8 * 60 + 1e-6);
    }

    [Fact]
    public void Different_seeds_give_different_walks_of_the_same_streets()
    {
        var (graph, sector) = Setup(TravelMode.Foot);
        var a = SectorRouting.Plan(graph, sector, "S1", [], new RouteOptions { Seed = 1 });
        var b = SectorRouting.Plan(graph, sector, "S1", [], new RouteOptions { Seed = 2 });
        Assert.NotEqual(a.Tour.EdgeSequence, b.Tour.EdgeSequence);
        Assert.Equal(a.Tour.RequiredCost, b.Tour.RequiredCost, 6);
        Assert.Equal(a.Tour.DeadheadCost, b.Tour.DeadheadCost, 6);
    }

    [Fact]
    public void A_sector_without_streets_is_refused()
    {
        var (graph, _) = Setup(TravelMode.Foot);
        var far = (Polygon)Factory.ToGeometry(new Envelope(-75, -74.9, -10, -9.9));
        // Still an ArgumentException (a 422 in the service), typed so that the routes' note names the sector by code.
        var e = Assert.ThrowsAny<ArgumentException>(() => SectorRouting.Plan(graph, far, "S9", [], new RouteOptions()));
        Assert.Equal("S9", Assert.IsType<SectorWithoutStreetsException>(e).Sector);
    }
}
