using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Algorithm;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Index.Strtree;
using NetTopologySuite.Operation.Distance;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Polygonize;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Blocks;

/// <summary>
/// City blocks (manzanas) from a street network.
/// <para>The algorithm:</para>
/// <list type="number">
/// <item>Check the input: every street a LineString or MultiLineString in lon/lat (SRID 0 or 4326; another supported
/// SRID is transformed, an unknown one or coordinates outside ±180/±90 are refused); at least one street.</item>
/// <item>Leave out streets of an excluded class (footways, service roads, ...) and streets on another layer (bridges,
/// tunnels): those never bound a block, so a bridge never splits the blocks beneath it.</item>
/// <item>Project to the UTM zone of the streets and round every coordinate to a 1 mm grid.</item>
/// <item>Drop exact duplicate ways (same vertices, either direction); partial overlaps are dissolved by the noding.</item>
/// <item>Snap: a line end within the snap tolerance of another line (never its own) moves onto it: to that line's vertex
/// when one is within the tolerance, else to the nearest point of the segment, which is also inserted into that
/// line as a vertex, so both lines share the exact coordinate and any noder (ours, GEOS's ST_Node) joins them.</item>
/// <item>Node: unary union with snap-rounding on the grid (<see cref="UnaryUnionNG"/>): crossings without a shared
/// node get one, duplicates dissolve.</item>
/// <item>Polygonize (<see cref="Polygonizer"/>): every face enclosed by streets; dangles and cut edges bound no face
/// and drop out.</item>
/// <item>Clip: faces inside the boundary are kept whole, faces outside dropped; faces crossing it are cut by noding
/// their rings with the boundary ring and keeping the pieces inside both. The boundary never closes a block by itself:
/// the blocks tile the street-enclosed area inside the boundary, with no gap and no overlap.</item>
/// <item>Slivers (area below <see cref="BlockOptions.MinAreaSquareMeters"/> or mean width 2A/P below
/// <see cref="BlockOptions.SliverWidthMeters"/>) merge into the neighbour they share the longest edge with, keeping
/// the tiling; a sliver with no neighbour is dropped (reported in the notes).</item>
/// <item>Measure in UTM divided by the scale factor (as <see cref="Measure"/>); frontage is the ring length on street
/// edges; the id hashes the interior point rounded to 1 m; return lon/lat, ordered by id.</item>
/// </list>
/// </summary>
public static class BlockBuilder
{
    private static readonly GeometryFactory Utm = new();

