using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>El Milagro in three patrol sectors, made once with <c>barrio blocks</c> and <c>barrio sectorize --sectors 3</c>.</summary>
public sealed class ElMilagroSectorsFixture : IDisposable
{
    private readonly TempDir _dir = new();

    public ElMilagroSectorsFixture()
    {
        var blocks = _dir.File("manzanas.geojson");
        var run = CliRun.Of("blocks", "--streets", SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson"),
            "--boundary", SharedGeodata.PathOf("sample/el_milagro_barrio_seguro_illustrative.geojson"), "--out", blocks);
        Assert.True(run.ExitCode == 0, run.Error);
        Sectors = _dir.File("sectores.geojson");
        run = CliRun.Of("sectorize", "--blocks", blocks, "--sectors", "3", "--out", Sectors,
            "--assignment", _dir.File("asignacion.geojson"), "--report", _dir.File("plan.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(3, VectorFile.Read(Sectors).Count);
    }

    public string Sectors { get; }

    public void Dispose() => _dir.Dispose();
}

public class RoutesCommandTests(ElMilagroSectorsFixture milagro) : IClassFixture<ElMilagroSectorsFixture>
{
    private static string Streets => SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson");

    /// <summary>One hot spot, near the comisaría of El Milagro (the accent must survive into the GPX and the report).</summary>
    private const string Hotspot = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Mercado Señor de los Milagros"},"geometry":{"type":"Point","coordinates":[-79.0665,-8.0181]}}
        ]}
        """;

    /// <summary>A square in the Pacific, west of every street of the sample.</summary>
    private const string SeaPolygon = """{"type":"Polygon","coordinates":[[[-79.20,-8.10],[-79.15,-8.10],[-79.15,-8.05],[-79.20,-8.05],[-79.20,-8.10]]]}""";

    private static CliRun Routes(TempDir dir, string sectors, string output, params string[] extra) =>
        CliRun.Of(["routes", "--streets", Streets, "--sectors", sectors, "--hotspots", dir.Write("h.geojson", Hotspot),
            "--mode", "bike", "--shift-hours", "8", "--seed", "1", "--out", output, "--report", dir.File("r.json"), .. extra]);

    private static JsonElement Report(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();

    [Fact]
    public void El_Milagro_in_three_sectors_by_bike_fits_the_patrol_time_covers_every_street_in_the_cycle_and_the_hot_spot_every_two_hours()
    {
        using var dir = new TempDir();
        var run = Routes(dir, milagro.Sectors, dir.File("rutas.gpx"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        var summaries = Regex.Matches(run.Out,
            @"^Sector S[123] · turno mañana: [\d.]+ km, \d+ min of 435 min of patrol \(480 min shift\), deadhead [\d.]+ %, streets walked [\d.]+ %, ", RegexOptions.Multiline);
        Assert.Equal(3, summaries.Count);
        Assert.Equal(3, Regex.Matches(run.Out, @"^  cycle: S[123]: \d+ shifts? by bike, \d+ shifts? on foot; every reachable street walked in \d+ of 21 shifts", RegexOptions.Multiline).Count);
        // Bikes keep to one-way streets: the mixed case is a heuristic, or an integer model stopped at its limit; either
        // way the report says the tour is not proven optimal (which one wins depends on the street lengths to the cm).
        Assert.Matches(@"not proven optimal|stopped at its .* limit.*at most [\d.]+ % above the optimum", run.Out);
        Assert.Matches(@"\nWrote 3 routes \([\d.,]+ km, \d+ stops\) to rutas\.gpx and the report to r\.json \([\d,]+ ms\)\s*$", run.Out);

        var report = Report(dir.File("r.json"));
        Assert.Equal("bike", report.GetProperty("mode").GetString());
        Assert.Equal(435, report.GetProperty("patrolMinutes").GetDouble());
        Assert.Equal(30, report.GetProperty("breakMinutes").GetDouble());
        Assert.Equal(15, report.GetProperty("handoverMinutes").GetDouble());
        Assert.Equal(7, report.GetProperty("cycle").GetProperty("days").GetInt32());
        Assert.Equal(["mañana", "tarde", "noche"], report.GetProperty("cycle").GetProperty("shifts").EnumerateArray().Select(x => x.GetString()!));
        Assert.Equal(3, report.GetProperty("cycle").GetProperty("sectors").GetArrayLength());
        var routes = report.GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(["S1", "S2", "S3"], routes.Select(r => r.GetProperty("sector").GetString()!).Order());
        foreach (var r in routes)
        {
            foreach (var name in new[] { "sector", "name", "lengthKm", "durationMin", "deadheadPct", "streetsCoveredPct", "unreachable", "hotspots" })
                Assert.True(r.TryGetProperty(name, out _), $"route {r.GetProperty("sector")} lacks {name}");
            // The route fits the patrol time (8 h minus 30 min break and 15 min hand-over); the cycle walks every street.
            Assert.InRange(r.GetProperty("streetsCoveredPct").GetDouble(), 1, 100);
            Assert.Equal(0, r.GetProperty("unreachable").GetArrayLength());
            Assert.InRange(r.GetProperty("durationMin").GetDouble(), 1, 8 * 60 - 45);
            Assert.Equal(435, r.GetProperty("patrolMinutes").GetDouble());
            var cycle = r.GetProperty("cycle");
            Assert.True(cycle.GetProperty("coveredInCycle").GetBoolean());
            Assert.Equal(100, cycle.GetProperty("coveredPct").GetDouble());
            Assert.Equal(21, cycle.GetProperty("calendar").GetArrayLength());
            Assert.Equal(100, cycle.GetProperty("calendar").EnumerateArray().Last().GetProperty("coveredPct").GetDouble());
            Assert.Equal(cycle.GetProperty("reachableKm").GetDouble(),
                cycle.GetProperty("calendar").EnumerateArray().Sum(c => c.GetProperty("newStreetsKm").GetDouble()), 1);
            Assert.Equal(["bike", "foot"], cycle.GetProperty("shiftsForFullPass").EnumerateArray().Select(p => p.GetProperty("mode").GetString()!));
            Assert.True(r.GetProperty("lengthKm").GetDouble() > 0);
            Assert.InRange(r.GetProperty("deadheadPct").GetDouble(), 0, 100);
        }
        // The hot spot lies in exactly one sector; its route stops there at least every 2 h, at Lima clock times in the shift.
        var visits = Assert.Single(routes.SelectMany(r => r.GetProperty("hotspots").EnumerateArray()));
        Assert.Equal("Mercado Señor de los Milagros", visits.GetProperty("name").GetString());
        Assert.True(visits.GetProperty("maxIntervalMinutes").GetDouble() <= 120, $"max interval {visits.GetProperty("maxIntervalMinutes")}");
        Assert.True(visits.GetProperty("withinLimit").GetBoolean());
        var times = visits.GetProperty("visits").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.True(times.Count >= 3, $"{times.Count} visits in 8 h");
        Assert.All(times, t => Assert.InRange(string.CompareOrdinal(t, "06:00"), 0, int.MaxValue));
        Assert.All(times, t => Assert.InRange(string.CompareOrdinal(t, "14:00"), int.MinValue, 0));
        Assert.Contains("Señor", File.ReadAllText(dir.File("r.json")));

        // GDAL reads it back: a track per sector, a waypoint per stop, accents intact.
        var stops = routes.Sum(r => r.GetProperty("stops").GetArrayLength());
        Assert.Equal(times.Count, stops);
        var info = OgrInfo("-al", "-q", dir.File("rutas.gpx"));
        Assert.Contains("Layer name: tracks", info);
        Assert.Contains("Layer name: waypoints", info);
        Assert.Equal(3, Regex.Matches(info, @"OGRFeature\(tracks\):\d+").Count);
        Assert.Equal(stops, Regex.Matches(info, @"OGRFeature\(waypoints\):\d+").Count);
        Assert.Contains("name (String) = Sector S1 · turno mañana", info);
        Assert.Contains("name (String) = Mercado Señor de los Milagros", info);
    }

    [Fact]
    public void The_same_seed_gives_the_same_gpx_and_another_seed_another_track()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        using var c = new TempDir();
        Assert.Equal(0, Routes(a, milagro.Sectors, a.File("r.gpx")).ExitCode);
        Assert.Equal(0, Routes(b, milagro.Sectors, b.File("r.gpx")).ExitCode);
        var other = Routes(c, milagro.Sectors, c.File("r.gpx"), "--seed", "2");
        Assert.True(other.ExitCode == 0, other.Error);
        Assert.Equal(File.ReadAllBytes(a.File("r.gpx")), File.ReadAllBytes(b.File("r.gpx")));
        Assert.NotEqual(Track(a.File("r.gpx")), Track(c.File("r.gpx")));
    }

    [Fact]
    public void Geojson_output_has_a_line_per_route_and_a_point_per_stop_and_a_start_file_picks_the_nearest_station()
    {
        using var dir = new TempDir();
        var start = dir.Write("comisaria.geojson", """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"Comisaría El Milagro"},"geometry":{"type":"Point","coordinates":[-79.0640,-8.0235]}},
              {"type":"Feature","properties":{"name":"Lejos"},"geometry":{"type":"Point","coordinates":[-79.02,-8.11]}}
            ]}
            """);
        var run = Routes(dir, milagro.Sectors, dir.File("rutas.geojson"), "--start", start, "--shift-name", "tarde", "--shift-start", "14:00");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Sector S2 · turno tarde:", run.Out);
        var features = VectorFile.Read(dir.File("rutas.geojson")).Features;
        Assert.Equal(3, features.Count(f => (string)f.Attributes["kind"] == "track"));
        var report = Report(dir.File("r.json"));
        Assert.All(report.GetProperty("routes").EnumerateArray(),
            r => Assert.Equal("Comisaría El Milagro", r.GetProperty("start").GetProperty("name").GetString()));
        Assert.Equal(features.Count(f => (string)f.Attributes["kind"] == "stop"),
            report.GetProperty("routes").EnumerateArray().Sum(r => r.GetProperty("stops").GetArrayLength()));
        Assert.StartsWith("2025-01-01T14:00:00-05:00", report.GetProperty("shiftStart").GetString());
    }

    [Fact]
    public void A_sector_with_no_street_is_named_and_skipped_and_alone_it_is_an_error()
    {
        using var dir = new TempDir();
        var sectors = VectorFile.Read(milagro.Sectors);
        var withSea = dir.Write("con_mar.geojson",
            File.ReadAllText(milagro.Sectors).TrimEnd().TrimEnd('}').TrimEnd().TrimEnd(']')
            + $$""",{"type":"Feature","properties":{"name":"Mar"},"geometry":{{SeaPolygon}}}]}""");
        Assert.Equal(sectors.Count + 1, VectorFile.Read(withSea).Count);
        var run = Routes(dir, withSea, dir.File("r.gpx"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Sector Mar holds no street the patrol mode can use: skipped, no route for it.", run.Out);
        Assert.Contains("; 1 sector skipped", run.Out);
        var report = Report(dir.File("r.json"));
        Assert.Equal(3, report.GetProperty("routes").GetArrayLength());
        Assert.Equal("Mar", Assert.Single(report.GetProperty("skipped").EnumerateArray()).GetProperty("sector").GetString());

        var onlySea = dir.Write("mar.geojson", $$"""{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Mar"},"geometry":{{SeaPolygon}}}]}""");
        var none = Routes(dir, onlySea, dir.File("none.gpx"));
        Assert.Equal(1, none.ExitCode);
        Assert.Equal("barrio routes: no route: Sector Mar holds no street the patrol mode can use.", none.ErrorLine);
        Assert.False(File.Exists(dir.File("none.gpx")));
    }

    [Theory]
    [InlineData("--mode", "plane", "unknown travel mode 'plane': use foot, bike, moto or car")]
    [InlineData("--shift-hours", "0", "--shift-hours must be a length in hours more than 0 and at most 24, not '0'")]
    [InlineData("--shift-hours", "-8", "--shift-hours must be a length in hours more than 0 and at most 24, not '-8'")]
    [InlineData("--seed", "uno", "--seed must be a whole number, not 'uno'")]
    [InlineData("--stop-minutes", "15-10", "--stop-minutes must be whole minutes MIN-MAX")]
    [InlineData("--shift-start", "25:00", "--shift-start must be a time HH:mm (Lima), not '25:00'")]
    [InlineData("--out", "rutas.kml", "--out must end in .gpx or .geojson, not 'rutas.kml'")]
    [InlineData("--break-minutes", "-5", "--break-minutes must be minutes from 0 to 1440, not '-5'")]
    [InlineData("--handover-minutes", "470", "leave no patrol time in a 480 min shift")]
    [InlineData("--cycle-days", "0", "--cycle-days must be whole days from 1 to 28, not '0'")]
    [InlineData("--cycle-shifts", ",", "--cycle-shifts must name at least one shift")]
    public void Bad_options_are_usage_errors(string option, string value, string message)
    {
        using var dir = new TempDir();
        var args = new List<string> { "routes", "--streets", Streets, "--sectors", milagro.Sectors, "--mode", "foot",
            "--shift-hours", "8", "--seed", "1", "--out", dir.File("r.gpx"), "--report", dir.File("r.json") };
        var i = args.IndexOf(option);
        if (i < 0) args.AddRange([option, value]);
        else args[i + 1] = value;
        var run = CliRun.Of(args.ToArray());
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("barrio routes: ", run.ErrorLine);
        Assert.Contains(message, run.ErrorLine);
        Assert.False(File.Exists(dir.File("r.json")));
    }

    [Fact]
    public void Streets_that_are_not_lines_are_a_one_line_error()
    {
        using var dir = new TempDir();
        var points = dir.Write("puntos.geojson", Hotspot);
        var run = CliRun.Of("routes", "--streets", points, "--sectors", milagro.Sectors, "--mode", "foot",
            "--shift-hours", "8", "--seed", "1", "--out", dir.File("r.gpx"), "--report", dir.File("r.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal("barrio routes: puntos.geojson: no street in the file: left out 1 feature that is not a line: #1 Point", run.ErrorLine);
    }

    [Fact]
    public void Calendar_out_writes_each_entry_of_the_cycle_as_GPX_whose_track_GDAL_measures_as_long_as_the_entry_says()
    {
        using var dir = new TempDir();
        var calendarDir = Path.Combine(dir.Path, "calendario");
        var run = Routes(dir, milagro.Sectors, dir.File("rutas.gpx"), "--cycle-days", "3", "--calendar-out", calendarDir);
        Assert.True(run.ExitCode == 0, run.Error);
        var sectors = Report(dir.File("r.json")).GetProperty("cycle").GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(3, sectors.Count);
        var files = 0;
        foreach (var sector in sectors)
        {
            var label = sector.GetProperty("sector").GetString()!;
            var calendar = sector.GetProperty("calendar").EnumerateArray().ToList();
            Assert.Equal(9, calendar.Count); // 3 days × mañana, tarde, noche
            foreach (var e in calendar)
            {
                var (day, shift) = (e.GetProperty("day").GetInt32(), e.GetProperty("shift").GetString()!);
                var file = Path.Combine(calendarDir, $"ruta_{label}_dia{day}_{shift}.gpx");
                Assert.True(File.Exists(file), $"no {Path.GetFileName(file)}");
                files++;
                // GDAL reads it back: the track's geodesic length (SpatiaLite on the ellipsoid) is the entry's lengthKm.
                var info = OgrInfo("-q", "-dialect", "SQLite", "-sql", "SELECT name, ST_Length(geometry, 1) / 1000 AS km FROM tracks", file);
                var km = double.Parse(Regex.Match(info, @"km \(Real\) = ([-\d.eE+]+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                var expected = e.GetProperty("lengthKm").GetDouble();
                Assert.True(Math.Abs(km - expected) <= Math.Max(0.02 * expected, 0.005), $"{Path.GetFileName(file)}: GDAL {km:0.000} km, the entry {expected} km");
                Assert.Contains(e.GetProperty("routeName").GetString()!, info);
            }
        }
        Assert.Equal(files, Directory.GetFiles(calendarDir).Length); // nothing else left there (no scratch files)
        Assert.Contains($"({files} calendar routes to {calendarDir})", run.Out);
    }

    /// <summary>The track points (lat, lon) of a GPX, in order.</summary>
    private static List<string> Track(string gpx) =>
        Regex.Matches(File.ReadAllText(gpx), "<trkpt lat=\"([^\"]+)\" lon=\"([^\"]+)\"").Select(m => m.Groups[1].Value + " " + m.Groups[2].Value).ToList();

    /// <summary>Runs GDAL's ogrinfo; a missing ogrinfo fails the test (install gdal-bin), it never skips.</summary>
    private static string OgrInfo(params string[] args)
    {
        var exe = new[] { "/usr/bin/ogrinfo", "/usr/local/bin/ogrinfo" }.FirstOrDefault(File.Exists)
                  ?? throw new Xunit.Sdk.XunitException("ogrinfo not found: install gdal-bin (apt-get install gdal-bin) to read the GPX back");
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ogrinfo {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
