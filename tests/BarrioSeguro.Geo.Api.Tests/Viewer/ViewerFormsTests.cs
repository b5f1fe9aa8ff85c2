using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The data-entry forms (issue 12) in a real browser through their real controls, signed in as the admin: a contingent
/// made in the form and read back by the API (a bad value said in Spanish before anything is sent, the server's reason
/// next to its field, a conflict reloaded); a station placed by a click on the map and found on the map and in the
/// API; a CSV of incidents previewed, its bad line listed, then imported and counted in PostGIS. What is made is deleted.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerFormsTests(ApiFixture api) : BrowserTest(api)
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    private ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    private async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [SkippableFact]
    public async Task A_contingent_is_made_in_the_form_checked_in_Spanish_and_kept_through_a_conflict()
    {
        Api.Require();
        var page = await OpenViewer();
        await Button(page, "Nuevo contingente").ClickAsync();
        // Other tests may have left neighbourhoods of their own for a moment: pick El Milagro by its name.
        await page.GetByLabel("Barrio", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "El Milagro" });
        // Other tests of the shared service keep contingents of their own: nothing refused may add one.
        var contingentsBefore = await CountAsync("SELECT count(*) FROM contingents");
        await page.GetByLabel("Nombre", new() { Exact = true }).FillAsync("Contingente del formulario");
        await page.GetByLabel("Efectivos", new() { Exact = true }).FillAsync("0");
        await Button(page, "Guardar").ClickAsync();
        // Refused in the page, in Spanish, next to its field; nothing reached the server.
        Assert.Equal("Efectivos: debe estar entre 1 y 10000.", (await page.InnerTextAsync("#forms-officers-error")).Trim());
        Assert.Equal("true", await page.GetAttributeAsync("#forms-officers", "aria-invalid"));
        Assert.Equal(contingentsBefore, await CountAsync("SELECT count(*) FROM contingents"));

        // Three officers, three shifts, pairs: no unit a shift. The page lets it through; the server's reason shows in Spanish.
        await page.GetByLabel("Efectivos", new() { Exact = true }).FillAsync("3");
        await Button(page, "Guardar").ClickAsync();
        await WaitFor(page, "() => !document.getElementById('forms-officers-error').hidden");
        Assert.Contains("no sale ninguna unidad por turno", await page.InnerTextAsync("#forms-officers-error"));
        Assert.Equal(contingentsBefore, await CountAsync("SELECT count(*) FROM contingents"));

        await page.GetByLabel("Efectivos", new() { Exact = true }).FillAsync("24");
        await page.GetByLabel("Disponibilidad (%)", new() { Exact = true }).FillAsync("85");
        await page.Locator("#forms-mode").SelectOptionAsync("bike");
        await page.GetByLabel("Unidades de serenazgo por turno", new() { Exact = true }).FillAsync("1");
        await Button(page, "Guardar").ClickAsync();
        await WaitFor(page, "() => document.getElementById('forms-saved') !== null");
        var id = int.Parse((await page.GetAttributeAsync("#forms-saved", "data-id"))!, Ci);
        var client = Api.Client();
        try
        {
            var stored = await ApiFixture.JsonOf(await client.GetAsync($"/api/contingents/{id}"));
            Assert.Equal(("Contingente del formulario", 24, 0.85, "bike", 1, await Api.MilagroIdAsync()),
                (stored.GetProperty("name").GetString(), stored.GetProperty("officers").GetInt32(), stored.GetProperty("availability").GetDouble(),
                    stored.GetProperty("mode").GetString(), stored.GetProperty("jointUnits").GetInt32(), stored.GetProperty("neighborhoodId").GetInt32()));
            await WaitFor(page, "(id) => document.querySelector(`#forms-contingents [data-contingent-id='${id}']`) !== null", id);

            // Someone else changes it meanwhile: the page's save is refused with who did it, and "Recargar" brings theirs.
            using (var other = new HttpRequestMessage(HttpMethod.Patch, $"/api/contingents/{id}") { Content = JsonContent.Create(new { officers = 30 }) })
            {
                other.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
                Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(other)).StatusCode);
            }
            await page.GetByLabel("Efectivos", new() { Exact = true }).FillAsync("26");
            await Button(page, "Guardar cambios").ClickAsync();
            await WaitFor(page, "() => document.getElementById('forms-conflict') !== null");
            Assert.Contains("versión 2, de admin", await page.InnerTextAsync("#forms-conflict"));
            await Button(page, "Recargar").ClickAsync();
            await WaitFor(page, "() => document.getElementById('forms-reloaded') !== null");
            Assert.Equal("30", await page.InputValueAsync("#forms-officers"));
            await page.GetByLabel("Efectivos", new() { Exact = true }).FillAsync("26");
            await Button(page, "Guardar cambios").ClickAsync();
            await WaitFor(page, "() => document.getElementById('forms-saved') !== null");
            Assert.Equal(26, (await ApiFixture.JsonOf(await client.GetAsync($"/api/contingents/{id}"))).GetProperty("officers").GetInt32());

            await Button(page, "Eliminar").ClickAsync();
            await WaitFor(page, "() => document.getElementById('forms-deleted') !== null");
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/contingents/{id}")).StatusCode);
        }
        finally
        {
            await using var connection = new NpgsqlConnection(Api.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("DELETE FROM contingents WHERE id = @id", connection);
            cmd.Parameters.AddWithValue("id", id);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    [SkippableFact]
    public async Task A_station_is_added_by_a_click_on_the_map_and_shows_on_the_map_and_in_the_API()
    {
        Api.Require();
        var page = await OpenViewer();
        await Button(page, "Agregar comisaría").ClickAsync();
        await WaitFor(page, "() => document.getElementById('forms-panel').dataset.state === 'picking'");
        // A pixel inside El Milagro, and its lon/lat as the map says.
        var spot = await page.EvaluateAsync<JsonElement>("""
            () => {
              const { map, layers } = window.barrioViewer;
              const milagro = layers.neighborhoods.getSource().getFeatures().find(f => f.get('name') === 'El Milagro');
              const c = milagro.getGeometry().getInteriorPoints().getCoordinates()[0];
              const px = map.getPixelFromCoordinate([c[0], c[1]]);
              const rect = map.getTargetElement().getBoundingClientRect();
              const ll = ol.proj.toLonLat(map.getCoordinateFromPixel(px));
              return [rect.left + px[0], rect.top + px[1], ll[0], ll[1]];
            }
            """);
        var s = spot.EnumerateArray().Select(v => v.GetDouble()).ToArray();
        await page.Mouse.ClickAsync((float)s[0], (float)s[1]);
        await WaitFor(page, "() => document.getElementById('forms-form')?.dataset.kind === 'stations'");
        var name = $"Base {Guid.NewGuid():N}"[..14];
        await page.GetByLabel("Nombre", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Institución (PNP, municipalidad…)", new() { Exact = true }).FillAsync("Serenazgo de Huanchaco");
        await Button(page, "Guardar").ClickAsync();
        await WaitFor(page, "() => document.getElementById('forms-saved') !== null");
        var id = int.Parse((await page.GetAttributeAsync("#forms-saved", "data-id"))!, Ci);
        var client = Api.Client();
        try
        {
            var stored = await ApiFixture.JsonOf(await client.GetAsync($"/api/stations/{id}"));
            Assert.Equal(name, stored.GetProperty("name").GetString());
            Assert.Equal("130104", stored.GetProperty("districtUbigeo").GetString());
            Assert.Equal(s[2], stored.GetProperty("lon").GetDouble(), 5); // where it was clicked (about a metre)
            Assert.Equal(s[3], stored.GetProperty("lat").GetDouble(), 5);
            // On the map: the stations layer loaded it again.
            await WaitFor(page, "(n) => window.barrioViewer.layers.stations.getSource().getFeatures().some(f => f.get('name') === n)", name);
            var item = await ApiFixture.JsonOf(await client.GetAsync($"/api/collections/stations/items/{id}"));
            Assert.Equal(name, item.GetProperty("properties").GetProperty("name").GetString());
        }
        finally
        {
            var etag = (await client.GetAsync($"/api/stations/{id}")).Headers.ETag?.Tag;
            using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/stations/{id}");
            delete.Headers.TryAddWithoutValidation("If-Match", etag);
            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(delete)).StatusCode);
        }
    }

    [SkippableFact]
    public async Task A_CSV_of_incidents_is_previewed_its_bad_line_listed_in_Spanish_then_imported_and_counted()
    {
        Api.Require();
        var category = $"csv-visor-{Guid.NewGuid():N}"[..18];
        var before = await CountAsync("SELECT count(*) FROM incidents");
        var page = await OpenViewer();
        try
        {
            await Button(page, "Importar incidentes (CSV)").ClickAsync();
            var rows = string.Create(Ci, $"lon;lat;fecha;hora;categoria\n-79.0646;-8.0846;2024-03-04;21:30;{category}\n-79.0650;-8.0850;2024-03-05;07:10;{category}\n");
            await page.SetInputFilesAsync("#forms-csv-file", new FilePayload { Name = "malo.csv", MimeType = "text/csv",
                Buffer = Encoding.UTF8.GetBytes(rows + $"-79.0655;abc;2024-03-06;08:00;{category}\n") });
            await WaitFor(page, "() => document.getElementById('forms-csv-table') !== null");
            Assert.Equal("3 filas en malo.csv", (await page.InnerTextAsync("#forms-csv-rows")).Trim());
            await Button(page, "Validar").ClickAsync();
            await WaitFor(page, "() => document.getElementById('forms-csv-errors') !== null");
            var errors = await page.InnerTextAsync("#forms-csv-errors");
            Assert.Contains("Nada importado: 1 error; el primero en la línea 4, columna «lat»", errors);
            Assert.Contains("«abc» no es un número.", await page.InnerTextAsync("#forms-csv-errors tr[data-line='4']"));
            Assert.Equal(before, await CountAsync("SELECT count(*) FROM incidents"));

            await page.SetInputFilesAsync("#forms-csv-file", new FilePayload { Name = "bueno.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(rows) });
            await WaitFor(page, "() => document.getElementById('forms-csv-rows')?.textContent.includes('bueno.csv')");
            await Button(page, "Importar").ClickAsync();
            await WaitFor(page, "() => document.getElementById('forms-csv-imported') !== null");
            Assert.Equal("2 incidentes importados.", (await page.InnerTextAsync("#forms-csv-imported")).Trim());
            Assert.Equal(before + 2, await CountAsync("SELECT count(*) FROM incidents"));
            Assert.Equal(2, await CountAsync("SELECT count(*) FROM incidents WHERE category = @c", ("c", category)));
        }
        finally
        {
            await using var connection = new NpgsqlConnection(Api.ConnectionString);
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand("DELETE FROM incidents WHERE category = @c", connection);
            cmd.Parameters.AddWithValue("c", category);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
