using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Neighborhoods;
using Microsoft.Extensions.Options;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// Validation a planner can act on (problems as geometry), repair that says what it changed, and the figures of a
/// boundary. Validation never refuses a geometry: it reports on it.
/// </summary>
public static class NeighborhoodQualityEndpoints
{
    public static IEndpointRouteBuilder MapNeighborhoodQuality(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/neighborhoods").WithTags("Neighborhoods");
        group.MapPost("/validate", ValidateDraft)
            .Accepts<object>("application/geo+json", "application/json")
            .WithSummary("Validates a drawn boundary (GeoJSON Feature) against its district and the other neighbourhoods: self-intersections, overlaps, parts outside the district, slivers, holes, several parts. Problems come back as GeoJSON features with their place.");
        group.MapGet("/{id:int}/validation", ValidateStored).WithSummary("Validates a stored neighbourhood.");
        group.MapPost("/{id:int}/repair", Repair)
            .WithSummary("Repairs a stored boundary (make valid, drop slivers, fill small holes, clip to the district; removeOverlaps=true also cuts the other neighbourhoods out) and says what changed. apply=true saves it as a new version (If-Match names the current one).");
        group.MapGet("/{id:int}/figures", Figures)
            .WithSummary("Area km², perimeter km, Polsby-Popper, street km by class, incidents and stations inside.");
        return app;
    }

    public sealed record ProblemView(string Kind, string Message, double? AreaSquareMeters, string? Other);

    public static async Task<IResult> ValidateDraft(HttpRequest request, SurroundingsQuery surroundings, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        var (feature, error) = await GeoJsonBody.ReadFeatureAsync(request, options.Value.MaxUploadBytes, ct);
        if (error is not null) return error;
        var ubigeo = feature!.Attributes?.Exists("districtUbigeo") == true ? feature.Attributes["districtUbigeo"]?.ToString() : null;
        var around = await surroundings.LoadAsync(feature.Geometry.Envelope, ubigeo, null, ct);
        return Report(BoundaryValidator.Validate(feature.Geometry, around.District?.Boundary, Others(around)));
    }

    public static async Task<IResult> ValidateStored(int id, NeighborhoodStore store, SurroundingsQuery surroundings, CancellationToken ct)
    {
        var n = await store.FindAsync(id, ct);
        if (n is null) return Problems.NotFound($"No neighbourhood {id}.");
        var around = await surroundings.LoadAsync(n.Boundary, n.DistrictUbigeo, n.Id, ct);
        return Report(BoundaryValidator.Validate(n.Boundary, around.District?.Boundary, Others(around)));
    }

    public static async Task<IResult> Repair(
        int id, bool? apply, bool? removeOverlaps, EditContext edit, NeighborhoodStore store, SurroundingsQuery surroundings, CancellationToken ct)
    {
        var n = await store.FindAsync(id, ct);
        if (n is null) return Problems.NotFound($"No neighbourhood {id}.");
        var around = await surroundings.LoadAsync(n.Boundary, n.DistrictUbigeo, n.Id, ct);
        var repair = BoundaryRepairer.Repair(n.Boundary, around.District?.Boundary, Others(around),
            new RepairOptions { RemoveOverlaps = removeOverlaps ?? false });
        var repaired = repair.Repaired as MultiPolygon ?? n.Boundary.Factory.CreateMultiPolygon([(Polygon)repair.Repaired]);
        var version = n.Version;
        if (apply == true && repair.Changes.Count > 0)
        {
            if (edit.ExpectedVersion() is not { } expected)
                return TypedResults.Problem("Name the current version in an If-Match header to apply a repair.",
                    statusCode: StatusCodes.Status428PreconditionRequired, title: "Version required");
            var saved = await store.UpdateAsync(id, expected, new NeighborhoodChange(null, null, repaired, null, null, null),
                new Edit(edit.Author(), "Repair: " + string.Join(" ", repair.Changes)), ct);
            if (saved.Outcome != NeighborhoodSaveOutcome.Saved)
                return TypedResults.Problem(saved.Detail, statusCode: StatusCodes.Status409Conflict, title: "Stale version",
                    extensions: new Dictionary<string, object?> { ["currentVersion"] = saved.Neighborhood?.Version });
            version = saved.Neighborhood!.Version;
        }
        var result = new
        {
            applied = apply == true && repair.Changes.Count > 0,
            version,
            changes = repair.Changes,
            addedSquareMeters = Math.Round(repair.AddedSquareMeters, 1),
            removedSquareMeters = Math.Round(repair.RemovedSquareMeters, 1),
            repaired = new Feature(repaired, new AttributesTable { { "name", n.Name }, { "areaKm2", Math.Round(Measure.AreaSquareMeters(repaired) / 1e6, 4) } }),
            added = new Feature(repair.Added, new AttributesTable { { "change", "added" } }),
            removed = new Feature(repair.Removed, new AttributesTable { { "change", "removed" } }),
        };
        return Results.Json(result, GeoJson.Options);
    }

    public static async Task<IResult> Figures(int id, NeighborhoodStore store, SurroundingsQuery surroundings, CancellationToken ct)
    {
        var n = await store.FindAsync(id, ct);
        if (n is null) return Problems.NotFound($"No neighbourhood {id}.");
        var around = await surroundings.LoadAsync(n.Boundary, n.DistrictUbigeo, n.Id, ct);
        // Blocks straight from the streets: the figures never depend on whether blocks were kept before.
        IEnumerable<Geometry> blocks;
        try { blocks = BlockBuilder.Build(around.Streets.Select(s => new StreetLine(s.Geometry, s.Class, s.Layer)), n.Boundary).Blocks.Select(b => b.Geometry); }
        catch (ArgumentException) { blocks = []; } // no street inside: no blocks
        var figures = NeighborhoodMetrics.Compute(n.Boundary,
            around.Streets.Select(s => ((Geometry)s.Geometry, s.Class)),
            blocks,
            around.Incidents.Select(i => i.Location),
            around.Stations.Select(s => s.Location));
        return TypedResults.Ok(new
        {
            neighborhoodId = n.Id,
            version = n.Version,
            areaKm2 = Math.Round(figures.AreaKm2, 4),
            perimeterKm = Math.Round(figures.PerimeterKm, 3),
            polsbyPopper = Math.Round(figures.PolsbyPopper, 4),
            streetKm = Math.Round(figures.StreetKm, 3),
            streetKmByClass = figures.StreetKmByClass.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 3)),
            blocks = figures.Blocks,
            incidents = figures.Incidents,
            stations = figures.Stations,
        });
    }

    private static IEnumerable<OtherBoundary> Others(Surroundings around) =>
        around.Others.Select(o => new OtherBoundary(o.Name, o.Boundary));

    private static IResult Report(BoundaryValidation validation)
    {
        var features = new FeatureCollection();
        foreach (var p in validation.Problems)
            features.Add(new Feature(p.Location, new AttributesTable
            {
                { "kind", p.Kind }, { "message", p.Message }, { "areaM2", p.AreaSquareMeters is { } a ? Math.Round(a, 1) : null }, { "other", p.Other },
            }));
        return Results.Json(new { valid = validation.IsValid, problems = features }, GeoJson.Options);
    }
}
