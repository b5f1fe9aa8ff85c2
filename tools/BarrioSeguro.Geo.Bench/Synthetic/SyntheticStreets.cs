using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Bench.Synthetic;

/// <summary>Deterministic synthetic street networks for benchmarks and tests.</summary>
public static class SyntheticStreets
{
    /// <summary>
    /// A grid of <paramref name="columns"/> × <paramref name="rows"/> intersections <paramref name="spacingM"/> apart
    /// around (lon, lat) (default: El Milagro, Trujillo), one street per block side: 2·c·r − c − r streets
    /// (123 × 123 gives 30,012). Every 10th line is primary, every 5th secondary, the rest residential; about one
    /// residential side in five is one-way (the direction from the seed). The same seed gives the same grid.
    /// </summary>
    public static List<NetworkStreet> Grid(int columns, int rows, double spacingM = 80, int seed = 42,
        double lon = -79.06, double lat = -8.02)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 2);
        var zone = Crs.UtmZoneFor(lon, lat);
        var (x0, y0) = Crs.Transform(lon, lat, Crs.Wgs84, zone);
        var k = Measure.UtmScaleFactor(lon, lat, zone);
        var step = spacingM * k;
        var lonlat = new (double X, double Y)[columns, rows];
        for (var i = 0; i < columns; i++)
            for (var j = 0; j < rows; j++)
                lonlat[i, j] = Crs.Transform(x0 + (i - columns / 2.0) * step, y0 + (j - rows / 2.0) * step, zone, Crs.Wgs84);
        var random = new Random(seed);
        var result = new List<NetworkStreet>(2 * columns * rows);
        string ClassOf(int line) => line % 10 == 0 ? "primary" : line % 5 == 0 ? "secondary" : "residential";
        void Add((double X, double Y) a, (double X, double Y) b, string cls)
        {
            var oneway = cls == "residential" && random.NextDouble() < 0.2;
            var reverse = oneway && random.NextDouble() < 0.5;
            var (p, q) = reverse ? (b, a) : (a, b);
            var line = new LineString([new Coordinate(p.X, p.Y), new Coordinate(q.X, q.Y)]) { SRID = Crs.Wgs84 };
            result.Add(new NetworkStreet(line, cls, 0, oneway));
        }
        for (var j = 0; j < rows; j++)
            for (var i = 0; i + 1 < columns; i++)
                Add(lonlat[i, j], lonlat[i + 1, j], ClassOf(j));
        for (var i = 0; i < columns; i++)
            for (var j = 0; j + 1 < rows; j++)
                Add(lonlat[i, j], lonlat[i, j + 1], ClassOf(i));
        return result;
    }

    /// <summary><paramref name="count"/> distinct intersections of a <see cref="Grid"/> (lon/lat), chosen by the seed.</summary>
    public static List<Point> GridUnits(int columns, int rows, int count, double spacingM = 80, int seed = 7,
        double lon = -79.06, double lat = -8.02)
    {
        var zone = Crs.UtmZoneFor(lon, lat);
        var (x0, y0) = Crs.Transform(lon, lat, Crs.Wgs84, zone);
        var k = Measure.UtmScaleFactor(lon, lat, zone);
        var random = new Random(seed);
        var chosen = new HashSet<(int, int)>();
        var result = new List<Point>(count);
        while (result.Count < count && chosen.Count < columns * rows)
        {
            var at = (random.Next(columns), random.Next(rows));
            if (!chosen.Add(at)) continue;
            var (x, y) = Crs.Transform(x0 + (at.Item1 - columns / 2.0) * spacingM * k, y0 + (at.Item2 - rows / 2.0) * spacingM * k, zone, Crs.Wgs84);
            result.Add(new Point(x, y) { SRID = Crs.Wgs84 });
        }
        return result;
    }
}
