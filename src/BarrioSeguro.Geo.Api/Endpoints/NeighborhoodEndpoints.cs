using System.Globalization;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Neighborhoods;
using Microsoft.Extensions.Options;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>Create and change neighbourhood boundaries from GeoJSON, validated, with optimistic concurrency.</summary>
public static class NeighborhoodEndpoints
{
    public static IEndpointRouteBuilder MapNeighborhoods(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/neighborhoods").WithTags("Neighborhoods");
        group.MapGet("/{id:int}", Get).WithSummary("A neighbourhood as a GeoJSON Feature; its ETag is its version.");
        group.MapPost("/", Create)
            .Accepts<object>("application/geo+json", "application/json")
            .WithSummary("Creates a neighbourhood from a GeoJSON Feature (Polygon or MultiPolygon, EPSG:4326) with properties name, districtUbigeo, status, description, author, comment. snapMeters=5 snaps the drawn vertices to street centrelines within 5 m.");
        group.MapPut("/{id:int}", Update)
            .Accepts<object>("application/geo+json", "application/json")
            .WithSummary("Changes a neighbourhood. Name the version the change started from with If-Match: \"<version>\" or a 'version' property; a stale version is refused with 409.");
        group.MapGet("/{id:int}/revisions", Revisions).WithSummary("The history of a neighbourhood: every version with author, time, comment, and area added and removed (m²).");
        group.MapGet("/{id:int}/revisions/{version:int}", Revision).WithSummary("One version of the boundary as a GeoJSON Feature.");
        group.MapGet("/{id:int}/diff", Diff).WithSummary("What changed between two versions (from, to): the added and removed polygons with their areas, as GeoJSON.");
        group.MapPost("/{id:int}/revert", Revert)
            .WithSummary("Makes an earlier version's boundary current, as a new version. Body: {\"toVersion\": n, \"comment\": \"...\"}; If-Match names the current version.");
        return app;
    }

    public sealed record RevisionView(int Version, string Author, string? Comment, DateTimeOffset CreatedAt, double AddedSquareMeters, double RemovedSquareMeters, double AreaKm2);

    public sealed record RevertRequest(int ToVersion, string? Comment, string? Author, int? Version);

    public static async Task<IResult> Revisions(int id, NeighborhoodStore store, CancellationToken ct)
    {
        var revisions = await store.RevisionsAsync(id, ct);
        if (revisions.Count == 0) return Problems.NotFound($"No neighbourhood {id}.");
        return TypedResults.Ok(revisions.Select(r => new RevisionView(r.Version, r.Author, r.Comment, r.CreatedAt,
            r.AddedSquareMeters, r.RemovedSquareMeters, Math.Round(Measure.AreaSquareMeters(r.Boundary) / 1e6, 4))).ToList());
    }

    public static async Task<IResult> Revision(int id, int version, NeighborhoodStore store, CancellationToken ct)
    {
        var r = await store.RevisionAsync(id, version, ct);
        if (r is null) return Problems.NotFound($"Neighbourhood {id} has no version {version}.");
        return GeoJson.Feature(new Feature(r.Boundary, new AttributesTable
        {
            { "neighborhoodId", r.NeighborhoodId }, { "version", r.Version }, { "author", r.Author }, { "comment", r.Comment },
            { "createdAt", r.CreatedAt }, { "addedM2", r.AddedSquareMeters }, { "removedM2", r.RemovedSquareMeters },
        }));
    }

    public static async Task<IResult> Diff(int id, int from, int to, HttpRequest request, NeighborhoodStore store, CancellationToken ct)
    {
        var change = await store.DiffAsync(id, from, to, ct);
        if (change is null) return Problems.NotFound($"Neighbourhood {id} has no version {from} or no version {to}.");
        var features = new List<IFeature>
        {
            new Feature(change.Added, new AttributesTable { { "change", "added" }, { "areaM2", Math.Round(change.AddedSquareMeters, 1) }, { "from", from }, { "to", to } }),
            new Feature(change.Removed, new AttributesTable { { "change", "removed" }, { "areaM2", Math.Round(change.RemovedSquareMeters, 1) }, { "from", from }, { "to", to } }),
        };
        return GeoJson.FeatureCollection(features, null, [new GeoJson.Link($"{request.Path}{request.QueryString}", "self", "application/geo+json")]);
    }

