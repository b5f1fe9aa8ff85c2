using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Algorithm.Locate;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Network;

/// <summary>
/// The result of <see cref="Coverage.Compute"/>: figures, the units placed and refused, what was left out, per-node
/// arrival times, and the covered and uncovered street pieces and area as geometry (built on request).
/// </summary>
public sealed class CoverageResult : IDisposable
{
    private static readonly GeometryFactory LonLat = new(new PrecisionModel(), Crs.Wgs84);
    private readonly EdgeParts _covered;
    private readonly EdgeParts _backup;
    private readonly CoverageOptions _options;
    private Coverage.Workspace? _work;

    internal CoverageResult(StreetGraph graph, double minutes, List<SnappedUnit> snapped, List<RefusedUnit> refused,
        double[] time1, double[] time2, int[] unit1, int[] unit2,
        EdgeParts covered, EdgeParts backup, CoverageOptions options, Coverage.Workspace? work = null)
    {
        _work = work;
        Graph = graph;
        Minutes = minutes;
        UnitsSnapped = snapped;
        UnitsRefused = refused;
        var limit = minutes * 60;
        // The search offers nothing beyond the limit: the arrays are final as they are.
        NodeSeconds = time1;
        NodeSecondSeconds = time2;
        NodeUnit = unit1;
        NodeSecondUnit = unit2;
        _covered = covered;
        _backup = backup;
        _options = options;
    }

    public StreetGraph Graph { get; }

    public TravelMode Mode => Graph.Mode;

    public double Minutes { get; }

    /// <summary>Units placed on the graph, with where and how far they were moved.</summary>
    public IReadOnlyList<SnappedUnit> UnitsSnapped { get; }

    /// <summary>Units farther from every street than the tolerance: not used.</summary>
    public IReadOnlyList<RefusedUnit> UnitsRefused { get; }

    /// <summary>Per node: the earliest arrival in seconds (+∞: not reached within the time).</summary>
    public IReadOnlyList<double> NodeSeconds { get; }

    /// <summary>Per node: the earliest arrival of a second, different unit (+∞: none within the time).</summary>
    public IReadOnlyList<double> NodeSecondSeconds { get; }

    /// <summary>Per node: index in <see cref="UnitsSnapped"/> of the first unit to arrive, -1 when none.</summary>
    public IReadOnlyList<int> NodeUnit { get; }

    /// <summary>Per node: index in <see cref="UnitsSnapped"/> of the second unit, -1 when none.</summary>
    public IReadOnlyList<int> NodeSecondUnit { get; }

    /// <summary>Figures for the whole graph.</summary>
    public CoverageFigures Figures { get; private set; } = null!;

    /// <summary>Figures per sector of <see cref="CoverageOptions.Sectors"/>, in order.</summary>
    public IReadOnlyList<SectorCoverage> Sectors { get; private set; } = [];

    /// <summary>Components of the graph without any unit: their streets can never be reached.</summary>
    public int ComponentsWithoutUnit { get; private set; }

    /// <summary>Street km in components without any unit (counted as not covered, never hidden).</summary>
    public double KmWithoutUnit { get; private set; }

    /// <summary>Blocks whose centroid has no street within <see cref="CoverageOptions.BlockSnapToleranceM"/>.</summary>
    public int BlocksOffNetwork { get; private set; }

    /// <summary>Incidents with no street within <see cref="CoverageOptions.SnapToleranceM"/>.</summary>
    public int IncidentsOffNetwork { get; private set; }

    /// <summary>Milliseconds of <see cref="Coverage.Compute"/> (snapping, search, figures; not the geometry).</summary>
    public double ElapsedMs { get; private set; }

    /// <summary>Plain sentences about what was left out or moved.</summary>
    public IReadOnlyList<Note> Notes { get; private set; } = [];

    /// <summary>The covered fractions [from, to] of an edge, in order (empty: not reached).</summary>
    public IReadOnlyList<(double From, double To)> CoveredParts(int edge) => _covered.Of(edge);

    /// <summary>The fractions of an edge reached by two different units.</summary>
    public IReadOnlyList<(double From, double To)> BackupParts(int edge) => _backup.Of(edge);

