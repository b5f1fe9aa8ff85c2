using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Hot-spot stops in a real browser: the stops of a route at one place are one marker with their count, and its popup
/// (a click on the marker, or the place's button and the keyboard) lists their Lima clock times, checked against the
/// GPX the server keeps. Plans and routes are only added, so other tests are not affected.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerStopsTests(ApiFixture api) : BrowserTest(api)
{
    private static readonly XNamespace Gpx = "http://www.topografix.com/GPX/1/1";

    [SkippableFact]
    public async Task Stops_at_one_place_are_one_marker_with_their_count_and_a_popup_of_their_Lima_times()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1440, 960);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        var plan = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.computePlan({ sectors: 3, seed: 3 })");
        var planId = plan.GetProperty("id").GetInt32();
        await WaitFor(page, "() => !document.getElementById('routes-section').hidden");

        // Routes on foot through the form.
        await page.SelectOptionAsync("#routes-mode", "foot");
        await page.FillAsync("#routes-seed", "2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calcular rutas", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('routes-result').dataset.drawn === 'true'");

        // The server's stops, per route: their places and their times (GPX waypoints, UTC).
        var geo = await ApiFixture.JsonOf(await Api.Client().GetAsync($"/api/plans/{planId}/routes"));
        var stopsByRoute = geo.GetProperty("features").EnumerateArray()
            .Where(f => f.GetProperty("properties").GetProperty("kind").GetString() == "stop")
            .GroupBy(f => f.GetProperty("properties").GetProperty("routeId").GetInt32())
            .ToDictionary(g => g.Key, g => g.Select(f => Place(f.GetProperty("geometry"))).ToList());
        var drawnRoutes = await page.EvaluateAsync<int[]>(
            "() => window.barrioViewer.layers.routes.getSource().getFeatures().filter(f => f.get('kind') === 'track').map(f => f.get('routeId'))");
        var places = drawnRoutes.Sum(r => stopsByRoute.GetValueOrDefault(r)?.Distinct().Count() ?? 0);
        var stops = drawnRoutes.Sum(r => stopsByRoute.GetValueOrDefault(r)?.Count ?? 0);
        Assert.True(stops > places, $"the sample plan visits some hot spot more than once ({stops} stops at {places} places)");

        // One marker per place; zoomed in on each, one marker of its route is drawn there (not one per stop).
        var markers = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const { map, layers } = window.barrioViewer;
              const view = map.getView();
              const out = [];
              for (const f of layers.routes.getSource().getFeatures().filter(g => g.get('kind') === 'stop')) {
                view.setZoom(18);
                view.setCenter(f.getGeometry().getCoordinates());
                await new Promise(res => { map.once('rendercomplete', res); map.render(); });
                const style = layers.routes.getStyleFunction()(f, view.getResolution());
                const at = map.getPixelFromCoordinate(f.getGeometry().getCoordinates());
                const here = map.getFeaturesAtPixel(at, { hitTolerance: 0, layerFilter: l => l === layers.routes })
                  .filter(g => g.get('kind') === 'stop' && g.get('routeId') === f.get('routeId')).length;
                out.push({ routeId: f.get('routeId'), place: f.get('place'), count: f.get('count'), text: style.getText().getText(), here });
              }
              return out;
            }
            """);
        Assert.Equal(places, markers.GetArrayLength());
        foreach (var m in markers.EnumerateArray())
        {
            var count = m.GetProperty("count").GetInt32();
            if (count > 1) Assert.Equal($"×{count}", m.GetProperty("text").GetString());
            Assert.Equal(1, m.GetProperty("here").GetInt32());
        }
        var many = markers.EnumerateArray().OrderByDescending(m => m.GetProperty("count").GetInt32()).First();
        var routeId = many.GetProperty("routeId").GetInt32();
        var place = many.GetProperty("place").GetInt32();
        Assert.Equal(stopsByRoute[routeId].GroupBy(p => p).Max(g => g.Count()), many.GetProperty("count").GetInt32());

        // The times the GPX gives for that place, in Lima (UTC−5).
        var gpx = XDocument.Parse(await Api.Client().GetStringAsync($"/api/routes/{routeId}/gpx"));
        var wpts = gpx.Root!.Elements(Gpx + "wpt").Select(w => (
            Place: (Math.Round(double.Parse(w.Attribute("lon")!.Value, CultureInfo.InvariantCulture), 5), Math.Round(double.Parse(w.Attribute("lat")!.Value, CultureInfo.InvariantCulture), 5)),
            Lima: DateTimeOffset.Parse(w.Element(Gpx + "time")!.Value, CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(-5)).ToString("HH:mm", CultureInfo.InvariantCulture)))
            .ToList();
        var markerPlace = await page.EvaluateAsync<double[]>(
            "([r, p]) => ol.proj.toLonLat(window.barrioViewer.layers.routes.getSource().getFeatures().find(f => f.get('kind') === 'stop' && f.get('routeId') === r && f.get('place') === p).getGeometry().getCoordinates())",
            new[] { routeId, place });
        var expected = wpts.Where(w => Math.Abs(w.Place.Item1 - markerPlace[0]) < 2e-5 && Math.Abs(w.Place.Item2 - markerPlace[1]) < 2e-5).Select(w => w.Lima).ToList();
        Assert.Equal(many.GetProperty("count").GetInt32(), expected.Count);

        // A click on the marker opens its popup with those times.
        var pixel = await page.EvaluateAsync<double[]>("""
            async ([r, p]) => {
              const { map, layers } = window.barrioViewer;
              const f = layers.routes.getSource().getFeatures().find(g => g.get('kind') === 'stop' && g.get('routeId') === r && g.get('place') === p);
              map.getView().setCenter(f.getGeometry().getCoordinates());
              await new Promise(res => { map.once('rendercomplete', res); map.render(); });
              const at = map.getPixelFromCoordinate(f.getGeometry().getCoordinates());
              const box = map.getTargetElement().getBoundingClientRect();
              return [box.left + at[0], box.top + at[1]];
            }
            """, new[] { routeId, place });
        await page.Mouse.ClickAsync((float)pixel[0], (float)pixel[1]);
        await WaitFor(page, "() => !document.getElementById('stop-popup').hidden");
        Assert.Equal(routeId.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#stop-popup", "data-route-id"));
        Assert.Equal(place.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#stop-popup", "data-place"));
        Assert.Equal(expected, await page.Locator("#stop-popup .stop-time").AllInnerTextsAsync());
        Assert.Contains($"{expected.Count} paradas en este lugar", await page.InnerTextAsync("#stop-popup"));
        Assert.Contains("hora de Lima", await page.InnerTextAsync("#stop-popup"));
        Assert.Matches(@"\d+\smin", await page.InnerTextAsync("#stop-popup .stop-visits li:first-child"));
        await Screenshot(page, "viewer-stops.png");

        // Escape closes it; a click elsewhere on the map keeps it closed.
        await page.Keyboard.PressAsync("Escape");
        await WaitFor(page, "() => document.getElementById('stop-popup').hidden");

        // From the keyboard: the place's button in the routes panel opens it, focused; Escape gives the focus back.
        var button = page.Locator($"#routes-stops button.stop-place[data-route-id='{routeId}'][data-place='{place}']");
        Assert.Contains($"×{expected.Count}", await button.InnerTextAsync());
        await button.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await WaitFor(page, "() => !document.getElementById('stop-popup').hidden && document.activeElement?.id === 'stop-popup'");
        Assert.Equal(expected, await page.Locator("#stop-popup .stop-time").AllInnerTextsAsync());

        // English re-says the open popup.
        await page.ClickAsync(".lang-toggle button[data-lang='en']");
        Assert.Contains($"{expected.Count} stops at this place", await page.InnerTextAsync("#stop-popup"));
        await page.FocusAsync("#stop-popup");
        await page.Keyboard.PressAsync("Escape");
        await WaitFor(page, "() => document.getElementById('stop-popup').hidden");
        Assert.True(await page.EvaluateAsync<bool>("() => document.activeElement?.classList.contains('stop-place') ?? false"));
    }

    private static (double, double) Place(JsonElement geometry)
    {
        var c = geometry.GetProperty("coordinates");
        return (Math.Round(c[0].GetDouble(), 5), Math.Round(c[1].GetDouble(), 5));
    }
}
