using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Planning.Network;
using BarrioSeguro.Geo.Planning.Routes;
using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace BarrioSeguro.Geo.Planning.Tests.Routes;

/// <summary>Issue 12: the route and coverage requests Planning refuses are notes with their values and limits.</summary>
public class PlanningRefusalNotesTests
{
    private static StreetGraph Graph() => StreetGraph.Build(
        [new NetworkStreet(new WKTReader(new NtsGeometryServices(new PrecisionModel(), 4326)).Read("LINESTRING(-79.03 -8.10, -79.02 -8.10)"), "residential")],
        TravelMode.Foot);

    [Fact]
    public void A_shift_of_zero_hours_is_refused_with_the_hours_given()
    {
        var e = Assert.Throws<RefusalException>(() => RoutePlanning.Plan(Graph(), [], new RouteShift(0, "mañana", RouteShift.DefaultStart, (0, 5), 2, 1)));
        Assert.Equal("route.refused_shift_hours", e.Reason.Code);
        Assert.Equal("0", e.Reason.Args["hours"]);
        Assert.Equal("shiftHours debe ser mayor que 0 y como máximo 24 h, no 0 h.", e.Reason.Text("es"));
        Assert.Equal("shiftHours", e.ParamName);
    }

    [Fact]
    public void Breaks_that_leave_no_patrol_time_are_refused_in_minutes()
    {
        var shift = new RouteShift(1, "mañana", RouteShift.DefaultStart, (0, 5), 2, 1) { BreakMinutes = 50, HandoverMinutes = 15 };
        var e = Assert.Throws<RefusalException>(() => RoutePlanning.Plan(Graph(), [], shift));
        Assert.Equal("route.refused_no_patrol_time", e.Reason.Code);
        Assert.Equal(60.0, e.Reason.Args["shift"]);
        Assert.Contains("un turno de 60 min", e.Reason.Text("es"));
    }

    [Fact]
    public void Coverage_minutes_over_the_limit_are_refused_naming_the_limit()
    {
        var e = Assert.Throws<RefusalException>(() => PlanNetworkCoverage.Compute(null!, "sectors", 500, null));
        Assert.Equal("coverage.refused_minutes", e.Reason.Code);
        Assert.Equal(PlanNetworkCoverage.MaxMinutes, e.Reason.Args["limit"]);
        Assert.Equal("minutes debe ser mayor que 0 y como máximo 240 min, no 500.", e.Reason.Text("es"));
        Assert.Equal("coverage.refused_minutes",
            Assert.Throws<RefusalException>(() => CoveragePlanning.Once(Graph(), [], 0, null!, null, "sectors", [])).Reason.Code);
    }
}
