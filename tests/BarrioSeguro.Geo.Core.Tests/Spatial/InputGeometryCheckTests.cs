using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.IO;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Spatial;

public class InputGeometryCheckTests
{
    private static readonly WKTReader Wkt = new();

    [Theory]
    [InlineData("POLYGON((-79.07 -8.03, -79.06 -8.03, -79.06 -8.02, -79.07 -8.02, -79.07 -8.03))", null, null, null)]
    [InlineData("POLYGON((-79.07 -8.03, -79.06 -8.02, -79.06 -8.03, -79.07 -8.02, -79.07 -8.03))", "self-intersection", -79.065, -8.025)]
    [InlineData("POLYGON((-8.03 -79.07, -8.03 -79.06, -8.02 -79.06, -8.02 -79.07, -8.03 -79.07))", "axis-order", -8.03, -79.07)]
    [InlineData("POLYGON((2.3 48.8, 2.4 48.8, 2.4 48.9, 2.3 48.8))", "outside-peru", 2.3, 48.8)]
    [InlineData("POINT(-79.06 -8.03)", null, null, null)]
    [InlineData("POLYGON EMPTY", "empty", null, null)]
    public void Check_reports_kind_and_place(string wkt, string? kind, double? x, double? y)
    {
        var problems = InputGeometryCheck.Check(Wkt.Read(wkt));
        if (kind is null)
        {
            Assert.Empty(problems);
            return;
        }
        var p = Assert.Single(problems);
        Assert.Equal(kind, p.Kind);
        if (x is null) return;
        Assert.NotNull(p.Location);
        Assert.Equal(x.Value, p.Location!.X, 6);
        Assert.Equal(y!.Value, p.Location.Y, 6);
    }
}
