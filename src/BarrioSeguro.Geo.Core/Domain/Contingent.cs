namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>The police officers assigned to one neighbourhood, and how many shifts they cover a day.</summary>
public sealed class Contingent : IVersioned
{
    public int Id { get; set; }
    public int NeighborhoodId { get; set; }
    public required string Name { get; set; }
    public int Officers { get; set; }
    public int Shifts { get; set; } = 3;
    /// <summary>Share of the officers available on a given day (leave and administrative duty take the rest), 0 to 1.</summary>
    public double Availability { get; set; } = 1;
    /// <summary>Patrol mode: foot, bike, moto or car.</summary>
    public string Mode { get; set; } = "foot";
    /// <summary>Officers per patrol unit (a foot pair is 2).</summary>
    public int CrewSize { get; set; } = 2;
    /// <summary>Joint units (serenazgo) added to every shift.</summary>
    public int JointUnits { get; set; }

    /// <summary>Officers on duty in one shift when they are spread evenly over the shifts.</summary>
    public double OfficersPerShift => Shifts > 0 ? (double)Officers / Shifts : 0;
    /// <summary>1 when made; one more on every change (the ETag of the API).</summary>
    public int Version { get; set; } = 1;
    public string? ChangedBy { get; set; }
    public DateTimeOffset? ChangedAt { get; set; }
}
