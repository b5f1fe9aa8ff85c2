using System.Globalization;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO;

/// <summary>Street lines for <see cref="BlockBuilder"/> from the features of a vector file with OSM attributes.</summary>
public static class StreetLines
{
    /// <summary>
    /// One <see cref="StreetLine"/> per feature with a geometry, in lon/lat: class from <c>highway</c> (else <c>class</c>,
    /// else "unclassified"), layer from <c>layer</c>, <c>bridge</c> and <c>tunnel</c> (see
    /// <see cref="StreetLine.LayerFromOsm"/>). Geometries are passed as they are, so non-lines reach the builder's checks.
    /// </summary>
    public static List<StreetLine> From(FeatureSet set)
    {
        var result = new List<StreetLine>(set.Count);
        foreach (var f in set.Features)
        {
            if (f.Geometry is null) continue;
            var g = Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84);
            result.Add(new StreetLine(g, Text(f, "highway") ?? Text(f, "class") ?? "unclassified",
                StreetLine.LayerFromOsm(Text(f, "layer"), Text(f, "bridge"), Text(f, "tunnel"))));
        }
        return result;
    }

    /// <summary>
    /// One <see cref="NetworkStreet"/> per feature with a geometry, in lon/lat, for <see cref="StreetGraph.Build"/>: class
    /// and layer as <see cref="From"/>, one-way from <c>oneway</c>, <c>junction</c> and the class
    /// (<see cref="NetworkStreet.OnewayFromOsm"/>; <c>oneway=-1</c> lines are reversed), name from <c>name</c>.
    /// </summary>
    public static List<NetworkStreet> Network(FeatureSet set)
    {
        var result = new List<NetworkStreet>(set.Count);
        foreach (var f in set.Features)
        {
            if (f.Geometry is null) continue;
            var g = Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84);
            var highway = Text(f, "highway") ?? Text(f, "class") ?? "unclassified";
            var oneway = NetworkStreet.OnewayFromOsm(Text(f, "oneway"), highway, Text(f, "junction"));
            if (oneway < 0) g = g.Reverse();
            result.Add(new NetworkStreet(g, highway, StreetLine.LayerFromOsm(Text(f, "layer"), Text(f, "bridge"), Text(f, "tunnel")),
                oneway != 0, Text(f, "name")));
        }
        return result;
    }

    /// <summary>The non-empty geometries of a feature set in lon/lat.</summary>
    public static List<Geometry> Geometries(FeatureSet set) =>
        set.Features.Where(f => f.Geometry is { IsEmpty: false }).Select(f => Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84)).ToList();

    private static string? Text(IFeature f, string name)
    {
        if (f.Attributes is null) return null;
        var key = f.Attributes.GetNames().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return key is not null && f.Attributes[key] is { } v && Convert.ToString(v, CultureInfo.InvariantCulture) is { Length: > 0 } s ? s : null;
    }
}
