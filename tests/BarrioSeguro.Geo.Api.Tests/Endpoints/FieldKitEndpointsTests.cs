using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Printing.Tests;
using Microsoft.AspNetCore.Hosting;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>
/// The field kit through the service and through <c>barrio fieldkit</c> on the same database: both gather with
/// FieldKitSource and print the same kit. How the pages look is tested without the web host in Printing.Tests.
/// </summary>
[Collection(ApiCollection.Name)]
public class FieldKitEndpointsTests(ApiFixture api)
{
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

    private async Task<string> PdfOf(string url, TempDir dir, string name)
    {
        var response = await api.Client().GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        var pdf = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        var file = dir.File(name);
        await File.WriteAllBytesAsync(file, pdf);
        return file;
    }

    private const string PublicBase = "https://barrio.example.pe/geo";

    private (int ExitCode, string Out, string Error) Cli(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var all = args.Concat(["--db", api.ConnectionString]).ToArray();
        var code = BarrioSeguro.Geo.Cli.Program.Run(all, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [SkippableFact]
    public async Task Field_kit_prints_a_cover_and_a_page_per_sector_with_its_figures_streets_and_the_GPX_attached()
    {
        var planId = await PlanOf(3, seed: 5);
        var routes = await RoutesOf(planId, "mañana");
        var s1 = routes.EnumerateArray().First(r => r.GetProperty("sector").GetInt32() == 0).GetProperty("id").GetInt32();
        using var dir = new TempDir();
        var file = await PdfOf($"/api/plans/{planId}/fieldkit.pdf?shift=mañana&lang=es", dir, "kit.pdf");
        Assert.True(await PagesOf(file) >= 1 + 3);

        var text = await Run("pdftotext", "-layout", file, "-");
        Assert.Contains("Sector S1", text);
        Assert.Contains("Sector S3", text);
        Assert.Contains("km", text);
        Assert.Contains("Ida en vacío", text);
        Assert.Contains("Desviación máx.", text);
        Assert.Contains("Contigüidad", text);
        // The cover carries the contingent's staffing in Spanish, from the typed plan report's per-shift figures ...
        Assert.Contains("Dotación", text);
        Assert.Contains("efectivos de servicio", text);
        Assert.DoesNotContain("officers", text);
        // ... each stop its arrival as the Lima clock time of the route report ...
        var firstStop = routes.EnumerateArray().SelectMany(r => r.GetProperty("report").GetProperty("stops").EnumerateArray()).First();
        Assert.Contains($"{firstStop.GetProperty("arrive").GetString()} · {firstStop.GetProperty("minutes").GetInt32()} min", text);
        Assert.Contains("Paradas (llegada, hora de Lima)", text);
        // ... and each route its streets by the names FieldKitSource loads from PostGIS.
        Assert.Contains("Recorrido calle por calle", text);
        Assert.Contains("Inicio: ", text);
        Assert.Contains(" → ", text);

        // The cycle calendar is printed from the cycle each kept route carries (when the routes are computed with one).
        var cycles = routes.EnumerateArray().Select(r => r.GetProperty("report"))
            .Where(r => r.TryGetProperty("cycle", out var c) && c.ValueKind == JsonValueKind.Object).Select(r => r.GetProperty("cycle")).ToList();
        if (cycles.Count > 0)
        {
            Assert.Contains("Calendario del ciclo", text);
            var lastDay = cycles.SelectMany(c => c.GetProperty("calendar").EnumerateArray()).Max(e => e.GetProperty("day").GetInt32());
            Assert.Contains($"Día {lastDay}", text);
            foreach (var c in cycles) Assert.Contains($"{c.GetProperty("sector").GetString()} (en bicicleta): una pasada completa toma", text);
        }
        else Assert.DoesNotContain("Calendario del ciclo", text);

        // The service answers on 127.0.0.1 and no public address is set: no QR code to a loopback address, a line says so ...
        var flat = string.Concat(text.Where(ch => !char.IsWhiteSpace(ch)));
        Assert.DoesNotContain("/api/routes/", flat);
        Assert.DoesNotContain("127.0.0.1", flat);
        Assert.Contains("SincódigoQR:", flat);
        // ... and the GPX of every route is attached inside the PDF, byte for byte what the service serves.
        var list = await Run("pdfdetach", "-list", file);
        Assert.Contains("6 embedded files", list); // each in the document's list and as a paperclip on its page
        var attached = dir.File("s1.gpx");
        var name = $"ruta_S1_manana_{s1}.gpx";
        Assert.Contains(name, list);
        var index = list.Split('\n').Select(l => l.Trim()).First(l => l.EndsWith(name, StringComparison.Ordinal)).Split(':')[0];
        await Run("pdfdetach", "-save", index, "-o", attached, file);
        var gpx = await api.Client().GetAsync($"/api/routes/{s1}/gpx");
        Assert.Equal("application/gpx+xml", gpx.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await gpx.Content.ReadAsByteArrayAsync(), await File.ReadAllBytesAsync(attached));
        Assert.Contains("using driver `GPX' successful", await Run("ogrinfo", "-ro", attached));
        Assert.Contains("No syntax or stream encoding errors found", await Run("qpdf", "--check", file));
    }

    [SkippableFact]
    public async Task The_CLI_points_the_QR_codes_at_the_public_address_given_and_refuses_a_loopback_one()
    {
        var planId = await PlanOf(2, seed: 8);
        var routes = await RoutesOf(planId, "mañana");
        var s1 = routes.EnumerateArray().First(r => r.GetProperty("sector").GetInt32() == 0).GetProperty("id").GetInt32();
        using var dir = new TempDir();
        var kit = dir.File("kit.pdf");
        var run = Cli("fieldkit", "--plan", planId.ToString(), "--shift", "mañana", "--base-url", PublicBase + "/", "--out", kit);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.DoesNotContain("no public address", run.Error);
        var flat = string.Concat((await Run("pdftotext", kit, "-")).Where(ch => !char.IsWhiteSpace(ch)));
        Assert.Contains($"{PublicBase}/api/routes/{s1}/gpx", flat);

        foreach (var loopback in new[] { api.BaseAddress.GetLeftPart(UriPartial.Authority), "http://localhost:5080" })
        {
            var refused = Cli("fieldkit", "--plan", planId.ToString(), "--base-url", loopback, "--out", dir.File("loop.pdf"));
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("loopback address", refused.Error);
            Assert.False(File.Exists(dir.File("loop.pdf")));
        }
    }

    [SkippableFact]
    public async Task The_CLI_prints_the_same_kit_as_the_API_for_the_same_plan_and_writes_nothing_half_done()
    {
        var planId = await PlanOf(3, seed: 7);
        await RoutesOf(planId, "tarde");
        using var dir = new TempDir();
        var fromApi = await PdfOf($"/api/plans/{planId}/fieldkit.pdf?shift=tarde", dir, "api.pdf");

        var fromCli = dir.File("cli.pdf");
        var run = Cli("fieldkit", "--plan", planId.ToString(), "--shift", "tarde", "--out", fromCli);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Matches(@"\d+ pages \(a cover and 3 sectors, 3 with a route, 3 GPX attached\)", run.Out);
        Assert.Contains("no public address", run.Error);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(fromCli), 0, 4));
        Assert.Equal(await PagesOf(fromApi), await PagesOf(fromCli));
        var cliText = await Run("pdftotext", "-layout", fromCli, "-");
        Assert.Contains("Sector S1", cliText);
        Assert.Contains("Sector S3", cliText);
        Assert.Contains("Ida en vacío", cliText);
        Assert.Contains("Turno: tarde", cliText);
        // Same plan, shift, language and address: the same words and figures on every page.
        // (but the clock time it was printed at, which may tick between the two).
        static string Unstamped(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\d\d:\d\d \(hora de Lima\)", "");
        Assert.Equal(Unstamped(await Run("pdftotext", "-layout", fromApi, "-")), Unstamped(cliText));
        Assert.Equal(["api.pdf", "cli.pdf"], Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).Order().ToArray());
    }

