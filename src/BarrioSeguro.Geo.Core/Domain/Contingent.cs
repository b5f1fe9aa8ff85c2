namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>The police officers assigned to one neighbourhood, and how many shifts they cover a day.</summary>
public sealed class Contingent
{
    public int Id { get; set; }
    public int NeighborhoodId { get; set; }
    public required string Name { get; set; }
    public int Officers { get; set; }
    public int Shifts { get; set; } = 3;

    /// <summary>Officers on duty in one shift when they are spread evenly over the shifts.</summary>
    public double OfficersPerShift => Shifts > 0 ? (double)Officers / Shifts : 0;
}