    public static async Task<IResult> Revert(int id, RevertRequest body, EditContext edit, NeighborhoodStore store, CancellationToken ct)
    {
        var expected = edit.ExpectedVersion(body.Version);
        if (expected is null)
            return TypedResults.Problem("Name the current version: an If-Match header (\"3\") or a 'version' member.",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "Version required");
        var result = await store.RevertAsync(id, expected.Value, body.ToVersion, new Edit(edit.Author(body.Author), body.Comment), ct);
        return result.Outcome == NeighborhoodSaveOutcome.Saved
            ? WithETag(GeoJson.Feature(FeatureCatalog.ToFeature(result.Neighborhood!)), result.Neighborhood!.Version)
            : Refused(result);
    }

    public static async Task<IResult> Get(int id, NeighborhoodStore store, HttpResponse response, CancellationToken ct)
    {
        var n = await store.FindAsync(id, ct);
        if (n is null) return Problems.NotFound($"No neighbourhood {id}.");
        response.Headers.ETag = $"\"{n.Version}\"";
        return GeoJson.Feature(FeatureCatalog.ToFeature(n));
    }

    public static async Task<IResult> Create(
        double? snapMeters, HttpRequest request, EditContext edit, NeighborhoodStore store, MapLayers layers, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        var (feature, error) = await GeoJsonBody.ReadFeatureAsync(request, options.Value.MaxUploadBytes, ct);
        if (error is not null) return error;
        if (await Snap(feature!, snapMeters, layers, ct) is { } snapError) return snapError;
        var (change, invalid) = ToChange(feature!);
        if (invalid is not null) return invalid;
        var result = await store.CreateAsync(change!, EditOf(edit, feature!), ct);
        return result.Outcome == NeighborhoodSaveOutcome.Saved
            ? WithETag(GeoJson.Feature(FeatureCatalog.ToFeature(result.Neighborhood!), StatusCodes.Status201Created),
                result.Neighborhood!.Version, $"/api/neighborhoods/{result.Neighborhood.Id}")
            : Refused(result);
    }

    public static async Task<IResult> Update(
        int id, double? snapMeters, HttpRequest request, EditContext edit, NeighborhoodStore store, MapLayers layers, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        var (feature, error) = await GeoJsonBody.ReadFeatureAsync(request, options.Value.MaxUploadBytes, ct);
        if (error is not null) return error;
        var expected = edit.ExpectedVersion(BodyVersion(feature!));
        if (expected is null)
            return TypedResults.Problem(
                "Name the version the change started from: an If-Match header (\"3\") or a 'version' property.",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "Version required");
        if (await Snap(feature!, snapMeters, layers, ct) is { } snapError) return snapError;
        var (change, invalid) = ToChange(feature!);
        if (invalid is not null) return invalid;
        var result = await store.UpdateAsync(id, expected.Value, change!, EditOf(edit, feature!), ct);
        return result.Outcome == NeighborhoodSaveOutcome.Saved
            ? WithETag(GeoJson.Feature(FeatureCatalog.ToFeature(result.Neighborhood!)), result.Neighborhood!.Version)
            : Refused(result);
    }

    /// <summary>
    /// With snapMeters, moves the drawn vertices onto the nearest street centreline (a crossing or vertex first) within
    /// that distance, so a boundary drawn by hand follows the streets it was meant to follow.
    /// </summary>
    private static async Task<IResult?> Snap(IFeature feature, double? snapMeters, MapLayers layers, CancellationToken ct)
    {
        if (snapMeters is null) return null;
        if (snapMeters is <= 0 or > 100)
            return Problems.BadRequest("Invalid snapMeters", "snapMeters must be more than 0 and at most 100 m.");
        if (InputGeometryCheck.Check(feature.Geometry).Count > 0) return null; // ToChange reports it
        var search = feature.Geometry.EnvelopeInternal.Copy();
        search.ExpandBy(snapMeters.Value / 100_000); // a little over snapMeters in degrees near the equator
        var streets = await layers.StreetLinesAsync(search, ct);
        feature.Geometry = BoundarySnapper.Snap(feature.Geometry, streets, snapMeters.Value);
        return null;
    }

