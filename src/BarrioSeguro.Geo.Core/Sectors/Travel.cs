using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>What the partition optimises within the balance tolerance.</summary>
public enum SectorObjective
{
    /// <summary>The shortest cut (total boundary between sectors): compact shapes. The default.</summary>
    Compactness,
    /// <summary>
    /// Response: the workload-weighted travel from each sector's centre to its blocks (a p-median with balance and
    /// contiguity); the cut breaks ties, or counts with <see cref="PartitionOptions.CompactnessWeight"/>.
    /// </summary>
    Response,
}

/// <summary>The travel from one sector's centre to its blocks.</summary>
/// <param name="Sector">Sector number.</param>
/// <param name="CentreBlock">The block chosen as the centre, or null when the centre is a fixed point.</param>
/// <param name="CentreLon">The centre (the block's centroid, or the fixed point), lon.</param>
/// <param name="CentreLat">... lat.</param>
/// <param name="CentreFixed">The centre was fixed by the chief (a comisaría, a point).</param>
/// <param name="WeightedMinutes">Σ workload × minutes from the centre to each block (workload·min).</param>
/// <param name="MeanMinutes">Workload-weighted mean minutes from the centre to a block (unweighted when the sector has no workload).</param>
/// <param name="WorstMinutes">Minutes to the farthest block.</param>
/// <param name="WorstBlock">That block.</param>
/// <param name="WeightedKm">Σ workload × km in a straight line from the centre (null on the street network).</param>
public sealed record SectorTravel(int Sector, string? CentreBlock, double CentreLon, double CentreLat, bool CentreFixed,
    double WeightedMinutes, double MeanMinutes, double WorstMinutes, string WorstBlock, double? WeightedKm);

/// <summary>The response figures of a plan.</summary>
/// <param name="Measure">How travel was measured, e.g. "street network by car" or "straight line at 5 km/h".</param>
/// <param name="TotalWeightedMinutes">Σ over sectors (workload·min).</param>
/// <param name="MeanMinutes">Workload-weighted mean minutes from a block's centre to it.</param>
/// <param name="WorstMinutes">The longest travel from a centre to one of its blocks.</param>
/// <param name="TotalWeightedKm">Σ workload × straight-line km (null on the street network).</param>
/// <param name="Sectors">Per sector.</param>
/// <param name="OffNetworkBlocks">Blocks with no street within reach of the mode: measured in a straight line.</param>
public sealed record TravelFigures(string Measure, double TotalWeightedMinutes, double MeanMinutes, double WorstMinutes,
    double? TotalWeightedKm, IReadOnlyList<SectorTravel> Sectors, int OffNetworkBlocks);

/// <summary>
/// Travel times from origins (the blocks, then the fixed centres) to the blocks, in seconds: on the street graph of a
/// mode when one is given (Dijkstra from the origin's nearest node, rows cached), else in a straight line between
/// centroids at a given speed. A block no street reaches is measured in a straight line at the mode's speed.
/// </summary>
internal sealed class TravelCost
{
    private readonly int _n;
    private readonly double[] _x, _y;           // origins in the sector graph's UTM zone (blocks, then fixed points)
    private readonly double _speed;             // m/s, straight line
    private readonly StreetGraph? _streets;
    private readonly int[] _node = [];          // per origin: street node, or -1
    private readonly Dictionary<int, double[]> _rows = new();
    private readonly double _scale;

    public int Origins => _x.Length;
    /// <summary>UTM scale factor at the blocks' centre (ground m = grid m / Scale).</summary>
    public double Scale => _scale;
    /// <summary>Straight-line speed in m/s (on a network: the streets' mean speed, for blocks off it).</summary>
    public double SpeedMps => _speed;
    public bool OnNetwork => _streets is not null;
    public int OffNetwork { get; }
    public string Measure { get; }

