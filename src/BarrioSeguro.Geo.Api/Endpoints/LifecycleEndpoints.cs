using System.Reflection;
using System.Text.Json;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using BarrioSeguro.Geo.Data.Lifecycle;
using BarrioSeguro.Geo.Data.Sectors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// The whole life of the data (issue 13.5): neighbourhoods, kept plans and imports are deleted (kept with who and
/// when, hidden from lists and collections) and restored, with If-Match like every change; imports are versions of
/// a dataset with what changed between them; a plan made on older data is recomputed on the current data.
/// </summary>
public static class LifecycleEndpoints
{
    public static IEndpointRouteBuilder MapLifecycle(this IEndpointRouteBuilder app)
    {
        var n = app.MapGroup("/api/neighborhoods").WithTags("Lifecycle");
        n.MapGet("/", Neighborhoods).WithSummary("The neighbourhoods (id, name, district, status, version); ?deleted=true: the deleted ones with who deleted them and when (admins).");
        n.MapDelete("/{id:int}", DeleteNeighborhood).Produces<LifecycleView>()
            .WithSummary("Deletes a neighbourhood with its plans (kept, hidden; restore brings both back). If-Match names its current version (missing: 428, stale: 412).");
        n.MapPost("/{id:int}/restore", RestoreNeighborhood).Produces<LifecycleView>()
            .WithSummary("Restores a deleted neighbourhood as it was, with the plans deleted with it. If-Match names its version.");
        var p = app.MapGroup("/api/plans").WithTags("Lifecycle");
        p.MapDelete("/{planId:int}", DeletePlan).Produces<LifecycleView>().WithSummary("Deletes a kept plan (kept, hidden, restorable). If-Match: \"1\" (a kept plan never changes).");
        p.MapPost("/{planId:int}/restore", RestorePlan).Produces<LifecycleView>().WithSummary("Restores a deleted plan (its neighbourhood must not be deleted). If-Match: \"1\".");
        p.MapPost("/{planId:int}/recompute", Recompute).MayRefuse().ReadsKeptReports()
            .WithSummary("Computes the plan again with the same parameters (sectors, seed, weights, objective, mode, centres, barriers) on the current data, kept as a new plan.");
        var i = app.MapGroup("/api/imports").WithTags("Lifecycle");
        i.MapGet("/", Imports).WithSummary("The imports (dataset versions), newest first: collection, district, source file, features, who, when, version; collection=, district=; deleted=true: the deleted ones (admins).");
        i.MapGet("/{id:int}", Import).Produces<ImportView>().WithSummary("One import; its ETag is its version number.");
        i.MapGet("/{id:int}/diff", Diff).WithSummary("What changed from the version an import replaced: features added, removed, renamed and with another geometry, matched by osm_id (else by geometry and name).");
        i.MapDelete("/{id:int}", DeleteImport).Produces<LifecycleView>()
            .WithSummary("Deletes the newest version of a dataset (streets, stations): its features go and the version it replaced is current again. If-Match names its version.");
        i.MapPost("/{id:int}/restore", RestoreImport).Produces<LifecycleView>()
            .WithSummary("Restores a deleted import as the current version again (when none was loaded since). If-Match names its version.");
        return app;
    }

    /// <summary>What a delete or restore did.</summary>
    /// <param name="Plans">Plans deleted or restored with a neighbourhood.</param>
    /// <param name="Features">Features removed and put back by an import's delete or restore.</param>
    /// <param name="CurrentImportId">The import current for the dataset afterwards.</param>
    public sealed record LifecycleView(string Kind, int Id, int Version, bool Deleted, DateTimeOffset? DeletedAt, string? DeletedBy,
        int? Plans = null, int? Features = null, int? CurrentImportId = null);

    public sealed record NeighborhoodItem(int Id, string Name, string? DistrictUbigeo, string Status, int Version,
        DateTimeOffset? DeletedAt = null, string? DeletedBy = null);

