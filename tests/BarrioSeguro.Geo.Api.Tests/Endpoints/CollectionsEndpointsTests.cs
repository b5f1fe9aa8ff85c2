using System.Net;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

[Collection(ApiCollection.Name)]
public class CollectionsEndpointsTests(ApiFixture api)
{
    private static Task<JsonElement> Json(HttpResponseMessage response) => ApiFixture.JsonOf(response);

    [SkippableFact]
    public async Task Collections_are_listed_with_their_links()
    {
        var root = await Json(await api.Client().GetAsync("/api/collections"));
        var ids = root.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(["districts", "neighborhoods", "stations", "streets", "incidents", "provinces", "departments", "contingents", "buildings",
            "plans", "sectors", "plan-blocks", "routes", "coverage", "blocks"], ids); // issue 14.5: the plan collections
        var streets = await Json(await api.Client().GetAsync("/api/collections/streets"));
        var bbox = streets.GetProperty("extent").GetProperty("spatial").GetProperty("bbox")[0];
        Assert.InRange(bbox[0].GetDouble(), -79.2, -79.0); // El Milagro's streets, lon/lat
        Assert.InRange(bbox[3].GetDouble(), -8.1, -7.9);
    }

    /// <summary>GDAL's OGC API - Features driver (what QGIS uses too) reads the service: the standard is really met.</summary>
    [SkippableFact]
    public async Task GDAL_reads_the_collections_through_OGC_API_Features()
    {
        var source = $"OAPIF:{api.BaseAddress}api";
        var summary = await Ogr("ogrinfo", "-ro", "-so", source, "streets");
        Assert.Contains("Feature Count: 1060", summary);
        var stations = await Ogr("ogrinfo", "-ro", "-q", source, "stations");
        Assert.Contains("PNP MILAGRO", stations);
        Assert.Contains("Comisaría", stations);
        var layers = await Ogr("ogrinfo", "-ro", "-q", source);
        foreach (var layer in new[] { "districts", "neighborhoods", "stations", "streets", "incidents" }) Assert.Contains(layer, layers);
    }

    private static Task<string> Ogr(string tool, params string[] args) => GdalTool.RunAsync(tool, args);

    [SkippableFact]
    public async Task The_sample_neighbourhood_is_served_with_its_area_as_PostGIS_measures_it()
    {
        var response = await api.Client().GetAsync("/api/collections/neighborhoods/items");
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType!.MediaType);
        var root = await Json(response);
        var milagro = root.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("properties").GetProperty("name").GetString() == "El Milagro");
        var props = milagro.GetProperty("properties");
        Assert.True(props.GetProperty("isIllustrative").GetBoolean());
        Assert.Equal("MultiPolygon", milagro.GetProperty("geometry").GetProperty("type").GetString());

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT ST_Area(boundary::geography) / 1e6 FROM neighborhoods WHERE name = 'El Milagro'", connection);
        var postgisKm2 = (double)(await cmd.ExecuteScalarAsync())!;
        Assert.InRange(props.GetProperty("areaKm2").GetDouble() / postgisKm2 - 1, -0.001, 0.001);
    }

    [SkippableFact]
    public async Task Streets_page_with_next_links_until_every_street_is_seen()
    {
        var client = api.Client();
        var seen = new HashSet<int>();
        string? next = "/api/collections/streets/items?limit=400";
        int matched = 0, pages = 0;
        while (next is not null)
        {
            var root = await Json(await client.GetAsync(next));
            matched = root.GetProperty("numberMatched").GetInt32();
            foreach (var f in root.GetProperty("features").EnumerateArray())
                Assert.True(seen.Add(f.GetProperty("properties").GetProperty("id").GetInt32()));
            next = root.GetProperty("links").EnumerateArray()
                .Where(l => l.GetProperty("rel").GetString() == "next").Select(l => l.GetProperty("href").GetString()).FirstOrDefault();
            pages++;
        }
        Assert.Equal(1060, matched); // every OSM way of the El Milagro extract
        Assert.Equal(matched, seen.Count);
        Assert.Equal(3, pages);
    }

    [SkippableFact]
    public async Task Bbox_returns_only_features_that_touch_it()
    {
        // A box around the PNP Milagro station.
        var root = await Json(await api.Client().GetAsync("/api/collections/stations/items?bbox=-79.068,-8.025,-79.065,-8.022"));
        var names = root.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("name").GetString()).ToList();
        Assert.Contains("PNP MILAGRO", names);
        Assert.DoesNotContain(names, n => n is not null && n.Contains("HUANCHACO", StringComparison.OrdinalIgnoreCase));
    }

    [SkippableTheory]
    [InlineData("/api/collections/streets/items?bbox=1,2,3", HttpStatusCode.BadRequest, "4 numbers", "api.bbox_count")]
    [InlineData("/api/collections/streets/items?bbox=-8.03,-79.07,-8.02,-79.06", HttpStatusCode.BadRequest, "looks like latitude,longitude", "api.bbox_swapped")]
    [InlineData("/api/collections/streets/items?bbox=-79,-91,-78,-7", HttpStatusCode.BadRequest, "latitude within ±90", "api.bbox_degrees")]
    [InlineData("/api/collections/streets/items?bbox=-79,-8,-80,-7", HttpStatusCode.BadRequest, "minimum is greater", "api.bbox_order")]
    [InlineData("/api/collections/streets/items?limit=0", HttpStatusCode.BadRequest, "limit", "api.limit_min")]
    [InlineData("/api/collections/parks/items", HttpStatusCode.NotFound, "No collection named 'parks'", "api.no_collection")]
    [InlineData("/api/collections/streets/items/999999", HttpStatusCode.NotFound, "No feature", "api.no_feature")]
    [InlineData("/api/collections/streets/export?crs=EPSG:9999", HttpStatusCode.BadRequest, "EPSG:9999", "crs.unknown")]
    [InlineData("/api/collections/streets/export?format=dwg", HttpStatusCode.BadRequest, "not one of", "export.unknown_format")]
    public async Task Bad_queries_get_a_problem_that_says_why(string url, HttpStatusCode status, string reason, string code)
    {
        // In English (the default is Spanish); the note's code is the same in both.
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept-Language", "en");
        var response = await api.Client().SendAsync(request);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await Json(response);
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.Equal(code, problem.GetProperty("code").GetString());
    }

    [SkippableFact]
    public async Task The_OpenAPI_document_lists_the_endpoints()
    {
        var root = await Json(await api.Client().GetAsync("/openapi/v1.json"));
        var paths = root.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/collections/{name}/items", paths);
        Assert.Contains("/api/neighborhoods/{id}", paths);
    }
}
