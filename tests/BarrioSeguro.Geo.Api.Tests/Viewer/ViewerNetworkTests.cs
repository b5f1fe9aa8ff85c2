using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Coverage and patrol routes of the shown sector plan in a real browser: computed through the "Cobertura" and "Rutas"
/// forms, drawn in the `coverage` and `routes` layers, with figures in units and a GPX download per route.
/// Plans, coverages and routes are only added, so other tests are not affected.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerNetworkTests(ApiFixture api) : BrowserTest(api)
{
    private async Task<IPage> OpenMilagroWithPlan(int sectors)
    {
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1440, 960, downloads: true);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        var plan = await page.EvaluateAsync<JsonElement>("n => window.barrioViewer.computePlan({ sectors: n, seed: 3 })", sectors);
        Assert.Equal(sectors, plan.GetProperty("report").GetProperty("sectors").GetArrayLength());
        await WaitFor(page, "() => !document.getElementById('coverage-section').hidden && !document.getElementById('routes-section').hidden");
        return page;
    }

    [SkippableFact]
    public async Task Coverage_and_routes_of_a_four_sector_plan_are_drawn_reported_and_downloadable()
    {
        Api.Require();
        var page = await OpenMilagroWithPlan(4);

        // Coverage on foot within 5 minutes, through the form.
        Assert.Equal("10", await page.InputValueAsync("#coverage-minutes"));
        await page.SelectOptionAsync("#coverage-mode", "foot");
        await page.FillAsync("#coverage-minutes", "5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calcular cobertura", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('coverage-result').dataset.drawn === 'true'");
        Assert.Equal("coverage", await page.EvaluateAsync<string>("() => window.barrioViewer.layers.coverage.get('name')"));
        var statuses = await page.EvaluateAsync<string[]>(
            "() => window.barrioViewer.layers.coverage.getSource().getFeatures().map(f => f.get('status') ?? f.get('kind'))");
        Assert.Contains("covered", statuses);
        Assert.Contains("uncovered", statuses);
        Assert.Contains("unit", statuses);
        var kpi = await page.InnerTextAsync("#coverage-kpi");
        Assert.Matches(@"\d\s%", kpi);
        Assert.Matches(@"[\d,.]+\skm de [\d,.]+\skm", kpi);
        Assert.Equal(4, await page.Locator("#coverage-sectors tbody tr").CountAsync());
        Assert.True(await page.Locator("#coverage-shift option").CountAsync() >= 1);
        Assert.Matches(@"\d\s%", await page.InnerTextAsync("#coverage-figures [data-figure='backup']"));
        Assert.Equal(1, await page.Locator("#legend-covered").CountAsync());

        // Routes by bike, through the form: one track per sector.
        await page.SelectOptionAsync("#routes-mode", "bike");
        Assert.Equal("8", await page.InputValueAsync("#routes-hours"));
        await page.FillAsync("#routes-seed", "4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calcular rutas", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('routes-result').dataset.drawn === 'true'");
        Assert.Equal("routes", await page.EvaluateAsync<string>("() => window.barrioViewer.layers.routes.get('name')"));
        Assert.Equal(4, await page.EvaluateAsync<int>(
            "() => window.barrioViewer.layers.routes.getSource().getFeatures().filter(f => f.get('kind') === 'track').length"));
        Assert.Equal(4, await page.Locator("#routes-table tbody tr").CountAsync());
        Assert.Contains("Máx. min", await page.InnerTextAsync("#routes-table thead")); // longest hot-spot gap, in minutes
        var firstRow = await page.InnerTextAsync("#routes-table tbody tr:first-child");
        Assert.Matches(@"\d\s%", firstRow);
        Assert.Matches(@"\d+/480", firstRow); // minutes of the 8 h shift

        // The first route's GPX link downloads a GPX 1.1 file.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#routes-table tbody tr:first-child a.gpx-link"));
        var path = await download.PathAsync();
        var gpx = await File.ReadAllTextAsync(path!);
        Assert.StartsWith("<?xml", gpx.TrimStart('\uFEFF'));
        Assert.Contains("<gpx", gpx);
        Assert.EndsWith(".gpx", download.SuggestedFilename);

        // OpenLayers answers from what it drew: at a vertex of the first track, the routes layer is hit.
        var found = await page.EvaluateAsync<string[]>("""
            () => {
              const { map, layers } = window.barrioViewer;
              const track = layers.routes.getSource().getFeatures().filter(f => f.get('kind') === 'track')
                .sort((a, b) => a.get('sector') - b.get('sector'))[0];
              const coords = track.getGeometry().getCoordinates();
              const pixel = map.getPixelFromCoordinate(coords[Math.floor(coords.length / 3)]);
              const names = [];
              map.forEachFeatureAtPixel(pixel, (f, layer) => { names.push(layer?.get('name') ?? ''); }, { hitTolerance: 2 });
              return names;
            }
            """);
        Assert.Contains("routes", found);

        await page.EvaluateAsync("() => document.getElementById('routes-section').scrollIntoView({ block: 'start' })");
        Directory.CreateDirectory(Path.Combine(ApiFixture.RepositoryRoot, ".barrio"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ApiFixture.RepositoryRoot, ".barrio", "viewer-routes.png") });
    }

    [SkippableFact]
    public async Task The_hooks_resolve_after_drawing_and_a_bad_request_shows_the_servers_reason()
    {
        Api.Require();
        var page = await OpenMilagroWithPlan(3);
        var rows = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.computeCoverage({ mode: 'bike', minutes: 3 })");
        Assert.True(rows.GetArrayLength() >= 1);
        Assert.Equal("true", await page.GetAttributeAsync("#coverage-result", "data-drawn"));
        Assert.True(await page.EvaluateAsync<int>("() => window.barrioViewer.layers.coverage.getSource().getFeatures().length") > 0);

        var routes = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.computeRoutes({ mode: 'car', shiftHours: 8, seed: 2 })");
        Assert.Equal(3, routes.GetProperty("routes").GetArrayLength());
        Assert.Equal(3, await page.EvaluateAsync<int>(
            "() => window.barrioViewer.layers.routes.getSource().getFeatures().filter(f => f.get('kind') === 'track').length"));

        // 422: the problem's detail is shown; the spinner goes away.
        await page.FillAsync("#routes-hours", "30");
        await page.ClickAsync("#routes-compute");
        await WaitFor(page, "() => document.getElementById('routes-problem') !== null && document.getElementById('routes-busy').hidden");
        var problem = await page.InnerTextAsync("#routes-problem");
        Assert.Contains("422", problem);
        Assert.Contains("shiftHours", problem);

        // A computation held in the browser can be cancelled.
        await page.RouteAsync("**/coverage", route => route.Request.Method == "POST" ? Task.CompletedTask : route.ContinueAsync());
        await page.ClickAsync("#coverage-compute");
        await WaitFor(page, "() => !document.getElementById('coverage-busy').hidden");
        Assert.Contains("Calculando la cobertura", await page.InnerTextAsync("#coverage-busy"));
        await page.ClickAsync("#coverage-cancel");
        await WaitFor(page, "() => document.getElementById('coverage-busy').hidden && document.getElementById('coverage-result').dataset.state === 'cancelled'");
        Assert.True(await page.IsEnabledAsync("#coverage-compute"));
    }

    [SkippableFact]
    public async Task Chips_highlight_their_row_English_redraws_the_results_and_another_plan_clears_them()
    {
        Api.Require();
        var page = await OpenMilagroWithPlan(3);
        await page.EvaluateAsync("() => window.barrioViewer.computeCoverage({ mode: 'foot', minutes: 5 })");
        await page.EvaluateAsync("() => window.barrioViewer.computeRoutes({ mode: 'foot', shiftHours: 8, seed: 1 })");
        Assert.Equal(3, await page.Locator("#coverage-sectors tbody .sector-chip.is-static").CountAsync());

        // A route's chip highlights its row and its track and stops (and no other).
        var routeId = await page.GetAttributeAsync("#routes-table tbody tr:nth-child(2)", "data-route-id");
        await page.ClickAsync("#routes-table tbody tr:nth-child(2) .route-chip");
        Assert.Equal(1, await page.Locator("#routes-table tbody tr.is-active").CountAsync());
        Assert.Equal(routeId, await page.GetAttributeAsync("#routes-table tbody tr.is-active", "data-route-id"));
        var lit = await page.EvaluateAsync<int[]>(
            "() => [...new Set(window.barrioViewer.layers.routes.getSource().getFeatures().filter(f => f.get('highlight')).map(f => f.get('routeId')))]");
        Assert.Equal([int.Parse(routeId!)], lit);

        // A sector's chip likewise, in the sectors table.
        await page.ClickAsync("#sectors-table tbody tr:nth-child(3) .sector-chip");
        Assert.Equal("2", await page.GetAttributeAsync("#sectors-table tbody tr.is-active", "data-sector"));
        var litSectors = await page.EvaluateAsync<int[]>(
            "() => window.barrioViewer.layers.sectors.getSource().getFeatures().filter(f => f.get('highlight')).map(f => Number(f.get('sector')))");
        Assert.Equal([2], litSectors);

        // English: the results are drawn again in it, the highlighted route kept.
        await page.ClickAsync(".lang-toggle button[data-lang='en']");
        Assert.Contains("Gap min", await page.InnerTextAsync("#routes-table thead"));
        Assert.Contains("Streets", await page.InnerTextAsync("#coverage-sectors thead"));
        Assert.Contains("Backup", await page.InnerTextAsync("#coverage-figures [data-figure='backup']"));
        Assert.Equal(routeId, await page.GetAttributeAsync("#routes-table tbody tr.is-active", "data-route-id"));

        // Another plan: coverage and routes of the one before go, from the map and the panels.
        await page.EvaluateAsync("() => window.barrioViewer.computePlan({ sectors: 2, seed: 9 })");
        await WaitFor(page, "() => document.getElementById('coverage-result').childElementCount === 0 && document.getElementById('routes-result').childElementCount === 0");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.barrioViewer.layers.coverage.getSource().getFeatures().length"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.barrioViewer.layers.routes.getSource().getFeatures().length"));
        Assert.Equal("false", await page.GetAttributeAsync("#routes-result", "data-drawn"));
        Assert.True(await page.IsVisibleAsync("#coverage-section"));
        Assert.True(await page.IsEnabledAsync("#routes-compute"));
    }
}
