using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>
/// A kept patrol sector plan of a neighbourhood: what was asked (parameters, seed), on which data (the neighbourhood's
/// version and a fingerprint of the data), and what came out (the assignment of blocks to sectors and the report), so
/// it can be reproduced and compared.
/// </summary>
public sealed class SectorPlan
{
    public int Id { get; set; }
    public int NeighborhoodId { get; set; }
    public int NeighborhoodVersion { get; set; }
    public int? ContingentId { get; set; }
    public required string Name { get; set; }
    public required string Author { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Sectors { get; set; }
    public int Seed { get; set; }
    /// <summary>The request as JSON: weights, locks, previous plan, islands policy, time budget.</summary>
    public required string ParametersJson { get; set; }
    /// <summary>A fingerprint of the neighbourhood boundary and the street and incident data the plan was computed on.</summary>
    public required string DataVersion { get; set; }
    /// <summary>Block id to sector (0-based), as JSON.</summary>
    public required string AssignmentJson { get; set; }
    /// <summary>The plan's report as JSON (balance, contiguity, compactness, churn, staffing, notes).</summary>
    public required string ReportJson { get; set; }
    public double MaxDeviationPct { get; set; }
    public double MeanPolsbyPopper { get; set; }
    public bool Contiguous { get; set; }
    /// <summary>The street dataset (import) current for the neighbourhood when the plan was made; null before imports were versioned.</summary>
    public int? DatasetId { get; set; }
    /// <summary>Set when the plan is deleted (kept, hidden, restorable); null while it is in use.</summary>
    public DateTimeOffset? DeletedAt { get; set; }
    public string? DeletedBy { get; set; }
}

/// <summary>One sector of a kept plan: its polygon (the union of its blocks) and figures.</summary>
public sealed class PlanSector
{
    public int PlanId { get; set; }
    public int Sector { get; set; }
    public required MultiPolygon Geometry { get; set; }
    public double Workload { get; set; }
    public int Blocks { get; set; }
    public double AreaKm2 { get; set; }
    public double PolsbyPopper { get; set; }
    public bool Contiguous { get; set; }
}
