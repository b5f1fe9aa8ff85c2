using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The viewer's layout in a real browser: at 1366x768 and on a 1024x768 tablet every opened panel holds its elements
/// (tables scroll inside their panel), the sidebar can be widened by drag or keys and keeps its width, the legend lists
/// only the visible layers, the favicon is served, a later step clears the last one's marks, an applied repair no
/// longer says "sin guardar", and drawing and reshaping work with touch. Screenshots go to .barrio/.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerLayoutTests(ApiFixture api) : BrowserTest(api)
{
    /// <summary>
    /// Every element of each shown sidebar panel (and of the top bar) that sticks out of its panel, unless a scroller
    /// between them clips it (then the scroller is what is checked): "panel > element: how far", or none.
    /// </summary>
    private const string Overflowing = """
        () => {
          const out = [];
          const panels = [...document.querySelectorAll('#sidebar > .panel'), document.querySelector('.topbar'), document.querySelector('.statusbar')]
            .filter(p => p && p.getClientRects().length > 0);
          const name = e => e.id ? '#' + e.id : e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          for (const panel of panels) {
            const pr = panel.getBoundingClientRect();
            for (const e of panel.querySelectorAll('*')) {
              if (e.getClientRects().length === 0) continue;
              const r = e.getBoundingClientRect();
              if (r.width === 0 || r.height === 0) continue;
              let clipped = false;
              for (let a = e.parentElement; a && a !== panel; a = a.parentElement) {
                if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
              }
              if (clipped) continue;
              const over = Math.max(pr.left - r.left, r.right - pr.right);
              if (over > 1) out.push(name(panel) + ' > ' + name(e) + ': ' + over.toFixed(0) + ' px');
            }
          }
          const sidebar = document.getElementById('sidebar');
          if (sidebar.scrollWidth > sidebar.clientWidth + 1) out.push('#sidebar scrolls sideways: ' + (sidebar.scrollWidth - sidebar.clientWidth) + ' px');
          if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('the page scrolls sideways');
          return out;
        }
        """;

    private static Task<double> SidebarWidth(IPage page) =>
        page.EvaluateAsync<double>("() => document.getElementById('sidebar').getBoundingClientRect().width");

    [SkippableFact]
    public async Task Every_opened_panel_fits_at_1366x768_and_1024x768_and_tables_scroll_inside_their_panel()
    {
        Api.Require();
        var milagro = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1366, 768);

        // A click on El Milagro opens the planner and the information panel; then sectors, coverage, routes, history.
        var centre = await page.EvaluateAsync<double[]>("""
            id => { const { map, layers } = window.barrioViewer; const rect = map.getTargetElement().getBoundingClientRect();
              const g = layers.neighborhoods.getSource().getFeatureById(id).getGeometry();
              const p = map.getPixelFromCoordinate(g.getInteriorPoints().getPoint(0).getCoordinates().slice(0, 2)); return [rect.left + p[0], rect.top + p[1]]; }
            """, milagro);
        await page.Mouse.ClickAsync((float)centre[0], (float)centre[1]);
        await WaitFor(page, "id => { const p = document.getElementById('planner-panel'); return p.dataset.state === 'ready' && p.dataset.neighborhoodId === String(id); }", milagro);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");

        // A step's marks give way to the next: a validation or repair preview, then a sector plan.
        await page.EvaluateAsync("() => window.barrioViewer.validate()");
        var marks = "() => window.barrioViewer.layers.validation.getSource().getFeatures().length + window.barrioViewer.layers.diff.getSource().getFeatures().length";
        if (await page.EvaluateAsync<int>(marks) == 0) await page.EvaluateAsync("() => window.barrioViewer.repairPreview()");
        var before = await page.EvaluateAsync<int>(marks);
        await page.FillAsync("#sectors-count", "4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calcular sectores", Exact = true }).ClickAsync();
        await WaitFor(page, "() => window.barrioViewer.layers.sectors.getSource().getFeatures().length === 4");
        Assert.Equal(0, await page.EvaluateAsync<int>(marks));
        Assert.True(before > 0, "El Milagro gave neither validation problems nor repair changes to clear");

        await WaitFor(page, "() => !document.getElementById('coverage-section').hidden && !document.getElementById('routes-section').hidden");
        await page.EvaluateAsync("() => window.barrioViewer.computeCoverage({ mode: 'foot', minutes: 5 })");
        await page.EvaluateAsync("() => window.barrioViewer.computeRoutes({ mode: 'foot', shiftHours: 8, seed: 1 })");
        await page.EvaluateAsync("() => window.barrioViewer.history()");
        await WaitFor(page, "() => document.querySelector('#history-table tbody tr') !== null && document.querySelector('#routes-result table') !== null");
        // The two tables the sidebar cut off sit in scrollers of their own.
        Assert.True(await page.EvaluateAsync<bool>(
            "() => ['#history-table', '#routes-result table'].every(s => document.querySelector(s).parentElement.classList.contains('table-scroll'))"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Dibujar barrio", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawing'");

        foreach (var (w, h) in new[] { (1366, 768), (1024, 768) })
        {
            await page.SetViewportSizeAsync(w, h);
            await WaitFor(page, "([w, h]) => window.innerWidth === w && window.innerHeight === h", new[] { w, h });
            await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
            await Screenshot(page, $"viewer-layout-{w}x{h}.png");
            var panels = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#sidebar > .panel')].filter(p => !p.hidden).map(p => p.id)");
            Assert.Equal(["draw-panel", "planner-panel", "forms-panel", "lifecycle-panel", "layers-panel", "export-panel", "osmimport-panel", "info-panel", "legend-panel"], panels);
            foreach (var id in panels)
            {
                await page.Locator($"#{id}").ScrollIntoViewIfNeededAsync();
                await Screenshot(page, $"viewer-layout-{w}x{h}-{id}.png");
            }
            var overflowing = await page.EvaluateAsync<string[]>(Overflowing);
            Assert.True(overflowing.Length == 0, $"at {w}x{h}:\n" + string.Join("\n", overflowing.Take(30)));
            // The map keeps most of the width.
            Assert.True(await page.EvaluateAsync<double>("() => window.barrioViewer.map.getSize()[0]") >= w * 0.5);
        }
    }

    [SkippableFact]
    public async Task The_sidebar_widens_by_drag_and_arrow_keys_keeps_its_width_and_the_legend_follows_the_visible_layers()
    {
        Api.Require();
        var notFound = new List<string>();
        var page = await OpenViewer("", 1366, 768);
        page.Response += (_, r) => { if (r.Status == 404) notFound.Add(r.Url); };

        // The favicon: named by the page, served with an image type.
        var icons = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('link[rel~=\"icon\"]')].map(l => l.href)");
        Assert.NotEmpty(icons);
        foreach (var icon in icons.Append(new Uri(Api.BaseAddress, "/favicon.ico").ToString()))
        {
            var response = await Api.AnonymousClient().GetAsync(icon);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.StartsWith("image/", response.Content.Headers.ContentType?.MediaType);
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100);
        }

        // The handle: a separator with a name, moved by the arrow keys.
        var handle = page.GetByRole(AriaRole.Separator, new() { Name = "Ancho del panel lateral", Exact = true });
        var start = await SidebarWidth(page);
        await handle.FocusAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await page.Keyboard.PressAsync("ArrowRight");
        var keyed = await SidebarWidth(page);
        Assert.InRange(keyed - start, 47, 49);
        Assert.Equal(((int)Math.Round(keyed)).ToString(CultureInfo.InvariantCulture), await handle.GetAttributeAsync("aria-valuenow"));
        await page.Keyboard.PressAsync("ArrowLeft");
        Assert.InRange(await SidebarWidth(page) - start, 23, 25);

        // Dragged 150 px to the right: wider by as much, and the map narrower (its size follows).
        var box = (await handle.BoundingBoxAsync())!;
        var mapBefore = await page.EvaluateAsync<double>("() => window.barrioViewer.map.getSize()[0]");
        var widthBefore = await SidebarWidth(page);
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2 + 150, box.Y + box.Height / 2, new() { Steps = 6 });
        await page.Mouse.UpAsync();
        var dragged = await SidebarWidth(page);
        Assert.InRange(dragged - widthBefore, 145, 155);
        Assert.InRange(mapBefore - await page.EvaluateAsync<double>("() => window.barrioViewer.map.getSize()[0]"), 140, 160);
        // Never so wide that the map goes: the End key stops at the limit.
        await handle.FocusAsync();
        await page.Keyboard.PressAsync("End");
        Assert.True(await page.EvaluateAsync<double>("() => window.barrioViewer.map.getSize()[0]") >= 320);
        await page.Keyboard.PressAsync("Home");
        Assert.InRange(await SidebarWidth(page), 279, 281);
        var handleBox = (await handle.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(handleBox.X + handleBox.Width / 2, handleBox.Y + handleBox.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(handleBox.X + handleBox.Width / 2 + 200, handleBox.Y + handleBox.Height / 2, new() { Steps = 4 });
        await page.Mouse.UpAsync();
        var kept = await SidebarWidth(page);
        Assert.InRange(kept, 475, 485);

        // Kept for the next visit.
        await page.ReloadAsync();
        await WaitFor(page, "() => document.body.dataset.ready === 'true'");
        Assert.InRange(await SidebarWidth(page), kept - 1, kept + 1);

        // The legend lists the visible layers only, and follows the switcher.
        var legendLayers = "() => [...new Set([...document.querySelectorAll('#legend li[data-layer]')].map(li => li.dataset.layer))].sort()";
        var visible = "() => Object.entries(window.barrioViewer.layers).filter(([, l]) => l.getVisible()).map(([k]) => k)";
        var shown = await page.EvaluateAsync<string[]>(legendLayers);
        Assert.Contains("streets", shown);
        Assert.Contains("districts", shown);
        var visibleLayers = await page.EvaluateAsync<string[]>(visible);
        Assert.All(shown, k => Assert.Contains(k, visibleLayers));
        await page.UncheckAsync("#layer-streets");
        await WaitFor(page, "() => document.getElementById('legend-street-major') === null");
        Assert.DoesNotContain("streets", await page.EvaluateAsync<string[]>(legendLayers));
        Assert.DoesNotContain("Calles", await page.InnerTextAsync("#legend"));
        Assert.Contains("districts", await page.EvaluateAsync<string[]>(legendLayers));
        await page.UncheckAsync("#layer-districts");
        await WaitFor(page, "() => document.getElementById('legend-district') === null");
        await page.CheckAsync("#layer-streets");
        await WaitFor(page, "() => document.getElementById('legend-street-major') !== null");
        Assert.DoesNotContain("districts", await page.EvaluateAsync<string[]>(legendLayers));
        await page.CheckAsync("#layer-districts");
        Assert.Equal(shown, await page.EvaluateAsync<string[]>(legendLayers));

        Assert.Empty(notFound);
    }

    private async Task<int> Create(string name, string ring)
    {
        var body = $$$"""{"type":"Feature","properties":{"name":"{{{name}}}","status":"draft"},"geometry":{"type":"Polygon","coordinates":[{{{ring}}}]}}""";
        var response = await Api.Client().PostAsync("/api/neighborhoods", new StringContent(body, Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ApiFixture.JsonOf(response)).GetProperty("properties").GetProperty("id").GetInt32();
    }

    private async Task Delete(int id)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
    }

    [SkippableFact]
    public async Task After_an_applied_repair_nothing_says_unsaved_and_no_repair_mark_is_left_on_the_map()
    {
        Api.Require();
        // A square far from El Milagro with a 1 m wide spike: the repair removes it.
        const string ring = "[[-79.100,-8.070],[-79.095,-8.070],[-79.095,-8.0675],[-79.0923,-8.067495],[-79.095,-8.06749],[-79.095,-8.065],[-79.100,-8.065],[-79.100,-8.070]]";
        var id = await Create($"Espiga {Guid.NewGuid():N}"[..20], ring);
        try
        {
            var page = await OpenViewer();
            await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
            await page.GetByRole(AriaRole.Button, new() { Name = "Reparar (vista previa)", Exact = true }).ClickAsync();
            await WaitFor(page, "() => document.getElementById('planner-result').dataset.drawn === 'true' && document.getElementById('repair-apply') !== null");
            Assert.Contains("sin guardar", await page.InnerTextAsync("#planner-result"), StringComparison.OrdinalIgnoreCase);
            Assert.True(await page.EvaluateAsync<int>("() => window.barrioViewer.layers.diff.getSource().getFeatures().length") > 0);
            await page.ClickAsync("#repair-apply");
            await WaitFor(page, "() => document.getElementById('planner-panel').dataset.version === '2' && document.querySelector('#planner-result [data-applied]') !== null");
            var text = await page.InnerTextAsync("#planner-panel");
            Assert.DoesNotContain("sin guardar", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("vista previa,", text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Reparación aplicada", text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("versión 2", text);
            Assert.Equal(0, await page.EvaluateAsync<int>("() => window.barrioViewer.layers.diff.getSource().getFeatures().length + window.barrioViewer.layers.validation.getSource().getFeatures().length"));
            Assert.Equal(0, await page.Locator("#legend-added, #legend-removed").CountAsync());
            await page.ClickAsync("#lang-en");
            await WaitFor(page, "() => document.documentElement.lang.startsWith('en')");
            var english = await page.InnerTextAsync("#planner-result");
            Assert.Contains("Repair applied", english, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("not saved", english, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await Delete(id);
        }
    }

    /// <summary>Page pixels and lon/lat of the corners of a free square (side px) inside district 130104, or null.</summary>
    private const string FreeSquare = """
        side => {
          const { map, layers } = window.barrioViewer;
          const district = layers.districts.getSource().getFeatures().find(f => f.get('ubigeo') === '130104');
          const others = layers.neighborhoods.getSource().getFeatures();
          const rect = map.getTargetElement().getBoundingClientRect();
          const [w, h] = map.getSize();
          for (let cy = side; cy < h - side; cy += 20)
            for (let cx = side; cx < w - side; cx += 20) {
              let ok = true;
              for (let i = 0; i <= 6 && ok; i++)
                for (let j = 0; j <= 6 && ok; j++) {
                  const c = map.getCoordinateFromPixel([cx - side / 2 + side * i / 6, cy - side / 2 + side * j / 6]);
                  if (!district.getGeometry().intersectsCoordinate(c) || others.some(o => o.getGeometry().intersectsCoordinate(c))) ok = false;
                }
              if (ok) return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([dx, dy]) => [rect.left + cx + dx * side / 2, rect.top + cy + dy * side / 2]);
            }
          return null;
        }
        """;

    [SkippableFact]
    public async Task On_a_1024x768_touch_tablet_a_boundary_is_drawn_with_taps_and_reshaped_with_a_finger()
    {
        Api.Require();
        var name = $"tableta-{Guid.NewGuid():N}"[..16];
        await Api.AddUserAsync(name, Role.Planner, ["130104"]);
        var page = await OpenViewer("", 1024, 768, anonymous: true, mobile: true);
        await SignIn(page, name, ApiFixture.Password);
        Assert.True(await page.EvaluateAsync<bool>("() => matchMedia('(pointer: coarse)').matches && navigator.maxTouchPoints > 0"));
        var overflowing = await page.EvaluateAsync<string[]>(Overflowing);
        Assert.True(overflowing.Length == 0, string.Join("\n", overflowing));

        await page.GetByRole(AriaRole.Button, new() { Name = "Dibujar barrio", Exact = true }).TapAsync();
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawing'");
        var corners = await page.EvaluateAsync<double[][]>(FreeSquare, 140);
        Assert.True(corners is { Length: 4 }, "no free square in the district on the map");
        foreach (var c in corners.Append(corners[0])) await page.Touchscreen.TapAsync((float)c[0], (float)c[1]);
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn'");
        Assert.Equal("4", await page.GetAttributeAsync("#draw-figures", "data-vertices"));
        var drawn = (await page.GetAttributeAsync("#draw-figures", "data-area-km2"))!;

        // A finger drags the first corner 50 px outwards: the shape grows, as with a mouse.
        var vertex = await page.EvaluateAsync<double[]>("""
            () => { const { map } = window.barrioViewer; const rect = map.getTargetElement().getBoundingClientRect();
              const f = map.getLayers().getArray().find(l => l.get('name') === 'draft').getSource().getFeatures()[0];
              const p = map.getPixelFromCoordinate(f.getGeometry().getCoordinates()[0][0]); return [rect.left + p[0], rect.top + p[1]]; }
            """);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        Dictionary<string, object> Touch(string type, double x, double y) => new()
        {
            ["type"] = type,
            ["touchPoints"] = type == "touchEnd" ? Array.Empty<object>() : new object[] { new Dictionary<string, object> { ["x"] = x, ["y"] = y, ["id"] = 1 } },
        };
        await cdp.SendAsync("Input.dispatchTouchEvent", Touch("touchStart", vertex[0], vertex[1]));
        for (var i = 1; i <= 10; i++) await cdp.SendAsync("Input.dispatchTouchEvent", Touch("touchMove", vertex[0] - 5 * i, vertex[1] - 5 * i));
        await cdp.SendAsync("Input.dispatchTouchEvent", Touch("touchEnd", 0, 0));
        await WaitFor(page, "a => document.getElementById('draw-figures').dataset.areaKm2 !== a", drawn);
        Assert.True(double.Parse((await page.GetAttributeAsync("#draw-figures", "data-area-km2"))!, CultureInfo.InvariantCulture)
                    > double.Parse(drawn, CultureInfo.InvariantCulture));
        Assert.Equal("4", await page.GetAttributeAsync("#draw-figures", "data-vertices"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Deshacer", Exact = true }).TapAsync();
        Assert.Equal(drawn, await page.GetAttributeAsync("#draw-figures", "data-area-km2"));
        await Screenshot(page, "viewer-layout-tablet-draw.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Descartar", Exact = true }).TapAsync();
        Assert.True(await page.IsHiddenAsync("#draw-panel"));
    }
}
