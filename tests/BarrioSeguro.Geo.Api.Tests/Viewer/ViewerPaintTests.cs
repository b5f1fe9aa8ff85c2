using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Painting sectors in a real browser through the real controls: three blocks clicked (and tapped) on the map into
/// another sector change the table at once, the local figures equal the service's evaluation, a move that would split
/// a sector is refused with a Spanish reason, the result is kept as a plan and listed, and two plans are compared on
/// the map. One page for the whole story (plans are only added, so other tests are not affected).
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerPaintTests(ApiFixture api) : BrowserTest(api)
{
    private sealed record Block(string Id, int Sector, int[] Neighbours, double X, double Y, bool Shown);

    private static async Task<(List<Block> Blocks, JsonElement State)> StateOf(IPage page)
    {
        // As a JSON string: Playwright's own object transfer adds reference ids ("$id") to nested objects.
        var state = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.barrioViewer.paintState())")).RootElement;
        var blocks = state.GetProperty("blocks").EnumerateArray().Select(b => new Block(
            b.GetProperty("id").GetString()!, b.GetProperty("sector").GetInt32(),
            b.GetProperty("neighbours").EnumerateArray().Select(n => (int)n.GetDouble()).ToArray(),
            b.GetProperty("client").ValueKind == JsonValueKind.Array ? b.GetProperty("client")[0].GetDouble() : double.NaN,
            b.GetProperty("client").ValueKind == JsonValueKind.Array ? b.GetProperty("client")[1].GetDouble() : double.NaN,
            b.GetProperty("shown").GetBoolean())).ToList();
        return (blocks, state);
    }

    private static bool StaysWhole(List<Block> blocks, int s, int without) =>
        Endpoints.PaintChecks.StaysWhole(blocks.Select(b => b.Sector).ToList(), blocks.Select(b => b.Neighbours).ToList(), s, without);

    [SkippableFact]
    public async Task A_chief_paints_three_blocks_sees_the_figures_move_is_refused_a_split_keeps_the_plan_and_compares_it()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1440, 960, touch: true);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        await page.FillAsync("#sectors-count", "3");
        await page.FillAsync("#sectors-seed", "41");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calcular sectores", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('sectors-result').dataset.drawn === 'true'");
        var parentId = int.Parse((await page.GetAttributeAsync("#sectors-section", "data-plan-id"))!, CultureInfo.InvariantCulture);

        // 1. Start painting: the blocks on the map, the table of the plan as it is, confirmed by the server.
        await page.GetByRole(AriaRole.Button, new() { Name = "Pintar sector", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('paint-box').dataset.painting === 'true' && document.getElementById('paint-box').dataset.confirmed === 'true'");
        Assert.Equal(3, await page.Locator("#paint-table tbody tr").CountAsync());
        var before = await page.Locator("#paint-table tbody tr td:nth-child(2)").AllInnerTextsAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pintar con S2", Exact = true }).ClickAsync();

        // 2. Three blocks of S1 along S2, each clicked (the last one tapped) where the map shows it.
        var clicked = new List<string>();
        for (var n = 0; n < 3; n++)
        {
            var (blocks, _) = await StateOf(page);
            var i = Enumerable.Range(0, blocks.Count).First(j => blocks[j].Sector == 0 && blocks[j].Shown
                && blocks[j].Neighbours.Any(x => blocks[x].Sector == 1) && StaysWhole(blocks, 0, j));
            if (n < 2) await page.Mouse.ClickAsync((float)blocks[i].X, (float)blocks[i].Y);
            else await page.Touchscreen.TapAsync((float)blocks[i].X, (float)blocks[i].Y);
            clicked.Add(blocks[i].Id);
            await WaitFor(page, "n => document.getElementById('paint-summary').dataset.moved === String(n)", n + 1);
        }
        var after = await page.Locator("#paint-table tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.NotEqual(before[0], after[0]); // S1 lost workload, S2 gained it, at once
        Assert.NotEqual(before[1], after[1]);
        Assert.Equal(before[2], after[2]);
        Assert.Contains("3 manzanas movidas", await page.InnerTextAsync("#paint-summary"));
        Assert.Matches(@"\d+[.,]\d min", await page.InnerTextAsync("#paint-table tbody tr:first-child td:nth-child(4)"));

        // 3. The local figures equal the service's evaluation of the same moves.
        await WaitFor(page, "() => document.getElementById('paint-box').dataset.confirmed === 'true'");
        var (_, state) = await StateOf(page);
        var body = state.GetProperty("body");
        Assert.Equal(clicked.Order(StringComparer.Ordinal), body.GetProperty("moves").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var response = await Api.Client().PostAsync($"/api/plans/{parentId}/evaluate",
            new StringContent(body.GetRawText(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var server = (await ApiFixture.JsonOf(response)).GetProperty("report");
        var rows = page.Locator("#paint-table tbody tr");
        for (var s = 0; s < 3; s++)
        {
            var row = rows.Nth(s);
            var local = new Dictionary<string, double>();
            foreach (var name in new[] { "workload", "pp", "minutes", "deviation" })
                local[name] = double.Parse((await row.GetAttributeAsync($"data-{name}"))!, CultureInfo.InvariantCulture);
            double Local(string name) => local[name];
            var sector = server.GetProperty("sectors")[s];
            var travel = server.GetProperty("travel").GetProperty("sectors")[s];
            Assert.Equal(sector.GetProperty("workload").GetDouble(), Local("workload"), 3);
            Assert.Equal(sector.GetProperty("polsbyPopper").GetDouble(), Local("pp"), 3);
            Assert.Equal(travel.GetProperty("meanMinutes").GetDouble(), Local("minutes"), 2);
            var target = sector.GetProperty("targetWorkload").GetDouble();
            Assert.Equal((sector.GetProperty("workload").GetDouble() - target) / target * 100, Local("deviation"), 2);
            Assert.Equal(sector.GetProperty("contiguous").GetBoolean().ToString().ToLowerInvariant(), await row.GetAttributeAsync("data-contiguous"));
            Assert.Equal(sector.GetProperty("blocks").GetInt32().ToString(CultureInfo.InvariantCulture), await row.GetAttributeAsync("data-blocks"));
        }

        // 4. A block of S1 inside S1 painted into S2 would leave S2 in two pieces: refused, in Spanish, nothing moves.
        {
            var (blocks, _) = await StateOf(page);
            var i = Enumerable.Range(0, blocks.Count).First(j => blocks[j].Sector == 0 && blocks[j].Shown
                && blocks[j].Neighbours.All(x => blocks[x].Sector == 0) && StaysWhole(blocks, 0, j));
            await page.Mouse.ClickAsync((float)blocks[i].X, (float)blocks[i].Y);
            await WaitFor(page, "() => document.querySelector('#paint-message [data-code=\"sectors.move_splits\"]') !== null");
            var reason = await page.InnerTextAsync("#paint-message");
            Assert.Contains("No se puede", reason);
            Assert.Contains("S2", reason);
            Assert.Contains(blocks[i].Id, reason);
            Assert.Contains("partido", reason);
            Assert.Equal("3", await page.GetAttributeAsync("#paint-summary", "data-moved"));
            Assert.Equal(0, (await StateOf(page)).Blocks[i].Sector);
        }

        // 5. A block locked with the lock tool cannot be painted; the server is asked with the lock.
        string lockedId;
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Bloquear", Exact = true }).ClickAsync();
            var (blocks, _) = await StateOf(page);
            var j = Enumerable.Range(0, blocks.Count).First(x => blocks[x].Sector == 0 && blocks[x].Shown
                && blocks[x].Neighbours.Any(y => blocks[y].Sector == 1) && StaysWhole(blocks, 0, x));
            lockedId = blocks[j].Id;
            await page.Mouse.ClickAsync((float)blocks[j].X, (float)blocks[j].Y);
            await WaitFor(page, "id => window.barrioViewer.paintState().body.locks.blocks.includes(id)", lockedId);
            await page.GetByRole(AriaRole.Button, new() { Name = "Pintar con S2", Exact = true }).ClickAsync();
            await page.Mouse.ClickAsync((float)blocks[j].X, (float)blocks[j].Y);
            await WaitFor(page, "() => document.querySelector('#paint-message [data-code=\"sectors.move_locked\"]') !== null");
            Assert.Contains("bloqueada", await page.InnerTextAsync("#paint-message"));
            Assert.Equal("3", await page.GetAttributeAsync("#paint-summary", "data-moved"));
            await WaitFor(page, "() => document.getElementById('paint-box').dataset.confirmed === 'true'");
        }

        // 6. Undo and redo the last move, then keep the painted plan: listed and shown as the new plan.
        await page.GetByRole(AriaRole.Button, new() { Name = "Deshacer", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('paint-summary').dataset.moved === '2'");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rehacer", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('paint-summary').dataset.moved === '3'");
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar como plan", Exact = true }).ClickAsync();
        await WaitFor(page, "p => document.getElementById('sectors-section').dataset.planId !== String(p) && document.getElementById('sectors-result').dataset.drawn === 'true'", parentId);
        var keptId = int.Parse((await page.GetAttributeAsync("#sectors-section", "data-plan-id"))!, CultureInfo.InvariantCulture);
        Assert.True(await page.Locator($"#plan-list li.is-active[data-plan-id='{keptId}']").IsVisibleAsync());
        var kept = await ApiFixture.JsonOf(await Api.Client().GetAsync($"/api/plans/{keptId}"));
        Assert.Equal(parentId, kept.GetProperty("parameters").GetProperty("editedFromPlanId").GetInt32());
        Assert.Equal(clicked.Order(StringComparer.Ordinal), kept.GetProperty("parameters").GetProperty("moves").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(0, kept.GetProperty("parameters").GetProperty("locks").GetProperty(lockedId).GetInt32());

        // 7. Compare the kept plan with its parent on the map: the three blocks outlined, with their share of workload.
        await page.GetByLabel("Comparar planes").SelectOptionAsync(parentId.ToString(CultureInfo.InvariantCulture));
        await WaitFor(page, "() => document.getElementById('paint-compare-summary') !== null");
        Assert.Equal("3", await page.GetAttributeAsync("#paint-compare-summary", "data-changed"));
        Assert.Equal("3", await page.GetAttributeAsync("#paint-compare-summary", "data-server-changed"));
        var summary = await page.InnerTextAsync("#paint-compare-summary");
        Assert.Contains("3 manzanas cambian de sector", summary);
        var pct = double.Parse((await page.GetAttributeAsync("#paint-compare-summary", "data-workload-pct"))!, CultureInfo.InvariantCulture);
        Assert.Equal(server.GetProperty("churn").GetProperty("workloadSharePct").GetDouble(), pct, 2);
        // The map draws the changed blocks in red where they are.
        var red = await page.EvaluateAsync<int>("""
            () => {
              const { map } = window.barrioViewer;
              const layer = map.getLayers().getArray().find(l => l.get('name') === 'paint');
              if (!layer.getVisible()) return -1;
              return layer.getSource().getFeatures().filter(f => {
                const styles = layer.getStyleFunction()(f, map.getView().getResolution());
                return styles.some(s => s.getStroke()?.getColor() === '#d7191c');
              }).length;
            }
            """);
        Assert.Equal(3, red);
        await Screenshot(page, "viewer-paint.png");

        // 8. Dragging paints every block it passes over (the kept plan, painted again) and does not pan the map.
        await page.GetByRole(AriaRole.Button, new() { Name = "Pintar sector", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('paint-box').dataset.painting === 'true'");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pintar con S2", Exact = true }).ClickAsync();
        {
            var (blocks, _) = await StateOf(page);
            var (a, b) = (from i in Enumerable.Range(0, blocks.Count)
                          where blocks[i].Sector == 0 && blocks[i].Shown && blocks[i].Neighbours.Any(x => blocks[x].Sector == 1) && StaysWhole(blocks, 0, i)
                          from j in blocks[i].Neighbours
                          where blocks[j].Sector == 0 && blocks[j].Shown && StaysWhole(blocks.Select((x, n) => n == i ? x with { Sector = 1 } : x).ToList(), 0, j)
                          select (i, j)).First();
            var centre = await page.EvaluateAsync<double[]>("() => window.barrioViewer.map.getView().getCenter()");
            await page.Mouse.MoveAsync((float)blocks[a].X, (float)blocks[a].Y);
            await page.Mouse.DownAsync();
            await page.Mouse.MoveAsync((float)blocks[b].X, (float)blocks[b].Y, new() { Steps = 12 });
            await page.Mouse.UpAsync();
            await WaitFor(page, "() => Number(document.getElementById('paint-summary').dataset.moved) >= 2");
            var (painted, _) = await StateOf(page);
            Assert.Equal(1, painted[a].Sector);
            Assert.Equal(1, painted[b].Sector);
            Assert.Equal(centre, await page.EvaluateAsync<double[]>("() => window.barrioViewer.map.getView().getCenter()"));
            // One stroke: one undo takes it all back.
            await page.GetByRole(AriaRole.Button, new() { Name = "Deshacer", Exact = true }).ClickAsync();
            await WaitFor(page, "() => document.getElementById('paint-summary').dataset.moved === '0'");
        }
    }
}
