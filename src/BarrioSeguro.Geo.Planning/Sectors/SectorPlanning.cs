using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Planning.Blocks;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Planning.Sectors;

/// <summary>
/// A planning unit as loaded (a block of a file or of the stored streets, a reporting area): a unique id, a polygon or
/// multipolygon in lon/lat and the attributes its workload is computed from.
/// </summary>
public sealed record PlanningUnit(string Id, Geometry Geometry, IReadOnlyDictionary<string, object?> Attributes)
{
    public static PlanningUnit Of(Block b) => new(b.Id, b.Geometry, BlockPlanning.Attributes(b));
}

/// <summary>What a plan is asked for. <see cref="Sectors"/> or <see cref="Staffing"/> gives the number of sectors.</summary>
public sealed record SectorPlanRequest
{
    /// <summary>The number of sectors fixed by the chief; else the staffing's sectors per shift.</summary>
    public int? Sectors { get; init; }
    public Staffing? Staffing { get; init; }
    public int? ContingentId { get; init; }
    /// <summary>Workload terms; null: <see cref="SectorPlanning.DefaultWeights"/>.</summary>
    public IReadOnlyList<WorkloadTerm>? Weights { get; init; }
    public int Seed { get; init; } = 1;
    public double TolerancePct { get; init; } = 5;
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(2);
    public IslandPolicy Islands { get; init; } = IslandPolicy.AttachToNearest;
    public IReadOnlyDictionary<string, int>? Locks { get; init; }
    public IReadOnlyDictionary<string, int>? Previous { get; init; }
    /// <summary>What decides within the tolerance: compactness (default) or response travel.</summary>
    public SectorObjective Objective { get; init; } = SectorObjective.Compactness;
    /// <summary>Centres fixed by the chief (lon/lat) for sectors 0, 1, ...: comisarías, bases, points.</summary>
    public IReadOnlyList<Point>? Centres { get; init; }
    /// <summary>The street graph of the patrol mode for travel times; null: straight line at <see cref="StraightLineKmh"/>.</summary>
    public Core.Network.StreetGraph? Streets { get; init; }
    public double StraightLineKmh { get; init; } = 5;
    /// <summary>Response objective: workload·minutes one km of cut counts (0: the cut breaks ties only).</summary>
    public double CompactnessWeight { get; init; }
    /// <summary>Patrol units staffing each sector (sector 0 first): a sector of two pairs takes twice the work of one
    /// pair. Gives the number of sectors when <see cref="Sectors"/> is null.</summary>
    public IReadOnlyList<int>? SectorUnits { get; init; }
    /// <summary>Response: seconds for the exact polish on SCIP (0: off).</summary>
    public double PolishSeconds { get; init; }
    /// <summary>Lines no sector may cross (from a file, or streets of the chosen classes); null: none.</summary>
    public IReadOnlyList<SectorBarrier>? Barriers { get; init; }
}

/// <summary>An edited plan, its report and what it was measured with.</summary>
public sealed record SectorEditOutcome(PlanEdit Edit, SectorPlanReport Report, IReadOnlyList<SectorUnit> Units, IReadOnlyList<WorkloadTerm> Weights);

/// <summary>A computed plan, its report and what it used.</summary>
public sealed record SectorPlanOutcome(Plan Plan, SectorPlanReport Report, IReadOnlyList<SectorUnit> Units, IReadOnlyList<WorkloadTerm> Weights, int Attempts);

/// <summary>Plan sectors over loaded units: workload, the number of sectors, the partition and its report.</summary>
public static class SectorPlanning
{
    /// <summary>The staffing of a contingent; a number of sectors fixed by the chief says which shifts fall short.</summary>
    /// <exception cref="ArgumentException">A contingent that cannot be staffed (StaffingCalculator's reason).</exception>
    public static Staffing Staff(ContingentPlan contingent, int? fixedSectors = null) =>
        StaffingCalculator.Compute(fixedSectors is null ? contingent : contingent with { FixedSectors = fixedSectors });

    /// <summary>
    /// The contingent of the service as the staffing calculator sees it: equal shifts of 24 / shifts hours named from
    /// the one shift table (<see cref="Shifts.Equal"/>).
    /// </summary>
    public static ContingentPlan PlanOf(Contingent c) =>
        new(c.Officers, Shifts.Equal(c.Shifts), c.Availability, new PatrolMode(c.Mode, c.CrewSize), c.JointUnits);

