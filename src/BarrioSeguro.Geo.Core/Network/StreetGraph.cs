using System.Globalization;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Noding;
using NetTopologySuite.Noding.Snapround;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Network;

/// <summary>One edge of a <see cref="StreetGraph"/>: a piece of street between two nodes.</summary>
/// <param name="Id">Index in <see cref="StreetGraph.Edges"/> (pgRouting id is Id + 1).</param>
/// <param name="From">Node at the first vertex of <paramref name="Geometry"/>.</param>
/// <param name="To">Node at the last vertex.</param>
/// <param name="Geometry">The piece in UTM (SRID = <see cref="StreetGraph.UtmEpsg"/>), drawn From → To.</param>
/// <param name="LengthMeters">Ground length: UTM length divided by the scale factor at the data's centre.</param>
/// <param name="ForwardSeconds">Travel time From → To.</param>
/// <param name="BackwardSeconds">Travel time To → From; +∞ on a one-way street for vehicles.</param>
/// <param name="Street">Index of the input street it comes from (the first one when duplicates merged).</param>
public sealed record GraphEdge(int Id, int From, int To, LineString Geometry, double LengthMeters, double ForwardSeconds,
    double BackwardSeconds, string Class, int Layer, bool Oneway, string? Name, int Street)
{
    /// <summary>Connected component (ignoring direction); 0 is the longest.</summary>
    public int Component { get; internal set; }
}

/// <summary>A place on an edge: <see cref="Fraction"/> of its length from its From node.</summary>
/// <param name="DistanceMeters">Ground distance from the snapped point to the edge.</param>
public readonly record struct EdgeLocation(int Edge, double Fraction, double OffsetMeters, double DistanceMeters);

/// <summary>Connected components of a graph (direction ignored).</summary>
/// <param name="Count">Number of components.</param>
/// <param name="LargestKm">Street km of the longest component.</param>
/// <param name="LeftOutKm">Street km outside the longest component.</param>
/// <param name="Km">Street km per component, longest first (component id = index).</param>
public sealed record ComponentSummary(int Count, double LargestKm, double LeftOutKm, IReadOnlyList<double> Km);

/// <summary>What <see cref="StreetGraph.Build"/> did with its input.</summary>
/// <param name="ExcludedForMode">Streets of a class the mode may not use (e.g. footways by car, motorways on foot).</param>
public sealed record GraphBuildReport(int InputStreets, int ExcludedForMode, double ExcludedForModeKm, int OnewayStreets,
    int DuplicatePiecesMerged, int DegenerateParts, IReadOnlyList<Note> Notes);

/// <summary>
/// A routable street graph for one <see cref="TravelMode"/>.
/// <para>Built the way <see cref="Blocks.BlockBuilder"/> prepares lines, but every class the mode may use is kept and
/// dead ends stay:</para>
/// <list type="number">
/// <item>Lines in lon/lat are checked, streets the mode may not use (<see cref="SpeedTable"/>) are left out, the rest
/// are projected to the UTM zone of the data and rounded to a 1 mm grid.</item>
/// <item>Lines of each layer are noded together by snap-rounding (<see cref="SnapRoundingNoder"/> on the 1 mm grid):
/// crossings and shared vertices of the same layer become nodes. Lines of different layers never meet, except that a
/// bridge or tunnel (layer ≠ 0) meets whatever lies under its two ends: a street passing under a bridge's middle is not
/// connected to it.</item>
/// <item>Piece ends within <see cref="NodeToleranceMeters"/> (1 cm) of each other on the same layer are one node, the
/// first one met standing for the others, as <c>pgr_createTopology</c> does with that tolerance after <c>ST_Node</c>:
/// OSM ways that should meet but end a few millimetres apart (footways, steps, plazas drawn separately) are joined.
/// A piece whose two ends become that one node with nothing between is dropped.</item>
/// <item>Pieces that overlap exactly (duplicate ways) become one edge (two-way if either was, the faster speed).</item>
/// <item>Each piece is an edge with its ground length, a travel time each way (one-way streets: +∞ against the
/// direction for vehicles, never on foot) and a connected-component id (components by length, longest = 0).</item>
/// </list>
/// </summary>
public sealed partial class StreetGraph
{
    private const double Grid = 0.001;

