namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>
/// Something people enter and change by hand (a contingent, a station, a hot spot, an incident): each change makes a
/// new version, so a change that started from an older one can be refused instead of overwriting.
/// </summary>
public interface IVersioned
{
    int Id { get; }

    /// <summary>1 when made; one more on every change.</summary>
    int Version { get; set; }

    /// <summary>Who made the last change (null for loaded data).</summary>
    string? ChangedBy { get; set; }

    DateTimeOffset? ChangedAt { get; set; }
}
