using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// Issue 12, item 5: the Spanish page says nothing in English and the English page nothing in Spanish, including what
/// the server says (staffing, plan, route and coverage notes, validation problems, repair changes, refusals). Walks the
/// panels after a plan, routes and coverage are computed and after a validation with problems and a repair preview,
/// and reads what a user sees: the page's text plus its title, aria-label and placeholder attributes. Names of places
/// (streets, neighbourhoods, stations, districts) are data, not the interface: they are taken out before checking.
/// </summary>
[Collection(ApiCollection.Name)]
public partial class ViewerLanguageTests(ApiFixture api) : BrowserTest(api)
{
    /// <summary>English words and phrases that must not show in the Spanish page (whole words, any case).</summary>
    private static readonly string[] EnglishWords =
    [
        "the", "and", "of the", "with", "blocks", "streets", "Refused", "Invalid", "officers", "available", "Clipped",
        "Active", "Draft", "layer", "removed", "outside", "Overlaps", "near", "minutes", "shift", "route", "routes",
        "unsaved", "Loading", "Cancel", "workload", "on duty", "units", "Sector table", "coverage", "neighbourhood",
        "neighborhood", "Version", "Repair", "hole", "sliver", "Dropped", "Filled",
    ];

    /// <summary>Spanish words and phrases that must not show in the English page (whole words; as written).</summary>
    private static readonly string[] SpanishWords =
    [
        "manzanas", "calles", "sin guardar", "de la", "Estado", "efectivos", "turno", "turnos", "Cancelar", "Calcular",
        "disponibles", "cobertura", "carga", "minutos", "Rechazado", "activo", "borrador", "recorte", "Cargando",
        "Distrito", "Comisarías", "vista previa", "Se quitan", "del barrio", "sectores", "rutas", "con", "los", "las",
    ];

