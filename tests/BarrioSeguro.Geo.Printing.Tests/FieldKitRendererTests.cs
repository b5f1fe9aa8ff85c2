using NetTopologySuite.Geometries;
using SkiaSharp;

namespace BarrioSeguro.Geo.Printing.Tests;

/// <summary>The renderer on its own: a kit made by hand (metres, no database, no web host) in, a PDF read back by poppler out.</summary>
public class FieldKitRendererTests
{
    private const int Dpi = 50;
    private const string GpxUrl = "http://127.0.0.1:5080/api/routes/17/gpx";
    private static readonly GeometryFactory Metres = new();

    /// <summary>Three 400 m square sectors side by side on a 100 m street grid; only S1 has a route, with two stops.</summary>
    /// <summary>A GPX 1.1 file as the service keeps it: a waypoint per stop and a timed track.</summary>
    internal const string GpxText = """
        <?xml version="1.0" encoding="utf-8"?>
        <gpx version="1.1" creator="BarrioSeguro.Geo" xmlns="http://www.topografix.com/GPX/1/1">
          <wpt lat="-8.0590000" lon="-79.0370000"><time>2026-12-01T11:20:00Z</time><name>Mercado Santa Rosa</name></wpt>
          <trk><name>Sector S1 · turno mañana</name><trkseg>
            <trkpt lat="-8.0590000" lon="-79.0390000"><time>2026-12-01T11:00:00Z</time></trkpt>
            <trkpt lat="-8.0590000" lon="-79.0370000"><time>2026-12-01T11:04:00Z</time></trkpt>
            <trkpt lat="-8.0570000" lon="-79.0370000"><time>2026-12-01T11:07:00Z</time></trkpt>
          </trkseg></trk>
        </gpx>
        """;

