using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Sectors;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>What a chief asks for. Null members take the documented defaults.</summary>
/// <param name="Sectors">Fix the number of sectors; else the contingent's staffing decides.</param>
/// <param name="ContingentId">The contingent; else the neighbourhood's first one.</param>
/// <param name="Weights">Workload terms over the block attributes incidents, frontage_m (or street_m) and area_m2; default incidents×1 + frontage_m×0.01.</param>
/// <param name="Locks">Block id → sector (0-based) that must stay.</param>
/// <param name="PreviousPlanId">A kept plan of the same neighbourhood to stay close to; churn is reported against it.</param>
/// <param name="Islands">attach (default), own or refuse.</param>
/// <param name="Objective">compactness (default) or response (least workload-weighted travel from each sector's centre).</param>
/// <param name="Mode">foot, bike, moto or car: travel on the stored streets of that mode; null: straight line at
/// <paramref name="StraightLineKmh"/> (default 5 km/h).</param>
/// <param name="CentreStationIds">Stations (comisarías) fixed as the centres of sectors 0, 1, ... in order.</param>
/// <param name="Centres">Points [lon, lat] fixed as centres, after the stations.</param>
/// <param name="CompactnessWeight">Response: workload·minutes one km of boundary counts (default 0: ties only).</param>
/// <param name="SectorUnits">Patrol units per sector (sector 0 first): the number of sectors, and each sector's workload
/// target is its share (two pairs take twice the work of one).</param>
/// <param name="PolishSeconds">Response: seconds (up to 60) for the exact polish on SCIP; the report gives bound and gap.</param>
/// <param name="BarrierClasses">Street classes (OSM highway: trunk, primary, ...) whose stored streets no sector may cross.</param>
/// <param name="Barriers">Lines no sector may cross: GeoJSON LineString or MultiLineString geometries (lon/lat), or
/// Features of them whose properties.name names them; at most <see cref="PlanEndpoints.MaxBarrierLines"/> lines and
/// <see cref="SectorBarrier.MaxVertices"/> vertices in all.</param>
public sealed record PlanRequest(
    int? Sectors = null, int? ContingentId = null, IReadOnlyList<WorkloadTerm>? Weights = null, int Seed = 1, double? TimeBudgetSeconds = null,
    IReadOnlyDictionary<string, int>? Locks = null, int? PreviousPlanId = null, string? Islands = null, string? Name = null, string? Author = null,
    string? Objective = null, string? Mode = null, IReadOnlyList<int>? CentreStationIds = null, IReadOnlyList<double[]>? Centres = null,
    double? StraightLineKmh = null, double? CompactnessWeight = null, IReadOnlyList<int>? SectorUnits = null, double? PolishSeconds = null,
    IReadOnlyList<string>? BarrierClasses = null, IReadOnlyList<System.Text.Json.JsonElement>? Barriers = null);

/// <summary>Patrol sector plans: computed for a neighbourhood and its contingent, kept with what reproduces them, compared.</summary>
public static class PlanEndpoints
{
    /// <summary>Most barrier lines one request may give.</summary>
    public const int MaxBarrierLines = 1000;

