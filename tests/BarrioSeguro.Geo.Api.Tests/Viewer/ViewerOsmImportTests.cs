using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using BarrioSeguro.Geo.Data.Import;
using BarrioSeguro.Geo.IO;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Issue 13.1: the viewer's "Importar OpenStreetMap" panel, through its real controls, on a service of its own (the
/// shared one keeps El Milagro's sample streets only): a refused district says why in Spanish, then a district loads
/// with its progress shown and its streets drawn.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerOsmImportTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task A_planner_uploads_a_PBF_for_a_district_sees_a_refusal_in_Spanish_then_the_streets_loaded()
    {
        Api.Require();
        var cs = await Api.Postgis.CreateDatabaseAsync("osmviewer");
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:ConnectionString", cs);
            web.UseSetting("Barrio:LoadSampleData", "false");
            web.UseSetting("Barrio:Auth:CreateFirstAdmin", "false");
            web.UseSetting("Barrio:Auth:SecretsDirectory", Path.Combine(Path.GetTempPath(), "barrio-osm-viewer-secrets"));
            web.UseSetting("urls", "http://127.0.0.1:0");
        });
        factory.UseKestrel();
        factory.StartServer();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
            var set = VectorFile.Read(Path.Combine(ApiFixture.GeodataPath, "admin", "huanchaco_y_vecinos_inei2023.geojson"));
            await new CollectionImporter(db).ImportAsync("districts", FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84), "vecinos", "vecinos");
            await scope.ServiceProvider.GetRequiredService<AccountStore>().AddAsync("planificadora", ApiFixture.Password, Role.Planner, []);
        }
        var address = factory.CreateClient().BaseAddress!;

        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        await page.GotoAsync(address.ToString());
        await WaitFor(page, "() => document.body.dataset.ready === 'true'");
        Assert.True(await page.IsHiddenAsync("#osmimport-panel")); // anonymous: no upload
        await SignIn(page, "planificadora", ApiFixture.Password);
        await WaitFor(page, "() => !document.getElementById('osmimport-panel').hidden");
        Assert.Equal("Importar OpenStreetMap", await page.TextContentAsync("#osmimport-title"));
        Assert.Equal("Importar extracto", await page.TextContentAsync("#osmimport-submit")); // not "Importar": the incidents form has that one
        // The districts of the map are offered by ubigeo.
        await WaitFor(page, "() => document.querySelectorAll('#osmimport-districts option').length === 5");

        var pbf = Path.Combine(ApiFixture.GeodataPath, "osm", "huanchaco_el_milagro_extract.osm.pbf");
        await page.SetInputFilesAsync("#osmimport-file", pbf);

        // El Porvenir: the extract covers about 1 % of it. Refused, said in Spanish with the share.
        await page.FillAsync("#osmimport-district", "130102");
        await page.ClickAsync("#osmimport-submit");
        await WaitFor(page, "() => document.getElementById('osmimport-panel').dataset.state === 'error'");
        var error = await page.TextContentAsync("#osmimport-error");
        Assert.StartsWith("No se importó nada: El extracto cubre solo el", error);
        Assert.Matches(@"\d %", error!);

        // La Esperanza: nearly all of it inside the extract. The progress line shows while it runs, then the summary.
        var stages = new List<string>();
        await page.FillAsync("#osmimport-district", "130105");
        await page.ClickAsync("#osmimport-submit");
        await WaitFor(page, "() => !document.getElementById('osmimport-busy').hidden || document.getElementById('osmimport-panel').dataset.state === 'done'");
        stages.Add(await page.TextContentAsync("#osmimport-busy-text") ?? "");
        await WaitFor(page, "() => document.getElementById('osmimport-panel').dataset.state === 'done'");
        Assert.Matches(@"^(Subiendo|Revisando|Leyendo|Recortando|Terminado)", stages[0]);
        var summary = await page.TextContentAsync("#osmimport-summary");
        Assert.Matches(@"^[\d,]+ calles \([\d.,]+ km\) y \d+ comisarías cargadas para 130105$", summary!);
        Assert.Contains("El extracto cubre el", await page.TextContentAsync("#osmimport-result"));
        Assert.True(await page.IsHiddenAsync("#osmimport-busy"));

        // The new streets are drawn: the streets layer has features once the map looks at La Esperanza.
        await page.EvaluateAsync("() => { const v = window.barrioViewer.map.getView(); v.setCenter(ol.proj.fromLonLat([-79.059, -8.064])); v.setZoom(16); }");
        await WaitFor(page, "() => window.barrioViewer.layers.streets.getSource().getFeatures().length > 0");
    }
}
