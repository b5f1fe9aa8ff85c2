using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>
/// The blocks as a graph, measured once in the UTM zone of the data: centroids, areas, perimeters, and adjacency with the
/// length of boundary two blocks share. Two blocks are neighbours when their boundaries run within a gap tolerance of each
/// other, nearly parallel, along at least a minimum length: a corner is not enough, a sliver gap of hand-made data is
/// bridged. Islands (connected components other than the largest) can be joined to their nearest block by a bridge edge
/// of shared length 0.
/// </summary>
internal sealed class SectorGraph
{
    public required int Count { get; init; }
    public required int Zone { get; init; }
    public required double[] X { get; init; }
    public required double[] Y { get; init; }
    public required double[] AreaM2 { get; init; }
    public required double[] PerimeterM { get; init; }
    public required double[] Weight { get; init; }
    /// <summary>CSR adjacency: the neighbours of i are Neighbours[Start[i]..Start[i+1]), with Shared lengths (0 for bridges).</summary>
    public required int[] Start { get; init; }
    public required int[] Neighbours { get; init; }
    public required double[] Shared { get; init; }
    /// <summary>Component of each block over real shared edges; the main component is the one with most blocks.</summary>
    public required int[] Component { get; init; }
    public required int MainComponent { get; init; }
    public required int ComponentCount { get; init; }
    public required IReadOnlyList<Bridge> Bridges { get; init; }

    public readonly record struct Bridge(int From, int To, double DistanceM);

    public IEnumerable<int> IslandBlocks() => Enumerable.Range(0, Count).Where(i => Component[i] != MainComponent);

    /// <param name="cut">Links (i, j with i &lt; j) left out: those across a barrier (null: none).</param>
    public static SectorGraph Build(IReadOnlyList<SectorUnit> units, double gapTolerance, double minShared, bool bridgeIslands,
        IReadOnlySet<(int, int)>? cut = null)
    {
        Validate(units);
        var n = units.Count;
        var env = new Envelope();
        foreach (var u in units) env.ExpandToInclude(u.Geometry.EnvelopeInternal);
        var zone = Crs.UtmZoneFor(env.Centre.X, env.Centre.Y);

        var x = new double[n];
        var y = new double[n];
        var area = new double[n];
        var perimeter = new double[n];
        var segments = new double[n][];
        var envelopes = new Envelope[n];
        var tree = new STRtree<int>();
        for (var i = 0; i < n; i++)
        {
            var g = units[i].Geometry;
            var utm = Crs.Transform(g, Crs.Wgs84, zone);
            var c = g.EnvelopeInternal.Centre;
            var k = Measure.UtmScaleFactor(c.X, c.Y, zone);
            var centroid = utm.Centroid;
            x[i] = centroid.X;
            y[i] = centroid.Y;
            area[i] = utm.Area / (k * k);
            perimeter[i] = utm.Length / k;
            segments[i] = Segments(utm);
            envelopes[i] = utm.EnvelopeInternal;
            var search = new Envelope(utm.EnvelopeInternal);
            search.ExpandBy(gapTolerance);
            tree.Insert(search, i);
        }
        tree.Build();

        var lists = new List<(int J, double Shared)>[n];
        for (var i = 0; i < n; i++) lists[i] = [];
        for (var i = 0; i < n; i++)
        {
            foreach (var j in tree.Query(envelopes[i]))
            {
                if (j <= i || (cut is not null && cut.Contains((i, j)))) continue;
                var shared = SharedLength(segments[i], segments[j], envelopes[j], gapTolerance);
                if (shared < minShared) continue;
                lists[i].Add((j, shared));
                lists[j].Add((i, shared));
            }
        }

        // Components over real edges.
        var component = Components(n, lists, out var count);
        var sizes = new int[count];
        foreach (var c in component) sizes[c]++;
        var main = 0;
        for (var c = 1; c < count; c++) if (sizes[c] > sizes[main]) main = c;

        var bridges = new List<Bridge>();
        if (bridgeIslands && count > 1)
        {
            bridges = BridgeIslands(n, component, count, main, x, y, segments, envelopes, tree);
            foreach (var b in bridges)
            {
                if (lists[b.From].Any(e => e.J == b.To)) continue;
                lists[b.From].Add((b.To, 0));
                lists[b.To].Add((b.From, 0));
            }
        }

        var start = new int[n + 1];
        for (var i = 0; i < n; i++) start[i + 1] = start[i] + lists[i].Count;
        var nbr = new int[start[n]];
        var sh = new double[start[n]];
        for (var i = 0; i < n; i++)
        {
            var sorted = lists[i].OrderBy(e => e.J).ToList();
            for (var e = 0; e < sorted.Count; e++)
            {
                nbr[start[i] + e] = sorted[e].J;
                sh[start[i] + e] = sorted[e].Shared;
            }
        }
        return new SectorGraph
        {
            Count = n, Zone = zone, X = x, Y = y, AreaM2 = area, PerimeterM = perimeter,
            Weight = units.Select(u => u.Workload).ToArray(),
            Start = start, Neighbours = nbr, Shared = sh, Component = component, MainComponent = main, ComponentCount = count,
            Bridges = bridges,
        };
    }

