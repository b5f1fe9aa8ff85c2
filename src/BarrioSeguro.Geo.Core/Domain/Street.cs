using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>A street centreline, as mapped in OpenStreetMap.</summary>
public sealed class Street
{
    public int Id { get; set; }
    public long? OsmId { get; set; }
    public string? Name { get; set; }
    /// <summary>The OSM highway class (residential, primary, footway, ...).</summary>
    public required string Class { get; set; }
    /// <summary>One-way for vehicles in the direction the line is drawn.</summary>
    public bool Oneway { get; set; }
    /// <summary>
    /// Vertical layer: 0 at grade; above 0 for bridges, below 0 for tunnels (OSM layer, bridge and tunnel tags).
    /// Streets on different layers cross without meeting, so they never split each other.
    /// </summary>
    public int Layer { get; set; }

    /// <summary>OSM maxspeed in km/h (a value in mph converted), when tagged with a number.</summary>
    public int? MaxSpeedKmh { get; set; }

    /// <summary>OSM bridge=* (other than no): the street is on a bridge.</summary>
    public bool Bridge { get; set; }

    /// <summary>OSM tunnel=* (other than no): the street is in a tunnel.</summary>
    public bool Tunnel { get; set; }

    /// <summary>Centreline in EPSG:4326 (lon/lat); a MultiLineString where a clip split a way.</summary>
    public required MultiLineString Geometry { get; set; }
}
