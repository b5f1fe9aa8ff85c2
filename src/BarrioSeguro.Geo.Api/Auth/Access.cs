using System.Globalization;
using System.Security.Claims;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>Who may call an endpoint.</summary>
public enum Need
{
    /// <summary>Anyone, signed in or not.</summary>
    Public,
    /// <summary>Any signed-in user.</summary>
    SignedIn,
    /// <summary>Any role (the sensitive reads).</summary>
    Read,
    Planner,
    Chief,
    Gis,
    Admin,
    /// <summary>Reading a collection: public for the base layers, any role for the others.</summary>
    CollectionRead,
    /// <summary>Exporting a collection: public for the base layers, gis for the others.</summary>
    CollectionExport,
    /// <summary>
    /// Writing a collection's features (OGC API - Features Part 4): the role that edits the same things elsewhere,
    /// planners for neighbourhoods and stations, chiefs for incidents and contingents; admins only for the others.
    /// </summary>
    CollectionWrite,
}

/// <summary>Which route value names the resource whose district limits the call.</summary>
public enum Scope
{
    None,
    /// <summary>{id} is a neighbourhood.</summary>
    Neighborhood,
    /// <summary>{planId} is a plan (its neighbourhood's district).</summary>
    Plan,
    /// <summary>the query's a and b are plans.</summary>
    PlanPair,
    /// <summary>{id} is a kept coverage (its plan's).</summary>
    Coverage,
    /// <summary>{id} is a kept route (its plan's).</summary>
    Route,
    /// <summary>{id} is a contingent (its neighbourhood's).</summary>
    Contingent,
    /// <summary>{ubigeo} is the district.</summary>
    District,
    /// <summary>{id} is a station (the district its point is in).</summary>
    Station,
    /// <summary>{id} is a hot spot (the district its point is in).</summary>
    HotSpot,
    /// <summary>{id} is an incident (the district its point is in).</summary>
    Incident,
    /// <summary>{id} is an import (the district it is an extract of).</summary>
    Import,
    /// <summary>{id} is a feature of the collection {name}: the scope of that kind (neighbourhood, station, incident, contingent).</summary>
    CollectionItem,
}

public sealed record AccessRule(Need Need, Scope Scope = Scope.None);

/// <summary>
/// The one table of who may call what, by method and route pattern. An endpoint missing from it is for admins only
/// (and fails AccessMatrixTests), so a new endpoint is never open by accident.
/// </summary>
public static class AccessTable
{
    /// <summary>The base layers anyone may read and export.</summary>
    public static readonly IReadOnlySet<string> PublicCollections = new HashSet<string>(["districts", "streets", "stations", "provinces", "departments", "buildings"], StringComparer.Ordinal);

    public static readonly AccessRule Unlisted = new(Need.Admin);