    /// <summary>
    /// Builds the blocks of a street network, clipped to a boundary (null: no clip). Progress goes from 0 to 1.
    /// Empty result (streets that enclose nothing) is not an error: the report says so in its notes.
    /// </summary>
    /// <exception cref="ArgumentException">A street that is not a line, no streets (or none left after the
    /// exclusions), an unknown CRS or coordinates that are not lon/lat, a boundary that is not a polygon or meets no
    /// street.</exception>
    public static BlockSet Build(IEnumerable<StreetLine> streets, Geometry? boundary, BlockOptions? options = null,
        IProgress<double>? progress = null)
    {
        var clock = Stopwatch.StartNew();
        options ??= new BlockOptions();
        progress?.Report(0);
        // The UTM zone (and so every block id) follows the boundary when there is one, not the streets given: a street
        // file of several regions would otherwise move the zone, and the ids, of the same blocks.
        int? zoneOfBoundary = boundary is { IsEmpty: false } ? Crs.UtmZoneFor(ToWgs84(boundary, null, nameof(boundary))) : null;
        var prepared = PrepareLines(streets, options, zoneOfBoundary);
        var notes = new List<Note>(prepared.Notes);
        var zone = prepared.UtmEpsg;
        progress?.Report(0.25);

        Geometry? clip = null;
        if (boundary is not null)
        {
            clip = PrepareBoundary(boundary, zone, notes);
            var prepClip = PreparedGeometryFactory.Prepare(clip);
            if (!prepared.Lines.Any(prepClip.Intersects))
                throw new RefusalException(Note.Of("blocks.refused_boundary_no_street"), nameof(boundary));
        }
        progress?.Report(0.3);

        // Node and polygonize each cluster of lines on its own, the clusters side by side on the cores: clusters lie in
        // boxes apart, so nothing in one can cross, snap to or enclose anything in another, and the faces are those of
        // all the lines at once.
        var precision = new PrecisionModel(1 / options.GridMeters);
        var clusters = Clusters(prepared.Lines, Math.Max(options.GridMeters * 4, 0.01));
        var parts = new FacesOfCluster[clusters.Count];
        Parallel.ForEach(Enumerable.Range(0, clusters.Count).OrderByDescending(i => clusters[i].Count),
            i => parts[i] = NodeAndPolygonize(clusters[i], precision));
        var noded = Utm.BuildGeometry(parts.SelectMany(p => p.Noded).ToList());
        var faces = parts.SelectMany(p => p.Faces).ToList();
        var dangles = parts.Sum(p => p.Dangles);
        var cutEdges = parts.Sum(p => p.CutEdges);
        if (cutEdges > 0) notes.Add(Note.Of("blocks.cut_edges", ("count", cutEdges)));
        progress?.Report(0.75);

        var pieces = clip is null ? faces.Select(f => new Piece(f, false)).ToList() : Clip(faces, clip, notes);
        progress?.Report(0.85);

        pieces = MergeSlivers(pieces, options, notes);
        progress?.Report(0.9);

        var blocks = Finish(pieces, zone, noded);
        if (blocks.Count == 0) notes.Add(Note.Of(clip is null ? "blocks.none" : "blocks.none_inside"));
        progress?.Report(1);
        var report = new BlockReport(prepared.InputLines, prepared.ExcludedByClass, prepared.ExcludedOtherLayer,
            prepared.SnappedEndpoints, prepared.DuplicateLinesDropped, dangles + cutEdges, blocks.Count,
            clock.Elapsed.TotalMilliseconds, notes);
        return new BlockSet(blocks, report, zone);
    }

