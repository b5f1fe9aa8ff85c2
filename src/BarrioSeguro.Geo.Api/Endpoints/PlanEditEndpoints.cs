using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Sectors;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>Blocks painted into other sectors of a kept plan.</summary>
/// <param name="Moves">Block id → its new sector (0-based).</param>
/// <param name="Locks">Blocks and whole sectors that may not be painted.</param>
/// <param name="Name">edits: the new plan's name (default: the neighbourhood, its sectors and the parent plan).</param>
public sealed record PlanEditRequest(
    IReadOnlyDictionary<string, int>? Moves = null, PlanLocks? Locks = null, string? Name = null, string? Author = null);

/// <summary>
/// Painting sectors: the basis the viewer evaluates with, the service's evaluation of painted moves (one shape with a
/// kept plan's report) and keeping the painted plan as a new plan.
/// </summary>
public static class PlanEditEndpoints
{
    /// <summary>Most moves one request may give.</summary>
    public const int MaxMoves = 20_000;

    public static IEndpointRouteBuilder MapPlanEdits(this IEndpointRouteBuilder app)
    {
        var p = app.MapGroup("/api/plans").WithTags("Sector plans");
        p.MapGet("/{planId:int}/paint", Basis).MayRefuse().ReadsKeptReports()
            .WithSummary("What the viewer paints a plan with: its blocks (GeoJSON), each block's sector, workload, area, perimeter, UTM centroid and neighbours, and the plan's travel and targets.");
        p.MapPost("/{planId:int}/evaluate", Evaluate).MayRefuse().ReadsKeptReports()
            .WithSummary("The figures of a plan with blocks painted into other sectors: {\"moves\": {\"<blockId>\": sector}, \"locks\": {\"blocks\": [...], \"sectors\": [...]}}; a move that splits or empties a sector or touches a lock is a 422 with its code.");
        p.MapPost("/{planId:int}/edits", Keep).MayRefuse().ReadsKeptReports()
            .WithSummary("Keeps a plan painted from this one as a new plan (same body as evaluate, plus name): its parameters say which plan it was edited from and the moves.");
        return app;
    }

    /// <summary>The service's answer to painted moves.</summary>
    /// <param name="BlocksMoved">Blocks whose sector changed.</param>
    /// <param name="WorkloadMovedPct">Their share of the total workload.</param>
    /// <param name="Report">The figures, in the shape of a kept plan's report; churn is against the plan painted from.</param>
    public sealed record PlanEditView(int PlanId, int BlocksMoved, double WorkloadMovedPct, SectorPlanReport Report);

    /// <summary>The viewer's basis: <see cref="PaintBasis"/> with the plan's number of sectors, tolerance and measure.</summary>
    public sealed record PaintView(
        int PlanId, int K, double TolerancePct, string? Mode, bool TravelLocal, int Zone, double Scale, double SpeedMps,
        IReadOnlyList<double[]> Centres, IReadOnlyList<double>? Shares, IReadOnlyList<PaintBlock> Blocks, FeatureCollection Geometry);

