using System.Globalization;
using System.Net;
using System.Text.Json;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// OGC API - Features Part 1 (17-069r4) and Part 2 (18-058) requirement by requirement, in the style of the OGC test
/// suite ets-ogcapi-features10: a request, the status and media type it must get, and a JSON pointer's value.
/// </summary>
[Collection(ApiCollection.Name)]
public class OgcFeaturesTests(ApiFixture api)
{
    private const string Items = "/api/collections/streets/items";
    private const string Utm17 = "http://www.opengis.net/def/crs/EPSG/0/32717";
    private const string Epsg4326 = "http://www.opengis.net/def/crs/EPSG/0/4326";
    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    /// <summary>Requirement (its path in 17-069r4 or 18-058), request, Accept, status, media type, pointer, expected value (null: pointer absent check skipped).</summary>
    [SkippableTheory]
    // Part 1 /req/core/root-success, /req/core/conformance-success, /req/core/fc-md-success
    [InlineData("core/root-success", "/api", null, 200, "application/json", "/title", "BarrioSeguro.Geo")]
    [InlineData("core/conformance-success", "/api/conformance", null, 200, "application/json", "/conformsTo/0", "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core")]
    [InlineData("core/fc-md-success", "/api/collections", null, 200, "application/json", "/collections/3/id", "streets")]
    [InlineData("core/sfc-md-success", "/api/collections/streets", null, 200, "application/json", "/itemType", "feature")]
    [InlineData("core/fc-response", Items + "?limit=2", null, 200, "application/geo+json", "/type", "FeatureCollection")]
    [InlineData("core/fc-response numberReturned", Items + "?limit=2", null, 200, "application/geo+json", "/numberReturned", "2")]
    [InlineData("core/fc-response numberMatched", Items + "?limit=2", null, 200, "application/geo+json", "/numberMatched", "1060")]
    [InlineData("core/fc-links self", Items + "?limit=2", null, 200, "application/geo+json", "/links/0/rel", "self")]
    [InlineData("core/f-success id", "/api/collections/stations/items?limit=1", null, 200, "application/geo+json", "/features/0/links/0/rel", "self")]
    [InlineData("core/f-success collection link", "/api/collections/stations/items?limit=1", null, 200, "application/geo+json", "/features/0/links/1/rel", "collection")]
    // /req/core/fc-limit-definition, -response: 1..10000, malformed refused
    [InlineData("core/fc-limit-definition minimum", Items + "?limit=0", null, 400, "application/problem+json", "/code", "api.limit_min")]
    [InlineData("core/fc-limit-definition integer", Items + "?limit=abc", null, 400, "application/problem+json", "/code", "ogc.not_integer")]
    [InlineData("core/fc-limit-definition integer name", Items + "?limit=2.5", null, 400, "application/problem+json", "/args/parameter", "limit")]
    [InlineData("core/fc-limit-response max clamped", Items + "?limit=20000", null, 200, "application/geo+json", "/numberReturned", "1060")]
    [InlineData("offset negative", Items + "?offset=-1", null, 400, "application/problem+json", "/code", "api.offset_negative")]
    [InlineData("offset integer", Items + "?offset=x", null, 400, "application/problem+json", "/code", "ogc.not_integer")]
    // /req/core/query-param-unknown, /req/core/query-param-invalid
    [InlineData("core/query-param-unknown", Items + "?foo=1", null, 400, "application/problem+json", "/code", "ogc.unknown_parameter")]
    [InlineData("core/query-param-unknown names it", Items + "?limit=1&colour=red", null, 400, "application/problem+json", "/args/parameter", "colour")]
    [InlineData("core/query-param-unknown on collections", "/api/collections?limit=1", null, 400, "application/problem+json", "/code", "ogc.unknown_parameter")]
    [InlineData("core/query-param-unknown on the item", "/api/collections/streets/items/1?bbox=1,2,3,4", null, 400, "application/problem+json", "/args/parameter", "bbox")]
    [InlineData("Part 3 names are known (not refused as unknown)", Items + "?limit=1&sortby=name", null, 200, "application/geo+json", "/numberReturned", "1")]
    // /req/core/fc-bbox-definition, -response: 4 or 6 numbers
    [InlineData("core/fc-bbox-definition 5 numbers", Items + "?bbox=1,2,3,4,5", null, 400, "application/problem+json", "/code", "api.bbox_count")]
    [InlineData("core/fc-bbox-definition not a number", Items + "?bbox=a,b,c,d", null, 400, "application/problem+json", "/code", "api.bbox_not_number")]
    [InlineData("core/fc-bbox-response 6 numbers", "/api/collections/stations/items?bbox=-79.068,-8.025,-10,-79.065,-8.022,100", null, 200, "application/geo+json", "/features/0/properties/name", "PNP MILAGRO")]
    // /req/core/fc-time-definition, -response
    [InlineData("core/fc-time-response open end after the data", "/api/collections/incidents/items?datetime=2030-01-01T00:00:00Z/..", null, 200, "application/geo+json", "/numberMatched", "0")]
    [InlineData("core/fc-time-response open start before the data", "/api/collections/incidents/items?datetime=../2000-01-01T00:00:00Z", null, 200, "application/geo+json", "/numberMatched", "0")]
    [InlineData("core/fc-time-response empty start", "/api/collections/incidents/items?datetime=/2000-01-01T00:00:00Z", null, 200, "application/geo+json", "/numberMatched", "0")]
    [InlineData("core/fc-time-response both open", "/api/collections/incidents/items?datetime=../..", null, 200, "application/geo+json", "/numberMatched", "44")]
    [InlineData("core/fc-time-response instant with an offset", "/api/collections/incidents/items?datetime=2030-01-01T00:00:00-05:00", null, 200, "application/geo+json", "/numberMatched", "0")]
    [InlineData("core/fc-time-response no time: all match", Items + "?datetime=2030-01-01T00:00:00Z&limit=1", null, 200, "application/geo+json", "/numberMatched", "1060")]
    [InlineData("core/fc-time-definition malformed", "/api/collections/incidents/items?datetime=yesterday", null, 400, "application/problem+json", "/code", "ogc.datetime_invalid")]
    [InlineData("core/fc-time-definition no offset (RFC 3339)", "/api/collections/incidents/items?datetime=2017-03-01T00:00:00", null, 400, "application/problem+json", "/code", "ogc.datetime_invalid")]
    [InlineData("core/fc-time-definition month 13", "/api/collections/incidents/items?datetime=2017-13-01T00:00:00Z", null, 400, "application/problem+json", "/code", "ogc.datetime_invalid")]
    [InlineData("core/fc-time-definition three parts", "/api/collections/incidents/items?datetime=a/b/c", null, 400, "application/problem+json", "/code", "ogc.datetime_invalid")]
    [InlineData("core/fc-time-definition end before start", "/api/collections/incidents/items?datetime=2018-01-01T00:00:00Z/2017-01-01T00:00:00Z", null, 400, "application/problem+json", "/code", "ogc.datetime_order")]
    [InlineData("core/fc-time-definition malformed without time", Items + "?datetime=soon", null, 400, "application/problem+json", "/code", "ogc.datetime_invalid")]
    [InlineData("core/sfc-md-extent temporal", "/api/collections/incidents", null, 200, "application/json", "/extent/temporal/trs", "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian")]
    // HTML (/req/html/definition, /req/html/content) and 406
    [InlineData("html/definition Accept", "/api", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200, "text/html", null, null)]
    [InlineData("html/definition f=html", Items + "?f=html&limit=3", null, 200, "text/html", null, null)]
    [InlineData("html/definition collection", "/api/collections/streets?f=html", null, 200, "text/html", null, null)]
    [InlineData("json with */*", "/api/collections", "*/*", 200, "application/json", "/collections/0/id", "districts")]
    [InlineData("406 for an Accept the service cannot meet", "/api/collections", "application/xml", 406, "application/problem+json", "/code", "ogc.not_acceptable")]
    [InlineData("406 on items", Items, "image/png", 406, "application/problem+json", "/code", "ogc.not_acceptable")]
    [InlineData("unknown f", Items + "?f=xml", null, 400, "application/problem+json", "/code", "ogc.unknown_format")]
    // Part 2 /req/crs/crs-action, /req/crs/fc-md-crs-list, /req/crs/fc-md-storageCrs, /req/crs/fc-bbox-crs-action
    [InlineData("crs/fc-md-crs-list", "/api/collections/streets", null, 200, "application/json", "/crs/0", Crs84)]
    [InlineData("crs/fc-md-storageCrs", "/api/collections/streets", null, 200, "application/json", "/storageCrs", Crs84)]
    [InlineData("crs/fc-md-crs-list global", "/api/collections", null, 200, "application/json", "/crs/2", "http://www.opengis.net/def/crs/EPSG/0/3857")]
    [InlineData("crs/crs-action unsupported", Items + "?crs=http://www.opengis.net/def/crs/EPSG/0/2000", null, 400, "application/problem+json", "/code", "ogc.crs_unsupported")]
    [InlineData("crs/crs-action not a crs", Items + "?crs=mars", null, 400, "application/problem+json", "/args/parameter", "crs")]
    [InlineData("crs/fc-bbox-crs-action unsupported", Items + "?bbox=1,2,3,4&bbox-crs=EPSG:2000", null, 400, "application/problem+json", "/args/parameter", "bbox-crs")]
    [InlineData("crs/fc-bbox-crs-action in UTM 17S", "/api/collections/stations/items?bbox=712900,9112400,713300,9112800&bbox-crs=" + Utm17, null, 200, "application/geo+json", "/features/0/properties/name", "PNP MILAGRO")]
    [InlineData("crs/fc-bbox-crs-action EPSG:4326 lat,lon", "/api/collections/stations/items?bbox=-8.025,-79.068,-8.022,-79.065&bbox-crs=" + Epsg4326, null, 200, "application/geo+json", "/features/0/properties/name", "PNP MILAGRO")]
    public async Task Requirement(string requirement, string url, string? accept, int status, string mediaType, string? pointer, string? expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await api.Client().SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{requirement}: {url} gave {(int)response.StatusCode}: {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        if (pointer is null) return;
        using var doc = JsonDocument.Parse(body);
        Assert.True(Pointer(doc.RootElement, pointer) is { } value, $"{requirement}: no {pointer} in {body[..Math.Min(body.Length, 400)]}");
        Assert.Equal(expected, Text(Pointer(doc.RootElement, pointer)!.Value));
    }

    /// <summary>RFC 6901 JSON pointer (no escapes needed here).</summary>
    public static JsonElement? Pointer(JsonElement root, string pointer)
    {
        var e = root;
        foreach (var part in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (e.ValueKind == JsonValueKind.Array && int.TryParse(part, out var i))
            {
                if (i >= e.GetArrayLength()) return null;
                e = e[i];
            }
            else if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(part, out var next)) e = next;
            else return null;
        }
        return e;
    }

