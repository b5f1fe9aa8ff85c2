using System.Text.Json;
using BarrioSeguro.Geo.Api.Tests.Endpoints;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The "Exportar" panel in a real browser: the shown plan downloaded as a shapefile through the real controls (the
/// download event of the page), then read by GDAL; the choices follow what is shown and the language.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerExportTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task The_shown_plan_downloads_as_a_UTM_shapefile_GDAL_reads_with_its_sectors()
    {
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1440, 960, downloads: true);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        var plan = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.computePlan({ sectors: 3, seed: 21 })");
        var planId = plan.GetProperty("id").GetInt32();

        // The controls, found by their Spanish accessible names.
        var layer = page.GetByLabel("Capa", new() { Exact = true });
        var format = page.GetByLabel("Formato", new() { Exact = true });
        var crs = page.GetByLabel("Sistema de referencia", new() { Exact = true });
        await WaitFor(page, "() => [...document.querySelectorAll('#export-layer option')].some(o => o.value === 'plan:sectors')");
        await layer.SelectOptionAsync("plan:sectors");
        await format.SelectOptionAsync("shapefile");
        await crs.SelectOptionAsync("EPSG:32717");
        // KML holds lon/lat only: the UTM choice goes away, and comes back with the shapefile.
        await format.SelectOptionAsync("kml");
        Assert.Equal(["EPSG:4326"], await page.Locator("#export-crs option").EvaluateAllAsync<string[]>("os => os.map(o => o.value)"));
        Assert.Equal(0, await page.Locator("#export-format option[value=gpx]").CountAsync()); // GPX is for routes
        await format.SelectOptionAsync("shapefile");
        await crs.SelectOptionAsync("EPSG:32717");

        var download = await page.RunAndWaitForDownloadAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Exportar", Exact = true }).ClickAsync(),
            new() { Timeout = Timeout });
        Assert.Equal($"plan{planId}_sectors_epsg32717.zip", download.SuggestedFilename);
        await WaitFor(page, "() => document.getElementById('export-panel').dataset.state === 'done'");
        Assert.Contains(download.SuggestedFilename, await page.InnerTextAsync("#export-result"));

        using var folder = new PlanExportTests.TempFolder();
        var zip = Path.Combine(folder.Path, download.SuggestedFilename);
        await download.SaveAsAsync(zip);
        var info = PlanExportTests.Ogr("ogrinfo", "-so", "-al", "/vsizip/" + zip);
        Assert.Contains("WGS 84 / UTM zone 17S", info);
        Assert.Contains("Feature Count: 3", info);
        Assert.Contains("Geometry: Polygon", info);
        Assert.Contains("label (String) = S3", PlanExportTests.Ogr("ogrinfo", "-al", "-q", "/vsizip/" + zip));

        // English: the same controls under their English names.
        await page.ClickAsync(".lang-toggle button[data-lang=en]");
        await WaitFor(page, "() => document.getElementById('export-title').textContent === 'Export'");
        Assert.Equal(1, await page.GetByLabel("Reference system", new() { Exact = true }).CountAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Export", Exact = true }).CountAsync());
        Assert.Contains("assigned blocks", await page.InnerTextAsync("#export-layer"));
    }

    [SkippableFact]
    public async Task A_refused_export_says_why_in_the_panel()
    {
        // Anonymous: the base layers only; incidents need a role, so the server refuses and the panel says so.
        var page = await OpenViewer("", 1280, 800, downloads: true, anonymous: true);
        await page.EvaluateAsync("() => window.barrioViewer.layers.incidents.setVisible(true)");
        await WaitFor(page, "() => [...document.querySelectorAll('#export-layer option')].some(o => o.value === 'collection:incidents')");
        await page.GetByLabel("Capa", new() { Exact = true }).SelectOptionAsync("collection:incidents");
        await page.GetByRole(AriaRole.Button, new() { Name = "Exportar", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('export-panel').dataset.state === 'error'");
        var text = await page.InnerTextAsync("#export-result [role=alert]");
        Assert.Contains("No se pudo exportar", text);
        Assert.Contains("401", text);
    }
}
