using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Planning.Reports;

/// <summary>The figures of one sector (no geometry). <paramref name="Id"/> is 0-based; <paramref name="Label"/> "S1".</summary>
public sealed record SectorReport(int Id, string Label, double Workload, int Blocks, double AreaKm2, double PolsbyPopper, bool Contiguous);

/// <summary>
/// What reproduces a plan: the options and, from the CLI, the input files with their SHA-256; from the service, the
/// previous plan. Members that do not apply are null.
/// </summary>
public sealed record SectorPlanParameters
{
    public required string Command { get; init; }
    public int Seed { get; init; }
    public int K { get; init; }
    public IReadOnlyList<WorkloadTerm> Weights { get; init; } = [];
    public string? Islands { get; init; }
    public double? TolerancePct { get; init; }
    public double? BudgetSeconds { get; init; }
    public int? Attempts { get; init; }
    public IReadOnlyDictionary<string, int>? Locks { get; init; }
    public int? PreviousPlanId { get; init; }
    public bool? AttachUncovered { get; init; }
    public string? BlocksFile { get; init; }
    public string? BlocksSha256 { get; init; }
    public string? ContingentFile { get; init; }
    public string? ContingentSha256 { get; init; }
    public string? PlanFile { get; init; }
    public string? PlanSha256 { get; init; }
    public string? PreviousFile { get; init; }
    public string? PreviousSha256 { get; init; }
    public string? Version { get; init; }
}

/// <summary>
/// The report of a sector plan, computed (sectorize, POST /api/neighborhoods/{id}/plans) or evaluated (evaluate):
/// one shape for the CLI's --report file, the kept plan and the API.
/// </summary>
/// <param name="K">The number of sectors.</param>
/// <param name="Blocks">The number of blocks partitioned.</param>
/// <param name="Staffing">The contingent's staffing, when it was given.</param>
/// <param name="PlanKind">evaluate only: assigned (blocks with a sector) or drawn (sector polygons).</param>
public sealed record SectorPlanReport(
    IReadOnlyList<SectorReport> Sectors, int K, int Blocks, double TotalWorkload, double MaxDeviationPct, double BalanceBoundPct,
    bool Contiguous, double MeanPolsbyPopper, int Seed, Churn? Churn, IReadOnlyList<string> Islands, string? IslandNote, double ElapsedMs,
    StaffingReport? Staffing, IReadOnlyList<WorkloadTerm> Weights, IReadOnlyList<Note> Notes)
{
    public string? PlanKind { get; init; }
    public SectorPlanParameters? Parameters { get; init; }
    /// <summary>CLI: the whole command, reading and writing included.</summary>
    public double? TotalElapsedMs { get; init; }

    public const string IslandSentence = "these blocks share no edge with the rest: contiguous only by necessity";

    public static SectorPlanReport From(
        PlanReport r, int blocks, StaffingReport? staffing, IReadOnlyList<WorkloadTerm> weights, IEnumerable<Note> notes) => new(
        r.Sectors.Select(s => new SectorReport(s.Id, SectorLabel.Of(s.Id), Math.Round(s.Workload, 4), s.Blocks, Math.Round(s.AreaKm2, 6),
            Math.Round(s.PolsbyPopper, 4), s.Contiguous)).ToList(),
        r.Sectors.Count, blocks, Math.Round(r.Sectors.Sum(s => s.Workload), 4), Math.Round(r.MaxDeviationPct, 3), Math.Round(r.BalanceBoundPct, 3),
        r.Contiguous, Math.Round(r.MeanPolsbyPopper, 4), r.Seed,
        r.Churn is { } c ? new Churn(c.BlocksChanged, Math.Round(c.WorkloadSharePct, 3)) : null,
        r.Islands, r.Islands.Count > 0 ? IslandSentence : null, Math.Round(r.ElapsedMs, 1), staffing, weights, notes.ToList());
}
