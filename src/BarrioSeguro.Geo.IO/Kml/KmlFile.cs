using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Kml;

/// <summary>
/// KML 2.2 (OGC 07-147r2) as Google Earth, QGIS and GDAL (LIBKML and KML drivers) read it. Written by hand: no KML
/// library is served for .NET 10 here (SharpKml is not), and the part used is small.
/// <list type="bullet">
/// <item>Always WGS 84 longitude,latitude (KML has no other CRS), 7 decimals (about 1 cm).</item>
/// <item>One <c>Document</c> named after the layer, a <c>Schema</c> whose <c>SimpleField</c>s type the attributes
/// (int, double, bool, string), and one <c>Placemark</c> per feature with its values in <c>ExtendedData/SchemaData</c>;
/// the placemark's <c>name</c> is its <c>name</c> or <c>label</c> attribute when there is one.</item>
/// <item>Point, LineString, Polygon (outer and inner rings), Multi* and collections as <c>MultiGeometry</c>.</item>
/// <item>UTF-8 without BOM; names and values XML-escaped by the writer.</item>
/// </list>
/// </summary>
public static class KmlFile
{
    private const string Ns = "http://www.opengis.net/kml/2.2";
    private static readonly XNamespace K = Ns;

    /// <summary>Writes the features (coordinates in <paramref name="sourceEpsg"/>) as one KML document; returns the number written.</summary>
    public static int Write(Stream output, string layerName, IEnumerable<IFeature> features, int sourceEpsg) =>
        Write(output, layerName, Layer.InMemory(features, sourceEpsg, Crs.Wgs84));