    public static IEndpointRouteBuilder MapPlans(this IEndpointRouteBuilder app)
    {
        var n = app.MapGroup("/api/neighborhoods").WithTags("Sector plans");
        n.MapPost("/{id:int}/plans", Create).MayRefuse()
            .WithSummary("Computes and keeps a sector plan: {\"sectors\": 4} or the contingent's staffing decides; weights, seed, locks, previousPlanId, islands (attach|own|refuse), timeBudgetSeconds; objective (compactness|response), mode (foot|bike|moto|car: travel on the streets), centreStationIds, centres [[lon,lat]], straightLineKmh, compactnessWeight, sectorUnits (units per sector), polishSeconds; barrierClasses (street classes no sector crosses), barriers (GeoJSON lines).");
        n.MapGet("/{id:int}/plans", List).WithSummary("The kept plans of a neighbourhood, newest first.");
        var p = app.MapGroup("/api/plans").WithTags("Sector plans");
        p.MapGet("/{planId:int}", Get).ReadsKeptReports()
            .WithSummary("A plan: parameters, data version, report (balance %, contiguity, Polsby-Popper, churn, staffing).");
        p.MapGet("/{planId:int}/sectors", Sectors).WithSummary("The sectors of a plan as GeoJSON polygons (unions of their blocks) with their figures.");
        p.MapGet("/{planId:int}/blocks/{blockId}/why", Why).MayRefuse()
            .WithSummary("Why a block is in its sector: its sector's centre and the minutes from it, the next best sector, and what moving it would do to balance and travel (the plan's own mode, centres and weights).");
        p.MapGet("/compare", Compare).ReadsKeptReports()
            .WithSummary("Two plans side by side (a, b), with the blocks and share of workload that changed sector.");
        app.MapGet("/api/contingents/{id:int}/staffing", Staffing).WithTags("Contingents").MayRefuse()
            .WithSummary("How many sectors the contingent can staff per shift, and the arithmetic in sentences.");
        return app;
    }

    /// <summary>A kept plan; <see cref="Parameters"/> and <see cref="Report"/> only when one plan is asked for.</summary>
    public sealed record PlanView(
        int Id, int NeighborhoodId, int NeighborhoodVersion, int? ContingentId, string Name, string Author, DateTimeOffset CreatedAt,
        int Sectors, int Seed, string DataVersion, double MaxDeviationPct, double MeanPolsbyPopper, bool Contiguous,
        SectorPlanParameters? Parameters = null, SectorPlanReport? Report = null)
    {
        /// <summary>lifecycle: made on street data older than the current (a newer import since); null when not asked.</summary>
        public bool? Stale { get; init; }
        /// <summary>The version of the street dataset the plan was made on (null: before imports were versioned).</summary>
        public int? DatasetVersion { get; init; }
        /// <summary>The version of the street dataset current for the neighbourhood.</summary>
        public int? CurrentVersion { get; init; }
        public DateTimeOffset? DeletedAt { get; init; }
        public string? DeletedBy { get; init; }
    }

    /// <summary>Two plans side by side.</summary>
    public sealed record PlanComparison(PlanView A, PlanView B, int CommonBlocks, int BlocksChanged, double BlocksChangedPct, bool SameData, string Note);

