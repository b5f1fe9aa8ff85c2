using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Neighborhoods;

/// <summary>
/// One problem of a neighbourhood boundary, with its place as a geometry that can be drawn on a map (lon/lat, EPSG:4326).
/// </summary>
/// <param name="Kind">
/// A stable machine-readable kind: "self-intersection", "invalid-ring", "overlap", "outside-district", "sliver", "hole",
/// "multiple-parts", "empty", "not-polygonal", "outside-peru", "axis-order".
/// </param>
/// <param name="Note">The sentence for a planner as a code with arguments (notes.json), with the place ("lon, lat", 6
/// decimals) and the area in m² or km²; <see cref="Message"/> says it in the reader's language.</param>
/// <param name="Location">
/// A point for self-intersections, invalid rings, coordinates outside Peru; a polygon for overlaps, parts outside the
/// district, slivers, holes and extra parts; an empty point when there is no place (empty input).
/// </param>
/// <param name="AreaSquareMeters">The area of the problem polygon, on the ellipsoid; null for point problems.</param>
/// <param name="Other">The name of the other neighbourhood, for overlaps.</param>
public sealed record BoundaryProblem(
    string Kind,
    Note Note,
    Geometry Location,
    double? AreaSquareMeters = null,
    string? Other = null)
{
    /// <summary>A problem told by a sentence that has no code (said as written, in any language).</summary>
    public BoundaryProblem(string kind, string message, Geometry location, double? areaSquareMeters = null, string? other = null)
        : this(kind, Note.Of("text", ("text", message)), location, areaSquareMeters, other) { }

    /// <summary>The sentence in <see cref="NoteLanguage.Current"/>.</summary>
    public string Message => Note.ToString();
}

/// <summary>
/// Thresholds of <see cref="BoundaryValidator"/> and <see cref="BoundaryRepairer"/>. Lengths and areas are metres,
/// measured in the UTM zone of the boundary.
/// </summary>
public sealed record BoundaryRules
{
    /// <summary>A part smaller than this, in a boundary of several parts, is a sliver.</summary>
    public double SliverMaxAreaSquareMeters { get; init; } = 200;

    /// <summary>
    /// A piece of a part narrower than this is a sliver: what an opening (shrink by half this width, then grow back)
    /// removes, kept when the piece is at least width² in area (so the rounding of ordinary corners does not count).
    /// </summary>
    public double SliverMaxWidthMeters { get; init; } = 3;

    /// <summary>Holes smaller than this are reported (a planner rarely means to leave out a few square metres).</summary>
    public double HoleMinAreaSquareMeters { get; init; } = 500;

    /// <summary>When true, a boundary with more than one part (slivers aside) is a problem.</summary>
    public bool SinglePart { get; init; } = true;

    /// <summary>Overlaps with other neighbourhoods and pieces outside the district smaller than this are ignored.</summary>
    public double OverlapToleranceSquareMeters { get; init; } = 1;
}

/// <summary>Another neighbourhood of the district, to check overlaps against.</summary>
public sealed record OtherBoundary(string Name, Geometry Boundary);

/// <summary>The result of <see cref="BoundaryValidator.Validate"/>: every problem found, in a stable order.</summary>
public sealed record BoundaryValidation(IReadOnlyList<BoundaryProblem> Problems)
{
    /// <summary>True when no problem was found.</summary>
    public bool IsValid => Problems.Count == 0;
}
