using BarrioSeguro.Geo.Core.Network;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>
/// A planning unit to be put in a sector (a block, or a reporting area): a unique id, its polygon (lon/lat, EPSG:4326)
/// and its workload (0 or more). A unit in several pieces (a MultiPolygon) is one unit: it neighbours every unit any of
/// its pieces shares an edge with, and its pieces always go to the same sector.
/// </summary>
public sealed record SectorUnit(string Id, Geometry Geometry, double Workload);

/// <summary>What to do with islands: blocks or groups of blocks that share no edge with the rest.</summary>
public enum IslandPolicy
{
    /// <summary>Join each island to the sector of its nearest block; the report names them as contiguous only by necessity.</summary>
    AttachToNearest,
    /// <summary>Each island becomes a sector of its own; these count among the k sectors.</summary>
    OwnSector,
    /// <summary>Refuse the partition and name the islands.</summary>
    Refuse,
}

/// <summary>Options of <see cref="Sectorizer.Partition"/>.</summary>
public sealed record PartitionOptions
{
    /// <summary>The number of sectors k (1 to the number of blocks).</summary>
    public int Sectors { get; init; }

    /// <summary>Seed of the random choices: the same blocks, options and seed give the same plan.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Wall-clock budget. The first attempt always runs to the end (so there is always a plan); further attempts
    /// (see <see cref="Attempts"/>) start only while time is left. When the budget cuts attempts, the report says so: on a
    /// slower machine the plan could then differ.
    /// </summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Independent attempts (different random seeds derived from <see cref="Seed"/>); the best plan wins.</summary>
    public int Attempts { get; init; } = 6;

    /// <summary>Points (lon/lat) to grow sector i from, in order, e.g. stations. Fewer than k: the rest are chosen.</summary>
    public IReadOnlyList<Point>? Seeds { get; init; }

    /// <summary>Blocks that must be in a given sector (block id → sector 0..k-1). The locked blocks of a sector must be connected.</summary>
    public IReadOnlyDictionary<string, int>? LockedBlocks { get; init; }

    /// <summary>Sectors of <see cref="PreviousPlan"/> to keep exactly as they are (their blocks are locked).</summary>
    public IReadOnlyList<int>? LockedSectors { get; init; }

    /// <summary>A previous plan (block id → sector) to stay close to; churn is reported against it.</summary>
    public IReadOnlyDictionary<string, int>? PreviousPlan { get; init; }

    /// <summary>How much staying with the previous plan matters against compactness (0 ignores it).</summary>
    public double StayCloseWeight { get; init; } = 1;

    /// <summary>What to do with islands.</summary>
    public IslandPolicy Islands { get; init; } = IslandPolicy.AttachToNearest;

    /// <summary>
    /// Balance tolerance: largest |workload − mean| / mean the plan may have. Within it, compactness decides; above it,
    /// balance comes first.
    /// </summary>
    public double TargetDeviation { get; init; } = 0.05;

    /// <summary>Adjacency: two blocks are neighbours when their boundaries run within this distance (metres, UTM) ...</summary>
    public double GapToleranceMeters { get; init; } = 0.5;

    /// <summary>... along at least this length (metres). Blocks touching only at a corner are not neighbours.</summary>
    public double MinSharedEdgeMeters { get; init; } = 0.5;

    /// <summary>What decides within the balance tolerance: the cut (default) or the response travel.</summary>
    public SectorObjective Objective { get; init; } = SectorObjective.Compactness;

    /// <summary>
    /// Centres fixed by the chief (lon/lat), for sectors 0, 1, ... in order: a comisaría, a serenazgo base, a point.
    /// Travel is measured from the point itself; the sector grows from the block under it (or the nearest). Fewer than
    /// k: the search chooses the other centres (a block of each sector).
    /// </summary>
    public IReadOnlyList<Point>? Centres { get; init; }

    /// <summary>The street graph of the patrol's mode: travel times on it. Null: straight line at <see cref="StraightLineKmh"/>.</summary>
    public StreetGraph? Streets { get; init; }

    /// <summary>Speed of straight-line travel when no streets are given (km/h; default 5, on foot).</summary>
    public double StraightLineKmh { get; init; } = 5;

    /// <summary>
    /// Response objective: how much a km of cut (boundary between sectors) counts, in workload·minutes. 0 (default):
    /// the cut only breaks ties between plans of equal travel.
    /// </summary>
    public double CompactnessWeight { get; init; }

