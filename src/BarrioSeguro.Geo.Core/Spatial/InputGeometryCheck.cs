using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Valid;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>
/// Checks a lon/lat geometry that a user hands in: valid OGC geometry, coordinates inside Peru, latitude and longitude
/// not swapped. Returns the problems found; never throws on bad geometry.
/// </summary>
public static class InputGeometryCheck
{
    /// <summary>Peru's extent in EPSG:4326 with a margin of a few kilometres (its sea and islands included).</summary>
    public static readonly Envelope PeruExtent = new(-81.45, -68.6, -18.4, 0.05);

    /// <summary>All the problems of a geometry in EPSG:4326; an empty list when it is fit to store.</summary>
    public static IReadOnlyList<GeometryProblem> Check(Geometry geometry)
    {
        var problems = new List<GeometryProblem>();
        if (geometry.IsEmpty)
        {
            problems.Add(new GeometryProblem("empty", Note.Of("geometry.empty")));
            return problems;
        }

        foreach (var c in geometry.Coordinates)
        {
            if (double.IsFinite(c.X) && double.IsFinite(c.Y)) continue;
            problems.Add(new GeometryProblem("not-a-number", Note.Of("geometry.not_a_number")));
            return problems;
        }

        var outside = geometry.Coordinates.FirstOrDefault(c => !PeruExtent.Contains(c));
        if (outside is not null)
        {
            var swapped = geometry.Coordinates.All(c => PeruExtent.Contains(c.Y, c.X));
            problems.Add(swapped
                ? new GeometryProblem("axis-order",
                    Note.Of("geometry.axis_order", ("x", outside.X), ("y", outside.Y)),
                    outside)
                : new GeometryProblem("outside-peru",
                    Note.Of("geometry.outside_peru", ("x", outside.X), ("y", outside.Y)),
                    outside));
            return problems;
        }

        var validity = new IsValidOp(geometry).ValidationError;
        if (validity is not null)
        {
            var kind = validity.ErrorType switch
            {
                TopologyValidationErrors.SelfIntersection or TopologyValidationErrors.RingSelfIntersection => "self-intersection",
                TopologyValidationErrors.TooFewPoints => "too-few-points",
                TopologyValidationErrors.RingNotClosed => "ring-not-closed",
                TopologyValidationErrors.HoleOutsideShell or TopologyValidationErrors.NestedHoles => "hole-outside-shell",
                TopologyValidationErrors.NestedShells => "nested-shells",
                TopologyValidationErrors.DisconnectedInteriors => "disconnected-interior",
                _ => "invalid",
            };
            var at = validity.Coordinate;
            problems.Add(new GeometryProblem(kind,
                at is null
                    ? Note.Of("geometry.invalid", ("error", Validity(validity)))
                    : Note.Of("geometry.invalid_at", ("error", Validity(validity)), ("x", Math.Round(at.X, 7)), ("y", Math.Round(at.Y, 7))),
                at));
        }
        return problems;
    }

    /// <summary>NTS's error type as a code the catalog says in each language (its own message is English only).</summary>
    internal static string Validity(TopologyValidationError error) => error.ErrorType switch
    {
        TopologyValidationErrors.SelfIntersection => "self-intersection",
        TopologyValidationErrors.RingSelfIntersection => "ring-self-intersection",
        TopologyValidationErrors.TooFewPoints => "too-few-points",
        TopologyValidationErrors.RingNotClosed => "ring-not-closed",
        TopologyValidationErrors.HoleOutsideShell => "hole-outside-shell",
        TopologyValidationErrors.NestedHoles => "nested-holes",
        TopologyValidationErrors.NestedShells => "nested-shells",
        TopologyValidationErrors.DisconnectedInteriors => "disconnected-interior",
        TopologyValidationErrors.DuplicateRings => "duplicate-rings",
        TopologyValidationErrors.InvalidCoordinate => "invalid-coordinate",
        _ => "invalid",
    };
}
