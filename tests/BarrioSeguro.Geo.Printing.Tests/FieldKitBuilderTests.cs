using BarrioSeguro.Geo.Planning.FieldKits;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Printing.Tests;

/// <summary>A loaded kit input (lon/lat, typed reports, as Data loads it) turned into pages: metres, labels, figures with units.</summary>
public class FieldKitBuilderTests
{
    private static readonly GeometryFactory LonLat = new(new PrecisionModel(), 4326);

    private static Polygon Square(double lon, double lat, double d) => LonLat.CreatePolygon(
        [new(lon, lat), new(lon + d, lat), new(lon + d, lat + d), new(lon, lat + d), new(lon, lat)]);

    private static FieldKitInput Input()
    {
        // Two sectors of El Milagro (Trujillo, UTM 17S); only S1 has a route, with one stop.
        const double lon = -79.04, lat = -8.06;
        var track = LonLat.CreateLineString([new(lon + 0.001, lat + 0.001), new(lon + 0.003, lat + 0.001), new(lon + 0.001, lat + 0.001)]);
        var stops = LonLat.CreateMultiPoint([LonLat.CreatePoint(new Coordinate(lon + 0.003, lat + 0.001))]);
        var report = new RouteReport("S1", "Sector S1 · turno mañana", "mañana", "foot", null, 3.24, 95, 4.06, 100, 1, true,
            [new StopReport(1, "h1", "Mercado", lon + 0.003, lat + 0.001, "06:20", 20, 10, false)], 0, [], [],
            [Note.Of("route.hotspot_interval_missed", ("name", "Mercado"), ("gap", 131.6), ("max", 120))]);
        var plan = new SectorPlanReport([], 2, 40, 10, 2.54, 5, true, 0.61, 1, null, [], null, 0,
            new StaffingReport(1, 2, [], [Note.Of("staffing.every_shift", ("sectors", 2))]), [], [Note.Of("sectors.locked", ("count", 1234))]);
        return new FieldKitInput("El Milagro", Square(lon, lat, 0.01), "Plan de prueba", "mañana", 2.54, true, 0.613, plan,
            [
                new FieldKitSector(0, Square(lon, lat, 0.005), new FieldKitRoute(17, track, stops, report)),
                new FieldKitSector(1, Square(lon + 0.005, lat, 0.005), null),
            ],
            [LonLat.CreateMultiLineString([LonLat.CreateLineString([new(lon, lat), new(lon + 0.01, lat)]), LonLat.CreateLineString([new(lon, lat), new(lon, lat + 0.01)])])]);
    }

    [Fact]
    public void The_kit_is_in_metres_with_labels_figures_and_the_GPX_address_of_each_kept_route()
    {
        var printedAt = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero); // 30 November in Lima
        var kit = FieldKitBuilder.Build(Input(), FieldKitText.Spanish, "http://127.0.0.1:5080/", printedAt);

        Assert.Equal("30 de noviembre de 2026", kit.Cover.Date);
        Assert.Equal(["cada turno cubre 2 sectores"], kit.Cover.Staffing); // "Dotación" in Spanish, from the catalog
        Assert.Equal(["1,234 manzana(s) fijadas."], kit.Cover.Notes); // the plan's note, said in Spanish through notes.json
        Assert.Contains((FieldKitText.Spanish.MaxDeviation, "2.5 %"), kit.Cover.Figures);
        Assert.Contains((FieldKitText.Spanish.Sectors, "2"), kit.Cover.Figures);
        Assert.Equal(["S1", "S2"], kit.Sheets.Select(s => s.Sector.Label));
        Assert.Equal([1], kit.Sheets[0].Neighbours.Select(n => n.Index));
        // UTM 17S: metres, hundreds of kilometres east and over 9,000 km north, not degrees.
        var centre = kit.Sheets[0].Sector.Shape.Centroid.Coordinate;
        Assert.InRange(centre.X, 100_000, 900_000);
        Assert.InRange(centre.Y, 9_000_000, 10_000_000);
        Assert.Equal(2, kit.Streets.Count);
        Assert.InRange(kit.Streets[0].Length, 1_000, 1_200); // 0.01° of longitude at 8° S ≈ 1.1 km

        var route = Assert.IsType<SheetRoute>(kit.Sheets[0].Route);
        Assert.StartsWith("punto caliente Mercado: el mayor intervalo es de 132 min, más de los 120 min pedidos", Assert.Single(route.Notes));
        Assert.Equal("http://127.0.0.1:5080/api/routes/17/gpx", route.GpxUrl);
        Assert.Contains((FieldKitText.Spanish.Length, "3.2 km"), route.Figures);
        Assert.Equal("06:20 · 10 min", Assert.Single(route.Stops).Arrive);
        Assert.Equal("Mercado", route.Stops[0].Name);
        Assert.Null(kit.Sheets[1].Route);
    }

    [Theory]
    [InlineData("es", "1,234 manzana(s) fijadas.", "punto caliente Mercado: el mayor intervalo es de 132 min, más de los 120 min pedidos")]
    [InlineData("en", "1,234 block(s) locked.", "hot spot Mercado: the longest gap is 132 min, over the 120 min asked")]
    public async Task The_printed_kit_says_the_plan_and_route_notes_in_its_language_through_the_one_catalog(string lang, string cover, string route)
    {
        using var dir = new TempDir();
        var text = FieldKitText.For(lang);
        var kit = FieldKitBuilder.Build(Input(), text, "http://127.0.0.1:5080/", new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero));
        var file = dir.File("kit.pdf");
        await using (var stream = File.Create(file)) FieldKitRenderer.Render(kit, MapStyle.Default(), stream);

        // The text layer in reading order, lines joined: a long note may wrap on the page.
        static string Flat(string s) => System.Text.RegularExpressions.Regex.Replace(s, @"\s+", " ");
        var pdf = Flat(await PdfTools.RunAsync("pdftotext", file, "-"));
        Assert.Contains(Flat(cover), pdf);
        Assert.Contains(Flat(route), pdf);
        Assert.Contains(Flat(Input().Report.Notes[0].Text(lang)), pdf);
        Assert.DoesNotContain(lang == "es" ? "hot spot Mercado" : "punto caliente Mercado", pdf);
    }
}
