using BarrioSeguro.Geo.Core.Routes;
using NetTopologySuite.Geometries;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Routes;

public class PatrolRoutePlannerTests
{
    /// <summary>A w × h grid of 100 m blocks in UTM 17S (Trujillo); the first <paramref name="requiredColumns"/> columns are the sector.</summary>
    private static (PostmanGraph Graph, RouteGeometry Geometry) Grid(int w, int h, int requiredColumns)
    {
        var edges = new List<PostmanEdge>();
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var v = y * w + x;
                if (x + 1 < w) edges.Add(new PostmanEdge(v, v + 1, 100, false, x + 1 < requiredColumns));
                if (y + 1 < h) edges.Add(new PostmanEdge(v, v + w, 100, false, x < requiredColumns));
            }
        var geometry = new RouteGeometry(32717, n => new Coordinate(717000 + 100 * (n % w), 9106000 + 100 * (n / w)));
        return (new PostmanGraph(w * h, edges), geometry);
    }

    [Fact]
    public void Route_fills_the_shift_with_complete_rounds_and_keeps_hot_spots_within_two_hours()
    {
        var (g, geo) = Grid(6, 6, 6);
        var tour = ChinesePostman.Solve(g, 0, 1);
        var spots = new[] { new RouteHotspot("h1", "Mercado", 14), new RouteHotspot("h2", "Parque", 35) };
        var route = PatrolRoutePlanner.Plan(g, tour, geo, spots, new RouteOptions { Seed = 1, ShiftHours = 8 });

        var f = route.Figures;
        Assert.True(f.Rounds >= 1);
        Assert.True(f.DurationMin <= 8 * 60 + 1e-6, $"{f.DurationMin} min");
        Assert.Equal(100, f.StreetsCoveredPct, 6);
        Assert.Equal(route.Legs.Sum(l => l.LengthMeters) / 1000, f.LengthKm, 6);
        Assert.All(route.Stops, s => Assert.InRange(s.Minutes, 10, 15));
        Assert.All(f.Hotspots, v =>
        {
            Assert.True(v.WithinLimit, $"{v.Name}: {v.MaxIntervalMinutes} min");
            Assert.True(v.VisitMinutes.Count >= 3);
            Assert.InRange(v.MaxIntervalMinutes, 0, 120);
        });
        // the track is timed and ends where it started
        for (var i = 1; i < route.Track.Count; i++) Assert.True(route.Track[i].Seconds >= route.Track[i - 1].Seconds);
        Assert.True(route.Track[^1].Position.Equals2D(geo.Node(0)));
        Assert.Equal(f.DurationMin * 60, route.Track[^1].Seconds, 6);
    }

    [Fact]
    public void Hot_spot_off_the_sector_is_reached_by_detours()
    {
        // Sector: the first 3 columns of a 8 x 4 grid; the hot spot sits at the far column, 500 m away.
        var (g, geo) = Grid(8, 4, 3);
        var tour = ChinesePostman.Solve(g, 0);
        var route = PatrolRoutePlanner.Plan(g, tour, geo, [new RouteHotspot("far", "Paradero", 7)], new RouteOptions { Seed = 2 });
        Assert.Contains(route.Stops, s => s.Detour);
        Assert.True(route.Figures.Hotspots[0].WithinLimit, route.Figures.Hotspots[0].MaxIntervalMinutes.ToString());
        Assert.Contains(route.Legs, l => l.Detour && l.Deadhead);
        Assert.True(route.Figures.DeadheadPct > 0);
    }

    [Fact]
    public void Unreachable_hot_spot_is_reported_not_hidden()
    {
        var (g, geo) = Grid(3, 3, 3);
        var island = new PostmanGraph(g.NodeCount + 1, g.Edges);
        var geometry = new RouteGeometry(32717, n => n < 9 ? geo.Node(n) : new Coordinate(718000, 9107000));
        var tour = ChinesePostman.Solve(island, 0);
        var route = PatrolRoutePlanner.Plan(island, tour, geometry, [new RouteHotspot("x", "Isla", 9)]);
        Assert.False(route.Figures.Hotspots[0].WithinLimit);
        Assert.Empty(route.Figures.Hotspots[0].VisitMinutes);
        Assert.Contains(route.Notes, n => n.English.Contains("Isla"));
    }

    [Fact]
    public void Seeds_change_the_stops_and_route_but_every_round_stays_complete()
    {
        var (g, geo) = Grid(5, 5, 5);
        var spots = new[] { new RouteHotspot("a", "Esquina", 12), new RouteHotspot("b", "Colegio", 4) };
        var routes = Enumerable.Range(0, 4).Select(seed =>
            PatrolRoutePlanner.Plan(g, ChinesePostman.Solve(g, 0, seed), geo, spots, new RouteOptions { Seed = seed })).ToList();
        Assert.All(routes, r => Assert.Equal(100, r.Figures.StreetsCoveredPct, 6));
        Assert.True(routes.Select(r => string.Join(";", r.Stops.Select(s => $"{s.HotspotId}{s.ArriveSeconds:0}{s.Minutes}"))).Distinct().Count() >= 3);
    }

    [Fact]
    public void Lengths_in_wgs84_are_measured_on_the_ellipsoid()
    {
        // Two nodes 0.001° of latitude apart near Trujillo: about 110.6 m.
        var g = new PostmanGraph(2, [new PostmanEdge(0, 1, 1, false, true)]);
        var geo = new RouteGeometry(4326, n => new Coordinate(-79.05, -8.05 + n * 0.001));
        var route = PatrolRoutePlanner.Plan(g, ChinesePostman.Solve(g, 0), geo, [], new RouteOptions { FillShift = false });
        Assert.InRange(route.Figures.LengthKm, 0.2205, 0.2215);
        Assert.Equal(50, route.Figures.DeadheadPct, 6);
        Assert.Equal(1, route.Figures.Rounds);
    }
}
