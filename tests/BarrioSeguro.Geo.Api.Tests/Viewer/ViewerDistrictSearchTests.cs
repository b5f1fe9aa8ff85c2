using System.Text.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Issue 13.2 in a real browser: "Buscar distrito" suggests districts of all Peru as one types, zooms the map to the
/// chosen one, and a neighbourhood drawn there is created in it, far from Trujillo.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerDistrictSearchTests(ApiFixture api) : BrowserTest(api)
{
    /// <summary>The view's extent in lon/lat: [minLon, minLat, maxLon, maxLat].</summary>
    private static Task<double[]> ViewExtent(IPage page) => page.EvaluateAsync<double[]>("""
        () => { const { map } = window.barrioViewer; const v = map.getView();
          return ol.proj.transformExtent(v.calculateExtent(map.getSize()), v.getProjection(), 'EPSG:4326'); }
        """);

    private async Task<double[]> StoredBox(string ubigeo)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary) FROM districts WHERE ubigeo = @u", connection);
        cmd.Parameters.AddWithValue("u", ubigeo);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return [r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)];
    }

    private static void AssertShows(double[] view, double[] box)
    {
        // The whole district is in view, and it fills a good part of it (the map zoomed to it, not to Peru).
        Assert.True(view[0] <= box[0] && view[1] <= box[1] && view[2] >= box[2] && view[3] >= box[3], $"view {string.Join(",", view)} does not hold {string.Join(",", box)}");
        Assert.True((box[2] - box[0]) / (view[2] - view[0]) > 0.3 || (box[3] - box[1]) / (view[3] - view[1]) > 0.3,
            $"view {string.Join(",", view)} is far wider than {string.Join(",", box)}");
    }

    [SkippableFact]
    public async Task Typing_florencia_suggests_Florencia_de_Mora_and_choosing_it_zooms_the_map_there()
    {
        Api.Require();
        var page = await OpenViewer(anonymous: true);
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = "Buscar distrito", Exact = true });
        await box.PressSequentiallyAsync("florencia", new() { Delay = 30 });
        var option = page.GetByRole(AriaRole.Option).Filter(new() { HasText = "Florencia de Mora" });
        await option.First.WaitForAsync(new() { Timeout = Timeout });
        Assert.Contains("Trujillo", await option.First.InnerTextAsync());
        Assert.Equal("true", await box.GetAttributeAsync("aria-expanded"));

        await box.PressAsync("Enter"); // the first suggestion is active
        await WaitFor(page, "() => document.body.dataset.workingDistrict === '130103'");
        AssertShows(await ViewExtent(page), await StoredBox("130103"));
        Assert.Equal("false", await box.GetAttributeAsync("aria-expanded"));
        Assert.Contains("Florencia de Mora", await page.InnerTextAsync("#district-search-status"));

        // Accents and ñ aside, by keyboard: "brena" offers Breña (Lima); arrows move, Enter chooses.
        await box.FillAsync("");
        await box.PressSequentiallyAsync("brena", new() { Delay = 30 });
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = "Breña" }).First.WaitForAsync(new() { Timeout = Timeout });
        var ubigeo = await page.EvaluateAsync<string>("() => document.querySelector('#district-search-list [role=option]').dataset.ubigeo");
        await box.PressAsync("Enter");
        await WaitFor(page, "u => document.body.dataset.workingDistrict === u", ubigeo);
        AssertShows(await ViewExtent(page), await StoredBox(ubigeo));
    }

    [SkippableFact]
    public async Task The_search_box_speaks_English_too()
    {
        Api.Require();
        var page = await OpenViewer("?lang=en", anonymous: true);
        var box = page.GetByRole(AriaRole.Combobox, new() { Name = "Find district", Exact = true });
        Assert.Equal("Find district…", await box.GetAttributeAsync("placeholder"));
        await box.PressSequentiallyAsync("zzzzqx", new() { Delay = 20 });
        await WaitFor(page, "() => document.body.dataset.districtSearch === 'done'");
        Assert.Contains("No district matches", await page.InnerTextAsync("#district-search-status"));
    }

    [SkippableFact]
    public async Task A_planner_of_Miraflores_finds_it_draws_a_neighbourhood_there_and_it_is_created_in_Lima()
    {
        Api.Require();
        var user = $"miraflores-{Guid.NewGuid():N}"[..18];
        await Api.AddUserAsync(user, Role.Planner, ["150122"]);
        var page = await OpenViewer(anonymous: true);
        await SignIn(page, user, ApiFixture.Password);

        var box = page.GetByRole(AriaRole.Combobox, new() { Name = "Buscar distrito", Exact = true });
        await box.PressSequentiallyAsync("miraflores", new() { Delay = 30 });
        // Several districts are called Miraflores: the one of Lima is told apart by its province and ubigeo.
        var lima = page.Locator("#district-search-list [data-ubigeo='150122']");
        await lima.WaitForAsync(new() { Timeout = Timeout });
        Assert.Contains("Lima", await lima.InnerTextAsync());
        await lima.ClickAsync();
        await WaitFor(page, "() => document.body.dataset.workingDistrict === '150122'");
        AssertShows(await ViewExtent(page), await StoredBox("150122"));

        // Draw a small square at the centre of the view: inside Miraflores.
        await page.GetByRole(AriaRole.Button, new() { Name = "Dibujar barrio", Exact = true }).ClickAsync();
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawing'");
        var rect = await page.EvaluateAsync<JsonElement>("() => { const r = window.barrioViewer.map.getTargetElement().getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }");
        var (cx, cy) = ((float)(rect[0].GetDouble() + rect[2].GetDouble() / 2), (float)(rect[1].GetDouble() + rect[3].GetDouble() / 2));
        var corners = new[] { (-20f, -20f), (20f, -20f), (20f, 20f), (-20f, 20f) };
        foreach (var (dx, dy) in corners) await page.Mouse.ClickAsync(cx + dx, cy + dy);
        await page.Mouse.ClickAsync(cx + corners[0].Item1, cy + corners[0].Item2);
        await WaitFor(page, "() => document.getElementById('draw-panel').dataset.state === 'drawn'");
        var name = $"Miraflores {Guid.NewGuid():N}"[..20];
        await page.GetByLabel("Nombre del barrio").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Guardar barrio", Exact = true }).ClickAsync();
        // Saved, then the planner panel loads the new neighbourhood: wait until that is done or has failed, and say
        // what the page shows when it is not ready (full runs twice waited here 300 s without a word).
        await WaitFor(page, """
            () => document.getElementById('draw-saved') !== null || document.getElementById('draw-error') !== null
            """);
        var shown = await page.EvaluateAsync<string>("""
            () => { const p = document.getElementById('planner-panel'), e = document.getElementById('draw-error');
              return `${document.getElementById('draw-saved') ? 'saved' : 'not saved'}; planner ${p.dataset.state}: ${p.innerText}; ${e ? e.innerText : ''}`; }
            """);
        Assert.True(shown.StartsWith("saved; planner ready:", StringComparison.Ordinal), shown);

        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using (var cmd = new NpgsqlCommand("SELECT district_ubigeo FROM neighborhoods WHERE name = @n", connection))
        {
            cmd.Parameters.AddWithValue("n", name);
            Assert.Equal("150122", (string?)await cmd.ExecuteScalarAsync());
        }
        await using (var delete = new NpgsqlCommand("DELETE FROM neighborhoods WHERE name = @n", connection))
        {
            delete.Parameters.AddWithValue("n", name);
            await delete.ExecuteNonQueryAsync();
        }
    }
}