    /// <summary>Core's refusals (an impossible sector count, an unknown weight attribute, no block to plan) are the global
    /// 422 of <see cref="ApiErrors"/>; only a contingent that cannot be staffed is said here, as the contingent's fault.</summary>
    public static async Task<Results<Created<PlanView>, NotFoundProblem, UnprocessableProblem>> Create(
        int id, PlanRequest request, EditContext edit, PlanStore plans, CancellationToken ct)
    {
        var n = await plans.NeighborhoodAsync(id, ct);
        if (n is null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        var contingent = await plans.ContingentOfAsync(id, request.ContingentId, ct);
        if (request.ContingentId is not null && contingent is null) return Problems.NotFound(Note.Of("api.neighborhood_no_contingent", ("id", id), ("contingent", request.ContingentId)));
        Staffing? staffing = null;
        try
        {
            if (contingent is not null) staffing = SectorPlanning.Staff(SectorPlanning.PlanOf(contingent), request.Sectors ?? request.SectorUnits?.Count);
        }
        catch (ArgumentException e)
        {
            return Because(reason => Note.Of("api.cannot_staff", ("reason", reason)), e);
        }
        IReadOnlyDictionary<string, int>? previous = null;
        if (request.PreviousPlanId is { } pid && (previous = await plans.AssignmentAsync(id, pid, ct)) is null)
            return Problems.NotFound(Note.Of("api.neighborhood_no_plan", ("id", id), ("plan", pid)));

        var budget = Math.Clamp(request.TimeBudgetSeconds ?? 2, 0.1, 60);
        var objective = SectorPlanning.ObjectiveOf(request.Objective);
        var centres = new List<NetTopologySuite.Geometries.Point>();
        var centreNames = new List<string?>();
        if (request.CentreStationIds is { Count: > 0 } stationIds)
        {
            var (found, missing) = await plans.StationsAsync(stationIds, ct);
            if (missing.Count > 0) return Problems.NotFound(Note.Of("api.no_station", ("stations", missing.Select(m => m.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
            centres.AddRange(found.Select(s => s.Location));
            centreNames.AddRange(found.Select(s => (string?)s.Name));
        }
        foreach (var (c, i) in (request.Centres ?? []).Select((c, i) => (c, i)))
        {
            if (c is not { Length: 2 } || !double.IsFinite(c[0]) || !double.IsFinite(c[1]) || Math.Abs(c[0]) > 180 || Math.Abs(c[1]) > 90)
                return Problems.Unprocessable("No plan", Note.Of("api.centre_not_lonlat", ("index", i)));
            centres.Add(new NetTopologySuite.Geometries.Point(c[0], c[1]) { SRID = 4326 });
        }
        var speed = request.StraightLineKmh ?? 5;
        if (!(speed > 0) || speed > 200) return Problems.Unprocessable("No plan", Note.Of("api.speed_range", ("kmh", speed)));
        if (request.PolishSeconds is { } ps && !(ps >= 0 && ps <= 60))
            return Problems.Unprocessable("No plan", Note.Of("api.polish_range", ("seconds", ps)));
        if (request.CompactnessWeight is { } cw && !(cw >= 0 && double.IsFinite(cw)))
            return Problems.Unprocessable("No plan", Note.Of("api.compactness_range", ("weight", cw)));
        var (barriers, barrierProblem) = BarriersOf(request.Barriers);
        if (barrierProblem is not null) return barrierProblem;
        if (request.BarrierClasses is { } classes)
        {
            if (classes.Count == 0 || classes.Any(string.IsNullOrWhiteSpace))
                return Problems.Unprocessable("No plan", Note.Of("api.barrier_classes_empty"));
            try { (barriers ??= []).AddRange(SectorBarrier.FromStreets(await plans.StreetsAsync(n, ct), classes)); }
            catch (ArgumentException e) { return Because(reason => Note.Of("api.barrier_classes_refused", ("reason", reason)), e); }
        }
        StreetGraph? streets = null;
        if (request.Mode is { } modeText) streets = await plans.StreetGraphAsync(n, TravelModes.Parse(modeText), ct);
        var planning = new SectorPlanRequest
        {
            Sectors = request.Sectors, Staffing = staffing, ContingentId = contingent?.Id, Weights = request.Weights, Seed = request.Seed,
            TimeBudget = TimeSpan.FromSeconds(budget), Islands = SectorPlanning.IslandsOf(request.Islands), Locks = request.Locks, Previous = previous,
            Objective = objective, Centres = centres.Count > 0 ? centres : null, Streets = streets, StraightLineKmh = speed,
            CompactnessWeight = request.CompactnessWeight ?? 0, SectorUnits = request.SectorUnits,
            PolishSeconds = objective == SectorObjective.Response ? request.PolishSeconds ?? 0 : 0,
            Barriers = barriers,
        };
        var k = SectorPlanning.SectorsOf(planning);
        var outcome = SectorPlanning.Plan(await plans.UnitsAsync(n, ct), planning, ct: ct);
        outcome = outcome with
        {
            Report = outcome.Report with
            {
                Parameters = new SectorPlanParameters
                {
                    Command = "plan", Seed = request.Seed, K = k, Weights = outcome.Weights, Islands = SectorPlanning.NameOf(planning.Islands),
                    TolerancePct = planning.TolerancePct, BudgetSeconds = budget, Attempts = outcome.Attempts, Locks = request.Locks,
                    PreviousPlanId = request.PreviousPlanId,
                    Objective = SectorPlanning.NameOf(objective),
                    SectorUnits = request.SectorUnits,
                    PolishSeconds = planning.PolishSeconds > 0 ? planning.PolishSeconds : null,
                    Mode = streets?.Mode.Name(),
                    StraightLineKmh = streets is null ? speed : null,
                    CompactnessWeight = objective == SectorObjective.Response ? planning.CompactnessWeight : null,
                    Centres = centres.Count > 0 ? centres.Select(p => new[] { p.X, p.Y }).ToList() : null,
                    CentreNames = centreNames.Count > 0 ? centreNames.Concat(Enumerable.Repeat<string?>(null, centres.Count - centreNames.Count)).ToList() : null,
                    BarrierClasses = request.BarrierClasses,
                    BarrierLines = request.Barriers is { Count: > 0 } given ? given.Count : null,
                },
            },
        };
        var name = string.IsNullOrWhiteSpace(request.Name) ? $"{n.Name}: {k} sectores (semilla {request.Seed})" : request.Name.Trim();
        var kept = await plans.SaveAsync(n, contingent?.Id, name, edit.Author(request.Author).Trim(), outcome, ct);
        return TypedResults.Created($"/api/plans/{kept.Plan.Id}", View(kept));
    }

    /// <summary>
    /// A refusal of Core said inside one of the API's ("the contingent cannot be staffed: ..."), in the request's
    /// language; Core's own code and arguments go in "reason" when it refused with a note.
    /// </summary>
    private static UnprocessableProblem Because(Func<string, Note> ours, ArgumentException e) =>
        Problems.Unprocessable("No plan", ours((e is RefusalException r ? r.Reason.ToString() : ApiErrors.Reason(e)).TrimEnd('.')),
            e is RefusalException refusal ? new Dictionary<string, object?> { ["reason"] = new Dictionary<string, object?> { ["code"] = refusal.Reason.Code, ["args"] = refusal.Reason.Args } } : null);

    /// <summary>The kept plans, each saying whether it was made on older street data; ?deleted=true: the deleted ones (admins).</summary>
    public static async Task<Results<Ok<List<PlanView>>, NotFoundProblem, LifecycleForbidden>> List(
        int id, bool? deleted, HttpContext http, PlanStore plans, Data.Lifecycle.LifecycleStore life, CancellationToken ct)
    {
        if (deleted == true)
        {
            if (http.User.RoleOf() != Data.Accounts.Role.Admin) return new LifecycleForbidden(Note.Of("lifecycle.deleted_admins"));
            if (await life.AnyNeighborhoodAsync(id, ct) is null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
            return TypedResults.Ok((await plans.ListDeletedAsync(id, ct))
                .Select(p => View(new KeptPlan(p, null, null)) with { DeletedAt = p.DeletedAt, DeletedBy = p.DeletedBy }).ToList());
        }
        var n = await plans.NeighborhoodAsync(id, ct);
        if (n is null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        var list = await plans.ListAsync(id, ct);
        var state = await life.DataStatesAsync(n, list, ct);
        return TypedResults.Ok(list.Select(p => WithState(View(new KeptPlan(p, null, null)), state(p))).ToList());
    }

    /// <summary>A plan with its ETag (a kept plan never changes: "1") and whether it was made on older data.</summary>
    public static async Task<Results<Ok<PlanView>, NotFoundProblem>> Get(int planId, HttpResponse response, PlanStore plans, Data.Lifecycle.LifecycleStore life, CancellationToken ct)
    {
        if (await plans.GetAsync(planId, ct) is not { } plan) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var n = (await plans.NeighborhoodAsync(plan.Plan.NeighborhoodId, ct))!;
        response.Headers.ETag = $"\"{Data.Lifecycle.LifecycleStore.PlanVersion}\"";
        return TypedResults.Ok(WithState(View(plan), (await life.DataStatesAsync(n, [plan.Plan], ct))(plan.Plan)));
    }

    private static PlanView WithState(PlanView view, Data.Lifecycle.PlanDataState s) =>
        view with { Stale = s.Stale, DatasetVersion = s.DatasetVersion, CurrentVersion = s.CurrentVersion };

    public static async Task<Results<GeoJsonFeatureCollection, NotFoundProblem>> Sectors(int planId, PlanStore plans, CancellationToken ct)
    {
        if (!await plans.ExistsAsync(planId, ct)) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var features = SectorFeatures(await plans.SectorsAsync(planId, ct));
        return GeoJson.FeatureCollection(features, features.Count, []);
    }

    /// <summary>The sectors as features, the same in GET .../sectors and in the plan's export.</summary>
    public static List<IFeature> SectorFeatures(IEnumerable<Core.Domain.PlanSector> sectors) =>
        sectors.Select(s => (IFeature)new Feature(s.Geometry, new AttributesTable
        {
            { "planId", s.PlanId }, { "sector", s.Sector }, { "label", SectorLabel.Of(s.Sector) }, { "workload", Math.Round(s.Workload, 3) },
            { "blocks", s.Blocks }, { "areaKm2", Math.Round(s.AreaKm2, 4) }, { "polsbyPopper", Math.Round(s.PolsbyPopper, 4) },
            { "contiguous", s.Contiguous },
        })).ToList();

    /// <summary>Core's refusals (a block the plan does not have, blocks changed since the plan) are the global 422.</summary>
    public static async Task<Results<Ok<WhyHereReport>, NotFoundProblem>> Why(int planId, string blockId, PlanStore plans, CancellationToken ct)
    {
        var kept = await plans.GetAsync(planId, ct);
        if (kept is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var assignment = PlanStore.AssignmentOf(kept.Plan);
        if (!assignment.ContainsKey(blockId)) return Problems.NotFound(Note.Of("api.plan_no_block", ("plan", planId), ("block", blockId)));
        var n = (await plans.NeighborhoodAsync(kept.Plan.NeighborhoodId, ct))!;
        var p = kept.Parameters;
        var streets = p?.Mode is { } mode ? await plans.StreetGraphAsync(n, TravelModes.Parse(mode), ct) : null;
        var options = new ExplainOptions
        {
            Streets = streets,
            StraightLineKmh = p?.StraightLineKmh ?? 5,
            Centres = p?.Centres?.Select(c => new NetTopologySuite.Geometries.Point(c[0], c[1]) { SRID = 4326 }).ToList(),
            SectorShares = p?.SectorUnits?.Select(u => (double)u).ToList(),
            TolerancePct = p?.TolerancePct ?? 5,
            Barriers = kept.Report?.Barriers?.Paths?.Select(b => b.ToBarrier()).ToList(),
            KeptLinks = kept.Report?.Barriers?.Kept,
        };
        var weights = p?.Weights is { Count: > 0 } w ? w : null;
        return TypedResults.Ok(SectorPlanning.WhyHere(await plans.UnitsAsync(n, ct), assignment, blockId, weights, options));
    }

    public static async Task<Results<Ok<PlanComparison>, NotFoundProblem, BadRequestProblem>> Compare(int a, int b, PlanStore plans, CancellationToken ct)
    {
        var pa = await plans.GetAsync(a, ct);
        var pb = await plans.GetAsync(b, ct);
        if (pa is null || pb is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", (pa is null ? a : b))));
        if (pa.Plan.NeighborhoodId != pb.Plan.NeighborhoodId)
            return Problems.BadRequest("Different neighbourhoods", Note.Of("api.plans_apart", ("a", a), ("b", b)));
        var sa = PlanStore.AssignmentOf(pa.Plan);
        var sb = PlanStore.AssignmentOf(pb.Plan);
        var common = sa.Keys.Intersect(sb.Keys).ToList();
        var changed = common.Count(id => sa[id] != sb[id]);
        return TypedResults.Ok(new PlanComparison(View(pa), View(pb), common.Count, changed,
            common.Count == 0 ? 0 : Math.Round(100.0 * changed / common.Count, 2), pa.Plan.DataVersion == pb.Plan.DataVersion,
            "Sectors are compared by number: a plan numbered differently shows more change than there is."));
    }

    /// <summary>A contingent that cannot be staffed is Core's refusal: the global 422 of <see cref="ApiErrors"/>.</summary>
    public static async Task<Results<Ok<StaffingReport>, NotFoundProblem>> Staffing(int id, PlanStore plans, CancellationToken ct)
    {
        var c = await plans.ContingentAsync(id, ct);
        if (c is null) return Problems.NotFound(Note.Of("api.no_contingent", ("contingent", id)));
        return TypedResults.Ok(StaffingReport.From(SectorPlanning.Staff(SectorPlanning.PlanOf(c)), c.Id));
    }

    /// <summary>The request's barrier lines, or the 422 that names the member and the limit.</summary>
    private static (List<SectorBarrier>? Barriers, UnprocessableProblem? Problem) BarriersOf(IReadOnlyList<System.Text.Json.JsonElement>? given)
    {
        if (given is null || given.Count == 0) return (null, null);
        if (given.Count > MaxBarrierLines)
            return (null, Problems.Unprocessable("No plan", Note.Of("api.barriers_too_many", ("lines", given.Count), ("limit", MaxBarrierLines))));
        var result = new List<SectorBarrier>();
        var vertices = 0;
        for (var i = 0; i < given.Count; i++)
        {
            var element = given[i];
            string? name = null;
            NetTopologySuite.Geometries.Geometry? line = null;
            try
            {
                if (element.ValueKind == System.Text.Json.JsonValueKind.Object && element.TryGetProperty("type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String)
                {
                    if (type.GetString() == "Feature")
                    {
                        if (element.TryGetProperty("properties", out var props) && props.ValueKind == System.Text.Json.JsonValueKind.Object
                            && props.TryGetProperty("name", out var nm) && nm.ValueKind == System.Text.Json.JsonValueKind.String) name = nm.GetString();
                        if (element.TryGetProperty("geometry", out var g) && g.ValueKind == System.Text.Json.JsonValueKind.Object)
                            line = System.Text.Json.JsonSerializer.Deserialize<NetTopologySuite.Geometries.Geometry>(g.GetRawText(), GeoJson.Options);
                    }
                    else line = System.Text.Json.JsonSerializer.Deserialize<NetTopologySuite.Geometries.Geometry>(element.GetRawText(), GeoJson.Options);
                }
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
            {
                line = null;
            }
            if (line is not (NetTopologySuite.Geometries.LineString or NetTopologySuite.Geometries.MultiLineString) || line.IsEmpty)
                return (null, Problems.Unprocessable("No plan", Note.Of("api.barrier_not_line", ("index", i))));
            if (line.Coordinates.Any(c => !double.IsFinite(c.X) || !double.IsFinite(c.Y) || Math.Abs(c.X) > 180 || Math.Abs(c.Y) > 90))
                return (null, Problems.Unprocessable("No plan", Note.Of("api.barrier_outside_degrees", ("index", i))));
            if (line.NumPoints > Core.Spatial.InputLimits.VerticesPerGeometry)
                return (null, Problems.Unprocessable("No plan", Note.Of("api.barrier_vertices", ("index", i), ("vertices", line.NumPoints), ("limit", Core.Spatial.InputLimits.VerticesPerGeometry))));
            vertices += line.NumPoints;
            if (vertices > SectorBarrier.MaxVertices)
                return (null, Problems.Unprocessable("No plan", Note.Of("api.barriers_vertices", ("limit", SectorBarrier.MaxVertices), ("index", i))));
            line.SRID = 4326;
            result.Add(new SectorBarrier(string.IsNullOrWhiteSpace(name) ? $"barriers[{i}]" : name.Trim(), line));
        }
        return (result, null);
    }

    private static PlanView View(KeptPlan kept)
    {
        var p = kept.Plan;
        return new PlanView(p.Id, p.NeighborhoodId, p.NeighborhoodVersion, p.ContingentId, p.Name, p.Author, p.CreatedAt, p.Sectors, p.Seed, p.DataVersion,
            Math.Round(p.MaxDeviationPct, 2), Math.Round(p.MeanPolsbyPopper, 4), p.Contiguous, kept.Parameters, kept.Report);
    }
}
