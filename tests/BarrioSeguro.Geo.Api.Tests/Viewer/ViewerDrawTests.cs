using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Drawing and reshaping boundaries in a real browser through the real controls, signed in as a planner through the
/// sign-in form: clicks on the map draw a neighbourhood that the API then lists; dragging a vertex, undo/redo and saving
/// make a new version; a stale save shows the conflict with whose change came first. Neighbourhoods made here are
/// deleted afterwards so El Milagro stays alone for the other tests.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerDrawTests(ApiFixture api) : BrowserTest(api)
{
    /// <summary>
    /// Page pixels of the corners of a square (side px) inside district 130104 that touches no neighbourhood, and the
    /// same corners in lon/lat: [[x, y, lon, lat] x4], or null.
    /// </summary>
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
              if (!ok) continue;
              return [[-1, -1], [1, -1], [1, 1], [-1, 1]].map(([dx, dy]) => {
                const px = [cx + dx * side / 2, cy + dy * side / 2];
                const ll = ol.proj.toLonLat(map.getCoordinateFromPixel(px), map.getView().getProjection());
                return [rect.left + px[0], rect.top + px[1], ll[0], ll[1]];
              });
            }
          return null;
        }
        """;

    private static double[][] Corners(JsonElement json) =>
        json.EnumerateArray().Select(c => c.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    /// <summary>Area in m² of a lon/lat ring on a local plane (small shapes near the equator).</summary>
    private static double AreaM2(IReadOnlyList<double[]> lonLat)
    {
        var lat0 = lonLat.Average(c => c[1]) * Math.PI / 180;
        double sum = 0;
        for (var i = 0; i < lonLat.Count; i++)
        {
            var a = lonLat[i];
            var b = lonLat[(i + 1) % lonLat.Count];
            sum += (a[0] * b[1] - b[0] * a[1]) * Math.Cos(lat0);
        }
        return Math.Abs(sum) / 2 * 111_320 * 110_574;
    }

    private async Task<IPage> OpenAsPlanner(string query = "", int width = 1280, int height = 800, bool touch = false)
    {
        var name = $"dibujante-{Guid.NewGuid():N}"[..18];
        await Api.AddUserAsync(name, Role.Planner, ["130104"]);
        var page = await OpenViewer(query, width, height, anonymous: true, touch: touch);
        await SignIn(page, name, ApiFixture.Password);
        return page;
    }

    private async Task Delete(int id)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The neighbourhood of that name as the API lists it, or null.</summary>
    private async Task<JsonElement?> Listed(string name)
    {
        var all = await ApiFixture.JsonOf(await Api.Client().GetAsync("/api/collections/neighborhoods/items"));
        foreach (var f in all.GetProperty("features").EnumerateArray())
            if (f.GetProperty("properties").GetProperty("name").GetString() == name) return f;
        return null;
    }

    [SkippableFact]
    public async Task A_planner_draws_a_neighbourhood_with_clicks_on_the_map_and_saves_it()
    {
        Api.Require();
        var page = await OpenAsPlanner();
        var draw = page.GetByRole(AriaRole.Button, new() { Name = "Dibujar barrio", Exact = true });
        await draw.ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawing'");

        var corners = Corners(await page.EvaluateAsync<JsonElement>(FreeSquare, 160));
        Assert.True(corners.Length == 4, "no free square in the district on the map");
        foreach (var c in corners) await page.Mouse.ClickAsync((float)c[0], (float)c[1]);
        // While drawing, the shape is checked as it goes (four vertices and the pointer).
        await WaitFor(page, "() => document.getElementById('draw-live').dataset.checked === 'true'");
        await page.Mouse.ClickAsync((float)corners[0][0], (float)corners[0][1]); // on the first vertex: closes it
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn'");
        await WaitFor(page, "() => document.getElementById('draw-live').dataset.checked === 'true'");
        Assert.Equal("0", await page.GetAttributeAsync("#draw-live", "data-problems"));
        Assert.Contains("Sin problemas", await page.InnerTextAsync("#draw-live"));
        Assert.Equal("4", await page.GetAttributeAsync("#draw-figures", "data-vertices"));
        Assert.Matches(@"\d\s+km²", await page.InnerTextAsync("#draw-figures [data-figure='area']"));
        var drawnKm2 = double.Parse((await page.GetAttributeAsync("#draw-figures", "data-area-km2"))!, System.Globalization.CultureInfo.InvariantCulture);

        // No name: refused in the page, in Spanish.
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar barrio", Exact = true }).ClickAsync();
        Assert.Contains("Escriba un nombre", await page.InnerTextAsync("#draw-error"));

        var name = $"Dibujado {Guid.NewGuid():N}"[..20];
        await page.GetByLabel("Nombre del barrio").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar barrio", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-saved') !== null && document.getElementById('planner-panel').dataset.state === 'ready'");
        await Screenshot(page, "viewer-draw-saved.png");

        var listed = await Listed(name);
        Assert.NotNull(listed);
        var id = listed!.Value.GetProperty("properties").GetProperty("id").GetInt32();
        try
        {
            Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.GetAttributeAsync("#planner-panel", "data-neighborhood-id"));
            var ring = listed.Value.GetProperty("geometry").GetProperty("coordinates")[0][0];
            Assert.Equal(5, ring.GetArrayLength()); // four vertices, closed
            var areaKm2 = listed.Value.GetProperty("properties").GetProperty("areaKm2").GetDouble();
            Assert.InRange(areaKm2, drawnKm2 * 0.98, drawnKm2 * 1.02); // what the page showed is what was saved
            var clickedKm2 = AreaM2(corners.Select(c => new[] { c[2], c[3] }).ToList()) / 1e6;
            Assert.InRange(areaKm2, clickedKm2 * 0.75, clickedKm2 * 1.25); // the clicked square (snapping moves corners a little)
            Assert.Equal("130104", listed.Value.GetProperty("properties").GetProperty("districtUbigeo").GetString());
        }
        finally
        {
            await Delete(id);
        }
    }

    /// <summary>Creates a neighbourhood through the API from lon/lat corners; returns its id.</summary>
    private async Task<int> Create(string name, IEnumerable<double[]> lonLat)
    {
        var ring = lonLat.Select(c => FormattableString.Invariant($"[{c[0]:F7},{c[1]:F7}]")).ToList();
        ring.Add(ring[0]);
        var body = $$$"""{"type":"Feature","properties":{"name":"{{{name}}}","districtUbigeo":"130104","status":"draft"},"geometry":{"type":"Polygon","coordinates":[[{{{string.Join(",", ring)}}}]]}}""";
        var response = await Api.Client().PostAsync("/api/neighborhoods", new StringContent(body, Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await ApiFixture.JsonOf(response)).GetProperty("properties").GetProperty("id").GetInt32();
    }

    /// <summary>Page pixel of a lon/lat on the map.</summary>
    private static async Task<(float X, float Y)> Pixel(IPage page, double lon, double lat)
    {
        var p = await page.EvaluateAsync<double[]>("""
            ([lon, lat]) => { const { map } = window.barrioViewer; const rect = map.getTargetElement().getBoundingClientRect();
              const p = map.getPixelFromCoordinate(ol.proj.fromLonLat([lon, lat], map.getView().getProjection())); return [rect.left + p[0], rect.top + p[1]]; }
            """, new[] { lon, lat });
        return ((float)p[0], (float)p[1]);
    }

    private static async Task Drag(IPage page, (float X, float Y) from, float dx, float dy)
    {
        await page.Mouse.MoveAsync(from.X, from.Y);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(from.X + dx, from.Y + dy, new() { Steps = 8 });
        await page.Mouse.UpAsync();
    }

    private static async Task<string> DraftArea(IPage page) => (await page.GetAttributeAsync("#draw-figures", "data-area-km2"))!;

    [SkippableFact]
    public async Task A_planner_moves_a_vertex_undoes_and_redoes_saves_a_new_version_and_a_stale_save_shows_the_conflict()
    {
        Api.Require();
        var page = await OpenAsPlanner();
        var corners = Corners(await page.EvaluateAsync<JsonElement>(FreeSquare, 160));
        Assert.True(corners.Length == 4, "no free square in the district on the map");
        var lonLat = corners.Select(c => new[] { c[2], c[3] }).ToArray();
        var id = await Create($"Reforma {Guid.NewGuid():N}"[..20], lonLat);
        try
        {
            await page.ReloadAsync();
            await WaitFor(page, "() => document.body.dataset.ready === 'true' && document.body.dataset.user !== undefined");
            await WaitFor(page, "id => window.barrioViewer.layers.neighborhoods.getSource().getFeatureById(id) !== null", id);

            // A click inside it opens the planner's panel; "Editar límite" puts it in the editor.
            var centre = await Pixel(page, lonLat.Average(c => c[0]), lonLat.Average(c => c[1]));
            await page.Mouse.ClickAsync(centre.X, centre.Y);
            await WaitFor(page, "id => { const p = document.getElementById('planner-panel'); return p.dataset.state === 'ready' && p.dataset.neighborhoodId === String(id); }", id);
            var areaBefore = await page.InnerTextAsync("#planner-figures [data-figure='area'] .fig-value");
            Assert.Equal("1", await page.GetAttributeAsync("#planner-panel", "data-version"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Editar límite", Exact = true }).ClickAsync();
            await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn'");
            var original = await DraftArea(page);
            // Checked as it is: no overlap with its own stored boundary.
            await WaitFor(page, "() => document.getElementById('draw-live').dataset.checked === 'true'");
            Assert.Equal(0, await page.Locator("#draw-live [data-kind='overlap']").CountAsync());
            Assert.Contains("Sin problemas", await page.InnerTextAsync("#draw-live"));
            var undoButton = page.GetByRole(AriaRole.Button, new() { Name = "Deshacer", Exact = true });
            var redoButton = page.GetByRole(AriaRole.Button, new() { Name = "Rehacer", Exact = true });
            Assert.True(await undoButton.IsDisabledAsync());

            // Move the first corner outwards (up and left).
            await Drag(page, await Pixel(page, lonLat[0][0], lonLat[0][1]), -45, -45);
            await WaitFor(page, "a => document.getElementById('draw-figures').dataset.areaKm2 !== a", original);
            var moved = await DraftArea(page);
            Assert.True(double.Parse(moved, System.Globalization.CultureInfo.InvariantCulture) > double.Parse(original, System.Globalization.CultureInfo.InvariantCulture));

            await undoButton.ClickAsync();
            Assert.Equal(original, await DraftArea(page));
            await redoButton.ClickAsync();
            Assert.Equal(moved, await DraftArea(page));
            await page.Keyboard.PressAsync("Control+z");
            Assert.Equal(original, await DraftArea(page));
            await page.Keyboard.PressAsync("Control+y");
            Assert.Equal(moved, await DraftArea(page));

            await page.GetByRole(AriaRole.Button, new() { Name = "Guardar barrio", Exact = true }).ClickAsync();
            await WaitFor(page, "() => document.getElementById('draw-saved') !== null && document.getElementById('planner-panel').dataset.state === 'ready'");
            Assert.Equal("2", await page.GetAttributeAsync("#planner-panel", "data-version"));
            Assert.NotEqual(areaBefore, await page.InnerTextAsync("#planner-figures [data-figure='area'] .fig-value"));
            Assert.Contains("versión 2", await page.InnerTextAsync("#planner-meta"));

            // Edit again from version 2 while another planner saves version 3 first.
            await page.GetByRole(AriaRole.Button, new() { Name = "Editar límite", Exact = true }).ClickAsync();
            await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn' && document.getElementById('draw-panel').dataset.version === '2'");
            var other = await Api.ClientAs(Role.Planner, "130104");
            var current = await ApiFixture.JsonOf(await Api.Client().GetAsync($"/api/neighborhoods/{id}"));
            var put = new StringContent(
                $$"""{"type":"Feature","properties":{"comment":"otro cambio"},"geometry":{{current.GetProperty("geometry").GetRawText()}}}""",
                Encoding.UTF8, "application/geo+json");
            put.Headers.ContentType = new MediaTypeHeaderValue("application/geo+json");
            var request = new HttpRequestMessage(HttpMethod.Put, $"/api/neighborhoods/{id}") { Content = put };
            request.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
            Assert.Equal(HttpStatusCode.OK, (await other.SendAsync(request)).StatusCode);
            var revisions = await ApiFixture.JsonOf(await Api.Client().GetAsync($"/api/neighborhoods/{id}/revisions"));
            var firstAuthor = revisions.EnumerateArray().First(r => r.GetProperty("version").GetInt32() == 3).GetProperty("author").GetString()!;

            var third = lonLat[2];
            var draft = await DraftArea(page);
            await Drag(page, await Pixel(page, third[0], third[1]), 40, 40);
            await WaitFor(page, "a => document.getElementById('draw-figures').dataset.areaKm2 !== a", draft);
            await page.GetByRole(AriaRole.Button, new() { Name = "Guardar barrio", Exact = true }).ClickAsync();
            await WaitFor(page, "() => document.getElementById('draw-conflict') !== null && document.querySelector('#draw-conflict li') !== null");
            var conflict = await page.InnerTextAsync("#draw-conflict");
            Assert.Contains("versión 3", conflict);
            Assert.Contains(firstAuthor, conflict);
            Assert.Equal("3", await page.GetAttributeAsync("#draw-conflict", "data-current-version"));
            await Screenshot(page, "viewer-draw-conflict.png");

            // Keep the own drawing as a draft on version 3, then save it over: version 4 with the own shape.
            var mine = await DraftArea(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Conservar mi dibujo como borrador", Exact = true }).ClickAsync();
            Assert.Equal("3", await page.GetAttributeAsync("#draw-panel", "data-version"));
            Assert.Equal(mine, await DraftArea(page));
            // The draft outlives the editor: discarded here, offered back when the boundary is edited again.
            await page.GetByRole(AriaRole.Button, new() { Name = "Descartar", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Editar límite", Exact = true }).ClickAsync();
            await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn' && document.getElementById('draw-restore') !== null");
            Assert.Equal("3", await page.GetAttributeAsync("#draw-panel", "data-version"));
            Assert.NotEqual(mine, await DraftArea(page));
            await page.GetByRole(AriaRole.Button, new() { Name = "Recuperar mi borrador", Exact = true }).ClickAsync();
            Assert.Equal(mine, await DraftArea(page));
            await page.GetByRole(AriaRole.Button, new() { Name = "Guardar barrio", Exact = true }).ClickAsync();
            await WaitFor(page, "() => document.getElementById('draw-saved') !== null && document.getElementById('planner-panel').dataset.version === '4'");
            var saved = await ApiFixture.JsonOf(await Api.Client().GetAsync($"/api/neighborhoods/{id}"));
            Assert.Equal(4, saved.GetProperty("properties").GetProperty("version").GetInt32());
            Assert.InRange(saved.GetProperty("properties").GetProperty("areaKm2").GetDouble(),
                double.Parse(mine, System.Globalization.CultureInfo.InvariantCulture) * 0.98, double.Parse(mine, System.Globalization.CultureInfo.InvariantCulture) * 1.02);
        }
        finally
        {
            await Delete(id);
        }
    }

    [SkippableFact]
    public async Task Drawing_works_with_touch_on_a_tablet_and_the_Spanish_panel_has_no_English()
    {
        Api.Require();
        var page = await OpenAsPlanner(width: 1024, height: 768, touch: true);
        var start = page.GetByRole(AriaRole.Button, new() { Name = "Dibujar barrio", Exact = true });
        var box = (await start.BoundingBoxAsync())!;
        await page.Touchscreen.TapAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawing'");
        var corners = Corners(await page.EvaluateAsync<JsonElement>(FreeSquare, 140));
        Assert.True(corners.Length == 4, "no free square in the district on the map");
        foreach (var c in corners.Append(corners[0])) await page.Touchscreen.TapAsync((float)c[0], (float)c[1]);
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn'");
        Assert.Equal("4", await page.GetAttributeAsync("#draw-figures", "data-vertices"));
        var drawnKm2 = double.Parse((await page.GetAttributeAsync("#draw-figures", "data-area-km2"))!, System.Globalization.CultureInfo.InvariantCulture);
        var tappedKm2 = AreaM2(corners.Select(c => new[] { c[2], c[3] }).ToList()) / 1e6;
        Assert.InRange(drawnKm2, tappedKm2 * 0.75, tappedKm2 * 1.25);
        await WaitFor(page, "() => document.getElementById('draw-live').dataset.checked === 'true'");
        await Screenshot(page, "viewer-draw-touch.png");

        // The new controls say nothing in English in the Spanish page.
        var text = await page.InnerTextAsync("#draw-panel") + " " + await page.InnerTextAsync(".toolbar");
        foreach (var word in new[] { "Draw", "Undo", "Redo", "Save", "Discard", "vertices", "Vertices", "Snap", "Finish", "problems", "boundary", "neighbourhood" })
            Assert.DoesNotContain(word, text);
        var panelTitles = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('#draw-panel [title], #draw-panel [aria-label], #draw-start')].map(e => (e.title || '') + ' ' + (e.getAttribute('aria-label') || '')).join(' ')");
        foreach (var word in new[] { "Undo", "Redo", "Draw", "Close", "vertex" }) Assert.DoesNotContain(word, panelTitles);

        // English through the language control, then back.
        await page.Locator("#lang-en").TapAsync();
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Draw neighbourhood", Exact = true }).IsVisibleAsync());
        Assert.Contains("Save neighbourhood", await page.InnerTextAsync("#draw-panel"));
        Assert.Contains("4 vertices", await page.InnerTextAsync("#draw-figures"));

        // Deleting a vertex: the "Delete vertices" control, then a click on one; Undo brings it back; Alt+click too.
        var delete = page.GetByRole(AriaRole.Button, new() { Name = "Delete vertices", Exact = true });
        await delete.ClickAsync();
        Assert.Equal("true", await delete.GetAttributeAsync("aria-pressed"));
        var at = await Pixel(page, corners[1][2], corners[1][3]);
        await page.Mouse.MoveAsync(at.X, at.Y);
        await page.Mouse.ClickAsync(at.X, at.Y);
        await WaitFor(page, "() => document.getElementById('draw-figures').dataset.vertices === '3'");
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo", Exact = true }).ClickAsync();
        Assert.Equal("4", await page.GetAttributeAsync("#draw-figures", "data-vertices"));
        await delete.ClickAsync();
        Assert.Equal("false", await delete.GetAttributeAsync("aria-pressed"));
        await page.Mouse.MoveAsync(at.X + 1, at.Y);
        await page.Keyboard.DownAsync("Alt");
        await page.Mouse.ClickAsync(at.X, at.Y);
        await page.Keyboard.UpAsync("Alt");
        await WaitFor(page, "() => document.getElementById('draw-figures').dataset.vertices === '3'");
    }

    [SkippableFact]
    public async Task A_boundary_that_crosses_itself_is_said_while_drawing_and_its_refusal_is_the_servers_in_Spanish()
    {
        Api.Require();
        var page = await OpenAsPlanner();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dibujar barrio", Exact = true }).ClickAsync();
        var c = Corners(await page.EvaluateAsync<JsonElement>(FreeSquare, 160));
        Assert.True(c.Length == 4, "no free square in the district on the map");
        // A bow tie: the second and fourth edges cross.
        foreach (var i in new[] { 0, 1, 3, 2 }) await page.Mouse.ClickAsync((float)c[i][0], (float)c[i][1]);
        await WaitFor(page, "() => document.querySelector('#draw-live [data-kind=\"self-intersection\"]') !== null");
        Assert.Contains("Autointersección", await page.InnerTextAsync("#draw-live"));
        await page.Mouse.ClickAsync((float)c[0][0], (float)c[0][1]);
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn'");

        // Saved anyway: the server refuses it, and the page says the server's ProblemDetails in Spanish.
        var name = $"Corbata {Guid.NewGuid():N}"[..20];
        await page.GetByLabel("Nombre del barrio").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar barrio", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'error'");
        var error = await page.InnerTextAsync("#draw-error");
        Assert.Contains("422", error);
        Assert.Contains("Geometría no válida", error);
        Assert.Null(await Listed(name));

        // The same shape in English through the language control.
        await page.ClickAsync("#lang-en");
        await WaitFor(page, "() => document.documentElement.lang.startsWith('en')");
        Assert.Contains("Self-intersection", await page.InnerTextAsync("#draw-live"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Discard", Exact = true }).ClickAsync();
        Assert.True(await page.IsHiddenAsync("#draw-panel"));
    }

    [SkippableFact]
    public async Task Drawing_over_El_Milagro_shows_the_overlap_on_the_map_as_it_is_drawn()
    {
        Api.Require();
        var milagro = await Api.MilagroIdAsync();
        var page = await OpenAsPlanner();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dibujar barrio", Exact = true }).ClickAsync();
        // A triangle around one of El Milagro's vertices: part of it inside El Milagro.
        var corners = await page.EvaluateAsync<double[][]>("""
            id => {
              const { map, layers } = window.barrioViewer;
              const rect = map.getTargetElement().getBoundingClientRect();
              const ring = layers.neighborhoods.getSource().getFeatureById(id).getGeometry().getPolygon(0).getCoordinates()[0];
              const [w, h] = map.getSize();
              const v = ring.map(c => map.getPixelFromCoordinate(c)).find(p => p[0] > 120 && p[1] > 120 && p[0] < w - 120 && p[1] < h - 120);
              return [[-70, -60], [70, -60], [0, 70]].map(([dx, dy]) => [rect.left + v[0] + dx, rect.top + v[1] + dy]);
            }
            """, milagro);
        foreach (var c in corners) await page.Mouse.ClickAsync((float)c[0], (float)c[1]);
        await WaitFor(page, "() => document.querySelector('#draw-live [data-kind=\"overlap\"]') !== null");
        var live = await page.InnerTextAsync("#draw-live");
        Assert.Contains("Superposición", live);
        Assert.Contains("El Milagro", live);
        Assert.Matches(@"\d\s*m²", live);
        // Drawn on the map: the overlap's polygon is in the problems layer under the sketch.
        var kinds = await page.EvaluateAsync<string[]>("""
            () => window.barrioViewer.map.getLayers().getArray().find(l => l.get('name') === 'draft-problems')
                    .getSource().getFeatures().map(f => f.get('kind'))
            """);
        Assert.Contains("overlap", kinds);
    }
}