    public static readonly IReadOnlyDictionary<string, AccessRule> Rules = new Dictionary<string, AccessRule>(StringComparer.Ordinal)
    {
        ["GET /openapi/{documentName}.json"] = new(Need.Public),
        // issue 14, openapi: the documentation page (Scalar) and its embedded assets.
        ["GET /api/docs/{documentName?}"] = new(Need.Public),
        ["GET /api/docs/scalar.js"] = new(Need.Public),
        ["GET /api/docs/scalar.aspnetcore.js"] = new(Need.Public),
        ["GET /api/docs/favicon.svg"] = new(Need.Public),
        ["GET /api"] = new(Need.Public),
        ["GET /api/conformance"] = new(Need.Public),
        ["GET /api/notes/catalog"] = new(Need.Public),
        ["GET /api/collections"] = new(Need.Public),
        ["GET /api/collections/{name}"] = new(Need.CollectionRead),
        ["GET /api/collections/{name}/items"] = new(Need.CollectionRead),
        ["GET /api/collections/{name}/items/{id}"] = new(Need.CollectionRead),
        ["GET /api/collections/{name}/queryables"] = new(Need.CollectionRead),
        ["GET /api/collections/{name}/export"] = new(Need.CollectionExport),
        // issue 14.4, OGC API - Features Part 4: the same roles and district limits as the forms and neighbourhood edits.
        ["POST /api/collections/{name}/items"] = new(Need.CollectionWrite),
        ["PUT /api/collections/{name}/items/{id}"] = new(Need.CollectionWrite, Scope.CollectionItem),
        ["PATCH /api/collections/{name}/items/{id}"] = new(Need.CollectionWrite, Scope.CollectionItem),
        ["DELETE /api/collections/{name}/items/{id}"] = new(Need.CollectionWrite, Scope.CollectionItem),
        // issue 14.6, tiles: read as the features are (public base layers; police layers for any role, district-limited in SQL).
        ["GET /api/collections/{name}/tiles"] = new(Need.CollectionRead),
        ["GET /api/collections/{name}/tiles/{tileMatrixSetId}"] = new(Need.CollectionRead),
        ["GET /api/collections/{name}/tiles/{tileMatrixSetId}/tilejson"] = new(Need.CollectionRead),
        ["GET /api/collections/{name}/tiles/{tileMatrixSetId}/{z}/{y}/{x}"] = new(Need.CollectionRead),

        ["POST /api/auth/token"] = new(Need.Public),
        ["POST /api/auth/revoke"] = new(Need.SignedIn),
        ["GET /api/auth/me"] = new(Need.SignedIn),
        ["GET /api/audit"] = new(Need.Admin),
        ["GET /api/users"] = new(Need.Admin),
        ["GET /api/users/{name}"] = new(Need.Admin),
        ["POST /api/users"] = new(Need.Admin),
        ["PUT /api/users/{name}/role"] = new(Need.Admin),
        ["POST /api/users/{name}/disable"] = new(Need.Admin),

        ["POST /api/neighborhoods"] = new(Need.Planner),
        ["GET /api/neighborhoods/{id:int}"] = new(Need.Read, Scope.Neighborhood),
        ["PUT /api/neighborhoods/{id:int}"] = new(Need.Planner, Scope.Neighborhood),
        ["GET /api/neighborhoods/{id:int}/revisions"] = new(Need.Read, Scope.Neighborhood),
        ["GET /api/neighborhoods/{id:int}/revisions/{version:int}"] = new(Need.Read, Scope.Neighborhood),
        ["GET /api/neighborhoods/{id:int}/diff"] = new(Need.Read, Scope.Neighborhood),
        ["POST /api/neighborhoods/{id:int}/revert"] = new(Need.Planner, Scope.Neighborhood),
        ["POST /api/neighborhoods/validate"] = new(Need.Planner),
        ["GET /api/neighborhoods/{id:int}/validation"] = new(Need.Read, Scope.Neighborhood),
        ["POST /api/neighborhoods/{id:int}/repair"] = new(Need.Planner, Scope.Neighborhood),
        ["GET /api/neighborhoods/{id:int}/figures"] = new(Need.Read, Scope.Neighborhood),

        ["POST /api/neighborhoods/{id:int}/blocks"] = new(Need.Planner, Scope.Neighborhood),
        ["GET /api/neighborhoods/{id:int}/blocks"] = new(Need.Read, Scope.Neighborhood),
        ["POST /api/neighborhoods/proposals"] = new(Need.Planner),
        // issue 13.2, districts: INEI's limits are published data, public like the districts collection.
        ["GET /api/districts"] = new(Need.Public),
        ["GET /api/districts/{ubigeo}"] = new(Need.Public),
        ["GET /api/provinces"] = new(Need.Public),
        ["GET /api/provinces/{code}"] = new(Need.Public),
        ["GET /api/departments"] = new(Need.Public),
        ["GET /api/departments/{code}"] = new(Need.Public),
        ["POST /api/districts/{ubigeo}/blocks"] = new(Need.Planner, Scope.District),
        ["GET /api/districts/{ubigeo}/blocks"] = new(Need.Read, Scope.District),

        ["POST /api/neighborhoods/{id:int}/plans"] = new(Need.Chief, Scope.Neighborhood),
        ["GET /api/neighborhoods/{id:int}/plans"] = new(Need.Read, Scope.Neighborhood),
        ["GET /api/plans/{planId:int}"] = new(Need.Read, Scope.Plan),
        ["GET /api/plans/{planId:int}/sectors"] = new(Need.Read, Scope.Plan),
        ["GET /api/plans/{planId:int}/blocks/{blockId}/why"] = new(Need.Read, Scope.Plan),
        ["GET /api/plans/compare"] = new(Need.Read, Scope.PlanPair),
        // Painting sectors (PlanEditEndpoints): the chief's, as computing a plan is.
        ["GET /api/plans/{planId:int}/paint"] = new(Need.Read, Scope.Plan),
        ["POST /api/plans/{planId:int}/evaluate"] = new(Need.Chief, Scope.Plan),
        ["POST /api/plans/{planId:int}/edits"] = new(Need.Chief, Scope.Plan),
        ["GET /api/plans/{planId:int}/fieldkit.pdf"] = new(Need.Chief, Scope.Plan),
        ["GET /api/plans/{planId:int}/export"] = new(Need.Read, Scope.Plan),
        ["POST /api/plans/{planId:int}/coverage"] = new(Need.Chief, Scope.Plan),
        ["GET /api/plans/{planId:int}/coverage"] = new(Need.Read, Scope.Plan),
        ["POST /api/plans/{planId:int}/routes"] = new(Need.Chief, Scope.Plan),
        ["GET /api/plans/{planId:int}/routes"] = new(Need.Read, Scope.Plan),
        ["GET /api/plans/{planId:int}/routes/cycle"] = new(Need.Read, Scope.Plan),
        ["GET /api/coverages/{id:int}/pieces"] = new(Need.Read, Scope.Coverage),
        ["GET /api/routes/{id:int}/gpx"] = new(Need.Read, Scope.Route),

        ["GET /api/contingents"] = new(Need.Read),
        ["GET /api/contingents/{id:int}/staffing"] = new(Need.Read, Scope.Contingent),

        // issue 12, forms: what chiefs (contingents, hot spots, incidents) and planners (stations) enter by hand.
        ["POST /api/contingents"] = new(Need.Chief),
        ["GET /api/contingents/{id:int}"] = new(Need.Read, Scope.Contingent),
        ["PUT /api/contingents/{id:int}"] = new(Need.Chief, Scope.Contingent),
        ["PATCH /api/contingents/{id:int}"] = new(Need.Chief, Scope.Contingent),
        ["DELETE /api/contingents/{id:int}"] = new(Need.Chief, Scope.Contingent),
        ["POST /api/stations"] = new(Need.Planner),
        ["GET /api/stations/{id:int}"] = new(Need.Read, Scope.Station),
        ["PUT /api/stations/{id:int}"] = new(Need.Planner, Scope.Station),
        ["PATCH /api/stations/{id:int}"] = new(Need.Planner, Scope.Station),
        ["DELETE /api/stations/{id:int}"] = new(Need.Planner, Scope.Station),
        ["GET /api/hotspots"] = new(Need.Read),
        ["POST /api/hotspots"] = new(Need.Chief),
        ["GET /api/hotspots/{id:int}"] = new(Need.Read, Scope.HotSpot),
        ["PUT /api/hotspots/{id:int}"] = new(Need.Chief, Scope.HotSpot),
        ["PATCH /api/hotspots/{id:int}"] = new(Need.Chief, Scope.HotSpot),
        ["DELETE /api/hotspots/{id:int}"] = new(Need.Chief, Scope.HotSpot),
        ["POST /api/incidents"] = new(Need.Chief),
        ["POST /api/incidents/import"] = new(Need.Chief),
        ["GET /api/incidents/{id:int}"] = new(Need.Read, Scope.Incident),
        ["PUT /api/incidents/{id:int}"] = new(Need.Chief, Scope.Incident),
        ["PATCH /api/incidents/{id:int}"] = new(Need.Chief, Scope.Incident),
        ["DELETE /api/incidents/{id:int}"] = new(Need.Chief, Scope.Incident),

        // issue 13.3, overview: any role; the handler keeps a district-limited user to their districts.
        ["GET /api/overview"] = new(Need.Read),
        // issue 13.5, lifecycle: deleting is the right of who may change it; the deleted lists (?deleted=true) are the admins'.
        ["GET /api/neighborhoods"] = new(Need.Read),
        ["DELETE /api/neighborhoods/{id:int}"] = new(Need.Planner, Scope.Neighborhood),
        ["POST /api/neighborhoods/{id:int}/restore"] = new(Need.Planner, Scope.Neighborhood),
        ["DELETE /api/plans/{planId:int}"] = new(Need.Chief, Scope.Plan),
        ["POST /api/plans/{planId:int}/restore"] = new(Need.Chief, Scope.Plan),
        ["POST /api/plans/{planId:int}/recompute"] = new(Need.Chief, Scope.Plan),
        ["GET /api/imports"] = new(Need.Read),
        ["GET /api/imports/{id:int}"] = new(Need.Read, Scope.Import),
        ["GET /api/imports/{id:int}/diff"] = new(Need.Read, Scope.Import),
        ["DELETE /api/imports/{id:int}"] = new(Need.Gis, Scope.Import),
        ["POST /api/imports/{id:int}/restore"] = new(Need.Gis, Scope.Import),
        // issue 13.1, osm: OpenStreetMap extracts uploaded by planners (the handler keeps a district-limited one to its districts).
        ["POST /api/imports/osm"] = new(Need.Planner),
        ["GET /api/imports/osm/{jobId}"] = new(Need.Planner),
    };

