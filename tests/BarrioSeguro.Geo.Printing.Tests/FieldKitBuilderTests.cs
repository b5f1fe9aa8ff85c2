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

    private const double Lon = -79.04, Lat = -8.06;
    private static readonly byte[] Gpx = System.Text.Encoding.UTF8.GetBytes("<gpx version=\"1.1\"/>");

    private static FieldKitInput Input()
    {
        // Two sectors of El Milagro (Trujillo, UTM 17S); only S1 has a route, with one stop.
        const double lon = -79.04, lat = -8.06;
        // West along Jr. Los Álamos (two pieces), then north up Av. Pachacútec.
        var track = LonLat.CreateLineString([new(lon + 0.001, lat + 0.001), new(lon + 0.002, lat + 0.001), new(lon + 0.004, lat + 0.001), new(lon + 0.004, lat + 0.003)]);
        var stops = LonLat.CreateMultiPoint([LonLat.CreatePoint(new Coordinate(lon + 0.003, lat + 0.001))]);
        var report = new RouteReport("S1", "Sector S1 · turno mañana", "mañana", "foot", null, 3.24, 95, 4.06, 100, 1, true,
            [new StopReport(1, "h1", "Mercado", lon + 0.003, lat + 0.001, "06:20", 20, 10, false)], 0, [],
            [new HotspotReport("h1", "Mercado", ["06:20"], [20], [], 0, false)],
            [Note.Of("route.hotspot_interval_over", ("name", "Mercado"), ("gap", 131.6), ("over", 11.6), ("max", 120), ("patrol", 435))])
        {
            PatrolMinutes = 435,
            RulesMissed = [new RuleMissReport("patrol-time", "hotspot-interval", "h1", 120, 150, 30)],
        };
        var plan = new SectorPlanReport([], 2, 40, 10, 2.54, 5, true, 0.61, 1, null, [], null, 0,
            new StaffingReport(1, 2, [new ShiftStaffing("mañana", 7, 3), new ShiftStaffing("noche", 6, 2)], [Note.Of("staffing.every_shift", ("sectors", 2))]), [],
            [Note.Of("sectors.locked", ("count", 1234))]);
        return new FieldKitInput("El Milagro", Square(lon, lat, 0.01), "Plan de prueba", "mañana", 2.54, true, 0.613, plan,
            [
                new FieldKitSector(0, Square(lon, lat, 0.005), new FieldKitRoute(17, track, stops, report, Gpx)),
                new FieldKitSector(1, Square(lon + 0.005, lat, 0.005), null),
            ],
            [
                new FieldKitStreet("Jr. Los Álamos", LonLat.CreateMultiLineString([LonLat.CreateLineString([new(lon, lat + 0.001), new(lon + 0.002, lat + 0.001), new(lon + 0.004, lat + 0.001)])])),
                new FieldKitStreet("Av. Pachacútec", LonLat.CreateMultiLineString([LonLat.CreateLineString([new(lon + 0.004, lat), new(lon + 0.004, lat + 0.006)])])),
                new FieldKitStreet(null, LonLat.CreateMultiLineString([LonLat.CreateLineString([new(lon, lat), new(lon + 0.01, lat)])])),
            ]);
    }

    [Fact]
    public void The_kit_is_in_metres_with_labels_figures_and_the_GPX_address_of_each_kept_route()
    {
        var printedAt = new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero); // 30 November in Lima
        var kit = FieldKitBuilder.Build(Input(), FieldKitText.Spanish, PublicBaseUrl.Parse("https://barrio.example.pe/geo/", out _), printedAt);

        Assert.Equal("30 de noviembre de 2026, 22:00 (hora de Lima)", kit.Cover.Date);
        // The staffing in Spanish from the per-shift figures, not the English sentences of the report.
        Assert.Equal(["Turno mañana: 7 efectivos de servicio, 3 unidades", "Turno noche: 6 efectivos de servicio, 2 unidades", "Sectores por turno: 2",
            "cada turno cubre 2 sectores"], kit.Cover.Staffing); // the arithmetic's notes said in Spanish from the catalog
        Assert.Null(kit.LinkNote);
        Assert.Equal(["1,234 manzana(s) fijadas."], kit.Cover.Notes); // the plan's note, said in Spanish through notes.json
        Assert.Contains((FieldKitText.Spanish.MaxDeviation, "2.5 %"), kit.Cover.Figures);
        Assert.Contains((FieldKitText.Spanish.Sectors, "2"), kit.Cover.Figures);
        Assert.Equal(["S1", "S2"], kit.Sheets.Select(s => s.Sector.Label));
        Assert.Equal([1], kit.Sheets[0].Neighbours.Select(n => n.Index));
        // UTM 17S: metres, hundreds of kilometres east and over 9,000 km north, not degrees.
        var centre = kit.Sheets[0].Sector.Shape.Centroid.Coordinate;
        Assert.InRange(centre.X, 100_000, 900_000);
        Assert.InRange(centre.Y, 9_000_000, 10_000_000);
        Assert.Equal(3, kit.Streets.Count);
        Assert.InRange(kit.Streets[2].Length, 1_000, 1_200); // 0.01° of longitude at 8° S ≈ 1.1 km

        var route = Assert.IsType<SheetRoute>(kit.Sheets[0].Route);
        Assert.StartsWith("punto caliente Mercado: el mayor intervalo es de 132 min, 12 min más de los 120 min pedidos", Assert.Single(route.Notes));
        Assert.Equal("https://barrio.example.pe/geo/api/routes/17/gpx", route.GpxUrl);
        Assert.Contains((FieldKitText.Spanish.Length, "3.2 km"), route.Figures);
        Assert.Contains((FieldKitText.Spanish.Mode, "a pie"), route.Figures);
        Assert.Contains((FieldKitText.Spanish.PatrolTime, "435 min (7:15 h)"), route.Figures);
        Assert.Equal(["se mantuvo: el tiempo de patrullaje del turno; no se cumplió: una visita cada 2 h al punto caliente (Mercado), por 30 min (150 de 120 min)"],
            route.RulesMissed);
        var gpx = Assert.IsType<PdfAttachment>(route.Gpx);
        Assert.Equal(Gpx, gpx.Content);
        Assert.Equal("ruta_S1_manana_17.gpx", gpx.FileName);
        Assert.Equal("06:20 · 10 min", Assert.Single(route.Stops).Arrive);
        Assert.Equal("Mercado", route.Stops[0].Name);
        Assert.Null(kit.Sheets[1].Route);
    }

    [Theory]
    [InlineData("es", "1,234 manzana(s) fijadas.", "punto caliente Mercado: el mayor intervalo es de 132 min, 12 min más de los 120 min pedidos")]
    [InlineData("en", "1,234 block(s) locked.", "hot spot Mercado: the longest gap is 132 min, 12 min over the 120 min asked")]
    public async Task The_printed_kit_says_the_plan_and_route_notes_in_its_language_through_the_one_catalog(string lang, string cover, string route)
    {
        using var dir = new TempDir();
        var text = FieldKitText.For(lang);
        var kit = FieldKitBuilder.Build(Input(), text, null, new DateTimeOffset(2026, 12, 1, 15, 0, 0, TimeSpan.Zero));
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

    [Fact]
    public void Without_a_public_address_the_kit_has_no_link_and_says_why_but_keeps_the_GPX_to_attach()
    {
        var kit = FieldKitBuilder.Build(Input(), FieldKitText.Spanish, null, DateTimeOffset.UtcNow);
        var route = Assert.IsType<SheetRoute>(kit.Sheets[0].Route);
        Assert.Null(route.GpxUrl);
        Assert.Equal(FieldKitText.Spanish.NoPublicAddress, kit.LinkNote);
        Assert.Contains("Barrio:PublicBaseUrl", kit.LinkNote);
        Assert.Equal(Gpx, route.Gpx!.Content);
    }

    [Fact]
    public void The_route_street_by_street_merges_pieces_of_one_street_and_gives_each_stretch_in_metres()
    {
        var kit = FieldKitBuilder.Build(Input(), FieldKitText.Spanish, null, DateTimeOffset.UtcNow);
        var legs = kit.Sheets[0].Route!.Legs;
        Assert.Equal(2, legs.Count);
        // 0.003° of longitude and 0.002° of latitude at 8° S, on the sphere: about 330 m and 221 m.
        var east = Haversine(Lon + 0.001, Lat + 0.001, Lon + 0.004, Lat + 0.001);
        var north = Haversine(Lon + 0.004, Lat + 0.001, Lon + 0.004, Lat + 0.003);
        Assert.Equal($"Inicio: Jr. Los Álamos, {Math.Round(east / 10) * 10:0} m", legs[0]);
        Assert.Equal($"Jr. Los Álamos → Av. Pachacútec, {Math.Round(north / 10) * 10:0} m", legs[1]);

        var en = FieldKitBuilder.Build(Input(), FieldKitText.English, null, DateTimeOffset.UtcNow);
        Assert.StartsWith("Start: Jr. Los Álamos, ", en.Sheets[0].Route!.Legs[0]);
    }

    [Fact]
    public void A_short_piece_on_another_street_does_not_break_a_stretch_and_unnamed_streets_are_said_so()
    {
        var metres = new GeometryFactory();
        var index = new StreetIndex(
        [
            ("Jr. A", metres.CreateLineString([new(0, 0), new(100, 0)])),
            ("Av. B", metres.CreateLineString([new(100, 0), new(108, 0), new(108, 50)])), // 8 m across its junction
            ("Jr. A", metres.CreateLineString([new(108, 0), new(300, 0)])),
            (null, metres.CreateLineString([new(300, 0), new(300, 200)])),
        ]);
        var track = metres.CreateLineString([new(0, 0), new(100, 0), new(108, 0), new(300, 0), new(300, 200)]);
        var legs = StreetLegs.Of(track, index);
        Assert.Equal([new StreetLeg(true, null, "Jr. A", 300), new StreetLeg(false, "Jr. A", null, 200)], legs);
        Assert.Equal("Jr. A → calle sin nombre, 200 m", FieldKitText.Spanish.Leg(legs[1]));
    }

    private static double Haversine(double lon1, double lat1, double lon2, double lat2)
    {
        const double r = 6_371_008.8;
        double Rad(double d) => d * Math.PI / 180;
        var a = Math.Pow(Math.Sin(Rad(lat2 - lat1) / 2), 2) + Math.Cos(Rad(lat1)) * Math.Cos(Rad(lat2)) * Math.Pow(Math.Sin(Rad(lon2 - lon1) / 2), 2);
        return 2 * r * Math.Asin(Math.Sqrt(a));
    }
}

