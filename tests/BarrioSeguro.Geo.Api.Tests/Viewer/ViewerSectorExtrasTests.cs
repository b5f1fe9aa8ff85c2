using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// A plan made with barriers and a comisaría as a centre, shown in a real browser: the barriers drawn as lines, the centres
/// as points named after the station, and "¿Por qué aquí?" answered in Spanish (English after switching the language).
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerSectorExtrasTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task A_plan_with_barriers_and_a_comisaria_shows_both_and_why_here_in_Spanish()
    {
        Api.Require();
        var client = Api.Client();
        var id = await Api.MilagroIdAsync();
        var stations = await ApiFixture.JsonOf(await client.GetAsync("/api/collections/stations/items?bbox=-79.068,-8.025,-79.065,-8.022"));
        var station = stations.GetProperty("features").EnumerateArray()
            .First(f => f.GetProperty("properties").GetProperty("name").GetString() == "PNP MILAGRO").GetProperty("properties").GetProperty("id").GetInt32();
        var response = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans",
            new { sectors = 3, seed = 1, objective = "response", centreStationIds = new[] { station }, barrierClasses = new[] { "primary" } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var plan = await ApiFixture.JsonOf(response);
        var planId = plan.GetProperty("id").GetInt32();
        var lines = plan.GetProperty("report").GetProperty("barriers").GetProperty("paths").GetArrayLength();
        Assert.True(lines >= 1);

        var page = await OpenViewer("", 1440, 960);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => !document.getElementById('sectors-section').hidden");
        await page.EvaluateAsync("id => window.barrioViewer.showPlan(id)", planId);
        await WaitFor(page, $"() => document.getElementById('sector-extras')?.dataset.barriers === '{lines}'");

        // The layers: barrier lines and the centres, drawn where OpenLayers rendered them.
        var drawn = await page.EvaluateAsync<JsonElement>("""
            () => {
              const { map } = window.barrioViewer;
              const byName = (n) => map.getLayers().getArray().find(l => l.get('name') === n);
              const barriers = byName('sector-barriers'), centres = byName('sector-centres');
              const hit = (layer, coordinate) => {
                const found = [];
                map.forEachFeatureAtPixel(map.getPixelFromCoordinate(coordinate), f => { found.push(f.get('name')); },
                  { layerFilter: l => l === layer, hitTolerance: 3 });
                return found;
              };
              map.renderSync();
              const line = barriers.getSource().getFeatures()[0];
              const mid = line.getGeometry().getLineString(0).getCoordinateAt(0.5);
              const fixed = centres.getSource().getFeatures().find(f => f.get('fixed'));
              return {
                lines: barriers.getSource().getFeatures().length,
                centres: centres.getSource().getFeatures().map(f => f.get('name')),
                lineHit: hit(barriers, mid),
                centreHit: fixed ? hit(centres, fixed.getGeometry().getCoordinates()) : [],
                visible: barriers.getVisible() && centres.getVisible(),
              };
            }
            """);
        Assert.Equal(lines, drawn.GetProperty("lines").GetInt32());
        Assert.True(drawn.GetProperty("visible").GetBoolean());
        Assert.Equal(3, drawn.GetProperty("centres").GetArrayLength());
        Assert.Equal("PNP MILAGRO", drawn.GetProperty("centres")[0].GetString());
        Assert.NotEmpty(drawn.GetProperty("lineHit").EnumerateArray());
        Assert.Contains("PNP MILAGRO", drawn.GetProperty("centreHit").EnumerateArray().Select(x => x.GetString()));
        var extras = await page.InnerTextAsync("#sector-extras");
        Assert.Contains("Barreras que ningún sector cruza", extras);
        Assert.Contains("Avenida Miguel Grau", extras);
        Assert.Contains("S1: PNP MILAGRO", extras);

        // Why here, through its button, in Spanish.
        var button = page.Locator("#sector-extras .sector-centres button").First;
        var block = await button.GetAttributeAsync("data-block");
        Assert.Equal($"¿Por qué está aquí la manzana {block}?", await button.GetAttributeAsync("aria-label"));
        await button.ClickAsync();
        await WaitFor(page, "b => document.getElementById('sector-why')?.dataset.block === b", block);
        var why = await page.InnerTextAsync("#sector-why");
        Assert.Contains($"Manzana {block} en S", why);
        Assert.Contains("El centro de su sector es el más cercano", why);
        Assert.DoesNotContain("Its sector's centre", why);
        Assert.True(await page.Locator("#sector-why li[data-code^='sectors.why_']").CountAsync() >= 2);

        // The same answer in English once the viewer speaks English.
        await page.ClickAsync(".lang-toggle button[data-lang='en']");
        await WaitFor(page, "() => document.documentElement.lang.startsWith('en')");
        await WaitFor(page, "() => document.getElementById('sector-why')?.innerText.includes(\"Its sector's centre is the nearest\")");
    }
}
