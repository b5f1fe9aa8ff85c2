using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Planning.Blocks;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Planning;

/// <summary>
/// The same request through the command line (on files exported by the service) and through the API gives the same
/// blocks, the same plan report, the same coverage and the same routes: both go through BarrioSeguro.Geo.Planning.
/// </summary>
internal static class JsonCompare
{
    /// <summary>The JSON without its whitespace (the CLI's files are indented).</summary>
    public static string Compact(this JsonElement e) => JsonSerializer.Serialize(e);

    /// <summary>The JSON without the service's kept-route ids (<c>routeId</c> of calendar entries): the CLI keeps no route.</summary>
    public static string CompactWithoutRouteIds(this JsonElement e) =>
        System.Text.RegularExpressions.Regex.Replace(e.Compact(), @",""routeId"":(\d+|null)", "");
}

[Collection(ApiCollection.Name)]
public class CliAndServiceAgreeTests(ApiFixture api)
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    private sealed record Cli(int ExitCode, string Out, string Error);

    private static Cli Barrio(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = BarrioSeguro.Geo.Cli.Program.Run(args, stdout, stderr);
        return new Cli(code, stdout.ToString(), stderr.ToString());
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    [SkippableFact]
    public async Task Blocks_plan_coverage_and_routes_are_the_same_through_the_CLI_and_the_API()
    {
        var client = api.Client();
        var id = await api.MilagroIdAsync();
        var dir = Directory.CreateTempSubdirectory("barrio-cli-api-");
        try
        {
            string File(string name) => Path.Combine(dir.FullName, name);
            async Task<string> Save(string name, string url)
            {
                var response = await client.GetAsync(url);
                Assert.True(response.IsSuccessStatusCode, $"{url}: {response.StatusCode}");
                await System.IO.File.WriteAllBytesAsync(File(name), await response.Content.ReadAsByteArrayAsync());
                return File(name);
            }

            // The service's data as files: the neighbourhood, every stored street and incident.
            var feature = await client.GetStringAsync($"/api/collections/neighborhoods/items/{id}");
            var boundary = File("barrio.geojson");
            await System.IO.File.WriteAllTextAsync(boundary, "{\"type\":\"FeatureCollection\",\"features\":[" + feature + "]}");
            var streets = await Save("calles.geojson", "/api/collections/streets/export?format=geojson");
            var incidents = await Save("incidentes.geojson", "/api/collections/incidents/export?format=geojson");

            // Blocks: barrio blocks on the files and POST .../blocks on the stored data.
            var cli = Barrio("blocks", "--streets", streets, "--boundary", boundary, "--incidents", incidents, "--out", File("manzanas.geojson"));
            Assert.True(cli.ExitCode == 0, cli.Error);
            var cliBlocks = Json(await System.IO.File.ReadAllTextAsync(File("manzanas.geojson"))).GetProperty("features").EnumerateArray()
                .Select(f => f.GetProperty("properties")).ToList();
            var apiBlocks = await ApiFixture.JsonOf(await client.PostAsync($"/api/neighborhoods/{id}/blocks", null));
            Assert.Equal(apiBlocks.GetProperty("blocks").GetInt32(), cliBlocks.Count);
            Assert.True(cliBlocks.Count > 512, $"{cliBlocks.Count} blocks: blocks closed by streets just outside the neighbourhood are lost");
            var kept = await ApiFixture.JsonOf(await client.GetAsync($"/api/neighborhoods/{id}/blocks"));
            Assert.Equal(kept.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("id").GetString()).Order(StringComparer.Ordinal),
                cliBlocks.Select(b => b.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
            // ... with the same attributes, named and rounded alike (frontage_m, area_m2, perim_m, incidents, buildings).
            var keptById = kept.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties"))
                .ToDictionary(p => p.GetProperty("id").GetString()!);
            foreach (var b in cliBlocks)
                Assert.Equal(b.GetRawText(), keptById[b.GetProperty("id").GetString()!].GetRawText());

            // Plan: the same k, seed and time for every attempt.
            var planResponse = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 4, seed = 7, timeBudgetSeconds = 60 });
            Assert.True(planResponse.StatusCode == HttpStatusCode.Created, await planResponse.Content.ReadAsStringAsync());
            var plan = await ApiFixture.JsonOf(planResponse);
            var planId = plan.GetProperty("id").GetInt32();
            var apiPlan = plan.GetProperty("report");
            cli = Barrio("sectorize", "--blocks", File("manzanas.geojson"), "--sectors", "4", "--seed", "7", "--budget", "60",
                "--out", File("sectores_cli.geojson"), "--assignment", File("asignadas.geojson"), "--report", File("plan.json"));
            Assert.True(cli.ExitCode == 0, cli.Error);
            var cliPlan = Json(await System.IO.File.ReadAllTextAsync(File("plan.json")));
            foreach (var name in new[] { "k", "blocks", "totalWorkload", "maxDeviationPct", "balanceBoundPct", "meanPolsbyPopper", "contiguous", "seed" })
                Assert.True(apiPlan.GetProperty(name).Compact() == cliPlan.GetProperty(name).Compact(),
                    $"{name}: API {apiPlan.GetProperty(name)}, CLI {cliPlan.GetProperty(name)}");
            Assert.Equal(apiPlan.GetProperty("sectors").Compact(), cliPlan.GetProperty("sectors").Compact());
            Assert.Equal(apiPlan.GetProperty("weights").Compact(), cliPlan.GetProperty("weights").Compact());

            // Coverage on the graph the service builds (the streets around the neighbourhood), units where it put them.
            var coverage = await client.PostAsJsonAsync($"/api/plans/{planId}/coverage", new { mode = "foot", minutes = 10 });
            Assert.True(coverage.StatusCode == HttpStatusCode.Created, await coverage.Content.ReadAsStringAsync());
            var apiCoverage = (await ApiFixture.JsonOf(coverage))[0].GetProperty("report");
            var around = BlockPlanning.Around(BoundaryOf(feature), BlockPlanning.NetworkMarginDegrees).EnvelopeInternal;
            var near = await Save("calles_cerca.geojson",
                string.Create(Ci, $"/api/collections/streets/export?format=geojson&bbox={around.MinX:R},{around.MinY:R},{around.MaxX:R},{around.MaxY:R}"));
            var units = File("unidades.geojson");
            await System.IO.File.WriteAllTextAsync(units, Collection(apiCoverage.GetProperty("unitPlaces").EnumerateArray().Select(u =>
                string.Create(Ci, $"{{\"type\":\"Feature\",\"properties\":{{\"name\":{JsonSerializer.Serialize(u.GetProperty("name").GetString())}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{u.GetProperty("lon").GetDouble():R},{u.GetProperty("lat").GetDouble():R}]}}}}"))));
            var sectors = Json(await client.GetStringAsync($"/api/plans/{planId}/sectors")).GetProperty("features").EnumerateArray().ToList();
            var areas = File("areas.geojson");
            await System.IO.File.WriteAllTextAsync(areas, Collection(
                sectors.Select(s => $"{{\"type\":\"Feature\",\"properties\":{{\"name\":\"{s.GetProperty("properties").GetProperty("label").GetString()}\"}},\"geometry\":{s.GetProperty("geometry").Compact()}}}")
                    .Prepend($"{{\"type\":\"Feature\",\"properties\":{{\"name\":\"El Milagro\"}},\"geometry\":{Json(feature).GetProperty("geometry").Compact()}}}")));
            cli = Barrio("coverage", "--streets", near, "--units", units, "--mode", "foot", "--minutes", "10", "--blocks", File("manzanas.geojson"),
                "--incidents", incidents, "--sectors", areas, "--out", File("cobertura.geojson"), "--report", File("cobertura.json"));
            Assert.True(cli.ExitCode == 0, cli.Error);
            var cliCoverage = Json(await System.IO.File.ReadAllTextAsync(File("cobertura.json")));
            var cliAreas = cliCoverage.GetProperty("sectors").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("figures").Compact());
            Assert.Equal(apiCoverage.GetProperty("figures").Compact(), cliAreas["El Milagro"]);
            Assert.True(apiCoverage.GetProperty("figures").GetProperty("blocks").GetInt32() == cliBlocks.Count, "coverage counts every block of the neighbourhood");
            foreach (var s in apiCoverage.GetProperty("sectors").EnumerateArray())
                Assert.Equal(s.GetProperty("figures").Compact(), cliAreas[s.GetProperty("name").GetString()!]);
            Assert.Equal(apiCoverage.GetProperty("networkFigures").GetProperty("streetKm").GetDouble(), cliCoverage.GetProperty("figures").GetProperty("streetKm").GetDouble());

            // Routes: one per sector, by bicycle, no hot spots (the CLI takes them from a file); the same incidents weigh the
            // streets of preventive patrol (the service uses the plan's).
            var routes = await client.PostAsJsonAsync($"/api/plans/{planId}/routes", new { mode = "bike", shiftHours = 8, shift = "mañana", seed = 3, hotspotsPerSector = 0 });
            Assert.True(routes.StatusCode == HttpStatusCode.Created, await routes.Content.ReadAsStringAsync());
            var apiRoutes = (await ApiFixture.JsonOf(routes)).GetProperty("routes").EnumerateArray().Select(r => r.GetProperty("report"))
                .ToDictionary(r => r.GetProperty("sector").GetString()!);
            var sectorFile = await Save("sectores.geojson", $"/api/plans/{planId}/sectors");
            cli = Barrio("routes", "--streets", near, "--sectors", sectorFile, "--mode", "bike", "--shift-hours", "8", "--shift-name", "mañana",
                "--seed", "3", "--incidents", incidents, "--out", File("rutas.geojson"), "--report", File("rutas.json"), "--lang", "es"); // the API speaks Spanish by default
            Assert.True(cli.ExitCode == 0, cli.Error);
            var cliRoutes = Json(await System.IO.File.ReadAllTextAsync(File("rutas.json"))).GetProperty("routes").EnumerateArray()
                .ToDictionary(r => r.GetProperty("sector").GetString()!);
            Assert.Equal(apiRoutes.Keys.Order(), cliRoutes.Keys.Order());
            foreach (var (label, a) in apiRoutes)
                foreach (var name in new[] { "name", "shift", "lengthKm", "durationMin", "deadheadPct", "streetsCoveredPct", "rounds", "optimal", "stops", "unreachable", "cycle" })
                    Assert.True(a.GetProperty(name).CompactWithoutRouteIds() == cliRoutes[label].GetProperty(name).CompactWithoutRouteIds(),
                        $"{label} {name}: API {a.GetProperty(name)}, CLI {cliRoutes[label].GetProperty(name)}");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static string Collection(IEnumerable<string> features) => "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", features) + "]}";

    private static NetTopologySuite.Geometries.Geometry BoundaryOf(string feature) =>
        JsonSerializer.Deserialize<NetTopologySuite.Features.IFeature>(feature, BarrioSeguro.Geo.Api.Http.GeoJson.Options)!.Geometry;
}

