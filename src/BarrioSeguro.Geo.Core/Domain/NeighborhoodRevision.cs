using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>One version of a neighbourhood's boundary: who changed it, when, why, and how much area it added and removed.</summary>
public sealed class NeighborhoodRevision
{
    public int Id { get; set; }
    public int NeighborhoodId { get; set; }
    public int Version { get; set; }
    public required MultiPolygon Boundary { get; set; }
    public required string Author { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Area this version added to the previous one, in m² (all of it for the first version).</summary>
    public double AddedSquareMeters { get; set; }
    /// <summary>Area this version took away from the previous one, in m².</summary>
    public double RemovedSquareMeters { get; set; }
}