public class CalendarTests
{
    /// <summary>A sector's cycle over <paramref name="days"/> days of mañana and tarde, a route each shift.</summary>
    internal static SectorCycleReport Cycle(string sector, int days, bool covered = true) => new(
        sector, "foot", 14.2, 13.8, [new PassReport("foot", 4, 1800), new PassReport("bike", 2, 700)], 4, covered, covered ? 100 : 78, 3.1, 18,
        Enumerable.Range(1, days).SelectMany(d => new[] { "mañana", "tarde" }.Select((shift, k) =>
            new CalendarEntry(d, shift, $"Sector {sector} · turno {shift}", 10 + d + k / 10.0, 430, 2.5 + k, Math.Min(100, d * 25)))).ToList(),
        []);

    [Fact]
    public void The_calendar_has_a_row_per_day_a_column_per_shift_and_a_line_per_sector_in_each_cell()
    {
        var sheet = FieldKitBuilder.Calendar([Cycle("S1", 7), Cycle("S2", 7, covered: false)], FieldKitText.Spanish)!;
        Assert.Equal("Calendario del ciclo: 7 días × 2 turnos", sheet.Title);
        Assert.Equal(["mañana", "tarde"], sheet.Columns);
        Assert.Equal(7, sheet.Rows.Count);
        Assert.Equal("Día 3", sheet.Rows[2].Day);
        Assert.Equal(["S1 · 13.0 km · +2.5 km · 75 %", "S2 · 13.0 km · +2.5 km · 75 %"], sheet.Rows[2].Cells[0]);
        Assert.Equal("S1 · 13.1 km · +3.5 km · 75 %", sheet.Rows[2].Cells[1][0]);
        Assert.StartsWith("S1 (a pie): una pasada completa toma 4 turnos a pie, 2 turnos en bicicleta; el ciclo recorre el 100 % de 13.8 km", sheet.Summary[0]);
        Assert.Contains("NO se cubre en el ciclo con las unidades que tiene: 78 %", sheet.Summary[1]);
        Assert.Null(FieldKitBuilder.Calendar([], FieldKitText.Spanish));
        Assert.Equal("Cycle calendar: 7 days × 2 shifts", FieldKitBuilder.Calendar([Cycle("S1", 7)], FieldKitText.English)!.Title);
        var one = Cycle("S3", 1) with { ShiftsForFullPass = [new PassReport("bike", 1, 400)] };
        Assert.StartsWith("S3 (a pie): una pasada completa toma 1 turno en bicicleta;", FieldKitBuilder.Calendar([one], FieldKitText.Spanish)!.Summary[0]);
    }
}

public class PublicBaseUrlTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://127.1.2.3")]
    [InlineData("http://localhost:5080/")]
    [InlineData("https://[::1]:8443")]
    [InlineData("http://0.0.0.0:8080")]
    public void A_loopback_address_is_refused_with_the_reason(string url)
    {
        Assert.Null(PublicBaseUrl.Parse(url, out var reason));
        Assert.Contains("loopback", reason);
    }

    [Theory]
    [InlineData("barrio.example.pe")]
    [InlineData("ftp://barrio.example.pe")]
    [InlineData("https://barrio.example.pe/?x=1")]
    public void Anything_but_an_absolute_http_address_is_refused(string url) => Assert.Null(PublicBaseUrl.Parse(url, out _));

    [Fact]
    public void A_public_address_keeps_its_path_and_joins_paths_with_one_slash()
    {
        Assert.Equal("https://barrio.example.pe/geo/api/routes/3/gpx", PublicBaseUrl.Parse("https://barrio.example.pe/geo/", out _)!.Of("/api/routes/3/gpx"));
        Assert.Equal("http://192.168.1.20:5080/api/routes/3/gpx", PublicBaseUrl.Parse("http://192.168.1.20:5080", out _)!.Of("api/routes/3/gpx"));
    }
}