    private static FieldKit Kit(FieldKitText text, int stopCount = 2, int legCount = 3, int noteCount = 1, string? gpxUrl = GpxUrl, string name = "Mercado Santa Rosa")
    {
        const double x0 = 700_000, y0 = 9_100_000;
        Polygon Square(double left) => Metres.CreatePolygon(
        [
            new(x0 + left, y0), new(x0 + left + 400, y0), new(x0 + left + 400, y0 + 400), new(x0 + left, y0 + 400), new(x0 + left, y0),
        ]);
        var sectors = Enumerable.Range(0, 3).Select(i => new SectorShape(i, $"S{i + 1}", Square(i * 400))).ToList();
        var streets = new List<LineString>();
        for (var x = 0; x <= 1200; x += 100) streets.Add(Metres.CreateLineString([new(x0 + x, y0 - 50), new(x0 + x, y0 + 450)]));
        for (var y = 0; y <= 400; y += 100) streets.Add(Metres.CreateLineString([new(x0 - 50, y0 + y), new(x0 + 1250, y0 + y)]));
        var track = Metres.CreateLineString(
            [new(x0 + 100, y0 + 100), new(x0 + 300, y0 + 100), new(x0 + 300, y0 + 300), new(x0 + 100, y0 + 300), new(x0 + 100, y0 + 100)]);
        var names = new[] { name, "Parque El Milagro" };
        var stops = Enumerable.Range(0, stopCount).Select(i => new RouteStopMark(i + 1, i < 2 ? names[i] : $"{name} {i + 1}",
            // At the corners of the track, the first ones where they were: stops on the frame's edges too.
            i switch { 0 => new Coordinate(x0 + 300, y0 + 100), 1 => new Coordinate(x0 + 100, y0 + 300), _ => (i % 4) switch
            {
                0 => new Coordinate(x0 + 300, y0 + 300), 1 => new Coordinate(x0 + 100, y0 + 100), 2 => new Coordinate(x0, y0 + 400), _ => new Coordinate(x0 + 400, y0),
            } }, $"{6 + i / 6:00}:{i % 6 * 10:00} · 10 min")).ToList();
        var gpx = new PdfAttachment("ruta_S1_manana_17.gpx", System.Text.Encoding.UTF8.GetBytes(GpxText), "application/gpx+xml", "Sector S1 · turno mañana (GPX)",
            new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.FromHours(-5)));
        var notes = Enumerable.Range(0, noteCount).Select(i => i == 0 ? "Una calle sin salida recorrida dos veces."
            : $"Nota {i + 1}: el punto caliente {name} queda a más de 2 h de marcha de la base; se mantuvo la regla del turno y se perdió la de las 2 h por 35 min.").ToList();
        var route = new SheetRoute(track, stops, [(text.Length, "3,2 km"), (text.Deadhead, "4,1 %")], notes, gpxUrl, gpx)
        {
            RulesMissed = ["se mantuvo: el tiempo de patrullaje del turno; no se cumplió: una visita cada 2 h, por 30 min"],
            Legs = Enumerable.Range(0, legCount).Select(i => i == 0 ? "Inicio: Jr. Los Álamos, 350 m" : $"Calle {i} → Av. Pachacútec tramo {i + 1}, {10 * i} m").ToList(),
        };
        var cover = new FieldKitCover("El Milagro", "Plan de prueba", "mañana", "1 de diciembre de 2026",
            ["S1: 2 serenazgos a pie"], sectors, [(text.MaxDeviation, "2,5 %"), (text.Contiguity, text.Yes)], []);
        var sheets = sectors.Select(s => new SectorSheet(s, sectors.Where(o => o != s).ToList(), s.Index == 0 ? route : null)).ToList();
        return new FieldKit(cover, sheets, streets, text, gpxUrl is null ? text.NoPublicAddress : null);
    }

    private static async Task<string> PdfOf(FieldKit kit, TempDir dir)
    {
        var file = dir.File("kit.pdf");
        await using (var stream = File.Create(file)) FieldKitRenderer.Render(kit, MapStyle.Default(), stream);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(file), 0, 4));
        return file;
    }

    [Fact]
    public async Task A_cover_and_a_page_per_sector_in_Spanish_with_the_route_figures_stops_and_the_GPX_address()
    {
        using var dir = new TempDir();
        var file = await PdfOf(Kit(FieldKitText.Spanish), dir);
        Assert.Equal(1 + 3, await PdfTools.PagesAsync(file));

        var text = await PdfTools.TextAsync(file);
        Assert.Contains("Kit de campo de patrullaje", text);
        Assert.Contains("Sector S1", text);
        Assert.Contains("Sector S3", text);
        Assert.Contains("Ida en vacío", text);
        Assert.Contains("Desviación máx. de carga", text);
        Assert.Contains("Contigüidad", text);
        Assert.Contains("Mercado Santa Rosa", text);
        Assert.Contains("Paradas (llegada, hora de Lima)", text);
        Assert.Contains("Recorrido calle por calle", text);
        Assert.Contains("Reglas que la ruta no pudo cumplir a la vez", text);
        Assert.Contains("Calle 1 → Av. Pachacútec tramo 2, 10 m", text);
        Assert.Contains("ruta_S1_manana_17.gpx", text);
        Assert.Contains("Sin ruta calculada para este turno", text);
        Assert.Contains("Página 4/4", text);
        Assert.Contains(GpxUrl, string.Concat(text.Where(ch => !char.IsWhiteSpace(ch))));
    }

    [Fact]
    public async Task In_English_the_same_kit_speaks_English()
    {
        using var dir = new TempDir();
        var text = await PdfTools.TextAsync(await PdfOf(Kit(FieldKitText.English), dir));
        Assert.Contains("Patrol field kit", text);
        Assert.Contains("No route computed for this shift", text);
        Assert.Contains("Page 2/4", text);
        Assert.DoesNotContain("Sin ruta calculada", text);
    }

    [Fact]
    public async Task The_route_is_drawn_in_its_sector_colour_and_the_QR_code_only_where_a_route_exists()
    {
        using var dir = new TempDir();
        var file = await PdfOf(Kit(FieldKitText.Spanish), dir);
        await PdfTools.RunAsync("pdftoppm", "-r", Dpi.ToString(), "-png", file, Path.Combine(dir.Path, "p"));
        var pages = Directory.GetFiles(dir.Path, "p-*.png").Order().ToList();
        Assert.Equal(4, pages.Count);
        var style = MapStyle.Default();

        using var s1 = SKBitmap.Decode(pages[1]);
        var inMap = Count(s1, FieldKitRenderer.SectorMapRect, p => Near(p, style.SectorColor(0), 12));
        Assert.True(inMap > 50, $"{inMap} pixels of the sector colour in the map");
        var qr = Scaled(FieldKitRenderer.QrRect);
        var dark = Count(s1, FieldKitRenderer.QrRect, IsDark);
        Assert.InRange(dark / (double)(qr.Width * qr.Height), 0.2, 0.7);

        using var s3 = SKBitmap.Decode(pages[3]);
        var darkWithout = Count(s3, FieldKitRenderer.QrRect, IsDark);
        Assert.True(darkWithout < dark / 10, $"{darkWithout} dark pixels where S3, without a route, has no QR code");
    }

    [Fact]
    public async Task The_GPX_is_attached_inside_the_PDF_byte_for_byte_and_the_document_says_it_is_in_Spanish_of_Peru()
    {
        using var dir = new TempDir();
        var file = await PdfOf(Kit(FieldKitText.Spanish), dir);
        // poppler lists and saves the embedded file of the Names/EmbeddedFiles tree ...
        var list = await PdfTools.RunAsync("pdfdetach", "-list", file);
        // (twice: in the document's list and as the paperclip annotation on the sector's page)
        Assert.Contains("2 embedded files", list);
        Assert.Contains("ruta_S1_manana_17.gpx", list);
        var saved = dir.File("saved.gpx");
        await PdfTools.RunAsync("pdfdetach", "-save", "1", "-o", saved, file);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(GpxText), await File.ReadAllBytesAsync(saved));
        // ... GDAL reads it as GPX (a waypoint, a track of three timed points) ...
        var info = await PdfTools.RunAsync("ogrinfo", "-ro", "-al", "-so", saved);
        Assert.Contains("using driver `GPX' successful", await PdfTools.RunAsync("ogrinfo", "-ro", saved));
        Assert.Contains("Layer name: waypoints", info);
        Assert.Contains("Layer name: track_points", info);
        Assert.Contains("Feature Count: 3", await PdfTools.RunAsync("ogrinfo", "-ro", "-so", saved, "track_points"));
        // ... and qpdf finds the incremental update sound (xref offsets, trailer /Prev), with /Lang on the catalog.
        var check = await PdfTools.RunAsync("qpdf", "--check", file);
        Assert.Contains("No syntax or stream encoding errors found", check);
        var trailer = await PdfTools.RunAsync("qpdf", "--show-object=trailer", file);
        var root = System.Text.RegularExpressions.Regex.Match(trailer, @"/Root (\d+) 0 R").Groups[1].Value;
        var catalog = await PdfTools.RunAsync("qpdf", $"--show-object={root}", file);
        Assert.Contains("/Lang (es-PE)", catalog);
        Assert.Contains("/EmbeddedFiles", catalog);
        // The paperclip: a FileAttachment annotation on S1's page (page 2) opening the same file specification.
        var pageLines = (await PdfTools.RunAsync("qpdf", "--show-pages", file)).Split('\n').Where(l => l.StartsWith("page ", StringComparison.Ordinal)).ToList();
        var s1 = System.Text.RegularExpressions.Regex.Match(pageLines[1], @"(\d+) 0 R").Groups[1].Value;
        var annots = System.Text.RegularExpressions.Regex.Match(await PdfTools.RunAsync("qpdf", $"--show-object={s1}", file), @"/Annots \[ (\d+) 0 R \]");
        Assert.True(annots.Success, "page 2 has one annotation");
        var annot = await PdfTools.RunAsync("qpdf", $"--show-object={annots.Groups[1].Value}", file);
        Assert.Contains("/Subtype /FileAttachment", annot);
        Assert.DoesNotContain("/Annots", await PdfTools.RunAsync("qpdf", $"--show-object={System.Text.RegularExpressions.Regex.Match(pageLines[2], @"(\d+) 0 R").Groups[1].Value}", file));
        var en = await PdfOf(Kit(FieldKitText.English), dir);
        var enRoot = System.Text.RegularExpressions.Regex.Match(await PdfTools.RunAsync("qpdf", "--show-object=trailer", en), @"/Root (\d+) 0 R").Groups[1].Value;
        Assert.Contains("/Lang (en-GB)", await PdfTools.RunAsync("qpdf", $"--show-object={enRoot}", en));
    }

    [Fact]
    public async Task Without_a_public_address_there_is_no_QR_code_a_line_says_why_and_the_GPX_is_still_attached()
    {
        using var dir = new TempDir();
        var file = await PdfOf(Kit(FieldKitText.Spanish, gpxUrl: null), dir);
        var text = string.Join(" ", (await PdfTools.RunAsync("pdftotext", file, "-")).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Sin código QR: la dirección pública del servicio no está configurada (Barrio:PublicBaseUrl).", text);
        Assert.DoesNotContain("/api/routes/", text);
        Assert.Contains("ruta_S1_manana_17.gpx", await PdfTools.RunAsync("pdfdetach", "-list", file));
        await PdfTools.RunAsync("pdftoppm", "-r", Dpi.ToString(), "-png", "-f", "2", "-l", "2", file, Path.Combine(dir.Path, "p"));
        using var s1 = SKBitmap.Decode(Directory.GetFiles(dir.Path, "p-*.png").Single());
        var qr = Scaled(FieldKitRenderer.QrRect);
        var dark = Count(s1, FieldKitRenderer.QrRect, IsDark);
        Assert.True(dark < qr.Width * qr.Height * 0.1, $"{dark} dark pixels where no QR code is drawn");
    }

    [Fact]
    public async Task A_long_route_continues_on_the_next_pages_with_every_stop_every_note_and_every_street()
    {
        using var dir = new TempDir();
        var file = await PdfOf(Kit(FieldKitText.Spanish, stopCount: 40, legCount: 150, noteCount: 12), dir);
        var pages = await PdfTools.PagesAsync(file);
        Assert.True(pages > 4, $"{pages} pages");
        var text = await PdfTools.TextAsync(file);
        for (var i = 3; i <= 40; i++) Assert.Contains($"Mercado Santa Rosa {i}", text);
        for (var i = 1; i < 150; i++) Assert.Contains($"{i + 1}. Calle {i} → Av. Pachacútec tramo {i + 1}, {10 * i} m", text);
        Assert.Contains("Nota 12:", text);
        Assert.Contains("Sector S1 · Ruta (continuación)", text);
        Assert.Contains($"Página {pages}/{pages}", text);
    }

    [Theory]
    [InlineData("es")]
    [InlineData("en")]
    public async Task No_text_runs_off_the_page_nor_across_a_map_frame(string lang)
    {
        using var dir = new TempDir();
        var longName = "Mercado Mayorista Santa Rosa de Lima de la Asociación de Comerciantes del Milagro, puerta 3";
        var kit = Kit(FieldKitText.For(lang), stopCount: 30, legCount: 90, noteCount: 8, name: longName);
        kit = kit with
        {
            Cover = kit.Cover with
            {
                PlanName = "Plan de patrullaje preventivo del sector norte con los puntos calientes de noviembre y diciembre de 2026",
                Notes = Enumerable.Range(1, 30).Select(i => $"Nota del plan {i}: {longName} {longName}").ToList(),
            },
        };
        var file = await PdfOf(kit, dir);
        await AssertNoTextRunsOff(file, kit);
        var pageTexts = (await PdfTools.WordsAsync(file)).GroupBy(w => w.Page).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(w => w.Text)));
        // The long stop names are cut with "…" in the stop list, not lost: the beginning of each is printed.
        Assert.Contains(pageTexts.Values, t => t.Contains("Mercado Mayorista Santa") && t.Contains("…"));
    }

    [Fact]
    public async Task The_cycle_calendar_is_printed_after_the_sectors_and_continues_when_long()
    {
        using var dir = new TempDir();
        var kit = Kit(FieldKitText.Spanish) with
        {
            Calendar = FieldKitBuilder.Calendar([CalendarTests.Cycle("S1", 7), CalendarTests.Cycle("S2", 7), CalendarTests.Cycle("S3", 7, covered: false)], FieldKitText.Spanish),
        };
        var file = await PdfOf(kit, dir);
        Assert.Equal(1 + 3 + 1, await PdfTools.PagesAsync(file));
        var last = await PdfTools.RunAsync("pdftotext", "-layout", "-f", "5", "-l", "5", file, "-");
        Assert.Contains("Calendario del ciclo: 7 días × 2 turnos", last);
        Assert.Contains("Día 7", last);
        Assert.Contains("mañana", last);
        Assert.Contains("S3 · 17.0 km · +2.5 km · 100 %", last);
        Assert.Contains("NO se cubre en el ciclo", last);

        // Thirty days of ten sectors do not fit one page: the table goes on, its head repeated.
        var many = Kit(FieldKitText.Spanish) with
        {
            Calendar = FieldKitBuilder.Calendar(Enumerable.Range(1, 10).Select(i => CalendarTests.Cycle($"S{i}", 30)).ToList(), FieldKitText.Spanish),
        };
        var longFile = await PdfOf(many, dir);
        var pages = await PdfTools.PagesAsync(longFile);
        Assert.True(pages > 5, $"{pages} pages");
        var text = await PdfTools.TextAsync(longFile);
        Assert.Contains("Día 30", text);
        Assert.Contains("Calendario del ciclo: 30 días × 2 turnos (continuación)", text);
        await AssertNoTextRunsOff(longFile, many);
    }

    /// <summary>Every word inside the page's margins, and every word that touches a map frame wholly inside it.</summary>
    private static async Task AssertNoTextRunsOff(string file, FieldKit kit)
    {
        var words = await PdfTools.WordsAsync(file);
        Assert.NotEmpty(words);
        var pageTexts = words.GroupBy(w => w.Page).ToDictionary(g => g.Key, g => string.Join(" ", g.Select(w => w.Text)));
        // The pages with a map: the cover's overview, and each sector's first page ("Sector S1 · Ruta" without "(continuación)").
        SKRect FrameOf(int page)
        {
            if (page == 1) return FieldKitRenderer.OverviewMapRect;
            var text = pageTexts[page];
            var sectorPage = kit.Sheets.Any(s => text.Contains($"{kit.Text.Sector} {s.Sector.Label} · {kit.Text.Route}"))
                             && !text.Contains($"({kit.Text.Continued})");
            return sectorPage ? FieldKitRenderer.SectorMapRect : SKRect.Empty;
        }
        foreach (var w in words)
        {
            // Inside the page's margins: 32 pt at the sides, 16 pt at the top and bottom (the footer).
            Assert.True(w.Box.Left >= FieldKitRenderer.Margin - 0.5 && w.Box.Right <= FieldKitRenderer.PageWidth - FieldKitRenderer.Margin + 0.5
                        && w.Box.Top >= 16 && w.Box.Bottom <= FieldKitRenderer.PageHeight - 16,
                $"page {w.Page}: '{w.Text}' at {w.Box} runs off the page");
            var frame = FrameOf(w.Page);
            // A word touching the map frame lies wholly inside it.
            if (!frame.IsEmpty && SKRect.Intersect(frame, w.Box) is { IsEmpty: false })
                Assert.True(frame.Contains(w.Box), $"page {w.Page}: '{w.Text}' at {w.Box} crosses the map frame {frame}");
        }
    }

    private static bool IsDark(SKColor p) => p.Red < 80 && p.Green < 80 && p.Blue < 80;

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
}
