using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

public enum NeighborhoodStatus
{
    Draft,
    Active,
    Archived,
}

/// <summary>A Barrio Seguro neighbourhood: the area one contingent is responsible for.</summary>
public sealed class Neighborhood
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? DistrictUbigeo { get; set; }
    /// <summary>Boundary in EPSG:4326 (lon/lat).</summary>
    public required MultiPolygon Boundary { get; set; }
    public NeighborhoodStatus Status { get; set; } = NeighborhoodStatus.Draft;
    /// <summary>Incremented on every boundary change; an update must name the version it started from.</summary>
    public int Version { get; set; } = 1;
    /// <summary>True when the boundary is made up (for example the sample El Milagro boundary).</summary>
    public bool IsIllustrative { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Set when the neighbourhood is deleted (kept, hidden, restorable); null while it is in use.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
    public string? DeletedBy { get; set; }
}
