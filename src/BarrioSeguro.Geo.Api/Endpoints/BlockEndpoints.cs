using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Blocks;
using BarrioSeguro.Geo.Data.Neighborhoods;
using BarrioSeguro.Geo.Planning.Blocks;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// Blocks (manzanas) computed from the stored streets for a neighbourhood or a district, kept per scope, and
/// neighbourhood proposals made of them.
/// </summary>
public static class BlockEndpoints
{
    public static IEndpointRouteBuilder MapBlocks(this IEndpointRouteBuilder app)
    {
        var n = app.MapGroup("/api/neighborhoods").WithTags("Blocks");
        n.MapPost("/{id:int}/blocks", ComputeForNeighborhood).MayRefuse()
            .WithSummary("Computes the blocks of a neighbourhood from the stored streets (noded, polygonized, clipped) and keeps them, replacing the previous set.");
        n.MapGet("/{id:int}/blocks", ListForNeighborhood).WithSummary("The kept blocks of a neighbourhood as GeoJSON.");
        n.MapPost("/proposals", Propose).MayRefuse()
            .WithSummary("Proposes a block-aligned boundary (not saved): {\"scope\": \"district:130104\", \"blockIds\": [...]} joins chosen blocks; {\"scope\": ..., \"hotspots\": {\"radiusMeters\": 150, \"minIncidents\": 4, \"clusters\": 1}} draws one around incident hot spots.");
        var d = app.MapGroup("/api/districts").WithTags("Blocks");
        d.MapPost("/{ubigeo}/blocks", ComputeForDistrict).MayRefuse().WithSummary("Computes and keeps the blocks of a whole district.");
        d.MapGet("/{ubigeo}/blocks", ListForDistrict).WithSummary("The kept blocks of a district as GeoJSON.");
        return app;
    }

    public sealed record BlockSummary(string Scope, int Blocks, double AreaKm2, int Streets, int ExcludedByClass, int ExcludedOtherLayer,
        int SnappedEndpoints, int DuplicateLinesDropped, int DanglesDropped, double ElapsedMs, IReadOnlyList<Note> Notes);

    public sealed record HotspotRequest(double? RadiusMeters, int? MinIncidents, int? Clusters);

    public sealed record ProposalRequest(string Scope, List<string>? BlockIds, HotspotRequest? Hotspots, string? Name);

    public static async Task<Results<Ok<BlockSummary>, NotFoundProblem>> ComputeForNeighborhood(int id, NeighborhoodStore neighborhoods, BlockStore store, CancellationToken ct)
    {
        var n = await neighborhoods.FindAsync(id, ct);
        return n is null ? Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id))) : await Compute(BlockStore.NeighborhoodScope(id), n.Boundary, store, ct);
    }

    public static async Task<Results<Ok<BlockSummary>, NotFoundProblem>> ComputeForDistrict(string ubigeo, MapLayers layers, BlockStore store, CancellationToken ct)
    {
        var d = await layers.DistrictAsync(ubigeo, ct);
        return d is null ? Problems.NotFound(Note.Of("api.no_district", ("ubigeo", ubigeo))) : await Compute(BlockStore.DistrictScope(ubigeo), d.Boundary, store, ct);
    }

    public static Task<GeoJsonFeatureCollection> ListForNeighborhood(int id, BlockStore store, CancellationToken ct) => List(BlockStore.NeighborhoodScope(id), store, ct);

    public static Task<GeoJsonFeatureCollection> ListForDistrict(string ubigeo, BlockStore store, CancellationToken ct) => List(BlockStore.DistrictScope(ubigeo), store, ct);

    public static async Task<Results<GeoJsonFeature, BadRequestProblem>> Propose(ProposalRequest request, MapLayers layers, BlockStore store,
        Auth.DistrictScope districts, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct)
    {
        // The scope is in the body: a user limited to districts proposes only inside them (403 otherwise, see ApiErrors).
        await districts.CheckBlockScopeAsync(user, request.Scope, ct);
        var blocks = await store.ListAsync(request.Scope ?? "", ct);
        if (blocks.Count == 0)
            return Problems.BadRequest("No blocks", Note.Of("api.no_blocks_for_scope", ("scope", request.Scope ?? "")));
        var shapes = blocks.Select(b => new BlockShape(b.Id, b.Geometry)).ToList();
        // Core refuses impossible proposals with an ArgumentException: ApiErrors makes it a 422.
        NeighborhoodProposal proposal;
        if (request.BlockIds is { Count: > 0 } ids)
            proposal = NeighborhoodProposals.FromBlocks(shapes, ids);
        else if (request.Hotspots is { } h)
        {
            var area = new GeometryFactory(new PrecisionModel(), Crs.Wgs84).BuildGeometry(blocks.Select(b => (Geometry)b.Geometry)).Envelope;
            var incidents = await layers.IncidentLocationsAsync(area, ct);
            proposal = NeighborhoodProposals.FromHotspots(incidents, shapes, new HotspotOptions
            {
                RadiusMeters = h.RadiusMeters ?? 150, MinIncidents = h.MinIncidents ?? 4, MaxClusters = h.Clusters ?? 1,
            });
        }
        else return Problems.BadRequest("Nothing to propose", Note.Of("api.nothing_to_propose"));
        return GeoJson.Feature(new Feature(proposal.Boundary, new AttributesTable
        {
            { "name", request.Name ?? "Barrio propuesto" },
            { "areaKm2", Math.Round(Measure.AreaSquareMeters(proposal.Boundary) / 1e6, 4) },
            { "blocks", proposal.BlockIds.Count },
            { "blockIds", proposal.BlockIds },
            { "notes", proposal.Notes },
        }));
    }

    private static async Task<Ok<BlockSummary>> Compute(string scope, MultiPolygon boundary, BlockStore store, CancellationToken ct)
    {
        var set = await store.BuildAsync(boundary, ct); // no street to bound a block: ArgumentException, a 422 by ApiErrors
        await store.ReplaceAsync(scope, set.Blocks, ct);
        var r = set.Report;
        return TypedResults.Ok(new BlockSummary(scope, set.Blocks.Count, Math.Round(set.Blocks.Sum(b => b.AreaSquareMeters) / 1e6, 4),
            r.InputLines, r.ExcludedByClass, r.ExcludedOtherLayer, r.SnappedEndpoints, r.DuplicateLinesDropped, r.DanglesDropped,
            Math.Round(r.ElapsedMilliseconds, 1), r.Notes));
    }

    private static async Task<GeoJsonFeatureCollection> List(string scope, BlockStore store, CancellationToken ct)
    {
        var blocks = await store.ListAsync(scope, ct);
        // The attribute names and rounding of `barrio blocks` files, so a block weighs the same in either.
        var features = blocks.Select(b => (IFeature)new Feature(b.Geometry,
            new AttributesTable(BlockPlanning.Attributes(b).ToDictionary(kv => kv.Key, kv => kv.Value!)))).ToList();
        return GeoJson.FeatureCollection(features, features.Count, []);
    }
}
