using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Incidents;

/// <summary>A hot spot: where incidents gather, and how many lie within the radius.</summary>
public sealed record HotSpot(Point Place, int Incidents);

/// <summary>
/// The densest places among incidents, for patrol stops: greedily the incident with the most others within
/// <c>radiusMeters</c> (at least <c>minIncidents</c>), then the next one farther than <c>separationMeters</c> from those
/// chosen, up to <c>max</c>. Distances in the UTM zone of the data; the same incidents give the same hot spots.
/// </summary>
public static class HotSpots
{
    public static IReadOnlyList<HotSpot> Densest(
        IReadOnlyList<Point> incidents, int max, double radiusMeters = 150, double separationMeters = 300, int minIncidents = 2)
    {
        if (incidents.Count == 0 || max <= 0) return [];
        var zone = Crs.UtmZoneFor(incidents[0]);
        var utm = incidents.Select(i => Crs.Transform(i, Crs.Wgs84, zone)).ToList();
        var score = utm.Select(p => utm.Count(q => q.Distance(p) <= radiusMeters)).ToList();
        var chosen = new List<HotSpot>();
        var picked = new List<Point>();
        foreach (var i in Enumerable.Range(0, utm.Count).OrderByDescending(i => score[i]).ThenBy(i => i))
        {
            if (chosen.Count >= max || score[i] < minIncidents) break;
            if (picked.Any(p => p.Distance(utm[i]) < separationMeters)) continue;
            picked.Add(utm[i]);
            chosen.Add(new HotSpot(incidents[i], score[i]));
        }
        return chosen;
    }
}
