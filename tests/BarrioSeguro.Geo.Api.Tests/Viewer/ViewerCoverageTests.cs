using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The coverage map is the neighbourhood's: in a real browser, a street outside its polygon is drawn grey ("fuera del
/// barrio" in the legend), not red as a gap. Plans and coverages are only added, so other tests are not affected.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerCoverageTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task A_street_outside_the_neighbourhood_is_drawn_grey_not_uncovered_red()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1280, 900);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        await page.EvaluateAsync("() => window.barrioViewer.computePlan({ sectors: 3, seed: 5 })");
        await WaitFor(page, "() => !document.getElementById('coverage-section').hidden");

        await page.SelectOptionAsync("#coverage-mode", "foot");
        await page.FillAsync("#coverage-minutes", "5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calcular cobertura", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('coverage-result').dataset.drawn === 'true'");
        Assert.Contains("Fuera del barrio", await page.InnerTextAsync("#legend-outside"));

        // Points on the streets outside the polygon (at least 25 m from it), each drawn at the centre of the map at
        // zoom 15: what the coverage layer has there, and the colour on screen.
        var seen = await page.EvaluateAsync<JsonElement>("""
            async (id) => {
              const { map, layers } = window.barrioViewer;
              const hood = layers.neighborhoods.getSource().getFeatures().find(f => String(f.get('id')) === String(id)).getGeometry();
              const outside = layers.coverage.getSource().getFeatures().filter(f => f.get('status') === 'outside');
              const candidates = [];
              for (const f of outside) {
                for (const line of f.getGeometry().getLineStrings()) {
                  const c = line.getCoordinates();
                  for (let i = 1; i < c.length && candidates.length < 8; i += 7) {
                    const p = [(c[i - 1][0] + c[i][0]) / 2, (c[i - 1][1] + c[i][1]) / 2];
                    const near = hood.getClosestPoint(p);
                    const metres = ol.sphere.getDistance(ol.proj.toLonLat(p), ol.proj.toLonLat(near));
                    if (!hood.intersectsCoordinate(p) && metres > 25) candidates.push(p);
                  }
                }
              }
              const view = map.getView();
              const out = [];
              for (const p of candidates) {
                view.setZoom(15);
                view.setCenter(p);
                await new Promise(res => { map.once('rendercomplete', res); map.render(); });
                const px = map.getPixelFromCoordinate(p).map(Math.round);
                const hit = [];
                map.forEachFeatureAtPixel(px, f => { hit.push(f.get('status') ?? f.get('kind')); }, { hitTolerance: 1, layerFilter: l => l === layers.coverage });
                const dpr = window.devicePixelRatio || 1;
                let rgba = null;
                for (const canvas of [...map.getViewport().querySelectorAll('canvas')].reverse()) {
                  const d = canvas.getContext('2d').getImageData(Math.round(px[0] * dpr), Math.round(px[1] * dpr), 1, 1).data;
                  if (d[3] > 0) { rgba = [...d]; break; }
                }
                out.push({ hit, rgba });
              }
              return out;
            }
            """, id);
        Assert.True(seen.GetArrayLength() >= 3, seen.GetRawText());
        var grey = 0;
        foreach (var s in seen.EnumerateArray())
        {
            var hit = s.GetProperty("hit").EnumerateArray().Select(h => h.GetString()).ToList();
            Assert.Equal("outside", hit.FirstOrDefault());
            Assert.DoesNotContain("uncovered", hit);
            var c = s.GetProperty("rgba").EnumerateArray().Select(v => v.GetInt32()).ToArray();
            Assert.False(c[0] > 150 && c[1] < 90 && c[2] < 90, $"red on screen outside the neighbourhood: {string.Join(",", c)}");
            // The legend's grey, #8a9096.
            if (Math.Abs(c[0] - 0x8a) < 24 && Math.Abs(c[1] - 0x90) < 24 && Math.Abs(c[2] - 0x96) < 24) grey++;
        }
        Assert.True(grey * 2 > seen.GetArrayLength(), seen.GetRawText());

        // English says it too.
        await page.ClickAsync(".lang-toggle button[data-lang='en']");
        Assert.Contains("Outside the neighbourhood", await page.InnerTextAsync("#legend-outside"));
        await Screenshot(page, "viewer-coverage-outside.png");
    }
}
