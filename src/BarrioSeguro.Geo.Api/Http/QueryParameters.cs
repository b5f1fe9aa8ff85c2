using System.Globalization;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>Parsing of the query parameters shared by the feature endpoints.</summary>
public static class QueryParameters
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10000;

    /// <summary>Parses "minLon,minLat,maxLon,maxLat" (EPSG:4326); null and a message when it is not one.</summary>
    public static (Envelope? Box, string? Error) ParseBbox(string? bbox)
    {
        if (string.IsNullOrWhiteSpace(bbox)) return (null, null);
        var parts = bbox.Split(',');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                return (null, $"bbox value '{parts[i]}' is not a number.");
        }
        if (values.Length != 4) return (null, $"bbox needs 4 numbers (minLon,minLat,maxLon,maxLat), got {values.Length}.");
        var (minX, minY, maxX, maxY) = (values[0], values[1], values[2], values[3]);
        if (minX < -180 || maxX > 180 || minY < -90 || maxY > 90)
            return (null, "bbox must be longitude/latitude in degrees (EPSG:4326): longitude within ±180, latitude within ±90.");
        if (minX > maxX || minY > maxY) return (null, "bbox minimum is greater than its maximum; the order is minLon,minLat,maxLon,maxLat.");
        var box = new Envelope(minX, maxX, minY, maxY);
        if (!InputGeometryCheck.PeruExtent.Intersects(box) && InputGeometryCheck.PeruExtent.Intersects(new Envelope(minY, maxY, minX, maxX)))
            return (null, "bbox looks like latitude,longitude: it misses Peru, but swapped it would not. The order is minLon,minLat,maxLon,maxLat.");
        return (box, null);
    }
}
