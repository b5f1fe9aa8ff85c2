using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>A reported incident (denuncia or falta).</summary>
public sealed class Incident
{
    public int Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public required string Category { get; set; }
    public required Point Location { get; set; }
    /// <summary>True for generated sample incidents; never mix them up with real reports.</summary>
    public bool IsSynthetic { get; set; }
}
