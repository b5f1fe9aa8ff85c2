using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Neighborhoods;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Neighborhoods;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

using SaveOutcome = Microsoft.AspNetCore.Http.HttpResults.Results<
    BarrioSeguro.Geo.Api.Http.GeoJsonFeature, BarrioSeguro.Geo.Api.Http.RequestProblem, BarrioSeguro.Geo.Api.Http.NotFoundProblem,
    BarrioSeguro.Geo.Api.Http.ConflictProblem, BarrioSeguro.Geo.Api.Http.PreconditionRequiredProblem,
    BarrioSeguro.Geo.Api.Http.PreconditionFailedProblem>;

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
            .WithSummary("Changes a neighbourhood. Name the version the change started from with If-Match: \"<version>\" or a 'version' property. A stale If-Match (or one that names no version) is refused with 412, a stale 'version' with 409.");
        group.MapGet("/{id:int}/revisions", Revisions).WithSummary("The history of a neighbourhood: every version with author, time, comment, and area added and removed (m²).");
        group.MapGet("/{id:int}/revisions/{version:int}", Revision).WithSummary("One version of the boundary as a GeoJSON Feature.");
        group.MapGet("/{id:int}/diff", Diff).WithSummary("What changed between two versions (from, to): the added and removed polygons with their areas, as GeoJSON.");
        group.MapPost("/{id:int}/revert", Revert)
            .ProducesProblem(StatusCodes.Status400BadRequest) // a body that is not the JSON below
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType) // a body not sent as JSON
            .WithSummary("Makes an earlier version's boundary current, as a new version. Body: {\"toVersion\": n, \"comment\": \"...\"}; If-Match names the current version.");
        return app;
    }

    public sealed record RevisionView(int Version, string Author, string? Comment, DateTimeOffset CreatedAt, double AddedSquareMeters, double RemovedSquareMeters, double AreaKm2);

    public sealed record RevertRequest(int ToVersion, string? Comment, string? Author, int? Version);

    public static async Task<Results<Ok<List<RevisionView>>, NotFoundProblem>> Revisions(int id, NeighborhoodStore store, CancellationToken ct)
    {
        var revisions = await store.RevisionsAsync(id, ct);
        if (revisions.Count == 0) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        return TypedResults.Ok(revisions.Select(r => new RevisionView(r.Version, r.Author, r.Comment, r.CreatedAt,
            r.AddedSquareMeters, r.RemovedSquareMeters, Math.Round(Measure.AreaSquareMeters(r.Boundary) / 1e6, 4))).ToList());
    }

    public static async Task<Results<GeoJsonFeature, NotFoundProblem>> Revision(int id, int version, NeighborhoodStore store, CancellationToken ct)
    {
        var r = await store.RevisionAsync(id, version, ct);
        if (r is null) return Problems.NotFound(Note.Of("api.no_version", ("id", id), ("version", version)));
        return GeoJson.Feature(new Feature(r.Boundary, new AttributesTable
        {
            { "neighborhoodId", r.NeighborhoodId }, { "version", r.Version }, { "author", r.Author }, { "comment", r.Comment },
            { "createdAt", r.CreatedAt }, { "addedM2", r.AddedSquareMeters }, { "removedM2", r.RemovedSquareMeters },
        }));
    }

    public static async Task<Results<GeoJsonFeatureCollection, NotFoundProblem>> Diff(int id, int from, int to, HttpRequest request, NeighborhoodStore store, CancellationToken ct)
    {
        var change = await store.DiffAsync(id, from, to, ct);
        if (change is null) return Problems.NotFound(Note.Of("api.no_versions", ("id", id), ("from", from), ("to", to)));
        var features = new List<IFeature>
        {
            new Feature(change.Added, new AttributesTable { { "change", "added" }, { "areaM2", Math.Round(change.AddedSquareMeters, 1) }, { "from", from }, { "to", to } }),
            new Feature(change.Removed, new AttributesTable { { "change", "removed" }, { "areaM2", Math.Round(change.RemovedSquareMeters, 1) }, { "from", from }, { "to", to } }),
        };
        return GeoJson.FeatureCollection(features, null, [new GeoJson.Link($"{request.Path}{request.QueryString}", "self", "application/geo+json")]);
    }

    public static async Task<Results<GeoJsonFeature, NotFoundProblem, ConflictProblem, PreconditionRequiredProblem, PreconditionFailedProblem, RequestProblem>> Revert(
        int id, RevertRequest body, EditContext edit, NeighborhoodStore store, CancellationToken ct)
    {
        if ((GeoJsonBody.TooLong("comment", body.Comment, InputLimits.CommentLength) ?? GeoJsonBody.TooLong("author", body.Author, InputLimits.AuthorLength)) is { } tooLong)
            return RequestProblem.Refused("Too long", tooLong);
        if (edit.UnusableIfMatch() is { } unusable) return unusable;
        if (edit.ExpectedVersion(body.Version) is not { } expected)
            return Problems.VersionRequired(Note.Of("api.version_required_member"));
        var result = await store.RevertAsync(id, expected, body.ToVersion, new Edit(edit.Author(body.Author), body.Comment), ct);
        // A revert changes only the boundary: no name or district to refuse.
        return result.Outcome switch
        {
            NeighborhoodSaveOutcome.Saved => GeoJson.Feature(FeatureCatalog.ToFeature(result.Neighborhood!)).WithETag(result.Neighborhood!.Version),
            NeighborhoodSaveOutcome.StaleVersion when edit.IfMatch is not null => EditContext.StalePrecondition(result.Reason, result.Neighborhood?.Version, result.ChangedBy, result.ChangedAt),
            NeighborhoodSaveOutcome.StaleVersion => Stale(result),
            NeighborhoodSaveOutcome.UnknownRevision => Problems.NotFound(result.Reason ?? Note.Of("api.no_such_version")),
            _ => Problems.NotFound(Note.Of("api.no_such_neighborhood")),
        };
    }

    public static async Task<Results<GeoJsonFeature, NotFoundProblem>> Get(int id, NeighborhoodStore store, CancellationToken ct)
    {
        var n = await store.FindAsync(id, ct);
        if (n is null) return Problems.NotFound(Note.Of("api.no_neighborhood", ("id", id)));
        return GeoJson.Feature(FeatureCatalog.ToFeature(n)).WithETag(n.Version);
    }

    public static async Task<Results<GeoJsonCreated, RequestProblem, ConflictProblem>> Create(
        double? snapMeters, HttpRequest request, EditContext edit, NeighborhoodStore store, MapLayers layers, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        var (feature, error) = await GeoJsonBody.ReadFeatureAsync(request, options.Value.MaxUploadBytes, ct);
        if (error is not null) return error;
        return await CreateFrom(feature!, snapMeters, "/api/neighborhoods", request, edit, store, layers, ct);
    }

    /// <summary>Creates a neighbourhood from a feature already read; Location is <paramref name="locationBase"/>/{id}.</summary>
    /// <remarks>The one create path: POST /api/neighborhoods and OGC API - Features Part 4 both come here.</remarks>
    public static async Task<Results<GeoJsonCreated, RequestProblem, ConflictProblem>> CreateFrom(
        IFeature feature, double? snapMeters, string locationBase, HttpRequest request, EditContext edit, NeighborhoodStore store, MapLayers layers, CancellationToken ct)
    {
        if (await Snap(feature, snapMeters, layers, ct) is { } snapError) return snapError;
        var (change, invalid) = ToChange(feature);
        if (invalid is not null) return invalid;
        Auth.OutsideDistrictException.Check(request.HttpContext.User, change!.DistrictUbigeo, creating: true);
        var result = await store.CreateAsync(change!, EditOf(edit, feature), ct);
        return result.Outcome switch
        {
            NeighborhoodSaveOutcome.Saved => GeoJson.Created(FeatureCatalog.ToFeature(result.Neighborhood!),
                $"{locationBase}/{result.Neighborhood!.Id}").WithETag(result.Neighborhood.Version),
            NeighborhoodSaveOutcome.DuplicateName => Problems.Conflict("Duplicate name", result.Reason!),
            NeighborhoodSaveOutcome.UnknownDistrict => RequestProblem.Refused("Unknown district", result.Reason!),
            _ => RequestProblem.Malformed("Missing field", result.Reason ?? Note.Of("store.field_missing")),
        };
    }

    public static async Task<SaveOutcome> Update(
        int id, double? snapMeters, HttpRequest request, EditContext edit, NeighborhoodStore store, MapLayers layers, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        var (feature, error) = await GeoJsonBody.ReadFeatureAsync(request, options.Value.MaxUploadBytes, ct);
        if (error is not null) return error;
        if (edit.UnusableIfMatch() is { } unusable) return unusable;
        if (edit.ExpectedVersion(BodyVersion(feature!)) is not { } expected)
            return Problems.VersionRequired(Note.Of("api.version_required_property"));
        return await UpdateFrom(id, expected, feature!, snapMeters, request, edit, store, layers, ct);
    }

    /// <summary>Changes a neighbourhood from a feature already read, if it is still at <paramref name="expected"/>.</summary>
    /// <remarks>The one update path: PUT /api/neighborhoods/{id} and OGC API - Features Part 4 (PUT, PATCH) both come here.</remarks>
    public static async Task<SaveOutcome> UpdateFrom(
        int id, int expected, IFeature feature, double? snapMeters, HttpRequest request, EditContext edit, NeighborhoodStore store, MapLayers layers, CancellationToken ct)
    {
        if (await Snap(feature, snapMeters, layers, ct) is { } snapError) return snapError;
        var (change, invalid) = ToChange(feature);
        if (invalid is not null) return invalid;
        Auth.OutsideDistrictException.Check(request.HttpContext.User, change!.DistrictUbigeo, creating: false);
        return Saved(await store.UpdateAsync(id, expected, change!, EditOf(edit, feature), ct), edit);
    }

    /// <summary>
    /// With snapMeters, moves the drawn vertices onto the nearest street centreline (a crossing or vertex first) within
    /// that distance, so a boundary drawn by hand follows the streets it was meant to follow.
    /// </summary>
    private static async Task<RequestProblem?> Snap(IFeature feature, double? snapMeters, MapLayers layers, CancellationToken ct)
    {
        if (snapMeters is null) return null;
        if (snapMeters is <= 0 or > 100)
            return RequestProblem.Malformed("Invalid snapMeters", Note.Of("api.snap_range", ("limit", 100)));
        if (InputGeometryCheck.Check(feature.Geometry).Count > 0) return null; // ToChange reports it
        var search = feature.Geometry.EnvelopeInternal.Copy();
        search.ExpandBy(snapMeters.Value / 100_000); // a little over snapMeters in degrees near the equator
        var streets = await layers.StreetLinesAsync(search, ct);
        feature.Geometry = BoundarySnapper.Snap(feature.Geometry, streets, snapMeters.Value);
        return null;
    }

    private static (NeighborhoodChange? Change, RequestProblem? Error) ToChange(IFeature feature)
    {
        var boundary = feature.Geometry switch
        {
            MultiPolygon m => m,
            Polygon p => feature.Geometry.Factory.CreateMultiPolygon([p]),
            _ => null,
        };
        if (boundary is null)
            return (null, RequestProblem.Refused("Invalid geometry", Note.Of("api.boundary_not_polygon", ("type", feature.Geometry.GeometryType))));
        var problems = InputGeometryCheck.Check(boundary);
        if (problems.Count > 0) return (null, Problems.InvalidGeometry(problems.Select(p => ((int?)null, p))));

        var a = feature.Attributes;
        string? Text(string key) => a?.Exists(key) == true ? a[key]?.ToString() : null;
        NeighborhoodStatus? status = null;
        if (Text("status") is { } s)
        {
            if (!Enum.TryParse<NeighborhoodStatus>(s, true, out var parsed))
                return (null, RequestProblem.Malformed("Invalid status", Note.Of("api.unknown_status", ("status", s), ("statuses", Enum.GetNames<NeighborhoodStatus>()))));
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

    private static ConflictProblem Stale(NeighborhoodSaveResult result) => Problems.Conflict("Stale version", result.Reason!,
        new Dictionary<string, object?> { ["currentVersion"] = result.Neighborhood?.Version });

    /// <summary>The saved neighbourhood with its version as ETag, or why nothing was saved.</summary>
    private static SaveOutcome Saved(NeighborhoodSaveResult result, EditContext edit) => result.Outcome switch
    {
        NeighborhoodSaveOutcome.Saved => GeoJson.Feature(FeatureCatalog.ToFeature(result.Neighborhood!)).WithETag(result.Neighborhood!.Version),
        NeighborhoodSaveOutcome.NotFound => Problems.NotFound(Note.Of("api.no_such_neighborhood")),
        NeighborhoodSaveOutcome.StaleVersion when edit.IfMatch is not null => EditContext.StalePrecondition(result.Reason, result.Neighborhood?.Version, result.ChangedBy, result.ChangedAt),
        NeighborhoodSaveOutcome.StaleVersion => Stale(result),
        NeighborhoodSaveOutcome.DuplicateName => Problems.Conflict("Duplicate name", result.Reason!),
        NeighborhoodSaveOutcome.UnknownRevision => Problems.NotFound(result.Reason ?? Note.Of("api.no_such_version")),
        NeighborhoodSaveOutcome.UnknownDistrict => RequestProblem.Refused("Unknown district", result.Reason!),
        _ => RequestProblem.Malformed("Missing field", result.Reason ?? Note.Of("store.field_missing")),
    };
}