/// <summary>The OpenAPI document lists every outcome of the planning endpoints, with the typed reports as schemas.</summary>
[Collection(ApiCollection.Name)]
public class PlanningOpenApiTests(ApiFixture api)
{
    [SkippableTheory]
    [InlineData("/api/neighborhoods/{id}/plans", "post", "201,401,403,404,422,429")]
    [InlineData("/api/plans/{planId}", "get", "200,401,403,404,409")]
    [InlineData("/api/plans/{planId}/coverage", "post", "201,401,403,404,409,422,429")]
    [InlineData("/api/plans/{planId}/routes", "post", "201,401,403,404,409,422,429")]
    [InlineData("/api/routes/{id}/gpx", "get", "200,401,403,404")]
    [InlineData("/api/contingents/{id}/staffing", "get", "200,401,403,404,422")]
    public async Task Every_outcome_is_listed(string path, string method, string statuses)
    {
        var doc = await ApiFixture.JsonOf(await api.Client().GetAsync("/openapi/v1.json"));
        var responses = doc.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
        Assert.Equal(statuses.Split(','), responses.EnumerateObject().Select(r => r.Name).Order());
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        foreach (var name in new[] { "SectorPlanReport", "CoverageReport", "RouteReport", "StaffingReport" })
            Assert.True(schemas.TryGetProperty(name, out _), $"no schema {name}");
    }
}
