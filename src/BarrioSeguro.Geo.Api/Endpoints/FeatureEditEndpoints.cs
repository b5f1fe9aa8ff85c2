using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Entries;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Data.Lifecycle;
using BarrioSeguro.Geo.Data.Neighborhoods;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// OGC API - Features Part 4 (OGC 20-002, create, replace, update, delete) on neighbourhoods, stations, incidents and
/// contingents: POST a GeoJSON Feature (201, Location, ETag), PUT it back whole, PATCH a JSON merge patch (RFC 7396),
/// DELETE (204; a neighbourhood is kept and can be restored). If-Match is required on the last three (missing: 428,
/// stale: 412 with the current ETag and who changed it last). Every write goes through the path the forms and the
/// neighbourhood editor use (NeighborhoodEndpoints, EntryEndpoints, LifecycleStore): the same checks, district limits
/// and audit. What this layer adds is the feature's shape: only known members, read-only ones unchanged, the URL's id.
/// </summary>
public static class FeatureEditEndpoints
{
    public const string MergePatchType = "application/merge-patch+json";

    public const string CreateReplaceDelete = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete";
    public const string Update = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update";

    /// <summary>The conformance classes these endpoints give (the conformance page lists them).</summary>
    public static readonly IReadOnlyList<string> ConformanceClasses = [CreateReplaceDelete, Update];