    /// <summary>"GET /api/plans/{planId:int}": the key of an endpoint in <see cref="Rules"/>.</summary>
    public static string Key(string method, string pattern)
    {
        var p = pattern.Length > 1 ? pattern.TrimEnd('/') : pattern;
        return $"{method} {(p.StartsWith('/') ? p : "/" + p)}";
    }

    public static AccessRule For(string method, string pattern) => Rules.GetValueOrDefault(Key(method, pattern), Unlisted);

    /// <summary>Whether the role is enough for the need (the need's route values aside).</summary>
    public static bool Allows(Need need, Role role, string? collection = null) => need switch
    {
        Need.Public or Need.SignedIn or Need.Read or Need.CollectionRead => true,
        Need.Planner => role is Role.Planner or Role.Admin,
        Need.Chief => role is Role.Chief or Role.Admin,
        Need.Gis or Need.CollectionExport => role is Role.Gis or Role.Admin,
        Need.CollectionWrite => WriterOf(collection) switch
        {
            Need.Planner => role is Role.Planner or Role.Admin,
            Need.Chief => role is Role.Chief or Role.Admin,
            _ => role is Role.Admin,
        },
        _ => role is Role.Admin,
    };

    /// <summary>The role that writes a collection's features: as POST /api/neighborhoods, /api/stations, /api/incidents, /api/contingents.</summary>
    public static Need WriterOf(string? collection) => collection switch
    {
        "neighborhoods" or "stations" => Need.Planner,
        "incidents" or "contingents" => Need.Chief,
        _ => Need.Admin,
    };