    /// <summary>True when the point at a fraction of an edge is reached.</summary>
    public bool IsCovered(EdgeLocation at) => Inside(_covered.Of(at.Edge), at.Fraction);

    /// <summary>Covered street pieces, lon/lat (partial edges cut at the exact threshold point).</summary>
    public MultiLineString CoveredPieces() => Pieces(CoveragePiece.Covered);

    /// <summary>Street pieces reached by two or more different units, lon/lat.</summary>
    public MultiLineString BackupPieces() => Pieces(CoveragePiece.Backup);

    /// <summary>Street pieces not reached within the time (the gaps), lon/lat.</summary>
    public MultiLineString UncoveredPieces() => Pieces(CoveragePiece.Uncovered);

    /// <summary>
    /// Hands each piece of a kind to <paramref name="read"/> as lon/lat x, y pairs, in the order and with the very
    /// coordinates of <see cref="CoveredPieces"/> (and the others), without making geometries: for writers that only
    /// encode them. Whole edges are the graph's own arrays, so the span is read during the call, never kept.
    /// Returns the number of pieces.
    /// </summary>
    public int ReadPieces(CoveragePiece kind, CoveragePieceReader read)
    {
        if (kind is not (CoveragePiece.Covered or CoveragePiece.Backup or CoveragePiece.Uncovered)) throw new ArgumentOutOfRangeException(nameof(kind));
        // One list for the parts of every edge in turn: no allocation per edge (a metro area has 50,000).
        var edgeParts = new List<(double From, double To)>();
        List<(double From, double To)> parts(int edge)
        {
            edgeParts.Clear();
            if (kind == CoveragePiece.Uncovered) Complement(_covered.Of(edge), edgeParts);
            else
                foreach (var part in kind == CoveragePiece.Covered ? _covered.Of(edge) : _backup.Of(edge)) edgeParts.Add(part);
            return edgeParts;
        }
        var lonlat = Graph.EdgeLonLatXY;
        // First the partial edges, cut in UTM and moved together in one call into PROJ; then every piece in edge order.
        var cut = new List<LineString>();
        var points = 0;
        foreach (var e in Graph.Edges)
            foreach (var (a, b) in parts(e.Id))
                if (b > a && !(a <= 0 && b >= 1))
                {
                    var piece = Graph.Piece(e.Id, a, b);
                    cut.Add(piece);
                    points += piece.NumPoints;
                }
        var xy = new double[2 * points];
        if (points > 0)
        {
            var xs = new double[points];
            var ys = new double[points];
            var at = 0;
            foreach (var piece in cut)
            {
                var seq = piece.CoordinateSequence;
                for (var i = 0; i < seq.Count; i++, at++) { xs[at] = seq.GetX(i); ys[at] = seq.GetY(i); }
            }
            Crs.Transform(xs, ys, Graph.UtmEpsg, Crs.Wgs84);
            for (var i = 0; i < points; i++) { xy[2 * i] = xs[i]; xy[2 * i + 1] = ys[i]; }
        }
        int count = 0, next = 0, start = 0;
        foreach (var e in Graph.Edges)
            foreach (var (a, b) in parts(e.Id))
            {
                if (!(b > a)) continue;
                count++;
                if (a <= 0 && b >= 1) read(lonlat[e.Id]);
                else
                {
                    var length = 2 * cut[next++].NumPoints;
                    read(xy.AsSpan(start, length));
                    start += length;
                }
            }
        return count;
    }