    /// <summary>What a client may write per collection (besides geometry). A neighbourhood's author and comment sign the change.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Writable = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["neighborhoods"] = ["name", "districtUbigeo", "status", "description", "isIllustrative", "author", "comment"],
        ["stations"] = ["name", "operator"],
        ["incidents"] = ["category", "occurredAt"],
        [ContingentFeatures.Name] = ["neighborhoodId", "name", "officers", "shifts", "availability", "mode", "crewSize", "jointUnits"],
    };

    public static IEnumerable<string> Editable => Writable.Keys;

    public static IEndpointRouteBuilder MapFeatureEdits(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/collections").WithTags("Collections");
        // No Accepts(...): routing would answer 415 before sign-in is checked; the handlers refuse other types.
        group.MapPost("/{name}/items", Create).Produces(StatusCodes.Status201Created, contentType: "application/geo+json").Refusals()
            .WithSummary("OGC API - Features Part 4: creates a feature from a GeoJSON Feature (application/geo+json) in neighborhoods, stations, incidents or contingents: 201 with Location and ETag.");
        group.MapPut("/{name}/items/{id}", Replace).Produces(StatusCodes.Status200OK, contentType: "application/geo+json").Refusals().Preconditions()
            .WithSummary("Replaces a feature with the GeoJSON Feature sent; If-Match names the version it started from (missing: 428, stale: 412). Read-only properties may be sent unchanged.");
        group.MapPatch("/{name}/items/{id}", Patch).Produces(StatusCodes.Status200OK, contentType: "application/geo+json").Refusals().Preconditions()
            .WithSummary("Changes a feature with a JSON merge patch (RFC 7396, application/merge-patch+json) of its geometry and properties; If-Match as for PUT.");
        group.MapDelete("/{name}/items/{id}", Delete).Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status405MethodNotAllowed).Preconditions()
            .WithSummary("Deletes a feature (204); a neighbourhood is kept with its plans and can be restored (POST /api/neighborhoods/{id}/restore). If-Match names the current version.");
        return app;
    }

    // ---- the handlers ------------------------------------------------------------------------------------------------

    public static async Task<IResult> Create(string name, HttpRequest request, EditContext edit, BarrioDbContext db, NeighborhoodStore neighborhoods,
        EntryStore entries, MapLayers layers, FeatureCatalog catalog, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        if (Collection(name) is { } refused) return refused;
        if (!GeoJsonBody.IsJson(request.ContentType)) return SendGeoJson(request);
        var (bytes, tooLarge) = await ReadAsync(request, options.Value.MaxUploadBytes, ct);
        if (tooLarge is not null) return tooLarge;
        var (body, feature, error) = Read(name, bytes);
        if (error is not null) return error;
        if (body!["id"] is { } given) return EditProblem.Refused("Id mismatch", Note.Of("edit.id_on_create", ("given", Text(given))));
        if (Check(name, body, null) is { } bad) return bad;
        if (await GeometryCheck(name, feature!, null, body, db, ct) is { } wrong) return wrong;

        var location = $"{request.PathBase}/api/collections/{name}/items";
        if (name == "neighborhoods")
            return (await NeighborhoodEndpoints.CreateFrom(Writing(feature!), null, location, request, edit, neighborhoods, layers, ct)).Result;
        var saved = await EntryEndpoints.CreateEntryAsync(name, Members(name, body, feature!), edit, entries, request.HttpContext.User, ct);
        var made = await catalog.GetItemAsync(name, saved.Id.ToString(CultureInfo.InvariantCulture), ct);
        return new FeatureResult(made!, saved.Version, StatusCodes.Status201Created, $"{location}/{saved.Id}");
    }

    public static async Task<IResult> Replace(string name, string id, HttpRequest request, EditContext edit, BarrioDbContext db,
        NeighborhoodStore neighborhoods, EntryStore entries, MapLayers layers, FeatureCatalog catalog, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        if (Collection(name) is { } refused) return refused;
        var (key, current, missing) = await CurrentAsync(name, id, catalog, request, ct);
        if (missing is not null) return missing;
        if (await PreconditionAsync(name, key, edit, db, entries, ct) is { } failed) return failed;
        if (!GeoJsonBody.IsJson(request.ContentType)) return SendGeoJson(request);
        var (bytes, tooLarge) = await ReadAsync(request, options.Value.MaxUploadBytes, ct);
        if (tooLarge is not null) return tooLarge;
        return await ReplaceWith(name, key, current!, bytes, request, edit, db, neighborhoods, entries, layers, catalog, ct);
    }

    public static async Task<IResult> Patch(string name, string id, HttpRequest request, EditContext edit, BarrioDbContext db,
        NeighborhoodStore neighborhoods, EntryStore entries, MapLayers layers, FeatureCatalog catalog, IOptions<BarrioOptions> options, CancellationToken ct)
    {
        if (Collection(name) is { } refused) return refused;
        var (key, current, missing) = await CurrentAsync(name, id, catalog, request, ct);
        if (missing is not null) return missing;
        if (await PreconditionAsync(name, key, edit, db, entries, ct) is { } failed) return failed;
        if (!GeoJsonBody.IsJson(request.ContentType))
            return RequestProblem.UnsupportedMediaType(Note.Of("edit.patch_media_type", ("type", request.ContentType ?? "—")));
        var (bytes, tooLarge) = await ReadAsync(request, options.Value.MaxUploadBytes, ct);
        if (tooLarge is not null) return tooLarge;
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = Core.Spatial.InputLimits.JsonDepth });
        }
        catch (JsonException e)
        {
            return RequestProblem.Malformed("Invalid patch",
                Note.Of("api.body_not_json", ("line", (e.LineNumber ?? 0) + 1), ("byte", (e.BytePositionInLine ?? 0) + 1)));
        }
        if (patch is not JsonObject patchObject) return RequestProblem.Malformed("Invalid patch", Note.Of("edit.patch_not_object"));

        // The stored feature as GET shows it, the patch merged into it, then checked and written as a PUT of the result.
        var merged = MergePatch(JsonSerializer.SerializeToNode(current!, GeoJson.Options)!, patchObject)!;
        var whole = JsonSerializer.SerializeToUtf8Bytes(merged, GeoJson.Options);
        return await ReplaceWith(name, key, current!, whole, request, edit, db, neighborhoods, entries, layers, catalog, ct);
    }

    public static async Task<IResult> Delete(string name, string id, HttpRequest request, EditContext edit, BarrioDbContext db,
        LifecycleStore lifecycle, EntryStore entries, FeatureCatalog catalog, CancellationToken ct)
    {
        if (Collection(name) is { } refused) return refused;
        var (key, _, missing) = await CurrentAsync(name, id, catalog, request, ct);
        if (missing is not null) return missing;
        if (name != "neighborhoods") return await EntryEndpoints.DeleteEntryAsync(name, key, edit, entries, ct);

        // The neighbourhood's own soft delete: kept with its plans, hidden, restorable.
        if (await PreconditionAsync(name, key, edit, db, entries, ct) is { } failed) return failed;
        var result = await lifecycle.DeleteNeighborhoodAsync(key, edit.IfMatch!.Value, edit.Author(), ct);
        return result.Outcome switch
        {
            LifecycleOutcome.Done => TypedResults.NoContent(),
            LifecycleOutcome.Stale => Stale(edit.IfMatch.Value, result.Version, result.ChangedBy, result.ChangedAt),
            _ => NoFeature(name, id),
        };
    }

    /// <summary>
    /// On GET /api/collections/{name}/items/{id} of an editable collection: the version as a strong ETag, and 304 when
    /// If-None-Match names it. After the handler, so a feature outside the user's districts stays a 404.
    /// </summary>
    public static async ValueTask<object?> ItemETag(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        var name = http.Request.RouteValues["name"]?.ToString();
        if (name is null || !Writable.ContainsKey(name) || !int.TryParse(http.Request.RouteValues["id"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var key))
            return result;
        var found = result is GeoJsonFeature or OgcItemResult || (result as INestedHttpResult)?.Result is GeoJsonFeature or OgcItemResult;
        if (!found) return result;
        var db = http.RequestServices.GetRequiredService<BarrioDbContext>();
        if (await VersionAsync(name, key, db, http.RequestAborted) is not { } version) return result;
        if (NoneMatch(http.Request, version)) return new NotModified(version);
        return new Tagged((IResult)result!, version);
    }

    // ---- replace: the one path of PUT and of a merged PATCH ---------------------------------------------------------

    private static async Task<IResult> ReplaceWith(string name, int key, IFeature current, ReadOnlyMemory<byte> bytes, HttpRequest request,
        EditContext edit, BarrioDbContext db, NeighborhoodStore neighborhoods, EntryStore entries, MapLayers layers, FeatureCatalog catalog, CancellationToken ct)
    {
        var (body, feature, error) = Read(name, bytes);
        if (error is not null) return error;
        if (body!["id"] is { } given && Text(given) != key.ToString(CultureInfo.InvariantCulture))
            return EditProblem.Refused("Id mismatch", Note.Of("edit.id_mismatch", ("given", Text(given)), ("id", key.ToString(CultureInfo.InvariantCulture))));
        if (Check(name, body, current) is { } bad) return bad;
        if (await GeometryCheck(name, feature!, current, body, db, ct) is { } wrong) return wrong;

        if (name == "neighborhoods")
            return (await NeighborhoodEndpoints.UpdateFrom(key, edit.IfMatch!.Value, Writing(feature!), null, request, edit, neighborhoods, layers, ct)).Result;
        var write = await EntryEndpoints.ReplaceEntryAsync(name, key, Members(name, body, feature!), edit, entries, request.HttpContext.User, ct);
        if (write.Refused is not null) return write.Refused;
        var saved = await catalog.GetItemAsync(name, key.ToString(CultureInfo.InvariantCulture), ct);
        return new FeatureResult(saved!, write.Entry!.Version);
    }

    // ---- checks -----------------------------------------------------------------------------------------------------

    /// <summary>404 for no such collection, 405 for one that is read only; null for an editable one.</summary>
    private static IResult? Collection(string name)
    {
        if (!FeatureCatalog.Exists(name))
            return Problems.NotFound(Note.Of("api.no_collection", ("collection", name), ("known", FeatureCatalog.Collections.Select(c => c.Name).ToArray())));
        return Writable.ContainsKey(name) ? null : new AllowOnly(EditProblem.NotEditable(name));
    }

    /// <summary>The feature the URL names as GET shows it (404 when there is none, or the user may not see it).</summary>
    private static async Task<(int Key, IFeature? Current, IResult? Missing)> CurrentAsync(string name, string id, FeatureCatalog catalog,
        HttpRequest request, CancellationToken ct)
    {
        var feature = int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var key)
            ? await catalog.GetItemAsync(name, id, ct, request.HttpContext.User.DistrictsOf())
            : null;
        return feature is null ? (0, null, NoFeature(name, id)) : (key, feature, null);
    }

    private static NotFoundProblem NoFeature(string name, string id) => Problems.NotFound(Note.Of("api.no_feature", ("id", id), ("collection", name)));

    /// <summary>428 without If-Match, 412 when it names no version or not the current one (with who made it); null when it holds.</summary>
    private static async Task<IResult?> PreconditionAsync(string name, int key, EditContext edit, BarrioDbContext db, EntryStore entries, CancellationToken ct)
    {
        if (name != "neighborhoods")
        {
            var entry = await EntryEndpoints.FindEntryAsync(name, key, entries, ct);
            return entry is null ? null : EntryEndpoints.PreconditionOf(edit, entry);
        }
        var n = await db.Neighborhoods.AsNoTracking().Where(x => x.Id == key).Select(x => new { x.Version }).FirstOrDefaultAsync(ct);
        if (n is null) return null;
        if (!edit.IfMatchGiven) return Problems.VersionRequired(Note.Of("api.if_match_send", ("version", n.Version)));
        if (edit.UnusableIfMatch() is { } unusable) return unusable;
        if (edit.IfMatch == n.Version) return null;
        var last = await db.NeighborhoodRevisions.AsNoTracking().Where(r => r.NeighborhoodId == key && r.Version == n.Version)
            .Select(r => new { r.Author, r.CreatedAt }).FirstOrDefaultAsync(ct);
        return Stale(edit.IfMatch!.Value, n.Version, last?.Author, last?.CreatedAt);
    }

    private static PreconditionFailedProblem Stale(int asked, int version, string? by, DateTimeOffset? at) => EditContext.StalePrecondition(
        by is null ? Note.Of("api.if_match_stale", ("asked", asked), ("version", version))
                   : Note.Of("api.if_match_stale_by", ("asked", asked), ("version", version), ("user", by)),
        version, by, at);

    /// <summary>The body as JSON (its members checked) and as a feature (GeoJsonBody's checks: UTF-8, vertices, CRS, geometry).</summary>
    private static (JsonObject? Body, IFeature? Feature, IResult? Error) Read(string name, ReadOnlyMemory<byte> bytes)
    {
        JsonObject? body = null;
        try
        {
            body = JsonNode.Parse(bytes.Span, documentOptions: new JsonDocumentOptions { MaxDepth = Core.Spatial.InputLimits.JsonDepth }) as JsonObject;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            // Not JSON (or not UTF-8): GeoJsonBody says where, below.
        }
        // A Feature's members are checked before NTS reads it (it may skip what it does not know).
        if (body?["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == "Feature")
        {
            foreach (var member in body)
                if (member.Key is not ("type" or "id" or "geometry" or "properties" or "bbox" or "links" or "crs"))
                    return (null, null, RequestProblem.Malformed("Unknown member", Note.Of("edit.unknown_member", ("member", member.Key))));
            if (body["properties"] is not (null or JsonObject))
                return (null, null, RequestProblem.Malformed("Malformed GeoJSON", Note.Of("api.feature_unusable")));
        }
        var (feature, error) = GeoJsonBody.ParseFeature(bytes, geometryRequired: name != ContingentFeatures.Name);
        if (error is not null) return (null, null, error);
        return (body!, feature, null);
    }

    /// <summary>
    /// Every property is writable, or read-only and sent as stored (a client sends back what it read); an unknown one
    /// is a 400, a changed read-only one a 422. On create nothing read-only may be sent.
    /// </summary>
    private static IResult? Check(string name, JsonObject body, IFeature? current)
    {
        if (body["properties"] is not JsonObject properties) return null;
        var writable = Writable[name];
        JsonObject? stored = current is null ? null : JsonSerializer.SerializeToNode(current, GeoJson.Options)?["properties"] as JsonObject;
        var readOnly = ReadOnly(name);
        foreach (var (key, value) in properties)
        {
            if (writable.Contains(key)) continue;
            if (!readOnly.Contains(key))
                return RequestProblem.Malformed("Unknown property", Note.Of("edit.unknown_property", ("property", key), ("collection", name), ("writable", writable)));
            var was = stored?[key];
            if (stored is null || !SameValue(was, value))
                return EditProblem.Refused("Read-only property", Note.Of("edit.read_only", ("property", key), ("stored", was is null ? "—" : was.ToJsonString())));
        }
        return null;
    }

    /// <summary>The properties GET shows that no client writes: those of a fresh feature that are not writable.</summary>
    private static IReadOnlySet<string> ReadOnly(string name) => name switch
    {
        "neighborhoods" => new HashSet<string> { "id", "version", "areaKm2" },
        "stations" => new HashSet<string> { "id", "osmId", "districtUbigeo", "version", "changedBy", "changedAt" },
        "incidents" => new HashSet<string> { "id", "isSynthetic", "version", "changedBy", "changedAt" },
        _ => new HashSet<string> { "id", "officersPerShift", "version", "changedBy", "changedAt" },
    };

    private static bool SameValue(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null) return a is null && b is null;
        if (a is JsonValue va && b is JsonValue vb && va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
            return Math.Abs(va.GetValue<double>() - vb.GetValue<double>()) <= 1e-9 * Math.Max(1, Math.Abs(va.GetValue<double>()));
        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>Points for stations and incidents; a contingent's is its neighbourhood's point or none (null).</summary>
    private static async Task<IResult?> GeometryCheck(string name, IFeature feature, IFeature? current, JsonObject body, BarrioDbContext db, CancellationToken ct)
    {
        var g = feature.Geometry;
        if (name is "stations" or "incidents" && g is not Point)
            return EditProblem.Refused("Wrong geometry", Note.Of("edit.geometry_type", ("collection", name), ("expected", "Point"), ("type", g?.GeometryType ?? "null")));
        if (name != ContingentFeatures.Name || g is null) return null;
        var neighborhood = body["properties"]?["neighborhoodId"] is JsonValue v && v.TryGetValue<int>(out var n) ? n
            : current?.Attributes["neighborhoodId"] is { } c ? Convert.ToInt32(c, CultureInfo.InvariantCulture) : 0;
        var at = await ContingentFeatures.PointOfAsync(db, neighborhood, ct);
        bool Same(Geometry? p) => p is Point q && g is Point gp && Math.Abs(q.X - gp.X) < 1e-9 && Math.Abs(q.Y - gp.Y) < 1e-9;
        return Same(at) || Same(current?.Geometry) ? null
            : EditProblem.Refused("Wrong geometry", Note.Of("edit.contingent_geometry", ("neighborhood", neighborhood)));
    }

    // ---- from a feature to what the write paths read ----------------------------------------------------------------

    /// <summary>The feature without its read-only properties (a neighbourhood's path reads only what it writes).</summary>
    private static IFeature Writing(IFeature feature)
    {
        var kept = new AttributesTable();
        if (feature.Attributes is { } a)
            foreach (var key in a.GetNames())
                if (Writable["neighborhoods"].Contains(key)) kept.Add(key, a[key]);
        return new Feature(feature.Geometry, kept);
    }

    /// <summary>The members POST /api/{name} reads: the writable properties, and lon/lat of a point.</summary>
    private static JsonElement Members(string name, JsonObject body, IFeature feature)
    {
        var members = new JsonObject();
        if (body["properties"] is JsonObject properties)
            foreach (var (key, value) in properties)
                if (Writable[name].Contains(key)) members[key] = value?.DeepClone();
        // A replace: a writable member left out is cleared (an optional one) or refused (a required one), as RFC 7396's null.
        foreach (var key in Writable[name])
            if (!members.ContainsKey(key)) members[key] = null;
        if (name != ContingentFeatures.Name && feature.Geometry is Point p)
        {
            members["lon"] = p.X;
            members["lat"] = p.Y;
        }
        return JsonSerializer.SerializeToElement(members);
    }

    private static string Text(JsonNode node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();

    /// <summary>RFC 7396: objects merge member by member, null removes, anything else replaces.</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject t ? (JsonObject)t.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = MergePatch(result[key], value);
        }
        return result;
    }

    private static async Task<int?> VersionAsync(string name, int key, BarrioDbContext db, CancellationToken ct) => name switch
    {
        "neighborhoods" => await db.Neighborhoods.AsNoTracking().Where(n => n.Id == key).Select(n => (int?)n.Version).FirstOrDefaultAsync(ct),
        "stations" => await db.Stations.AsNoTracking().Where(n => n.Id == key).Select(n => (int?)n.Version).FirstOrDefaultAsync(ct),
        "incidents" => await db.Incidents.AsNoTracking().Where(n => n.Id == key).Select(n => (int?)n.Version).FirstOrDefaultAsync(ct),
        _ => await db.Contingents.AsNoTracking().Where(n => n.Id == key).Select(n => (int?)n.Version).FirstOrDefaultAsync(ct),
    };

    // ---- HTTP details -----------------------------------------------------------------------------------------------

    private static RequestProblem SendGeoJson(HttpRequest request) => RequestProblem.UnsupportedMediaType(string.IsNullOrEmpty(request.ContentType)
        ? Note.Of("api.send_geojson_none")
        : Note.Of("api.send_geojson", ("type", request.ContentType)));

    private static Task<(byte[] Bytes, IResult? TooLarge)> ReadAsync(HttpRequest request, long maxBytes, CancellationToken ct) =>
        RequestBodies.ReadAsync(request, maxBytes, Note.Of("api.body_over_mib", ("mib", maxBytes / (1024 * 1024))), ct);

    private static bool NoneMatch(HttpRequest request, int version) => RequestBodies.NoneMatch(request, version);

    /// <summary>A feature with its version as a strong ETag; 201 with Location when made.</summary>
    private sealed class FeatureResult(IFeature feature, int version, int status = StatusCodes.Status200OK, string? location = null) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version}\"";
            if (location is not null) http.Response.Headers.Location = location;
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/geo+json";
            await JsonSerializer.SerializeAsync(http.Response.Body, feature, GeoJson.Options, http.RequestAborted);
        }
    }

    private sealed class NotModified(int version) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version}\"";
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
    }

    private sealed class Tagged(IResult inner, int version) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ETag = $"\"{version}\"";
            return inner.ExecuteAsync(http);
        }
    }

    private static RouteHandlerBuilder Refusals(this RouteHandlerBuilder route) => route
        .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status405MethodNotAllowed)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    private static RouteHandlerBuilder Preconditions(this RouteHandlerBuilder route) => route
        .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);

    /// <summary>405 says what the resource allows (RFC 9110).</summary>
    private sealed class AllowOnly(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.Allow = "GET, HEAD";
            return inner.ExecuteAsync(http);
        }
    }
}

/// <summary>The Part 4 refusals that are not a request problem: 405 for a read-only collection, 422 for a feature that cannot be kept.</summary>
public sealed class EditProblem : ProblemResult
{
    private EditProblem(int status, string title, Note reason) : base(status, title, reason, null) { }

    public static EditProblem NotEditable(string collection) => new(StatusCodes.Status405MethodNotAllowed, "Not editable",
        Note.Of("edit.not_editable", ("collection", collection), ("editable", FeatureEditEndpoints.Editable.ToArray())));

    public static EditProblem Refused(string title, Note reason) => new(StatusCodes.Status422UnprocessableEntity, title, reason);
}
