using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Network;

/// <summary>
/// What patrol units reach within a time on a <see cref="StreetGraph"/>.
/// <list type="number">
/// <item>Each unit (lon/lat) is snapped to the nearest place on an edge within <see cref="CoverageOptions.SnapToleranceM"/>;
/// units farther away are refused and named; when all are refused it is an error.</item>
/// <item>One multi-source Dijkstra keeps, per node, the two best arrival times from two different units (the classic
/// k-nearest-sources label-setting search, k = 2), pruned at the time limit.</item>
/// <item>On each edge the reached part is exact: from an end reached at time d the unit goes on for (T − d) seconds
/// at the edge's speed in that direction, so partial edges are cut at the exact threshold point; a unit standing on
/// the edge covers it both ways from where it stands. A point is covered when one unit reaches it, backed up when two
/// different units do.</item>
/// <item>Streets in components no unit stands on are reported as left out (never hidden): they count in the totals
/// as not covered.</item>
/// </list>
/// </summary>
public static class Coverage
{
    /// <summary>Coverage of <paramref name="units"/> (lon/lat points) within <paramref name="minutes"/>.</summary>
    /// <exception cref="ArgumentException">No units, a time that is not more than 0, a bad option, or every unit
    /// farther from the streets than the tolerance (the message names them).</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static CoverageResult Compute(StreetGraph graph, IReadOnlyList<Point> units, double minutes, CoverageOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(units);
        options ??= new CoverageOptions();
        var clock = Stopwatch.StartNew();
        if (!(minutes > 0) || double.IsInfinity(minutes))
            throw new RefusalException(Note.Of("coverage.minutes_range", ("minutes", double.IsNaN(minutes) ? "NaN" : minutes.ToString(CultureInfo.InvariantCulture))), nameof(minutes));
        if (!(options.SnapToleranceM >= 0)) throw new RefusalException(Note.Of("coverage.refused_snap_tolerance", ("tolerance", options.SnapToleranceM.ToString(CultureInfo.InvariantCulture))), nameof(options.SnapToleranceM));
        if (units.Count == 0) throw new RefusalException(Note.Of("coverage.no_units"), nameof(units));
        if (options.UnitNames is { } names && names.Count != units.Count)
            throw new RefusalException(Note.Of("coverage.refused_names_count", ("names", names.Count), ("units", units.Count)), nameof(options.UnitNames));
        var limit = minutes * 60;

        // 1. Snap.
        var snapped = new List<SnappedUnit>();
        var refused = new List<RefusedUnit>();
        for (var i = 0; i < units.Count; i++)
        {
            var p = units[i] ?? throw new RefusalException(Note.Of("coverage.refused_unit_null", ("index", i + 1)), nameof(units));
            var name = options.UnitNames?[i] ?? $"unit {i + 1}";
            if (p.IsEmpty || !(p.X is >= -180 and <= 180 && p.Y is >= -90 and <= 90))
                throw new RefusalException(Note.Of("coverage.refused_not_lonlat", ("unit", name), ("x", p.IsEmpty ? double.NaN : p.X), ("y", p.IsEmpty ? double.NaN : p.Y)), nameof(units));
            if (graph.Snap(p, options.SnapToleranceM) is { } at) snapped.Add(new SnappedUnit(i, name, p, at));
            else refused.Add(new RefusedUnit(i, name, p, graph.Snap(p, 10_000)?.DistanceMeters));
        }
        if (snapped.Count == 0)
            throw new RefusalException(NoneNear(refused, options.SnapToleranceM, graph.Mode), nameof(units));

