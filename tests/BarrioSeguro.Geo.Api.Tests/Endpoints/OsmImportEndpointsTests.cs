using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using BarrioSeguro.Geo.Data.Import;
using BarrioSeguro.Geo.Data.Tests.Import;
using BarrioSeguro.Geo.IO;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// Issue 13.1: POST /api/imports/osm, on a database of its own (no sample streets): the Huanchaco extract against GDAL,
/// the refusals with nothing written, and blocks and sectors computed on a district imported this way.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class OsmImportEndpointsTests(ApiFixture api)
{
    private static string Pbf => Path.Combine(ApiFixture.GeodataPath, "osm", "huanchaco_el_milagro_extract.osm.pbf");

    private sealed record Service(WebApplicationFactory<Program> Factory, string ConnectionString) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Factory.DisposeAsync();
    }

    private async Task<Service> StartAsync(string name)
    {
        api.Require();
        var cs = await api.Postgis.CreateDatabaseAsync(name);
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:ConnectionString", cs);
            web.UseSetting("Barrio:LoadSampleData", "false");
            web.UseSetting("Barrio:Auth:CreateFirstAdmin", "false");
            web.UseSetting("Barrio:Auth:SecretsDirectory", Path.Combine(Path.GetTempPath(), "barrio-osm-secrets-" + name));
            foreach (var limit in new[] { "PlansPerWindow", "SignInsPerWindow" }) web.UseSetting($"Barrio:Limits:{limit}", "100000");
        });
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        var file = Path.Combine(ApiFixture.GeodataPath, "admin", "huanchaco_y_vecinos_inei2023.geojson");
        var set = VectorFile.Read(file);
        await new CollectionImporter(db).ImportAsync("districts", FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84), "vecinos", "vecinos");
        var accounts = scope.ServiceProvider.GetRequiredService<AccountStore>();
        await accounts.AddAsync("admin", ApiFixture.Password, Role.Admin, []);
        await accounts.AddAsync("planner-esperanza", ApiFixture.Password, Role.Planner, ["130105"]);
        await accounts.AddAsync("viewer", ApiFixture.Password, Role.Viewer, []);
        return new Service(factory, cs);
    }

    private static async Task<HttpClient> As(Service service, string user)
    {
        var client = service.Factory.CreateClient();
        var token = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password = ApiFixture.Password });
        token.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            (await ApiFixture.JsonOf(token)).GetProperty("access_token").GetString());
        return client;
    }

    private static MultipartFormDataContent Form(byte[] file, string fileName, params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", fileName);
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    [SkippableFact]
    public async Task An_uploaded_Huanchaco_extract_loads_the_ways_GDAL_reads_clipped_to_the_district_with_progress_and_audit()
    {
        await using var service = await StartAsync("osmapi");
        var client = await As(service, "admin");
        var response = await client.PostAsync("/api/imports/osm?lang=en",
            Form(await File.ReadAllBytesAsync(Pbf), "huanchaco.osm.pbf", ("district", "130104"), ("jobId", "job-huanchaco")));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var body = await ApiFixture.JsonOf(response);
        Assert.Equal("130104", body.GetProperty("area").GetString());
        Assert.InRange(body.GetProperty("coveredPct").GetDouble(), 25, 99); // the extract stops short of Huanchaco's north
        Assert.Equal("osm.partly_covered", body.GetProperty("warnings")[0].GetProperty("code").GetString());
        Assert.Equal("osm.loaded", body.GetProperty("summary").GetProperty("code").GetString());
        Assert.Contains("streets", body.GetProperty("summary").GetProperty("text").GetString());

        // The same ways as GDAL's lines layer clipped by the district in PostGIS; the same length within 0.1 %.
        using var dir = new TempFolder();
        var gdal = OsmOracle.GdalLines(Pbf, Path.Combine(dir.Path, "lines.geojson"));
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        var oracle = await OsmOracle.ClippedLengths(connection, gdal, "130104");
        var rows = await OsmOracle.Streets(connection);
        Assert.Equal(oracle.Keys.Order(), rows.Select(r => r.Id).Order());
        Assert.Equal(body.GetProperty("streets").GetInt32(), rows.Count);
        var km = rows.Sum(r => r.Row.Meters) / 1000;
        Assert.True(Math.Abs(km - oracle.Values.Sum() / 1000) <= oracle.Values.Sum() / 1000 * 0.001, $"{km} km against GDAL's {oracle.Values.Sum() / 1000} km");
        Assert.Equal(km, body.GetProperty("streetKm").GetDouble(), 0.01 * km);
        var byId = rows.ToDictionary(r => r.Id, r => r.Row);
        foreach (var (id, way) in gdal.Where(g => oracle.ContainsKey(g.Key)).OrderBy(g => g.Key).Where((_, i) => i % 41 == 0))
            Assert.Equal((way.Name, way.Oneway, way.Highway), (byId[id].Name, byId[id].Oneway, byId[id].Class));
        Assert.Contains("COMISARIA DE HUANCHACO", await OsmOracle.Names(connection, "SELECT coalesce(name, '') FROM stations"));
        Assert.True(body.GetProperty("stations").GetInt32() > 0);

        // Progress of the job, as the viewer reads it while the upload runs: done at the end.
        var progress = await ApiFixture.JsonOf(await client.GetAsync("/api/imports/osm/job-huanchaco"));
        Assert.Equal(("done", 100.0), (progress.GetProperty("stage").GetString(), progress.GetProperty("percent").GetDouble()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/imports/osm/no-such-job")).StatusCode);

        // Audited: the upload leaves a row.
        var audit = await ApiFixture.JsonOf(await client.GetAsync("/api/audit?action=POST%20/api/imports/osm"));
        Assert.Contains(audit.GetProperty("entries").EnumerateArray(), e => e.GetProperty("status").GetInt32() == 200 && e.GetProperty("user").GetString() == "admin");
    }

    [SkippableFact]
    public async Task Bad_uploads_are_problems_and_write_nothing()
    {
        await using var service = await StartAsync("osmapibad");
        var admin = await As(service, "admin");
        var bytes = await File.ReadAllBytesAsync(Pbf);
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();

        var cases = new (HttpClient Client, HttpContent Body, HttpStatusCode Status, string? Code)[]
        {
            (admin, Form(bytes[..(bytes.Length / 2)], "cortado.osm.pbf", ("district", "130104")), HttpStatusCode.UnprocessableEntity, "osm.damaged"),
            (admin, Form("esto no es un PBF\n"u8.ToArray(), "texto.osm.pbf", ("district", "130104")), HttpStatusCode.UnprocessableEntity, "osm.not_pbf"),
            (admin, Form(bytes, "h.osm.pbf", ("district", "999999")), HttpStatusCode.UnprocessableEntity, "osm.unknown_district"),
            (admin, Form(bytes, "h.osm.pbf", ("district", "130102")), HttpStatusCode.UnprocessableEntity, "osm.not_covered"),
            (admin, Form(bytes, "h.osm.pbf", ("bbox", "-79,-8,-80,-7")), HttpStatusCode.UnprocessableEntity, "osm.bad_bbox"),
            (admin, Form(bytes, "h.osm.pbf"), HttpStatusCode.BadRequest, "osm.area_required"),
            (admin, Form(bytes, "h.osm.pbf", ("district", "130104"), ("buildings", "quizás")), HttpStatusCode.BadRequest, "osm.bad_buildings"),
            (admin, new MultipartFormDataContent { { new StringContent("130104"), "district" } }, HttpStatusCode.BadRequest, "osm.no_file"),
            (admin, JsonContent.Create(new { district = "130104" }), HttpStatusCode.UnsupportedMediaType, null),
            (await As(service, "viewer"), Form(bytes, "h.osm.pbf", ("district", "130104")), HttpStatusCode.Forbidden, null),
            (await As(service, "planner-esperanza"), Form(bytes, "h.osm.pbf", ("district", "130104")), HttpStatusCode.Forbidden, null),
        };
        foreach (var (client, content, status, code) in cases)
        {
            var response = await client.PostAsync("/api/imports/osm", content);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"{code}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonDocument.Parse(text).RootElement;
            if (code is not null) Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Equal(0, await OsmOracle.Count(connection, "streets"));
            Assert.Equal(0, await OsmOracle.Count(connection, "stations"));
        }

        // Said in Spanish by default, with how much of the district the extract covers.
        var porvenir = await ApiFixture.JsonOf(await admin.PostAsync("/api/imports/osm", Form(bytes, "h.osm.pbf", ("district", "130102"))));
        Assert.StartsWith("El extracto cubre solo el", porvenir.GetProperty("detail").GetString());
        Assert.InRange(porvenir.GetProperty("args").GetProperty("pct").GetDouble(), 0, 24.9);
    }

    [SkippableFact]
    public async Task A_district_imported_from_the_extract_gets_blocks_sectors_coverage_routes_a_field_kit_and_a_row_in_the_overview()
    {
        await using var service = await StartAsync("osmapiplan");
        // A planner of La Esperanza imports it: nearly all of it lies in the extract's data.
        var planner = await As(service, "planner-esperanza");
        var import = await planner.PostAsync("/api/imports/osm", Form(await File.ReadAllBytesAsync(Pbf), "h.osm.pbf", ("district", "130105"), ("buildings", "true")));
        Assert.True(import.StatusCode == HttpStatusCode.OK, await import.Content.ReadAsStringAsync());
        var imported = await ApiFixture.JsonOf(import);
        if (imported.GetProperty("streets").GetInt32() == 0) Assert.Fail(imported.GetRawText());
        // Its buildings too, readable as a collection, counted by the blocks.
        var buildingCount = imported.GetProperty("buildings").GetInt32();
        Assert.True(buildingCount > 0, imported.GetRawText());
        var buildingPage = await ApiFixture.JsonOf(await planner.GetAsync("/api/collections/buildings/items?limit=1"));
        Assert.Equal(buildingCount, buildingPage.GetProperty("numberMatched").GetInt32());

        var admin = await As(service, "admin");
        var blocks = await admin.PostAsync("/api/districts/130105/blocks", null);
        Assert.True(blocks.StatusCode == HttpStatusCode.OK, await blocks.Content.ReadAsStringAsync());
        var districtBlocks = await ApiFixture.JsonOf(blocks);
        if (districtBlocks.GetProperty("blocks").GetInt32() == 0) Assert.Fail(districtBlocks.GetRawText());

        // A neighbourhood in the imported district (a square in its urban core), and a plan of 3 sectors.
        const string square = "[[[-79.0620,-8.0670],[-79.0560,-8.0670],[-79.0560,-8.0610],[-79.0620,-8.0610],[-79.0620,-8.0670]]]";
        var created = await admin.PostAsync("/api/neighborhoods", new StringContent(
            $$$"""{"type":"Feature","properties":{"name":"La Esperanza OSM","districtUbigeo":"130105"},"geometry":{"type":"Polygon","coordinates":{{{square}}}}}""",
            System.Text.Encoding.UTF8, "application/geo+json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = created.Headers.Location!.ToString().Split('/').Last();
        var nb = await admin.PostAsync($"/api/neighborhoods/{id}/blocks", null);
        Assert.True(nb.StatusCode == HttpStatusCode.OK, await nb.Content.ReadAsStringAsync());
        var neighborhoodBlocks = await ApiFixture.JsonOf(nb);
        if (neighborhoodBlocks.GetProperty("blocks").GetInt32() == 0) Assert.Fail(neighborhoodBlocks.GetRawText());
        var plan = await admin.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 3, seed = 1 });
        Assert.True(plan.StatusCode == HttpStatusCode.Created, await plan.Content.ReadAsStringAsync());
        var kept = await ApiFixture.JsonOf(plan);
        Assert.Equal(3, kept.GetProperty("sectors").GetInt32());
        var planId = kept.GetProperty("id").GetInt32();

        // The rest of a chief's work on it: coverage, routes for a shift, and the printed field kit.
        var coverage = await admin.PostAsJsonAsync($"/api/plans/{planId}/coverage", new { mode = "foot", minutes = 5 });
        Assert.True(coverage.StatusCode == HttpStatusCode.Created, await coverage.Content.ReadAsStringAsync());
        var covered = (await ApiFixture.JsonOf(coverage)).EnumerateArray().ToList();
        Assert.NotEmpty(covered);
        var routes = await admin.PostAsJsonAsync($"/api/plans/{planId}/routes", new { mode = "foot", shiftHours = 8, shift = "mañana", seed = 1 });
        Assert.True(routes.StatusCode == HttpStatusCode.Created, await routes.Content.ReadAsStringAsync());
        Assert.Equal(3, (await ApiFixture.JsonOf(routes)).GetProperty("routes").GetArrayLength());
        var kit = await admin.GetAsync($"/api/plans/{planId}/fieldkit.pdf?shift=mañana");
        Assert.True(kit.StatusCode == HttpStatusCode.OK, await kit.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", kit.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString((await kit.Content.ReadAsByteArrayAsync())[..5]));

        // The national overview lists it under La Libertad > Trujillo > La Esperanza, with its plan.
        var overview = await ApiFixture.JsonOf(await admin.GetAsync("/api/overview"));
        var row = overview.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "La Esperanza OSM");
        Assert.Equal("130105", row.GetProperty("ubigeo").GetString());
        Assert.Equal(planId, row.GetProperty("planId").GetInt32());
        Assert.Contains(row.GetProperty("coverage").EnumerateArray(), c => c.GetProperty("mode").GetString() == "foot");
    }

    private sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("barrio-osm-test-").FullName;

        public void Dispose()
        {
            try { Directory.Delete(Path, true); } catch (IOException) { }
        }
    }
}
