using BarrioSeguro.Geo.Core.Incidents;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Incidents;

public class SyntheticIncidentsTests
{
    private static readonly WKTReader Wkt = new();
    private static readonly Geometry Area = Wkt.Read("POLYGON((-79.07 -8.03, -79.06 -8.03, -79.06 -8.02, -79.07 -8.02, -79.07 -8.03))");
    private static readonly Geometry[] Streets =
    [
        Wkt.Read("LINESTRING(-79.08 -8.025, -79.05 -8.025)"), // crosses the area: only its inside part counts
        Wkt.Read("LINESTRING(-79.065 -8.035, -79.065 -8.015)"),
        Wkt.Read("LINESTRING(-79.10 -8.10, -79.09 -8.10)"), // outside
    ];

    [Fact]
    public void Incidents_lie_on_the_streets_inside_the_area_with_the_asked_counts()
    {
        var incidents = SyntheticIncidents.Generate(Streets, Area, [("A", 7), ("B", 3)], 2017, seed: 1);
        Assert.Equal(10, incidents.Count);
        Assert.Equal(7, incidents.Count(i => i.Category == "A"));
        Assert.All(incidents, i =>
        {
            Assert.True(i.IsSynthetic);
            Assert.True(Area.Buffer(1e-7).Contains(i.Location), $"{i.Location} is outside the area");
            Assert.True(Streets.Min(s => s.Distance(i.Location)) < 1e-6, $"{i.Location} is off the streets");
            Assert.Equal(2017, i.OccurredAt.Year);
        });
    }

    [Fact]
    public void The_same_seed_gives_the_same_incidents_and_another_seed_others()
    {
        var a = SyntheticIncidents.Generate(Streets, Area, [("A", 20)], 2017, seed: 105);
        var b = SyntheticIncidents.Generate(Streets, Area, [("A", 20)], 2017, seed: 105);
        var c = SyntheticIncidents.Generate(Streets, Area, [("A", 20)], 2017, seed: 106);
        Assert.Equal(a.Select(i => (i.Location.X, i.Location.Y, i.OccurredAt)), b.Select(i => (i.Location.X, i.Location.Y, i.OccurredAt)));
        Assert.NotEqual(a.Select(i => i.Location.X), c.Select(i => i.Location.X));
    }

    [Fact]
    public void No_street_inside_gives_no_incidents() =>
        Assert.Empty(SyntheticIncidents.Generate([Streets[2]], Area, [("A", 5)], 2017, seed: 1));
}
