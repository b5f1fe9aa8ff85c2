using System.Globalization;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// "Crear desde manzanas" and snapping to block edges in a real browser, signed in as a planner through the sign-in
/// form: three clicked blocks become a neighbourhood whose stored boundary is the PostGIS union of those blocks; a
/// vertex clicked next to a block edge far from any street lands on that edge. Neighbourhoods made here are deleted.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerBlocksTests(ApiFixture api) : BrowserTest(api)
{
    private const string District = "130104";

    private static double Hypot(double x, double y) => Math.Sqrt(x * x + y * y);

    /// <summary>The district's blocks are kept (computed through the API when none are).</summary>
    private async Task EnsureDistrictBlocks()
    {
        var kept = await ApiFixture.JsonOf(await Api.Client().GetAsync($"/api/districts/{District}/blocks"));
        if (kept.GetProperty("features").GetArrayLength() > 0) return;
        var computed = await Api.Client().PostAsync($"/api/districts/{District}/blocks", null);
        Assert.True(computed.IsSuccessStatusCode, await computed.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Neighbourhoods other test classes left in the district (none with plans, never the sample): they cover the blocks
    /// this test must find free. Test classes of one collection run one after another, so none of them is running now.
    /// </summary>
    private async Task ClearLeftovers()
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            DELETE FROM neighborhoods n WHERE n.district_ubigeo = @d AND n.name <> 'El Milagro'
              AND NOT EXISTS (SELECT 1 FROM sector_plans p WHERE p.neighborhood_id = n.id)
            """, connection);
        cmd.Parameters.AddWithValue("d", District);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<IPage> OpenAsPlanner()
    {
        await ClearLeftovers();
        var name = $"manzanero-{Guid.NewGuid():N}"[..18];
        await Api.AddUserAsync(name, Role.Planner, [District]);
        var page = await OpenViewer(anonymous: true);
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

    /// <summary>
    /// Three blocks in view (INVIEW true), each sharing an edge with another, touching no neighbourhood, big enough to
    /// click: [{id, x, y}] in page pixels (a point inside each), or null; with INVIEW false, anywhere: the map is centred
    /// on them (true) or there are none (false).
    /// </summary>
    private const string ThreeAdjacentBlocks = """
        () => {
          const { map, layers } = window.barrioViewer;
          const blocks = map.getLayers().getArray().find(l => l.get('name') === 'draft-blocks').getSource().getFeatures();
          const others = layers.neighborhoods.getSource().getFeatures();
          const rect = map.getTargetElement().getBoundingClientRect();
          const [w, h] = map.getSize();
          const res = map.getView().getResolution();
          const inView = f => { const p = map.getPixelFromCoordinate(f.getGeometry().getInteriorPoint().getCoordinates().slice(0, 2));
                                return p[0] > 40 && p[1] > 40 && p[0] < w - 40 && p[1] < h - 40 ? p : null; };
          const free = f => !others.some(o => o.getGeometry().intersectsExtent(f.getGeometry().getExtent()));
          const inViewOnly = INVIEW;
          const ok = blocks.filter(f => f.getGeometry().getType() === 'Polygon' && f.getGeometry().getArea() / (res * res) > 600 && free(f) && (!inViewOnly || inView(f)));
          const key = c => c[0].toFixed(2) + ',' + c[1].toFixed(2);
          const verts = new Map(ok.map(f => [f, new Set(f.getGeometry().getCoordinates()[0].map(key))]));
          const shares = (a, b) => { let n = 0; for (const k of verts.get(b)) if (verts.get(a).has(k) && ++n >= 2) return true; return false; };
          for (const a of ok) for (const b of ok) {
            if (a === b || !shares(a, b)) continue;
            for (const c of ok) {
              if (c === a || c === b || !(shares(a, c) || shares(b, c))) continue;
              // First call: centre the map on them; second: where to click.
              if (!inViewOnly) { map.getView().setCenter(a.getGeometry().getInteriorPoint().getCoordinates().slice(0, 2)); map.renderSync(); return true; }
              return [a, b, c].map(f => { const p = inView(f); return { id: String(f.getId()), x: rect.left + p[0], y: rect.top + p[1] }; });
            }
          }
          return inViewOnly ? null : false;
        }
        """;

    /// <summary>Waits until n blocks are picked and a newer union than shapesBefore is the draft; says the panel's state if not.</summary>
    private static async Task WaitPicked(IPage page, int n, string shapesBefore)
    {
        try
        {
            await WaitFor(page, "([n, s]) => { const p = document.getElementById('draw-panel'); return p.dataset.picked === n && p.dataset.shapes !== s; }",
                new object[] { n.ToString(CultureInfo.InvariantCulture), shapesBefore });
        }
        catch (TimeoutException e)
        {
            var state = await page.EvaluateAsync<string>(
                "() => { const p = document.getElementById('draw-panel'); return JSON.stringify({ ...p.dataset, status: document.getElementById('blocks-status').innerText }); }");
            throw new TimeoutException($"waiting for {n} picked blocks and a new union (after {shapesBefore}): {state}", e);
        }
    }

    [SkippableFact]
    public async Task Three_clicked_blocks_make_a_neighbourhood_whose_boundary_is_their_PostGIS_union()
    {
        Api.Require();
        await EnsureDistrictBlocks();
        var page = await OpenAsPlanner();
        await page.GetByRole(AriaRole.Button, new() { Name = "Crear desde manzanas", Exact = true }).ClickAsync();
        await WaitFor(page, "() => /^\\d+$/.test(document.getElementById('draw-panel').dataset.blocks ?? '')");
        Assert.Equal("picking", await page.GetAttributeAsync("#draw-panel", "data-state"));
        Assert.Equal("Crear barrio desde manzanas", await page.TextContentAsync("#draw-title"));

        // Other tests leave neighbourhoods in the district: look at free blocks first, wherever they are.
        Assert.True(await page.EvaluateAsync<bool>(ThreeAdjacentBlocks.Replace("INVIEW", "false", StringComparison.Ordinal)), "no three adjacent free blocks in the district");
        await page.EvaluateAsync("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))");
        var picks = await page.EvaluateAsync<JsonElement>(ThreeAdjacentBlocks.Replace("INVIEW", "true", StringComparison.Ordinal));
        Assert.True(picks.ValueKind == JsonValueKind.Array, "no three adjacent free blocks in view");
        var ids = new List<string>();
        foreach (var pick in picks.EnumerateArray())
        {
            ids.Add(pick.GetProperty("id").GetString()!);
            var shapes = await page.GetAttributeAsync("#draw-panel", "data-shapes") ?? "0";
            await page.Mouse.ClickAsync((float)pick.GetProperty("x").GetDouble(), (float)pick.GetProperty("y").GetDouble());
            // The union of the blocks picked so far is the draft.
            await WaitPicked(page, ids.Count, shapes);
        }
        Assert.Contains("3 manzanas elegidas", await page.InnerTextAsync("#blocks-status"));
        // Checked as it goes, like a drawn one.
        await WaitFor(page, "() => document.getElementById('draw-live').dataset.checked === 'true'");
        Assert.Equal("0", await page.GetAttributeAsync("#draw-live", "data-problems"));
        var shownKm2 = double.Parse((await page.GetAttributeAsync("#draw-figures", "data-area-km2"))!, CultureInfo.InvariantCulture);

        // A click on a picked block drops it; a second click picks it again.
        var last = picks[2];
        await page.Mouse.ClickAsync((float)last.GetProperty("x").GetDouble(), (float)last.GetProperty("y").GetDouble());
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.picked === '2'");
        await WaitFor(page, "a => Number(document.getElementById('draw-figures').dataset.areaKm2) < Number(a)", shownKm2.ToString("R", CultureInfo.InvariantCulture));
        var shapes2 = await page.GetAttributeAsync("#draw-panel", "data-shapes") ?? "0";
        await page.Mouse.ClickAsync((float)last.GetProperty("x").GetDouble(), (float)last.GetProperty("y").GetDouble());
        await WaitPicked(page, 3, shapes2);
        await WaitFor(page, "() => document.getElementById('draw-live').dataset.checked === 'true'");
        await Screenshot(page, "viewer-blocks-picked.png");

        // "Terminar selección": the union becomes an ordinary draft, reshaped and undone like a drawn one.
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminar selección", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn'");
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Deshacer", Exact = true }).IsDisabledAsync());
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Quitar vértices", Exact = true }).IsEnabledAsync());
        Assert.False(await page.GetByRole(AriaRole.Button, new() { Name = "Terminar selección", Exact = true }).IsVisibleAsync());
        // Clicks on blocks no longer change the shape (checked once the map has handled the click).
        var finished = await page.GetAttributeAsync("#draw-figures", "data-area-km2");
        await page.EvaluateAsync("() => { window.__clicked = new Promise(r => window.barrioViewer.map.once('singleclick', () => setTimeout(r))); }");
        await page.Mouse.ClickAsync((float)last.GetProperty("x").GetDouble(), (float)last.GetProperty("y").GetDouble());
        await page.EvaluateAsync("() => window.__clicked");
        Assert.Equal("3", await page.GetAttributeAsync("#draw-panel", "data-picked"));
        Assert.Equal(finished, await page.GetAttributeAsync("#draw-figures", "data-area-km2"));

        var name = $"Manzanas {Guid.NewGuid():N}"[..20];
        await page.GetByLabel("Nombre del barrio").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar barrio", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-saved') !== null && document.getElementById('planner-panel').dataset.state === 'ready'");

        var all = await ApiFixture.JsonOf(await Api.Client().GetAsync("/api/collections/neighborhoods/items"));
        var listed = all.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("properties").GetProperty("name").GetString() == name).ToList();
        Assert.Single(listed);
        var id = listed[0].GetProperty("properties").GetProperty("id").GetInt32();
        try
        {
            Assert.Equal(District, listed[0].GetProperty("properties").GetProperty("districtUbigeo").GetString());
            // PostGIS oracle: the stored boundary is the union of the three blocks (area and shape).
            await using var connection = new NpgsqlConnection(Api.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                WITH u AS (SELECT ST_Union(geometry) AS g FROM blocks WHERE scope = @scope AND id = ANY(@ids))
                SELECT ST_Area(n.boundary::geography), ST_Area(u.g::geography), ST_Area(ST_SymDifference(n.boundary, u.g)::geography), ST_NumGeometries(n.boundary)
                FROM neighborhoods n, u WHERE n.id = @id
                """, connection);
            cmd.Parameters.AddWithValue("scope", $"district:{District}");
            cmd.Parameters.AddWithValue("ids", ids.ToArray());
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync());
            double stored = r.GetDouble(0), union = r.GetDouble(1), apart = r.GetDouble(2);
            Assert.True(union > 0);
            Assert.InRange(stored, union * 0.999, union * 1.001);
            Assert.True(apart < 1.0, $"the stored boundary and the union of the blocks differ by {apart:0.0} m²");
            Assert.Equal(1, r.GetInt32(3)); // adjacent blocks dissolve into one polygon
            Assert.InRange(shownKm2 * 1e6, union * 0.99, union * 1.01); // what the page showed is what was saved
        }
        finally
        {
            await Delete(id);
        }
    }

    /// <summary>
    /// A block edge (its midpoint m and ends a, b, in the view's projection) at least 40 m long, far from every loaded
    /// street and neighbourhood, best first; the skip-th one, or null.
    /// </summary>
    private const string EdgeFarFromStreets = """
        skip => {
          const { map, layers } = window.barrioViewer;
          const blocks = map.getLayers().getArray().find(l => l.get('name') === 'draft-blocks').getSource().getFeatures();
          const streets = layers.streets.getSource();
          const others = layers.neighborhoods.getSource().getFeatures();
          const dist = (p, q) => Math.hypot(p[0] - q[0], p[1] - q[1]);
          const found = [];
          for (const f of blocks) {
            const ring = f.getGeometry().getCoordinates()[0];
            for (let i = 0; i + 1 < ring.length; i++) {
              const [a, b] = [ring[i], ring[i + 1]];
              if (dist(a, b) < 40) continue;
              const m = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
              const s = streets.getClosestFeatureToCoordinate(m);
              const d = s ? dist(m, s.getGeometry().getClosestPoint(m)) : 1e9;
              if (d < 30 || others.some(o => dist(m, o.getGeometry().getClosestPoint(m)) < 60)) continue;
              found.push({ m, a, b, d });
            }
          }
          found.sort((x, y) => y.d - x.d);
          return found[skip] ?? null;
        }
        """;

    [SkippableFact]
    public async Task A_vertex_clicked_next_to_a_block_edge_snaps_onto_it()
    {
        Api.Require();
        await EnsureDistrictBlocks();
        var page = await OpenAsPlanner();
        await page.GetByRole(AriaRole.Button, new() { Name = "Dibujar barrio", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawing'");
        await WaitFor(page, "() => window.barrioViewer.map.getLayers().getArray().find(l => l.get('name') === 'draft-blocks').getSource().getFeatures().length > 0");
        Assert.True(await page.IsCheckedAsync("#draw-snap"));

        // An edge with no street near it, checked again once the streets around it are loaded at a close zoom.
        double[] a = [], b = [], click = [];
        var found = false;
        for (var skip = 0; skip < 6 && !found; skip++)
        {
            var edge = await page.EvaluateAsync<JsonElement>(EdgeFarFromStreets, skip);
            Assert.True(edge.ValueKind == JsonValueKind.Object, "no block edge away from the streets");
            double[] Point(string k) => [edge.GetProperty(k)[0].GetDouble(), edge.GetProperty(k)[1].GetDouble()];
            (a, b) = (Point("a"), Point("b"));
            double[] m = Point("m");
            await page.EvaluateAsync("m => window.barrioViewer.map.getView().setCenter(m)", m);
            await page.EvaluateAsync("() => window.barrioViewer.map.getView().setResolution(0.6)");
            await WaitFor(page, "() => { const m = window.barrioViewer.map; m.renderSync(); return document.body.dataset.loading === 'false'; }");
            // 6 px off the edge, on its normal: no street within 20 px, so only a block edge can move the vertex.
            click = await page.EvaluateAsync<double[]>("""
                ([a, b, m]) => {
                  const { map, layers } = window.barrioViewer;
                  const res = map.getView().getResolution();
                  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
                  const c = [m[0] - (b[1] - a[1]) / len * 6 * res, m[1] + (b[0] - a[0]) / len * 6 * res];
                  const s = layers.streets.getSource().getClosestFeatureToCoordinate(c);
                  const street = s ? Math.hypot(...[0, 1].map(i => c[i] - s.getGeometry().getClosestPoint(c)[i])) / res : 1e9;
                  const rect = map.getTargetElement().getBoundingClientRect();
                  const p = map.getPixelFromCoordinate(c);
                  return [rect.left + p[0], rect.top + p[1], c[0], c[1], street];
                }
                """, new[] { a, b, m });
            found = click[4] > 20;
        }
        Assert.True(found, "every candidate block edge has a street within 20 px");

        await page.Mouse.MoveAsync((float)click[0] + 2, (float)click[1] + 2);
        await page.Mouse.MoveAsync((float)click[0], (float)click[1]);
        await page.Mouse.ClickAsync((float)click[0], (float)click[1]);
        await page.Mouse.ClickAsync((float)click[0] + 120, (float)click[1] + 160);
        await page.Mouse.ClickAsync((float)click[0] - 140, (float)click[1] + 150);
        await page.GetByRole(AriaRole.Button, new() { Name = "Terminar dibujo", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn'");
        var first = await page.EvaluateAsync<double[]>(
            "() => window.barrioViewer.map.getLayers().getArray().find(l => l.get('name') === 'draft').getSource().getFeatures()[0].getGeometry().getCoordinates()[0][0]");

        // On the segment a-b (within a centimetre), and moved from where the pointer was.
        double dx = b[0] - a[0], dy = b[1] - a[1];
        var t = Math.Clamp(((first[0] - a[0]) * dx + (first[1] - a[1]) * dy) / (dx * dx + dy * dy), 0, 1);
        var offEdge = Hypot(first[0] - (a[0] + t * dx), first[1] - (a[1] + t * dy));
        Assert.True(offEdge < 0.01, $"the first vertex is {offEdge:0.000} m off the block edge");
        Assert.True(Hypot(first[0] - click[2], first[1] - click[3]) > 2, "the vertex did not move from the click");
        await Screenshot(page, "viewer-snap-block.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Descartar", Exact = true }).ClickAsync();
    }
}
