using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>A building footprint, as mapped in OpenStreetMap: blocks count the buildings they hold.</summary>
public sealed class Building
{
    public int Id { get; set; }
    public long? OsmId { get; set; }
    /// <summary>The OSM building tag (yes, house, residential, school, ...).</summary>
    public required string Kind { get; set; }
    public string? Name { get; set; }
    /// <summary>Footprint in EPSG:4326 (lon/lat).</summary>
    public required MultiPolygon Geometry { get; set; }
}