    /// <summary>
    /// Capacity per sector (e.g. its patrol units: a sector staffed by two pairs takes twice the work of one with one
    /// pair): sector s's workload target is total × share_s / Σ shares, and the tolerance is relative to it. Null: equal.
    /// </summary>
    public IReadOnlyList<double>? SectorShares { get; init; }

    /// <summary>
    /// Response objective: seconds for an exact polish on OR-Tools' MIP solver (SCIP) after the heuristic (a p-median
    /// with balance and contiguity over the heuristic's centres); the report gives the bound and the gap. 0 (default): off.
    /// </summary>
    public double PolishSeconds { get; init; }

    /// <summary>
    /// Lines no sector may cross (main roads, rivers, rail): two blocks whose link runs across one are not neighbours,
    /// unless a part of the area would be cut off with too little work for a sector (then the link is kept and named).
    /// Null or empty (default): no barriers, the plan as without them.
    /// </summary>
    public IReadOnlyList<SectorBarrier>? Barriers { get; init; }

    /// <summary>Links (block indices i &lt; j) left out of the adjacency: those across barriers, for one part of the area.</summary>
    internal IReadOnlySet<(int, int)>? CutLinks { get; init; }
}

/// <summary>The figures of one sector. Areas and lengths in the UTM zone of the data.</summary>
/// <param name="Id">Sector number 0..k-1.</param>
/// <param name="Workload">Sum of the workloads of its blocks.</param>
/// <param name="Blocks">Number of blocks.</param>
/// <param name="AreaKm2">Area in km².</param>
/// <param name="PolsbyPopper">4πA/P² of the union of its blocks (1 for a circle).</param>
/// <param name="Contiguous">Its blocks are connected through shared edges (an island counts as joined to its nearest block).</param>
/// <param name="Geometry">The union of its blocks (lon/lat).</param>
public sealed record SectorFigures(int Id, double Workload, int Blocks, double AreaKm2, double PolsbyPopper, bool Contiguous, MultiPolygon Geometry)
{
    /// <summary>The workload the sector should carry: the mean, or its share of the total (<see cref="PartitionOptions.SectorShares"/>).</summary>
    public double TargetWorkload { get; init; }
}

/// <summary>Blocks that changed sector against a previous plan, and their share of the total workload.</summary>
public sealed record Churn(int BlocksChanged, double WorkloadSharePct);

/// <summary>The figures of a plan, computed the same way for a computed plan and a hand-drawn one.</summary>
/// <param name="Sectors">Per sector.</param>
/// <param name="MaxDeviationPct">Largest |workload − mean| / mean, in percent.</param>
/// <param name="BalanceBoundPct">The smallest largest deviation the blocks allow (a lower bound): a block, a locked set
/// or an island sector heavier than the mean cannot be split.</param>
/// <param name="Contiguous">Every sector is contiguous (islands aside, see <paramref name="Islands"/>).</param>
/// <param name="MeanPolsbyPopper">Mean Polsby-Popper over the sectors.</param>
/// <param name="Seed">The seed of the plan (0 for an evaluated plan).</param>
/// <param name="Churn">Against the previous plan, when one was given.</param>
/// <param name="Islands">Ids of blocks that share no edge with the main body of blocks: contiguous only by necessity.</param>
/// <param name="ElapsedMs">Wall time.</param>
/// <param name="Notes">Everything else worth telling, as codes with arguments (see notes.json).</param>
public sealed record PlanReport(
    IReadOnlyList<SectorFigures> Sectors, double MaxDeviationPct, double BalanceBoundPct, bool Contiguous, double MeanPolsbyPopper,
    int Seed, Churn? Churn, IReadOnlyList<string> Islands, double ElapsedMs, IReadOnlyList<Note> Notes)
{
    /// <summary>The response figures: travel from each sector's centre to its blocks.</summary>
    public TravelFigures? Travel { get; init; }

    /// <summary>The exact polish, when it ran.</summary>
    public PolishFigures? Polish { get; init; }

    /// <summary>The objective the plan was computed for (null for an evaluated plan).</summary>
    public SectorObjective? Objective { get; init; }

    /// <summary>What the barriers did (null without barriers).</summary>
    public BarrierFigures? Barriers { get; init; }

    /// <summary>Response plans: a lower bound of every plan's weighted travel and this plan's gap to it (null when the
    /// blocks are over <see cref="ResponseBound.MaxBlocks"/>, named in a note).</summary>
    public TravelBound? Bound { get; init; }
}

/// <summary>A plan: each block id with its sector 0..k-1, and the report.</summary>
public sealed record Plan(IReadOnlyDictionary<string, int> Assignment, PlanReport Report);