    /// <summary>
    /// Steps 1-5 of <see cref="Build"/>: the lines that are noded and polygonized, in UTM (SRID = the zone), with the
    /// counts of what was left out, snapped or dropped.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Build"/>.</exception>
    /// <param name="zone">The UTM zone (EPSG) to work in; null: the zone of the streets' centre.</param>
    public static PreparedStreets PrepareLines(IEnumerable<StreetLine> streets, BlockOptions? options = null, int? zone = null)
    {
        ArgumentNullException.ThrowIfNull(streets);
        options ??= new BlockOptions();
        CheckOptions(options);
        var list = streets.ToList();
        if (list.Count == 0) throw new RefusalException(Note.Of("blocks.refused_no_streets"), nameof(streets));

        int byClass = 0, otherLayer = 0;
        var kept = new List<Geometry>();
        for (var i = 0; i < list.Count; i++)
        {
            var s = list[i] ?? throw new RefusalException(Note.Of("network.refused_street_null", ("index", i)), nameof(streets));
            if (s.Geometry is null) throw new RefusalException(Note.Of("blocks.refused_street_no_geometry", ("street", i)), nameof(streets));
            if (s.Geometry is not (LineString or MultiLineString))
                throw new RefusalException(Note.Of("blocks.refused_street_not_line", ("street", i), ("type", s.Geometry.GeometryType)), nameof(streets));
            var g = ToWgs84(s.Geometry, i, nameof(streets));
            if (options.ExcludedClasses.Contains(s.Class ?? "")) byClass++;
            else if (s.Layer != 0) otherLayer++;
            else if (!g.IsEmpty) kept.Add(g);
        }
        if (kept.Count == 0)
            throw new RefusalException(Note.Of("blocks.refused_none_usable", ("count", list.Count), ("excluded", byClass), ("layer", otherLayer)), nameof(streets));

        var envelope = new Envelope();
        foreach (var g in kept) envelope.ExpandToInclude(g.EnvelopeInternal);
        var utmZone = zone ?? Crs.UtmZoneFor(envelope.Centre.X, envelope.Centre.Y);
        var grid = options.GridMeters;
        var notes = new List<Note>();

        // To UTM on the grid, one coordinate array per LineString part (the streets side by side on the cores, kept in
        // order). One PROJ call per street on plain arrays: no geometry copy, no Coordinate until it is rounded.
        var projected = new Coordinate[kept.Count][][];
        Parallel.For(0, kept.Count, i =>
        {
            var g = kept[i];
            var n = g.NumPoints;
            var xs = new double[n];
            var ys = new double[n];
            var k = 0;
            for (var p = 0; p < g.NumGeometries; p++)
            {
                var seq = ((LineString)g.GetGeometryN(p)).CoordinateSequence;
                for (var j = 0; j < seq.Count; j++, k++)
                {
                    xs[k] = seq.GetX(j);
                    ys[k] = seq.GetY(j);
                }
            }
            Crs.Transform(xs, ys, Crs.Wgs84, utmZone);
            var parts = new Coordinate[g.NumGeometries][];
            k = 0;
            for (var p = 0; p < parts.Length; p++)
            {
                var count = ((LineString)g.GetGeometryN(p)).NumPoints;
                parts[p] = OnGrid(xs, ys, k, count, grid);
                k += count;
            }
            projected[i] = parts;
        });
        var lines = new List<Coordinate[]>();
        var degenerate = 0;
        foreach (var coords in projected.SelectMany(p => p))
        {
            if (coords.Length >= 2) lines.Add(coords);
            else degenerate++;
        }

        // Exact duplicates (either direction): compared on the coordinates themselves, which lie on the grid, so equal
        // doubles are equal grid steps.
        var seen = new HashSet<Coordinate[]>(SameWay.Instance);
        var unique = new List<Coordinate[]>(lines.Count);
        foreach (var c in lines)
            if (seen.Add(c)) unique.Add(c);
        var duplicates = lines.Count - unique.Count;

        var snapped = options.SnapToleranceMeters > 0 ? Snap(unique, options.SnapToleranceMeters, grid) : 0;

        var result = new List<LineString>(unique.Count);
        foreach (var c in unique)
        {
            var cleaned = Clean(c);
            if (cleaned.Length < 2) { degenerate++; continue; }
            var ls = Utm.CreateLineString(cleaned);
            ls.SRID = utmZone;
            result.Add(ls);
        }
        if (degenerate > 0) notes.Add(Note.Of("blocks.short_parts_dropped", ("count", degenerate)));
        return new PreparedStreets(result, utmZone, list.Count, byClass, otherLayer, snapped, duplicates, notes);
    }

    /// <summary>
    /// Sets <see cref="Block.Incidents"/> (points inside or on the edge of a block) and <see cref="Block.Buildings"/>
    /// (polygons by their interior point, points as they are) of each block, all in lon/lat. Something on an edge
    /// between two blocks counts once, in the first of them. Null and empty geometries are skipped.
    /// </summary>
    public static void CountContents(IReadOnlyList<Block> blocks, IEnumerable<Point> incidents, IEnumerable<Geometry> buildings)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var tree = new STRtree<int>();
        for (var i = 0; i < blocks.Count; i++) tree.Insert(blocks[i].Geometry.EnvelopeInternal, i);
        tree.Build();
        var locators = new IndexedPointInAreaLocator?[blocks.Count];

        int? BlockOf(Coordinate c)
        {
            if (blocks.Count == 0) return null;
            foreach (var i in tree.Query(new Envelope(c)).Order())
            {
                var locator = locators[i] ??= new IndexedPointInAreaLocator(blocks[i].Geometry);
                if (locator.Locate(c) != Location.Exterior) return i;
            }
            return null;
        }

