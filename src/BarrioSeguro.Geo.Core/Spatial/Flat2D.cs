using NetTopologySuite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>
/// The 2D of a geometry with Z or M values. A boundary drawn in a tool that adds heights (QGIS, a GPS) is kept as its
/// plan: the stored columns and every computation here are 2D, and a Z would make PostGIS refuse the row.
/// </summary>
public static class Flat2D
{
    public static bool HasZOrM(Geometry g) => g.Coordinates.Any(c => !double.IsNaN(c.Z) || !double.IsNaN(c.M));

    /// <summary>The geometry itself when it is 2D, else a 2D copy (written to WKB without Z and M, read back).</summary>
    public static Geometry Of(Geometry g)
    {
        if (!HasZOrM(g)) return g;
        var bytes = new WKBWriter(ByteOrder.LittleEndian, handleSRID: false, emitZ: false, emitM: false).Write(g);
        var flat = new WKBReader(new NtsGeometryServices(g.Factory.PrecisionModel, g.SRID)).Read(bytes);
        flat.SRID = g.SRID;
        return flat;
    }
}
