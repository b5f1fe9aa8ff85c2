using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Planning.Sectors;

namespace BarrioSeguro.Geo.Planning.Reports;

/// <summary>The figures of one sector (no geometry). <paramref name="Id"/> is 0-based; <paramref name="Label"/> "S1".</summary>
public sealed record SectorReport(int Id, string Label, double Workload, int Blocks, double AreaKm2, double PolsbyPopper, bool Contiguous)
{
    /// <summary>The workload it should carry: the mean, or its units' share of the total.</summary>
    public double? TargetWorkload { get; init; }
    /// <summary>Patrol units staffing it, when given per sector.</summary>
    public int? Units { get; init; }
}

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
    /// <summary>compactness or response.</summary>
    public string? Objective { get; init; }
    /// <summary>The travel mode of the street network travel was measured on (null: straight line).</summary>
    public string? Mode { get; init; }
    /// <summary>Straight-line speed in km/h (without streets).</summary>
    public double? StraightLineKmh { get; init; }
    /// <summary>Fixed centres, [lon, lat] per sector in order.</summary>
    public IReadOnlyList<double[]>? Centres { get; init; }
    /// <summary>The names of the fixed centres (a station's name; null for a bare point), in the order of <see cref="Centres"/>.</summary>
    public IReadOnlyList<string?>? CentreNames { get; init; }
    public double? CompactnessWeight { get; init; }
    /// <summary>Patrol units per sector, when given.</summary>
    public IReadOnlyList<int>? SectorUnits { get; init; }
    /// <summary>Seconds given to the exact polish.</summary>
    public double? PolishSeconds { get; init; }
    public string? StreetsFile { get; init; }
    public string? StreetsSha256 { get; init; }
    /// <summary>Street classes whose streets were barriers.</summary>
    public IReadOnlyList<string>? BarrierClasses { get; init; }
    public string? BarriersFile { get; init; }
    public string? BarriersSha256 { get; init; }
    /// <summary>API: barrier lines given in the request.</summary>
    public int? BarrierLines { get; init; }
    /// <summary>edit: the kept plan this one was painted from.</summary>
    public int? EditedFromPlanId { get; init; }
    /// <summary>edit: the blocks moved, each with its new sector.</summary>
    public IReadOnlyDictionary<string, int>? Moves { get; init; }
    /// <summary>edit: whole sectors locked while painting.</summary>
    public IReadOnlyList<int>? LockedSectors { get; init; }
    public string? CentresFile { get; init; }
    public string? CentresSha256 { get; init; }
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
    /// <summary>compactness or response (null for an evaluated plan).</summary>
    public string? Objective { get; init; }
    /// <summary>Travel from each sector's centre to its blocks: total workload·min, mean and worst minutes, per sector.</summary>
    public TravelFigures? Travel { get; init; }
    /// <summary>The exact polish (solver, status, objective, bound, gap), when it ran.</summary>
    public PolishFigures? Polish { get; init; }
    /// <summary>What the barriers did: lines, links cut, links kept by necessity (named), parts and their sectors.</summary>
    public BarrierFigures? Barriers { get; init; }
    /// <summary>Response: the lower bound of every plan's weighted travel (Lagrangian dual of the p-median LP with
    /// balance; free centres) and the plan's gap to it; beside <see cref="Polish"/>'s bound, which is for its centres only.</summary>
    public TravelBound? Bound { get; init; }

    public const string IslandSentence = "these blocks share no edge with the rest: contiguous only by necessity";

    public static SectorPlanReport From(
        PlanReport r, int blocks, StaffingReport? staffing, IReadOnlyList<WorkloadTerm> weights, IEnumerable<Note> notes,
        IReadOnlyList<int>? sectorUnits = null) => new(
        r.Sectors.Select(s => new SectorReport(s.Id, SectorLabel.Of(s.Id), Math.Round(s.Workload, 4), s.Blocks, Math.Round(s.AreaKm2, 6),
            Math.Round(s.PolsbyPopper, 4), s.Contiguous)
        {
            TargetWorkload = Math.Round(s.TargetWorkload, 4),
            Units = sectorUnits is not null && s.Id >= 0 && s.Id < sectorUnits.Count ? sectorUnits[s.Id] : null,
        }).ToList(),
        r.Sectors.Count, blocks, Math.Round(r.Sectors.Sum(s => s.Workload), 4), Math.Round(r.MaxDeviationPct, 3), Math.Round(r.BalanceBoundPct, 3),
        r.Contiguous, Math.Round(r.MeanPolsbyPopper, 4), r.Seed,
        r.Churn is { } c ? new Churn(c.BlocksChanged, Math.Round(c.WorkloadSharePct, 3)) : null,
        r.Islands, r.Islands.Count > 0 ? IslandSentence : null, Math.Round(r.ElapsedMs, 1), staffing, weights, notes.ToList())
    {
        Objective = r.Objective is { } o ? SectorPlanning.NameOf(o) : null,
        Barriers = r.Barriers,
        Bound = r.Bound is { } lb ? lb with
        {
            BoundMinutes = Math.Round(lb.BoundMinutes, 1), PlanMinutes = Math.Round(lb.PlanMinutes, 1), GapPct = Math.Round(lb.GapPct, 3),
            TolerancePct = Math.Round(lb.TolerancePct, 3),
        } : null,
        Travel = Rounded(r.Travel),
        Polish = r.Polish is { } p ? p with
        {
            ObjectiveMinutes = p.ObjectiveMinutes is { } ov ? Math.Round(ov, 1) : null, BoundMinutes = p.BoundMinutes is { } b ? Math.Round(b, 1) : null,
            GapPct = p.GapPct is { } g ? Math.Round(g, 3) : null, HeuristicMinutes = Math.Round(p.HeuristicMinutes, 1), ElapsedMs = Math.Round(p.ElapsedMs, 1),
        } : null,
    };

    /// <summary>Minutes to 0.01, workload·min and km to 0.1, centres to 1e-7°.</summary>
    public static TravelFigures? Rounded(TravelFigures? t) => t is null ? null : t with
    {
        TotalWeightedMinutes = Math.Round(t.TotalWeightedMinutes, 1), MeanMinutes = Math.Round(t.MeanMinutes, 2),
        WorstMinutes = Math.Round(t.WorstMinutes, 2), TotalWeightedKm = t.TotalWeightedKm is { } km ? Math.Round(km, 1) : null,
        Sectors = t.Sectors.Select(s => s with
        {
            CentreLon = Math.Round(s.CentreLon, 7), CentreLat = Math.Round(s.CentreLat, 7), WeightedMinutes = Math.Round(s.WeightedMinutes, 1),
            MeanMinutes = Math.Round(s.MeanMinutes, 2), WorstMinutes = Math.Round(s.WorstMinutes, 2),
            WeightedKm = s.WeightedKm is { } k ? Math.Round(k, 1) : null,
        }).ToList(),
    };
}