    /// <summary>Piece ends closer than this (UTM metres) are one node: pgr_createTopology's tolerance of 1 cm.</summary>
    public const double NodeToleranceMeters = 0.01;
    private static readonly GeometryFactory Utm = new();

    private readonly Coordinate[] _nodes;
    private STRtree<int>? _index;

    // Outgoing arcs, compressed rows: arcs of node n are OutStart[n] .. OutStart[n + 1] - 1.
    internal readonly int[] OutStart;
    internal readonly int[] OutTarget;
    internal readonly double[] OutCost;
    internal readonly int[] OutEdge;

    // The edges as arrays, for the hot loops.
    internal readonly int[] EdgeFrom;
    internal readonly int[] EdgeTo;
    internal readonly double[] EdgeForward;
    internal readonly double[] EdgeBackward;
    internal readonly double[] EdgeLength;

    private StreetGraph(TravelMode mode, int utmEpsg, double scale, Coordinate[] nodes, List<GraphEdge> edges, GraphBuildReport report)
    {
        Mode = mode;
        UtmEpsg = utmEpsg;
        ScaleFactor = scale;
        _nodes = nodes;
        Edges = edges;
        Report = report;

        var degree = new int[nodes.Length + 1];
        foreach (var e in edges)
        {
            if (!double.IsPositiveInfinity(e.ForwardSeconds)) degree[e.From]++;
            if (!double.IsPositiveInfinity(e.BackwardSeconds)) degree[e.To]++;
        }
        OutStart = new int[nodes.Length + 1];
        for (var n = 0; n < nodes.Length; n++) OutStart[n + 1] = OutStart[n] + degree[n];
        var fill = OutStart[..^1].ToArray();
        OutTarget = new int[OutStart[^1]];
        OutCost = new double[OutStart[^1]];
        OutEdge = new int[OutStart[^1]];
        foreach (var e in edges)
        {
            if (!double.IsPositiveInfinity(e.ForwardSeconds)) { var i = fill[e.From]++; OutTarget[i] = e.To; OutCost[i] = e.ForwardSeconds; OutEdge[i] = e.Id; }
            if (!double.IsPositiveInfinity(e.BackwardSeconds)) { var i = fill[e.To]++; OutTarget[i] = e.From; OutCost[i] = e.BackwardSeconds; OutEdge[i] = e.Id; }
        }
        Components = FindComponents();
        EdgeFrom = edges.Select(e => e.From).ToArray();
        EdgeTo = edges.Select(e => e.To).ToArray();
        EdgeForward = edges.Select(e => e.ForwardSeconds).ToArray();
        EdgeBackward = edges.Select(e => e.BackwardSeconds).ToArray();
        EdgeLength = edges.Select(e => e.LengthMeters).ToArray();
    }

    // Search arrays given back by disposed coverage results, for the next search on this graph.
    private readonly System.Collections.Concurrent.ConcurrentBag<Coverage.Workspace> _workspaces = [];
    private Coordinate[]? _edgeMidLonLat;

    internal Coverage.Workspace RentWorkspace()
    {
        if (_workspaces.TryTake(out var w)) { w.Reset(); return w; }
        return new Coverage.Workspace(_nodes.Length, Edges.Count);
    }

    internal void ReturnWorkspace(Coverage.Workspace w)
    {
        if (_workspaces.Count < 4) _workspaces.Add(w);
    }

    /// <summary>The middle point of each edge along its length, lon/lat (sector figures place an edge by it); made once.</summary>
    internal Coordinate[] EdgeMidLonLat => _edgeMidLonLat ??= Edges.Select(e =>
    {
        var m = new NetTopologySuite.LinearReferencing.LengthIndexedLine(e.Geometry).ExtractPoint(e.Geometry.Length / 2);
        var (x, y) = Crs.Transform(m.X, m.Y, UtmEpsg, Crs.Wgs84);
        return new Coordinate(x, y);
    }).ToArray();

