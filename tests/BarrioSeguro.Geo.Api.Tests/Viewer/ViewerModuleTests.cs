using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The viewer as the browser loads it: native ES modules from the service itself (no CDN, no bundle), and user data
/// (names, authors, comments, descriptions) shown as text, never parsed as markup.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerModuleTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task The_page_loads_only_ES_modules_from_the_service_with_a_JavaScript_type()
    {
        Api.Require();
        var scripts = new List<IResponse>();
        var external = new List<string>();
        var page = await Browser.NewPageAsync();
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType == "script") scripts.Add(response);
        };
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(Api.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                external.Add(request.Url);
        };
        await page.GotoAsync(Api.BaseAddress.ToString());
        await WaitFor(page, "() => document.body.dataset.ready === 'true'");
        Assert.Empty(external);
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify(window.barrioViewer.errors)"));

        // Every script the page asked for is ours, served as JavaScript; OpenLayers is the only classic script.
        var paths = scripts.Select(r => new Uri(r.Url).AbsolutePath).Order(StringComparer.Ordinal).ToArray();
        foreach (var response in scripts)
        {
            Assert.Equal(200, response.Status);
            Assert.StartsWith("text/javascript", (await response.HeaderValueAsync("content-type")) ?? "", StringComparison.OrdinalIgnoreCase);
            var path = new Uri(response.Url).AbsolutePath;
            // A module script is fetched in CORS mode, a classic <script src> in no-cors mode.
            var mode = await response.Request.HeaderValueAsync("sec-fetch-mode");
            Assert.True(path == "/lib/ol.js" ? mode == "no-cors" : mode == "cors", $"{path} fetched in mode {mode}");
        }
        Assert.Contains("/lib/ol.js", paths);
        Assert.Contains("/js/main.js", paths);

        // The browser loaded exactly the modules on disk: none is missing from the graph, none is left over.
        var webRoot = Path.Combine(ApiFixture.RepositoryRoot, "src", "BarrioSeguro.Geo.Api", "wwwroot");
        var onDisk = Directory.EnumerateFiles(Path.Combine(webRoot, "js"), "*.js", SearchOption.AllDirectories)
            .Select(f => "/" + Path.GetRelativePath(webRoot, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(onDisk, paths.Where(p => p != "/lib/ol.js").ToArray());

        var classic = await page.EvaluateAsync<string[]>(
            "() => [...document.scripts].filter(s => s.type !== 'module').map(s => new URL(s.src).pathname)");
        Assert.Equal(["/lib/ol.js"], classic);
    }

    [SkippableFact]
    public async Task Without_lib_ol_js_the_page_says_so_and_the_hook_still_resolves()
    {
        Api.Require();
        var page = await Browser.NewPageAsync();
        var uncaught = new List<string>();
        page.PageError += (_, e) => uncaught.Add(e);
        await page.RouteAsync("**/lib/ol.js", route => route.FulfillAsync(new RouteFulfillOptions { Status = 404, Body = "" }));
        await page.GotoAsync(Api.BaseAddress.ToString());
        await WaitFor(page, "() => document.body.dataset.ready === 'true'");

        Assert.True(await page.IsVisibleAsync("#error"));
        Assert.Contains("lib/ol.js (OpenLayers) no se encontró", await page.InnerTextAsync("#error-list"));
        Assert.Equal("""["lib/ol.js missing"]""", await page.EvaluateAsync<string>("() => JSON.stringify(window.barrioViewer.errors)"));
        Assert.Equal("true", await page.EvaluateAsync<string>("() => document.body.dataset.loadError"));
        // boot.js stopped the module graph before any module that needs `ol` ran (no "ol is not defined").
        Assert.Single(uncaught);
        Assert.Contains("OpenLayers (lib/ol.js) is not loaded", uncaught[0]);
    }

    [SkippableFact]
    public async Task Names_authors_comments_and_descriptions_with_HTML_are_shown_as_text()
    {
        Api.Require();
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var name = $"<img src=x onerror=window.__xss=1>{suffix}";
        var author = "<img src=y onerror=window.__xss=2>";
        var comment = "<script>window.__xss=3</script>";
        var description = "<b id=xss-bold>negrita</b>";
        var feature = new JsonObject
        {
            ["type"] = "Feature",
            ["properties"] = new JsonObject { ["name"] = name, ["status"] = "draft", ["author"] = author, ["comment"] = comment, ["description"] = description },
            ["geometry"] = JsonNode.Parse("""{"type":"Polygon","coordinates":[[[-79.130,-8.100],[-79.125,-8.100],[-79.125,-8.095],[-79.130,-8.095],[-79.130,-8.100]]]}"""),
        };
        var response = await Api.Client().PostAsync("/api/neighborhoods", new StringContent(feature.ToJsonString(), Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await ApiFixture.JsonOf(response)).GetProperty("properties").GetProperty("id").GetInt32();
        // Signed in, the account names the author; a revision kept before sign-in (X-Barrio-User) may hold any text.
        await using (var connection = new NpgsqlConnection(Api.ConnectionString))
        {
            await connection.OpenAsync();
            await using var update = new NpgsqlCommand("UPDATE neighborhood_revisions SET author = @a WHERE neighborhood_id = @id", connection);
            update.Parameters.AddWithValue("a", author);
            update.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        try
        {
            var page = await OpenViewer();
            Assert.True(await page.EvaluateAsync<bool>("id => window.barrioViewer.layers.neighborhoods.getSource().getFeatureById(id) !== null", id));
            await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);

            // The planner's head and the information panel say the name as it was typed.
            Assert.Equal(name, await page.TextContentAsync("#planner-name"));
            Assert.Equal(name, await page.TextContentAsync("#feature-info .feature-title"));
            Assert.Equal(description, (await page.TextContentAsync("#feature-info tr[data-prop='description'] td"))?.Trim());

            // The history, through its button: author and comment as text.
            await page.ClickAsync("#btn-history");
            await WaitFor(page, "() => document.querySelectorAll('#history-table tbody tr').length === 1");
            Assert.Equal(author, await page.TextContentAsync("#history-table .rev-author"));
            Assert.Equal(comment, await page.TextContentAsync("#history-table .rev-comment"));

            // No element was made from the data, so nothing of it ran.
            Assert.Equal(0, await page.Locator(".sidebar img, .sidebar script, #xss-bold").CountAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => window.__xss === undefined"));
            await Screenshot(page, "viewer-xss.png");
        }
        finally
        {
            await using var connection = new NpgsqlConnection(Api.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE id = @id", connection);
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