    private static string Text(JsonElement e) => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText();

    private async Task<JsonElement> Get(string url)
    {
        var response = await api.Client().GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await ApiFixture.JsonOf(response);
    }

    private static string? Link(JsonElement doc, string rel) => doc.GetProperty("links").EnumerateArray()
        .Where(l => l.GetProperty("rel").GetString() == rel).Select(l => l.GetProperty("href").GetString()).FirstOrDefault();

    [SkippableFact]
    public async Task The_landing_page_links_the_definition_the_documentation_the_conformance_and_the_data()
    {
        var root = await Get("/api");
        var rels = root.GetProperty("links").EnumerateArray().ToDictionary(l => l.GetProperty("rel").GetString()!, l => l);
        Assert.EndsWith("/openapi/v1.json", rels["service-desc"].GetProperty("href").GetString());
        Assert.Equal("application/vnd.oai.openapi+json;version=3.0", rels["service-desc"].GetProperty("type").GetString());
        Assert.EndsWith("/api/docs", rels["service-doc"].GetProperty("href").GetString());
        Assert.Equal("text/html", rels["service-doc"].GetProperty("type").GetString());
        Assert.EndsWith("/api/conformance", rels["conformance"].GetProperty("href").GetString());
        Assert.EndsWith("/api/collections", rels["data"].GetProperty("href").GetString());
        var classes = (await Get("/api/conformance")).GetProperty("conformsTo").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30", classes);
    }

