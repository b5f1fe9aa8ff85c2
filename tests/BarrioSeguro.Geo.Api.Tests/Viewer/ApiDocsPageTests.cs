using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The interactive documentation page (issue 14.1, the landing page's service-doc): Scalar at /api/docs renders the
/// API from /openapi/v1.json in a real browser, with everything served by the service itself (no CDN, no web fonts)
/// and nothing refused by its Content-Security-Policy.
/// </summary>
[Collection(ApiCollection.Name)]
public class ApiDocsPageTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task The_documentation_page_renders_the_API_with_nothing_from_outside()
    {
        var document = await ApiFixture.JsonOf(await Api.AnonymousClient().GetAsync("/openapi/v1.json"));
        var title = document.GetProperty("info").GetProperty("title").GetString()!;

        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var external = new List<string>();
        var local = new List<string>();
        var refused = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.StartsWith(Api.BaseAddress.ToString(), StringComparison.Ordinal)) local.Add(request.Url);
            else if (!request.Url.StartsWith("data:", StringComparison.Ordinal) && !request.Url.StartsWith("blob:", StringComparison.Ordinal)) external.Add(request.Url);
        };
        var log = new List<string>();
        page.Console += (_, message) =>
        {
            log.Add($"{message.Type}: {message.Text}");
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) refused.Add(message.Text);
        };
        page.PageError += (_, error) => log.Add("page error: " + error);
        page.Response += (_, r) => log.Add($"{r.Status} {r.Url}");
        var response = await page.GotoAsync(new Uri(Api.BaseAddress, "/api/docs").ToString());
        Assert.Equal(200, response!.Status);

        // The title and an operation of the document, drawn by Scalar's app (not in the page's HTML).
        try
        {
            // Spaces as any white space: the heading may set the title with non-breaking ones.
            await WaitFor(page, "(t) => document.body.innerText.replace(/\\s+/g, ' ').includes(t)", title);
            // The document's version read as 3.0, and its tags in the sidebar (the sections below are drawn when scrolled to).
            await WaitFor(page, "() => document.body.innerText.includes('OpenAPI 3.0')");
            await WaitFor(page, "() => ['Collections', 'Sector plans', 'Sign-in'].every(t => document.body.innerText.includes(t))");
        }
        catch (TimeoutException)
        {
            await Screenshot(page, "api-docs-failed.png");
            Assert.Fail($"The page did not show \"{title}\" and its routes. What happened:\n{string.Join("\n", log)}");
        }
        await Screenshot(page, "api-docs.png");

        Assert.Contains(local, u => u.Contains("/openapi/v1.json", StringComparison.Ordinal));
        Assert.Contains(local, u => u.Contains("/api/docs/scalar.js", StringComparison.Ordinal));
        Assert.True(external.Count == 0, "The page asked other hosts: " + string.Join(", ", external.Distinct()));
        Assert.True(refused.Count == 0, "The page's policy refused: " + string.Join("\n", refused));
    }
}