    /// <summary>Writes a layer already in EPSG:4326, one feature at a time.</summary>
    internal static int Write(Stream output, string layerName, Layer layer)
    {
        var moved = layer.Features;
        var columns = layer.Columns;
        var schemaId = SchemaId(layerName);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false };
        using var w = XmlWriter.Create(output, settings);
        w.WriteStartDocument();
        w.WriteStartElement("kml", Ns);
        w.WriteStartElement("Document", Ns);
        w.WriteAttributeString("id", "root_doc");
        w.WriteStartElement("Schema", Ns);
        w.WriteAttributeString("name", layerName);
        w.WriteAttributeString("id", schemaId);
        foreach (var c in columns)
        {
            w.WriteStartElement("SimpleField", Ns);
            w.WriteAttributeString("name", c.Name);
            w.WriteAttributeString("type", TypeOf(c.Kind));
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteStartElement("Folder", Ns);
        w.WriteElementString("name", Ns, layerName);
        foreach (var f in moved)
        {
            w.WriteStartElement("Placemark", Ns);
            if (NameOf(f) is { } name) w.WriteElementString("name", Ns, name);
            w.WriteStartElement("ExtendedData", Ns);
            w.WriteStartElement("SchemaData", Ns);
            w.WriteAttributeString("schemaUrl", "#" + schemaId);
            foreach (var c in columns)
            {
                var value = f.Attributes?.Exists(c.Name) == true ? f.Attributes[c.Name] : null;
                if (value is null) continue; // an absent SimpleData is KML's null
                w.WriteStartElement("SimpleData", Ns);
                w.WriteAttributeString("name", c.Name);
                w.WriteString(AttributeSchema.AsText(value));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            if (f.Geometry is { IsEmpty: false } g) WriteGeometry(w, g);
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndDocument();
        return layer.Count;
    }

    /// <summary>
    /// Reads the placemarks of a KML file (in any folder depth): their geometry (Point, LineString, Polygon,
    /// MultiGeometry), <c>name</c>, <c>description</c> and the values of <c>ExtendedData</c> (SchemaData typed by their
    /// Schema; Data as text). Always EPSG:4326; altitudes are dropped.
    /// </summary>
    /// <exception cref="InvalidVectorFileException">Not well-formed XML, or not KML.</exception>
    public static FeatureSet Read(string path)
    {
        XDocument doc;
        try
        {
            using var stream = File.OpenRead(path);
            doc = XDocument.Load(stream, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.xml_malformed", ("line", e.LineNumber), ("detail", e.Message.ReplaceLineEndings(" "))));
        }
        var root = doc.Root;
        if (root is null || root.Name.LocalName != "kml")
            throw new InvalidVectorFileException(path, Note.Of("io.kml_not_kml"));
        var ns = root.Name.Namespace;
        var types = root.Descendants(ns + "Schema")
            .SelectMany(s => s.Elements(ns + "SimpleField").Select(f => (Schema: "#" + (string?)s.Attribute("id"), Name: (string?)f.Attribute("name"), Type: (string?)f.Attribute("type"))))
            .Where(x => x.Name is not null)
            .GroupBy(x => x.Name!).ToDictionary(g => g.Key, g => g.First().Type ?? "string", StringComparer.Ordinal);
        var factory = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        var features = new List<IFeature>();
        foreach (var p in root.Descendants(ns + "Placemark"))
        {
            var attributes = new AttributesTable();
            if (p.Element(ns + "name") is { } n) attributes.Add("name", n.Value);
            if (p.Element(ns + "description") is { } d) attributes.Add("description", d.Value);
            if (p.Element(ns + "ExtendedData") is { } data)
            {
                foreach (var s in data.Descendants(ns + "SimpleData"))
                    if ((string?)s.Attribute("name") is { } field && !attributes.Exists(field))
                        attributes.Add(field, Typed(s.Value, types.GetValueOrDefault(field, "string"), path, s));
                foreach (var s in data.Elements(ns + "Data"))
                    if ((string?)s.Attribute("name") is { } field && !attributes.Exists(field))
                        attributes.Add(field, s.Element(ns + "value")?.Value);
            }
            var shape = p.Elements().FirstOrDefault(e => e.Name.LocalName is "Point" or "LineString" or "LinearRing" or "Polygon" or "MultiGeometry");
            features.Add(new Feature(shape is null ? null : ReadGeometry(shape, ns, factory, path), attributes));
        }
        return new FeatureSet(features, Crs.Wgs84);
    }

    private static object? Typed(string text, string type, string path, XElement at)
    {
        if (string.IsNullOrEmpty(text) && type != "string") return null;
        try
        {
            return type switch
            {
                "int" or "short" or "uint" or "ushort" => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                "float" or "double" => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
                "bool" => text.Trim() is "1" or "true" or "TRUE" or "True",
                _ => text,
            };
        }
        catch (FormatException)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.kml_bad_value", ("line", ((IXmlLineInfo)at).LineNumber), ("value", text), ("type", type)));
        }
        catch (OverflowException)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.kml_out_of_range", ("line", ((IXmlLineInfo)at).LineNumber), ("value", text), ("type", type)));
        }
    }

    private static Geometry ReadGeometry(XElement e, XNamespace ns, GeometryFactory factory, string path)
    {
        Coordinate[] Coords(XElement? parent)
        {
            var text = parent?.Element(ns + "coordinates")?.Value ?? "";
            var list = new List<Coordinate>();
            foreach (var tuple in text.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = tuple.Split(',');
                if (parts.Length < 2
                    || !double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
                    || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat))
                    throw new InvalidVectorFileException(path, Note.Of("io.kml_bad_tuple", ("line", ((IXmlLineInfo)parent!).LineNumber), ("value", tuple)));
                list.Add(new Coordinate(lon, lat));
            }
            return [.. list];
        }
        LinearRing Ring(XElement? boundary) => factory.CreateLinearRing(Coords(boundary?.Element(ns + "LinearRing")));
        try
        {
            return e.Name.LocalName switch
            {
                "Point" => Coords(e) is [var c, ..] ? factory.CreatePoint(c) : factory.CreatePoint(),
                "LineString" => factory.CreateLineString(Coords(e)),
                "LinearRing" => factory.CreateLinearRing(Coords(e)),
                "Polygon" => factory.CreatePolygon(Ring(e.Element(ns + "outerBoundaryIs")),
                    e.Elements(ns + "innerBoundaryIs").Select(Ring).ToArray()),
                _ => Multi(e.Elements().Where(c => c.Name.LocalName is "Point" or "LineString" or "LinearRing" or "Polygon" or "MultiGeometry")
                    .Select(c => ReadGeometry(c, ns, factory, path)).ToArray(), factory),
            };
        }
        catch (ArgumentException ex)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.kml_bad_geometry", ("line", ((IXmlLineInfo)e).LineNumber), ("element", e.Name.LocalName), ("detail", ex.Message.ReplaceLineEndings(" "))));
        }
    }

    private static Geometry Multi(Geometry[] parts, GeometryFactory factory) => parts switch
    {
        _ when parts.Length > 0 && parts.All(p => p is Point) => factory.CreateMultiPoint(parts.Cast<Point>().ToArray()),
        _ when parts.Length > 0 && parts.All(p => p is LineString) => factory.CreateMultiLineString(parts.Cast<LineString>().ToArray()),
        _ when parts.Length > 0 && parts.All(p => p is Polygon) => factory.CreateMultiPolygon(parts.Cast<Polygon>().ToArray()),
        _ => factory.CreateGeometryCollection(parts),
    };

    private static void WriteGeometry(XmlWriter w, Geometry g)
    {
        switch (g)
        {
            case Point p:
                w.WriteStartElement("Point", Ns);
                WriteCoordinates(w, [p.Coordinate]);
                w.WriteEndElement();
                break;
            case LinearRing r:
                w.WriteStartElement("LinearRing", Ns);
                WriteCoordinates(w, r.Coordinates);
                w.WriteEndElement();
                break;
            case LineString l:
                w.WriteStartElement("LineString", Ns);
                w.WriteElementString("tessellate", Ns, "1");
                WriteCoordinates(w, l.Coordinates);
                w.WriteEndElement();
                break;
            case Polygon poly:
                w.WriteStartElement("Polygon", Ns);
                WriteRing(w, "outerBoundaryIs", poly.Shell);
                foreach (var hole in poly.Holes) WriteRing(w, "innerBoundaryIs", hole);
                w.WriteEndElement();
                break;
            case GeometryCollection c:
                w.WriteStartElement("MultiGeometry", Ns);
                for (var i = 0; i < c.NumGeometries; i++)
                    if (!c.GetGeometryN(i).IsEmpty) WriteGeometry(w, c.GetGeometryN(i));
                w.WriteEndElement();
                break;
        }
    }

    private static void WriteRing(XmlWriter w, string boundary, LineString ring)
    {
        w.WriteStartElement(boundary, Ns);
        w.WriteStartElement("LinearRing", Ns);
        WriteCoordinates(w, ring.Coordinates);
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void WriteCoordinates(XmlWriter w, Coordinate[] coordinates)
    {
        var text = new StringBuilder();
        foreach (var c in coordinates)
        {
            if (text.Length > 0) text.Append(' ');
            text.Append(c.X.ToString("0.0000000", CultureInfo.InvariantCulture)).Append(',').Append(c.Y.ToString("0.0000000", CultureInfo.InvariantCulture));
        }
        w.WriteElementString("coordinates", Ns, text.ToString());
    }

    private static string TypeOf(AttributeKind kind) => kind switch
    {
        AttributeKind.Int32 => "int",
        AttributeKind.Int64 or AttributeKind.Double => "double", // KML's SimpleField has no 64-bit integer
        AttributeKind.Bool => "bool",
        _ => "string",
    };

    private static string? NameOf(IFeature f) =>
        f.Attributes is { } a
            ? (a.Exists("name") && a["name"] is { } n ? AttributeSchema.AsText(n) : a.Exists("label") && a["label"] is { } l ? AttributeSchema.AsText(l) : null)
            : null;

    // An XML id: letters, digits, '_' and '-', not starting with a digit.
    private static string SchemaId(string layer)
    {
        var id = new string(layer.Select(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' ? ch : '_').ToArray());
        return id.Length == 0 || !char.IsAsciiLetter(id[0]) ? "s_" + id : id;
    }
}
