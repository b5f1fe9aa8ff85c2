using System.Globalization;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>Parsing of the query parameters shared by the feature endpoints.</summary>
public static class QueryParameters
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 10000;

    /// <summary>Parses "minLon,minLat,maxLon,maxLat" (EPSG:4326); null and the reason (a note) when it is not one.</summary>
    public static (Envelope? Box, Note? Error) ParseBbox(string? bbox)
    {
        if (string.IsNullOrWhiteSpace(bbox)) return (null, null);
        var parts = bbox.Split(',');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                return (null, Note.Of("api.bbox_not_number", ("value", parts[i])));
        }
        if (values.Length != 4) return (null, Note.Of("api.bbox_count", ("count", values.Length)));
        var (minX, minY, maxX, maxY) = (values[0], values[1], values[2], values[3]);
        if (minX < -180 || maxX > 180 || minY < -90 || maxY > 90)
            return (null, Note.Of("api.bbox_degrees"));
        if (minX > maxX || minY > maxY) return (null, Note.Of("api.bbox_order"));
        var box = new Envelope(minX, maxX, minY, maxY);
        if (!InputGeometryCheck.PeruExtent.Intersects(box) && InputGeometryCheck.PeruExtent.Intersects(new Envelope(minY, maxY, minX, maxX)))
            return (null, Note.Of("api.bbox_swapped"));
        return (box, null);
    }
}