        // 2. Two best distinct units per node.
        // Per-search arrays come from the graph's pool (given back when the result is disposed): no large arrays per
        // search, so a service answering many searches does not push the garbage collector into gen-2 collections.
        var work = graph.RentWorkspace();
        var search = work.Search;
        for (var u = 0; u < snapped.Count; u++)
        {
            var at = snapped[u].At;
            var e = graph.Edges[at.Edge];
            var toFrom = at.Fraction == 0 ? 0 : at.Fraction * e.BackwardSeconds; // +∞ against a one-way street
            var toTo = at.Fraction == 1 ? 0 : (1 - at.Fraction) * e.ForwardSeconds;
            if (toFrom <= limit) search.Offer(e.From, u, toFrom);
            if (toTo <= limit) search.Offer(e.To, u, toTo);
        }
        search.Run(graph, limit);

        // 3. Reached parts of each edge (no allocation per edge).
        var unitsOnEdge = new Dictionary<int, List<(double Fraction, int Unit)>>();
        for (var u = 0; u < snapped.Count; u++)
        {
            if (!unitsOnEdge.TryGetValue(snapped[u].At.Edge, out var l)) unitsOnEdge[snapped[u].At.Edge] = l = [];
            l.Add((snapped[u].At.Fraction, u));
        }
        var hasUnit = work.HasUnit;
        foreach (var k in unitsOnEdge.Keys) hasUnit[k] = true;
        var covered = work.Covered;
        var backup = work.Backup;
        var spans = new Span[4 + snapped.Count];
        var cuts = new double[2 * spans.Length];
        var edgeFrom = graph.EdgeFrom;
        var edgeTo = graph.EdgeTo;
        var forward = graph.EdgeForward;
        var backward = graph.EdgeBackward;
        for (var id = 0; id < edgeFrom.Length; id++)
        {
            int from = edgeFrom[id], to = edgeTo[id];
            var on = hasUnit[id];
            if (search.Unit1[from] < 0 && search.Unit1[to] < 0 && !on) continue;
            double F = forward[id], B = backward[id];
            var n = 0;
            // From the start the unit goes on for (T - d) seconds at the forward speed; from the end, backward.
            if (search.Unit1[from] >= 0) spans[n++] = new Span(search.Unit1[from], 0, double.IsPositiveInfinity(F) ? 0 : Math.Min(1, (limit - search.Time1[from]) / F));
            if (search.Unit2[from] >= 0) spans[n++] = new Span(search.Unit2[from], 0, double.IsPositiveInfinity(F) ? 0 : Math.Min(1, (limit - search.Time2[from]) / F));
            if (search.Unit1[to] >= 0) spans[n++] = new Span(search.Unit1[to], double.IsPositiveInfinity(B) ? 1 : Math.Max(0, 1 - (limit - search.Time1[to]) / B), 1);
            if (search.Unit2[to] >= 0) spans[n++] = new Span(search.Unit2[to], double.IsPositiveInfinity(B) ? 1 : Math.Max(0, 1 - (limit - search.Time2[to]) / B), 1);
            if (on)
                foreach (var (f, unit) in unitsOnEdge[id])
                    spans[n++] = new Span(unit, double.IsPositiveInfinity(B) ? f : Math.Max(0, f - limit / B), double.IsPositiveInfinity(F) ? f : Math.Min(1, f + limit / F));
            Sweep(id, spans.AsSpan(0, n), cuts, covered, backup);
        }

