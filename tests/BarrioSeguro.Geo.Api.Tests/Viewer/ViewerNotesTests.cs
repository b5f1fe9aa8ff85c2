using System.Text.Json;
using BarrioSeguro.Geo.Core.Notes;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// The server's notes in a real browser: said in Spanish from the service's catalog, then in English after the
/// language control, each sentence exactly what the service's own catalog (NoteCatalog, the same notes.json) says.
/// </summary>
[Collection(ApiCollection.Name)]
public class ViewerNotesTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task Route_notes_are_said_in_Spanish_then_in_English_as_the_service_says_them()
    {
        Api.Require();
        var id = await Api.MilagroIdAsync();
        var page = await OpenViewer("", 1440, 960);
        await page.EvaluateAsync("id => window.barrioViewer.selectNeighborhood(id)", id);
        await WaitFor(page, "() => { const s = document.getElementById('sectors-section'); return !s.hidden && s.dataset.staffing !== undefined; }");
        await page.EvaluateAsync("() => window.barrioViewer.computePlan({ sectors: 2, seed: 3 })");
        await WaitFor(page, "() => !document.getElementById('routes-section').hidden");
        var body = await page.EvaluateAsync<JsonElement>("() => window.barrioViewer.computeRoutes({ mode: 'foot', shiftHours: 8, seed: 1 })");

        var notes = body.GetProperty("notes").EnumerateArray()
            .Concat(body.GetProperty("routes").EnumerateArray().SelectMany(r => r.GetProperty("report").GetProperty("notes").EnumerateArray()))
            .Select(n => (Json: n, Note: JsonSerializer.Deserialize<Note>(n.GetRawText())!)).ToList();
        Assert.NotEmpty(notes);
        // The viewer asks in its language, so the server's own text is Spanish too.
        Assert.All(notes, n => Assert.Equal(n.Note.Text("es"), n.Json.GetProperty("text").GetString()));

        async Task<List<(string Code, string Text)>> Shown() =>
            (await page.Locator("#routes-notes [data-code]").EvaluateAllAsync<string[][]>("els => els.map(e => [e.dataset.code, e.textContent])"))
            .Select(a => (a[0], a[1])).ToList();
        var spanish = await Shown();
        Assert.NotEmpty(spanish);
        // The contingent's staffing (the same notes, staffing.* codes) speaks the viewer's language too.
        async Task<string[][]> Staffing() =>
            await page.Locator("#sectors-staffing .staffing-sentences li").EvaluateAllAsync<string[][]>("els => els.map(e => [e.dataset.code, e.textContent])");
        var staffingEs = await Staffing();
        Assert.NotEmpty(staffingEs);
        Assert.All(staffingEs, s => Assert.StartsWith("staffing.", s[0]));
        Assert.Contains(staffingEs, s => s[1].Contains("de servicio"));
        var expectedEs = notes.Select(n => (n.Note.Code, n.Note.Text("es"))).ToHashSet();
        Assert.All(spanish, s => Assert.Contains(s, expectedEs));

        await page.ClickAsync(".lang-toggle button[data-lang='en']");
        await WaitFor(page, "() => document.documentElement.lang.startsWith('en')");
        var english = await Shown();
        var expectedEn = notes.Select(n => (n.Note.Code, n.Note.Text("en"))).ToHashSet();
        Assert.Equal(spanish.Count, english.Count);
        Assert.All(english, s => Assert.Contains(s, expectedEn));
        Assert.Equal(spanish.Select(s => s.Code), english.Select(s => s.Code));
        Assert.NotEqual(spanish.Select(s => s.Text), english.Select(s => s.Text));
        var staffingEn = await Staffing();
        Assert.Equal(staffingEs.Select(s => s[0]), staffingEn.Select(s => s[0]));
        Assert.Contains(staffingEn, s => s[1].Contains("on duty"));
        Assert.DoesNotContain(staffingEn, s => s[1].Contains("de servicio"));
    }
}