    /// <summary>
    /// The covered area: covered pieces buffered by <see cref="CoverageOptions.AreaBufferM"/> ground metres (flat
    /// ends, so it stops where coverage stops), in lon/lat. Empty when nothing is covered. Buffered in tiles and
    /// unioned once (<see cref="LineBuffer.Flat"/>): the area of one buffer of all pieces, without its cost at city scale.
    /// </summary>
    public Geometry CoveredArea()
    {
        var pieces = PiecesUtm(e => CoveredParts(e));
        if (pieces.IsEmpty) return LonLat.CreatePolygon();
        // Not merged end to end first (LineMerger): measured 10-30x slower, long merged lines defeat the buffer noder's chains.
        var lines = new LineString[pieces.NumGeometries];
        for (var i = 0; i < lines.Length; i++) lines[i] = (LineString)pieces.GetGeometryN(i);
        var area = LineBuffer.Flat(lines, _options.AreaBufferM * Graph.ScaleFactor, pieces.Factory);
        if (area.IsEmpty) return LonLat.CreatePolygon();
        var result = Crs.Transform(area, Graph.UtmEpsg, Crs.Wgs84);
        result.SRID = Crs.Wgs84;
        return result;
    }

    /// <summary>
    /// Gives the search's arrays back to the graph for its next search. Optional (an undisposed result is collected as
    /// any object); after it the node times, parts and pieces of this result must not be read.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _work, null) is { } work) Graph.ReturnWorkspace(work);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal void Finish(Stopwatch clock)
    {
        var g = Graph;
        var notes = new List<Note>(g.Report.Notes);
        var withUnit = new HashSet<int>(UnitsSnapped.Select(u => g.Edges[u.At.Edge].Component));
        ComponentsWithoutUnit = g.Components.Count - withUnit.Count;
        KmWithoutUnit = g.Components.Km.Where((_, i) => !withUnit.Contains(i)).Sum();
        if (ComponentsWithoutUnit > 0)
            notes.Add(Note.Of("coverage.no_unit", ("count", ComponentsWithoutUnit), ("of", g.Components.Count), ("km", KmWithoutUnit)));
        foreach (var r in UnitsRefused) notes.Add(Coverage.RefusedNote(r, _options.SnapToleranceM));

        // Blocks and incidents: the nearest street point.
        var blocks = _options.BlocksLonLat ?? [];
        var blockAt = new EdgeLocation?[blocks.Count];
        var blockCentroid = new Point[blocks.Count];
        for (var i = 0; i < blocks.Count; i++)
            (blockCentroid[i], blockAt[i]) = g.PlaceOfBlock(blocks[i], _options.BlockSnapToleranceM);
        BlocksOffNetwork = blockAt.Count(b => b is null);
        if (BlocksOffNetwork > 0) notes.Add(Note.Of("coverage.blocks_off_network", ("count", BlocksOffNetwork), ("distance", _options.BlockSnapToleranceM)));
        var incidents = _options.IncidentsLonLat ?? [];
        var incidentAt = new EdgeLocation?[incidents.Count];
        for (var i = 0; i < incidents.Count; i++)
        {
            if (!(incidents[i].Weight >= 0) || double.IsInfinity(incidents[i].Weight))
                throw new RefusalException(Note.Of("coverage.refused_incident_weight", ("index", i + 1), ("weight", incidents[i].Weight.ToString(CultureInfo.InvariantCulture))), "options");
            incidentAt[i] = g.Snap(incidents[i].LonLat, _options.SnapToleranceM);
        }
        IncidentsOffNetwork = incidentAt.Count(b => b is null);
        if (IncidentsOffNetwork > 0) notes.Add(Note.Of("coverage.incidents_off_network", ("count", IncidentsOffNetwork), ("distance", _options.SnapToleranceM)));

        Figures = FiguresOf(null, _ => true, _ => true, blockAt, incidentAt);

        if (_options.Sectors is { Count: > 0 } sectors)
        {
            var midCoords = g.EdgeMidLonLat;
            var list = new List<SectorCoverage>(sectors.Count);
            foreach (var s in sectors)
            {
                var locator = new IndexedPointInAreaLocator(s.LonLat);
                bool In(Coordinate c) => locator.Locate(c) != Location.Exterior;
                list.Add(new SectorCoverage(s.Name, FiguresOf(e => In(midCoords[e]), b => In(blockCentroid[b].Coordinate),
                    i => In(incidents[i].LonLat.Coordinate), blockAt, incidentAt)));
            }
            Sectors = list;
        }
        Notes = notes;
        ElapsedMs = clock.Elapsed.TotalMilliseconds;
    }

