using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The planner's panel in a real browser: figures of a neighbourhood, validation drawn on the map, cancelling a request.
/// Neighbourhoods created here get unique names and are deleted afterwards, so that El Milagro stays valid for the
/// other tests whatever their order.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerValidationTests(ApiFixture api) : BrowserTest(api)
{
    /// <summary>Creates a neighbourhood through the API; returns its id.</summary>
    private async Task<int> Create(string name, string ring, string? ubigeo = "130104")
    {
        var district = ubigeo is null ? "" : $",\"districtUbigeo\":\"{ubigeo}\"";
        var body = $$$"""{"type":"Feature","properties":{"name":"{{{name}}}"{{{district}}},"status":"draft"},"geometry":{"type":"Polygon","coordinates":[{{{ring}}}]}}""";
        var response = await Api.Client().PostAsync("/api/neighborhoods", new StringContent(body, Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return created.GetProperty("properties").GetProperty("id").GetInt32();
    }

    /// <summary>There is no DELETE in the API (yet): tests clean up in the database so no overlap outlives them.</summary>
    private async Task Delete(int id)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE id = @id", connection);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
    }

    [SkippableFact]
    public async Task Clicking_El_Milagro_shows_its_figures_with_units()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer();
        Assert.True(await page.IsHiddenAsync("#planner-panel"));

        // A pixel inside El Milagro and inside no other neighbourhood (other tests may leave theirs around), in page
        // coordinates, so that a real mouse click selects it.
        var at = await page.EvaluateAsync<double[]?>("""
            id => {
              const { map, layers } = window.barrioViewer;
              const source = layers.neighborhoods.getSource();
              const milagro = source.getFeatureById(id);
              const others = source.getFeatures().filter(f => f !== milagro);
              const [minX, minY, maxX, maxY] = milagro.getGeometry().getExtent();
              const size = map.getSize();
              const rect = map.getTargetElement().getBoundingClientRect();
              const candidates = [milagro.getGeometry().getInteriorPoints().getPoint(0).getCoordinates().slice(0, 2)];
              for (let i = 1; i < 20; i++)
                for (let j = 1; j < 20; j++) candidates.push([minX + (maxX - minX) * i / 20, minY + (maxY - minY) * j / 20]);
              for (const c of candidates) {
                if (!milagro.getGeometry().intersectsCoordinate(c) || others.some(o => o.getGeometry().intersectsCoordinate(c))) continue;
                const p = map.getPixelFromCoordinate(c);
                if (p[0] > 20 && p[1] > 20 && p[0] < size[0] - 20 && p[1] < size[1] - 20) return [rect.left + p[0], rect.top + p[1]];
              }
              return null;
            }
            """, id);
        Assert.NotNull(at);
        await page.Mouse.ClickAsync((float)at![0], (float)at[1]);

        await WaitFor(page, """
            id => { const p = document.getElementById('planner-panel');
                    return !p.hidden && p.dataset.state === 'ready' && p.dataset.neighborhoodId === String(id); }
            """, id);
        var panel = await page.InnerTextAsync("#planner-panel");
        Assert.Contains("El Milagro", panel);
        Assert.Matches(@"\d\s+km²", await page.InnerTextAsync("#planner-figures [data-figure='area']"));
        Assert.Matches(@"\d\s+km$", (await page.InnerTextAsync("#planner-figures [data-figure='perimeter']")).Trim());
        Assert.Contains("Polsby-Popper", await page.InnerTextAsync("#planner-figures [data-figure='polsbyPopper']"));
        Assert.Equal("44 incidentes", (await page.InnerTextAsync("#planner-figures [data-figure='incidents'] .fig-value")).Trim());
        Assert.Contains("comisar", await page.InnerTextAsync("#planner-figures [data-figure='stations']"));
        Assert.True(await page.Locator("#planner-figures [data-street-class]").CountAsync() > 0);
        foreach (var button in new[] { "Validar", "Reparar (vista previa)", "Historial" })
            Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).IsEnabledAsync(), button);

        // The hook answers the same figures.
        var incidents = await page.EvaluateAsync<int>("id => window.barrioViewer.selectNeighborhood(id).then(f => f.incidents)", id);
        Assert.Equal(44, incidents);
        await Screenshot(page, "viewer-figures.png");
    }

    [SkippableFact]
    public async Task The_planner_panel_speaks_English_on_request()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("?lang=en");
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        Assert.Equal("44 incidents", (await page.InnerTextAsync("#planner-figures [data-figure='incidents'] .fig-value")).Trim());
        Assert.Equal("Neighbourhood planning", await page.TextContentAsync("#planner-title"));
        foreach (var button in new[] { "Validate", "Repair (preview)", "History" })
            Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).IsVisibleAsync(), button);
        await page.ClickAsync("#btn-validate");
        await WaitFor(page, "() => document.getElementById('planner-result').dataset.drawn === 'true'");
        await Screenshot(page, "viewer-validation-en.png");
    }

    [SkippableFact]
    public async Task Validating_a_neighbourhood_drawn_over_El_Milagro_draws_the_overlap_and_lists_it()
    {
        Api.Require();
        // A square straddling El Milagro's north-eastern edge.
        const string ring = "[[-79.0660,-8.0160],[-79.0600,-8.0160],[-79.0600,-8.0100],[-79.0660,-8.0100],[-79.0660,-8.0160]]";
        var id = await Create($"Solape {Guid.NewGuid():N}"[..20], ring);
        try
        {
            var page = await OpenViewer();
            await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
            await page.ClickAsync("#btn-validate");
            await WaitFor(page, """
                () => document.getElementById('planner-result').dataset.drawn === 'true'
                      && window.barrioViewer.layers.validation.getSource().getFeatures().length > 0
                """);

            var overlaps = await page.EvaluateAsync<string[]>("""
                () => window.barrioViewer.layers.validation.getSource().getFeatures()
                        .filter(f => f.get('kind') === 'overlap').map(f => f.getGeometry().getType())
                """);
            Assert.NotEmpty(overlaps);
            Assert.All(overlaps, type => Assert.Contains(type, new[] { "Polygon", "MultiPolygon" }));
            Assert.Equal("validation", await page.EvaluateAsync<string>("() => window.barrioViewer.layers.validation.get('name')"));

            var list = await page.InnerTextAsync("#problem-list");
            Assert.Contains("El Milagro", list);
            Assert.Contains("Superposición", list);
            Assert.Contains("m²", list);

            // OpenLayers answers from what it rendered: the validation layer drew the overlap at its interior point.
            var drawn = await page.EvaluateAsync<string[]>("""
                () => {
                  const { map, layers } = window.barrioViewer;
                  const overlap = layers.validation.getSource().getFeatures().find(f => f.get('kind') === 'overlap');
                  const g = overlap.getGeometry();
                  const inner = g.getType() === 'Polygon' ? g.getInteriorPoint() : g.getInteriorPoints().getPoint(0);
                  const pixel = map.getPixelFromCoordinate(inner.getCoordinates().slice(0, 2));
                  const kinds = [];
                  map.forEachFeatureAtPixel(pixel, f => { kinds.push(f.get('kind')); }, { layerFilter: l => l.get('name') === 'validation' });
                  return kinds;
                }
                """);
            Assert.Contains("overlap", drawn);

            // Clicking the problem in the list zooms to it and marks it.
            await page.ClickAsync("#problem-list button.problem[data-kind='overlap']");
            await WaitFor(page, "() => window.barrioViewer.layers.validation.getSource().getFeatures().some(f => f.get('highlight') === true)");

            // The hook gives the same problems, once drawn.
            var problems = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.validate()");
            Assert.Contains(problems.EnumerateArray(), p => p.GetProperty("kind").GetString() == "overlap" && p.GetProperty("other").GetString() == "El Milagro");
            await page.ClickAsync("#problem-list button.problem[data-kind='overlap']");
            await WaitFor(page, "() => document.querySelector('#problem-list .problem.is-active') !== null");
            await Screenshot(page, "viewer-validation.png");
        }
        finally
        {
            await Delete(id);
        }
    }

    [SkippableFact]
    public async Task Repair_preview_shows_what_changes_a_stale_apply_says_so_and_history_diffs_two_versions()
    {
        Api.Require();
        // A square far from El Milagro with a 1 m wide, 300 m long spike on its east side: the repair removes the spike.
        const string ring = "[[-79.100,-8.070],[-79.095,-8.070],[-79.095,-8.0675],[-79.0923,-8.067495],[-79.095,-8.06749],[-79.095,-8.065],[-79.100,-8.065],[-79.100,-8.070]]";
        var name = $"Espiga {Guid.NewGuid():N}"[..20];
        var id = await Create(name, ring, ubigeo: null);
        try
        {
            var page = await OpenViewer();
            await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
            await page.ClickAsync("#btn-repair");
            await WaitFor(page, "() => document.getElementById('planner-result').dataset.drawn === 'true'");
            Assert.True(await page.EvaluateAsync<bool>(
                "() => window.barrioViewer.layers.diff.getSource().getFeatures().some(f => f.get('change') === 'removed')"));
            var preview = await page.InnerTextAsync("#planner-result");
            Assert.Contains("Se quitan", preview);
            Assert.Contains("m²", preview);
            Assert.True(await page.IsVisibleAsync("#repair-apply"));

            // Someone else saves a new version meanwhile: applying on version 1 must be refused and said plainly.
            var put = new HttpRequestMessage(HttpMethod.Put, $"/api/neighborhoods/{id}")
            {
                Content = new StringContent(
                    $$$"""{"type":"Feature","properties":{"name":"{{{name}}}","comment":"otro cambio","author":"otra persona"},"geometry":{"type":"Polygon","coordinates":[{{{ring}}}]}}""",
                    Encoding.UTF8, "application/geo+json"),
            };
            put.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            // Signed in as another account: its name is the author, whatever the body says.
            Assert.Equal(HttpStatusCode.OK, (await (await Api.ClientAs(BarrioSeguro.Geo.Data.Accounts.Role.Planner)).SendAsync(put)).StatusCode);
            await page.ClickAsync("#repair-apply");
            await WaitFor(page, "() => document.getElementById('planner-conflict') !== null");
            var conflict = await page.InnerTextAsync("#planner-conflict");
            Assert.Contains("Otra persona cambió este barrio", conflict);
            Assert.Contains("recargue", conflict);
            await Screenshot(page, "viewer-conflict.png");

            // Reload, preview again, apply: a new version, and the neighbourhood layer is reloaded with it.
            await page.ClickAsync("#planner-reload");
            await WaitFor(page, "() => document.getElementById('planner-panel').dataset.version === '2' && document.body.dataset.plannerBusy === 'false'");
            await page.ClickAsync("#btn-repair");
            await WaitFor(page, "() => document.getElementById('planner-result').dataset.drawn === 'true' && document.getElementById('repair-apply') !== null");
            await page.ClickAsync("#repair-apply");
            await WaitFor(page, """
                id => document.getElementById('planner-panel').dataset.version === '3'
                      && window.barrioViewer.layers.neighborhoods.getSource().getFeatureById(id)?.get('version') === 3
                """, id);
            Assert.Contains("versión 3", await page.InnerTextAsync("#planner-result"));

            // History: three versions, with author and Lima time; ticking two shows the diff on the map.
            await page.ClickAsync("#btn-history");
            await WaitFor(page, "() => document.querySelectorAll('#history-table tbody tr').length === 3");
            var history = await page.InnerTextAsync("#history-table");
            Assert.Contains("planner", history);
            Assert.DoesNotContain("otra persona", history);
            Assert.Contains("m²", history);
            await page.CheckAsync("#history-table tr[data-version='1'] input");
            await page.CheckAsync("#history-table tr[data-version='3'] input");
            await WaitFor(page, "() => document.getElementById('diff-summary')?.dataset.to === '3' && document.getElementById('planner-result').dataset.drawn === 'true'");
            Assert.True(await page.EvaluateAsync<bool>(
                "() => window.barrioViewer.layers.diff.getSource().getFeatures().some(f => f.get('change') === 'removed')"));
            Assert.Contains("quitado", await page.InnerTextAsync("#diff-summary"));
            await Screenshot(page, "viewer-history.png");
        }
        finally
        {
            await Delete(id);
        }
    }

    [SkippableFact]
    public async Task A_slow_validation_can_be_cancelled()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer();
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        // Hold the validation request in the browser: it never answers until the page cancels it.
        await page.RouteAsync("**/validation", _ => Task.CompletedTask);
        await page.ClickAsync("#btn-validate");
        await WaitFor(page, "() => !document.getElementById('planner-busy').hidden");
        Assert.Contains("Validando", await page.InnerTextAsync("#planner-busy"));
        await page.ClickAsync("#planner-cancel");
        await WaitFor(page, "() => document.getElementById('planner-busy').hidden && document.getElementById('planner-panel').dataset.state === 'cancelled'");
        Assert.Contains("cancelada", await page.InnerTextAsync("#planner-result"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.barrioViewer.layers.validation.getSource().getFeatures().length"));
    }
}
