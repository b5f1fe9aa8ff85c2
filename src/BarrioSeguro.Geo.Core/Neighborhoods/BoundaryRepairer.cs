using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Utilities;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>Which repairs <see cref="BoundaryRepairer.Repair"/> applies, in this order.</summary>
public sealed record RepairOptions
{
    /// <summary>Make the geometry valid with NTS <see cref="GeometryFixer"/>. When false, an invalid boundary is left as drawn.</summary>
    public bool MakeValid { get; init; } = true;

    /// <summary>Remove slivers (see <see cref="BoundaryRules.SliverMaxWidthMeters"/>).</summary>
    public bool DropSlivers { get; init; } = true;

    /// <summary>Fill holes smaller than <see cref="BoundaryRules.HoleMinAreaSquareMeters"/>.</summary>
    public bool FillSmallHoles { get; init; } = true;

    /// <summary>Cut away what lies outside the district, when one is given.</summary>
    public bool ClipToDistrict { get; init; } = true;

    /// <summary>Subtract the other neighbourhoods. Off by default: which side gives up the area is a planner's call.</summary>
    public bool RemoveOverlaps { get; init; }
}

/// <summary>
/// A repaired boundary and what the repair changed, measured against the boundary as drawn (made valid first when it
/// was not: an invalid polygon has no well-defined area to compare with).
/// </summary>
/// <param name="Repaired">The repaired boundary, a MultiPolygon in EPSG:4326 (empty when nothing was left).</param>
/// <param name="AddedSquareMeters">Area in the repaired boundary that was not in the input, on the ellipsoid.</param>
/// <param name="RemovedSquareMeters">Area of the input that the repaired boundary no longer holds.</param>
/// <param name="ChangeNotes">One note per change, with its area (notes.json, repair.*); empty when nothing changed.</param>
/// <param name="Added">Where area was added (polygonal, EPSG:4326).</param>
/// <param name="Removed">Where area was removed (polygonal, EPSG:4326).</param>
public sealed record BoundaryRepair(
    Geometry Repaired,
    double AddedSquareMeters,
    double RemovedSquareMeters,
    IReadOnlyList<Note> ChangeNotes,
    Geometry Added,
    Geometry Removed)
{
    /// <summary>One sentence per change, in <see cref="NoteLanguage.Current"/>.</summary>
    public IReadOnlyList<string> Changes => ChangeNotes.Select(n => n.ToString()).ToList();
}

/// <summary>Repairs a neighbourhood boundary and says what it changed. Never throws on bad geometry.</summary>
public static class BoundaryRepairer
{
    /// <summary>Changes smaller than this (m²) are numerical noise, not changes.</summary>
    private const double Noise = 0.01;

    /// <summary>
    /// Repairs a boundary (Polygon or MultiPolygon in EPSG:4326): make valid, drop slivers, fill small holes, clip to
    /// <paramref name="district"/>, subtract <paramref name="others"/> (each step as <paramref name="options"/> say).
    /// Work happens in the UTM zone of the boundary; areas are on the ellipsoid. A boundary without polygons gives an
    /// empty MultiPolygon and one sentence saying why.
    /// </summary>
    public static BoundaryRepair Repair(Geometry boundary, Geometry? district = null, IEnumerable<OtherBoundary>? others = null,
        RepairOptions? options = null, BoundaryRules? rules = null)
    {
        options ??= new RepairOptions();
        rules ??= new BoundaryRules();
        var empty = MetricFrame.Factory.CreateMultiPolygon();
        var polygonal = boundary is null ? empty : MetricFrame.Polygonal(boundary);
        if (polygonal.IsEmpty || polygonal.Coordinates.Any(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y)))
            return new BoundaryRepair(empty, 0, 0, [Note.Of("repair.nothing")], empty, empty);