        var result = new CoverageResult(graph, minutes, snapped, refused, search.Time1, search.Time2, search.Unit1, search.Unit2,
            covered, backup, options, work);
        result.Finish(clock);
        return result;
    }

    /// <summary>Why no unit could start: the unit nearest to a street named with its distance, or none within 10 km.</summary>
    private static Note NoneNear(List<RefusedUnit> refused, double toleranceM, TravelMode mode)
    {
        var nearest = refused.Where(r => r.NearestStreetM is not null).MinBy(r => r.NearestStreetM);
        return nearest is null
            ? Note.Of("coverage.refused_none_within_10km", ("count", refused.Count), ("tolerance", toleranceM), ("mode", mode.Name()))
            : refused.Count == 1
                ? Note.Of("coverage.refused_none_near", ("tolerance", toleranceM), ("mode", mode.Name()),
                    ("unit", nearest.Name), ("lon", nearest.LonLat.X), ("lat", nearest.LonLat.Y), ("distance", Math.Round(nearest.NearestStreetM!.Value)))
                : Note.Of("coverage.refused_none_near_of", ("count", refused.Count), ("tolerance", toleranceM), ("mode", mode.Name()),
                    ("unit", nearest.Name), ("lon", nearest.LonLat.X), ("lat", nearest.LonLat.Y), ("distance", Math.Round(nearest.NearestStreetM!.Value)));
    }

    internal static Note RefusedNote(RefusedUnit r, double toleranceM) => r.NearestStreetM is { } d
        ? Note.Of("coverage.unit_far", ("unit", r.Name), ("lon", r.LonLat.X), ("lat", r.LonLat.Y), ("distance", d), ("tolerance", toleranceM))
        : Note.Of("coverage.unit_no_street", ("unit", r.Name), ("lon", r.LonLat.X), ("lat", r.LonLat.Y), ("tolerance", toleranceM));

    private record struct Span(int Unit, double S, double E);

    /// <summary>Adds the parts of [0, 1] covered by at least one unit and by at least two different units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Sweep(int edge, ReadOnlySpan<Span> spans, double[] cuts, EdgeParts one, EdgeParts two)
    {
        // The common case: every span is the whole edge.
        var whole = true;
        var distinct = false;
        foreach (var s in spans)
        {
            if (s.S > 0 || s.E < 1) { whole = false; break; }
            if (s.Unit != spans[0].Unit) distinct = true;
        }
        if (whole)
        {
            one.Add(edge, 0, 1);
            if (distinct) two.Add(edge, 0, 1);
            return;
        }
        var n = 0;
        foreach (var s in spans) { cuts[n++] = s.S; cuts[n++] = s.E; }
        // Insertion sort: n is small (2 per span), and Array.Sort's set-up costs more than the sort.
        for (var i = 1; i < n; i++)
        {
            var v = cuts[i];
            var j = i - 1;
            while (j >= 0 && cuts[j] > v) { cuts[j + 1] = cuts[j]; j--; }
            cuts[j + 1] = v;
        }
        for (var i = 0; i + 1 < n; i++)
        {
            double a = cuts[i], b = cuts[i + 1];
            if (!(b > a)) continue;
            var mid = (a + b) / 2;
            int first = -1, count = 0;
            foreach (var s in spans)
            {
                if (s.S > mid || s.E < mid) continue;
                if (first < 0) { first = s.Unit; count = 1; }
                else if (s.Unit != first) { count = 2; break; }
            }
            if (count >= 1) one.Add(edge, a, b);
            if (count >= 2) two.Add(edge, a, b);
        }
    }

    /// <summary>What one search needs per node and per edge, kept by the graph between searches.</summary>
    internal sealed class Workspace(int nodes, int edges)
    {
        public readonly TwoBest Search = new(nodes);
        public readonly EdgeParts Covered = new(edges);
        public readonly EdgeParts Backup = new(edges);
        public readonly bool[] HasUnit = new bool[edges];

        /// <summary>Back to the state of a new one.</summary>
        public void Reset()
        {
            Search.Reset();
            Covered.Reset();
            Backup.Reset();
            Array.Clear(HasUnit);
        }
    }

    /// <summary>Label-setting search keeping the two best arrival times from different units at each node.</summary>
    internal sealed class TwoBest
    {
        public readonly double[] Time1, Time2;
        public readonly int[] Unit1, Unit2;
        private readonly bool[] _done1, _done2;
        private readonly MinHeap _queue = new(1024);

        public TwoBest(int n)
        {
            // Filled just below: no need to clear them first.
            Time1 = GC.AllocateUninitializedArray<double>(n); Time2 = GC.AllocateUninitializedArray<double>(n);
            Unit1 = GC.AllocateUninitializedArray<int>(n); Unit2 = GC.AllocateUninitializedArray<int>(n);
            Array.Fill(Time1, double.PositiveInfinity); Array.Fill(Time2, double.PositiveInfinity);
            Array.Fill(Unit1, -1); Array.Fill(Unit2, -1);
            _done1 = new bool[n]; _done2 = new bool[n];
        }

        public void Reset()
        {
            Array.Fill(Time1, double.PositiveInfinity); Array.Fill(Time2, double.PositiveInfinity);
            Array.Fill(Unit1, -1); Array.Fill(Unit2, -1);
            Array.Clear(_done1); Array.Clear(_done2);
            _queue.Clear();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public void Offer(int node, int unit, double t)
        {
            if (Unit1[node] == unit)
            {
                if (t < Time1[node]) { Time1[node] = t; _queue.Push(t, node, unit); }
            }
            else if (Unit2[node] == unit)
            {
                if (t < Time2[node])
                {
                    Time2[node] = t;
                    if (t < Time1[node])
                    {
                        (Time1[node], Time2[node]) = (Time2[node], Time1[node]);
                        (Unit1[node], Unit2[node]) = (Unit2[node], Unit1[node]);
                    }
                    _queue.Push(t, node, unit);
                }
            }
            else if (t < Time1[node])
            {
                Time2[node] = Time1[node]; Unit2[node] = Unit1[node];
                Time1[node] = t; Unit1[node] = unit;
                _queue.Push(t, node, unit);
            }
            else if (t < Time2[node])
            {
                Time2[node] = t; Unit2[node] = unit;
                _queue.Push(t, node, unit);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run(StreetGraph g, double limit)
        {
            // The arrays in locals: the JIT need not reload the fields after every store.
            double[] time1 = Time1, time2 = Time2, cost = g.OutCost;
            int[] unit1 = Unit1, unit2 = Unit2, start = g.OutStart, target = g.OutTarget;
            bool[] done1 = _done1, done2 = _done2;
            var queue = _queue;
            while (queue.Count > 0)
            {
                queue.Pop(out var t, out var node, out var unit);
                if (unit1[node] == unit && time1[node] == t && !done1[node]) done1[node] = true;
                else if (unit2[node] == unit && time2[node] == t && !done2[node]) done2[node] = true;
                else continue; // stale
                for (int a = start[node], end = start[node + 1]; a < end; a++)
                {
                    var nt = t + cost[a];
                    if (nt <= limit) Offer(target[a], unit, nt);
                }
            }
        }
    }

    /// <summary>A binary min-heap of (time, node, unit) entries in one array: no allocation per entry.</summary>
    private sealed class MinHeap(int capacity)
    {
        private struct Entry
        {
            public double Key;
            public int Node, Unit;
        }

        private Entry[] _items = new Entry[capacity];

        public int Count { get; private set; }

        public void Clear() => Count = 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
        public void Push(double key, int node, int unit)
        {
            if (Count == _items.Length) Array.Resize(ref _items, Count * 2);
            var items = _items;
            var i = Count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (items[parent].Key <= key) break;
                items[i] = items[parent];
                i = parent;
            }
            items[i] = new Entry { Key = key, Node = node, Unit = unit };
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Pop(out double key, out int node, out int unit)
        {
            var items = _items;
            key = items[0].Key; node = items[0].Node; unit = items[0].Unit;
            var n = --Count;
            if (n > 0)
            {
                var last = items[n];
                var i = 0;
                while (true)
                {
                    var child = 2 * i + 1;
                    if (child >= n) break;
                    if (child + 1 < n && items[child + 1].Key < items[child].Key) child++;
                    if (items[child].Key >= last.Key) break;
                    items[i] = items[child];
                    i = child;
                }
                items[i] = last;
            }
        }
    }
}
