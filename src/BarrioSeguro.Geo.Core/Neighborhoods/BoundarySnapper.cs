using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>Snaps a drawn boundary to block edges or street centrelines.</summary>
public static class BoundarySnapper
{
    /// <summary>
    /// Snaps vertices of a drawn polygon (EPSG:4326) to the nearest block edge vertex/segment or street centreline within
    /// tolerance; the result stays valid. Each vertex moves to the nearest target vertex (or crossing of two targets) within
    /// <paramref name="toleranceMeters"/> when there is one, otherwise to the nearest point of a target segment within it,
    /// otherwise stays. Rings that collapse are dropped; a result that snapping made invalid is made valid with
    /// <see cref="GeometryFixer"/>. Targets are any lon/lat geometries (lines, polygons: their rings). A non-polygonal or
    /// empty boundary, no targets or a tolerance of 0 give a copy of the boundary. The input is not modified.
    /// </summary>
    public static Geometry Snap(Geometry boundary, IEnumerable<Geometry> targets, double toleranceMeters)
    {
        var polygonal = MetricFrame.Polygonal(boundary);
        if (polygonal.IsEmpty || !(toleranceMeters > 0)) return boundary.Copy();
        var frame = MetricFrame.For(polygonal);
        var utm = (MultiPolygon)frame.ToUtm(polygonal);
        var search = utm.EnvelopeInternal.Copy();
        search.ExpandBy(toleranceMeters * 2);

        var segments = new STRtree<LineSegment>();
        var count = 0;
        foreach (var target in targets)
        {
            if (target is null || target.IsEmpty) continue;
            var t = frame.ToUtm(target);
            if (!t.EnvelopeInternal.Intersects(search)) continue;
            foreach (var line in LinearComponentExtracter.GetLines(t).Cast<LineString>())
            {
                var c = line.Coordinates;
                for (var i = 0; i + 1 < c.Length; i++)
                {
                    var s = new LineSegment(c[i], c[i + 1]);
                    var env = new Envelope(s.P0, s.P1);
                    if (!env.Intersects(search)) continue;
                    segments.Insert(env, s);
                    count++;
                }
            }
        }
        if (count == 0) return boundary.Copy();

        var f = utm.Factory;
        var parts = new List<Polygon>();
        foreach (var p in utm.Geometries.Cast<Polygon>())
        {
            var shell = SnapRing(p.ExteriorRing, segments, toleranceMeters, f);
            if (shell is null) continue;
            var holes = p.InteriorRings.Select(h => SnapRing(h, segments, toleranceMeters, f)).OfType<LinearRing>().ToArray();
            parts.Add(f.CreatePolygon(shell, holes));
        }
        Geometry snapped = f.CreateMultiPolygon(parts.ToArray());
        if (!snapped.IsValid) snapped = GeometryFixer.Fix(snapped);
        var result = frame.ToLonLat(MetricFrame.Polygonal(snapped));
        if (!result.IsValid) result = GeometryFixer.Fix(result);
        return boundary is Polygon && result.NumGeometries == 1 ? result.GetGeometryN(0) : MetricFrame.Polygonal(result);
    }

    private static LinearRing? SnapRing(LineString ring, STRtree<LineSegment> segments, double tolerance, GeometryFactory f)
    {
        var c = ring.Coordinates;
        var moved = new Coordinate[c.Length];
        for (var i = 0; i < c.Length - 1; i++) moved[i] = SnapPoint(c[i], segments, tolerance);
        moved[^1] = moved[0].Copy();
        var cleaned = CoordinateArrays.RemoveRepeatedPoints(moved);
        return cleaned.Length < 4 ? null : f.CreateLinearRing(cleaned);
    }

    private static Coordinate SnapPoint(Coordinate p, STRtree<LineSegment> segments, double tolerance)
    {
        var near = segments.Query(new Envelope(p.X - tolerance, p.X + tolerance, p.Y - tolerance, p.Y + tolerance))
            .Where(s => s.Distance(p) <= tolerance).ToList();
        Coordinate? bestVertex = null, bestOnSegment = null;
        double vertexDistance = tolerance, segmentDistance = tolerance;
        // Vertices of the targets, and places where two nearby targets cross (street corners that are not noded).
        var vertices = near.SelectMany(s => new[] { s.P0, s.P1 }).ToList();
        for (var i = 0; i < near.Count; i++)
            for (var j = i + 1; j < near.Count; j++)
                if (near[i].Intersection(near[j]) is { } x) vertices.Add(x);
        foreach (var v in vertices)
        {
            var d = v.Distance(p);
            if (d <= vertexDistance) (vertexDistance, bestVertex) = (d, v);
        }
        foreach (var s in near)
        {
            var onSegment = s.ClosestPoint(p);
            var ds = onSegment.Distance(p);
            if (ds <= segmentDistance) (segmentDistance, bestOnSegment) = (ds, onSegment);
        }
        return (bestVertex ?? bestOnSegment ?? p).Copy();
    }
}
