using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Bench.Synthetic;
using BarrioSeguro.Geo.Core.Network;
using NetTopologySuite.Geometries;
using static BarrioSeguro.Geo.Core.Tests.Blocks.BlockSamples;
using static BarrioSeguro.Geo.Core.Tests.Network.StreetGraphTests;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Network;

public class CoverageTests
{
    private static Point P(double x, double y) => (Point)Metres($"POINT({x} {y})");

    /// <summary>Minutes to walk so many ground metres at 5 km/h.</summary>
    private static double WalkMinutes(double meters) => meters / (5 / 3.6) / 60;

    [Fact]
    public void A_partial_edge_is_cut_at_the_exact_threshold_point()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 100 0)")], TravelMode.Foot);
        var length = g.Edges[0].LengthMeters;
        var r = Coverage.Compute(g, [P(0, 0)], WalkMinutes(length * 0.37));
        Assert.Equal(length * 0.37 / 1000, r.Figures.CoveredStreetKm, 9);
        Assert.Equal(37, r.Figures.CoveredStreetKmPct, 6);
        Assert.Equal(0, r.Figures.BackupStreetKm);
        var (from, to) = Assert.Single(r.CoveredParts(0));
        Assert.Equal(0, from);
        Assert.Equal(0.37, to, 9);
        Assert.Equal(length * 0.37, Length(r.CoveredPieces(), g), 1);
        Assert.Equal(length * 0.63, Length(r.UncoveredPieces(), g), 1);
        Assert.False(r.CoveredArea().IsEmpty);
        Assert.Equal(0, r.NodeSeconds[g.Edges[0].From]);
        Assert.True(double.IsPositiveInfinity(r.NodeSeconds[g.Edges[0].To]));
    }

    private static double Length(Geometry lonlat, StreetGraph g) =>
        BarrioSeguro.Geo.Core.Spatial.Crs.Transform(lonlat, 4326, g.UtmEpsg).Length / g.ScaleFactor;

    [Fact]
    public void A_unit_in_the_middle_of_an_edge_covers_both_ways()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 100 0)")], TravelMode.Foot);
        var length = g.Edges[0].LengthMeters;
        var r = Coverage.Compute(g, [P(50, 5)], WalkMinutes(length * 0.1));
        var (from, to) = Assert.Single(r.CoveredParts(0));
        Assert.Equal(0.4, from, 6);
        Assert.Equal(0.6, to, 6);
        Assert.Equal(5 / g.ScaleFactor, r.UnitsSnapped[0].At.DistanceMeters, 3);
    }

    [Fact]
    public void Two_units_give_backup_where_both_reach()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 100 0)")], TravelMode.Foot);
        var length = g.Edges[0].LengthMeters;
        var r = Coverage.Compute(g, [P(0, 0), P(100, 0)], WalkMinutes(length * 0.6));
        Assert.Equal(100, r.Figures.CoveredStreetKmPct, 6);
        Assert.Equal(20, r.Figures.BackupStreetKmPct, 4);
        var (from, to) = Assert.Single(r.BackupParts(0));
        Assert.Equal(0.4, from, 6);
        Assert.Equal(0.6, to, 6);
        Assert.Equal(-1, r.NodeSecondUnit[g.Edges[0].From]); // the other unit arrives after the time
    }

    [Fact]
    public void One_way_street_cannot_be_driven_back_but_can_be_walked()
    {
        var streets = new[] { S("LINESTRING(0 0, 100 0)", oneway: true), S("LINESTRING(100 0, 100 100)") };
        var car = StreetGraph.Build(streets, TravelMode.Car);
        var byCar = Coverage.Compute(car, [P(100, 0)], 10);
        Assert.Empty(byCar.CoveredParts(car.Edges.Single(e => e.Oneway).Id));
        Assert.True(byCar.Figures.CoveredStreetKmPct < 51);

        var foot = StreetGraph.Build(streets, TravelMode.Foot);
        var onFoot = Coverage.Compute(foot, [P(100, 0)], 10);
        Assert.Equal(100, onFoot.Figures.CoveredStreetKmPct, 6);

        // Driving along the one-way street is fine.
        var along = Coverage.Compute(car, [P(0, 0)], 10);
        Assert.Equal(100, along.Figures.CoveredStreetKmPct, 6);
    }

    [Fact]
    public void Times_on_a_triangle_are_shortest_paths()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 300 0)"), S("LINESTRING(300 0, 300 400)"), S("LINESTRING(300 400, 0 0)")], TravelMode.Foot);
        var r = Coverage.Compute(g, [P(0, 0)], 60);
        var speed = 5 / 3.6;
        var times = Enumerable.Range(0, g.NodeCount).Select(n => r.NodeSeconds[n]).Order().ToArray();
        Assert.Equal(0, times[0]);
        Assert.Equal(300 / g.ScaleFactor / speed, times[1], 6);
        Assert.Equal(500 / g.ScaleFactor / speed, times[2], 6); // direct (500 m) beats round the corner (700 m)
    }

    [Fact]
    public void An_isolated_component_is_reported_and_counted_as_not_covered()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 300 0)"), S("LINESTRING(0 500, 100 500)")], TravelMode.Foot);
        var r = Coverage.Compute(g, [P(0, 0)], 60);
        Assert.Equal(1, r.ComponentsWithoutUnit);
        Assert.Equal(0.1 / g.ScaleFactor, r.KmWithoutUnit, 6);
        Assert.Equal(75, r.Figures.CoveredStreetKmPct, 6);
        Assert.Contains(r.Notes, n => n.English.Contains("have no unit"));
    }

    [Fact]
    public void Units_off_the_network_are_refused_by_name_and_all_refused_is_an_error()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 300 0)")], TravelMode.Foot);
        var r = Coverage.Compute(g, [P(10, 10), P(10, 400)], 5, new CoverageOptions { UnitNames = ["Comisaría", "Moto 2"] });
        Assert.Single(r.UnitsSnapped);
        var refused = Assert.Single(r.UnitsRefused);
        Assert.Equal("Moto 2", refused.Name);
        Assert.Equal(400, refused.NearestStreetM!.Value, 0);
        Assert.Contains(r.Notes, n => n.English.StartsWith("Moto 2 at ("));

        var e = Assert.Throws<RefusalException>(() => Coverage.Compute(g, [P(10, 400)], 5));
        Assert.Contains("unit 1 at (", e.Message);
        Assert.Contains("400 m from the nearest street", e.Message);
        Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => Coverage.Compute(g, [P(0, 0)], 0));
        Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => Coverage.Compute(g, [], 5));
    }

    [Fact]
    public void Blocks_incidents_and_sectors_are_counted()
    {
        var g = StreetGraph.Build([S("LINESTRING(0 0, 1000 0)")], TravelMode.Foot);
        var near = Metres("POLYGON((10 10, 60 10, 60 60, 10 60, 10 10))");
        var far = Metres("POLYGON((900 10, 950 10, 950 60, 900 60, 900 10))");
        var r = Coverage.Compute(g, [P(0, 0)], WalkMinutes(500), new CoverageOptions
        {
            BlocksLonLat = [near, far],
            IncidentsLonLat = [new WeightedPoint(P(100, 5), 3), new WeightedPoint(P(800, 5), 1), new WeightedPoint(P(100, 900), 2)],
            Sectors = [new NamedArea("west", Metres("POLYGON((-10 -100, 400 -100, 400 100, -10 100, -10 -100))"))],
        });
        Assert.Equal(2, r.Figures.Blocks);
        Assert.Equal(1, r.Figures.CoveredBlocks);
        Assert.Equal(50, r.Figures.CoveredBlocksPct);
        Assert.Equal(6, r.Figures.IncidentWeight);
        Assert.Equal(3, r.Figures.CoveredIncidentWeight);
        Assert.Equal(50, r.Figures.CoveredIncidentPct);
        Assert.Equal(1, r.IncidentsOffNetwork);
        var west = Assert.Single(r.Sectors);
        Assert.Equal("west", west.Name);
        Assert.Equal(0, west.Figures.StreetKm); // the one edge's middle (500 m) is outside the sector
        Assert.Equal(1, west.Figures.Blocks);
    }

    [Fact]
    public void Two_best_search_matches_one_search_per_unit_on_a_grid()
    {
        var streets = SyntheticStreets.Grid(15, 12, seed: 3);
        var units = SyntheticStreets.GridUnits(15, 12, 4, seed: 5);
        var g = StreetGraph.Build(streets, TravelMode.Car);
        var all = Coverage.Compute(g, units, 3);
        var single = units.Select(u => Coverage.Compute(g, [u], 3)).ToList();
        for (var n = 0; n < g.NodeCount; n++)
        {
            var t = single.Select(s => s.NodeSeconds[n]).Order().ToArray();
            Assert.Equal(t[0], all.NodeSeconds[n], 9);
            Assert.Equal(t[1], all.NodeSecondSeconds[n], 9);
        }
        Assert.True(all.Figures.CoveredStreetKm >= single.Max(s => s.Figures.CoveredStreetKm) - 1e-9);
    }
}
