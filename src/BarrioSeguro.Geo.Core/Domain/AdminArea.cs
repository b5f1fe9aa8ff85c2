using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>An INEI province, identified by its four-digit code (Trujillo is 1301): the first four digits of its districts' ubigeos.</summary>
public sealed class Province
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    public string? Department { get; set; }
    /// <summary>Boundary in EPSG:4326 (lon/lat).</summary>
    public required MultiPolygon Boundary { get; set; }
    /// <summary>Where the boundary comes from, for attribution.</summary>
    public string? Source { get; set; }
}

/// <summary>An INEI department (región), identified by its two-digit code (La Libertad is 13).</summary>
public sealed class Department
{
    public required string Code { get; set; }
    public required string Name { get; set; }
    /// <summary>Boundary in EPSG:4326 (lon/lat).</summary>
    public required MultiPolygon Boundary { get; set; }
    /// <summary>Where the boundary comes from, for attribution.</summary>
    public string? Source { get; set; }
}
