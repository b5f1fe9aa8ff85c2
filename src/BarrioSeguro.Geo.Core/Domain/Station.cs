using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>A police station (comisaría) or another police post.</summary>
public sealed class Station : IVersioned
{
    public int Id { get; set; }
    public long? OsmId { get; set; }
    public string? Name { get; set; }
    public string? Operator { get; set; }
    public string? DistrictUbigeo { get; set; }
    public required Point Location { get; set; }
    /// <summary>1 when made; one more on every change (the ETag of the API).</summary>
    public int Version { get; set; } = 1;
    public string? ChangedBy { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }
}
