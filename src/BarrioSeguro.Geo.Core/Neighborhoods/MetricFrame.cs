using System.Globalization;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>The UTM zone where a boundary's metric work happens, and the few helpers every operation here shares.</summary>
internal sealed class MetricFrame(int zone)
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), Crs.Wgs84);

    public int Zone { get; } = zone;

    public static MetricFrame For(Geometry wgs84) => new(Crs.UtmZoneFor(wgs84));

    public Geometry ToUtm(Geometry wgs84) => Crs.Transform(wgs84, Crs.Wgs84, Zone);

    public Geometry ToLonLat(Geometry utm) => Crs.Transform(utm, Zone, Crs.Wgs84);

    /// <summary>The polygons of any geometry (empty when there are none), as one MultiPolygon.</summary>
    public static MultiPolygon Polygonal(Geometry g)
    {
        var polygons = PolygonExtracter.GetPolygons(g).Cast<Polygon>().Where(p => !p.IsEmpty).ToArray();
        return g.Factory.CreateMultiPolygon(polygons);
    }

    public static Geometry Intersection(Geometry a, Geometry b) => OverlayNGRobust.Overlay(a, b, SpatialFunction.Intersection);

    public static Geometry Difference(Geometry a, Geometry b) => OverlayNGRobust.Overlay(a, b, SpatialFunction.Difference);

    public static Geometry Union(Geometry a, Geometry b) => OverlayNGRobust.Overlay(a, b, SpatialFunction.Union);

    public static Geometry Union(IEnumerable<Geometry> geometries)
    {
        var list = geometries.Where(g => !g.IsEmpty).ToArray();
        return list.Length == 0 ? Factory.CreateMultiPolygon() : OverlayNGRobust.Union(Factory.BuildGeometry(list));
    }

    /// <summary>"-79.061234, -8.023456": the place of a problem as planners type it into a map search.</summary>
    public static string Place(Coordinate c) => string.Create(CultureInfo.InvariantCulture, $"{c.X:F6}, {c.Y:F6}");

    /// <summary>The place of a polygon: a point inside it.</summary>
    public static string Place(Geometry g) => g.IsEmpty ? "(no place)" : Place(g.InteriorPoint.Coordinate);

    /// <summary>"1,234 m²" below 0.1 km², "2.05 km²" above.</summary>
    public static string Area(double squareMeters) => squareMeters switch
    {
        >= 100_000 => string.Create(CultureInfo.InvariantCulture, $"{squareMeters / 1e6:N2} km²"),
        >= 10 => string.Create(CultureInfo.InvariantCulture, $"{squareMeters:N0} m²"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{squareMeters:0.#} m²"),
    };
}
