using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Noding;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>
/// Every place where the rings of a polygonal geometry cross or touch in a way OGC forbids, not only the first one
/// <see cref="NetTopologySuite.Operation.Valid.IsValidOp"/> stops at. The rings are noded with a monotone-chain index:
/// <list type="bullet">
/// <item>a ring meeting itself anywhere but between consecutive segments (bowtie, figure-eight, self-touching loop);</item>
/// <item>consecutive segments that run back over each other (a zero-width spike);</item>
/// <item>two rings crossing (a hole crossing its shell, two parts crossing), or sharing a stretch of edge.</item>
/// </list>
/// Two rings touching at a single point are allowed (OGC allows a hole to touch its shell at one point).
/// </summary>
internal static class RingCrossings
{
    public sealed record Crossing(Coordinate At, bool Proper, bool SameRing);

    private sealed record RingId(int Part, int Ring, int SegmentCount);

    /// <summary>The crossings, each place once, in the order found; rings of fewer than 4 distinct points are skipped.</summary>
    public static IReadOnlyList<Crossing> Find(IEnumerable<Polygon> polygons)
    {
        var strings = new List<ISegmentString>();
        var part = 0;
        foreach (var polygon in polygons)
        {
            var rings = new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings).ToArray();
            for (var r = 0; r < rings.Length; r++)
            {
                var coords = CoordinateArrays.RemoveRepeatedPoints(rings[r].Coordinates);
                if (coords.Length < 3) continue;
                if (!coords[0].Equals2D(coords[^1])) coords = [.. coords, coords[0].Copy()];
                strings.Add(new BasicSegmentString(coords, new RingId(part, r, coords.Length - 1)));
            }
            part++;
        }
        var finder = new Finder();
        new MCIndexNoder(finder).ComputeNodes(strings);
        return finder.Found;
    }

    private sealed class Finder : ISegmentIntersector
    {
        private readonly RobustLineIntersector _li = new();
        private readonly HashSet<(double, double)> _seen = [];

        public List<Crossing> Found { get; } = [];

        public bool IsDone => false;

        public void ProcessIntersections(ISegmentString e0, int i0, ISegmentString e1, int i1)
        {
            var (r0, r1) = ((RingId)e0.Context, (RingId)e1.Context);
            var sameRing = ReferenceEquals(e0, e1);
            if (sameRing && i0 == i1) return;
            _li.ComputeIntersection(e0.Coordinates[i0], e0.Coordinates[i0 + 1], e1.Coordinates[i1], e1.Coordinates[i1 + 1]);
            if (!_li.HasIntersection) return;

            if (sameRing)
            {
                var (lo, hi) = (Math.Min(i0, i1), Math.Max(i0, i1));
                var adjacent = hi - lo == 1 || (lo == 0 && hi == r0.SegmentCount - 1);
                // Consecutive segments always share their common vertex; only running back over each other is wrong.
                if (adjacent && _li.IntersectionNum < 2) return;
            }
            else
            {
                // Different rings may touch at a point; crossing or sharing an edge is wrong.
                if (!_li.IsProper && _li.IntersectionNum < 2) return;
            }
            _ = r1;
            for (var k = 0; k < _li.IntersectionNum; k++) Add(_li.GetIntersection(k), _li.IsProper, sameRing);
        }

        private void Add(Coordinate c, bool proper, bool sameRing)
        {
            // The same place found from several segment pairs (e.g. at a vertex) is one crossing.
            if (!_seen.Add((Math.Round(c.X, 9), Math.Round(c.Y, 9)))) return;
            Found.Add(new Crossing(c.Copy(), proper, sameRing));
        }
    }
}
