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
    private static FieldKit Kit(FieldKitText text)
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
        var route = new SheetRoute(track,
            [
                new RouteStopMark(1, "Mercado Santa Rosa", new Coordinate(x0 + 300, y0 + 100), "0:20 · 10 min"),
                new RouteStopMark(2, "Parque El Milagro", new Coordinate(x0 + 100, y0 + 300), "1:05 · 10 min"),
            ],
            [(text.Length, "3,2 km"), (text.Deadhead, "4,1 %")], ["Una calle sin salida recorrida dos veces."], GpxUrl);
        var cover = new FieldKitCover("El Milagro", "Plan de prueba", "mañana", "1 de diciembre de 2026",
            ["S1: 2 serenazgos a pie"], sectors, [(text.MaxDeviation, "2,5 %"), (text.Contiguity, text.Yes)], []);
        var sheets = sectors.Select(s => new SectorSheet(s, sectors.Where(o => o != s).ToList(), s.Index == 0 ? route : null)).ToList();
        return new FieldKit(cover, sheets, streets, text);
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
