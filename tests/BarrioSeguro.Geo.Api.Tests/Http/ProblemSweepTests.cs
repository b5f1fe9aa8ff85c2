using System.Net;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Http;

/// <summary>
/// Issue 12 item 5: one bad request for each place the API refuses (a parameter, a body, the store, the sign-in, the
/// district scope), sent with lang=es and lang=en: every detail carries its note's code and is said wholly in the
/// language asked, so no English reaches the Spanish viewer (and no Spanish an English client).
/// </summary>
[Collection(ApiCollection.Name)]
public class ProblemSweepTests(ApiFixture api)
{
    /// <summary>Words only English says (padded so that they match words, not parts of names).</summary>
    private static readonly string[] English =
        [" the ", " must ", " not ", "unknown", "Unknown", "invalid", "Invalid", "expected", " is ", " has ", " your ", " needs ", "Sign in", " only ", " again"];

    /// <summary>Words only Spanish says.</summary>
    private static readonly string[] Spanish =
        [" el ", " la ", " las ", " los ", " del ", " debe ", " que ", " una ", " está", "ción", "á", "é", "í", "ó", "ú", "ñ", "«"];

    private sealed record Case(string Name, HttpStatusCode Status, string Code, Func<string, Task<HttpResponseMessage>> Send);

    private static string With(string url, string lang) => url + (url.Contains('?') ? "&" : "?") + "lang=" + lang;

    private static StringContent Geo(string json, string type = "application/geo+json") => new(json, Encoding.UTF8, type);

    private static string Square(string name, string? ubigeo = null) => $$$"""
        {"type":"Feature","properties":{"name":"{{{name}}}"{{{(ubigeo is null ? "" : $",\"districtUbigeo\":\"{ubigeo}\"")}}}},
         "geometry":{"type":"Polygon","coordinates":[[[-79.130,-8.100],[-79.125,-8.100],[-79.125,-8.095],[-79.130,-8.095],[-79.130,-8.100]]]}}
        """;

