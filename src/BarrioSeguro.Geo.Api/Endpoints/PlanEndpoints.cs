using System.Text.Json;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Sectors;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>Patrol sector plans: computed for a neighbourhood and its contingent, kept with what reproduces them, compared.</summary>
public static class PlanEndpoints
{
    public static IEndpointRouteBuilder MapPlans(this IEndpointRouteBuilder app)
    {
        var n = app.MapGroup("/api/neighborhoods").WithTags("Sector plans");
        n.MapPost("/{id:int}/plans", Create)
            .WithSummary("Computes and keeps a sector plan: {\"sectors\": 4} or the contingent's staffing decides; weights, seed, locks, previousPlanId, islands (attach|own|refuse), timeBudgetSeconds.");
        n.MapGet("/{id:int}/plans", List).WithSummary("The kept plans of a neighbourhood, newest first.");
        var p = app.MapGroup("/api/plans").WithTags("Sector plans");
        p.MapGet("/{planId:int}", Get).WithSummary("A plan: parameters, data version, report (balance %, contiguity, Polsby-Popper, churn, staffing).");
        p.MapGet("/{planId:int}/sectors", Sectors).WithSummary("The sectors of a plan as GeoJSON polygons (unions of their blocks) with their figures.");
        p.MapGet("/compare", Compare).WithSummary("Two plans side by side (a, b), with the blocks and share of workload that changed sector.");
        app.MapGet("/api/contingents/{id:int}/staffing", Staffing).WithTags("Contingents")
            .WithSummary("How many sectors the contingent can staff per shift, and the arithmetic in sentences.");
        return app;
    }

    public sealed record PlanView(
        int Id, int NeighborhoodId, int NeighborhoodVersion, int? ContingentId, string Name, string Author, DateTimeOffset CreatedAt,
        int Sectors, int Seed, string DataVersion, double MaxDeviationPct, double MeanPolsbyPopper, bool Contiguous,
        JsonElement? Parameters = null, JsonElement? Report = null);

    public static async Task<IResult> Create(int id, PlanRequest request, HttpRequest http, SectorPlanner planner, CancellationToken ct)
    {
        var author = request.Author ?? (http.Headers["X-Barrio-User"].ToString() is { Length: > 0 } u ? u : null);
        var result = await planner.CreateAsync(id, request with { Author = author }, ct);
        if (result.NotFound) return Problems.NotFound(result.Error!);
        if (result.Plan is null)
            return TypedResults.Problem(result.Error, statusCode: StatusCodes.Status422UnprocessableEntity, title: "No plan");
        return TypedResults.Created($"/api/plans/{result.Plan.Id}", View(result.Plan, full: true));
    }

    public static async Task<IResult> List(int id, BarrioDbContext db, CancellationToken ct)
    {
        if (!await db.Neighborhoods.AnyAsync(n => n.Id == id, ct)) return Problems.NotFound($"No neighbourhood {id}.");
        var plans = await db.SectorPlans.AsNoTracking().Where(p => p.NeighborhoodId == id).OrderByDescending(p => p.Id).ToListAsync(ct);
        return TypedResults.Ok(plans.Select(p => View(p, full: false)).ToList());
    }

    public static async Task<IResult> Get(int planId, BarrioDbContext db, CancellationToken ct)
    {
        var plan = await db.SectorPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        return plan is null ? Problems.NotFound($"No plan {planId}.") : TypedResults.Ok(View(plan, full: true));
    }

    public static async Task<IResult> Sectors(int planId, BarrioDbContext db, CancellationToken ct)
    {
        if (!await db.SectorPlans.AnyAsync(p => p.Id == planId, ct)) return Problems.NotFound($"No plan {planId}.");
        var sectors = await db.PlanSectors.AsNoTracking().Where(s => s.PlanId == planId).OrderBy(s => s.Sector).ToListAsync(ct);
        var features = sectors.Select(s => (IFeature)new Feature(s.Geometry, new AttributesTable
        {
            { "planId", s.PlanId }, { "sector", s.Sector }, { "label", $"S{s.Sector + 1}" }, { "workload", Math.Round(s.Workload, 3) },
            { "blocks", s.Blocks }, { "areaKm2", Math.Round(s.AreaKm2, 4) }, { "polsbyPopper", Math.Round(s.PolsbyPopper, 4) },
            { "contiguous", s.Contiguous },
        })).ToList();
        return GeoJson.FeatureCollection(features, features.Count, []);
    }

    public static async Task<IResult> Compare(int a, int b, BarrioDbContext db, CancellationToken ct)
    {
        var plans = await db.SectorPlans.AsNoTracking().Where(p => p.Id == a || p.Id == b).ToListAsync(ct);
        var pa = plans.FirstOrDefault(p => p.Id == a);
        var pb = plans.FirstOrDefault(p => p.Id == b);
        if (pa is null || pb is null) return Problems.NotFound($"No plan {(pa is null ? a : b)}.");
        if (pa.NeighborhoodId != pb.NeighborhoodId)
            return Problems.BadRequest("Different neighbourhoods", $"Plans {a} and {b} belong to different neighbourhoods.");
        var sa = JsonSerializer.Deserialize<Dictionary<string, int>>(pa.AssignmentJson, SectorPlanner.Json)!;
        var sb = JsonSerializer.Deserialize<Dictionary<string, int>>(pb.AssignmentJson, SectorPlanner.Json)!;
        var common = sa.Keys.Intersect(sb.Keys).ToList();
        var changed = common.Count(id => sa[id] != sb[id]);
        return TypedResults.Ok(new
        {
            a = View(pa, full: true),
            b = View(pb, full: true),
            commonBlocks = common.Count,
            blocksChanged = changed,
            blocksChangedPct = common.Count == 0 ? 0 : Math.Round(100.0 * changed / common.Count, 2),
            sameData = pa.DataVersion == pb.DataVersion,
            note = "Sectors are compared by number: a plan numbered differently shows more change than there is.",
        });
    }

    public static async Task<IResult> Staffing(int id, BarrioDbContext db, CancellationToken ct)
    {
        var c = await db.Contingents.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Problems.NotFound($"No contingent {id}.");
        try
        {
            var s = StaffingCalculator.Compute(SectorPlanner.PlanOf(c));
            return TypedResults.Ok(new
            {
                contingentId = c.Id,
                sectorsPerShift = s.SectorsPerShift,
                perShift = s.PerShift.Select(p => new { shift = p.Shift, officersOnDuty = p.OfficersOnDuty, units = p.Units }),
                explanation = s.Explanation,
            });
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Cannot staff");
        }
    }

    private static PlanView View(SectorPlan p, bool full) => new(
        p.Id, p.NeighborhoodId, p.NeighborhoodVersion, p.ContingentId, p.Name, p.Author, p.CreatedAt, p.Sectors, p.Seed, p.DataVersion,
        Math.Round(p.MaxDeviationPct, 2), Math.Round(p.MeanPolsbyPopper, 4), p.Contiguous,
        full ? JsonDocument.Parse(p.ParametersJson).RootElement.Clone() : null,
        full ? JsonDocument.Parse(p.ReportJson).RootElement.Clone() : null);
}
