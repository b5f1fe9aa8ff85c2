using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;
using NetTopologySuite.Operation.Valid;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>
/// Checks a neighbourhood boundary the way a planner needs it: every problem with its place as a geometry
/// (in the spirit of NTS's <c>CoverageValidator</c>), never an exception.
/// </summary>
public static class BoundaryValidator
{
    private static readonly Geometry NoPlace = MetricFrame.Factory.CreatePoint();

    /// <summary>
    /// All the problems of a boundary (Polygon or MultiPolygon in EPSG:4326), in this order: input problems (empty, not
    /// polygonal, outside Peru, axis order: when these are found, nothing else is checked), self-intersections (every
    /// crossing point), invalid rings, extra parts, slivers (see <see cref="BoundaryRules.SliverMaxWidthMeters"/>),
    /// small holes, parts outside <paramref name="district"/>, overlaps with each of <paramref name="others"/>.
    /// Metric checks run on the geometry made valid (<see cref="GeometryFixer"/>), in the UTM zone of the boundary;
    /// areas are on the ellipsoid (<see cref="Measure"/>). Null or empty input gives one "empty" problem.
    /// Never throws on bad geometry.
    /// </summary>
    public static BoundaryValidation Validate(Geometry boundary, Geometry? district = null,
        IEnumerable<OtherBoundary>? others = null, BoundaryRules? rules = null)
    {
        rules ??= new BoundaryRules();
        var problems = new List<BoundaryProblem>();
        if (boundary is null || boundary.IsEmpty)
        {
            problems.Add(new BoundaryProblem("empty", Note.Of("boundary.empty"), NoPlace));
            return new BoundaryValidation(problems);
        }
        if (InputProblem(boundary) is { } input)
        {
            problems.Add(input);
            return new BoundaryValidation(problems);
        }

        var polygonal = MetricFrame.Polygonal(boundary);
        var other = OtherComponents(boundary);
        if (other.Count > 0)
        {
            var g = boundary.Factory.BuildGeometry(other);
            problems.Add(new BoundaryProblem("not-polygonal",
                Note.Of("boundary.not_polygonal", ("count", other.Count), ("type", other[0].GeometryType), ("place", MetricFrame.Place(g.Coordinate))),
                g));
            if (polygonal.IsEmpty) return new BoundaryValidation(problems);
        }

        Guard(problems, "self-intersection", () => SelfIntersections(polygonal, problems));

        var frame = MetricFrame.For(polygonal);
        MultiPolygon? valid = null;
        Guard(problems, "self-intersection", () => valid = MetricFrame.Polygonal(GeometryFixer.Fix(frame.ToUtm(polygonal))));
        if (valid is null) return new BoundaryValidation(problems);

        // A crossing ring made valid falls apart into pieces the planner did not draw: count parts only without crossings.
        var crossed = problems.Any(p => p.Kind is "self-intersection" or "invalid-ring");
        Guard(problems, "sliver", () => PartsAndSlivers(valid, frame, rules with { SinglePart = rules.SinglePart && !crossed }, problems));
        Guard(problems, "hole", () => Holes(valid, frame, rules, problems));
        if (district is not null && !district.IsEmpty)
            Guard(problems, "outside-district", () =>
            {
                var d = Prepare(district, frame);
                foreach (var piece in Pieces(MetricFrame.Difference(valid, d), frame, rules.OverlapToleranceSquareMeters))
                    problems.Add(new BoundaryProblem("outside-district",
                        Note.Of("boundary.outside_district", ("area", piece.Area), ("place", MetricFrame.Place(piece.LonLat))),
                        piece.LonLat, piece.Area));
            });
        foreach (var o in others ?? [])
        {
            if (o?.Boundary is null || o.Boundary.IsEmpty) continue;
            Guard(problems, "overlap", () =>
            {
                var b = Prepare(o.Boundary, frame);
                foreach (var piece in Pieces(MetricFrame.Intersection(valid, b), frame, rules.OverlapToleranceSquareMeters))
                    problems.Add(new BoundaryProblem("overlap",
                        Note.Of("boundary.overlap", ("other", o.Name), ("area", piece.Area), ("place", MetricFrame.Place(piece.LonLat))),
                        piece.LonLat, piece.Area, o.Name));
            });
        }
        return new BoundaryValidation(problems);
    }

    /// <summary>Coordinates that are not numbers, outside Peru, or with latitude and longitude swapped.</summary>
    private static BoundaryProblem? InputProblem(Geometry boundary)
    {
        foreach (var c in boundary.Coordinates)
            if (!double.IsFinite(c.X) || !double.IsFinite(c.Y))
                return new BoundaryProblem("not-polygonal", Note.Of("boundary.not_a_number"), NoPlace);
        var first = InputGeometryCheck.Check(boundary).FirstOrDefault(p => p.Kind is "outside-peru" or "axis-order");
        return first is null
            ? null
            : new BoundaryProblem(first.Kind, first.Note,
                first.Location is null ? NoPlace : MetricFrame.Factory.CreatePoint(first.Location));
    }

