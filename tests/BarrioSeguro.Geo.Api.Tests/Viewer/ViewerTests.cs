using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>The viewer in a real browser (Debian's Chromium driven by Playwright) against the running service.</summary>
[Collection(ApiCollection.Name)]
public class ViewerTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task The_El_Milagro_polygon_is_drawn_where_the_map_says()
    {
        Api.Require();
        var page = await OpenViewer();
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify(window.barrioViewer.errors)"));

        // Ask the map which features are drawn at the pixel of the polygon's interior point: OpenLayers answers from
        // what it rendered, so this fails when the polygon is not on screen.
        var hit = await page.EvaluateAsync<string[]>("""
            () => {
              const { map, layers } = window.barrioViewer;
              const milagro = layers.neighborhoods.getSource().getFeatures().find(f => f.get('name') === 'El Milagro');
              if (!milagro) return ['not loaded'];
              const pixel = map.getPixelFromCoordinate(milagro.getGeometry().getInteriorPoints().getPoint(0).getCoordinates());
              const names = [];
              map.forEachFeatureAtPixel(pixel, (f, layer) => { if (layer && layer.get('name') === 'neighborhoods') names.push(f.get('name')); });
              return names;
            }
            """);
        Assert.Contains("El Milagro", hit);

        // The neighbourhood fills most of the initial view: the map was fitted to it.
        var share = await page.EvaluateAsync<double>("""
            () => {
              const { map, layers } = window.barrioViewer;
              const e = layers.neighborhoods.getSource().getExtent();
              const v = map.getView().calculateExtent(map.getSize());
              return ((e[2] - e[0]) * (e[3] - e[1])) / ((v[2] - v[0]) * (v[3] - v[1]));
            }
            """);
        Assert.InRange(share, 0.1, 1.0);
        Directory.CreateDirectory(Path.Combine(ApiFixture.RepositoryRoot, ".barrio"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ApiFixture.RepositoryRoot, ".barrio", "viewer-test.png") });
    }

    [SkippableFact]
    public async Task Layers_and_legend_speak_Spanish_by_default_and_English_on_request()
    {
        Api.Require();
        var page = await OpenViewer();
        Assert.Equal("es-PE", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        var spanish = await page.InnerTextAsync("body");
        Assert.Contains("Calles", spanish);
        Assert.Contains("Comisarías", spanish);
        Assert.True(await page.IsVisibleAsync("#legend"));
        foreach (var layer in new[] { "districts", "neighborhoods", "streets", "stations", "incidents" })
            Assert.True(await page.Locator($"#layer-{layer}").CountAsync() == 1, $"no switch for {layer}");

        var english = await OpenViewer("?lang=en");
        Assert.Contains("Streets", await english.InnerTextAsync("body"));
    }

    [SkippableFact]
    public async Task Switching_a_layer_off_hides_it()
    {
        Api.Require();
        var page = await OpenViewer();
        await page.UncheckAsync("#layer-neighborhoods");
        Assert.False(await page.EvaluateAsync<bool>("() => window.barrioViewer.layers.neighborhoods.getVisible()"));
        await page.CheckAsync("#layer-neighborhoods");
        Assert.True(await page.EvaluateAsync<bool>("() => window.barrioViewer.layers.neighborhoods.getVisible()"));
    }
}