    private async Task<int> Create(string name, string ring, string? ubigeo)
    {
        var district = ubigeo is null ? "" : $",\"districtUbigeo\":\"{ubigeo}\"";
        var body = $$$"""{"type":"Feature","properties":{"name":"{{{name}}}"{{{district}}},"status":"active"},"geometry":{"type":"Polygon","coordinates":[{{{ring}}}]}}""";
        var response = await Api.Client().PostAsync("/api/neighborhoods", new StringContent(body, Encoding.UTF8, "application/geo+json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("properties").GetProperty("id").GetInt32();
    }

    private async Task Delete(params int[] ids)
    {
        await using var connection = new NpgsqlConnection(Api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("DELETE FROM neighborhoods WHERE id = ANY(@ids)", connection);
        cmd.Parameters.AddWithValue("ids", ids);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>What the user sees now: the visible text (every details opened) and the accessible texts of every element.</summary>
    private static Task<string> Seen(IPage page) => page.EvaluateAsync<string>("""
        () => {
          for (const d of document.querySelectorAll('details')) d.open = true;
          const parts = [document.title, document.body.innerText];
          for (const e of document.querySelectorAll('[title],[aria-label],[placeholder],[alt]'))
            for (const a of ['title', 'aria-label', 'placeholder', 'alt']) {
              const v = e.getAttribute(a);
              if (v) parts.push(v);
            }
          return parts.join('\n');
        }
        """);

    /// <summary>The names of places the page knows and the planners' descriptions (data: they stay as written).</summary>
    private static async Task<string[]> PlaceNames(IPage page) => await page.EvaluateAsync<string[]>("""
        () => {
          const { layers } = window.barrioViewer;
          const names = new Set();
          for (const key of ['districts', 'neighborhoods', 'streets', 'stations'])
            for (const f of layers[key].getSource().getFeatures())
              for (const p of ['name', 'description']) if (f.get(p)) names.add(String(f.get(p))); // a planner's own words
          for (const el of document.querySelectorAll('[data-street], .street-name')) names.add(el.textContent);
          return [...names].sort((a, b) => b.length - a.length);
        }
        """);

    /// <summary>The words of the list found in the text, each with some text around it.</summary>
    private static List<string> Found(string text, IEnumerable<string> names, string[] words, RegexOptions options)
    {
        foreach (var name in names) text = text.Replace(name, " ", StringComparison.Ordinal);
        var found = new List<string>();
        foreach (var w in words)
            foreach (Match m in new Regex($@"(?<![\p{{L}}\p{{N}}_]){Regex.Escape(w).Replace("\\ ", "\\s+")}(?![\p{{L}}\p{{N}}_])", options).Matches(text))
            {
                var from = Math.Max(0, m.Index - 50);
                found.Add($"'{w}' in «{text.Substring(from, Math.Min(text.Length - from, m.Length + 100)).ReplaceLineEndings(" ")}»");
            }
        return found;
    }

    [SkippableFact]
    public async Task The_Spanish_page_shows_no_English_and_the_English_page_no_Spanish_after_plans_routes_coverage_and_a_validation()
    {
        Api.Require();
        var milagro = await Api.MilagroIdAsync();
        // A square straddling El Milagro's north-eastern edge (overlaps) and a square with a 1 m spike (repaired).
        var overlapping = await Create($"Solape {Guid.NewGuid():N}"[..20],
            "[[-79.0660,-8.0160],[-79.0600,-8.0160],[-79.0600,-8.0100],[-79.0660,-8.0100],[-79.0660,-8.0160]]", "130104");
        var spiked = await Create($"Espiga {Guid.NewGuid():N}"[..20],
            "[[-79.100,-8.070],[-79.095,-8.070],[-79.095,-8.0675],[-79.0923,-8.067495],[-79.095,-8.06749],[-79.095,-8.065],[-79.100,-8.065],[-79.100,-8.070]]", null);
        try
        {
            var es = await Walk("?lang=es", milagro, overlapping, spiked);
            var names = await PlaceNames(es.Page);
            var english = es.Texts.SelectMany(t => Found(t, names, EnglishWords, RegexOptions.IgnoreCase)).Distinct().ToList();
            Assert.True(english.Count == 0, "English in the Spanish page:\n" + string.Join("\n", english));
            // What the server said came in Spanish: staffing, the refusal and the repair changes among it.
            var all = string.Join("\n", es.Texts);
            Assert.Contains("de servicio", all);
            Assert.Contains("Se superpone con El Milagro", all);

            var en = await Walk("?lang=en", milagro, overlapping, spiked);
            var spanish = en.Texts.SelectMany(t => Found(t, names, SpanishWords, RegexOptions.None)).Distinct().ToList();
            Assert.True(spanish.Count == 0, "Spanish in the English page:\n" + string.Join("\n", spanish));
            var allEn = string.Join("\n", en.Texts);
            Assert.Contains("on duty", allEn);
            Assert.Contains("Overlaps El Milagro", allEn);
        }
        finally
        {
            await Delete(overlapping, spiked);
        }
    }

    /// <summary>Opens the page in a language and walks its panels; returns the page and what it showed at each step.</summary>
    private async Task<(IPage Page, List<string> Texts)> Walk(string query, int milagro, int overlapping, int spiked)
    {
        var texts = new List<string>();
        var page = await OpenViewer(query, 1440, 960);
        texts.Add(await Seen(page));

        // El Milagro: its staffing, a plan, routes and coverage through the panels' own buttons where they have one.
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", milagro);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        await page.EvaluateAsync("() => window.barrioViewer.computePlan({ sectors: 2, seed: 3 })");
        texts.Add(await Seen(page));
        await WaitFor(page, "() => !document.getElementById('routes-section').hidden");
        await page.EvaluateAsync("() => window.barrioViewer.computeRoutes({ mode: 'foot', shiftHours: 8, seed: 1 })");
        texts.Add(await Seen(page));
        await WaitFor(page, "() => !document.getElementById('coverage-section').hidden");
        await page.SelectOptionAsync("#coverage-mode", "foot");
        await page.FillAsync("#coverage-minutes", "5");
        await page.ClickAsync("#coverage-compute");
        await WaitFor(page, "() => document.getElementById('coverage-result').dataset.drawn === 'true'");
        texts.Add(await Seen(page));
        await page.EvaluateAsync("() => window.barrioViewer.history()");
        texts.Add(await Seen(page));

        // A validation with problems (an overlap), then a repair preview with its changes.
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", overlapping);
        await WaitFor(page, "id => { const p = document.getElementById('planner-panel'); return !p.hidden && p.dataset.state === 'ready' && p.dataset.neighborhoodId === String(id); }", overlapping);
        await page.ClickAsync("#btn-validate");
        await WaitFor(page, "() => document.getElementById('planner-result').dataset.drawn === 'true' && document.querySelectorAll('#problem-list li').length > 0");
        texts.Add(await Seen(page));
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", spiked);
        await WaitFor(page, "id => { const p = document.getElementById('planner-panel'); return !p.hidden && p.dataset.state === 'ready' && p.dataset.neighborhoodId === String(id); }", spiked);
        await page.ClickAsync("#btn-repair");
        await WaitFor(page, "() => document.getElementById('planner-result').dataset.drawn === 'true' && document.querySelectorAll('.repair-changes li').length > 0");
        texts.Add(await Seen(page));

        // A refusal of the server said in the page's language: a plan of more sectors than the neighbourhood has blocks.
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", milagro);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        await page.EvaluateAsync("() => window.barrioViewer.computePlan({ sectors: 5000, seed: 1 }).catch(() => null)");
        texts.Add(await Seen(page));
        return (page, texts);
    }
}