    /// <summary>The mode the travel times are for.</summary>
    public TravelMode Mode { get; }

    /// <summary>EPSG code of the UTM zone the geometry is in.</summary>
    public int UtmEpsg { get; }

    /// <summary>UTM scale factor at the data's centre: ground metres = UTM metres / this.</summary>
    public double ScaleFactor { get; }

    public int NodeCount => _nodes.Length;

    public IReadOnlyList<GraphEdge> Edges { get; }

    public ComponentSummary Components { get; }

    public GraphBuildReport Report { get; }

    /// <summary>Total street km of the graph.</summary>
    public double TotalKm => Edges.Sum(e => e.LengthMeters) / 1000;

    /// <summary>A node's position in UTM.</summary>
    public Coordinate NodeCoordinate(int node) => _nodes[node];

    /// <summary>A node's position in lon/lat.</summary>
    public Point NodeLonLat(int node)
    {
        var (x, y) = Crs.Transform(_nodes[node].X, _nodes[node].Y, UtmEpsg, Crs.Wgs84);
        return new Point(x, y) { SRID = Crs.Wgs84 };
    }

    /// <summary>
    /// Builds the graph of a mode from street lines.
    /// </summary>
    /// <param name="streets">Lines in lon/lat (any supported SRID is transformed).</param>
    /// <param name="mode">The travel mode: decides which classes are used, the speeds and whether one-way counts.</param>
    /// <param name="speeds">Speeds per mode and class; null: <see cref="SpeedTable.Default"/>.</param>
    /// <exception cref="ArgumentException">No streets, a street that is not a line or not in lon/lat, or no street the
    /// mode may use.</exception>
    public static StreetGraph Build(IEnumerable<NetworkStreet> streets, TravelMode mode, SpeedTable? speeds = null)
    {
        ArgumentNullException.ThrowIfNull(streets);
        speeds ??= SpeedTable.Default;
        var list = streets.ToList();
        if (list.Count == 0) throw new RefusalException(Note.Of("network.refused_no_streets"), nameof(streets));

        var kept = new List<(int Street, Geometry Lonlat, double Kmh)>();
        var excluded = new List<Geometry>();
        var oneways = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i] ?? throw new RefusalException(Note.Of("network.refused_street_null", ("index", i)), nameof(streets));
            if (s.Geometry is null) throw new RefusalException(Note.Of("network.refused_no_geometry", ("street", s.Label(i))), nameof(streets));
            if (s.Geometry is not (LineString or MultiLineString))
                throw new RefusalException(Note.Of("network.refused_not_line", ("street", s.Label(i)), ("type", s.Geometry.GeometryType)), nameof(streets));
            var g = ToWgs84(s.Geometry, s.Label(i));
            if (g.IsEmpty) continue;
            if (s.Oneway) oneways++;
            if (speeds.SpeedKmh(mode, s.Class) is { } kmh) kept.Add((i, g, kmh));
            else excluded.Add(g);
        }
        if (kept.Count == 0)
            throw new RefusalException(Note.Of("network.refused_none_usable", ("mode", mode.Name()), ("count", list.Count), ("excluded", excluded.Count)), nameof(streets));

        var envelope = new Envelope();
        foreach (var k in kept) envelope.ExpandToInclude(k.Lonlat.EnvelopeInternal);
        var zone = Crs.UtmZoneFor(envelope.Centre.X, envelope.Centre.Y);
        var scale = Measure.UtmScaleFactor(envelope.Centre.X, envelope.Centre.Y, zone);
        var notes = new List<Note>();
        var excludedKm = excluded.Sum(g => Crs.Transform(g, Crs.Wgs84, zone).Length) / scale / 1000;

        // 1. Project and round; one coordinate array per part, grouped by layer.
        var degenerate = 0;
        var byLayer = new SortedDictionary<int, List<ISegmentString>>();
        var portals = new HashSet<(long, long)>();
        foreach (var (street, g, _) in kept)
        {
            var utm = Crs.Transform(g, Crs.Wgs84, zone);
            var layer = list[street].Layer;
            for (var p = 0; p < utm.NumGeometries; p++)
            {
                var coords = Clean(((LineString)utm.GetGeometryN(p)).Coordinates.Select(c => new Coordinate(Round(c.X), Round(c.Y))));
                if (coords.Length < 2) { degenerate++; continue; }
                if (!byLayer.TryGetValue(layer, out var strings)) byLayer[layer] = strings = [];
                strings.Add(new NodedSegmentString(coords, street));
                if (layer != 0)
                {
                    portals.Add(Key(coords[0]));
                    portals.Add(Key(coords[^1]));
                }
            }
        }
        if (degenerate > 0) notes.Add(Note.Of("network.short_parts_dropped", ("count", degenerate)));

        // 2. Node each layer on its own.
        var pieces = new List<(Coordinate[] Coords, int Street, int Layer)>();
        foreach (var (layer, strings) in byLayer)
        {
            var noder = new SnapRoundingNoder(new PrecisionModel(1 / Grid));
            noder.ComputeNodes(strings);
            foreach (var ss in noder.GetNodedSubstrings())
            {
                var c = Clean(ss.Coordinates);
                if (c.Length >= 2) pieces.Add((c, (int)ss.Context, layer));
            }
        }

        // 3. Split pieces where a bridge or tunnel ends on them (not at one of their vertices already a node).
        if (portals.Count > 0) pieces = SplitAtPortals(pieces, portals);

        // 4. Ends within the node tolerance are one node (the first met stands for the others).
        var snap = SnapEnds(pieces, portals);
        var tiny = 0;
        for (var i = 0; i < pieces.Count; i++)
        {
            var (c, street, layer) = pieces[i];
            var a = snap[EndKey(c[0], layer, portals)];
            var b = snap[EndKey(c[^1], layer, portals)];
            if (a.Equals2D(c[0]) && b.Equals2D(c[^1])) continue;
            var moved = c.Select(v => v.Copy()).ToArray();
            moved[0] = a.Copy();
            moved[^1] = b.Copy();
            moved = Clean(moved);
            if (moved.Length < 2 || (moved.Length == 2 && moved[0].Equals2D(moved[1]))) { tiny++; pieces[i] = ([], street, layer); continue; }
            pieces[i] = (moved, street, layer);
        }
        if (tiny > 0)
        {
            pieces.RemoveAll(p => p.Coords.Length == 0);
            notes.Add(Note.Of("graph.tiny_pieces_dropped", ("count", tiny), ("tolerance", NodeToleranceMeters * 100)));
        }

        // 5. Duplicates, nodes, edges.
        var nodeIds = new Dictionary<(long Layer, long X, long Y), int>();
        var nodes = new List<Coordinate>();
        int NodeOf(Coordinate c, int layer)
        {
            var key = EndKey(c, layer, portals);
            if (!nodeIds.TryGetValue(key, out var id))
            {
                id = nodes.Count;
                nodeIds[key] = id;
                nodes.Add(c.Copy());
            }
            return id;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var edges = new List<GraphEdge>(pieces.Count);
        var duplicates = 0;
        foreach (var (coords, street, layer) in pieces)
        {
            var s = list[street];
            var kmh = speeds.SpeedKmh(mode, s.Class)!.Value;
            var line = Utm.CreateLineString(coords);
            line.SRID = zone;
            var length = line.Length / scale;
            var seconds = length / (kmh / 3.6);
            var oneway = s.Oneway && mode.IsVehicle();
            var forward = seconds;
            var backward = oneway ? double.PositiveInfinity : seconds;
            var (key, reversed) = PieceKey(coords, layer);
            if (seen.TryGetValue(key, out var existing))
            {
                // The same piece twice: one edge, the better of both in each direction.
                var e = edges[existing];
                var (f, b) = reversed ? (backward, forward) : (forward, backward);
                var merged = e with { ForwardSeconds = Math.Min(e.ForwardSeconds, f), BackwardSeconds = Math.Min(e.BackwardSeconds, b),
                    Oneway = e.Oneway && s.Oneway };
                edges[existing] = merged;
                duplicates++;
                continue;
            }
            var from = NodeOf(coords[0], layer);
            var to = NodeOf(coords[^1], layer);
            seen[key] = edges.Count;
            edges.Add(new GraphEdge(edges.Count, from, to, line, length, forward, backward, s.Class, s.Layer, s.Oneway, s.Name, street));
        }
        if (duplicates > 0) notes.Add(Note.Of("network.duplicates_merged", ("count", duplicates)));
        if (excluded.Count > 0)
            notes.Add(Note.Of("network.class_excluded", ("count", excluded.Count), ("km", excludedKm), ("mode", mode.ToString().ToLowerInvariant())));

        var report = new GraphBuildReport(list.Count, excluded.Count, excludedKm, oneways, duplicates, degenerate, notes);
        return new StreetGraph(mode, zone, scale, nodes.ToArray(), edges, report);
    }

    /// <summary>
    /// The nearest place on the graph to a lon/lat point, or null when no edge is within <paramref name="toleranceM"/>
    /// ground metres. Ties go to the lowest edge id.
    /// </summary>
    public EdgeLocation? Snap(Point lonlat, double toleranceM)
    {
        ArgumentNullException.ThrowIfNull(lonlat);
        var (x, y) = Crs.Transform(lonlat.X, lonlat.Y, Crs.Wgs84, UtmEpsg);
        return SnapUtm(new Coordinate(x, y), toleranceM);
    }

    /// <summary>As <see cref="Snap"/>, for a point already in the graph's UTM zone.</summary>
    public EdgeLocation? SnapUtm(Coordinate p, double toleranceM)
    {
        if (_index is null)
        {
            var index = new STRtree<int>();
            foreach (var e in Edges) index.Insert(e.Geometry.EnvelopeInternal, e.Id);
            index.Build();
            _index = index;
        }
        var tolerance = toleranceM * ScaleFactor;
        var search = new Envelope(p);
        search.ExpandBy(tolerance);
        (double D, int Edge, double Along) best = (double.MaxValue, -1, 0);
        foreach (var id in _index.Query(search))
        {
            var c = Edges[id].Geometry.Coordinates;
            var along = 0.0;
            for (var i = 0; i + 1 < c.Length; i++)
            {
                var seg = new LineSegment(c[i], c[i + 1]);
                var d = DistanceComputer.PointToSegment(p, c[i], c[i + 1]);
                if (d < best.D || (d == best.D && id < best.Edge))
                {
                    var t = Math.Clamp(seg.ProjectionFactor(p), 0, 1);
                    best = (d, id, along + t * seg.Length);
                }
                along += seg.Length;
            }
        }
        if (best.Edge < 0 || best.D > tolerance) return null;
        var edge = Edges[best.Edge];
        var total = edge.Geometry.Length;
        // Within a grid step of an end: at the node itself.
        var position = best.Along <= Grid ? 0 : best.Along >= total - Grid ? total : best.Along;
        var fraction = total > 0 ? Math.Clamp(position / total, 0, 1) : 0;
        return new EdgeLocation(best.Edge, fraction, fraction * edge.LengthMeters, best.D / ScaleFactor);
    }

    /// <summary>The part of an edge between two fractions of its length, in UTM.</summary>
    public LineString Piece(int edge, double from, double to)
    {
        var g = Edges[edge].Geometry;
        var indexed = new NetTopologySuite.LinearReferencing.LengthIndexedLine(g);
        var piece = (LineString)indexed.ExtractLine(from * g.Length, to * g.Length);
        piece.SRID = UtmEpsg;
        return piece;
    }

    /// <summary>"on foot", "by bike", "by motorcycle", "by car".</summary>
    public static string Travel(TravelMode mode) => mode switch
    {
        TravelMode.Foot => "on foot",
        TravelMode.Bike => "by bike",
        TravelMode.Moto => "by motorcycle",
        _ => "by car",
    };

    // ---- building ----

    private ComponentSummary FindComponents()
    {
        var parent = Enumerable.Range(0, _nodes.Length).ToArray();
        int Find(int i) { while (parent[i] != i) i = parent[i] = parent[parent[i]]; return i; }
        foreach (var e in Edges)
        {
            var a = Find(e.From);
            var b = Find(e.To);
            if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
        }
        var km = new Dictionary<int, double>();
        foreach (var e in Edges) km[Find(e.From)] = km.GetValueOrDefault(Find(e.From)) + e.LengthMeters / 1000;
        var order = km.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Select(kv => kv.Key).ToList();
        var rank = new Dictionary<int, int>();
        for (var i = 0; i < order.Count; i++) rank[order[i]] = i;
        foreach (var e in Edges) e.Component = rank[Find(e.From)];
        var kms = order.Select(r => km[r]).ToList();
        return new ComponentSummary(kms.Count, kms.Count > 0 ? kms[0] : 0, kms.Skip(1).Sum(), kms);
    }

    private static List<(Coordinate[] Coords, int Street, int Layer)> SplitAtPortals(
        List<(Coordinate[] Coords, int Street, int Layer)> pieces, HashSet<(long, long)> portals)
    {
        var tree = new STRtree<Coordinate>();
        foreach (var (x, y) in portals)
        {
            var c = new Coordinate(x * Grid, y * Grid);
            tree.Insert(new Envelope(c), c);
        }
        tree.Build();
        var result = new List<(Coordinate[], int, int)>(pieces.Count);
        foreach (var piece in pieces)
        {
            var c = piece.Coords;
            var search = new Envelope(c[0], c[^1]);
            foreach (var v in c) search.ExpandToInclude(v);
            search.ExpandBy(2 * Grid);
            var hits = tree.Query(search);
            if (hits.Count == 0) { result.Add(piece); continue; }
            // Cut points: (segment, fraction along it, coordinate) for portals on a segment or an interior vertex.
            var cuts = new List<(int Seg, double T, Coordinate P)>();
            foreach (var p in hits)
            {
                for (var i = 0; i + 1 < c.Length; i++)
                {
                    if (DistanceComputer.PointToSegment(p, c[i], c[i + 1]) > 1.5 * Grid) continue;
                    var t = new LineSegment(c[i], c[i + 1]).ProjectionFactor(p);
                    if ((i == 0 && t <= 0) || (i == c.Length - 2 && t >= 1)) break; // an end: already a node
                    cuts.Add((i, Math.Clamp(t, 0, 1), p));
                    break;
                }
            }
            if (cuts.Count == 0) { result.Add(piece); continue; }
            cuts.Sort((a, b) => a.Seg != b.Seg ? a.Seg.CompareTo(b.Seg) : a.T.CompareTo(b.T));
            var current = new List<Coordinate> { c[0] };
            var k = 0;
            for (var i = 0; i + 1 < c.Length; i++)
            {
                for (; k < cuts.Count && cuts[k].Seg == i; k++)
                {
                    var p = cuts[k].P;
                    if (!current[^1].Equals2D(p)) current.Add(p);
                    if (current.Count >= 2) result.Add((current.ToArray(), piece.Street, piece.Layer));
                    current = [p];
                }
                if (!current[^1].Equals2D(c[i + 1])) current.Add(c[i + 1]);
            }
            if (current.Count >= 2) result.Add((current.ToArray(), piece.Street, piece.Layer));
        }
        return result;
    }

    /// <summary>A piece end's node key: its layer (or the shared key of bridge and tunnel ends) and its grid cell.</summary>
    private static (long Layer, long X, long Y) EndKey(Coordinate c, int layer, HashSet<(long, long)> portals)
    {
        var k = Key(c);
        return (portals.Contains(k) ? long.MinValue : layer, k.Item1, k.Item2);
    }

    /// <summary>
    /// For every piece end, the end that stands for it: the first end met (in piece order) within
    /// <see cref="NodeToleranceMeters"/> on the same layer, else itself. Greedy like pgr_createTopology, not transitive.
    /// </summary>
    private static Dictionary<(long Layer, long X, long Y), Coordinate> SnapEnds(List<(Coordinate[] Coords, int Street, int Layer)> pieces,
        HashSet<(long, long)> portals)
    {
        var cells = new Dictionary<(long Layer, long X, long Y), List<Coordinate>>();
        var result = new Dictionary<(long Layer, long X, long Y), Coordinate>();
        void Visit(Coordinate c, int layer)
        {
            var key = EndKey(c, layer, portals);
            if (result.ContainsKey(key)) return;
            var cx = (long)Math.Floor(c.X / NodeToleranceMeters);
            var cy = (long)Math.Floor(c.Y / NodeToleranceMeters);
            Coordinate? best = null;
            var bestD = double.MaxValue;
            for (var dx = -1; dx <= 1; dx++)
                for (var dy = -1; dy <= 1; dy++)
                {
                    if (!cells.TryGetValue((key.Layer, cx + dx, cy + dy), out var list)) continue;
                    foreach (var r in list)
                    {
                        var d = r.Distance(c);
                        if (d <= NodeToleranceMeters + 1e-9 && d < bestD) { best = r; bestD = d; }
                    }
                }
            if (best is null)
            {
                best = c;
                if (!cells.TryGetValue((key.Layer, cx, cy), out var list)) cells[(key.Layer, cx, cy)] = list = [];
                list.Add(c);
            }
            result[key] = best;
        }
        foreach (var (c, _, layer) in pieces)
        {
            Visit(c[0], layer);
            Visit(c[^1], layer);
        }
        return result;
    }

    private static (string Key, bool Reversed) PieceKey(Coordinate[] c, int layer)
    {
        var reverse = Compare(c[^1], c[0]) < 0 || (c[^1].Equals2D(c[0]) && c.Length > 2 && Compare(c[^2], c[1]) < 0);
        var sb = new System.Text.StringBuilder(c.Length * 16).Append(layer).Append('|');
        for (var i = 0; i < c.Length; i++)
        {
            var (x, y) = Key(c[reverse ? c.Length - 1 - i : i]);
            sb.Append(x).Append(',').Append(y).Append(';');
        }
        return (sb.ToString(), reverse);
    }

    private static int Compare(Coordinate a, Coordinate b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y);

    private static (long, long) Key(Coordinate c) => ((long)Math.Round(c.X / Grid), (long)Math.Round(c.Y / Grid));

    private static double Round(double v) => Math.Round(v / Grid) * Grid;

    private static Coordinate[] Clean(IEnumerable<Coordinate> coords)
    {
        var list = new List<Coordinate>();
        foreach (var c in coords)
            if (list.Count == 0 || !list[^1].Equals2D(c)) list.Add(new Coordinate(c.X, c.Y));
        return list.ToArray();
    }

    private static Geometry ToWgs84(Geometry g, string what)
    {
        if (g.SRID > 0 && g.SRID != Crs.Wgs84)
        {
            if (!Crs.IsSupported(g.SRID))
                throw new RefusalException(Note.Of("network.refused_unknown_crs", ("street", what), ("epsg", g.SRID)), "streets");
            g = Crs.Transform(g, g.SRID, Crs.Wgs84);
        }
        foreach (var c in g.Coordinates)
            if (!(c.X is >= -180 and <= 180 && c.Y is >= -90 and <= 90))
                throw new RefusalException(Note.Of("network.refused_not_lonlat", ("street", what), ("x", c.X), ("y", c.Y)), "streets");
        return g;
    }
}
