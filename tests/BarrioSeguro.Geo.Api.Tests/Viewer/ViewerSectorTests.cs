using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The chief's "Sectores" section of the planner panel in a real browser: the contingent's staffing, computing a plan
/// through the form, the sectors drawn on the map, the table and figures, kept plans, comparing, 422s and cancelling.
/// Plans are only added (never changed or deleted), so other tests are not affected.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerSectorTests(ApiFixture api) : BrowserTest(api)
{
    /// <summary>Opens the viewer on El Milagro and waits until the section knows the contingent's staffing.</summary>
    private async Task<(IPage Page, int Id)> OpenMilagro(string query = "")
    {
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer(query, 1440, 960);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        return (page, id);
    }

    [SkippableFact]
    public async Task Computing_four_sectors_through_the_form_draws_them_and_reports_their_figures()
    {
        Api.Require();
        var (page, _) = await OpenMilagro();

        // 1. The contingent's staffing: sectors per shift, and the count field starts from it.
        var perShift = await page.GetAttributeAsync("#sectors-per-shift", "data-value");
        Assert.NotNull(perShift);
        Assert.Contains("sectores por turno", await page.InnerTextAsync("#sectors-staffing"));
        Assert.Contains("20 efectivos", await page.InnerTextAsync("#sectors-staffing"));
        Assert.True(await page.Locator("#sectors-staffing .staffing-sentences li").CountAsync() > 0);
        Assert.Equal(perShift, await page.InputValueAsync("#sectors-count"));

        // 2. Through the UI: fill the form, click the button.
        await page.FillAsync("#sectors-count", "4");
        await page.FillAsync("#sectors-seed", "5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calcular sectores", Exact = true }).ClickAsync();
        await WaitFor(page, """
            () => window.barrioViewer.layers.sectors.getSource().getFeatures().length === 4
                  && document.getElementById('sectors-result').dataset.drawn === 'true'
            """);
        Assert.Equal("sectors", await page.EvaluateAsync<string>("() => window.barrioViewer.layers.sectors.get('name')"));

        // OpenLayers answers from what it rendered: at each sector's interior point, the sectors layer drew that sector.
        var hits = await page.EvaluateAsync<JsonElement>("""
            () => {
              const { map, layers } = window.barrioViewer;
              return layers.sectors.getSource().getFeatures().map(f => {
                const g = f.getGeometry();
                const inner = g.getType() === 'Polygon'
                  ? g.getInteriorPoint()
                  : g.getPolygons().reduce((a, b) => (b.getArea() > a.getArea() ? b : a)).getInteriorPoint();
                const pixel = map.getPixelFromCoordinate(inner.getCoordinates().slice(0, 2));
                const found = [];
                map.forEachFeatureAtPixel(pixel, h => { found.push(h.get('sector')); }, { layerFilter: l => l.get('name') === 'sectors' });
                return { sector: f.get('sector'), found, pixel };
              });
            }
            """);
        Assert.Equal(4, hits.GetArrayLength());
        Assert.Equal([0, 1, 2, 3], hits.EnumerateArray().Select(h => h.GetProperty("sector").GetInt32()).Order().ToArray());
        foreach (var h in hits.EnumerateArray())
        {
            var sector = h.GetProperty("sector").GetInt32();
            Assert.Contains(sector, h.GetProperty("found").EnumerateArray().Select(x => x.GetInt32()));
        }

        // The table: one row per sector, with blocks, km², Polsby-Popper and contiguity; the deviation within ±5 %.
        Assert.Equal(4, await page.Locator("#sectors-table tbody tr").CountAsync());
        var firstRow = await page.InnerTextAsync("#sectors-table tbody tr:first-child");
        Assert.Contains("S1", firstRow);
        Assert.Contains("✓", firstRow);
        var deviation = double.Parse(
            (await page.GetAttributeAsync("#plan-figures [data-figure='maxDeviation']", "data-value"))!, CultureInfo.InvariantCulture);
        Assert.InRange(deviation, 0, 5);
        Assert.Matches(@"\d\s%", await page.InnerTextAsync("#plan-figures [data-figure='maxDeviation']"));
        Assert.Equal("5", (await page.InnerTextAsync("#plan-figures [data-figure='seed'] .fig-value")).Trim());
        Assert.Matches(@"\d\sms$", (await page.InnerTextAsync("#plan-figures [data-figure='elapsed'] .fig-value")).Trim());
        foreach (var figure in new[] { "contiguous", "compactness", "islands" })
            Assert.True(await page.Locator($"#plan-figures [data-figure='{figure}']").IsVisibleAsync(), figure);
        // Travel from each sector's centre, in Spanish, with its unit.
        Assert.Matches(@"^media \d+[.,]\d\smin, máx\. \d+[.,]\d\smin$", (await page.InnerTextAsync("#plan-figures [data-figure='travel'] .fig-value")).Trim());
        Assert.True(double.Parse((await page.GetAttributeAsync("#plan-figures [data-figure='travel']", "data-value"))!, CultureInfo.InvariantCulture) > 0);

        // 3. The plan is kept and listed as the one shown.
        var planId = await page.GetAttributeAsync("#sectors-section", "data-plan-id");
        Assert.NotNull(planId);
        Assert.True(await page.Locator($"#plan-list li.is-active[data-plan-id='{planId}']").IsVisibleAsync());
        Assert.Equal(1, await page.Locator("#legend-sectors").CountAsync());

        await page.EvaluateAsync("() => document.getElementById('sectors-section').scrollIntoView({ block: 'start' })");
        Directory.CreateDirectory(Path.Combine(ApiFixture.RepositoryRoot, ".barrio"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ApiFixture.RepositoryRoot, ".barrio", "viewer-sectors.png") });
    }

    [SkippableFact]
    public async Task Kept_plans_can_be_shown_again_and_compared()
    {
        Api.Require();
        var (page, _) = await OpenMilagro();
        var a = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.computePlan({ sectors: 3, seed: 11 })");
        var b = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.computePlan({ sectors: 3, seed: 12 })");
        var idA = a.GetProperty("id").GetInt32();
        var idB = b.GetProperty("id").GetInt32();
        Assert.Equal(3, a.GetProperty("report").GetProperty("sectors").GetArrayLength());
        Assert.Equal(3, await page.EvaluateAsync<int>("() => window.barrioViewer.layers.sectors.getSource().getFeatures().length"));

        // Show the first one again from the list of kept plans.
        Assert.True(await page.Locator($"#plan-list li[data-plan-id='{idA}']").IsVisibleAsync());
        await page.ClickAsync($"#plan-list button[data-plan-id='{idA}']");
        await WaitFor(page, "id => document.getElementById('sectors-section').dataset.planId === String(id) && document.getElementById('sectors-result').dataset.drawn === 'true'", idA);
        Assert.Equal("11", (await page.InnerTextAsync("#plan-figures [data-figure='seed'] .fig-value")).Trim());

        // Compare with the second: blocks that change sector, count and share.
        await page.SelectOptionAsync("#sectors-compare", idB.ToString(CultureInfo.InvariantCulture));
        await WaitFor(page, "() => document.getElementById('compare-summary') !== null");
        var summary = await page.InnerTextAsync("#compare-summary");
        Assert.Contains("Manzanas que cambian de sector", summary);
        Assert.Matches(@"\d+ \([\d.,]+ % de [\d.,\s]+\)", summary);
        var changed = await page.GetAttributeAsync("#compare-summary", "data-changed");
        var api2 = JsonDocument.Parse(await Api.Client().GetStringAsync($"/api/plans/compare?a={idA}&b={idB}")).RootElement;
        Assert.Equal(api2.GetProperty("blocksChanged").GetInt32().ToString(CultureInfo.InvariantCulture), changed);

        // The showPlan hook answers the plan once drawn.
        var shown = await page.EvaluateAsync<int>("id => window.barrioViewer.showPlan(id).then(p => p.id)", idB);
        Assert.Equal(idB, shown);
    }

    [SkippableFact]
    public async Task An_impossible_plan_shows_the_servers_reason_and_a_slow_one_can_be_cancelled()
    {
        Api.Require();
        var (page, _) = await OpenMilagro("?lang=en");
        await page.FillAsync("#sectors-count", "5000");
        await page.ClickAsync("#sectors-compute");
        await WaitFor(page, "() => document.getElementById('sectors-problem') !== null && document.getElementById('sectors-busy').hidden");
        var problem = await page.InnerTextAsync("#sectors-problem");
        Assert.Contains("422", problem);
        Assert.Contains("5000 sectors from", problem); // the ProblemDetails detail, as the server wrote it
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.barrioViewer.layers.sectors.getSource().getFeatures().length"));

        // Hold the computation in the browser: it never answers until the page cancels it.
        await page.RouteAsync("**/plans", route => route.Request.Method == "POST" ? Task.CompletedTask : route.ContinueAsync());
        await page.FillAsync("#sectors-count", "4");
        await page.ClickAsync("#sectors-compute");
        await WaitFor(page, "() => !document.getElementById('sectors-busy').hidden");
        Assert.Contains("Computing the sectors", await page.InnerTextAsync("#sectors-busy"));
        Assert.True(await page.IsDisabledAsync("#sectors-compute"));
        await page.ClickAsync("#sectors-cancel");
        await WaitFor(page, "() => document.getElementById('sectors-busy').hidden && document.getElementById('sectors-result').dataset.state === 'cancelled'");
        Assert.Contains("Cancelled", await page.InnerTextAsync("#sectors-result"));
        Assert.True(await page.IsEnabledAsync("#sectors-compute"));
    }
}
