using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>A reported incident (denuncia or falta).</summary>
public sealed class Incident : IVersioned
{
    public int Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required string Category { get; set; }
    public required Point Location { get; set; }
    /// <summary>True for generated sample incidents; never mix them up with real reports.</summary>
    public bool IsSynthetic { get; set; }
    /// <summary>1 when made; one more on every change (the ETag of the API).</summary>
    public int Version { get; set; } = 1;
    public string? ChangedBy { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }
}
