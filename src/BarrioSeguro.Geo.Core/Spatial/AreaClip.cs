using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>Clips lon/lat features to an area (a district, a drawn boundary, a box) and says how much of it data covers.</summary>
public sealed class AreaClip
{
    private readonly Geometry _area;
    private readonly IPreparedGeometry _prepared;

    public AreaClip(Geometry area)
    {
        _area = area.IsValid ? area : area.Buffer(0);
        _prepared = PreparedGeometryFactory.Prepare(_area);
    }

    public Geometry Area => _area;

    /// <summary>The part of a line inside the area, as lines only (points where it only touches are dropped); null when none.</summary>
    public Geometry? Lines(Geometry line)
    {
        if (_prepared.ContainsProperly(line)) return line;
        if (!_prepared.Intersects(line)) return null;
        var inside = StreetGeometry.LinesOf(line.Intersection(_area));
        return inside is null || inside.IsEmpty || inside.Length == 0 ? null : inside;
    }

    /// <summary>Whether a point lies in the area (its boundary included).</summary>
    public bool Holds(Point point) => _prepared.Intersects(point);

    /// <summary>The part of a polygon inside the area; null when none.</summary>
    public Geometry? Polygons(Geometry polygon)
    {
        if (_prepared.ContainsProperly(polygon)) return polygon;
        if (!_prepared.Intersects(polygon)) return null;
        var inside = polygon.Intersection(_area);
        var parts = Enumerable.Range(0, inside.NumGeometries).Select(inside.GetGeometryN).OfType<Polygon>().Where(p => p.Area > 0).ToArray();
        return parts.Length switch { 0 => null, 1 => parts[0], _ => inside.Factory.CreateMultiPolygon(parts) };
    }

    /// <summary>Percent (0-100) of the area's surface (geodesic, m²) that lies inside the box.</summary>
    public double CoveredPercent(Envelope data)
    {
        var whole = Measure.AreaSquareMeters(_area);
        if (whole <= 0 || data.IsNull) return 0;
        var inside = Measure.AreaSquareMeters(_area.Intersection(_area.Factory.ToGeometry(data)));
        return Math.Clamp(100 * inside / whole, 0, 100);
    }

    /// <summary>Below this percent of the area inside the data the import is refused: a clip would pass for the whole area.</summary>
    public const double RefuseBelowPct = 25;

    /// <summary>Below this percent (and from <see cref="RefuseBelowPct"/>) the import goes on with a warning.</summary>
    public const double WarnBelowPct = 99;

    /// <summary>How much of the area the data's box covers, rounded to 0.1 %, with a warning when it is partly covered.</summary>
    /// <param name="label">The area as the user names it (ubigeo, boundary file, box).</param>
    /// <exception cref="RefusalException">Less than <see cref="RefuseBelowPct"/> % is covered.</exception>
    public (double Pct, Note? Warning) CheckCovered(Envelope data, string label)
    {
        var covered = Math.Round(CoveredPercent(data), 1);
        if (covered < RefuseBelowPct)
            throw new RefusalException(Note.Of("osm.not_covered", ("area", label), ("pct", covered), ("min", RefuseBelowPct)), "district");
        return (covered, covered < WarnBelowPct ? Note.Of("osm.partly_covered", ("area", label), ("pct", covered)) : null);
    }
}
