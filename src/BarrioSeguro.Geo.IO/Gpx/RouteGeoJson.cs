using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.GeoJson;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Gpx;

/// <summary>
/// A patrol route as GeoJSON features: the route line (kind "track", with the route figures) and a point per stop
/// (kind "stop": hot spot, minutes, arrival time, detour). Written with <see cref="GeoJsonFile"/>: RFC 7946 WGS84 by
/// default, or any supported CRS.
/// </summary>
public static class RouteGeoJson
{
    /// <summary>Feature kinds, the same in the API's routes GeoJSON.</summary>
    public const string TrackKind = "track", StopKind = "stop";

    /// <summary>The features, in the route's CRS.</summary>
    public static List<IFeature> Features(PatrolRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var factory = new GeometryFactory(new PrecisionModel(), route.Epsg);
        var coords = new List<Coordinate>();
        foreach (var p in route.Track)
            if (coords.Count == 0 || !coords[^1].Equals2D(p.Position)) coords.Add(p.Position.Copy());
        if (coords.Count == 1) coords.Add(coords[0].Copy());
        var f = route.Figures;
        var features = new List<IFeature>();
        if (coords.Count >= 2)
            features.Add(new Feature(factory.CreateLineString([.. coords]), new AttributesTable
            {
                { "kind", TrackKind },
                { "name", route.Name },
                { "start", route.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") },
                { "lengthKm", Math.Round(f.LengthKm, 3) },
                { "durationMin", Math.Round(f.DurationMin, 1) },
                { "deadheadPct", Math.Round(f.DeadheadPct, 1) },
                { "streetsCoveredPct", Math.Round(f.StreetsCoveredPct, 1) },
                { "rounds", f.Rounds },
                { "stops", route.Stops.Count },
            }));
        foreach (var s in route.Stops)
            features.Add(new Feature(factory.CreatePoint(s.Position.Copy()), new AttributesTable
            {
                { "kind", StopKind },
                { "route", route.Name },
                { "hotspotId", s.HotspotId },
                { "name", s.Name },
                { "minutes", s.Minutes },
                { "arrive", route.Start.AddSeconds(Math.Round(s.ArriveSeconds)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") },
                { "detour", s.Detour },
            }));
        return features;
    }

    /// <summary>Writes the route as a GeoJSON FeatureCollection in <paramref name="targetEpsg"/>; returns the number of features.</summary>
    public static int Write(Stream output, PatrolRoute route, int targetEpsg = Crs.Wgs84) =>
        GeoJsonFile.Write(output, Features(route), route.Epsg, targetEpsg);
}