    private static void Validate(IReadOnlyList<SectorUnit> units)
    {
        if (units is null || units.Count == 0) throw new RefusalException(Note.Of("sectors.refused_no_blocks"), nameof(units));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < units.Count; i++)
        {
            var u = units[i] ?? throw new RefusalException(Note.Of("sectors.block_null", ("index", i)), nameof(units));
            if (string.IsNullOrEmpty(u.Id)) throw new RefusalException(Note.Of("sectors.block_no_id", ("index", i)), nameof(units));
            if (!ids.Add(u.Id)) throw new RefusalException(Note.Of("sectors.block_id_twice", ("block", u.Id)), nameof(units));
            if (u.Geometry is null || u.Geometry.IsEmpty) throw new RefusalException(Note.Of("sectors.block_no_geometry", ("block", u.Id)), nameof(units));
            if (u.Geometry is not (Polygon or MultiPolygon))
                throw new RefusalException(Note.Of("sectors.block_not_polygon", ("block", u.Id), ("type", u.Geometry.GeometryType)), nameof(units));
            if (!double.IsFinite(u.Workload) || u.Workload < 0)
                throw new RefusalException(Note.Of("sectors.block_bad_workload", ("block", u.Id), ("workload", u.Workload.ToString(System.Globalization.CultureInfo.InvariantCulture))), nameof(units));
        }
    }

    /// <summary>Every ring segment as x1, y1, x2, y2.</summary>
    private static double[] Segments(Geometry g)
    {
        var list = new List<double>();
        void Add(LineString ring)
        {
            var seq = ring.CoordinateSequence;
            for (var i = 0; i + 1 < seq.Count; i++)
            {
                list.Add(seq.GetX(i)); list.Add(seq.GetY(i)); list.Add(seq.GetX(i + 1)); list.Add(seq.GetY(i + 1));
            }
        }
        // Every piece of a multipart unit counts: it neighbours what any of its pieces touches.
        for (var i = 0; i < g.NumGeometries; i++)
        {
            var p = (Polygon)g.GetGeometryN(i);
            Add(p.ExteriorRing);
            foreach (var hole in p.InteriorRings) Add(hole);
        }
        return list.ToArray();
    }

    /// <summary>Length along the segments of a that runs within tol of a nearly parallel segment of b.</summary>
    private static double SharedLength(double[] a, double[] b, Envelope envB, double tol)
    {
        var total = 0.0;
        for (var s = 0; s < a.Length; s += 4)
        {
            double ax = a[s], ay = a[s + 1], bx = a[s + 2], by = a[s + 3];
            if (Math.Max(ax, bx) < envB.MinX - tol || Math.Min(ax, bx) > envB.MaxX + tol
                || Math.Max(ay, by) < envB.MinY - tol || Math.Min(ay, by) > envB.MaxY + tol) continue;
            var len = Math.Sqrt((bx - ax) * (bx - ax) + (by - ay) * (by - ay));
            if (len < 1e-9) continue;
            double ux = (bx - ax) / len, uy = (by - ay) / len;
            for (var t = 0; t < b.Length; t += 4)
            {
                double cx = b[t], cy = b[t + 1], dx = b[t + 2], dy = b[t + 3];
                if (Math.Max(cx, dx) < Math.Min(ax, bx) - tol || Math.Min(cx, dx) > Math.Max(ax, bx) + tol
                    || Math.Max(cy, dy) < Math.Min(ay, by) - tol || Math.Min(cy, dy) > Math.Max(ay, by) + tol) continue;
                var len2 = Math.Sqrt((dx - cx) * (dx - cx) + (dy - cy) * (dy - cy));
                if (len2 < 1e-9) continue;
                var cross = Math.Abs(ux * (dy - cy) - uy * (dx - cx)) / len2;
                if (cross > 0.26) continue; // more than about 15° apart
                var tc = (cx - ax) * ux + (cy - ay) * uy;
                var td = (dx - ax) * ux + (dy - ay) * uy;
                var lo = Math.Max(0, Math.Min(tc, td));
                var hi = Math.Min(len, Math.Max(tc, td));
                if (hi - lo <= 1e-9) continue;
                if (PointSegmentDistance(ax + ux * lo, ay + uy * lo, cx, cy, dx, dy) > tol) continue;
                if (PointSegmentDistance(ax + ux * hi, ay + uy * hi, cx, cy, dx, dy) > tol) continue;
                total += hi - lo;
            }
        }
        return total;
    }

    internal static double PointSegmentDistance(double px, double py, double ax, double ay, double bx, double by)
    {
        double vx = bx - ax, vy = by - ay;
        var l2 = vx * vx + vy * vy;
        var t = l2 == 0 ? 0 : Math.Clamp(((px - ax) * vx + (py - ay) * vy) / l2, 0, 1);
        double qx = ax + t * vx - px, qy = ay + t * vy - py;
        return Math.Sqrt(qx * qx + qy * qy);
    }

    private static double SegmentsDistance(double[] a, double[] b)
    {
        var best = double.MaxValue;
        for (var s = 0; s < a.Length; s += 4)
        for (var t = 0; t < b.Length; t += 4)
        {
            var d = Math.Min(
                Math.Min(PointSegmentDistance(a[s], a[s + 1], b[t], b[t + 1], b[t + 2], b[t + 3]),
                         PointSegmentDistance(a[s + 2], a[s + 3], b[t], b[t + 1], b[t + 2], b[t + 3])),
                Math.Min(PointSegmentDistance(b[t], b[t + 1], a[s], a[s + 1], a[s + 2], a[s + 3]),
                         PointSegmentDistance(b[t + 2], b[t + 3], a[s], a[s + 1], a[s + 2], a[s + 3])));
            if (d < best) best = d;
        }
        return best;
    }

    private static int[] Components(int n, List<(int J, double Shared)>[] lists, out int count)
    {
        var component = Enumerable.Repeat(-1, n).ToArray();
        count = 0;
        var stack = new Stack<int>();
        for (var s = 0; s < n; s++)
        {
            if (component[s] >= 0) continue;
            component[s] = count;
            stack.Push(s);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                foreach (var (j, _) in lists[i])
                    if (component[j] < 0) { component[j] = count; stack.Push(j); }
            }
            count++;
        }
        return component;
    }

    /// <summary>
    /// Borůvka rounds: every group of components except the main one finds its nearest block outside itself and is joined
    /// to it, until one group is left. Distances are between block boundaries (UTM metres); ties go to the lower indices.
    /// </summary>
    private static List<Bridge> BridgeIslands(int n, int[] component, int count, int main, double[] x, double[] y,
        double[][] segments, Envelope[] envelopes, STRtree<int> tree)
    {
        var parent = Enumerable.Range(0, count).ToArray();
        int Find(int c) { while (parent[c] != c) c = parent[c] = parent[parent[c]]; return c; }
        var members = new List<int>[count];
        for (var c = 0; c < count; c++) members[c] = [];
        for (var i = 0; i < n; i++) members[component[i]].Add(i);
        var bridges = new List<Bridge>();
        var diagonal = Math.Sqrt(Math.Pow(x.Max() - x.Min(), 2) + Math.Pow(y.Max() - y.Min(), 2)) + 1;
        while (true)
        {
            var groups = Enumerable.Range(0, count).Select(Find).Distinct().Where(g => g != Find(main)).OrderBy(g => g).ToList();
            if (groups.Count == 0) break;
            var found = new List<Bridge>();
            foreach (var g in groups)
            {
                var blocks = Enumerable.Range(0, count).Where(c => Find(c) == g).SelectMany(c => members[c]).OrderBy(i => i).ToList();
                Bridge? best = null;
                foreach (var i in blocks)
                {
                    for (var radius = 25.0; ; radius *= 2)
                    {
                        var box = new Envelope(envelopes[i]);
                        box.ExpandBy(radius);
                        Bridge? local = null;
                        foreach (var j in tree.Query(box).OrderBy(j => j))
                        {
                            if (Find(component[j]) == g) continue;
                            var d = SegmentsDistance(segments[i], segments[j]);
                            if (d <= radius && (local is null || d < local.Value.DistanceM)) local = new Bridge(i, j, d);
                        }
                        if (local is { } l)
                        {
                            if (best is null || l.DistanceM < best.Value.DistanceM) best = l;
                            break;
                        }
                        if (radius > diagonal * 2) break;
                    }
                }
                if (best is { } b) found.Add(b);
            }
            if (found.Count == 0) break;
            foreach (var b in found)
            {
                int ga = Find(component[b.From]), gb = Find(component[b.To]);
                if (ga == gb) continue;
                parent[Math.Max(ga, gb)] = Math.Min(ga, gb);
                bridges.Add(b);
            }
        }
        return bridges;
    }

    /// <summary>
    /// A block that holds others hostage: the parts the graph falls into without it that are too light to carry a
    /// sector of their own (under <paramref name="least"/>) can reach the rest only through it, so the sector holding
    /// it holds them all (an island behind its bridge, a development that only a park touches).
    /// </summary>
    /// <param name="Hub">The block.</param>
    /// <param name="Hanging">The blocks of the light parts.</param>
    /// <param name="Weight">The hub's workload plus the light parts': the least its sector carries when they stay with it.</param>
    public sealed record Hostage(int Hub, IReadOnlyList<int> Hanging, double Weight);

    /// <summary>
    /// The least largest deviation any contiguous plan of sectors of target <paramref name="target"/> can reach because
    /// of blocks whose removal cuts the graph (articulation points, Tarjan's depth-first search over every edge,
    /// bridges included): for a hub v, the light parts of the graph without it must go with v, so v's sector carries
    /// at least w(v) + Σ W(light parts). A part is light at deviation δ when it weighs under (1 − δ) × target; the bound
    /// for v is the least δ with w(v) + Σ_{W(C) &lt; (1 − δ)T} W(C) ≤ (1 + δ)T. Returns the worst hub (null when none
    /// bounds the plan above 0) and its bound (a fraction).
    /// </summary>
    /// <param name="tolerance">Names as hanging the parts too light for a sector within this tolerance.</param>
    public (Hostage? Worst, double Bound) HostageBound(double target, double tolerance = 0.05)
    {
        var n = Count;
        var disc = Enumerable.Repeat(-1, n).ToArray();
        var low = new int[n];
        var sub = new double[n];   // workload of the depth-first subtree
        var size = new int[n];     // blocks of the subtree
        var order = new int[n];    // blocks by discovery: a subtree is order[disc .. disc + size)
        var edge = new int[n];
        var parent = Enumerable.Repeat(-1, n).ToArray();
        var time = 0;
        Hostage? worst = null;
        var worstBound = 0.0;
        var stack = new Stack<int>();
        for (var root = 0; root < n; root++)
        {
            if (disc[root] >= 0) continue;
            var rootStart = time;
            Visit(root);
            stack.Push(root);
            while (stack.Count > 0)
            {
                var v = stack.Peek();
                if (edge[v] < Start[v + 1])
                {
                    var j = Neighbours[edge[v]++];
                    if (disc[j] < 0) { parent[j] = v; Visit(j); stack.Push(j); }
                    else if (j != parent[v]) low[v] = Math.Min(low[v], disc[j]);
                    continue;
                }
                stack.Pop();
                if (parent[v] >= 0)
                {
                    var p = parent[v];
                    low[p] = Math.Min(low[p], low[v]);
                    sub[p] += sub[v];
                    size[p] += size[v];
                }
            }
            var total = sub[root];
            // Every block of this component: its separated children, and the rest of the component.
            for (var i = rootStart; i < time; i++)
            {
                var v = order[i];
                var parts = new List<(double W, int From, int Count)>();
                var separated = 0.0;
                var separatedCount = 0;
                for (var e = Start[v]; e < Start[v + 1]; e++)
                {
                    var c = Neighbours[e];
                    if (parent[c] != v || low[c] < disc[v]) continue;
                    parts.Add((sub[c], disc[c], size[c]));
                    separated += sub[c];
                    separatedCount += size[c];
                }
                if (parent[v] >= 0 && parts.Count > 0) parts.Add((total - Weight[v] - separated, -1, 0));
                if (parts.Count < 2) continue;
                var bound = BoundOf(Weight[v], parts.Select(x => x.W).ToList(), target);
                if (bound <= worstBound + 1e-12) continue;
                worstBound = bound;
                var least = (1 - tolerance) * target;
                var hanging = new List<int>();
                var weight = Weight[v];
                foreach (var (w, from, count) in parts)
                {
                    if (!(w < least)) continue;
                    weight += w;
                    if (from >= 0) for (var q = from; q < from + count; q++) hanging.Add(order[q]);
                    else
                        // The rest of the component, outside v's subtree.
                        for (var q = rootStart; q < time; q++)
                            if (q < disc[v] || q >= disc[v] + size[v]) hanging.Add(order[q]);
                }
                hanging.Sort();
                worst = new Hostage(v, hanging, weight);
            }
        }
        return (worst, worstBound);

        void Visit(int v)
        {
            disc[v] = low[v] = time;
            order[time++] = v;
            edge[v] = Start[v];
            sub[v] = Weight[v];
            size[v] = 1;
        }
    }

    /// <summary>The least δ ≥ 0 with hub + Σ_{W &lt; (1 − δ)T} W ≤ (1 + δ)T; the parts by weight, the lightest first.</summary>
    internal static double BoundOf(double hub, List<double> parts, double target)
    {
        parts.Sort();
        // With the j lightest parts forced (those under (1 − δ)T, i.e. δ ≥ 1 − W_j / T for the first left out).
        var best = double.MaxValue;
        var sum = hub;
        for (var j = 0; j <= parts.Count; j++)
        {
            var from = j < parts.Count ? Math.Max(0, 1 - parts[j] / target) : 0;
            best = Math.Min(best, Math.Max(Math.Max(sum / target - 1, from), 0));
            if (j < parts.Count) sum += parts[j];
        }
        return best;
    }

    /// <summary>Connected parts of the given blocks over real shared edges (bridges not counted).</summary>
    public int CountParts(IReadOnlyList<int> blocks, Func<int, bool> member)
    {
        var seen = new HashSet<int>();
        var parts = 0;
        var stack = new Stack<int>();
        foreach (var b in blocks)
        {
            if (!seen.Add(b)) continue;
            parts++;
            stack.Push(b);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                for (var e = Start[i]; e < Start[i + 1]; e++)
                {
                    var j = Neighbours[e];
                    if (Shared[e] > 0 && member(j) && seen.Add(j)) stack.Push(j);
                }
            }
        }
        return parts;
    }

    /// <summary>True when the given blocks are connected through the graph's edges (bridges included).</summary>
    public bool IsConnected(IReadOnlyList<int> blocks, Func<int, bool> member)
    {
        if (blocks.Count <= 1) return true;
        var seen = new HashSet<int> { blocks[0] };
        var stack = new Stack<int>();
        stack.Push(blocks[0]);
        while (stack.Count > 0)
        {
            var i = stack.Pop();
            for (var e = Start[i]; e < Start[i + 1]; e++)
            {
                var j = Neighbours[e];
                if (member(j) && seen.Add(j)) stack.Push(j);
            }
        }
        return seen.Count == blocks.Count;
    }
}
