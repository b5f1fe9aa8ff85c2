using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Issue 14.6 in a real browser: streets, districts and the kept blocks are drawn from vector tiles (requests to
/// /tiles/ seen, features on the tile layers at z15), the token goes with the police layer's tiles, and a click on a
/// street drawn from a tile identifies it.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerTilesTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task Streets_districts_and_blocks_are_drawn_from_tiles_and_a_street_is_identified_on_click()
    {
        Api.Require();
        var milagro = await Api.MilagroIdAsync();
        var made = await Api.Client().PostAsync($"/api/neighborhoods/{milagro}/blocks", null);
        Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());

        var page = await OpenViewer();
        var tiles = new ConcurrentQueue<(string Url, string? Authorization)>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/tiles/WebMercatorQuad/", StringComparison.Ordinal))
                tiles.Enqueue((request.Url, request.Headers.TryGetValue("authorization", out var a) ? a : null));
        };
        // El Milagro at z15: a view the streets of the whole city would have had to load as GeoJSON.
        await page.EvaluateAsync("""
            id => { const { map, layers } = window.barrioViewer;
              const g = layers.neighborhoods.getSource().getFeatureById(id).getGeometry();
              map.getView().setCenter(g.getInteriorPoints().getPoint(0).getCoordinates().slice(0, 2)); map.getView().setZoom(15.2); }
            """, milagro);
        const string counts = """
            () => { const { map, tileLayers } = window.barrioViewer; const e = map.getView().calculateExtent(map.getSize());
              return Object.fromEntries(Object.entries(tileLayers).map(([k, l]) => [k, l.getFeaturesInExtent(e).length])); }
            """;
        await WaitFor(page, $"() => document.body.dataset.loading === 'false' && Object.values(({counts})()).every(n => n > 0)");
        var drawn = await page.EvaluateAsync<Dictionary<string, int>>(counts);
        Assert.True(drawn["streets"] > 0 && drawn["districts"] > 0 && drawn["blocks"] > 0, JsonSerializer.Serialize(drawn));

        // Every tile the page loaded since it started (some before the listener above), then the ones seen with their headers.
        var loaded = await page.EvaluateAsync<string[]>("() => performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/tiles/WebMercatorQuad/'))");
        // The tiles of the view's zoom (512 px tiles, OpenLayers' default for vector tiles: one zoom below the view's).
        var z = await page.EvaluateAsync<int>("() => { const { map, tileLayers } = window.barrioViewer; return tileLayers.streets.getSource().getTileGrid().getZForResolution(map.getView().getResolution()); }");
        Assert.Equal(14, z);
        Assert.Contains(loaded, u => u.Contains($"/api/collections/streets/tiles/WebMercatorQuad/{z}/", StringComparison.Ordinal));
        Assert.Contains(loaded, u => u.Contains($"/api/collections/districts/tiles/WebMercatorQuad/{z}/", StringComparison.Ordinal));
        var seen = tiles.ToList();
        var blocks = seen.Where(t => t.Url.Contains("/api/collections/blocks/tiles/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(blocks);
        Assert.All(blocks, b => Assert.StartsWith("Bearer ", b.Authorization));
        // The GeoJSON layers of streets and districts are data for the panels now, not drawn.
        Assert.True(await page.EvaluateAsync<bool>("() => window.barrioViewer.layers.streets.getStyle() === null && window.barrioViewer.layers.districts.getStyle() === null"));

        // A pixel on a street of the tiles (inside El Milagro), clicked: the information panel shows the street among the hits.
        var at = await page.EvaluateAsync<double[]?>("""
            () => { const { map, tileLayers } = window.barrioViewer; const [w, h] = map.getSize(); const rect = map.getTargetElement().getBoundingClientRect();
              for (let y = h * 0.3; y < h * 0.7; y += 7) for (let x = w * 0.3; x < w * 0.7; x += 7) {
                if (map.forEachFeatureAtPixel([x, y], (f) => f, { hitTolerance: 0, layerFilter: (l) => l === tileLayers.streets })) return [rect.left + x, rect.top + y];
              }
              return null; }
            """);
        Assert.NotNull(at);
        await page.Mouse.ClickAsync((float)at![0], (float)at[1]);
        await WaitFor(page, "() => document.querySelector('#feature-info .feature-card[data-layer=\"streets\"]') !== null");

        // Anonymous: no token, and the police layer's tiles are not asked for.
        var anonymous = await OpenViewer(anonymous: true);
        var asked = new ConcurrentQueue<string>();
        anonymous.Request += (_, request) => { if (request.Url.Contains("/tiles/", StringComparison.Ordinal)) asked.Enqueue(request.Url); };
        await anonymous.EvaluateAsync("""
            () => { const { map } = window.barrioViewer; map.getView().setCenter(ol.proj.fromLonLat([-79.0632, -8.0338])); map.getView().setZoom(15.2); }
            """);
        await WaitFor(anonymous, "() => document.body.dataset.loading === 'false' && window.barrioViewer.tileLayers.streets.getFeaturesInExtent(window.barrioViewer.map.getView().calculateExtent(window.barrioViewer.map.getSize())).length > 0");
        Assert.Contains(asked, u => u.Contains("/api/collections/streets/tiles/", StringComparison.Ordinal));
        Assert.DoesNotContain(asked, u => u.Contains("/api/collections/blocks/tiles/", StringComparison.Ordinal));
    }
}
