using System.Globalization;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Blocks;

/// <summary>One street centreline handed to <see cref="BlockBuilder"/>.</summary>
/// <param name="Geometry">Lon/lat (EPSG:4326; SRID 0 is read as 4326), a LineString or MultiLineString.</param>
/// <param name="Class">The OSM highway class (residential, footway, ...).</param>
/// <param name="Layer">Vertical layer: 0 at grade, above 0 a bridge, below 0 a tunnel.</param>
public sealed record StreetLine(Geometry Geometry, string Class, int Layer = 0)
{
    /// <summary>
    /// The layer implied by OSM tags: the <c>layer</c> tag when it is an integer, else +1 for a bridge and -1 for a
    /// tunnel, else 0. <c>tunnel=building_passage</c> is a passage at ground level under a building: layer 0.
    /// </summary>
    public static int LayerFromOsm(string? layer, string? bridge, string? tunnel)
    {
        if (int.TryParse(layer?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
        if (IsSet(bridge)) return 1;
        if (IsSet(tunnel) && !string.Equals(tunnel, "building_passage", StringComparison.OrdinalIgnoreCase)) return -1;
        return 0;
    }

    private static bool IsSet(string? tag) =>
        !string.IsNullOrWhiteSpace(tag) && !string.Equals(tag.Trim(), "no", StringComparison.OrdinalIgnoreCase);
}
