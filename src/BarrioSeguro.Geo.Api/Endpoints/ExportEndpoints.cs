using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data.Blocks;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Blocks;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// A kept plan's layers as files, for desktop GIS and GPS units: the same features the viewer draws (GET .../sectors,
/// .../routes, /api/coverages/{id}/pieces, the neighbourhood's blocks with their sector), written by the collections'
/// export code (<see cref="FileExport"/>).
/// </summary>
public static class ExportEndpoints
{
    /// <summary>The layers of a plan, by the name the query takes.</summary>
    public static readonly IReadOnlyList<string> Layers = ["sectors", "blocks", "routes", "coverage"];

    private static readonly IReadOnlyList<FileExport.Format> PlanFormats =
        [FileExport.Shapefile, FileExport.GeoPackage, FileExport.GeoJsonFile, FileExport.Kml, FileExport.Csv, FileExport.FlatGeobuf];

    private static readonly IReadOnlyList<FileExport.Format> RouteFormats = [.. PlanFormats, FileExport.Gpx];

    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/plans/{planId:int}/export", PlanLayer).WithTags("Sector plans").MayRefuse().ReadsKeptReports().MayWarn()
            .Produces(StatusCodes.Status200OK, typeof(Stream), FileExport.ContentTypes[0], FileExport.ContentTypes[1..])
            .WithSummary("A layer of a kept plan as a file: layer=sectors (default) | blocks (each block with its sector) | routes (tracks and stops: the routes asked for, or ?day=N&shift=S[&mode=M] one calendar entry) | coverage (street pieces by status: ?coverage=ID, default the newest computation of each shift); format=shapefile (default) | geopackage | geojson | kml | csv | gpx (routes only); crs=EPSG:n (default: the plan's UTM zone for shapefile and geopackage, else EPSG:4326; GeoJSON, KML and GPX are always EPSG:4326). The file is named plan{id}_{layer}_epsg{code}.{ext}.");
        return app;
    }

    public static async Task<Results<FileContentHttpResult, BadRequestProblem, NotFoundProblem, UnprocessableProblem>> PlanLayer(
        int planId, PlanStore plans, RouteStore routes, CoverageStore coverages, BlockStore blocks, HttpResponse http, CancellationToken ct,
        string? layer = null, string? format = null, string? crs = null, int? day = null, string? shift = null, string? mode = null, int? coverage = null)
    {
        var name = (layer ?? "sectors").Trim().ToLowerInvariant();
        if (!Layers.Contains(name))
            return Problems.BadRequest("Unknown layer", Note.Of("api.unknown_layer", ("layer", layer ?? ""), ("layers", Layers)), FileExport.Parameter("layer"));
        var (chosen, badFormat) = FileExport.ParseFormat(format, name == "routes" ? RouteFormats : PlanFormats,
            (f, all) => Note.Of("export.gpx_layer_routes", ("format", f), ("formats", all)));
        if (badFormat is not null) return badFormat;
        var (target, badCrs) = FileExport.ParseCrs(crs, chosen!);
        if (badCrs is not null) return badCrs;
        if (name != "routes" && (day is not null || shift is not null || mode is not null))
            return Problems.BadRequest("Unknown parameter", Note.Of("api.route_parameters_need_routes"), FileExport.Parameter(day is not null ? "day" : shift is not null ? "shift" : "mode"));
        if (name != "coverage" && coverage is not null)
            return Problems.BadRequest("Unknown parameter", Note.Of("api.coverage_parameter_needs_coverage"), FileExport.Parameter("coverage"));

        var kept = await plans.GetAsync(planId, ct);
        if (kept is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        var baseName = $"plan{planId}_{name}";
        List<IFeature> features;
        switch (name)
        {
            case "sectors":
                features = PlanEndpoints.SectorFeatures(await plans.SectorsAsync(planId, ct));
                break;
            case "blocks":
                features = await BlockFeaturesAsync(kept, plans, blocks, ct);
                break;
            case "routes":
                var (list, problem) = await NetworkEndpoints.RoutesAskedAsync(planId, routes, ct, day, shift, mode);
                if (problem is not null) return problem;
                if (list!.Count == 0)
                    return Problems.NotFound(day is null
                        ? Note.Of("api.no_kept_routes", ("plan", planId))
                        : mode is null
                            ? Note.Of("api.no_kept_route_entry", ("plan", planId), ("day", day.Value), ("shift", shift ?? ""))
                            : Note.Of("api.no_kept_route_entry_mode", ("plan", planId), ("day", day.Value), ("shift", shift ?? ""), ("mode", mode)));
                features = NetworkEndpoints.RouteFeatures(list);
                if (day is { } d) baseName += $"_dia{d}_{Shifts.Code(shift!)}";
                break;
            default:
                var ids = new List<int>();
                if (coverage is { } cid)
                {
                    if (await coverages.GetAsync(cid, ct) is not { } row || row.PlanId != planId)
                        return Problems.NotFound(Note.Of("api.plan_no_coverage", ("plan", planId), ("coverage", cid)));
                    ids.Add(cid);
                }
                else ids.AddRange((await coverages.ListAsync(planId, ct)).GroupBy(c => c.Shift).Select(g => g.First().Id).OrderBy(i => i));
                if (ids.Count == 0)
                    return Problems.NotFound(Note.Of("api.no_kept_coverage", ("plan", planId)));
                features = [];
                foreach (var id in ids)
                    if (await coverages.PiecesAsync(id, ct) is { } pieces)
                        features.AddRange(NetworkEndpoints.CoverageFeatures(pieces, id).Where(f => f.Geometry is { IsEmpty: false }));
                if (coverage is { } one) baseName += $"_{one}";
                break;
        }
        if (features.Count == 0) return Problems.NotFound(Note.Of("api.layer_no_geometry", ("layer", name), ("plan", planId)));
        return await FileExport.SendAsync(features, baseName, chosen!, target, http, ct);
    }

    /// <summary>
    /// The neighbourhood's blocks as built now from the stored streets (as the plan was), each with the sector the plan
    /// gives it; blocks the plan does not name (the streets changed since) are left out.
    /// </summary>
    private static async Task<List<IFeature>> BlockFeaturesAsync(KeptPlan kept, PlanStore plans, BlockStore blocks, CancellationToken ct)
    {
        var n = (await plans.NeighborhoodAsync(kept.Plan.NeighborhoodId, ct))!;
        var assignment = PlanStore.AssignmentOf(kept.Plan);
        var features = new List<IFeature>();
        foreach (var b in (await blocks.BuildAsync(n.Boundary, ct)).Blocks)
        {
            if (!assignment.TryGetValue(b.Id, out var sector)) continue;
            var a = new AttributesTable { { "planId", kept.Plan.Id }, { "sector", sector }, { "label", SectorLabel.Of(sector) } };
            // The attribute names and rounding of `barrio blocks` files, so a block weighs the same in either.
            foreach (var (key, value) in BlockPlanning.Attributes(b)) a.Add(key, value);
            features.Add(new Feature(b.Geometry, a));
        }
        return features;
    }
}
