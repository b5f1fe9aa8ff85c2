using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The coverage cycle in a real browser: routing a real plan through the form draws each sector's calendar (day ×
/// shift → route with km, min and the cumulative covered %) as the server keeps it, and an entry shows its route on the
/// map. Plans and routes are only added, so other tests are not affected.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerCycleTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task The_calendar_shows_each_shift_of_the_cycle_as_kept_and_an_entry_shows_its_route()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1440, 960);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        var plan = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.computePlan({ sectors: 3, seed: 3 })");
        var planId = plan.GetProperty("id").GetInt32();
        await WaitFor(page, "() => !document.getElementById('routes-section').hidden");

        await page.SelectOptionAsync("#routes-mode", "foot");
        await page.FillAsync("#routes-shift", "mañana");
        await page.GetByRole(AriaRole.Button, new() { Name = "Calcular rutas", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('routes-result').dataset.drawn === 'true'");

        // The patrol time the routes fit in: 8 h less the request's default break (30 min) and hand-over (15 min).
        Assert.Contains("435 min de patrullaje", (await page.InnerTextAsync("#routes-result .plan-meta")).Replace('\u00a0', ' '));

        // The cycle as the server keeps it with the routes, and the kept tracks.
        var cycles = await ApiFixture.JsonOf(await Api.Client().GetAsync($"/api/plans/{planId}/routes/cycle"));
        var kept = cycles.EnumerateArray().Single(c => c.GetProperty("shift").GetString() == "mañana" && c.GetProperty("mode").GetString() == "foot");
        var sectors = kept.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(3, sectors.Count);
        var geo = await ApiFixture.JsonOf(await Api.Client().GetAsync($"/api/plans/{planId}/routes"));
        var tracks = geo.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties"))
            .Where(p => p.GetProperty("kind").GetString() == "track" && p.GetProperty("shift").GetString() == "mañana" && p.GetProperty("mode").GetString() == "foot")
            .ToList();

        foreach (var sector in sectors)
        {
            var label = sector.GetProperty("sector").GetString()!;
            var calendar = sector.GetProperty("calendar").EnumerateArray().ToList();
            var routeId = tracks.Where(p => p.GetProperty("label").GetString() == label).Max(p => p.GetProperty("routeId").GetInt32());
            if (await page.Locator("#routes-cycle-sector").CountAsync() > 0)
                await page.SelectOptionAsync("#routes-cycle-sector", routeId.ToString(CultureInfo.InvariantCulture));
            await WaitFor(page, "s => document.getElementById('routes-cycle')?.dataset.sector === s", label);

            // One button per entry of the calendar, with its km, min and cumulative %, in the server's figures.
            var days = calendar.Max(e => e.GetProperty("day").GetInt32());
            var shifts = calendar.Select(e => e.GetProperty("shift").GetString()!).Distinct().ToList();
            Assert.Equal(days, await page.Locator("#routes-cycle-table tbody tr").CountAsync());
            Assert.Equal(["Día", .. shifts], await page.Locator("#routes-cycle-table thead th").AllInnerTextsAsync());
            Assert.Equal(calendar.Count, await page.Locator("#routes-cycle-table .cycle-entry").CountAsync());
            foreach (var e in calendar)
            {
                var cell = page.Locator($"#routes-cycle-table .cycle-entry[data-day='{e.GetProperty("day").GetInt32()}'][data-shift='{e.GetProperty("shift").GetString()}']");
                var text = (await cell.InnerTextAsync()).Replace('\u00a0', ' ');
                // Figures as es-PE writes them (the browser's own Intl), each with its unit.
                var expected = await page.EvaluateAsync<string[]>(
                    "([km, min, pct]) => [[km, 1], [min, 0], [pct, 0]].map(([v, d]) => new Intl.NumberFormat('es-PE', { minimumFractionDigits: d, maximumFractionDigits: d }).format(v))",
                    new[] { e.GetProperty("lengthKm").GetDouble(), e.GetProperty("durationMin").GetDouble(), e.GetProperty("coveredPct").GetDouble() });
                Assert.Contains(expected[0] + " km", text);
                Assert.Contains(expected[1] + " min", text);
                Assert.Contains(expected[2] + " %", text);
            }
            var covered = sector.GetProperty("coveredInCycle").GetBoolean();
            Assert.Equal(covered ? "true" : "false", await page.GetAttributeAsync("#routes-cycle", "data-covered"));
            var summary = await page.InnerTextAsync("#routes-cycle-summary");
            Assert.Contains(covered ? "recorre" : "no se cubre en el ciclo", summary);
            Assert.Matches(@"\d\s%", summary);
            Assert.Matches(@"[\d,.]+\skm", summary);
            Assert.Contains("a pie", await page.InnerTextAsync("#routes-cycle-passes"));

            // The first mañana of the calendar is the kept route: a click shows it on the map, highlighted.
            var first = calendar.Where(e => e.GetProperty("shift").GetString() == "mañana").MinBy(e => e.GetProperty("day").GetInt32());
            await page.ClickAsync($"#routes-cycle-table .cycle-entry[data-day='{first.GetProperty("day").GetInt32()}'][data-shift='mañana']");
            await WaitFor(page, "() => document.getElementById('routes-cycle-shown') !== null");
            Assert.Equal(routeId.ToString(CultureInfo.InvariantCulture), await page.GetAttributeAsync("#routes-cycle-shown", "data-route-id"));
            var lit = await page.EvaluateAsync<int[]>(
                "() => [...new Set(window.barrioViewer.layers.routes.getSource().getFeatures().filter(f => f.get('kind') === 'track' && f.get('highlight')).map(f => f.get('routeId')))]");
            Assert.Equal([routeId], lit);
            Assert.Equal("true", await page.GetAttributeAsync(
                $"#routes-cycle-table .cycle-entry[data-day='{first.GetProperty("day").GetInt32()}'][data-shift='mañana']", "aria-pressed"));
        }

        // A day-3 entry (not the asked shift's day 1): its own kept route is drawn, one track as long as the entry says.
        var last = sectors[^1];
        var day3 = last.GetProperty("calendar").EnumerateArray().First(e => e.GetProperty("day").GetInt32() == 3 && e.GetProperty("shift").GetString() != "mañana");
        var day3Id = day3.GetProperty("routeId").GetInt32();
        Assert.DoesNotContain(tracks, p => p.GetProperty("routeId").GetInt32() == day3Id);
        await page.ClickAsync($"#routes-cycle-table .cycle-entry[data-day='3'][data-shift='{day3.GetProperty("shift").GetString()}']");
        await WaitFor(page, "id => document.getElementById('routes-cycle-shown')?.dataset.routeId === String(id)", day3Id);
        var drawn = await page.EvaluateAsync<double[]>("""
            id => {
              const fs = window.barrioViewer.layers.routes.getSource().getFeatures().filter(f => f.get('kind') === 'track' && f.get('routeId') === id);
              const rad = (d) => d * Math.PI / 180;
              const km = fs.map(f => {
                const c = f.getGeometry().clone().transform('EPSG:3857', 'EPSG:4326').getCoordinates();
                let m = 0;
                for (let i = 1; i < c.length; i++) {
                  const [a, b] = [c[i - 1], c[i]];
                  const h = Math.sin(rad(b[1] - a[1]) / 2) ** 2 + Math.cos(rad(a[1])) * Math.cos(rad(b[1])) * Math.sin(rad(b[0] - a[0]) / 2) ** 2;
                  m += 2 * 6371008.8 * Math.asin(Math.sqrt(h));
                }
                return m / 1000;
              });
              return [fs.length, km.reduce((a, b) => a + b, 0), fs.filter(f => f.get('highlight')).length];
            }
            """, day3Id);
        Assert.Equal(1, drawn[0]);
        Assert.Equal(1, drawn[2]);
        var entryKm = day3.GetProperty("lengthKm").GetDouble();
        Assert.True(Math.Abs(drawn[1] / entryKm - 1) <= 0.02, $"drawn {drawn[1]:0.000} km, the entry says {entryKm} km");
        Assert.Equal("true", await page.GetAttributeAsync($"#routes-cycle-table .cycle-entry[data-day='3'][data-shift='{day3.GetProperty("shift").GetString()}']", "aria-pressed"));

        // English re-says the calendar.
        await page.ClickAsync(".lang-toggle button[data-lang='en']");
        Assert.Contains("Coverage cycle", await page.InnerTextAsync("#routes-cycle"));
        Assert.Contains("on foot", await page.InnerTextAsync("#routes-cycle-passes"));
        await page.EvaluateAsync("() => document.getElementById('routes-cycle').scrollIntoView({ block: 'start' })");
        await Screenshot(page, "viewer-cycle.png");
    }
}