    /// <summary>The district scope of a collection's feature ids.</summary>
    public static Scope ItemScopeOf(string? collection) => collection switch
    {
        "neighborhoods" => Scope.Neighborhood,
        "stations" => Scope.Station,
        "incidents" => Scope.Incident,
        "contingents" => Scope.Contingent,
        _ => Scope.None,
    };

    /// <summary>True when anonymous callers may use it (a base layer for the collection needs).</summary>
    public static bool IsOpen(Need need, string? collection) => need switch
    {
        Need.Public => true,
        Need.CollectionRead or Need.CollectionExport => collection is null || PublicCollections.Contains(collection)
            || !(Data.Features.FeatureCatalog.Exists(collection) || Data.Tiles.TileStore.Exists(collection)), // tiles: blocks are police data
        _ => false,
    };
}

/// <summary>Finds the district of the resource a request names, to check the user's district scope.</summary>
public sealed class DistrictScope(BarrioDbContext db)
{
    /// <summary>The districts involved (null inside for a resource with no district); empty when the resource does not exist.</summary>
    public async Task<IReadOnlyList<string?>> DistrictsAsync(Scope scope, HttpRequest request, CancellationToken ct)
    {
        int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
        var route = request.RouteValues;
        var id = Int(route.GetValueOrDefault("id")?.ToString());
        if (scope == Scope.CollectionItem)
        {
            // A collection with no district (or none at all) limits nothing here: its handler refuses it.
            var of = AccessTable.ItemScopeOf(route.GetValueOrDefault("name")?.ToString());
            return of == Scope.None ? [] : await DistrictsAsync(of, request, ct);
        }
        switch (scope)
        {
            case Scope.Neighborhood when id is { } n:
                // Deleted ones too: a restore is limited to the neighbourhood's district like any change.
                return await db.Neighborhoods.IgnoreQueryFilters().Where(x => x.Id == n).Select(x => x.DistrictUbigeo).ToListAsync(ct);
            case Scope.Plan when Int(route.GetValueOrDefault("planId")?.ToString()) is { } p:
                return await OfPlans([p], ct);
            case Scope.PlanPair:
                var plans = new[] { Int(request.Query["a"]), Int(request.Query["b"]) }.OfType<int>().ToArray();
                return await OfPlans(plans, ct);
            case Scope.Coverage when id is { } c:
                return await OfPlans(await db.PlanCoverages.Where(x => x.Id == c).Select(x => x.PlanId).ToArrayAsync(ct), ct);
            case Scope.Route when id is { } r:
                return await OfPlans(await db.PlanRoutes.Where(x => x.Id == r).Select(x => x.PlanId).ToArrayAsync(ct), ct);
            case Scope.Contingent when id is { } k:
                return await (from c in db.Contingents
                              join n in db.Neighborhoods on c.NeighborhoodId equals n.Id
                              where c.Id == k
                              select n.DistrictUbigeo).ToListAsync(ct);
            case Scope.District when route.GetValueOrDefault("ubigeo")?.ToString() is { } u:
                return [u];
            case Scope.Station when id is { } st:
                return await AtPoint(db.Stations.Where(x => x.Id == st).Select(x => x.Location), request.HttpContext.User, ct);
            case Scope.HotSpot when id is { } h:
                return await AtPoint(db.HotSpots.Where(x => x.Id == h).Select(x => x.Location), request.HttpContext.User, ct);
            case Scope.Incident when id is { } i:
                return await AtPoint(db.Incidents.Where(x => x.Id == i).Select(x => x.Location), request.HttpContext.User, ct);
            case Scope.Import when id is { } d:
                return await db.Datasets.IgnoreQueryFilters().Where(x => x.Id == d).Select(x => x.DistrictUbigeo).ToListAsync(ct);
            default:
                return [];
        }
    }

