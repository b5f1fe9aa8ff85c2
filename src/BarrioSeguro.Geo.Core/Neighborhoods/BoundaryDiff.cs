using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>What one boundary gained and lost against another: polygons to draw, and their areas in m².</summary>
public sealed record BoundaryChange(Geometry Added, Geometry Removed, double AddedSquareMeters, double RemovedSquareMeters);

/// <summary>Compares two lon/lat boundaries. Pieces below a square metre are dropped: they are noise of the overlay.</summary>
public static class BoundaryDiff
{
    public const double NoiseSquareMeters = 1.0;

    /// <summary>The change from <paramref name="before"/> (null for a new boundary) to <paramref name="after"/>.</summary>
    public static BoundaryChange Compare(Geometry? before, Geometry after)
    {
        var factory = after.Factory;
        if (before is null || before.IsEmpty)
            return new BoundaryChange(after, factory.CreateMultiPolygon(), Measure.AreaSquareMeters(after), 0);
        var added = Significant(after.Difference(before));
        var removed = Significant(before.Difference(after));
        return new BoundaryChange(added, removed, Measure.AreaSquareMeters(added), Measure.AreaSquareMeters(removed));
    }

    private static Geometry Significant(Geometry g)
    {
        var parts = Enumerable.Range(0, g.NumGeometries).Select(g.GetGeometryN)
            .OfType<Polygon>().Where(p => Measure.AreaSquareMeters(p) >= NoiseSquareMeters).ToArray();
        return g.Factory.CreateMultiPolygon(parts);
    }
}
