using System.Globalization;
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
            problems.Add(new GeometryProblem("empty", "The geometry is empty."));
            return problems;
        }

        foreach (var c in geometry.Coordinates)
        {
            if (double.IsFinite(c.X) && double.IsFinite(c.Y)) continue;
            problems.Add(new GeometryProblem("not-a-number", "A coordinate is not a finite number."));
            return problems;
        }

        var outside = geometry.Coordinates.FirstOrDefault(c => !PeruExtent.Contains(c));
        if (outside is not null)
        {
            var swapped = geometry.Coordinates.All(c => PeruExtent.Contains(c.Y, c.X));
            problems.Add(swapped
                ? new GeometryProblem("axis-order",
                    string.Create(CultureInfo.InvariantCulture,
                        $"Latitude and longitude look swapped: ({outside.X}, {outside.Y}) lies outside Peru, but ({outside.Y}, {outside.X}) lies inside. GeoJSON and this API use longitude first."),
                    outside)
                : new GeometryProblem("outside-peru",
                    string.Create(CultureInfo.InvariantCulture,
                        $"Coordinate ({outside.X}, {outside.Y}) lies outside Peru. Coordinates must be WGS 84 longitude, latitude (EPSG:4326)."),
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
                    ? $"Invalid geometry: {validity.Message}."
                    : string.Create(CultureInfo.InvariantCulture, $"Invalid geometry: {validity.Message} at ({at.X:0.#######}, {at.Y:0.#######})."),
                at));
        }
        return problems;
    }
}