    /// <summary>
    /// Refuses a block scope (<c>district:U</c>, <c>neighborhood:N</c>, as a proposal's body names it) outside the
    /// user's districts: the route names none, so the gate cannot (a proposal reads the blocks and incidents there).
    /// </summary>
    /// <exception cref="OutsideDistrictException">the scope is in another district, or in none.</exception>
    public async Task CheckBlockScopeAsync(ClaimsPrincipal user, string? scope, CancellationToken ct)
    {
        if (user.DistrictsOf().Count == 0 || string.IsNullOrEmpty(scope)) return;
        string? district = null;
        if (scope.StartsWith("district:", StringComparison.Ordinal)) district = scope["district:".Length..];
        else if (scope.StartsWith("neighborhood:", StringComparison.Ordinal)
                 && int.TryParse(scope["neighborhood:".Length..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            district = await db.Neighborhoods.Where(x => x.Id == n).Select(x => x.DistrictUbigeo).FirstOrDefaultAsync(ct);
        if (district is null || !user.Covers(district))
            throw new OutsideDistrictException(Note.Of("auth.scope_outside", ("scope", scope), ("districts", user.DistrictsOf().ToArray())));
    }

    /// <summary>
    /// The district of a point entry: one of the user's that holds it when there is one (INEI's limits overlap a
    /// little), else the first that holds it, else none (null); empty when the entry does not exist.
    /// </summary>
    private async Task<IReadOnlyList<string?>> AtPoint(IQueryable<NetTopologySuite.Geometries.Point> point, ClaimsPrincipal user, CancellationToken ct)
    {
        var p = await point.FirstOrDefaultAsync(ct);
        if (p is null) return [];
        var districts = await db.Districts.Where(d => d.Boundary.Intersects(p)).OrderBy(d => d.Ubigeo).Select(d => d.Ubigeo).ToListAsync(ct);
        return [districts.FirstOrDefault(user.Covers) ?? districts.FirstOrDefault()];
    }

    private async Task<IReadOnlyList<string?>> OfPlans(int[] plans, CancellationToken ct) =>
        await (from p in db.SectorPlans.IgnoreQueryFilters()
               join n in db.Neighborhoods.IgnoreQueryFilters() on p.NeighborhoodId equals n.Id
               where plans.Contains(p.Id)
               select n.DistrictUbigeo).ToListAsync(ct);
}

/// <summary>
/// Applies <see cref="AccessTable"/> to every request that reaches an endpoint, before its body is read: 401 without
/// a valid token where one is needed, 403 for a role or district that does not allow it; both ProblemDetails.
/// </summary>
public sealed class AccessGate(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, DistrictScope districts)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint) { await next(http); return; }
        var rule = AccessTable.For(http.Request.Method, endpoint.RoutePattern.RawText ?? "");
        var collection = http.Request.RouteValues.GetValueOrDefault("name")?.ToString();
        if (AccessTable.IsOpen(rule.Need, collection)) { await next(http); return; }

        var user = http.User;
        if (user.RoleOf() is not { } role)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await (await AuthProblems.UnauthorizedAsync(http)).ExecuteAsync(http);
            return;
        }
        if (!AccessTable.Allows(rule.Need, role, collection))
        {
            await new ForbiddenProblem(Note.Of("auth.role_may_not", ("role", role.ToString().ToLowerInvariant()),
                ("method", http.Request.Method), ("path", http.Request.Path.ToString()))).ExecuteAsync(http);
            return;
        }
        if (rule.Scope != Scope.None && user.DistrictsOf().Count > 0)
        {
            var involved = await districts.DistrictsAsync(rule.Scope, http.Request, http.RequestAborted);
            var outside = involved.FirstOrDefault(d => d is null || !user.Covers(d));
            if (involved.Any(d => d is null || !user.Covers(d)))
            {
                await new ForbiddenProblem(outside is null
                    ? Note.Of("auth.no_district")
                    : Note.Of("auth.outside_district", ("district", outside), ("user", user.FindFirst(BarrioClaims.Name)?.Value ?? ""))).ExecuteAsync(http);
                return;
            }
        }
        await next(http);
    }
}

