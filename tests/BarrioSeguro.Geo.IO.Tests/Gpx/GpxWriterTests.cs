using System.Text.Json;
using System.Xml.Linq;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.IO.Gpx;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.Gpx;

public class GpxWriterTests
{
    private const string Name = "Sector S1 · turno mañana";

    private static PatrolRoute Route()
    {
        const int w = 4, h = 4;
        var edges = new List<PostmanEdge>();
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var v = y * w + x;
                if (x + 1 < w) edges.Add(new PostmanEdge(v, v + 1, 100, false, true));
                if (y + 1 < h) edges.Add(new PostmanEdge(v, v + w, 100, false, true));
            }
        var g = new PostmanGraph(w * h, edges);
        var geo = new RouteGeometry(32717, n => new Coordinate(717000 + 100 * (n % w), 9106000 + 100 * (n / w)));
        var tour = ChinesePostman.Solve(g, 0, 3);
        var spots = new[] { new RouteHotspot("h1", "Mercado Señor de los Milagros", 5), new RouteHotspot("h2", "Plazuela Ñañez", 15) };
        // One shift of the planner the service uses; no hand-over, so the route starts when the shift does.
        var slot = new CycleSlot(1, "mañana", Name, new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var cycle = ShiftRoutePlanner.PlanCycle(g, tour, geo, spots, new RouteOptions { Name = Name, Seed = 3, HandoverMinutes = 0 }, [slot]);
        return Assert.Single(cycle.Routes).Route;
    }

    [Fact]
    public void Gpx_is_read_back_by_gdal_with_track_waypoints_and_accents()
    {
        var route = Route();
        Assert.True(route.Stops.Count >= 2);
        using var dir = new TempDir();
        var path = dir.File("ruta.gpx");
        using (var s = File.Create(path)) GpxWriter.Write(s, route);

        var tracks = Gdal.OgrInfo("-al", "-q", path, "tracks");
        Assert.Contains($"name (String) = {Name}", tracks);
        Assert.Equal(1, Count(tracks, "OGRFeature(tracks)"));
        Assert.Contains("MULTILINESTRING", tracks);

        var points = Gdal.OgrInfo("-al", "-q", path, "track_points");
        Assert.Equal(route.Track.Count, Count(points, "OGRFeature(track_points)"));
        Assert.Contains("time (DateTime) = 2025/03/01 12:00:00+00", points);

        var waypoints = Gdal.OgrInfo("-al", "-q", path, "waypoints");
        Assert.Equal(route.Stops.Count, Count(waypoints, "OGRFeature(waypoints)"));
        Assert.Contains("name (String) = Plazuela Ñañez", waypoints);
        Assert.Contains("name (String) = Mercado Señor de los Milagros", waypoints);
        Assert.Contains($"desc (String) = Parada {route.Stops[0].Minutes} min", waypoints);
        // positions: UTM 17S 717000 E, 9106000 N is about 79.02° W, 8.08° S
        Assert.Matches(@"POINT \(-79\.0\d+ -8\.0\d+\)", waypoints);
    }

    [Fact]
    public void Gpx_is_valid_gpx_1_1_shape()
    {
        var route = Route();
        using var ms = new MemoryStream();
        GpxWriter.Write(ms, route);
        var doc = XDocument.Parse(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
        XNamespace ns = "http://www.topografix.com/GPX/1/1";
        Assert.Equal(ns + "gpx", doc.Root!.Name);
        Assert.Equal("1.1", (string?)doc.Root.Attribute("version"));
        Assert.Equal(["metadata", .. Enumerable.Repeat("wpt", route.Stops.Count), "trk"], doc.Root.Elements().Select(e => e.Name.LocalName));
        Assert.All(doc.Descendants(ns + "time"), t => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", t.Value));
        Assert.Single(doc.Descendants(ns + "trkseg"));
    }

    [Fact]
    public void GeoJson_has_the_route_line_and_a_point_per_stop()
    {
        var route = Route();
        using var dir = new TempDir();
        var path = dir.File("ruta.geojson");
        using (var s = File.Create(path)) Assert.Equal(1 + route.Stops.Count, RouteGeoJson.Write(s, route));
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var features = doc.RootElement.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal("LineString", features[0].GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(Name, features[0].GetProperty("properties").GetProperty("name").GetString());
        Assert.All(features.Skip(1), f => Assert.Equal("stop", f.GetProperty("properties").GetProperty("kind").GetString()));
        var info = Gdal.OgrInfo("-al", "-so", path);
        Assert.Contains($"Feature Count: {1 + route.Stops.Count}", info);
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
