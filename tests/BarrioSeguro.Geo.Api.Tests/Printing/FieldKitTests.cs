using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Api.Printing;
using SkiaSharp;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Printing;

[Collection(ApiCollection.Name)]
public class FieldKitTests(ApiFixture api)
{
    private const int Dpi = 50;

    private async Task<int> PlanOf(int sectors, int seed)
    {
        var id = await api.MilagroIdAsync();
        var plan = await ApiFixture.JsonOf(await api.Client().PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors, seed }));
        return plan.GetProperty("id").GetInt32();
    }

    private async Task<JsonElement> RoutesOf(int planId, string shift)
    {
        var response = await api.Client().PostAsJsonAsync($"/api/plans/{planId}/routes", new { mode = "bike", shiftHours = 8, shift, seed = 3 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await ApiFixture.JsonOf(response)).GetProperty("routes");
    }

    private async Task<byte[]> PdfOf(string url)
    {
        var response = await api.Client().GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        return pdf;
    }

    [SkippableFact]
    public async Task Field_kit_prints_a_cover_and_a_page_per_sector_with_route_in_its_colour_figures_and_a_QR_of_the_GPX()
    {
        var planId = await PlanOf(3, seed: 5);
        var routes = await RoutesOf(planId, "mañana");
        var s1 = routes.EnumerateArray().First(r => r.GetProperty("sector").GetInt32() == 0).GetProperty("id").GetInt32();
        var pdf = await PdfOf($"/api/plans/{planId}/fieldkit.pdf?shift=mañana&lang=es");

        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "kit.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        await Run("pdftoppm", "-r", Dpi.ToString(), "-png", file, Path.Combine(dir.Path, "p"));
        var pages = Directory.GetFiles(dir.Path, "p-*.png").Order().ToList();
        Assert.Equal(1 + 3, pages.Count);

        // Text layer: real text with accents, the sector's title, units, and the GPX address the QR code carries.
        var text = await Run("pdftotext", "-layout", file, "-");
        Assert.Contains("Sector S1", text);
        Assert.Contains("km", text);
        Assert.Contains("Ida en vacío", text);
        Assert.Contains("Desviación máx.", text);
        Assert.Contains("Contigüidad", text);
        var gpxUrl = $"{api.BaseAddress.Scheme}://{api.BaseAddress.Authority}/api/routes/{s1}/gpx";
        Assert.Contains(gpxUrl, string.Concat(text.Where(ch => !char.IsWhiteSpace(ch))));
        // ... and that address serves the route's GPX.
        var gpx = await api.Client().GetAsync(gpxUrl);
        Assert.Equal("application/gpx+xml", gpx.Content.Headers.ContentType!.MediaType);

        // The S1 page (page 2): the route in the sector's colour inside the map, a QR code of dark and light modules.
        using var page = SKBitmap.Decode(pages[1]);
        Assert.NotNull(page);
        var style = MapStyle.Default();
        var colour = style.SectorColor(0);
        var inMap = Count(page, FieldKitRenderer.SectorMapRect, p => Near(p, colour, 12));
        Assert.True(inMap > 50, $"{inMap} pixels of the sector colour in the map");
        var qr = FieldKitRenderer.QrRect;
        var dark = Count(page, qr, p => p.Red < 80 && p.Green < 80 && p.Blue < 80);
        var all = Scaled(qr).Width * Scaled(qr).Height;
        Assert.InRange(dark / (double)all, 0.2, 0.7);

        File.Copy(pages[1], Path.Combine(Path.GetTempPath(), "barrio-fieldkit-s1.png"), overwrite: true);
        File.Copy(file, Path.Combine(Path.GetTempPath(), "barrio-fieldkit.pdf"), overwrite: true);
    }

    [SkippableFact]
    public async Task In_English_and_without_routes_for_the_shift_the_pages_say_so()
    {
        var planId = await PlanOf(3, seed: 6);
        var pdf = await PdfOf($"/api/plans/{planId}/fieldkit.pdf?shift=noche&lang=en");
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "kit.pdf");
        await File.WriteAllBytesAsync(file, pdf);
        var text = await Run("pdftotext", file, "-");
        Assert.Contains("Route", text);
        Assert.Contains("No route computed for this shift", text);
        Assert.Contains("Sector S3", text);

        var es = Path.Combine(dir.Path, "es.pdf");
        await File.WriteAllBytesAsync(es, await PdfOf($"/api/plans/{planId}/fieldkit.pdf?shift=noche"));
        Assert.Contains("Sin ruta calculada para este turno", await Run("pdftotext", es, "-"));
    }

    [SkippableFact]
    public async Task Unknown_plan_is_a_404_problem()
    {
        var response = await api.Client().GetAsync("/api/plans/987654/fieldkit.pdf");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    private static bool Near(SKColor a, SKColor b, int tolerance) =>
        Math.Abs(a.Red - b.Red) <= tolerance && Math.Abs(a.Green - b.Green) <= tolerance && Math.Abs(a.Blue - b.Blue) <= tolerance;

    private static SKRectI Scaled(SKRect r) =>
        SKRectI.Round(new SKRect(r.Left * Dpi / 72f, r.Top * Dpi / 72f, r.Right * Dpi / 72f, r.Bottom * Dpi / 72f));

    private static int Count(SKBitmap bitmap, SKRect pageRect, Func<SKColor, bool> match)
    {
        var r = Scaled(pageRect);
        var n = 0;
        for (var y = Math.Max(0, r.Top); y < Math.Min(bitmap.Height, r.Bottom); y++)
            for (var x = Math.Max(0, r.Left); x < Math.Min(bitmap.Width, r.Right); x++)
                if (match(bitmap.GetPixel(x, y))) n++;
        return n;
    }

    private static async Task<string> Run(string tool, params string[] args)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{tool} failed: {await error}");
        return await output;
    }

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("barrio-fieldkit-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
