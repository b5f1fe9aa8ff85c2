using System.Runtime.CompilerServices;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Network;

/// <summary>
/// What coverage asks of a graph again and again, made once per graph: the edges in lon/lat (the pieces are drawn from
/// them) and where each block stands on the graph. A graph kept by the service answers the next request without
/// moving a coordinate through PROJ or searching the streets around every block again.
/// </summary>
public sealed partial class StreetGraph
{
    private double[][]? _edgeLonLat;
    private readonly ConditionalWeakTable<Geometry, BlockPlace> _blockPlaces = new();

    private sealed record BlockPlace(double ToleranceM, Point Centroid, EdgeLocation? At);

    /// <summary>Each edge's vertices in lon/lat as x, y, x, y, ... (the UTM edge moved by PROJ in one call); made once.</summary>
    internal double[][] EdgeLonLatXY
    {
        get
        {
            if (Volatile.Read(ref _edgeLonLat) is { } kept) return kept;
            var count = 0;
            foreach (var e in Edges) count += e.Geometry.NumPoints;
            var xs = new double[count];
            var ys = new double[count];
            var at = 0;
            foreach (var e in Edges)
            {
                var seq = e.Geometry.CoordinateSequence;
                for (var i = 0; i < seq.Count; i++, at++)
                {
                    xs[at] = seq.GetX(i);
                    ys[at] = seq.GetY(i);
                }
            }
            Crs.Transform(xs, ys, UtmEpsg, Crs.Wgs84);
            var result = new double[Edges.Count][];
            at = 0;
            for (var e = 0; e < Edges.Count; e++)
            {
                var xy = new double[2 * Edges[e].Geometry.NumPoints];
                for (var i = 0; i < xy.Length; i += 2, at++)
                {
                    xy[i] = xs[at];
                    xy[i + 1] = ys[at];
                }
                result[e] = xy;
            }
            // Two threads racing make the same arrays: either may win.
            Interlocked.CompareExchange(ref _edgeLonLat, result, null);
            return _edgeLonLat!;
        }
    }

    /// <summary>
    /// A block's centroid and the graph place nearest it within <paramref name="toleranceM"/> (null: none), kept per
    /// block object for as long as both live: the service keeps a neighbourhood's blocks with its graph, so the search
    /// of the streets around each block is made once, not on every request. The block must not be changed afterwards
    /// (geometries held by others are never changed).
    /// </summary>
    internal (Point Centroid, EdgeLocation? At) PlaceOfBlock(Geometry block, double toleranceM)
    {
        if (_blockPlaces.TryGetValue(block, out var kept) && kept.ToleranceM.Equals(toleranceM)) return (kept.Centroid, kept.At);
        var centroid = block.Centroid;
        var at = Snap(centroid, toleranceM);
        _blockPlaces.AddOrUpdate(block, new BlockPlace(toleranceM, centroid, at));
        return (centroid, at);
    }
}