    /// <summary>
    /// The default workload: incidents × 1 when the units have them, plus street frontage × 0.01 per metre
    /// (<c>frontage_m</c>, or <c>street_m</c>): 100 m of frontage count like one incident.
    /// </summary>
    /// <exception cref="ArgumentException">The units have none of these attributes.</exception>
    public static IReadOnlyList<WorkloadTerm> DefaultWeights(IEnumerable<string> attributeNames)
    {
        var known = new HashSet<string>(attributeNames, StringComparer.OrdinalIgnoreCase);
        var terms = new List<WorkloadTerm>();
        if (known.Contains(BlockPlanning.Incidents)) terms.Add(new WorkloadTerm(BlockPlanning.Incidents, 1));
        if (known.Contains(BlockPlanning.FrontageM)) terms.Add(new WorkloadTerm(BlockPlanning.FrontageM, 0.01));
        else if (known.Contains(BlockPlanning.FrontageAlias)) terms.Add(new WorkloadTerm(BlockPlanning.FrontageAlias, 0.01));
        if (terms.Count == 0)
            throw new RefusalException(known.Count == 0
                ? Note.Of("workload.no_default_none")
                : Note.Of("workload.no_default", ("known", known.Order(StringComparer.OrdinalIgnoreCase).ToList())));
        return terms;
    }

    /// <summary>The terms as given, <c>street_m</c> read as <c>frontage_m</c> when the units have only the latter.</summary>
    public static IReadOnlyList<WorkloadTerm> Resolve(IReadOnlyList<WorkloadTerm> terms, IEnumerable<string> attributeNames)
    {
        var known = new HashSet<string>(attributeNames, StringComparer.OrdinalIgnoreCase);
        return terms.Select(t => string.Equals(t.Attribute, BlockPlanning.FrontageAlias, StringComparison.OrdinalIgnoreCase)
                                 && !known.Contains(BlockPlanning.FrontageAlias) && known.Contains(BlockPlanning.FrontageM)
            ? t with { Attribute = BlockPlanning.FrontageM } : t).ToList();
    }