        var changes = new List<Note>();
        var frame = MetricFrame.For(polygonal);
        Geometry reference;
        Geometry current;
        try
        {
            var utm = frame.ToUtm(polygonal);
            if (utm.IsValid)
            {
                reference = utm;
            }
            else if (!options.MakeValid)
            {
                return new BoundaryRepair(polygonal.Copy(), 0, 0,
                    [Note.Of("repair.left_as_drawn")],
                    empty, empty);
            }
            else
            {
                reference = MetricFrame.Polygonal(GeometryFixer.Fix(utm));
                var crossings = RingCrossings.Find(polygonal.Geometries.Cast<Polygon>()).Count;
                changes.Add(Note.Of("repair.made_valid", ("crossings", crossings), ("parts", reference.NumGeometries),
                    ("area", Measure.AreaSquareMeters(frame.ToLonLat(reference)))));
            }
            current = reference;

            if (options.DropSlivers)
            {
                var slivers = Slivers.Find(current, rules);
                if (slivers.Count > 0)
                    current = Step(frame, changes, current, MetricFrame.Difference(current, MetricFrame.Union(slivers.Select(s => s.Piece))),
                        (added, removed) => Note.Of("repair.slivers_dropped", ("count", slivers.Count), ("removed", removed)));
            }
            if (options.FillSmallHoles)
            {
                var filled = 0;
                var parts = MetricFrame.Polygonal(current).Geometries.Cast<Polygon>().Select(p =>
                {
                    var kept = p.InteriorRings.Where(h =>
                        Measure.AreaSquareMeters(frame.ToLonLat(p.Factory.CreatePolygon((LinearRing)h.Copy()))) >= rules.HoleMinAreaSquareMeters).ToArray();
                    filled += p.NumInteriorRings - kept.Length;
                    return p.Factory.CreatePolygon((LinearRing)p.ExteriorRing.Copy(), kept.Select(h => (LinearRing)h.Copy()).ToArray());
                }).ToArray();
                if (filled > 0)
                    current = Step(frame, changes, current, current.Factory.CreateMultiPolygon(parts),
                        (added, _) => Note.Of("repair.holes_filled", ("count", filled), ("min", rules.HoleMinAreaSquareMeters), ("added", added)));
            }
            if (options.ClipToDistrict && district is not null && !district.IsEmpty)
                current = Step(frame, changes, current, MetricFrame.Intersection(current, BoundaryValidator.Prepare(district, frame)),
                    (_, removed) => Note.Of("repair.clipped", ("removed", removed)));
            if (options.RemoveOverlaps)
                foreach (var o in others ?? [])
                {
                    if (o?.Boundary is null || o.Boundary.IsEmpty) continue;
                    current = Step(frame, changes, current, MetricFrame.Difference(current, BoundaryValidator.Prepare(o.Boundary, frame)),
                        (_, removed) => Note.Of("repair.overlap_removed", ("other", o.Name), ("removed", removed)));
                }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new BoundaryRepair(polygonal.Copy(), 0, 0, [Note.Of("repair.failed", ("error", e.Message))], empty, empty);
        }

        var addedGeometry = frame.ToLonLat(MetricFrame.Polygonal(MetricFrame.Difference(current, reference)));
        var removedGeometry = frame.ToLonLat(MetricFrame.Polygonal(MetricFrame.Difference(reference, current)));
        var repaired = MetricFrame.Polygonal(frame.ToLonLat(current));
        repaired.SRID = Crs.Wgs84;
        return new BoundaryRepair(repaired, Clean(Measure.AreaSquareMeters(addedGeometry)), Clean(Measure.AreaSquareMeters(removedGeometry)),
            changes, addedGeometry, removedGeometry);
    }

    private static double Clean(double area) => area < Noise ? 0 : area;

    /// <summary>Applies one step: records its sentence when it changed the area by more than noise.</summary>
    private static Geometry Step(MetricFrame frame, List<Note> changes, Geometry before, Geometry after,
        Func<double, double, Note> sentence)
    {
        var result = MetricFrame.Polygonal(after);
        var added = Clean(Measure.AreaSquareMeters(frame.ToLonLat(MetricFrame.Difference(result, before))));
        var removed = Clean(Measure.AreaSquareMeters(frame.ToLonLat(MetricFrame.Difference(before, result))));
        if (added > 0 || removed > 0) changes.Add(sentence(added, removed));
        return result;
    }
}
