using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Routes;
using NetTopologySuite.Geometries;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Routes;

public class ShiftRoutePlannerTests
{
    /// <summary>A w × h grid of 100 m blocks in UTM 17S (72 s each on foot); the first <paramref name="requiredColumns"/> columns are the sector.</summary>
    private static (PostmanGraph Graph, RouteGeometry Geometry) Grid(int w, int h, int requiredColumns)
    {
        var edges = new List<PostmanEdge>();
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var v = y * w + x;
                if (x + 1 < w) edges.Add(new PostmanEdge(v, v + 1, 72, false, x + 1 < requiredColumns));
                if (y + 1 < h) edges.Add(new PostmanEdge(v, v + w, 72, false, x < requiredColumns));
            }
        var geometry = new RouteGeometry(32717, n => new Coordinate(717000 + 100 * (n % w), 9106000 + 100 * (n / w)));
        return (new PostmanGraph(w * h, edges), geometry);
    }

    private static List<CycleSlot> Slots(int days, params string[] shifts) =>
        (from d in Enumerable.Range(1, days)
         from s in shifts
         select new CycleSlot(d, s, $"S1 {s} {d}", new DateTimeOffset(2025, 1, d, 11, 0, 0, TimeSpan.Zero))).ToList();

    [Theory]
    [InlineData(1, 8, 30, 15)]
    [InlineData(2, 8, 30, 15)]
    [InlineData(3, 6, 20, 10)]
    [InlineData(4, 4, 0, 0)]
    [InlineData(5, 12, 60, 30)]
    public void Every_route_fits_the_patrol_time_and_the_cycle_walks_every_street(int seed, double hours, double breakMinutes, double handover)
    {
        // 30 × 20 blocks of 100 m at 5 km/h: about 1,150 street segments, 23 h to walk them all once.
        var (g, geo) = Grid(30, 20, 30);
        var tour = ChinesePostman.Solve(g, 0, seed);
        var spots = new List<RouteHotspot> { new("H1", "Mercado", 5 * 30 + 7), new("H2", "Plaza", 14 * 30 + 22) };
        var options = new RouteOptions { ShiftHours = hours, BreakMinutes = breakMinutes, HandoverMinutes = handover, Seed = seed };
        var cycle = ShiftRoutePlanner.PlanCycle(g, tour, geo, spots, options, Slots(7, "mañana", "tarde", "noche"));

        var patrol = hours * 60 - breakMinutes - handover;
        Assert.Equal(21, cycle.Routes.Count);
        var walked = new HashSet<int>();
        foreach (var r in cycle.Routes)
        {
            var route = r.Route;
            Assert.InRange(route.Figures.DurationMin, 0, patrol + 1e-6);
            Assert.Equal(patrol, route.PatrolMinutes);
            Assert.Equal(route.Figures.DurationMin * 60, route.Track[^1].Seconds, 6);
            Assert.True(route.Track[^1].Position.Equals2D(geo.Node(0)), "the route ends back at the start");
            Assert.Equal(r.Slot.Start.AddMinutes(handover / 2), route.Start);
            // A walk: each leg starts where the last one ended, and time never goes back.
            var at = 0;
            foreach (var leg in route.Legs)
            {
                var e = g.Edges[PostmanTour.EdgeOf(leg.Step)];
                Assert.Equal(at, PostmanTour.IsForward(leg.Step) ? e.From : e.To);
                at = PostmanTour.IsForward(leg.Step) ? e.To : e.From;
                if (e.Required) walked.Add(PostmanTour.EdgeOf(leg.Step));
            }
            Assert.Equal(0, at);
            for (var i = 1; i < route.Track.Count; i++) Assert.True(route.Track[i].Seconds >= route.Track[i - 1].Seconds);
            Assert.All(route.Stops, s => Assert.InRange(s.Minutes, 10, 15));
            foreach (var v in route.Figures.Hotspots)
            {
                // Visited, or (a shift whose pass reaches streets far from the hot spots) the route says it kept street coverage instead.
                Assert.True(v.VisitMinutes.Count > 0 || route.RulesMissed.Any(m => m.HotspotId == v.HotspotId && m.Kept == RuleMiss.StreetCoverage),
                    $"{r.Slot.Name}: {v.Name} never visited and no rule missed reported");
                Assert.Equal(v.MaxIntervalMinutes, v.IntervalMinutes.Max(), 9);
                Assert.Equal(route.Figures.DurationMin, v.IntervalMinutes.Sum(), 6);
                Assert.True(v.WithinLimit || route.RulesMissed.Any(m => m.HotspotId == v.HotspotId && Math.Abs(m.OverMinutes - (v.MaxIntervalMinutes - 120)) < 1e-6),
                    $"{v.Name}: {v.MaxIntervalMinutes} min and no rule missed reported");
            }
        }
        // Every street of the sector, read from the legs walked (not from the planner's own counts).
        var required = Enumerable.Range(0, g.Edges.Count).Where(e => g.Edges[e].Required).ToList();
        Assert.True(cycle.Covered, string.Join(" ", cycle.Notes));
        Assert.All(required, e => Assert.Contains(e, walked));
        Assert.Equal(cycle.ReachableMeters, cycle.Routes.Sum(r => r.NewStreetsMeters), 6);
        Assert.Equal(100, cycle.Routes[^1].CoveredPct, 6);
        Assert.NotNull(cycle.ShiftsForFullPass);
        Assert.InRange(cycle.ShiftsUsed, cycle.ShiftsForFullPass!.Value, 21);
    }

    [Fact]
    public void Hot_spots_near_the_start_are_kept_within_two_hours_at_times_the_seed_varies()
    {
        var (g, geo) = Grid(12, 12, 12);
        var tour = ChinesePostman.Solve(g, 0);
        var spots = new List<RouteHotspot> { new("H1", "Mercado", 3 * 12 + 4), new("H2", "Colegio", 8 * 12 + 9) };
        var stops = new HashSet<string>();
        for (var seed = 0; seed < 5; seed++)
        {
            var cycle = ShiftRoutePlanner.PlanCycle(g, tour, geo, spots, new RouteOptions { Seed = seed }, Slots(1, "mañana"));
            var route = cycle.Routes[0].Route;
            Assert.All(route.Figures.Hotspots, v => Assert.True(v.WithinLimit, $"{v.Name}: {v.MaxIntervalMinutes} min"));
            Assert.All(route.Figures.Hotspots, v => Assert.True(v.VisitMinutes.Count >= 3));
            Assert.Empty(route.RulesMissed);
            stops.Add(string.Join(";", route.Stops.Select(s => $"{s.HotspotId}{s.ArriveSeconds:0}{s.Minutes}")));
            // Reproducible: the same seed, the same route.
            var again = ShiftRoutePlanner.PlanCycle(g, tour, geo, spots, new RouteOptions { Seed = seed }, Slots(1, "mañana")).Routes[0].Route;
            Assert.Equal(route.Stops.Select(s => (s.HotspotId, s.ArriveSeconds, s.Minutes)), again.Stops.Select(s => (s.HotspotId, s.ArriveSeconds, s.Minutes)));
        }
        Assert.Equal(5, stops.Count);
    }

    [Fact]
    public void A_hot_spot_too_far_for_the_interval_keeps_the_patrol_time_and_says_by_how_much_the_interval_is_missed()
    {
        // A long street: the sector at one end, the hot spot 9 km away (108 min on foot each way).
        var edges = new List<PostmanEdge>();
        for (var i = 0; i < 4; i++) edges.Add(new PostmanEdge(i, i + 1, 72, false, true));
        for (var i = 4; i < 94; i++) edges.Add(new PostmanEdge(i, i + 1, 72, false, false));
        var g = new PostmanGraph(95, edges);
        var geo = new RouteGeometry(32717, n => new Coordinate(717000 + 100 * n, 9106000));
        var tour = ChinesePostman.Solve(g, 0);
        var cycle = ShiftRoutePlanner.PlanCycle(g, tour, geo, [new RouteHotspot("H1", "Lejos", 94)], new RouteOptions { Seed = 1 }, Slots(1, "mañana"));
        var route = cycle.Routes[0].Route;
        Assert.InRange(route.Figures.DurationMin, 0, 435);
        var v = Assert.Single(route.Figures.Hotspots);
        Assert.False(v.WithinLimit);
        Assert.NotEmpty(v.VisitMinutes);
        var miss = Assert.Single(route.RulesMissed);
        Assert.Equal(RuleMiss.PatrolTime, miss.Kept);
        Assert.Equal(RuleMiss.HotspotInterval, miss.Missed);
        Assert.Equal(v.MaxIntervalMinutes - 120, miss.OverMinutes, 6);
        Assert.Contains(route.Notes, n => n.English.Contains("hot spot Lejos: the longest gap") && n.English.Contains("kept: the route fits the 435 min of patrol"));
    }

    [Fact]
    public void A_hot_spot_out_of_reach_of_one_shift_is_not_visited_and_the_route_says_why()
    {
        var edges = new List<PostmanEdge>();
        for (var i = 0; i < 4; i++) edges.Add(new PostmanEdge(i, i + 1, 72, false, true));
        for (var i = 4; i < 300; i++) edges.Add(new PostmanEdge(i, i + 1, 72, false, false)); // 30 km away
        var g = new PostmanGraph(301, edges);
        var geo = new RouteGeometry(32717, n => new Coordinate(717000 + 100 * n, 9106000));
        var cycle = ShiftRoutePlanner.PlanCycle(g, ChinesePostman.Solve(g, 0), geo, [new RouteHotspot("H1", "Muy lejos", 300)], new RouteOptions(), Slots(1, "mañana"));
        var route = cycle.Routes[0].Route;
        Assert.Empty(route.Stops);
        Assert.InRange(route.Figures.DurationMin, 0, 435);
        var miss = Assert.Single(route.RulesMissed);
        Assert.Equal(RuleMiss.HotspotVisit, miss.Missed);
        Assert.True(miss.OverMinutes > 0);
        Assert.Contains(route.Notes, n => n.English.Contains("hot spot Muy lejos: going there, stopping and coming back takes"));
    }

    [Fact]
    public void A_sector_too_large_for_the_cycle_is_flagged_with_what_it_walks()
    {
        // 60 × 40 blocks: about 95 h of walking, more than 3 shifts of 7 h 15 min can do.
        var (g, geo) = Grid(60, 40, 60);
        var cycle = ShiftRoutePlanner.PlanCycle(g, ChinesePostman.Solve(g, 0), geo, [], new RouteOptions(), Slots(1, "mañana", "tarde", "noche"));
        Assert.False(cycle.Covered);
        Assert.All(cycle.Routes, r => Assert.InRange(r.Route.Figures.DurationMin, 0, 435));
        Assert.InRange(cycle.CoveredMeters, 1, cycle.ReachableMeters - 1);
        Assert.True(cycle.ShiftsForFullPass is null or > 3);
        Assert.Contains(cycle.Notes, n => n.English.Contains("the cycle's 3 shifts walk"));
    }

    [Fact]
    public void A_hot_spot_off_the_sector_is_reached_by_detours_counted_as_deadhead()
    {
        // Sector: the first 3 columns of an 8 × 4 grid; the hot spot sits at the far column, 500 m away.
        var (g, geo) = Grid(8, 4, 3);
        var cycle = ShiftRoutePlanner.PlanCycle(g, ChinesePostman.Solve(g, 0), geo, [new RouteHotspot("far", "Paradero", 7)], new RouteOptions { Seed = 2 }, Slots(1, "mañana"));
        var route = cycle.Routes[0].Route;
        Assert.Contains(route.Stops, s => s.Detour);
        Assert.True(route.Figures.Hotspots[0].WithinLimit, route.Figures.Hotspots[0].MaxIntervalMinutes.ToString());
        Assert.Contains(route.Legs, l => l.Detour && l.Deadhead);
        Assert.True(route.Figures.DeadheadPct > 0);
    }

    [Fact]
    public void A_hot_spot_no_street_reaches_is_reported_not_hidden()
    {
        var (g, geo) = Grid(3, 3, 3);
        var island = new PostmanGraph(g.NodeCount + 1, g.Edges);
        var geometry = new RouteGeometry(32717, n => n < 9 ? geo.Node(n) : new Coordinate(718000, 9107000));
        var cycle = ShiftRoutePlanner.PlanCycle(island, ChinesePostman.Solve(island, 0), geometry, [new RouteHotspot("x", "Isla", 9)], new RouteOptions(), Slots(1, "mañana"));
        var route = cycle.Routes[0].Route;
        Assert.False(route.Figures.Hotspots[0].WithinLimit);
        Assert.Empty(route.Figures.Hotspots[0].VisitMinutes);
        Assert.Contains(route.Notes, n => n.English.Contains("Isla"));
    }

    [Fact]
    public void Lengths_in_wgs84_are_measured_on_the_ellipsoid()
    {
        // Two nodes 0.001° of latitude apart near Trujillo: about 110.6 m each way.
        var g = new PostmanGraph(2, [new PostmanEdge(0, 1, 80, false, true)]);
        var geo = new RouteGeometry(4326, n => new Coordinate(-79.05, -8.05 + n * 0.001));
        var route = ShiftRoutePlanner.PlanCycle(g, ChinesePostman.Solve(g, 0), geo, [], new RouteOptions(), Slots(1, "mañana")).Routes[0].Route;
        Assert.NotEmpty(route.Legs);
        Assert.All(route.Legs, l => Assert.InRange(l.LengthMeters, 110.25, 110.75));
        Assert.Equal(route.Legs.Sum(l => l.LengthMeters) / 1000, route.Figures.LengthKm, 6);
    }

    [Fact]
    public void No_patrol_time_is_refused()
    {
        var (g, geo) = Grid(3, 3, 3);
        var e = Assert.Throws<RefusalException>(() => ShiftRoutePlanner.PlanCycle(g, ChinesePostman.Solve(g, 0), geo, [],
            new RouteOptions { ShiftHours = 1, BreakMinutes = 40, HandoverMinutes = 20 }, Slots(1, "mañana")));
        Assert.Contains("patrol time", e.Message);
    }
}
