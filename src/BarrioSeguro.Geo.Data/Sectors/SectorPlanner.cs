using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Data.Blocks;
using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>What a chief asks for. Null members take the documented defaults.</summary>
/// <param name="Sectors">Fix the number of sectors; else the contingent's staffing decides.</param>
/// <param name="ContingentId">The contingent; else the neighbourhood's first one.</param>
/// <param name="Weights">Workload terms over the block attributes incidents, street_m and area_m2; default incidents×1 + street_m×0.01.</param>
/// <param name="Locks">Block id → sector (0-based) that must stay.</param>
/// <param name="PreviousPlanId">A kept plan of the same neighbourhood to stay close to; churn is reported against it.</param>
/// <param name="Islands">attach (default), own or refuse.</param>
public sealed record PlanRequest(
    int? Sectors = null, int? ContingentId = null, IReadOnlyList<WorkloadTerm>? Weights = null, int Seed = 1, double? TimeBudgetSeconds = null,
    IReadOnlyDictionary<string, int>? Locks = null, int? PreviousPlanId = null, string? Islands = null, string? Name = null, string? Author = null);

/// <summary>The kept plan, or why there is none (<see cref="NotFound"/> or a reason for the chief).</summary>
public sealed record PlanResult(SectorPlan? Plan, string? Error = null, bool NotFound = false);

