using NetTopologySuite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace BarrioSeguro.Geo.Data.Tests;

/// <summary>Small helpers to write test cases as WKT.</summary>
internal static class TestGeometry
{
    private static readonly WKTReader Reader = new(new NtsGeometryServices(new PrecisionModel(), 4326));

    public static Geometry Wkt(string wkt) => Reader.Read(wkt);

    public static IFeature Feature(string wkt, params (string Name, object? Value)[] attributes)
    {
        var table = new AttributesTable();
        foreach (var (name, value) in attributes) table.Add(name, value);
        return new Feature(Wkt(wkt), table);
    }
}
