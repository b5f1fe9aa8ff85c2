using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>A place a chief names as a hot spot (punto caliente): patrols stop there.</summary>
public sealed class HotSpot : IVersioned
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? DistrictUbigeo { get; set; }
    public required Point Location { get; set; }
    public int Version { get; set; } = 1;
    public string? ChangedBy { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }
}