    private CoverageFigures FiguresOf(Func<int, bool>? edgeIn, Func<int, bool> blockIn, Func<int, bool> incidentIn,
        EdgeLocation?[] blockAt, EdgeLocation?[] incidentAt)
    {
        double total = 0, covered = 0, backup = 0;
        var lengths = Graph.EdgeLength;
        for (var e = 0; e < lengths.Length; e++)
        {
            if (edgeIn is not null && !edgeIn(e)) continue;
            total += lengths[e];
            covered += _covered.Share(e) * lengths[e];
            backup += _backup.Share(e) * lengths[e];
        }
        int blocks = 0, coveredBlocks = 0;
        for (var i = 0; i < blockAt.Length; i++)
        {
            if (!blockIn(i)) continue;
            blocks++;
            if (blockAt[i] is { } at && IsCovered(at)) coveredBlocks++;
        }
        int incidents = 0;
        double weight = 0, coveredWeight = 0;
        var list = _options.IncidentsLonLat ?? [];
        for (var i = 0; i < incidentAt.Length; i++)
        {
            if (!incidentIn(i)) continue;
            incidents++;
            weight += list[i].Weight;
            if (incidentAt[i] is { } at && IsCovered(at)) coveredWeight += list[i].Weight;
        }
        return new CoverageFigures(total / 1000, covered / 1000, Pct(covered, total), backup / 1000, Pct(backup, total),
            blocks, coveredBlocks, Pct(coveredBlocks, blocks), incidents, weight, coveredWeight, Pct(coveredWeight, weight));
    }

    private static double Pct(double part, double whole) => whole > 0 ? 100 * part / whole : 0;

    private static double Length(List<(double From, double To)>? parts)
    {
        if (parts is null) return 0;
        var sum = 0.0;
        foreach (var (a, b) in parts) sum += b - a;
        return sum;
    }

    private static bool Inside(ArraySegment<(double From, double To)> parts, double f)
    {
        foreach (var (a, b) in parts)
            if (f >= a - 1e-12 && f <= b + 1e-12) return true;
        return false;
    }

    /// <summary>The fractions of an edge outside <paramref name="parts"/> (in order), added to <paramref name="into"/>.</summary>
    private static void Complement(ArraySegment<(double From, double To)> parts, List<(double From, double To)> into)
    {
        var at = 0.0;
        foreach (var (a, b) in parts)
        {
            if (a > at) into.Add((at, a));
            at = Math.Max(at, b);
        }
        if (at < 1) into.Add((at, 1));
    }


    private MultiLineString PiecesUtm(Func<int, IReadOnlyList<(double From, double To)>> parts)
    {
        var lines = new List<LineString>();
        foreach (var e in Graph.Edges)
            foreach (var (a, b) in parts(e.Id))
                if (b > a) lines.Add(Graph.Piece(e.Id, a, b));
        return new GeometryFactory(new PrecisionModel(), Graph.UtmEpsg).CreateMultiLineString(lines.ToArray());
    }

    /// <summary>
    /// The pieces in lon/lat, 2D: whole edges from the graph's lon/lat vertices (<see cref="StreetGraph.EdgeLonLatXY"/>,
    /// moved once per graph), partial ones cut in UTM and moved together in one call into PROJ. The same coordinates as
    /// moving the UTM pieces, without moving the whole network on every request.
    /// </summary>
    private MultiLineString Pieces(CoveragePiece kind)
    {
        var lines = new List<LineString>();
        ReadPieces(kind, xy => lines.Add(LonLat.CreateLineString(
            new NetTopologySuite.Geometries.Implementation.PackedDoubleCoordinateSequence(xy.ToArray(), 2, 0))));
        return LonLat.CreateMultiLineString(lines.ToArray());
    }
}

/// <summary>The kinds of street pieces of a coverage: reached, reached by two different units, not reached.</summary>
public enum CoveragePiece
{
    Covered,
    Backup,
    Uncovered,
}

/// <summary>Reads one street piece as lon/lat x, y pairs (x0, y0, x1, y1, ...); the span is valid during the call only.</summary>
public delegate void CoveragePieceReader(ReadOnlySpan<double> xy);