/// <summary>
/// Computes and keeps sector plans: blocks from the stored streets of the neighbourhood, workload per block, the number
/// of sectors from the contingent, the partition, and everything needed to reproduce it.
/// </summary>
public sealed class SectorPlanner(BarrioDbContext db)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<PlanResult> CreateAsync(int neighborhoodId, PlanRequest request, CancellationToken ct)
    {
        var n = await db.Neighborhoods.AsNoTracking().FirstOrDefaultAsync(x => x.Id == neighborhoodId, ct);
        if (n is null) return new PlanResult(null, $"No neighbourhood {neighborhoodId}.", NotFound: true);

        var contingent = request.ContingentId is { } cid
            ? await db.Contingents.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cid && c.NeighborhoodId == neighborhoodId, ct)
            : await db.Contingents.AsNoTracking().Where(c => c.NeighborhoodId == neighborhoodId).OrderBy(c => c.Id).FirstOrDefaultAsync(ct);
        if (request.ContingentId is not null && contingent is null)
            return new PlanResult(null, $"Neighbourhood {neighborhoodId} has no contingent {request.ContingentId}.", NotFound: true);

        Staffing? staffing = null;
        try
        {
            if (contingent is not null) staffing = StaffingCalculator.Compute(PlanOf(contingent) with { FixedSectors = request.Sectors });
        }
        catch (ArgumentException e)
        {
            return new PlanResult(null, $"The contingent cannot be staffed: {e.Message}");
        }
        var k = request.Sectors ?? staffing?.SectorsPerShift;
        if (k is null) return new PlanResult(null, "Give the number of sectors, or a contingent for the neighbourhood.");

        IReadOnlyDictionary<string, int>? previous = null;
        if (request.PreviousPlanId is { } pid)
        {
            var prev = await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pid && p.NeighborhoodId == neighborhoodId, ct);
            if (prev is null) return new PlanResult(null, $"Neighbourhood {neighborhoodId} has no plan {pid}.", NotFound: true);
            previous = JsonSerializer.Deserialize<Dictionary<string, int>>(prev.AssignmentJson, Json);
        }

        Plan plan;
        IReadOnlyList<WorkloadTerm> terms = request.Weights ?? Workload.DefaultTerms;
        try
        {
            var blocks = (await new BlockStore(db).BuildAsync(n.Boundary, ct)).Blocks;
            var attributes = blocks.Select(b => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
            {
                ["incidents"] = b.Incidents, ["street_m"] = b.FrontageMeters, ["area_m2"] = b.AreaSquareMeters,
            }).ToList();
            var workload = Workload.Compute(attributes, terms);
            var units = blocks.Select((b, i) => new SectorUnit(b.Id, b.Geometry, workload[i])).ToList();
            plan = Sectorizer.Partition(units, new PartitionOptions
            {
                Sectors = k.Value,
                Seed = request.Seed,
                TimeBudget = TimeSpan.FromSeconds(Math.Clamp(request.TimeBudgetSeconds ?? 2, 0.1, 60)),
                LockedBlocks = request.Locks,
                PreviousPlan = previous,
                Islands = request.Islands?.ToLowerInvariant() switch
                {
                    null or "attach" => IslandPolicy.AttachToNearest,
                    "own" => IslandPolicy.OwnSector,
                    "refuse" => IslandPolicy.Refuse,
                    var other => throw new ArgumentException($"islands must be attach, own or refuse, not '{other}'."),
                },
            }, null, ct);
        }
        catch (ArgumentException e)
        {
            return new PlanResult(null, e.Message);
        }

        var report = plan.Report;
        var kept = new SectorPlan
        {
            NeighborhoodId = n.Id,
            NeighborhoodVersion = n.Version,
            ContingentId = contingent?.Id,
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{n.Name}: {k} sectores (semilla {request.Seed})" : request.Name.Trim(),
            Author = string.IsNullOrWhiteSpace(request.Author) ? "anonymous" : request.Author.Trim(),
            CreatedAt = DateTimeOffset.UtcNow,
            Sectors = k.Value,
            Seed = request.Seed,
            ParametersJson = JsonSerializer.Serialize(request with { Weights = terms }, Json),
            DataVersion = await DataVersionAsync(n, ct),
            AssignmentJson = JsonSerializer.Serialize(new SortedDictionary<string, int>(plan.Assignment.ToDictionary(), StringComparer.Ordinal), Json),
            ReportJson = JsonSerializer.Serialize(PlanReportView.From(report, staffing, terms), Json),
            MaxDeviationPct = report.MaxDeviationPct,
            MeanPolsbyPopper = report.MeanPolsbyPopper,
            Contiguous = report.Contiguous,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.SectorPlans.Add(kept);
        await db.SaveChangesAsync(ct);
        db.PlanSectors.AddRange(report.Sectors.Select(s => new PlanSector
        {
            PlanId = kept.Id, Sector = s.Id, Geometry = s.Geometry, Workload = s.Workload, Blocks = s.Blocks,
            AreaKm2 = s.AreaKm2, PolsbyPopper = s.PolsbyPopper, Contiguous = s.Contiguous,
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new PlanResult(kept);
    }

    /// <summary>The contingent as the staffing calculator sees it: equal shifts of 24 / shifts hours.</summary>
    public static ContingentPlan PlanOf(Contingent c)
    {
        var hours = 24.0 / Math.Max(c.Shifts, 1);
        var names = c.Shifts == 3 ? ["mañana", "tarde", "noche"] : c.Shifts == 2 ? new[] { "día", "noche" }
            : Enumerable.Range(1, Math.Max(c.Shifts, 1)).Select(i => $"turno {i}").ToArray();
        return new ContingentPlan(c.Officers, names.Select(name => new ShiftPlan(name, hours)).ToList(), c.Availability,
            new PatrolMode(c.Mode, c.CrewSize), c.JointUnits);
    }

    /// <summary>
    /// A fingerprint of what a plan was computed on: the neighbourhood's version and boundary and the checksums of the
    /// street and incident datasets. The same fingerprint and parameters give the same plan.
    /// </summary>
    public async Task<string> DataVersionAsync(Neighborhood n, CancellationToken ct)
    {
        var datasets = await db.Datasets.AsNoTracking().Where(d => d.Collection == "streets" || d.Collection == "incidents")
            .OrderBy(d => d.Collection).ThenBy(d => d.Sha256).Select(d => d.Collection + ":" + d.Sha256).ToListAsync(ct);
        var text = $"neighborhood:{n.Id}:v{n.Version}:{n.Boundary.AsText()}|{string.Join("|", datasets)}";
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}

/// <summary>A plan's report as kept and served: the figures of issue 4 in camelCase JSON, no geometry.</summary>
public sealed record PlanReportView(
    IReadOnlyList<PlanReportView.SectorView> Sectors, double MaxDeviationPct, double BalanceBoundPct, bool Contiguous, double MeanPolsbyPopper,
    int Seed, Churn? Churn, IReadOnlyList<string> Islands, double ElapsedMs, IReadOnlyList<string> Notes,
    IReadOnlyList<string> Staffing, IReadOnlyList<WorkloadTerm> Weights)
{
    public sealed record SectorView(int Id, double Workload, int Blocks, double AreaKm2, double PolsbyPopper, bool Contiguous);

    public static PlanReportView From(PlanReport r, Staffing? staffing, IReadOnlyList<WorkloadTerm> weights) => new(
        r.Sectors.Select(s => new SectorView(s.Id, Math.Round(s.Workload, 3), s.Blocks, Math.Round(s.AreaKm2, 4), Math.Round(s.PolsbyPopper, 4), s.Contiguous)).ToList(),
        Math.Round(r.MaxDeviationPct, 2), Math.Round(r.BalanceBoundPct, 2), r.Contiguous, Math.Round(r.MeanPolsbyPopper, 4), r.Seed, r.Churn,
        r.Islands, Math.Round(r.ElapsedMs, 1), r.Notes, staffing?.Explanation ?? [], weights);
}
