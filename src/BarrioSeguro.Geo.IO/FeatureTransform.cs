using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.IO;

/// <summary>Features moved to another CRS: new features with new geometries, the caller's are never touched.</summary>
public static class FeatureTransform
{
    public static List<IFeature> To(IEnumerable<IFeature> features, int fromEpsg, int toEpsg) =>
        features.Select(f => (IFeature)new Feature(
            f.Geometry is null ? null : Crs.Transform(f.Geometry, fromEpsg, toEpsg),
            f.Attributes ?? new AttributesTable())).ToList();

    /// <summary>
    /// The WGS 84 UTM zone of the data: from the centre of the envelope of every geometry, taken to lon/lat.
    /// Data already in a WGS 84 UTM zone keeps that zone.
    /// </summary>
    public static int UtmZoneOf(IReadOnlyList<IFeature> features, int epsg)
    {
        if (epsg is >= 32601 and <= 32660 or >= 32701 and <= 32760) return epsg;
        var envelope = new NetTopologySuite.Geometries.Envelope();
        foreach (var f in features)
            if (f.Geometry is { IsEmpty: false } g) envelope.ExpandToInclude(g.EnvelopeInternal);
        return UtmZoneOf(envelope, epsg);
    }

    /// <summary>The WGS 84 UTM zone of the centre of an envelope in <paramref name="epsg"/> (a null envelope: EPSG:4326).</summary>
    public static int UtmZoneOf(NetTopologySuite.Geometries.Envelope envelope, int epsg)
    {
        if (epsg is >= 32601 and <= 32660 or >= 32701 and <= 32760) return epsg;
        if (envelope.IsNull) return Crs.Wgs84;
        var (lon, lat) = Crs.Transform(envelope.Centre.X, envelope.Centre.Y, epsg, Crs.Wgs84);
        return Crs.UtmZoneFor(lon, lat);
    }
}
