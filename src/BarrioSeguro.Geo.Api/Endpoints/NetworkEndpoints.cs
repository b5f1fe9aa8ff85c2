using System.Text.Json;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.IO.Gpx;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>Coverage and patrol routes of a kept sector plan, computed on the street network and kept with the plan.</summary>
public static class NetworkEndpoints
{
    public static IEndpointRouteBuilder MapNetwork(this IEndpointRouteBuilder app)
    {
        var p = app.MapGroup("/api/plans").WithTags("Coverage and routes");
        p.MapPost("/{planId:int}/coverage", ComputeCoverage)
            .WithSummary("Coverage per shift of the contingent (units at the sector centres): {\"mode\": \"foot|bike|moto|car\", \"minutes\": 10}. Street km, blocks and incident weight covered, backup (two units), per sector.");
        p.MapGet("/{planId:int}/coverage", ListCoverage).WithSummary("The kept coverage computations of a plan.");
        p.MapPost("/{planId:int}/routes", ComputeRoutes)
            .WithSummary("One patrol route per sector for a shift: {\"mode\": \"foot\", \"shiftHours\": 8, \"shift\": \"mañana\", \"seed\": 1}. Every reachable street, hot-spot stops of 10-15 min at least every 2 h.");
        p.MapGet("/{planId:int}/routes", ListRoutes).WithSummary("The kept routes of a plan as GeoJSON: tracks and stops.");
        app.MapGet("/api/coverages/{id:int}/pieces", CoveragePieces).WithTags("Coverage and routes")
            .WithSummary("Covered, backup and uncovered street pieces of a coverage computation as GeoJSON.");
        app.MapGet("/api/routes/{id:int}/gpx", RouteGpx).WithTags("Coverage and routes").WithSummary("A route as a GPX 1.1 file.");
        return app;
    }

    public sealed record CoverageView(int Id, int PlanId, string Mode, double Minutes, string Shift, int Units, JsonElement Report);

    public sealed record RouteView(int Id, int PlanId, int Sector, string Shift, string Mode, int Seed, JsonElement Report);

