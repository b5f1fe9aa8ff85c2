using System.Text.Json;
using BarrioSeguro.Geo.Core.Incidents;
using BarrioSeguro.Geo.Core.Sectors;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Polygonize;
using NetTopologySuite.Operation.Union;
using NetTopologySuite.Triangulate;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>Block sets for the sector tests: grids, Voronoi cells, and El Milagro's blocks from its OSM streets.</summary>
internal static class SectorSamples
{
    public static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);
    public const double Step = 0.001; // about 110 m

    /// <summary>A rows × cols grid of square blocks "r{row}c{col}" sharing exact edges, south-west corner at (-79.07, -8.03).</summary>
    public static List<SectorUnit> Grid(int rows, int cols, Func<int, int, double> workload) =>
        (from r in Enumerable.Range(0, rows)
         from c in Enumerable.Range(0, cols)
         select new SectorUnit($"r{r}c{c}", Square(X(c), Y(r), Step), workload(r, c))).ToList();

    // Neighbouring blocks share their corner coordinates exactly, as blocks from the street network do.
    public static double X(int c) => Math.Round(-79.07 + c * Step, 9);
    public static double Y(int r) => Math.Round(-8.03 + r * Step, 9);

    public static List<SectorUnit> RandomGrid(int rows, int cols, int seed)
    {
        var random = new Random(seed);
        return Grid(rows, cols, (_, _) => Math.Round(0.5 + random.NextDouble() * 4, 3));
    }

    public static Polygon Square(double x, double y, double size) => Factory.CreatePolygon(
    [
        new Coordinate(x, y), new Coordinate(Math.Round(x + size, 9), y), new Coordinate(Math.Round(x + size, 9), Math.Round(y + size, 9)),
        new Coordinate(x, Math.Round(y + size, 9)), new Coordinate(x, y),
    ]);

    /// <summary>Irregular blocks: Voronoi cells of jittered points, clipped to a square of about 2 × 2 km.</summary>
    public static List<SectorUnit> Voronoi(int cells, int seed)
    {
        var random = new Random(seed);
        var side = 0.018;
        var clip = new Envelope(-79.07, -79.07 + side, -8.03, -8.03 + side);
        var sites = Enumerable.Range(0, cells)
            .Select(_ => new Coordinate(clip.MinX + random.NextDouble() * side, clip.MinY + random.NextDouble() * side)).ToList();
        var builder = new VoronoiDiagramBuilder { ClipEnvelope = clip };
        builder.SetSites(sites);
        var diagram = builder.GetDiagram(Factory);
        return Enumerable.Range(0, diagram.NumGeometries)
            .Select(i => diagram.GetGeometryN(i))
            .OfType<Polygon>()
            .OrderBy(p => p.Centroid.Y).ThenBy(p => p.Centroid.X)
            .Select((p, i) => new SectorUnit($"v{i}", p, Math.Round(0.5 + random.NextDouble() * 4, 3)))
            .ToList();
    }

    /// <summary>
    /// El Milagro's blocks: the OSM streets inside the illustrative boundary, noded and polygonized with the boundary
    /// (faces share their edges exactly). Workload by the default terms: synthetic incidents (seed 105, 44 of them, as
    /// the sample data) plus street frontage.
    /// </summary>
    public static List<SectorUnit> ElMilagro()
    {
        var boundary = ReadGeometries("sample/el_milagro_barrio_seguro_illustrative.geojson")[0];
        var streets = ReadGeometries("osm/el_milagro_streets_wgs84.geojson").Where(s => s.Intersects(boundary)).ToList();
        var lines = streets.Select(s => s.Intersection(boundary)).Append(boundary.Boundary).ToList();
        var noded = UnaryUnionOp.Union(lines);
        var polygonizer = new Polygonizer();
        polygonizer.Add(noded);
        var faces = polygonizer.GetPolygons().OfType<Polygon>()
            .Where(p => boundary.Contains(p.InteriorPoint))
            .OrderBy(p => p.Centroid.Y).ThenBy(p => p.Centroid.X).ToList();
        var incidents = SyntheticIncidents.Generate(streets, boundary, [("faltas", 44)], 2017, 105);
        var counts = new int[faces.Count];
        foreach (var incident in incidents)
        {
            var i = faces.FindIndex(f => f.Covers(incident.Location));
            if (i >= 0) counts[i]++;
        }
        var attributes = faces.Select((f, i) => (IReadOnlyDictionary<string, object?>)new Dictionary<string, object?>
        {
            ["incidents"] = counts[i], ["street_m"] = BarrioSeguro.Geo.Core.Spatial.Measure.LengthMeters(f),
        }).ToList();
        var workload = Workload.Compute(attributes);
        return faces.Select((f, i) => new SectorUnit($"m{i}", f, workload[i])).ToList();
    }

    /// <summary>k-means on block centroids as PostGIS ST_ClusterKMeans does it (k-means++ start, Lloyd iterations), no balance, no contiguity.</summary>
    public static Dictionary<string, int> KMeans(IReadOnlyList<SectorUnit> units, int k, int seed)
    {
        var cos = Math.Cos(units[0].Geometry.Centroid.Y * Math.PI / 180);
        var pts = units.Select(u => (X: u.Geometry.Centroid.X * cos, Y: u.Geometry.Centroid.Y)).ToArray();
        var random = new Random(seed);
        var centres = new List<(double X, double Y)> { pts[random.Next(pts.Length)] };
        while (centres.Count < k)
        {
            var d2 = pts.Select(p => centres.Min(c => Math.Pow(p.X - c.X, 2) + Math.Pow(p.Y - c.Y, 2))).ToArray();
            var r = random.NextDouble() * d2.Sum();
            var i = 0;
            for (; i < d2.Length - 1 && (r -= d2[i]) > 0; i++) { }
            centres.Add(pts[i]);
        }
        var label = new int[pts.Length];
        for (var iteration = 0; iteration < 100; iteration++)
        {
            for (var i = 0; i < pts.Length; i++)
                label[i] = Enumerable.Range(0, k).MinBy(c => Math.Pow(pts[i].X - centres[c].X, 2) + Math.Pow(pts[i].Y - centres[c].Y, 2));
            for (var c = 0; c < k; c++)
            {
                var mine = Enumerable.Range(0, pts.Length).Where(i => label[i] == c).ToList();
                if (mine.Count > 0) centres[c] = (mine.Average(i => pts[i].X), mine.Average(i => pts[i].Y));
            }
        }
        return units.Select((u, i) => (u.Id, label[i])).ToDictionary(x => x.Id, x => x.Item2);
    }

    /// <summary>El Milagro's OSM streets with their highway class, for travel on the street network.</summary>
    public static List<BarrioSeguro.Geo.Core.Network.NetworkStreet> ElMilagroStreets()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(GeodataDir(), "osm/el_milagro_streets_wgs84.geojson")));
        return doc.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => new BarrioSeguro.Geo.Core.Network.NetworkStreet(ToGeometry(f.GetProperty("geometry")),
                f.GetProperty("properties").GetProperty("highway").GetString() ?? "unclassified"))
            .ToList();
    }

    private static List<Geometry> ReadGeometries(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(GeodataDir(), relative)));
        return doc.RootElement.GetProperty("features").EnumerateArray()
            .Select(f => ToGeometry(f.GetProperty("geometry"))).ToList();
    }

    private static Geometry ToGeometry(JsonElement g)
    {
        Coordinate C(JsonElement p) => new(p[0].GetDouble(), p[1].GetDouble());
        Coordinate[] Line(JsonElement a) => a.EnumerateArray().Select(C).ToArray();
        Polygon Poly(JsonElement a)
        {
            var rings = a.EnumerateArray().Select(r => Factory.CreateLinearRing(Line(r))).ToArray();
            return Factory.CreatePolygon(rings[0], rings[1..]);
        }
        var c = g.GetProperty("coordinates");
        return g.GetProperty("type").GetString() switch
        {
            "LineString" => Factory.CreateLineString(Line(c)),
            "MultiLineString" => Factory.CreateMultiLineString(c.EnumerateArray().Select(l => Factory.CreateLineString(Line(l))).ToArray()),
            "Polygon" => Poly(c),
            "MultiPolygon" => Factory.CreateMultiPolygon(c.EnumerateArray().Select(Poly).ToArray()),
            var t => throw new NotSupportedException(t),
        };
    }

    private static string GeodataDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "geodata", "osm"))) return Path.Combine(dir.FullName, "geodata");
        throw new DirectoryNotFoundException("geodata/ not found above the test binaries");
    }
}
