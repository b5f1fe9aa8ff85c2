using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The viewer under its Content-Security-Policy: the header is there, and using the panels (select, validate, repair,
/// history, sectors, coverage, routes, language) reports no violation to the page.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerSecurityTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task Using_the_panels_reports_no_CSP_violation()
    {
        Api.Require();
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 960 } });
        // Registered before any script of the page runs, so nothing the viewer does escapes it.
        await page.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation',
              e => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
            """);
        var consoleCsp = new List<string>();
        page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) consoleCsp.Add(m.Text); };

        var response = await page.GotoAsync(Api.BaseAddress.ToString());
        var csp = await response!.HeaderValueAsync("content-security-policy");
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Equal("nosniff", await response.HeaderValueAsync("x-content-type-options"));
        await WaitFor(page, "() => document.body.dataset.ready === 'true'");
        // Through the real sign-in form (the page loads again signed in; the init script runs again with it).
        await SignIn(page, ApiFixture.AdminName, ApiFixture.Password);

        var id = await Api.MilagroIdAsync();
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        await page.ClickAsync("#btn-validate");
        await WaitFor(page, "() => document.getElementById('planner-result').dataset.drawn === 'true'");
        await page.ClickAsync("#btn-repair");
        await WaitFor(page, "() => document.getElementById('planner-busy').hidden && document.getElementById('planner-result').dataset.drawn === 'true'");
        await page.ClickAsync("#btn-history");
        await WaitFor(page, "() => document.querySelectorAll('#history-table tbody tr').length >= 1");

        await page.FillAsync("#sectors-count", "2");
        await page.ClickAsync("#sectors-compute");
        await WaitFor(page, "() => document.getElementById('sectors-result').dataset.drawn === 'true'");
        await WaitFor(page, "() => !document.getElementById('coverage-section').hidden");
        await page.FillAsync("#coverage-minutes", "5");
        await page.ClickAsync("#coverage-compute");
        await WaitFor(page, "() => document.getElementById('coverage-result').dataset.drawn === 'true'");
        await page.ClickAsync("#routes-compute");
        await WaitFor(page, "() => document.getElementById('routes-result').dataset.drawn === 'true'");
        await page.ClickAsync(".lang-toggle button[data-lang='en']");
        await WaitFor(page, "() => document.documentElement.lang.startsWith('en')");
        // The scale bar (OpenLayers writes it with style attributes) is drawn: the one inline-style allowance is used.
        Assert.True(await page.Locator("#scale-line .ol-scale-singlebar").CountAsync() > 0);

        var violations = await page.EvaluateAsync<string[]>("() => window.__csp");
        Assert.Empty(violations);
        Assert.Empty(consoleCsp);
    }

    [SkippableFact]
    public async Task Api_answers_and_errors_carry_the_headers_too()
    {
        var client = Api.Client();
        foreach (var path in new[] { "/api/collections", "/api/neighborhoods/999999", "/js/main.js", "/no-such-file" })
        {
            var r = await client.GetAsync(path);
            Assert.True(r.Headers.TryGetValues("Content-Security-Policy", out var csp), path);
            Assert.Contains("frame-ancestors 'none'", string.Join(",", csp!));
            Assert.Equal("nosniff", string.Join(",", r.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", string.Join(",", r.Headers.GetValues("Referrer-Policy")));
        }
    }
}