    [SkippableFact]
    public async Task In_English_and_without_routes_for_the_shift_the_pages_say_so_through_the_API_and_the_CLI()
    {
        var planId = await PlanOf(3, seed: 6);
        using var dir = new TempDir();
        var text = await Run("pdftotext", await PdfOf($"/api/plans/{planId}/fieldkit.pdf?shift=noche&lang=en", dir, "en.pdf"), "-");
        Assert.Contains("Route", text);
        Assert.Contains("No route computed for this shift", text);
        Assert.Contains("Sector S3", text);

        var es = await PdfOf($"/api/plans/{planId}/fieldkit.pdf?shift=noche", dir, "es.pdf");
        Assert.Contains("Sin ruta calculada para este turno", await Run("pdftotext", es, "-"));

        var cli = dir.File("cli_en.pdf");
        var run = Cli("fieldkit", "--plan", planId.ToString(), "--shift", "noche", "--lang", "en", "--out", cli);
        Assert.True(run.ExitCode == 0, run.Out + run.Error);
        Assert.Contains("no kept route for the shift 'noche'", run.Error);
        Assert.Contains("No route computed for this shift", await Run("pdftotext", cli, "-"));
        Assert.Equal(1 + 3, await PagesOf(cli));
    }

    [SkippableFact]
    public async Task Unknown_plan_is_a_404_problem_and_a_one_line_error_of_the_CLI_that_writes_no_file()
    {
        var response = await api.Client().GetAsync("/api/plans/987654/fieldkit.pdf");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);

        using var dir = new TempDir();
        var run = Cli("fieldkit", "--plan", "987654", "--out", dir.File("kit.pdf"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("barrio fieldkit: no plan 987654 in the database", run.Error.TrimEnd());
        Assert.Empty(Directory.GetFiles(dir.Path));

        run = Cli("fieldkit", "--plan", "1", "--lang", "fr", "--out", dir.File("kit.pdf"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--lang must be es or en, not 'fr'", run.Error);
    }

    private static Task<int> PagesOf(string pdf) => PdfTools.PagesAsync(pdf);

    private static Task<string> Run(string tool, params string[] args) => PdfTools.RunAsync(tool, args);

    private sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("barrio-fieldkit-").FullName;
        public string File(string name) => System.IO.Path.Combine(Path, name);
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}

/// <summary>The service refuses to start with a public address officers cannot reach from the field.</summary>
public class PublicBaseUrlStartupTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("barrio.example.pe")]
    public void A_loopback_or_relative_public_address_stops_the_service_at_start_with_the_setting_named(string url)
    {
        using var factory = new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            // No database is reached: the settings are checked first.
            web.UseSetting("Barrio:ConnectionString", "Host=/nonexistent;Database=none");
            web.UseSetting("Barrio:PublicBaseUrl", url);
        });
        var e = Assert.ThrowsAny<Exception>(() => factory.CreateClient());
        var messages = string.Join(" | ", Chain(e).Select(x => x.Message));
        Assert.Contains("Barrio:PublicBaseUrl", messages);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }
}
