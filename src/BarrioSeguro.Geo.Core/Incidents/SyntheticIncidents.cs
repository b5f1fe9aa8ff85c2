using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;

namespace BarrioSeguro.Geo.Core.Incidents;

/// <summary>
/// Makes sample incidents where no geolocated reports exist: points spread along the streets inside an area, in
/// proportion to street length, with categories in given proportions. Every incident is flagged synthetic.
/// The same inputs and seed give the same incidents.
/// </summary>
public static class SyntheticIncidents
{
    /// <summary>Generates incidents along the parts of <paramref name="streets"/> inside <paramref name="area"/>.</summary>
    /// <param name="streets">Street centrelines in EPSG:4326.</param>
    /// <param name="area">The area to fill, in EPSG:4326.</param>
    /// <param name="countsByCategory">How many incidents of each category.</param>
    /// <param name="year">Dates are spread uniformly over this year (Peru time, UTC-5).</param>
    /// <param name="seed">Seed of the random generator.</param>
    /// <returns>The incidents; empty when no street lies inside the area.</returns>
    public static IReadOnlyList<Incident> Generate(
        IEnumerable<Geometry> streets,
        Geometry area,
        IReadOnlyList<(string Category, int Count)> countsByCategory,
        int year,
        int seed)
    {
        var pieces = new List<(LengthIndexedLine Line, double End, double Weight)>();
        foreach (var street in streets)
        {
            var inside = street.Intersection(area);
            for (var i = 0; i < inside.NumGeometries; i++)
            {
                if (inside.GetGeometryN(i) is not LineString { IsEmpty: false } line) continue;
                var metres = Measure.LengthMeters(line);
                if (metres > 0) pieces.Add((new LengthIndexedLine(line), line.Length, metres));
            }
        }
        if (pieces.Count == 0) return [];

        var cumulative = new double[pieces.Count];
        var total = 0.0;
        for (var i = 0; i < pieces.Count; i++) cumulative[i] = total += pieces[i].Weight;

        var random = new Random(seed);
        var start = new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5));
        var seconds = (start.AddYears(1) - start).TotalSeconds;
        var factory = area.Factory;
        var incidents = new List<Incident>();
        foreach (var (category, count) in countsByCategory)
        {
            for (var n = 0; n < count; n++)
            {
                var pick = Array.BinarySearch(cumulative, random.NextDouble() * total);
                var piece = pieces[pick < 0 ? Math.Min(~pick, pieces.Count - 1) : pick];
                var c = piece.Line.ExtractPoint(random.NextDouble() * piece.End);
                incidents.Add(new Incident
                {
                    Category = category,
                    Location = factory.CreatePoint(new Coordinate(Math.Round(c.X, 7), Math.Round(c.Y, 7))),
                    OccurredAt = start.AddSeconds(Math.Floor(random.NextDouble() * seconds)),
                    IsSynthetic = true,
                });
            }
        }
        return incidents.OrderBy(i => i.OccurredAt).ToList();
    }
}
