using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using System.Text;
using System.Xml;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Gpx;

/// <summary>
/// Features as GPX 1.1, for layers of lines and points such as a plan's routes: each point a <c>&lt;wpt&gt;</c>, each
/// line a <c>&lt;trk&gt;</c> with one <c>&lt;trkseg&gt;</c> per part. The name is the feature's <c>name</c> or
/// <c>label</c>, the type its <c>kind</c>; every attribute also goes in <c>&lt;extensions&gt;</c> (GDAL reads them as
/// fields). WGS 84 lon/lat only, 7 decimals. <see cref="GpxWriter"/> writes a computed route with its timed points.
/// </summary>
public static class GpxFeatures
{
    private const string Ns = "http://www.topografix.com/GPX/1/1";
    private const string Ext = "https://barrioseguro.example/gpx/1";

    /// <summary>Writes the features; returns the number written.</summary>
    /// <exception cref="InvalidVectorFileException">A polygon: GPX holds points and lines only.</exception>
    public static int Write(Stream output, string path, IEnumerable<IFeature> features, int sourceEpsg)
    {
        var moved = FeatureTransform.To(features, sourceEpsg, Crs.Wgs84);
        var index = moved.FindIndex(f => f.Geometry is Polygon or MultiPolygon);
        if (index >= 0)
            throw new InvalidVectorFileException(path, Note.Of("io.gpx_polygon", ("feature", index + 1), ("type", moved[index].Geometry.GeometryType)));
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false };
        using var w = XmlWriter.Create(output, settings);
        w.WriteStartDocument();
        w.WriteStartElement("gpx", Ns);
        w.WriteAttributeString("version", "1.1");
        w.WriteAttributeString("creator", "BarrioSeguro.Geo");
        w.WriteAttributeString("xmlns", "barrio", null, Ext);
        w.WriteStartElement("metadata", Ns);
        w.WriteElementString("name", Ns, Path.GetFileNameWithoutExtension(path));
        w.WriteEndElement();
        // GPX 1.1 orders waypoints before tracks.
        foreach (var f in moved)
            foreach (var p in Parts(f.Geometry).OfType<Point>())
            {
                w.WriteStartElement("wpt", Ns);
                LatLon(w, p.Coordinate);
                Describe(w, f);
                w.WriteEndElement();
            }
        foreach (var f in moved)
        {
            var lines = Parts(f.Geometry).OfType<LineString>().ToList();
            if (lines.Count == 0) continue;
            w.WriteStartElement("trk", Ns);
            Describe(w, f);
            foreach (var line in lines)
            {
                w.WriteStartElement("trkseg", Ns);
                foreach (var c in line.Coordinates)
                {
                    w.WriteStartElement("trkpt", Ns);
                    LatLon(w, c);
                    w.WriteEndElement();
                }
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndDocument();
        return moved.Count;
    }

    private static IEnumerable<Geometry> Parts(Geometry? g)
    {
        if (g is null || g.IsEmpty) yield break;
        if (g is GeometryCollection c)
        {
            for (var i = 0; i < c.NumGeometries; i++)
                foreach (var p in Parts(c.GetGeometryN(i))) yield return p;
        }
        else yield return g;
    }

    // name, type and extensions, in the order GPX 1.1 gives them (name ... type, extensions last).
    private static void Describe(XmlWriter w, IFeature f)
    {
        var a = f.Attributes;
        string? Text(string key) => a is not null && a.Exists(key) && a[key] is { } v ? AttributeSchema.AsText(v) : null;
        if ((Text("name") ?? Text("label")) is { } name) w.WriteElementString("name", Ns, name);
        if (Text("kind") is { } kind) w.WriteElementString("type", Ns, kind);
        if (a is null || a.Count == 0) return;
        w.WriteStartElement("extensions", Ns);
        foreach (var key in a.GetNames())
            if (a[key] is { } value && XmlConvert.EncodeLocalName(key) == key)
                w.WriteElementString("barrio", key, Ext, AttributeSchema.AsText(value));
        w.WriteEndElement();
    }

    private static void LatLon(XmlWriter w, Coordinate c)
    {
        w.WriteAttributeString("lat", c.Y.ToString("0.0000000", CultureInfo.InvariantCulture));
        w.WriteAttributeString("lon", c.X.ToString("0.0000000", CultureInfo.InvariantCulture));
    }
}