    /// <summary>An import: one version of a dataset (a collection in a district).</summary>
    public sealed record ImportView(int Id, string Collection, string? DistrictUbigeo, string SourceName, int FeatureCount,
        string? ImportedBy, DateTimeOffset LoadedAt, int Version, int? ReplacesId, bool Current, DateTimeOffset? DeletedAt, string? DeletedBy);

    // ---- neighbourhoods -------------------------------------------------------------------------------------------

    public static async Task<Results<Ok<List<NeighborhoodItem>>, LifecycleForbidden>> Neighborhoods(
        bool? deleted, HttpContext http, BarrioDbContext db, CancellationToken ct)
    {
        var user = http.User;
        if (deleted == true)
        {
            if (user.RoleOf() != Role.Admin) return new LifecycleForbidden(Note.Of("lifecycle.deleted_admins"));
            return TypedResults.Ok(await db.Neighborhoods.IgnoreQueryFilters().AsNoTracking().Where(x => x.DeletedAt != null)
                .OrderByDescending(x => x.DeletedAt).ThenBy(x => x.Id)
                .Select(x => new NeighborhoodItem(x.Id, x.Name, x.DistrictUbigeo, x.Status.ToString(), x.Version, x.DeletedAt, x.DeletedBy)).ToListAsync(ct));
        }
        var districts = user.DistrictsOf();
        var q = db.Neighborhoods.AsNoTracking();
        if (districts.Count > 0) q = q.Where(x => x.DistrictUbigeo != null && districts.Contains(x.DistrictUbigeo));
        return TypedResults.Ok(await q.OrderBy(x => x.Name)
            .Select(x => new NeighborhoodItem(x.Id, x.Name, x.DistrictUbigeo, x.Status.ToString(), x.Version, null, null)).ToListAsync(ct));
    }

