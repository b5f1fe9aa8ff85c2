using System.Globalization;
using BarrioSeguro.Geo.Core.Blocks;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Network;

/// <summary>One street centreline handed to <see cref="StreetGraph.Build"/>.</summary>
/// <param name="Geometry">Lon/lat (EPSG:4326; SRID 0 is read as 4326), a LineString or MultiLineString.</param>
/// <param name="Class">The OSM highway class (residential, footway, ...).</param>
/// <param name="Layer">Vertical layer: 0 at grade, above 0 a bridge, below 0 a tunnel (see <see cref="StreetLine.LayerFromOsm"/>).
/// A street on another layer meets other streets only at its own ends.</param>
/// <param name="Oneway">Vehicles may only go the way the line is drawn (OSM <c>oneway=-1</c>: reverse the line first,
/// see <see cref="OnewayFromOsm"/>). Ignored on foot.</param>
/// <param name="Name">The street name, for messages; may be null.</param>
public sealed record NetworkStreet(Geometry Geometry, string Class, int Layer = 0, bool Oneway = false, string? Name = null)
{
    /// <summary>A two-way street from a <see cref="StreetLine"/>.</summary>
    public static NetworkStreet From(StreetLine line) => new(line.Geometry, line.Class, line.Layer);

    /// <summary>
    /// The one-way direction implied by OSM tags: +1 along the line (<c>oneway=yes|true|1</c>, or a roundabout or
    /// motorway without <c>oneway=no</c>), -1 against it (<c>oneway=-1|reverse</c>), 0 both ways.
    /// </summary>
    public static int OnewayFromOsm(string? oneway, string? highway = null, string? junction = null)
    {
        var o = oneway?.Trim().ToLowerInvariant();
        switch (o)
        {
            case "yes" or "true" or "1": return 1;
            case "-1" or "reverse": return -1;
            case "no" or "false" or "0": return 0;
        }
        var j = junction?.Trim().ToLowerInvariant();
        if (j is "roundabout" or "circular") return 1;
        var h = highway?.Trim().ToLowerInvariant();
        return h is "motorway" ? 1 : 0;
    }

    /// <summary>The street as a note names it: its index, its name when it has one and its class ("3 'Av. España' (primary)").</summary>
    internal string Label(int index) =>
        string.IsNullOrWhiteSpace(Name) ? string.Create(CultureInfo.InvariantCulture, $"{index} ({Class})") : string.Create(CultureInfo.InvariantCulture, $"{index} '{Name}' ({Class})");
}