    private async Task<List<Case>> CasesAsync()
    {
        var admin = api.Client();
        var milagro = await api.MilagroIdAsync();
        string ubigeo, other, milagroName;
        int version;
        await using (var scope = api.Require().Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
            var n = await db.Neighborhoods.Where(x => x.Id == milagro).Select(x => new { x.DistrictUbigeo, x.Name, x.Version }).SingleAsync();
            (ubigeo, milagroName, version) = (n.DistrictUbigeo!, n.Name, n.Version);
            other = await db.Districts.Where(d => d.Ubigeo != ubigeo).Select(d => d.Ubigeo).OrderBy(u => u).FirstAsync();
        }
        var viewer = await api.ClientAs(Role.Viewer);
        var outsider = await api.ClientAs(Role.Planner, other);
        var planner = await api.ClientAs(Role.Planner, ubigeo);
        var expired = api.ClientWithToken(await api.ExpiredTokenAsync(ApiFixture.AdminName));
        var forged = api.ClientWithToken("not.a.token");
        var anonymous = api.AnonymousClient();
        var fresh = $"Barrido {Guid.NewGuid():N}"[..20];

        Task<HttpResponseMessage> Get(HttpClient c, string url, string lang) => c.GetAsync(With(url, lang));
        Task<HttpResponseMessage> Post(HttpClient c, string url, string lang, HttpContent? body) => c.PostAsync(With(url, lang), body);
        Task<HttpResponseMessage> Put(HttpClient c, string url, string lang, HttpContent body, string? ifMatch)
        {
            var request = new HttpRequestMessage(HttpMethod.Put, With(url, lang)) { Content = body };
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return c.SendAsync(request);
        }
        StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

        return
        [
            // Parameters of the collections, the audit, the exports.
            new("bad limit", HttpStatusCode.BadRequest, "api.limit_min", l => Get(admin, "/api/collections/streets/items?limit=0", l)),
            new("bad offset", HttpStatusCode.BadRequest, "api.offset_negative", l => Get(admin, "/api/collections/streets/items?offset=-1", l)),
            new("bbox of 3 numbers", HttpStatusCode.BadRequest, "api.bbox_count", l => Get(admin, "/api/collections/streets/items?bbox=1,2,3", l)),
            new("bbox lat,lon", HttpStatusCode.BadRequest, "api.bbox_swapped", l => Get(admin, "/api/collections/streets/items?bbox=-8.03,-79.07,-8.02,-79.06", l)),
            new("unknown collection", HttpStatusCode.NotFound, "api.no_collection", l => Get(admin, "/api/collections/parks/items", l)),
            new("unknown feature", HttpStatusCode.NotFound, "api.no_feature", l => Get(admin, "/api/collections/streets/items/999999999", l)),
            new("audit limit", HttpStatusCode.BadRequest, "api.limit_range", l => Get(admin, "/api/audit?limit=0", l)),
            new("audit time", HttpStatusCode.BadRequest, "api.not_a_time", l => Get(admin, "/api/audit?from=ayer", l)),
            new("bad export format", HttpStatusCode.BadRequest, "export.unknown_format", l => Get(admin, "/api/collections/streets/export?format=pdf", l)),
            new("gpx of a collection", HttpStatusCode.BadRequest, "export.gpx_for_routes", l => Get(admin, "/api/collections/streets/export?format=gpx", l)),
            new("gpx of sectors", HttpStatusCode.BadRequest, "export.gpx_layer_routes", l => Get(admin, "/api/plans/987654/export?layer=sectors&format=gpx", l)),
            new("bad crs", HttpStatusCode.BadRequest, "crs.unknown", l => Get(admin, "/api/collections/streets/export?crs=EPSG:9999", l)),
            new("kml in utm", HttpStatusCode.BadRequest, "export.lonlat_only", l => Get(admin, "/api/collections/streets/export?format=kml&crs=EPSG:32717", l)),
            new("unknown plan", HttpStatusCode.NotFound, "api.no_plan", l => Get(admin, "/api/plans/987654", l)),
            new("blocks of no scope", HttpStatusCode.BadRequest, "api.no_blocks_for_scope", l => Post(admin, "/api/neighborhoods/proposals", l, Json("""{"scope":"district:000000"}"""))),
            // Users.
            new("user without password", HttpStatusCode.UnprocessableEntity, "api.body_needs", l => Post(admin, "/api/users", l, Json("""{"name":"x","role":"viewer"}"""))),
            new("short password", HttpStatusCode.UnprocessableEntity, "store.password_short", l => Post(admin, "/api/users", l, Json("""{"name":"corto","password":"short","role":"viewer"}"""))),
            new("unknown role", HttpStatusCode.UnprocessableEntity, "store.unknown_role", l => Post(admin, "/api/users", l, Json("""{"name":"raiz","password":"a long password","role":"root"}"""))),
            new("unknown user", HttpStatusCode.NotFound, "api.no_user", l => Get(admin, "/api/users/nadie-aqui", l)),
            new("taken user name", HttpStatusCode.Conflict, "store.user_exists", l => Post(admin, "/api/users", l, Json($$"""{"name":"{{ApiFixture.AdminName}}","password":"a long password","role":"viewer"}"""))),
            // Bodies and the neighbourhood store.
            // Routing refuses these before any handler: the framework's problems are notes too.
            new("entry not json", HttpStatusCode.UnsupportedMediaType, "api.media_type_unsupported", l => Post(admin, "/api/contingents", l, Geo("{}", "text/plain"))),
            new("neighbourhood not geojson", HttpStatusCode.UnsupportedMediaType, "api.media_type_unsupported", l => Post(admin, "/api/neighborhoods", l, Geo(Square(fresh), "text/plain"))),
            new("no such route", HttpStatusCode.NotFound, "api.no_such_route", l => Get(admin, "/api/nada-por-aqui", l)),
            new("import not csv", HttpStatusCode.UnsupportedMediaType, "api.send_csv", l => Post(admin, "/api/incidents/import", l, Json("{}"))),
            new("entry not an object", HttpStatusCode.BadRequest, "api.body_not_object", l => Post(admin, "/api/contingents", l, Json("[1]"))),
            new("empty body", HttpStatusCode.BadRequest, "api.body_empty", l => Post(admin, "/api/neighborhoods", l, Geo(""))),
            new("truncated geojson", HttpStatusCode.BadRequest, "api.geojson_malformed_at", l => Post(admin, "/api/neighborhoods", l, Geo(Square(fresh)[..60]))),
            new("point boundary", HttpStatusCode.UnprocessableEntity, "api.boundary_not_polygon", l => Post(admin, "/api/neighborhoods", l,
                Geo($$$"""{"type":"Feature","properties":{"name":"{{{fresh}}}"},"geometry":{"type":"Point","coordinates":[-79.13,-8.1]}}"""))),
            new("duplicate neighbourhood name", HttpStatusCode.Conflict, "store.duplicate_name", l => Post(admin, "/api/neighborhoods", l, Geo(Square(milagroName)))),
            new("unknown district", HttpStatusCode.UnprocessableEntity, "api.no_district", l => Post(admin, "/api/neighborhoods", l, Geo(Square(fresh, "000000")))),
            new("no version", HttpStatusCode.PreconditionRequired, "api.version_required_property", l => Put(admin, $"/api/neighborhoods/{milagro}", l, Geo(Square(milagroName)), null)),
            new("unusable if-match", HttpStatusCode.PreconditionFailed, "api.if_match_unusable", l => Put(admin, $"/api/neighborhoods/{milagro}", l, Geo(Square(milagroName)), "*")),
            new("stale revision", HttpStatusCode.PreconditionFailed, "store.stale_version", l => Put(admin, $"/api/neighborhoods/{milagro}", l, Geo(Square(milagroName)), $"\"{version + 100}\"")),
            new("unknown revision", HttpStatusCode.NotFound, "api.no_version", l => Post(admin, $"/api/neighborhoods/{milagro}/revert", l,
                Json($$$"""{"toVersion":987654,"version":{{{version}}}}"""))),
            // Sign-in and access.
            new("missing credentials", HttpStatusCode.BadRequest, "auth.credentials_missing", l => Post(anonymous, "/api/auth/token", l, Json("""{"username":"admin"}"""))),
            new("wrong password", HttpStatusCode.Unauthorized, "auth.wrong_password", l => Post(anonymous, "/api/auth/token", l, Json("""{"username":"nadie-aqui","password":"no es esta"}"""))),
            new("no token", HttpStatusCode.Unauthorized, "auth.sign_in", l => Get(anonymous, "/api/users", l)),
            new("expired token", HttpStatusCode.Unauthorized, "auth.token_expired", l => Get(expired, "/api/users", l)),
            new("invalid token", HttpStatusCode.Unauthorized, "auth.token_invalid", l => Get(forged, "/api/users", l)),
            new("role may not", HttpStatusCode.Forbidden, "auth.role_may_not", l => Post(viewer, "/api/neighborhoods", l, Geo(Square(fresh)))),
            new("outside district", HttpStatusCode.Forbidden, "auth.outside_district", l => Get(outsider, $"/api/neighborhoods/{milagro}/figures", l)),
            new("body in another district", HttpStatusCode.Forbidden, "auth.district_outside", l => Post(planner, "/api/neighborhoods", l, Geo(Square(fresh, other)))),
        ];
    }

