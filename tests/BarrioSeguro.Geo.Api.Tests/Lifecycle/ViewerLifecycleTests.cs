using System.Net;
using System.Net.Http.Json;
using BarrioSeguro.Geo.Api.Tests.Viewer;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Lifecycle;

/// <summary>
/// The lifecycle panel in a real browser through its real buttons, signed in as the admin: a plan made before a newer
/// extract wears "Datos antiguos" and "Recalcular" makes a new plan on the new version; the import's changes are
/// summed up; a neighbourhood is deleted through the confirm dialog and restored from the deleted list; English too.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerLifecycleTests(ApiFixture api) : BrowserTest(api)
{
    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    [SkippableFact]
    public async Task A_stale_plan_is_recomputed_the_diff_is_shown_and_a_neighbourhood_is_deleted_and_restored_through_the_buttons()
    {
        Api.Require();
        var grid = new LifecycleGrid();
        await grid.AddDistrictAsync(Api);
        await grid.ImportStreetsAsync(Api, grid.Streets(), $"visor-{grid.Ubigeo}-v1.geojson");
        var client = Api.Client();
        var name = $"Visor ciclo {grid.Ubigeo}";
        var created = await client.PostAsJsonAsync("/api/neighborhoods", grid.NeighborhoodBody(name));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = int.Parse(created.Headers.Location!.ToString().Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var plan = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 2, seed = 3 });
        Assert.Equal(HttpStatusCode.Created, plan.StatusCode);
        var planBody = await ApiFixture.JsonOf(plan);
        var planId = planBody.GetProperty("id").GetInt32();
        var planName = planBody.GetProperty("name").GetString();
        var newer = await grid.ImportStreetsAsync(Api, grid.NewerStreets(), $"visor-{grid.Ubigeo}-v2.geojson");

        var page = await OpenViewer();
        await WaitFor(page, "(id) => document.querySelector(`#lifecycle-neighborhoods [data-neighborhood-id='${id}']`) !== null", id);
        await Button(page, $"Planes de «{name}»").ClickAsync();
        var row = page.Locator($"#lifecycle-plans [data-plan-id='{planId}']");
        await row.WaitForAsync();
        Assert.Equal("true", await row.GetAttributeAsync("data-stale"));
        Assert.Equal("Datos antiguos", (await row.Locator(".lifecycle-badge").InnerTextAsync()).Trim());

        // Recalcular: a new plan on the current data, listed without the badge.
        var recompute = row.GetByRole(AriaRole.Button, new() { Name = $"Recalcular el plan «{planName}» con los datos vigentes", Exact = true });
        Assert.Equal("Recalcular", (await recompute.InnerTextAsync()).Trim());
        await recompute.ClickAsync();
        await WaitFor(page, "() => document.getElementById('lifecycle-panel').dataset.state === 'done'"
            + " && document.querySelectorAll('#lifecycle-plans li').length === 2");
        var plans = await ApiFixture.JsonOf(await client.GetAsync($"/api/neighborhoods/{id}/plans"));
        var fresh = plans.EnumerateArray().Single(p => p.GetProperty("id").GetInt32() != planId);
        Assert.False(fresh.GetProperty("stale").GetBoolean());
        Assert.Equal(2, fresh.GetProperty("datasetVersion").GetInt32());
        Assert.Equal("false", await page.GetAttributeAsync($"#lifecycle-plans [data-plan-id='{fresh.GetProperty("id").GetInt32()}']", "data-stale"));

        // The import's changes, summed up in Spanish.
        await Button(page, $"Ver los cambios de «visor-{grid.Ubigeo}-v2.geojson»").ClickAsync();
        await page.Locator("#lifecycle-diff-summary").WaitForAsync();
        Assert.Equal("Versión 2 frente a la 1: 1 añadidas, 1 quitadas, 1 renombradas, 0 con otra geometría, 8 iguales.",
            (await page.InnerTextAsync("#lifecycle-diff-summary")).Trim());
        Assert.Contains("Avenida 2 → Jirón 2", await page.InnerTextAsync("#lifecycle-diff"));

        // Eliminar asks first; "Cancelar" keeps it.
        await Button(page, $"Eliminar el barrio «{name}»").ClickAsync();
        Assert.Contains(name, await page.InnerTextAsync("#lifecycle-confirm-text"));
        await page.ClickAsync("#lifecycle-confirm-no");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/neighborhoods/{id}")).StatusCode);
        await Button(page, $"Eliminar el barrio «{name}»").ClickAsync();
        await page.ClickAsync("#lifecycle-confirm-yes");
        await WaitFor(page, "(id) => document.querySelector(`#lifecycle-deleted-neighborhoods [data-neighborhood-id='${id}']`) !== null"
            + " && document.querySelector(`#lifecycle-neighborhoods [data-neighborhood-id='${id}']`) === null", id);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/neighborhoods/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/plans/{planId}")).StatusCode);

        await Button(page, $"Restaurar el barrio «{name}»").ClickAsync();
        await page.ClickAsync("#lifecycle-confirm-yes");
        await WaitFor(page, "(id) => document.querySelector(`#lifecycle-neighborhoods [data-neighborhood-id='${id}']`) !== null", id);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/neighborhoods/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/plans/{planId}")).StatusCode);

        // In English: the badge and the action in the viewer's language.
        var english = await OpenViewer("?lang=en");
        await english.GetByRole(AriaRole.Button, new() { Name = $"Plans of “{name}”", Exact = true }).ClickAsync();
        var englishRow = english.Locator($"#lifecycle-plans [data-plan-id='{planId}']");
        await englishRow.WaitForAsync();
        Assert.Equal("Older data", (await englishRow.Locator(".lifecycle-badge").InnerTextAsync()).Trim());
        Assert.Equal("Recompute", (await englishRow.GetByRole(AriaRole.Button, new() { Name = $"Recompute plan “{planName}” on the current data", Exact = true }).InnerTextAsync()).Trim());
        Assert.True(newer.DatasetId > 0);
    }
}
