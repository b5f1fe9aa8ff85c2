using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>An INEI district, identified by its six-digit ubigeo (Huanchaco is 130104).</summary>
public sealed class District
{
    public required string Ubigeo { get; set; }
    public required string Name { get; set; }
    public string? Province { get; set; }
    public string? Department { get; set; }
    /// <summary>Boundary in EPSG:4326 (lon/lat).</summary>
    public required MultiPolygon Boundary { get; set; }
    /// <summary>Where the boundary comes from, for attribution.</summary>
    public string? Source { get; set; }
}
