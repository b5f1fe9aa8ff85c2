using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// Properties of shift routes on the sample El Milagro data, over sector counts, seeds and modes: every route of the
/// cycle fits the patrol time, the cycle walks every reachable street, and the hot-spot gaps read from the GPX times
/// are the ones the report gives.
/// </summary>
public class ShiftRoutesPropertyTests(ElMilagroBlocksFixture milagro) : IClassFixture<ElMilagroBlocksFixture>
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;
    private static readonly XNamespace Gpx = "http://www.topografix.com/GPX/1/1";

    [Theory]
    [InlineData(2, "foot", 11)]
    [InlineData(3, "foot", 1)]
    [InlineData(3, "bike", 5)]
    [InlineData(4, "foot", 8)]
    [InlineData(4, "bike", 23)]
    public void Every_route_of_the_cycle_fits_the_patrol_time_and_the_cycle_walks_every_reachable_street(int sectors, string mode, int seed)
    {
        using var dir = new TempDir();
        var sectorsFile = dir.File("sectores.geojson");
        var cut = CliRun.Of("sectorize", "--blocks", milagro.Path, "--sectors", sectors.ToString(Ci), "--out", sectorsFile,
            "--assignment", dir.File("a.geojson"), "--report", dir.File("plan.json"), "--seed", seed.ToString(Ci));
        Assert.True(cut.ExitCode == 0, cut.Error);
        // A hot spot inside each sector (its interior point) and one more at the market: two in one of them.
        var polygons = VectorFile.Read(sectorsFile).Features.Select(f => f.Geometry).ToList();
        var spots = polygons.Select((p, i) => (Name: $"Punto {i + 1}", X: p.InteriorPoint.X, Y: p.InteriorPoint.Y)).Append((Name: "Mercado", X: -79.0665, Y: -8.0181));
        var hotspots = dir.Write("h.geojson", "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", spots.Select(s => string.Create(Ci,
            $$$"""{"type":"Feature","properties":{"name":"{{{s.Name}}}"},"geometry":{"type":"Point","coordinates":[{{{s.X}}},{{{s.Y}}}]}}"""))) + "]}");

        var run = CliRun.Of("routes", "--streets", SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson"), "--sectors", sectorsFile,
            "--hotspots", hotspots, "--mode", mode, "--shift-hours", "8", "--seed", seed.ToString(Ci), "--out", dir.File("r.gpx"),
            "--report", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        var report = JsonDocument.Parse(File.ReadAllText(dir.File("r.json"))).RootElement;
        var patrol = report.GetProperty("patrolMinutes").GetDouble();
        Assert.Equal(8 * 60 - 30 - 15, patrol);
        var routes = report.GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(sectors, routes.Count);

        foreach (var cycle in report.GetProperty("cycle").GetProperty("sectors").EnumerateArray())
        {
            var label = cycle.GetProperty("sector").GetString();
            var calendar = cycle.GetProperty("calendar").EnumerateArray().ToList();
            Assert.Equal(report.GetProperty("cycle").GetProperty("shiftsInCycle").GetInt32(), calendar.Count);
            Assert.All(calendar, c => Assert.InRange(c.GetProperty("durationMin").GetDouble(), 0, patrol));
            // Every reachable street once: the new streets of the shifts add up to the reachable length, the last shift has them all.
            Assert.True(cycle.GetProperty("coveredInCycle").GetBoolean(), $"{label}: {cycle.GetRawText()}");
            Assert.Equal(100, calendar[^1].GetProperty("coveredPct").GetDouble());
            Assert.Equal(cycle.GetProperty("reachableKm").GetDouble(), calendar.Sum(c => c.GetProperty("newStreetsKm").GetDouble()), 1);
            Assert.True(cycle.GetProperty("reachableKm").GetDouble() <= cycle.GetProperty("streetsKm").GetDouble() + 1e-9);
            var pass = cycle.GetProperty("shiftsForFullPass").EnumerateArray().Single(p => p.GetProperty("mode").GetString() == mode);
            Assert.InRange(pass.GetProperty("shifts").GetInt32(), 1, calendar.Count);
            Assert.InRange(cycle.GetProperty("shiftsNeeded").GetInt32(), pass.GetProperty("shifts").GetInt32(), calendar.Count);
        }

        // The GPX: one track per route, its times within the patrol time; the hot-spot gaps from its waypoint times.
        var gpx = XDocument.Load(dir.File("r.gpx"));
        var tracks = gpx.Descendants(Gpx + "trk").ToList();
        Assert.Equal(sectors, tracks.Count);
        var waypoints = gpx.Descendants(Gpx + "wpt").Select(w => (Name: (string)w.Element(Gpx + "name")!, Time: (DateTime)w.Element(Gpx + "time")!)).ToList();
        foreach (var r in routes)
        {
            var name = r.GetProperty("name").GetString();
            var track = tracks.Single(t => (string)t.Element(Gpx + "name")! == name);
            var times = track.Descendants(Gpx + "time").Select(t => (DateTime)t).ToList();
            var start = times[0];
            var end = times[^1];
            Assert.InRange((end - start).TotalMinutes, 0, patrol + 1.0 / 60);
            Assert.Equal(r.GetProperty("durationMin").GetDouble(), (end - start).TotalMinutes, 0.1);
            for (var i = 1; i < times.Count; i++) Assert.True(times[i] >= times[i - 1], $"{name}: time goes back at point {i}");
            Assert.True(r.GetProperty("stops").GetArrayLength() > 0, $"{name} has no hot-spot stop");
            foreach (var h in r.GetProperty("hotspots").EnumerateArray())
            {
                var spot = h.GetProperty("name").GetString()!;
                var arrivals = waypoints.Where(w => w.Name == spot && w.Time >= start && w.Time <= end).Select(w => w.Time).Order().ToList();
                Assert.Equal(h.GetProperty("visits").GetArrayLength(), arrivals.Count);
                var marks = arrivals.Prepend(start).Append(end).ToList();
                var gaps = marks.Zip(marks.Skip(1), (a, b) => (b - a).TotalMinutes).ToList();
                Assert.Equal(h.GetProperty("intervalMinutes").GetArrayLength(), gaps.Count);
                Assert.Equal(h.GetProperty("maxIntervalMinutes").GetDouble(), gaps.Max(), 0.1);
                if (h.GetProperty("withinLimit").GetBoolean()) Assert.True(gaps.Max() <= 120 + 0.1, $"{name} {spot}: {gaps.Max()} min");
                else
                    Assert.Contains(r.GetProperty("rulesMissed").EnumerateArray(), m =>
                        m.GetProperty("hotspotId").GetString() == h.GetProperty("hotspotId").GetString()
                        && Math.Abs(m.GetProperty("overMinutes").GetDouble() - (h.GetProperty("maxIntervalMinutes").GetDouble() - 120)) < 0.2);
            }
        }
    }
}
