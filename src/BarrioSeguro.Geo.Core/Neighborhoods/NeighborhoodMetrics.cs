using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>The figures every way of making a neighbourhood reports, so that plans can be compared.</summary>
/// <param name="AreaKm2">Area on the ellipsoid, km².</param>
/// <param name="PerimeterKm">Length of every ring (holes included), km.</param>
/// <param name="PolsbyPopper">4πA/P² in metres: 1 for a circle, π/4 for a square, near 0 for a long thin shape.</param>
/// <param name="StreetKmByClass">Street km inside the boundary, by class (OSM highway value), keys in ordinal order.</param>
/// <param name="StreetKm">All street km inside the boundary.</param>
/// <param name="Blocks">Blocks whose interior point lies inside the boundary.</param>
/// <param name="Incidents">Incidents inside the boundary (on its edge counts as inside).</param>
/// <param name="Stations">Police stations inside the boundary (on its edge counts as inside).</param>
public sealed record NeighborhoodFigures(
    double AreaKm2,
    double PerimeterKm,
    double PolsbyPopper,
    IReadOnlyDictionary<string, double> StreetKmByClass,
    double StreetKm,
    int Blocks,
    int Incidents,
    int Stations);

/// <summary>Computes <see cref="NeighborhoodFigures"/> for a boundary.</summary>
public static class NeighborhoodMetrics
{
    /// <summary>
    /// The figures of a lon/lat boundary (made valid first when it is not). Streets are clipped to the boundary and
    /// measured on the ellipsoid (<see cref="Measure"/>); blocks count when their interior point is inside; incidents and
    /// stations when inside or on the edge. An empty boundary gives zeros.
    /// </summary>
    public static NeighborhoodFigures Compute(Geometry boundary, IEnumerable<(Geometry Line, string Class)> streets,
        IEnumerable<Geometry> blocks, IEnumerable<Point> incidents, IEnumerable<Point> stations)
    {
        Geometry area = MetricFrame.Polygonal(boundary);
        if (!area.IsValid) area = MetricFrame.Polygonal(GeometryFixer.Fix(area));
        if (area.IsEmpty) return new NeighborhoodFigures(0, 0, 0, new SortedDictionary<string, double>(StringComparer.Ordinal), 0, 0, 0, 0);

        var a = Measure.AreaSquareMeters(area);
        var p = Measure.LengthMeters(area);
        var prepared = PreparedGeometryFactory.Prepare(area);

        var byClass = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (line, cls) in streets)
        {
            if (line is null || line.IsEmpty || !prepared.Intersects(line)) continue;
            var inside = prepared.Covers(line) ? line : MetricFrame.Intersection(line, area);
            var km = Measure.LengthMeters(inside) / 1000;
            if (km <= 0) continue;
            byClass[cls] = byClass.GetValueOrDefault(cls) + km;
        }
        var blockCount = blocks.Count(b => b is { IsEmpty: false } && prepared.Covers(b.InteriorPoint));
        var incidentCount = incidents.Count(i => i is { IsEmpty: false } && prepared.Covers(i));
        var stationCount = stations.Count(s => s is { IsEmpty: false } && prepared.Covers(s));
        return new NeighborhoodFigures(a / 1e6, p / 1000, p > 0 ? 4 * Math.PI * a / (p * p) : 0,
            byClass, byClass.Values.Sum(), blockCount, incidentCount, stationCount);
    }
}