    public static async Task<IResult> ComputeCoverage(int planId, CoverageRequest request, PlanNetwork network, CancellationToken ct)
    {
        try
        {
            var context = await network.LoadAsync(planId, request.Mode, ct);
            if (context is null) return Problems.NotFound($"No plan {planId}.");
            var rows = await network.CoverageAsync(context, request, ct);
            return TypedResults.Created($"/api/plans/{planId}/coverage", rows.Select(r => new CoverageView(
                r.Id, r.PlanId, r.Mode, r.Minutes, r.Shift, r.Units, JsonDocument.Parse(r.ReportJson).RootElement.Clone())).ToList());
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "No coverage");
        }
    }

    public static async Task<IResult> ListCoverage(int planId, BarrioDbContext db, CancellationToken ct)
    {
        if (!await db.SectorPlans.AnyAsync(p => p.Id == planId, ct)) return Problems.NotFound($"No plan {planId}.");
        var rows = await db.PlanCoverages.AsNoTracking().Where(c => c.PlanId == planId).OrderByDescending(c => c.Id)
            .Select(c => new { c.Id, c.PlanId, c.Mode, c.Minutes, c.Shift, c.Units, c.ReportJson }).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(r => new CoverageView(r.Id, r.PlanId, r.Mode, r.Minutes, r.Shift, r.Units,
            JsonDocument.Parse(r.ReportJson).RootElement.Clone())).ToList());
    }

    public static async Task<IResult> CoveragePieces(int id, BarrioDbContext db, CancellationToken ct)
    {
        var c = await db.PlanCoverages.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        if (c is null) return Problems.NotFound($"No coverage {id}.");
        var features = new List<IFeature>
        {
            new Feature(c.Covered, new AttributesTable { { "status", "covered" }, { "shift", c.Shift }, { "mode", c.Mode }, { "minutes", c.Minutes } }),
            new Feature(c.Backup, new AttributesTable { { "status", "backup" }, { "shift", c.Shift }, { "mode", c.Mode }, { "minutes", c.Minutes } }),
            new Feature(c.Uncovered, new AttributesTable { { "status", "uncovered" }, { "shift", c.Shift }, { "mode", c.Mode }, { "minutes", c.Minutes } }),
        };
        return GeoJson.FeatureCollection(features, features.Count, []);
    }

    public static async Task<IResult> ComputeRoutes(int planId, RouteRequest request, PlanNetwork network, CancellationToken ct)
    {
        try
        {
            var context = await network.LoadAsync(planId, request.Mode, ct);
            if (context is null) return Problems.NotFound($"No plan {planId}.");
            var (routes, notes) = await network.RoutesAsync(context, request, ct);
            if (routes.Count == 0)
                return TypedResults.Problem(string.Join(" ", notes), statusCode: StatusCodes.Status422UnprocessableEntity, title: "No route");
            var withGpx = routes.Select(r =>
            {
                using var gpx = new MemoryStream();
                GpxWriter.Write(gpx, r.Route.Route);
                return (r.Sector, r.Route, gpx.ToArray());
            }).ToList();
            var rows = await network.SaveRoutesAsync(context, request, withGpx, ct);
            return TypedResults.Created($"/api/plans/{planId}/routes", new
            {
                routes = rows.Select(r => new RouteView(r.Id, r.PlanId, r.Sector, r.Shift, r.Mode, r.Seed, JsonDocument.Parse(r.ReportJson).RootElement.Clone())),
                notes,
            });
        }
        catch (ArgumentException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status422UnprocessableEntity, title: "No route");
        }
    }

    public static async Task<IResult> ListRoutes(int planId, BarrioDbContext db, CancellationToken ct)
    {
        if (!await db.SectorPlans.AnyAsync(p => p.Id == planId, ct)) return Problems.NotFound($"No plan {planId}.");
        var rows = await db.PlanRoutes.AsNoTracking().Where(r => r.PlanId == planId).OrderBy(r => r.Shift).ThenBy(r => r.Sector)
            .Select(r => new { r.Id, r.Sector, r.Shift, r.Mode, r.Seed, r.Track, r.Stops, r.ReportJson }).ToListAsync(ct);
        var features = new List<IFeature>();
        foreach (var r in rows)
        {
            var report = JsonDocument.Parse(r.ReportJson).RootElement;
            features.Add(new Feature(r.Track, new AttributesTable
            {
                { "routeId", r.Id }, { "kind", "track" }, { "sector", r.Sector }, { "label", $"S{r.Sector + 1}" }, { "shift", r.Shift }, { "mode", r.Mode },
                { "seed", r.Seed }, { "lengthKm", report.GetProperty("lengthKm").GetDouble() }, { "durationMin", report.GetProperty("durationMin").GetDouble() },
                { "deadheadPct", report.GetProperty("deadheadPct").GetDouble() }, { "streetsCoveredPct", report.GetProperty("streetsCoveredPct").GetDouble() },
                { "gpx", $"/api/routes/{r.Id}/gpx" },
            }));
            for (var i = 0; i < r.Stops.NumGeometries; i++)
                features.Add(new Feature(r.Stops.GetGeometryN(i), new AttributesTable
                {
                    { "routeId", r.Id }, { "kind", "stop" }, { "sector", r.Sector }, { "shift", r.Shift }, { "stop", i + 1 },
                }));
        }
        return GeoJson.FeatureCollection(features, features.Count, []);
    }

    public static async Task<IResult> RouteGpx(int id, BarrioDbContext db, CancellationToken ct)
    {
        var r = await db.PlanRoutes.AsNoTracking().Where(x => x.Id == id).Select(x => new { x.Gpx, x.Sector, x.Shift }).FirstOrDefaultAsync(ct);
        return r is null
            ? Problems.NotFound($"No route {id}.")
            : TypedResults.File(r.Gpx, "application/gpx+xml", $"ruta_S{r.Sector + 1}_{r.Shift}.gpx");
    }
}