    public static async Task<Results<JsonOk<PaintView>, NotFoundProblem>> Basis(int planId, PlanStore plans, CancellationToken ct)
    {
        var kept = await plans.GetAsync(planId, ct);
        if (kept is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var n = (await plans.NeighborhoodAsync(kept.Plan.NeighborhoodId, ct))!;
        var p = kept.Parameters;
        var units = await plans.UnitsAsync(n, ct);
        var assignment = PlanStore.AssignmentOf(kept.Plan);
        var options = Options(p, null);
        var basis = SectorPlanning.Basis(units, assignment, Weights(p), options);
        var geometry = new FeatureCollection();
        for (var i = 0; i < units.Count; i++)
            geometry.Add(new Feature(units[i].Geometry, new AttributesTable { { "id", units[i].Id }, { "index", i }, { "sector", basis.Blocks[i].Sector } }));
        return GeoJson.Ok(new PaintView(planId, kept.Plan.Sectors, p?.TolerancePct ?? 5, p?.Mode, p?.Mode is null, basis.Zone,
            basis.Scale, basis.SpeedMps, basis.Centres, basis.Shares, basis.Blocks, geometry));
    }

    /// <summary>Refusals of a move (split, emptied, locked, unknown) are Core's: the global 422 with code and args.</summary>
    public static async Task<Results<Ok<PlanEditView>, NotFoundProblem, UnprocessableProblem>> Evaluate(
        int planId, PlanEditRequest request, PlanStore plans, CancellationToken ct)
    {
        var (kept, outcome, problem) = await EditAsync(planId, request, plans, ct);
        if (problem is not null) return problem switch { NotFoundProblem nf => nf, UnprocessableProblem u => u, _ => throw new InvalidOperationException() };
        return TypedResults.Ok(View(planId, outcome!));
    }

    /// <summary>Keeps the painted plan: a new plan with the parent's seed and weights, the moves in its parameters, the
    /// current data fingerprint. Nothing moved is a 422 (there would be nothing new to keep).</summary>
    public static async Task<Results<Created<PlanEndpoints.PlanView>, NotFoundProblem, UnprocessableProblem>> Keep(
        int planId, PlanEditRequest request, EditContext edit, PlanStore plans, CancellationToken ct)
    {
        var (kept, outcome, problem) = await EditAsync(planId, request, plans, ct);
        if (problem is not null) return problem switch { NotFoundProblem nf => nf, UnprocessableProblem u => u, _ => throw new InvalidOperationException() };
        var moved = outcome!.Edit.Moved;
        if (moved.Count == 0) throw new Core.Notes.RefusalException(Core.Notes.Note.Of("sectors.edit_nothing", ("plan", $"#{planId}")), "moves");
        var parent = kept!.Plan;
        var p = kept.Parameters;
        var n = (await plans.NeighborhoodAsync(parent.NeighborhoodId, ct))!;
        var report = outcome.Report;
        var locked = request.Locks?.Blocks is { Count: > 0 } lb ? lb.Distinct().ToDictionary(b => b, b => outcome.Edit.Assignment[b]) : null;
        var churn = report.Churn!;
        report = report with
        {
            Seed = parent.Seed,
            Notes = [SectorPlanning.Notes.Edited(planId, churn.BlocksChanged, churn.WorkloadSharePct), .. report.Notes],
            Parameters = new SectorPlanParameters
            {
                Command = "edit", Seed = parent.Seed, K = report.K, Weights = outcome.Weights, Islands = p?.Islands, TolerancePct = p?.TolerancePct,
                EditedFromPlanId = planId, PreviousPlanId = planId,
                Moves = new SortedDictionary<string, int>(moved.ToDictionary(b => b, b => outcome.Edit.Assignment[b]), StringComparer.Ordinal),
                Locks = locked, LockedSectors = request.Locks?.Sectors is { Count: > 0 } ls ? ls.Distinct().Order().ToList() : null,
                Objective = p?.Objective, Mode = p?.Mode, StraightLineKmh = p?.Mode is null ? p?.StraightLineKmh ?? 5 : null,
                Centres = p?.Centres, SectorUnits = p?.SectorUnits,
            },
        };
        var name = string.IsNullOrWhiteSpace(request.Name)
            ? $"{n.Name}: {report.K} sectores, editado del plan #{planId}"
            : request.Name.Trim();
        var saved = await plans.SaveAsync(n, parent.ContingentId, name, edit.Author(request.Author).Trim(),
            new SectorPlanOutcome(new Plan(outcome.Edit.Assignment, outcome.Edit.Report), report, outcome.Units, outcome.Weights, 0), ct);
        var created = await plans.GetAsync(saved.Plan.Id, ct);
        return TypedResults.Created($"/api/plans/{saved.Plan.Id}", ViewOf(created!));
    }

    private static async Task<(KeptPlan? Kept, SectorEditOutcome? Outcome, IResult? Problem)> EditAsync(
        int planId, PlanEditRequest request, PlanStore plans, CancellationToken ct)
    {
        var kept = await plans.GetAsync(planId, ct);
        if (kept is null) return (null, null, Problems.NotFound(Note.Of("api.no_plan", ("plan", planId))));
        var moves = request.Moves ?? new Dictionary<string, int>();
        if (moves.Count > MaxMoves) return (null, null, Problems.Unprocessable("No plan", Note.Of("api.moves_too_many", ("moves", moves.Count), ("limit", MaxMoves))));
        var n = (await plans.NeighborhoodAsync(kept.Plan.NeighborhoodId, ct))!;
        var p = kept.Parameters;
        StreetGraph? streets = p?.Mode is { } mode ? await plans.StreetGraphAsync(n, TravelModes.Parse(mode), ct) : null;
        var outcome = SectorPlanning.Edit(await plans.UnitsAsync(n, ct), PlanStore.AssignmentOf(kept.Plan), moves, request.Locks, Weights(p),
            Options(p, streets), kept.Report?.Staffing);
        return (kept, outcome, null);
    }

    private static IReadOnlyList<WorkloadTerm>? Weights(SectorPlanParameters? p) => p?.Weights is { Count: > 0 } w ? w : null;

    private static EditOptions Options(SectorPlanParameters? p, StreetGraph? streets) => new()
    {
        Streets = streets,
        StraightLineKmh = p?.StraightLineKmh ?? 5,
        Centres = p?.Centres?.Select(c => new NetTopologySuite.Geometries.Point(c[0], c[1]) { SRID = 4326 }).ToList(),
        SectorShares = p?.SectorUnits?.Select(u => (double)u).ToList(),
    };

    private static PlanEndpoints.PlanView ViewOf(KeptPlan kept)
    {
        var p = kept.Plan;
        return new PlanEndpoints.PlanView(p.Id, p.NeighborhoodId, p.NeighborhoodVersion, p.ContingentId, p.Name, p.Author, p.CreatedAt, p.Sectors, p.Seed,
            p.DataVersion, Math.Round(p.MaxDeviationPct, 2), Math.Round(p.MeanPolsbyPopper, 4), p.Contiguous, kept.Parameters, kept.Report);
    }

    private static PlanEditView View(int planId, SectorEditOutcome outcome) =>
        new(planId, outcome.Report.Churn?.BlocksChanged ?? 0, outcome.Report.Churn?.WorkloadSharePct ?? 0, outcome.Report);
}