    [SkippableFact]
    public async Task Every_refusal_is_a_note_said_wholly_in_the_language_asked()
    {
        var problems = new List<string>();
        foreach (var c in await CasesAsync())
        {
            foreach (var (lang, foreign) in new[] { ("es", English), ("en", Spanish) })
            {
                using var response = await c.Send(lang);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != c.Status) { problems.Add($"{c.Name} ({lang}): {(int)response.StatusCode}, not {(int)c.Status}: {text}"); continue; }
                var body = JsonDocument.Parse(text).RootElement;
                var code = body.TryGetProperty("code", out var k) ? k.GetString() : null;
                if (code != c.Code) problems.Add($"{c.Name} ({lang}): code {code ?? "(none)"}, not {c.Code}");
                if (!body.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Object) problems.Add($"{c.Name} ({lang}): no args");
                if (!body.TryGetProperty("detail", out var d) || d.GetString() is not { Length: > 0 } detail) { problems.Add($"{c.Name} ({lang}): no detail: {text}"); continue; }
                foreach (var word in foreign.Where(w => detail.Contains(w, StringComparison.Ordinal)))
                    problems.Add($"{c.Name} ({lang}): '{word.Trim()}' in \"{detail}\"");
                if (detail.Contains(code ?? "\u0000", StringComparison.Ordinal)) problems.Add($"{c.Name} ({lang}): the code itself is the detail: {detail}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [SkippableFact]
    public async Task A_detail_says_its_arguments_in_either_language()
    {
        var admin = api.Client();
        foreach (var (lang, expected) in new[] { ("es", "limit debe ser de 1 a 1,000 (se dio 0)."), ("en", "limit must be from 1 to 1,000 (got 0).") })
        {
            var body = await ApiFixture.JsonOf(await admin.GetAsync($"/api/audit?limit=0&lang={lang}"));
            Assert.Equal(expected, body.GetProperty("detail").GetString());
            Assert.Equal(0, body.GetProperty("args").GetProperty("limit").GetDouble());
        }
    }
}