    private static (NeighborhoodChange? Change, IResult? Error) ToChange(IFeature feature)
    {
        var boundary = feature.Geometry switch
        {
            MultiPolygon m => m,
            Polygon p => feature.Geometry.Factory.CreateMultiPolygon([p]),
            _ => null,
        };
        if (boundary is null)
            return (null, TypedResults.Problem($"A neighbourhood boundary must be a Polygon or MultiPolygon, not a {feature.Geometry.GeometryType}.",
                statusCode: StatusCodes.Status422UnprocessableEntity, title: "Invalid geometry"));
        var problems = InputGeometryCheck.Check(boundary);
        if (problems.Count > 0) return (null, Problems.InvalidGeometry(problems.Select(p => ((int?)null, p))));

        var a = feature.Attributes;
        string? Text(string key) => a?.Exists(key) == true ? a[key]?.ToString() : null;
        NeighborhoodStatus? status = null;
        if (Text("status") is { } s)
        {
            if (!Enum.TryParse<NeighborhoodStatus>(s, true, out var parsed))
                return (null, Problems.BadRequest("Invalid status", $"status '{s}' is not one of {string.Join(", ", Enum.GetNames<NeighborhoodStatus>())}."));
            status = parsed;
        }
        bool? illustrative = a?.Exists("isIllustrative") == true ? a["isIllustrative"] as bool? : null;
        return (new NeighborhoodChange(Text("name"), Text("districtUbigeo"), boundary, status, illustrative, Text("description")), null);
    }

    /// <summary>The author is the 'author' property, else the X-Barrio-User header, else "anonymous" (no sign-in yet).</summary>
    private static Edit EditOf(EditContext edit, IFeature feature)
    {
        var a = feature.Attributes;
        string? Text(string key) => a?.Exists(key) == true ? a[key]?.ToString() : null;
        return new Edit(edit.Author(Text("author")), Text("comment"));
    }

    /// <summary>The 'version' property of the Feature, the other way to name the version a change started from.</summary>
    private static int? BodyVersion(IFeature feature)
    {
        var a = feature.Attributes;
        return a?.Exists("version") == true && a["version"] is { } version
               && int.TryParse(Convert.ToString(version, CultureInfo.InvariantCulture), out var pv) ? pv : null;
    }

    private static IResult Refused(NeighborhoodSaveResult result) => result.Outcome switch
    {
        NeighborhoodSaveOutcome.NotFound => Problems.NotFound("No such neighbourhood."),
        NeighborhoodSaveOutcome.StaleVersion => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict,
            title: "Stale version", extensions: new Dictionary<string, object?> { ["currentVersion"] = result.Neighborhood?.Version }),
        NeighborhoodSaveOutcome.DuplicateName => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict, title: "Duplicate name"),
        NeighborhoodSaveOutcome.UnknownRevision => Problems.NotFound(result.Detail ?? "No such version."),
        NeighborhoodSaveOutcome.UnknownDistrict => TypedResults.Problem(result.Detail, statusCode: StatusCodes.Status422UnprocessableEntity, title: "Unknown district"),
        _ => Problems.BadRequest("Missing field", result.Detail ?? "A required field is missing."),
    };

    private static IResult WithETag(IResult inner, int version, string? location = null) => new ETagResult(inner, version, location);

    private sealed class ETagResult(IResult inner, int version, string? location) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version}\"";
            if (location is not null) http.Response.Headers.Location = location;
            return inner.ExecuteAsync(http);
        }
    }
}