        var incidentCounts = new int[blocks.Count];
        foreach (var p in incidents ?? [])
            if (p is { IsEmpty: false } && BlockOf(p.Coordinate) is { } i) incidentCounts[i]++;
        var buildingCounts = new int[blocks.Count];
        foreach (var b in buildings ?? [])
        {
            if (b is null || b.IsEmpty) continue;
            var at = b is Point pt ? pt.Coordinate : b.InteriorPoint.Coordinate;
            if (at is not null && BlockOf(at) is { } i) buildingCounts[i]++;
        }
        for (var i = 0; i < blocks.Count; i++)
        {
            blocks[i].Incidents = incidentCounts[i];
            blocks[i].Buildings = buildingCounts[i];
        }
    }

    // ---- input ----

    private static void CheckOptions(BlockOptions o)
    {
        if (!(o.SnapToleranceMeters >= 0) || double.IsInfinity(o.SnapToleranceMeters))
            throw new RefusalException(Note.Of("blocks.refused_snap_tolerance", ("tolerance", o.SnapToleranceMeters.ToString(CultureInfo.InvariantCulture))), nameof(o.SnapToleranceMeters));
        if (!(o.MinAreaSquareMeters >= 0)) throw new RefusalException(Note.Of("blocks.refused_min_area"), nameof(o.MinAreaSquareMeters));
        if (!(o.SliverWidthMeters >= 0)) throw new RefusalException(Note.Of("blocks.refused_sliver_width"), nameof(o.SliverWidthMeters));
        if (!(o.GridMeters > 0 && o.GridMeters <= 0.1)) throw new RefusalException(Note.Of("blocks.refused_grid", ("grid", o.GridMeters.ToString(CultureInfo.InvariantCulture))), nameof(o.GridMeters));
        ArgumentNullException.ThrowIfNull(o.ExcludedClasses);
    }

    /// <param name="street">The street's index, or null for the boundary.</param>
    private static Geometry ToWgs84(Geometry g, int? street, string parameter)
    {
        if (g.SRID > 0 && g.SRID != Crs.Wgs84)
        {
            if (!Crs.IsSupported(g.SRID))
                throw new RefusalException(street is { } i
                    ? Note.Of("blocks.refused_street_unknown_crs", ("street", i), ("epsg", g.SRID))
                    : Note.Of("blocks.refused_boundary_unknown_crs", ("epsg", g.SRID)), parameter);
            g = Crs.Transform(g, g.SRID, Crs.Wgs84);
        }
        foreach (var c in g.Coordinates)
            if (!(c.X is >= -180 and <= 180 && c.Y is >= -90 and <= 90))
                throw new RefusalException(street is { } i
                    ? Note.Of("blocks.refused_street_not_lonlat", ("street", i), ("x", c.X), ("y", c.Y))
                    : Note.Of("blocks.refused_boundary_not_lonlat", ("x", c.X), ("y", c.Y)), parameter);
        return g;
    }

    private static Geometry PrepareBoundary(Geometry boundary, int zone, List<Note> notes)
    {
        if (boundary is not (Polygon or MultiPolygon))
            throw new RefusalException(Note.Of("blocks.refused_boundary_type", ("type", boundary.GeometryType)), nameof(boundary));
        if (boundary.IsEmpty) throw new RefusalException(Note.Of("blocks.refused_boundary_empty"), nameof(boundary));
        var utm = Crs.Transform(ToWgs84(boundary, null, nameof(boundary)), Crs.Wgs84, zone);
        if (!utm.IsValid)
        {
            utm = GeometryFixer.Fix(utm);
            notes.Add(Note.Of("blocks.boundary_repaired"));
        }
        utm.SRID = zone;
        return utm;
    }

    private static double Round(double v, double grid) => Math.Round(v / grid) * grid;

    private static Coordinate[] Clean(IEnumerable<Coordinate> coords)
    {
        var list = new List<Coordinate>();
        foreach (var c in coords)
            if (list.Count == 0 || !list[^1].Equals2D(c)) list.Add(c);
        return list.ToArray();
    }

    /// <summary>Points <paramref name="start"/>.. of the arrays rounded to the grid, repeated points dropped.</summary>
    private static Coordinate[] OnGrid(double[] xs, double[] ys, int start, int count, double grid)
    {
        var list = new List<Coordinate>(count);
        for (var j = start; j < start + count; j++)
        {
            double x = Round(xs[j], grid), y = Round(ys[j], grid);
            if (list.Count == 0 || list[^1].X != x || list[^1].Y != y) list.Add(new Coordinate(x, y));
        }
        return list.ToArray();
    }

    /// <summary>The same way: the same vertices, read from the end that sorts first (either direction).</summary>
    private sealed class SameWay : IEqualityComparer<Coordinate[]>
    {
        public static readonly SameWay Instance = new();

        private static bool Reversed(Coordinate[] c) =>
            Compare(c[^1], c[0]) < 0 || (c[^1].Equals2D(c[0]) && c.Length > 2 && Compare(c[^2], c[1]) < 0);

        public bool Equals(Coordinate[]? a, Coordinate[]? b)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a is null || b is null || a.Length != b.Length) return false;
            bool ra = Reversed(a), rb = Reversed(b);
            var n = a.Length;
            for (var i = 0; i < n; i++)
            {
                var p = a[ra ? n - 1 - i : i];
                var q = b[rb ? n - 1 - i : i];
                if (p.X != q.X || p.Y != q.Y) return false;
            }
            return true;
        }

        public int GetHashCode(Coordinate[] c)
        {
            var reverse = Reversed(c);
            var hash = new HashCode();
            for (var i = 0; i < c.Length; i++)
            {
                var p = c[reverse ? c.Length - 1 - i : i];
                hash.Add(p.X);
                hash.Add(p.Y);
            }
            return hash.ToHashCode();
        }
    }

    private static int Compare(Coordinate a, Coordinate b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y);

    // ---- noding and polygonizing, cluster by cluster ----

    private sealed record FacesOfCluster(IReadOnlyList<Geometry> Noded, IReadOnlyList<Polygon> Faces, int Dangles, int CutEdges);

    private static FacesOfCluster NodeAndPolygonize(List<LineString> lines, PrecisionModel precision)
    {
        var noded = UnaryUnionNG.Union(Utm.BuildGeometry(lines), precision);
        var polygonizer = new Polygonizer(extractOnlyPolygonal: false);
        polygonizer.Add(noded);
        var faces = polygonizer.GetPolygons().Cast<Polygon>().ToList();
        var parts = Enumerable.Range(0, noded.NumGeometries).Select(noded.GetGeometryN).ToList();
        return new FacesOfCluster(parts, faces, polygonizer.GetDangles().Count, polygonizer.GetCutEdges().Count);
    }

    /// <summary>
    /// The lines split into clusters whose boxes (grown by <paramref name="margin"/>) are apart: cut wherever a gap
    /// runs across the whole set from side to side, west to east, then south to north within each part, and so on
    /// until no gap is left. Lines of two clusters can neither meet (no node, no snap) nor enclose one another.
    /// In the order of the input within a cluster; clusters west to east, then south to north.
    /// </summary>
    private static List<List<LineString>> Clusters(IReadOnlyList<LineString> lines, double margin)
    {
        var result = new List<List<LineString>>();
        var work = new Stack<(List<int> Items, bool AlongX, bool OtherTried)>();
        work.Push((Enumerable.Range(0, lines.Count).ToList(), true, false));
        var pending = new List<(int Order, List<int> Items)>();
        while (work.Count > 0)
        {
            var (items, alongX, otherTried) = work.Pop();
            var groups = Gaps(items, lines, margin, alongX);
            if (groups.Count == 1)
            {
                if (otherTried) pending.Add((0, items));
                else work.Push((items, !alongX, true));
                continue;
            }
            // Pushed in reverse so the westmost (southmost) group is cut first and comes out first.
            for (var g = groups.Count - 1; g >= 0; g--) work.Push((groups[g], !alongX, false));
        }
        foreach (var (_, items) in pending)
        {
            items.Sort();
            result.Add(items.Select(i => lines[i]).ToList());
        }
        return result;
    }

    private static List<List<int>> Gaps(List<int> items, IReadOnlyList<LineString> lines, double margin, bool alongX)
    {
        double Min(int i) => alongX ? lines[i].EnvelopeInternal.MinX : lines[i].EnvelopeInternal.MinY;
        double Max(int i) => alongX ? lines[i].EnvelopeInternal.MaxX : lines[i].EnvelopeInternal.MaxY;
        var sorted = items.OrderBy(Min).ThenBy(i => i).ToList();
        var groups = new List<List<int>>();
        var reach = double.NegativeInfinity;
        foreach (var i in sorted)
        {
            if (groups.Count == 0 || Min(i) > reach + margin) groups.Add([]);
            groups[^1].Add(i);
            reach = Math.Max(reach, Max(i));
        }
        return groups;
    }

    // ---- snapping ----

    private static int Snap(List<Coordinate[]> lines, double tolerance, double grid)
    {
        var tree = new STRtree<(int Line, int Seg)>();
        for (var l = 0; l < lines.Count; l++)
            for (var s = 0; s + 1 < lines[l].Length; s++)
                tree.Insert(new Envelope(lines[l][s], lines[l][s + 1]), (l, s));
        tree.Build();

        var inserts = new Dictionary<int, List<(int Seg, double T, Coordinate P)>>();
        var snapped = 0;
        for (var l = 0; l < lines.Count; l++)
        {
            foreach (var end in new[] { 0, lines[l].Length - 1 })
            {
                var p = lines[l][end];
                var search = new Envelope(p);
                search.ExpandBy(2 * tolerance); // segments' ends may have moved by up to the tolerance since indexing
                var touching = false;
                (double D, Coordinate? C) vertex = (double.MaxValue, null);
                (double D, int Line, int Seg) segment = (double.MaxValue, -1, -1);
                foreach (var (ol, os) in tree.Query(search))
                {
                    if (ol == l) continue;
                    var a = lines[ol][os];
                    var b = lines[ol][os + 1];
                    var d = DistanceComputer.PointToSegment(p, a, b);
                    if (d == 0) { touching = true; break; }
                    if (d > tolerance) continue;
                    foreach (var v in new[] { a, b })
                    {
                        var dv = p.Distance(v);
                        if (dv <= tolerance && dv < vertex.D) vertex = (dv, v);
                    }
                    if (d < segment.D) segment = (d, ol, os);
                }
                if (touching || (vertex.C is null && segment.Line < 0)) continue;

                if (vertex.C is not null)
                {
                    lines[l][end] = vertex.C.Copy();
                }
                else
                {
                    var seg = new LineSegment(lines[segment.Line][segment.Seg], lines[segment.Line][segment.Seg + 1]);
                    var t = seg.ProjectionFactor(p);
                    var q = seg.PointAlong(Math.Clamp(t, 0, 1));
                    q = new Coordinate(Round(q.X, grid), Round(q.Y, grid));
                    lines[l][end] = q;
                    if (!q.Equals2D(seg.P0) && !q.Equals2D(seg.P1))
                    {
                        if (!inserts.TryGetValue(segment.Line, out var list)) inserts[segment.Line] = list = [];
                        list.Add((segment.Seg, t, q));
                    }
                }
                snapped++;
            }
        }

        foreach (var (l, list) in inserts)
        {
            var old = lines[l];
            var bySeg = list.ToLookup(x => x.Seg);
            var result = new List<Coordinate>(old.Length + list.Count);
            for (var s = 0; s < old.Length; s++)
            {
                result.Add(old[s]);
                foreach (var (_, _, q) in bySeg[s].OrderBy(x => x.T))
                    if (!result[^1].Equals2D(q)) result.Add(q);
            }
            lines[l] = result.ToArray();
        }
        return snapped;
    }

    // ---- clipping ----

    private sealed record Piece(Polygon Geometry, bool Clipped);

    private static List<Piece> Clip(List<Polygon> faces, Geometry clip, List<Note> notes)
    {
        var prepared = PreparedGeometryFactory.Prepare(clip);
        var pieces = new List<Piece>(faces.Count);
        var crossing = new List<Polygon>();
        var outside = 0;
        foreach (var f in faces)
        {
            if (prepared.Covers(f)) pieces.Add(new Piece(f, false));
            else if (prepared.Intersects(f)) crossing.Add(f);
            else outside++;
        }
        if (outside > 0) notes.Add(Note.Of("blocks.faces_outside", ("count", outside)));
        if (crossing.Count == 0) return pieces;

        // Node the rings of the crossing faces with the boundary ring: one arrangement, so neighbouring pieces share
        // exactly the same edges. Keep the arrangement's faces that lie inside the boundary and inside a street face.
        var rings = new List<Geometry>();
        foreach (var f in crossing)
        {
            rings.Add(Utm.CreateLineString(f.ExteriorRing.CoordinateSequence));
            foreach (var h in f.InteriorRings) rings.Add(Utm.CreateLineString(h.CoordinateSequence));
        }
        var clipRings = clip.Boundary;
        for (var i = 0; i < clipRings.NumGeometries; i++)
            rings.Add(Utm.CreateLineString(((LineString)clipRings.GetGeometryN(i)).CoordinateSequence));
        var arrangement = OverlayNGRobust.Union(Utm.BuildGeometry(rings));
        var polygonizer = new Polygonizer(extractOnlyPolygonal: false);
        polygonizer.Add(arrangement);

        var clipLocator = new IndexedPointInAreaLocator(clip);
        var faceTree = new STRtree<IndexedPointInAreaLocator>();
        foreach (var f in crossing) faceTree.Insert(f.EnvelopeInternal, new IndexedPointInAreaLocator(f));
        faceTree.Build();
        foreach (var p in polygonizer.GetPolygons().Cast<Polygon>())
        {
            var at = p.InteriorPoint.Coordinate;
            if (clipLocator.Locate(at) != Location.Interior) continue;
            if (faceTree.Query(new Envelope(at)).Any(loc => loc.Locate(at) == Location.Interior))
                pieces.Add(new Piece(p, true));
        }
        notes.Add(Note.Of("blocks.faces_cut", ("count", crossing.Count)));
        return pieces;
    }

    // ---- slivers ----

    private static List<Piece> MergeSlivers(List<Piece> pieces, BlockOptions options, List<Note> notes)
    {
        bool IsSliver(Polygon p) =>
            (options.MinAreaSquareMeters > 0 && p.Area < options.MinAreaSquareMeters)
            || (options.SliverWidthMeters > 0 && 2 * p.Area / p.Length < options.SliverWidthMeters);

        var slivers = Enumerable.Range(0, pieces.Count).Where(i => IsSliver(pieces[i].Geometry))
            .OrderBy(i => pieces[i].Geometry.Area).ToList();
        if (slivers.Count == 0) return pieces;

        var current = pieces.ToArray<Piece?>();
        var owner = Enumerable.Range(0, pieces.Count).ToArray();
        int Find(int i) { while (owner[i] != i) i = owner[i] = owner[owner[i]]; return i; }
        var tree = new STRtree<int>();
        for (var i = 0; i < pieces.Count; i++) tree.Insert(pieces[i].Geometry.EnvelopeInternal, i);
        tree.Build();

        int merged = 0, dropped = 0;
        foreach (var s in slivers)
        {
            if (Find(s) != s || current[s] is not { } sliver) continue;
            var neighbours = tree.Query(sliver.Geometry.EnvelopeInternal).Select(Find).Where(n => n != s).Distinct()
                .Select(n => (N: n, Shared: SharedLength(sliver.Geometry, current[n]!.Geometry)))
                .Where(x => x.Shared > 0).OrderByDescending(x => x.Shared).ThenBy(x => x.N).ToList();
            var done = false;
            foreach (var (n, _) in neighbours)
            {
                if (OverlayNGRobust.Overlay(current[n]!.Geometry, sliver.Geometry, SpatialFunction.Union) is not Polygon union) continue;
                current[n] = new Piece(union, current[n]!.Clipped || sliver.Clipped);
                current[s] = null;
                owner[s] = n;
                merged++;
                done = true;
                break;
            }
            if (!done)
            {
                current[s] = null;
                dropped++;
            }
        }
        if (merged > 0) notes.Add(Note.Of("blocks.slivers_merged", ("count", merged)));
        if (dropped > 0) notes.Add(Note.Of("blocks.slivers_dropped", ("count", dropped)));
        return current.OfType<Piece>().ToList();
    }

    private static double SharedLength(Polygon a, Polygon b)
    {
        if (!a.EnvelopeInternal.Intersects(b.EnvelopeInternal)) return 0;
        return OverlayNGRobust.Overlay(a.Boundary, b.Boundary, SpatialFunction.Intersection).Length;
    }

    // ---- measures and ids ----

    private static List<Block> Finish(List<Piece> pieces, int zone, Geometry streets)
    {
        IndexedFacetDistance? streetIndex = null;
        if (pieces.Any(p => p.Clipped))
        {
            streetIndex = new IndexedFacetDistance(streets);
            streetIndex.IsWithinDistance(Utm.CreatePoint(streets.Coordinate), 0); // builds its tree here, not in two threads at once
        }
        var measured = new (Block Block, string BaseId, Coordinate At)[pieces.Count];
        // Each piece on its own, side by side on the cores: the results go to their own slot, so the order is kept.
        Parallel.For(0, pieces.Count, i =>
        {
            var piece = pieces[i];
            var utm = piece.Geometry;
            var lonLat = Crs.Transform(utm, zone, Crs.Wgs84);
            lonLat.Normalize();
            var centre = lonLat.EnvelopeInternal.Centre;
            var k = Measure.UtmScaleFactor(centre.X, centre.Y, zone);
            var perimeter = utm.Length;
            var frontage = piece.Clipped ? Frontage(utm, streetIndex!) : perimeter;
            var at = utm.InteriorPoint.Coordinate;
            var baseId = IdOf(zone, at);
            measured[i] = (new Block
            {
                Id = baseId,
                Geometry = lonLat,
                AreaSquareMeters = utm.Area / (k * k),
                PerimeterMeters = perimeter / k,
                FrontageMeters = frontage / k,
            }, baseId, at);
        });
        var blocks = measured.ToList();

        // Unique ids: a clash (two tiny blocks whose interior points round to the same metre) gets -2, -3, ... in a
        // deterministic order.
        var result = new List<Block>(blocks.Count);
        foreach (var group in blocks.GroupBy(b => b.BaseId))
        {
            var n = 0;
            foreach (var b in group.OrderBy(b => b.At.X).ThenBy(b => b.At.Y).ThenByDescending(b => b.Block.AreaSquareMeters))
            {
                n++;
                result.Add(n == 1 ? b.Block : new Block
                {
                    Id = $"{b.BaseId}-{n}", Geometry = b.Block.Geometry, AreaSquareMeters = b.Block.AreaSquareMeters,
                    PerimeterMeters = b.Block.PerimeterMeters, FrontageMeters = b.Block.FrontageMeters,
                });
            }
        }
        result.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        return result;
    }

    /// <summary>The ring length of a clipped piece that lies on streets: segments whose middle is within 1 cm of a
    /// noded street edge. The other segments of a piece lie on the clip boundary.</summary>
    private static double Frontage(Polygon polygon, IndexedFacetDistance streets)
    {
        var frontage = 0.0;
        foreach (var ring in new[] { polygon.ExteriorRing }.Concat(polygon.InteriorRings))
        {
            var c = ring.Coordinates;
            for (var i = 0; i + 1 < c.Length; i++)
            {
                var mid = Utm.CreatePoint(new Coordinate((c[i].X + c[i + 1].X) / 2, (c[i].Y + c[i + 1].Y) / 2));
                if (streets.IsWithinDistance(mid, 0.01)) frontage += c[i].Distance(c[i + 1]);
            }
        }
        return frontage;
    }

    private const string Base32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford: no I, L, O, U

    private static string IdOf(int zone, Coordinate at)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{zone}:{Math.Round(at.X):F0}:{Math.Round(at.Y):F0}");
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(text));
        var bits = BitConverter.ToUInt64(hash, 0);
        var sb = new StringBuilder("M", 11);
        for (var i = 0; i < 10; i++)
        {
            sb.Append(Base32[(int)(bits & 31)]);
            bits >>= 5;
        }
        return sb.ToString();
    }
}