    /// <summary>/req/core/f-success, /req/core/fc-links: every feature has its key as id, and links self and collection that resolve.</summary>
    [SkippableTheory]
    [InlineData("districts", "ubigeo")]
    [InlineData("provinces", "code")]
    [InlineData("streets", "id")]
    [InlineData("incidents", "id")]
    public async Task Each_feature_has_its_key_as_id_and_links_that_resolve(string collection, string key)
    {
        var page = await Get($"/api/collections/{collection}/items?limit=3");
        var feature = page.GetProperty("features")[0];
        var id = feature.GetProperty("id");
        Assert.Equal(Text(feature.GetProperty("properties").GetProperty(key)), Text(id));
        var self = Link(feature, "self")!;
        Assert.EndsWith($"/api/collections/{collection}/items/{Uri.EscapeDataString(Text(id))}", self);
        var one = await Get(new Uri(self).PathAndQuery);
        Assert.Equal(Text(id), Text(one.GetProperty("id")));
        Assert.EndsWith($"/api/collections/{collection}", Link(one, "collection"));
        Assert.EndsWith($"/api/collections/{collection}", Link(page, "collection"));
        Assert.True(DateTimeOffset.TryParse(page.GetProperty("timeStamp").GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
    }

    [SkippableFact]
    public async Task Pages_have_next_and_prev_links_and_a_limit_above_the_maximum_is_clamped()
    {
        var second = await Get(Items + "?limit=400&offset=400");
        Assert.Contains("offset=800", Link(second, "next"));
        Assert.Contains("offset=0", Link(second, "prev"));
        var first = await Get(Items + "?limit=400");
        Assert.Null(Link(first, "prev"));
        var clamped = await Get(Items + "?limit=20000");
        Assert.Contains("limit=10000", Link(clamped, "self"));
        Assert.Null(Link(clamped, "next"));
    }

    [SkippableFact]
    public async Task Datetime_keeps_the_incidents_of_the_interval_only()
    {
        var collection = await Get("/api/collections/incidents");
        var interval = collection.GetProperty("extent").GetProperty("temporal").GetProperty("interval")[0];
        var first = DateTimeOffset.Parse(interval[0].GetString()!, CultureInfo.InvariantCulture);
        var last = DateTimeOffset.Parse(interval[1].GetString()!, CultureInfo.InvariantCulture);
        Assert.True(first < last);
        var all = await Get("/api/collections/incidents/items");
        var times = all.GetProperty("features").EnumerateArray()
            .Select(f => DateTimeOffset.Parse(f.GetProperty("properties").GetProperty("occurredAt").GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(first, times.Min());
        Assert.Equal(last, times.Max());
        var middle = times.Order().ElementAt(times.Count / 2);
        string Z(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var after = await Get($"/api/collections/incidents/items?datetime={Z(middle)}/..");
        Assert.Equal(times.Count(t => t >= middle), after.GetProperty("numberMatched").GetInt32());
        var before = await Get($"/api/collections/incidents/items?datetime=../{Z(middle)}");
        Assert.Equal(times.Count(t => t <= middle), before.GetProperty("numberMatched").GetInt32());
        var instant = await Get($"/api/collections/incidents/items?datetime={Z(middle)}");
        Assert.Equal(times.Count(t => t == middle), instant.GetProperty("numberMatched").GetInt32());
        // The same instant in Lima's offset.
        var lima = middle.ToOffset(TimeSpan.FromHours(-5)).ToString("yyyy-MM-dd'T'HH:mm:ss'-05:00'", CultureInfo.InvariantCulture);
        var inLima = await Get($"/api/collections/incidents/items?datetime={Uri.EscapeDataString(lima)}");
        Assert.Equal(instant.GetProperty("numberMatched").GetInt32(), inLima.GetProperty("numberMatched").GetInt32());
    }

    /// <summary>/req/crs/crs-action, /req/crs/ogc-crs-header: coordinates in the asked CRS as PROJ's cs2cs gives them, Content-Crs named.</summary>
    [SkippableTheory]
    [InlineData(32717)]
    [InlineData(32718)]
    [InlineData(24877)]
    [InlineData(31977)]
    [InlineData(3857)]
    public async Task Crs_gives_the_coordinates_cs2cs_gives(int epsg)
    {
        var uri = $"http://www.opengis.net/def/crs/EPSG/0/{epsg}";
        var station = await StationUrl();
        var plain = await api.Client().GetAsync(station);
        Assert.Equal($"<{Crs84}>", plain.Headers.GetValues("Content-Crs").Single());
        var lonlat = (await ApiFixture.JsonOf(plain)).GetProperty("geometry").GetProperty("coordinates");
        var response = await api.Client().GetAsync($"{station}?crs={Uri.EscapeDataString(uri)}");
        Assert.Equal($"<{uri}>", response.Headers.GetValues("Content-Crs").Single());
        var xy = (await ApiFixture.JsonOf(response)).GetProperty("geometry").GetProperty("coordinates");
        // cs2cs with +proj=longlat input: x = lon, y = lat.
        var output = await Cs2cs($"{lonlat[0].GetDouble().ToString("R", CultureInfo.InvariantCulture)} {lonlat[1].GetDouble().ToString("R", CultureInfo.InvariantCulture)}",
            "OGC:CRS84", $"EPSG:{epsg}");
        var parts = output.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(xy[0].GetDouble() - double.Parse(parts[0], CultureInfo.InvariantCulture), -0.01, 0.01);
        Assert.InRange(xy[1].GetDouble() - double.Parse(parts[1], CultureInfo.InvariantCulture), -0.01, 0.01);
        // The page's links keep the crs, so the next page and the features stay in it.
        var page = await Get($"/api/collections/stations/items?limit=5&crs={Uri.EscapeDataString(uri)}");
        Assert.Contains(Uri.EscapeDataString(uri), Link(page, "next"));
        Assert.Contains(Uri.EscapeDataString(uri), Link(page.GetProperty("features")[0], "self"));
    }

    [SkippableFact]
    public async Task EPSG_4326_asked_explicitly_is_latitude_first_and_CRS84_longitude_first()
    {
        var station = await StationUrl();
        var crs84 = (await Get($"{station}?crs={Uri.EscapeDataString(Crs84)}")).GetProperty("geometry").GetProperty("coordinates");
        var response = await api.Client().GetAsync($"{station}?crs={Uri.EscapeDataString(Epsg4326)}");
        Assert.Equal($"<{Epsg4326}>", response.Headers.GetValues("Content-Crs").Single());
        var latlon = (await ApiFixture.JsonOf(response)).GetProperty("geometry").GetProperty("coordinates");
        Assert.InRange(crs84[0].GetDouble(), -82, -68); // Peru's longitudes
        Assert.Equal(crs84[0].GetDouble(), latlon[1].GetDouble());
        Assert.Equal(crs84[1].GetDouble(), latlon[0].GetDouble());
    }

    [SkippableFact]
    public async Task A_bbox_in_UTM_selects_what_the_same_box_in_lon_lat_selects()
    {
        // Around El Milagro, in UTM 17S, and the lon/lat box cs2cs gives for its corners (inner, so it must select no more).
        var utm = await Get("/api/collections/streets/items?bbox=714000,9113000,715000,9114000&bbox-crs=" + Uri.EscapeDataString(Utm17));
        var sw = (await Cs2cs("714000 9113000", $"EPSG:32717", "OGC:CRS84")).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var ne = (await Cs2cs("715000 9114000", $"EPSG:32717", "OGC:CRS84")).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var lonlat = await Get($"/api/collections/streets/items?bbox={sw[0]},{sw[1]},{ne[0]},{ne[1]}");
        var matched = utm.GetProperty("numberMatched").GetInt32();
        Assert.InRange(matched, 1, 1059);
        // The UTM box's image is slightly bigger than the box of its two corners (a rotated square), never smaller.
        Assert.InRange(matched - lonlat.GetProperty("numberMatched").GetInt32(), 0, 10);
    }

    [SkippableFact]
    public async Task The_html_pages_speak_Spanish_by_default_and_English_when_asked_and_escape_the_data()
    {
        var es = await api.Client().GetStringAsync("/api/collections?f=html");
        Assert.Contains("<html lang=\"es\"", es);
        Assert.Contains("Colecciones", es);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/collections/streets/items?f=html&limit=5");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en");
        var en = await (await api.Client().SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"en\"", en);
        Assert.Contains("Matched: 1060", en);
        Assert.Contains("rel=\"next\"", en);
        var item = await api.Client().GetStringAsync(await StationUrl() + "?f=html&lang=en");
        Assert.Contains("Collection", item);
        Assert.DoesNotContain("<script", item);
    }

    [SkippableFact]
    public async Task The_OpenAPI_document_declares_the_items_parameters_with_limit_bounds()
    {
        var doc = await Get("/openapi/v1.json");
        var parameters = doc.GetProperty("paths").GetProperty("/api/collections/{name}/items").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToDictionary(p => p.TryGetProperty("name", out var n) ? n.GetString()! : "limit", p => p);
        // limit by reference to components/parameters/limit, where QGIS reads its page size.
        Assert.Equal("#/components/parameters/limit", parameters["limit"].GetProperty("$ref").GetString());
        var limit = doc.GetProperty("components").GetProperty("parameters").GetProperty("limit").GetProperty("schema");
        Assert.Equal("1", Text(limit.GetProperty("minimum")));
        Assert.Equal("10000", Text(limit.GetProperty("maximum")));
        Assert.Equal("1000", Text(limit.GetProperty("default")));
        foreach (var name in new[] { "bbox", "datetime", "offset", "crs", "bbox-crs", "f" }) Assert.True(parameters.ContainsKey(name), name);
        Assert.Equal("4", Text(parameters["bbox"].GetProperty("schema").GetProperty("minItems")));
        Assert.Equal("6", Text(parameters["bbox"].GetProperty("schema").GetProperty("maxItems")));
    }

    // The PNP Milagro station's item path.
    private async Task<string> StationUrl()
    {
        var page = await Get("/api/collections/stations/items?bbox=-79.068,-8.025,-79.065,-8.022");
        return new Uri(Link(page.GetProperty("features")[0], "self")!).AbsolutePath;
    }

    internal static async Task<string> Cs2cs(string input, string from, string to)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("cs2cs", ["-f", "%.6f", from, to])
        { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = System.Diagnostics.Process.Start(psi) ?? throw new InvalidOperationException("cs2cs (package proj-bin) is needed.");
        await p.StandardInput.WriteLineAsync(input);
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"cs2cs failed: {await error}");
        return (await output).Trim();
    }
}