    /// <summary>The units with their workload.</summary>
    /// <exception cref="ArgumentException">Workload.Compute's reasons (unknown attribute, negative weight, zero total).</exception>
    public static (IReadOnlyList<SectorUnit> Units, IReadOnlyList<WorkloadTerm> Weights) Weigh(IReadOnlyList<PlanningUnit> units, IReadOnlyList<WorkloadTerm>? weights)
    {
        var names = units.SelectMany(u => u.Attributes.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var terms = weights is null ? DefaultWeights(names) : Resolve(weights, names);
        var workload = Workload.Compute(units.Select(u => u.Attributes).ToList(), terms);
        return (units.Select((u, i) => new SectorUnit(u.Id, u.Geometry, workload[i])).ToList(), terms);
    }

    /// <summary>The number of sectors: the chief's, else what the staffing allows.</summary>
    /// <exception cref="ArgumentException">Neither given, or a staffing that staffs no sector.</exception>
    public static int SectorsOf(SectorPlanRequest request)
    {
        if (request.SectorUnits is { Count: > 0 } units)
        {
            if (request.Sectors is { } fixedK && fixedK != units.Count)
                throw new RefusalException(Note.Of("sectors.refused_units_count", ("given", units.Count), ("sectors", fixedK)));
            if (units.Any(u => u < 1)) throw new RefusalException(Note.Of("sectors.refused_units_zero"));
            return units.Count;
        }
        if (request.Sectors is { } k) return k;
        if (request.Staffing is null) throw new RefusalException(Note.Of("sectors.refused_no_count"));
        if (request.Staffing.SectorsPerShift < 1) throw new RefusalException(Note.Of("sectors.refused_unstaffed"));
        return request.Staffing.SectorsPerShift;
    }

    /// <summary>Partitions the units into sectors and reports on the plan.</summary>
    /// <param name="notes">Notes of the caller (how the units were read), put before the plan's own.</param>
    /// <exception cref="ArgumentException">Bad weights, more sectors than units, refused islands, bad locks (Sectorizer's reasons).</exception>
    public static SectorPlanOutcome Plan(
        IReadOnlyList<PlanningUnit> units, SectorPlanRequest request, IEnumerable<Note>? notes = null,
        IProgress<double>? progress = null, CancellationToken ct = default)
    {
        var k = SectorsOf(request);
        var (weighed, terms) = Weigh(units, request.Weights);
        var options = new PartitionOptions
        {
            Sectors = k,
            Seed = request.Seed,
            Islands = request.Islands,
            TargetDeviation = request.TolerancePct / 100,
            TimeBudget = request.TimeBudget,
            LockedBlocks = request.Locks,
            PreviousPlan = request.Previous,
            Objective = request.Objective,
            Centres = request.Centres,
            Streets = request.Streets,
            StraightLineKmh = request.StraightLineKmh,
            CompactnessWeight = request.CompactnessWeight,
            PolishSeconds = request.PolishSeconds,
            Barriers = request.Barriers,
            SectorShares = request.SectorUnits is { Count: > 0 } su ? su.Select(u => (double)u).ToList() : null,
        };
        var plan = Sectorizer.Partition(weighed, options, progress, ct);
        if (request.SectorUnits is { Count: > 0 } asked && request.Staffing is { PerShift.Count: > 0 } st)
        {
            var weakest = st.PerShift.MinBy(p => p.Units);
            if (asked.Sum() > weakest.Units) notes = (notes ?? []).Append(Notes.UnitsShort(asked.Sum(), weakest.Shift, weakest.Units));
        }
        var staffing = request.Staffing is null ? null : StaffingReport.From(request.Staffing, request.ContingentId);
        var report = SectorPlanReport.From(plan.Report, weighed.Count, staffing, terms, (notes ?? []).Concat(plan.Report.Notes), request.SectorUnits);
        return new SectorPlanOutcome(plan, report, weighed, terms, options.Attempts);
    }

    /// <summary>Why a block is in its sector, for a plan over these units (the same weights as the plan's).</summary>
    /// <exception cref="ArgumentException">An unknown block, a plan that misses blocks, unknown weights.</exception>
    public static WhyHereReport WhyHere(
        IReadOnlyList<PlanningUnit> units, IReadOnlyDictionary<string, int> assignment, string blockId, IReadOnlyList<WorkloadTerm>? weights,
        ExplainOptions options)
    {
        var (weighed, terms) = Weigh(units, weights);
        return WhyHereReport.From(Core.Sectors.WhyHere.Explain(weighed, assignment, blockId, options), terms);
    }

    /// <summary>
    /// A kept plan painted by hand: the moves applied (refused when they split or empty a sector or touch a lock), the
    /// result measured with the parent's weights, travel and targets, churn against the parent.
    /// </summary>
    /// <exception cref="RefusalException">PlanEdits' refusals (codes sectors.move_*, sectors.lock_unknown).</exception>
    /// <exception cref="ArgumentException">Unknown weights, a parent plan that no longer fits the blocks.</exception>
    public static SectorEditOutcome Edit(
        IReadOnlyList<PlanningUnit> units, IReadOnlyDictionary<string, int> assignment, IReadOnlyDictionary<string, int> moves,
        PlanLocks? locks, IReadOnlyList<WorkloadTerm>? weights, EditOptions options, StaffingReport? staffing = null)
    {
        var (weighed, terms) = Weigh(units, weights);
        var edit = PlanEdits.Evaluate(weighed, assignment, moves, locks, options);
        var sectorUnits = options.SectorShares?.Select(s => (int)Math.Round(s)).ToList();
        var report = SectorPlanReport.From(edit.Report, weighed.Count, staffing, terms, edit.Report.Notes, sectorUnits);
        return new SectorEditOutcome(edit, report, weighed, terms);
    }

    /// <summary>What the viewer paints with: the blocks' figures and links, with the parent's weights, travel and targets.</summary>
    public static PaintBasis Basis(IReadOnlyList<PlanningUnit> units, IReadOnlyDictionary<string, int> assignment,
        IReadOnlyList<WorkloadTerm>? weights, EditOptions options) =>
        PlanEdits.Basis(Weigh(units, weights).Units, assignment, options);

    /// <summary>The notes of sector planning, one small method per kind.</summary>
    public static class Notes
    {
        /// <summary>A plan painted by hand from a kept plan: the blocks moved and their share of the workload.</summary>
        public static Note Edited(int planId, int blocks, double workloadPct) =>
            Note.Of("sectors.edited", ("plan", $"#{planId}"), ("blocks", blocks), ("pct", workloadPct));

        public static Note UnitsShort(int asked, string shift, int units) =>
            Note.Of("sectors.units_short", ("asked", asked), ("shift", shift), ("units", units));
    }

    /// <summary>"islands": attach (default), own or refuse.</summary>
    /// <exception cref="ArgumentException">Another word.</exception>
    public static IslandPolicy IslandsOf(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "attach" => IslandPolicy.AttachToNearest,
        "own" => IslandPolicy.OwnSector,
        "refuse" => IslandPolicy.Refuse,
        _ => throw new RefusalException(Note.Of("sectors.refused_islands_word", ("value", text ?? ""))),
    };

    /// <summary>"objective": compactness (default; also "compact") or response.</summary>
    /// <exception cref="ArgumentException">Another word.</exception>
    public static SectorObjective ObjectiveOf(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "compactness" or "compact" => SectorObjective.Compactness,
        "response" => SectorObjective.Response,
        _ => throw new RefusalException(Note.Of("sectors.refused_objective_word", ("value", text ?? ""))),
    };

    public static string NameOf(SectorObjective objective) => objective == SectorObjective.Response ? "response" : "compactness";

    public static string NameOf(IslandPolicy policy) => policy switch
    {
        IslandPolicy.OwnSector => "own",
        IslandPolicy.Refuse => "refuse",
        _ => "attach",
    };
}
