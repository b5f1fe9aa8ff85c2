using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// "Vista nacional" in a real browser through its controls: the top bar's button opens it on all of Peru, a column
/// header sorts it (as the API sorts), a neighbourhood row zooms the map to that neighbourhood, "Todo el Perú" goes
/// back; its tables scroll inside the panel; its texts follow the language.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerOverviewTests(ApiFixture api) : BrowserTest(api)
{
    private const string ViewLonLat = """
        () => {
          const m = window.barrioViewer.map;
          const e = m.getView().calculateExtent(m.getSize());
          const a = ol.proj.toLonLat([e[0], e[1]], m.getView().getProjection());
          const b = ol.proj.toLonLat([e[2], e[3]], m.getView().getProjection());
          return [a[0], a[1], b[0], b[1]];
        }
        """;

    [SkippableFact]
    public async Task Opening_sorting_and_clicking_a_row_zooms_from_Peru_to_the_neighbourhood()
    {
        var milagro = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1366, 768);

        await page.GetByRole(AriaRole.Button, new() { Name = "Vista nacional", Exact = true }).ClickAsync();
        await WaitFor(page, "() => { const p = document.getElementById('overview-panel'); return !p.hidden && p.dataset.state === 'ready' && p.dataset.zoomed === 'peru'; }");
        var peru = await page.EvaluateAsync<double[]>(ViewLonLat);
        Assert.True(peru[0] <= -81 && peru[2] >= -69 && peru[1] <= -18 && peru[3] >= -0.1, $"the view holds Peru: {string.Join(", ", peru)}");

        // Sorting by area through its header button: descending first (a figure), as the API sorts it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Ordenar por Área (km²)", Exact = true }).ClickAsync();
        await WaitFor(page, "() => { const p = document.getElementById('overview-panel'); return p.dataset.sort === 'areaKm2' && p.dataset.dir === 'desc' && p.dataset.state === 'ready'; }");
        var shown = await page.Locator("#overview-rows tr").EvaluateAllAsync<int[]>("rs => rs.map(r => Number(r.dataset.id))");
        var expected = (await ApiFixture.JsonOf(await Api.Client().GetAsync("/api/overview?sort=areaKm2&dir=desc"))).GetProperty("rows").EnumerateArray()
            .Select(r => r.GetProperty("id").GetInt32()).ToArray();
        Assert.Equal(expected, shown);
        Assert.Equal(["areaKm2"], await page.Locator("#overview-table th[aria-sort=descending] button").EvaluateAllAsync<string[]>("bs => bs.map(b => b.dataset.sort)"));
        // Every figure with its unit: the area cells end in km².
        var areaColumn = Array.IndexOf(await page.Locator("#overview-table thead th").EvaluateAllAsync<string[]>("hs => hs.map(h => h.querySelector('button').dataset.sort)"), "areaKm2");
        Assert.All(await page.Locator($"#overview-rows tr td:nth-child({areaColumn + 1})").AllInnerTextsAsync(), a => Assert.EndsWith("km²", a.Trim()));

        // A click on El Milagro's row: the map goes to it (its boundary inside the view, a view a few km wide).
        await page.Locator($"#overview-rows tr[data-id='{milagro}']").ClickAsync();
        await WaitFor(page, "id => document.getElementById('overview-panel').dataset.zoomed === 'neighborhood:' + id", milagro);
        var view = await page.EvaluateAsync<double[]>(ViewLonLat);
        var row = (await ApiFixture.JsonOf(await Api.Client().GetAsync("/api/overview"))).GetProperty("rows").EnumerateArray()
            .Single(r => r.GetProperty("id").GetInt32() == milagro);
        var bbox = row.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(view[0] <= bbox[0] && view[1] <= bbox[1] && view[2] >= bbox[2] && view[3] >= bbox[3], $"view {string.Join(", ", view)} holds bbox {string.Join(", ", bbox)}");
        Assert.InRange(view[2] - view[0], bbox[2] - bbox[0], 0.2);
        Assert.Equal("true", await page.GetAttributeAsync($"#overview-rows tr[data-id='{milagro}']", "aria-selected"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.barrioViewer.layers.neighborhoods.getVisible()"), "polygons nearer in");

        // A department total narrows the list and zooms out to it; "Todo el Perú" goes back.
        await page.Locator("#overview-totals tr[data-level=department][data-code='13']").ClickAsync();
        await WaitFor(page, "() => { const p = document.getElementById('overview-panel'); return p.dataset.zoomed === 'department:13' && p.dataset.filter === 'department:13' && p.dataset.state === 'ready'; }");
        var department = await page.EvaluateAsync<double[]>(ViewLonLat);
        Assert.True(department[2] - department[0] > view[2] - view[0], "the department's view is wider than the neighbourhood's");
        Assert.All(await page.Locator("#overview-rows tr").EvaluateAllAsync<int[]>("rs => rs.map(r => Number(r.dataset.id))"), id => Assert.Contains(id, expected));
        await page.GetByRole(AriaRole.Button, new() { Name = "Todo el Perú", Exact = true }).ClickAsync();
        await WaitFor(page, "() => { const p = document.getElementById('overview-panel'); return p.dataset.zoomed === 'peru' && p.dataset.filter === '' && p.dataset.state === 'ready'; }");

        // The tables scroll inside the panel: no scroller wider than its panel.
        var fits = await page.EvaluateAsync<bool>("""
            () => { const p = document.getElementById('overview-panel').getBoundingClientRect();
                    return [...document.querySelectorAll('#overview-panel .overview-scroll')].every(s => { const r = s.getBoundingClientRect(); return r.left >= p.left - 1 && r.right <= p.right + 1; }); }
            """);
        Assert.True(fits, "the overview's tables stay inside their panel");

        // English: the same controls under their English names.
        await page.ClickAsync(".lang-toggle button[data-lang=en]");
        await WaitFor(page, "() => document.getElementById('overview-title').textContent === 'National overview'");
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Sort by Area (km²)", Exact = true }).CountAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "All of Peru", Exact = true }).CountAsync());
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Download the national overview as GeoPackage", Exact = true }).CountAsync());
    }
}