    private static List<Geometry> OtherComponents(Geometry g)
    {
        var list = new List<Geometry>();
        Collect(g);
        return list;

        void Collect(Geometry x)
        {
            if (x is GeometryCollection gc)
                for (var i = 0; i < gc.NumGeometries; i++) Collect(gc.GetGeometryN(i));
            else if (x is not Polygon && !x.IsEmpty) list.Add(x);
        }
    }

    private static void SelfIntersections(MultiPolygon polygonal, List<BoundaryProblem> problems)
    {
        var found = RingCrossings.Find(polygonal.Geometries.Cast<Polygon>());
        foreach (var c in found)
        {
            var what = c.SameRing
                ? c.Proper ? "crosses-itself" : "touches-itself"
                : c.Proper ? "rings-cross" : "rings-share-edge";
            problems.Add(new BoundaryProblem("self-intersection",
                Note.Of("boundary.crossing", ("what", what), ("place", MetricFrame.Place(c.At))), MetricFrame.Factory.CreatePoint(c.At)));
        }
        if (found.Count > 0) return;
        // What noding does not see: rings too short, holes outside their shell, nested parts.
        var error = new IsValidOp(polygonal).ValidationError;
        if (error is null) return;
        var kind = error.ErrorType is TopologyValidationErrors.TooFewPoints or TopologyValidationErrors.RingNotClosed
            ? "invalid-ring"
            : "self-intersection";
        var at = error.Coordinate;
        problems.Add(new BoundaryProblem(kind,
            at is null
                ? Note.Of("boundary.invalid", ("error", InputGeometryCheck.Validity(error)))
                : Note.Of("boundary.invalid_at", ("error", InputGeometryCheck.Validity(error)), ("place", MetricFrame.Place(at))),
            at is null ? NoPlace : MetricFrame.Factory.CreatePoint(at)));
    }

    private static void PartsAndSlivers(MultiPolygon valid, MetricFrame frame, BoundaryRules rules, List<BoundaryProblem> problems)
    {
        var slivers = Slivers.Find(valid, rules);
        var sliverParts = slivers.Where(s => s.WholePart).Select(s => s.Piece).ToHashSet();
        var parts = valid.Geometries.Where(p => !sliverParts.Contains(p)).OrderByDescending(p => p.Area).ToList();
        if (rules.SinglePart && parts.Count > 1)
        {
            var total = parts.Count;
            foreach (var extra in parts.Skip(1))
            {
                var lonLat = frame.ToLonLat(extra);
                var area = Measure.AreaSquareMeters(lonLat);
                problems.Add(new BoundaryProblem("multiple-parts",
                    Note.Of("boundary.multiple_parts", ("count", total), ("area", area), ("place", MetricFrame.Place(lonLat))),
                    lonLat, area));
            }
        }
        foreach (var s in slivers)
        {
            var lonLat = frame.ToLonLat(s.Piece);
            var area = Measure.AreaSquareMeters(lonLat);
            problems.Add(new BoundaryProblem("sliver",
                s.WholePart
                    ? Note.Of("boundary.sliver_part", ("area", area), ("width", rules.SliverMaxWidthMeters), ("max", rules.SliverMaxAreaSquareMeters), ("place", MetricFrame.Place(lonLat)))
                    : Note.Of("boundary.sliver_piece", ("area", area), ("width", rules.SliverMaxWidthMeters), ("max", rules.SliverMaxAreaSquareMeters), ("place", MetricFrame.Place(lonLat))),
                lonLat, area));
        }
    }

    private static void Holes(MultiPolygon valid, MetricFrame frame, BoundaryRules rules, List<BoundaryProblem> problems)
    {
        foreach (var part in valid.Geometries.Cast<Polygon>())
            foreach (var hole in part.InteriorRings)
            {
                var lonLat = frame.ToLonLat(valid.Factory.CreatePolygon((LinearRing)hole.Copy()));
                var area = Measure.AreaSquareMeters(lonLat);
                if (area >= rules.HoleMinAreaSquareMeters) continue;
                problems.Add(new BoundaryProblem("hole",
                    Note.Of("boundary.hole", ("area", area), ("min", rules.HoleMinAreaSquareMeters), ("place", MetricFrame.Place(lonLat))),
                    lonLat, area));
            }
    }

    /// <summary>Another lon/lat polygonal geometry, made valid, in the frame's metres.</summary>
    internal static Geometry Prepare(Geometry lonLat, MetricFrame frame) =>
        MetricFrame.Polygonal(GeometryFixer.Fix(frame.ToUtm(MetricFrame.Polygonal(lonLat))));

    private sealed record Piece(Geometry LonLat, double Area);

    private static IEnumerable<Piece> Pieces(Geometry utm, MetricFrame frame, double tolerance)
    {
        foreach (var p in MetricFrame.Polygonal(utm).Geometries)
        {
            if (p.Area < tolerance * 0.5) continue;
            var lonLat = frame.ToLonLat(p);
            var area = Measure.AreaSquareMeters(lonLat);
            if (area >= tolerance) yield return new Piece(lonLat, area);
        }
    }

    private static void Guard(List<BoundaryProblem> problems, string kind, Action check)
    {
        try { check(); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            problems.Add(new BoundaryProblem(kind, Note.Of("boundary.check_failed", ("check", kind), ("error", e.Message)), NoPlace));
        }
    }
}