/// <summary>The 401 answers: no token, an expired one, a revoked one.</summary>
public static class AuthProblems
{
    public static async Task<UnauthorizedProblem> UnauthorizedAsync(HttpContext http)
    {
        // The handler keeps its result for the request: this asks again for the reason, it does not check twice.
        var failure = (await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.AuthenticateAsync(http)).Failure;
        var reason = failure switch
        {
            null when !http.Request.Headers.Authorization.Any() => Note.Of("auth.sign_in"),
            null => Note.Of("auth.no_bearer"),
            Microsoft.IdentityModel.Tokens.SecurityTokenExpiredException => Note.Of("auth.token_expired"),
            RevokedTokenException e => e.Reason,
            _ => Note.Of("auth.token_invalid"),
        };
        return new UnauthorizedProblem(reason);
    }
}

/// <summary>A token whose user was disabled, changed or signed out after it was issued.</summary>
public sealed class RevokedTokenException(Note reason) : Exception(reason.English)
{
    public Note Reason { get; } = reason;
}

/// <summary>A change that would put a resource in a district outside the user's: a 403 (see ApiErrors).</summary>
public sealed class OutsideDistrictException(Note reason) : Exception(reason.English)
{
    /// <summary>Why, in the reader's language (the API's 403 detail).</summary>
    public Note Reason { get; } = reason;

    /// <summary>
    /// Refuses a neighbourhood the body places outside the user's districts (the route's district is checked by
    /// <see cref="AccessGate"/>; a body can name another). Null: the body names none (kept on update).
    /// </summary>
    public static void Check(ClaimsPrincipal user, string? ubigeo, bool creating)
    {
        if (user.DistrictsOf().Count == 0) return;
        if (ubigeo is null && !creating) return;
        if (ubigeo is null || !user.Covers(ubigeo))
            throw new OutsideDistrictException(ubigeo is null
                ? Note.Of("auth.name_the_district", ("districts", user.DistrictsOf().ToArray()))
                : Note.Of("auth.district_outside", ("district", ubigeo), ("districts", user.DistrictsOf().ToArray())));
    }
}