    public static async Task<IResult> DeleteNeighborhood(int id, EditContext edit, LifecycleStore store, CancellationToken ct)
    {
        var n = await store.AnyNeighborhoodAsync(id, ct);
        if (n is null || n.DeletedAt is not null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        if (Precondition(edit, n.Version) is { } refused) return refused;
        var result = await store.DeleteNeighborhoodAsync(id, edit.IfMatch!.Value, edit.Author(), ct);
        return await Answer(result, "neighborhood", id, () => store.AnyNeighborhoodAsync(id, ct).ContinueWith(t => (t.Result?.DeletedAt, t.Result?.DeletedBy), ct),
            edit.IfMatch.Value, Note.Of("api.no_neighborhood", ("id", id)), Note.Of("lifecycle.neighborhood_not_deleted", ("id", id)));
    }

    public static async Task<IResult> RestoreNeighborhood(int id, EditContext edit, LifecycleStore store, CancellationToken ct)
    {
        var n = await store.AnyNeighborhoodAsync(id, ct);
        if (n is null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        if (n.DeletedAt is null) return new LifecycleConflict("Not deleted", Note.Of("lifecycle.neighborhood_not_deleted", ("id", id)));
        if (Precondition(edit, n.Version) is { } refused) return refused;
        var result = await store.RestoreNeighborhoodAsync(id, edit.IfMatch!.Value, ct);
        return await Answer(result, "neighborhood", id, () => Task.FromResult<(DateTimeOffset?, string?)>((null, null)),
            edit.IfMatch.Value, Note.Of("api.no_neighborhood", ("id", id)), Note.Of("lifecycle.neighborhood_not_deleted", ("id", id)));
    }

    // ---- plans ----------------------------------------------------------------------------------------------------

    public static async Task<IResult> DeletePlan(int planId, EditContext edit, LifecycleStore store, CancellationToken ct)
    {
        var p = await store.AnyPlanAsync(planId, ct);
        if (p is null || p.DeletedAt is not null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        if (Precondition(edit, LifecycleStore.PlanVersion) is { } refused) return refused;
        var result = await store.DeletePlanAsync(planId, edit.IfMatch!.Value, edit.Author(), ct);
        return await Answer(result, "plan", planId, () => store.AnyPlanAsync(planId, ct).ContinueWith(t => (t.Result?.DeletedAt, t.Result?.DeletedBy), ct),
            edit.IfMatch.Value, Note.Of("api.no_plan", ("plan", planId)), Note.Of("lifecycle.plan_not_deleted", ("plan", planId)));
    }

    public static async Task<IResult> RestorePlan(int planId, EditContext edit, LifecycleStore store, CancellationToken ct)
    {
        var p = await store.AnyPlanAsync(planId, ct);
        if (p is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        if (p.DeletedAt is null) return new LifecycleConflict("Not deleted", Note.Of("lifecycle.plan_not_deleted", ("plan", planId)));
        if (Precondition(edit, LifecycleStore.PlanVersion) is { } refused) return refused;
        var result = await store.RestorePlanAsync(planId, edit.IfMatch!.Value, ct);
        if (result.Outcome == LifecycleOutcome.NeighborhoodDeleted)
            return new LifecycleConflict("Neighbourhood deleted", Note.Of("lifecycle.plan_neighborhood_deleted", ("plan", planId), ("id", p.NeighborhoodId)));
        return await Answer(result, "plan", planId, () => Task.FromResult<(DateTimeOffset?, string?)>((null, null)),
            edit.IfMatch.Value, Note.Of("api.no_plan", ("plan", planId)), Note.Of("lifecycle.plan_not_deleted", ("plan", planId)));
    }

    /// <summary>
    /// The plan again with its own parameters on the data current now, as a new kept plan (what was asked is read from
    /// the plan's parameters; a painted plan has moves, not parameters, to repeat and is refused).
    /// </summary>
    public static async Task<Results<Created<PlanEndpoints.PlanView>, NotFoundProblem, UnprocessableProblem>> Recompute(
        int planId, EditContext edit, PlanStore plans, LifecycleStore life, CancellationToken ct)
    {
        var kept = await plans.GetAsync(planId, ct);
        if (kept is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var p = kept.Parameters;
        if (p is null || p.Command != "plan")
            return Problems.Unprocessable("No plan", Note.Of("lifecycle.recompute_not_computed", ("plan", planId)));
        var previous = p.PreviousPlanId is { } prev && await plans.ExistsAsync(prev, ct) ? p.PreviousPlanId : null;
        var lines = p.BarrierLines is > 0 && kept.Report?.Barriers?.Paths is { Count: > 0 } paths
            ? paths.Select(b => JsonSerializer.SerializeToElement(new
            {
                type = "Feature", properties = new { name = b.Name },
                geometry = new { type = "MultiLineString", coordinates = b.Lines },
            })).ToList()
            : null;
        var request = new PlanRequest(
            Sectors: p.SectorUnits is null ? p.K : null, ContingentId: kept.Plan.ContingentId, Weights: p.Weights.Count > 0 ? p.Weights : null,
            Seed: p.Seed, TimeBudgetSeconds: p.BudgetSeconds, Locks: p.Locks, PreviousPlanId: previous, Islands: p.Islands,
            Objective: p.Objective, Mode: p.Mode, Centres: p.Centres, StraightLineKmh: p.StraightLineKmh, CompactnessWeight: p.CompactnessWeight,
            SectorUnits: p.SectorUnits, PolishSeconds: p.PolishSeconds, BarrierClasses: lines is null ? p.BarrierClasses : null, Barriers: lines);
        if (kept.Plan.ContingentId is { } cid && await plans.ContingentOfAsync(kept.Plan.NeighborhoodId, cid, ct) is null)
            request = request with { ContingentId = null }; // the contingent was deleted since: the neighbourhood's first one
        var created = await PlanEndpoints.Create(kept.Plan.NeighborhoodId, request, edit, plans, ct);
        if (created.Result is Created<PlanEndpoints.PlanView> { Value: { } view } ok)
        {
            var n = (await plans.NeighborhoodAsync(view.NeighborhoodId, ct))!;
            var plan = (await plans.GetAsync(view.Id, ct))!;
            var state = (await life.DataStatesAsync(n, [plan.Plan], ct))(plan.Plan);
            return TypedResults.Created(ok.Location, view with { Stale = state.Stale, DatasetVersion = state.DatasetVersion, CurrentVersion = state.CurrentVersion });
        }
        return created;
    }

    // ---- imports --------------------------------------------------------------------------------------------------

    public static async Task<Results<Ok<List<ImportView>>, LifecycleForbidden>> Imports(
        string? collection, string? district, bool? deleted, HttpContext http, LifecycleStore store, BarrioDbContext db, CancellationToken ct)
    {
        if (deleted == true && http.User.RoleOf() != Role.Admin) return new LifecycleForbidden(Note.Of("lifecycle.deleted_admins"));
        var list = await store.ImportsAsync(collection, district, deleted == true, ct);
        var districts = http.User.DistrictsOf();
        if (districts.Count > 0) list = list.Where(d => d.DistrictUbigeo is { } u && http.User.Covers(u)).ToList();
        var current = await CurrentIdsAsync(db, ct);
        return TypedResults.Ok(list.Select(d => View(d, current)).ToList());
    }

    public static async Task<IResult> Import(int id, HttpContext http, LifecycleStore store, BarrioDbContext db, CancellationToken ct)
    {
        var d = await store.AnyImportAsync(id, ct);
        if (d is null || d.DeletedAt is not null && http.User.RoleOf() != Role.Admin) return Problems.NotFound(Note.Of("lifecycle.no_import", ("id", id)));
        http.Response.Headers.ETag = $"\"{d.Version}\"";
        return TypedResults.Ok(View(d, await CurrentIdsAsync(db, ct)));
    }

    public static async Task<Results<Ok<ImportDiff>, NotFoundProblem>> Diff(int id, LifecycleStore store, CancellationToken ct) =>
        await store.DiffAsync(id, ct) is { } diff ? TypedResults.Ok(diff) : Problems.NotFound(Note.Of("lifecycle.no_import", ("id", id)));

    public static async Task<IResult> DeleteImport(int id, EditContext edit, LifecycleStore store, CancellationToken ct)
    {
        var d = await store.AnyImportAsync(id, ct);
        if (d is null || d.DeletedAt is not null) return Problems.NotFound(Note.Of("lifecycle.no_import", ("id", id)));
        if (Precondition(edit, d.Version) is { } refused) return refused;
        var result = await store.DeleteImportAsync(id, edit.IfMatch!.Value, edit.Author(), ct);
        return await ImportAnswer(result, d, edit.IfMatch.Value, store, ct);
    }

    public static async Task<IResult> RestoreImport(int id, EditContext edit, LifecycleStore store, CancellationToken ct)
    {
        var d = await store.AnyImportAsync(id, ct);
        if (d is null) return Problems.NotFound(Note.Of("lifecycle.no_import", ("id", id)));
        if (d.DeletedAt is null) return new LifecycleConflict("Not deleted", Note.Of("lifecycle.import_not_deleted", ("id", id)));
        if (Precondition(edit, d.Version) is { } refused) return refused;
        var result = await store.RestoreImportAsync(id, edit.IfMatch!.Value, ct);
        return await ImportAnswer(result, d, edit.IfMatch.Value, store, ct);
    }

    private static async Task<IResult> ImportAnswer(LifecycleResult result, Dataset d, int asked, LifecycleStore store, CancellationToken ct) =>
        result.Outcome switch
        {
            LifecycleOutcome.NotVersioned => new LifecycleConflict("Not kept in versions", Note.Of("lifecycle.import_not_versioned", ("id", d.Id), ("collection", d.Collection))),
            LifecycleOutcome.NotCurrent => new LifecycleConflict("Not current", Note.Of("lifecycle.import_not_current", ("id", d.Id), ("current", (object?)result.CurrentImportId ?? "—"))),
            _ => await Answer(result, "import", d.Id, () => store.AnyImportAsync(d.Id, ct).ContinueWith(t => (t.Result?.DeletedAt, t.Result?.DeletedBy), ct),
                asked, Note.Of("lifecycle.no_import", ("id", d.Id)), Note.Of("lifecycle.import_not_deleted", ("id", d.Id))),
        };

    private static async Task<HashSet<int>> CurrentIdsAsync(BarrioDbContext db, CancellationToken ct) =>
        (await db.Datasets.AsNoTracking().GroupBy(d => new { d.Collection, d.DistrictUbigeo })
            .Select(g => g.OrderByDescending(d => d.Version).Select(d => d.Id).First()).ToListAsync(ct)).ToHashSet();

    private static ImportView View(Dataset d, HashSet<int> current) => new(d.Id, d.Collection, d.DistrictUbigeo, d.Name, d.FeatureCount,
        d.ImportedBy, d.LoadedAt, d.Version, d.ReplacesId, current.Contains(d.Id), d.DeletedAt, d.DeletedBy);

    // ---- shared ---------------------------------------------------------------------------------------------------

    /// <summary>428 without If-Match; 412 when it names no version (the store refuses another version than the
    /// current one, in its transaction, and says who changed it last).</summary>
    private static IResult? Precondition(EditContext edit, int current)
    {
        if (!edit.IfMatchGiven) return Problems.VersionRequired(Note.Of("lifecycle.if_match_send", ("version", current)));
        return edit.UnusableIfMatch();
    }

    private static async Task<IResult> Answer(LifecycleResult result, string kind, int id, Func<Task<(DateTimeOffset? At, string? By)>> deleted,
        int asked, Note notFound, Note notDeleted)
    {
        switch (result.Outcome)
        {
            case LifecycleOutcome.Done:
                var (at, by) = await deleted();
                return new Tagged(TypedResults.Ok(new LifecycleView(kind, id, result.Version, at is not null, at, by,
                    kind == "neighborhood" ? result.Plans : null, kind == "import" ? result.Features : null,
                    kind == "import" ? result.CurrentImportId : null)), result.Version);
            case LifecycleOutcome.Stale:
                return Stale(result, asked);
            case LifecycleOutcome.NotDeleted:
                return new LifecycleConflict("Not deleted", notDeleted);
            default:
                return Problems.NotFound(notFound);
        }
    }

    /// <summary>412 with the current ETag (header and member), and who changed it last when known.</summary>
    private static IResult Stale(LifecycleResult r, int asked) => new Tagged(new LifecyclePreconditionFailed(
        r.ChangedBy is { } who
            ? Note.Of("lifecycle.stale_by", ("asked", asked), ("current", r.Version), ("who", who))
            : Note.Of("lifecycle.stale", ("asked", asked), ("current", r.Version)),
        new Dictionary<string, object?>
        {
            ["currentVersion"] = r.Version, ["currentETag"] = $"\"{r.Version}\"", ["changedBy"] = r.ChangedBy, ["changedAt"] = r.ChangedAt,
        }), r.Version);

    private sealed class Tagged(IResult inner, int version) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version}\"";
            return inner.ExecuteAsync(http);
        }
    }
}

/// <summary>409 whose detail is a note (a restore of something not deleted, an import that is not current).</summary>
public sealed class LifecycleConflict(string title, Note reason) : ProblemResult(StatusCodes.Status409Conflict, title, reason, null), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status409Conflict);
}

/// <summary>412 whose detail is a note: If-Match names another version than the current one.</summary>
public sealed class LifecyclePreconditionFailed(Note reason, IDictionary<string, object?> extensions)
    : ProblemResult(StatusCodes.Status412PreconditionFailed, "Precondition failed", reason, extensions), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status412PreconditionFailed);
}

/// <summary>403 whose detail is a note: the deleted lists are the admins'.</summary>
public sealed class LifecycleForbidden(Note reason) : ProblemResult(StatusCodes.Status403Forbidden, "Not allowed", reason, null), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status403Forbidden);
}