    public TravelCost(SectorGraph g, IReadOnlyList<Point> fixedPoints, StreetGraph? streets, double straightKmh)
    {
        if (!(straightKmh > 0)) throw new BarrioSeguro.Geo.Core.Notes.RefusalException(BarrioSeguro.Geo.Core.Notes.Note.Of("sectors.refused_speed"), nameof(straightKmh));
        _n = g.Count;
        var m = fixedPoints.Count;
        _x = new double[_n + m];
        _y = new double[_n + m];
        Array.Copy(g.X, _x, _n);
        Array.Copy(g.Y, _y, _n);
        for (var p = 0; p < m; p++)
        {
            var (x, y) = Crs.Transform(fixedPoints[p].X, fixedPoints[p].Y, Crs.Wgs84, g.Zone);
            _x[_n + p] = x; _y[_n + p] = y;
        }
        var c = g.X.Length > 0 ? (g.X.Average(), g.Y.Average()) : (0, 0);
        var (lon, lat) = Crs.Transform(c.Item1, c.Item2, g.Zone, Crs.Wgs84);
        _scale = BarrioSeguro.Geo.Core.Spatial.Measure.UtmScaleFactor(lon, lat, g.Zone);
        _speed = straightKmh / 3.6;
        Measure = $"straight line at {straightKmh:0.#} km/h";
        if (streets is null) return;

        _streets = streets;
        var speeds = streets.Edges.Where(e => double.IsFinite(e.ForwardSeconds) && e.ForwardSeconds > 0).Select(e => e.LengthMeters / e.ForwardSeconds).ToList();
        if (speeds.Count > 0) _speed = speeds.Average();
        Measure = $"street network {StreetGraph.Travel(streets.Mode)}";
        _node = new int[_n + m];
        var off = 0;
        for (var o = 0; o < _n + m; o++)
        {
            var (x, y) = g.Zone == streets.UtmEpsg ? (_x[o], _y[o]) : Crs.Transform(_x[o], _y[o], g.Zone, streets.UtmEpsg);
            var at = streets.SnapUtm(new Coordinate(x, y), 500);
            if (at is not { } a) { _node[o] = -1; if (o < _n) off++; continue; }
            _node[o] = a.Fraction < 0.5 ? streets.EdgeFrom[a.Edge] : streets.EdgeTo[a.Edge];
        }
        OffNetwork = off;
    }

    /// <summary>Straight-line ground metres from origin o to block i.</summary>
    public double Metres(int o, int i) => Math.Sqrt(Sq(_x[o] - _x[i], _y[o] - _y[i])) / _scale;

    /// <summary>Seconds from origin o to every block.</summary>
    public double[] Row(int o)
    {
        if (_rows.TryGetValue(o, out var row)) return row;
        row = new double[_n];
        if (_streets is null || _node[o] < 0)
        {
            for (var i = 0; i < _n; i++) row[i] = Metres(o, i) / _speed;
        }
        else
        {
            var t = Dijkstra(_node[o]);
            for (var i = 0; i < _n; i++)
                row[i] = _node[i] >= 0 && double.IsFinite(t[_node[i]]) ? t[_node[i]] : Metres(o, i) / _speed;
        }
        if (_rows.Count >= Math.Max(64, 5_000_000 / Math.Max(1, _n))) _rows.Clear();
        _rows[o] = row;
        return row;
    }

    private double[] Dijkstra(int source)
    {
        var s = _streets!;
        var dist = new double[s.NodeCount];
        Array.Fill(dist, double.PositiveInfinity);
        dist[source] = 0;
        var queue = new PriorityQueue<int, double>();
        queue.Enqueue(source, 0);
        while (queue.TryDequeue(out var u, out var du))
        {
            if (du > dist[u]) continue;
            for (var a = s.OutStart[u]; a < s.OutStart[u + 1]; a++)
            {
                var v = s.OutTarget[a];
                var dv = du + s.OutCost[a];
                if (dv < dist[v]) { dist[v] = dv; queue.Enqueue(v, dv); }
            }
        }
        return dist;
    }

    private static double Sq(double dx, double dy) => dx * dx + dy * dy;

    /// <summary>
    /// The best centre of a set of blocks: the block minimising Σ workload × seconds to them (a 1-median). Candidates:
    /// every block of a small set, else the blocks nearest the workload-weighted centroid (fewer on the network, where
    /// each costs a search).
    /// </summary>
    public int BestCentre(IReadOnlyList<int> blocks, double[] weight, int current = -1)
    {
        if (blocks.Count == 1) return blocks[0];
        var limit = OnNetwork ? 6 : 100;
        IEnumerable<int> candidates = blocks;
        if (blocks.Count > limit)
        {
            double sx = 0, sy = 0, sw = 0;
            foreach (var i in blocks) { var w = weight[i] + 1e-9; sx += _x[i] * w; sy += _y[i] * w; sw += w; }
            sx /= sw; sy /= sw;
            candidates = blocks.OrderBy(i => (Sq(_x[i] - sx, _y[i] - sy), i)).Take(OnNetwork ? limit : 40);
            if (current >= 0) candidates = candidates.Append(current).Distinct();
        }
        var best = -1;
        var bestCost = double.MaxValue;
        foreach (var c in candidates)
        {
            var cost = 0.0;
            if (OnNetwork)
            {
                var row = Row(c);
                foreach (var j in blocks) cost += weight[j] * row[j];
            }
            else
                foreach (var j in blocks) cost += weight[j] * Math.Sqrt(Sq(_x[c] - _x[j], _y[c] - _y[j]));
            if (cost < bestCost - 1e-9 || (Math.Abs(cost - bestCost) <= 1e-9 && c < best)) { best = c; bestCost = cost; }
        }
        return best;
    }

    /// <summary>The centre's position in lon/lat.</summary>
    public (double Lon, double Lat) LonLat(int o, int zone) => Crs.Transform(_x[o], _y[o], zone, Crs.Wgs84);
}
