using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Issue 12, item 7: every computation of the viewer that takes more than a moment shows what it is doing and can be
/// cancelled (plans: ViewerSectorTests). The browser holds each request so that it never answers; the panel must show
/// its progress line with a "Cancelar" button, and after the click say it was cancelled and let the user start again.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerProgressTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task Routes_coverage_validation_repair_and_history_show_progress_and_can_be_cancelled()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("?lang=es", 1440, 960);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        await page.EvaluateAsync("() => window.barrioViewer.computePlan({ sectors: 2, seed: 3 })");
        await WaitFor(page, "() => !document.getElementById('routes-section').hidden && !document.getElementById('coverage-section').hidden");

        // (what is held, the button that starts it, the panel's prefix, where it says it was cancelled)
        var cases = new (string Url, string Method, string Button, string Prefix, string Result)[]
        {
            ("**/api/plans/*/routes", "POST", "#routes-compute", "routes", "#routes-result"),
            ("**/api/plans/*/coverage*", "POST", "#coverage-compute", "coverage", "#coverage-result"),
            ("**/api/neighborhoods/*/validation", "GET", "#btn-validate", "planner", "#planner-result"),
            ("**/api/neighborhoods/*/repair", "POST", "#btn-repair", "planner", "#planner-result"),
            ("**/api/neighborhoods/*/revisions", "GET", "#btn-history", "planner", "#planner-result"),
        };
        foreach (var c in cases)
        {
            // Held: never answered, until the page cancels it.
            Task Hold(IRoute route) => route.Request.Method == c.Method ? Task.CompletedTask : route.ContinueAsync();
            await page.RouteAsync(c.Url, Hold);
            await page.ClickAsync(c.Button);
            await WaitFor(page, "p => !document.getElementById(p + '-busy').hidden", c.Prefix);
            var busy = await page.InnerTextAsync($"#{c.Prefix}-busy-text");
            Assert.False(string.IsNullOrWhiteSpace(busy), $"{c.Button}: the progress line says nothing");
            var cancel = page.Locator($"#{c.Prefix}-busy").GetByRole(AriaRole.Button, new() { Name = "Cancelar", Exact = true });
            Assert.True(await cancel.IsVisibleAsync(), $"{c.Button}: no visible Cancelar button while it runs");
            await cancel.ClickAsync();
            await WaitFor(page, "p => document.getElementById(p + '-busy').hidden", c.Prefix);
            Assert.Contains("cancel", (await page.InnerTextAsync(c.Result)).ToLowerInvariant());
            Assert.True(await page.IsEnabledAsync(c.Button), $"{c.Button}: cannot start again after cancelling");
            await page.UnrouteAsync(c.Url);
        }
    }
}
