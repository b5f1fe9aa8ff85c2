using BarrioSeguro.Geo.Core.Notes;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace BarrioSeguro.Geo.IO.GeoJson;

/// <summary>
/// GeoJSON files. Reading accepts a FeatureCollection, a single Feature or a bare geometry, and honours the legacy
/// (2008) <c>crs</c> member, e.g. <c>urn:ogc:def:crs:EPSG::32717</c>; without one the coordinates are EPSG:4326 as
/// RFC 7946 says. Writing is RFC 7946 (EPSG:4326, no <c>crs</c> member, counter-clockwise outer rings) unless the caller
/// asks for another CRS: then the coordinates are in that CRS and a legacy <c>crs</c> member names it, which GDAL,
/// QGIS and this reader honour (chosen over refusing, because UTM GeoJSON is what field teams measure on).
/// </summary>
public static class GeoJsonFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new GeoJsonConverterFactory(false, GeoJsonConverterFactory.DefaultIdPropertyName, RingOrientationOption.EnforceRfc9746) },
        // Keep "Jirón" readable in the file instead of "Jir\u00f3n"; still valid JSON.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reads a GeoJSON file. Property values become string, long, double, bool, null, or raw JSON text for objects and arrays.</summary>
    /// <exception cref="InvalidVectorFileException">Empty, malformed (with line and position), not GeoJSON, or an unknown CRS.</exception>
    public static FeatureSet Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidVectorFileException(path, Note.Of("io.not_found"));
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().Trim(" \t\r\n\uFEFF"u8).IsEmpty)
            throw new InvalidVectorFileException(path, Note.Of("io.empty_file"));

        if (GeoJsonScan.InvalidUtf8At(bytes.AsSpan(Bom(bytes))) is { } where8)
            throw new InvalidVectorFileException(path, where8 > 0 ? Note.Of("io.geojson_not_utf8", ("byte", where8)) : Note.Of("io.geojson_not_utf8_somewhere"));

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(bytes.AsMemory(Bom(bytes)), GeoJsonScan.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidVectorFileException(path, e.LineNumber is { } line
                ? Note.Of("io.geojson_malformed_at", ("line", line + 1), ("position", (e.BytePositionInLine ?? 0) + 1))
                : Note.Of("io.geojson_malformed"), e);
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                throw new InvalidVectorFileException(path, Note.Of("io.geojson_no_type"));

            var epsg = ReadCrs(path, root);
            var features = new List<IFeature>();
            switch (type.GetString())
            {
                case "FeatureCollection":
                    if (!root.TryGetProperty("features", out var array) || array.ValueKind != JsonValueKind.Array)
                        throw new InvalidVectorFileException(path, Note.Of("io.geojson_no_features"));
                    if (InputLimits.FileFeatures(array.GetArrayLength()) is { } many)
                        throw new InvalidVectorFileException(path, many);
                    long total = 0;
                    var n = 0;
                    foreach (var f in array.EnumerateArray()) // counted before any geometry is built
                        if (f.ValueKind == JsonValueKind.Object && f.TryGetProperty("geometry", out var fg))
                            total += Scanned(path, fg, ++n);
                    if (InputLimits.FileVertices(total) is { } huge)
                        throw new InvalidVectorFileException(path, huge);
                    var i = 0;
                    foreach (var f in array.EnumerateArray()) features.Add(ReadFeature(path, f, ++i, epsg));
                    break;
                case "Feature":
                    if (root.TryGetProperty("geometry", out var rg)) Scanned(path, rg, 1);
                    features.Add(ReadFeature(path, root, 1, epsg));
                    break;
                default:
                    Scanned(path, root, 1);
                    features.Add(new Feature(ReadGeometry(path, root, 1, epsg), new AttributesTable()));
                    break;
            }
            return new FeatureSet(features, epsg);
        }
    }

    /// <summary>
    /// Writes features as a GeoJSON FeatureCollection, moved from <paramref name="sourceEpsg"/> to
    /// <paramref name="targetEpsg"/> (4326 for RFC 7946; any other supported code adds a legacy <c>crs</c> member).
    /// </summary>
    /// <returns>The number of features written.</returns>
    public static int Write(Stream output, IEnumerable<IFeature> features, int sourceEpsg, int targetEpsg = Crs.Wgs84)
    {
        // One feature at a time: a stream of any length is written without being held.
        var moved = sourceEpsg == targetEpsg ? features : features.Select(f => (IFeature)new Feature(
            f.Geometry is null ? null : Crs.Transform(f.Geometry, sourceEpsg, targetEpsg), f.Attributes ?? new AttributesTable()));
        var count = 0;
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = Options.Encoder });
        w.WriteStartObject();
        w.WriteString("type", "FeatureCollection");
        if (targetEpsg != Crs.Wgs84)
        {
            w.WriteStartObject("crs");
            w.WriteString("type", "name");
            w.WriteStartObject("properties");
            w.WriteString("name", $"urn:ogc:def:crs:EPSG::{targetEpsg}");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteStartArray("features");
        foreach (var f in moved)
        {
            count++;
            w.WriteStartObject();
            w.WriteString("type", "Feature");
            w.WriteStartObject("properties");
            if (f.Attributes is { } attributes)
                foreach (var name in attributes.GetNames())
                    WriteValue(w, name, attributes[name]);
            w.WriteEndObject();
            w.WritePropertyName("geometry");
            if (f.Geometry is null) w.WriteNullValue();
            else JsonSerializer.Serialize(w, f.Geometry, Options);
            w.WriteEndObject();
            // The writer holds what it wrote until flushed: hand it on every 64 KiB.
            if (w.BytesPending > 1 << 16) w.Flush();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        return count;
    }

    private static void WriteValue(Utf8JsonWriter w, string name, object? value)
    {
        switch (value)
        {
            case null: w.WriteNull(name); break;
            case string s: w.WriteString(name, s); break;
            case bool b: w.WriteBoolean(name, b); break;
            case double d when !double.IsFinite(d): w.WriteNull(name); break;
            case float f when !float.IsFinite(f): w.WriteNull(name); break;
            case byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal:
                w.WritePropertyName(name);
                JsonSerializer.Serialize(w, value, value.GetType(), Options);
                break;
            case JsonElement e: w.WritePropertyName(name); e.WriteTo(w); break;
            default: w.WriteString(name, AttributeSchema.AsText(value)); break;
        }
    }

    private static int ReadCrs(string path, JsonElement root)
    {
        if (!root.TryGetProperty("crs", out var crs) || crs.ValueKind == JsonValueKind.Null) return Crs.Wgs84;
        string? name = null;
        if (crs.ValueKind == JsonValueKind.Object && crs.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
        {
            if (props.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String) name = n.GetString();
            else if (props.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number) name = "EPSG:" + c.GetRawText();
        }
        if (name is null) throw new InvalidVectorFileException(path, Note.Of("io.geojson_bad_crs", ("crs", crs.GetRawText())));
        try { return Crs.Parse(name); }
        catch (UnknownCrsException e) { throw new InvalidVectorFileException(path, Note.Of("io.geojson_unknown_crs", ("crs", name)), e); }
    }

    /// <summary>The vertices of a geometry, counted and checked before it is built.</summary>
    private static long Scanned(string path, JsonElement geometry, int index)
    {
        var scan = GeoJsonScan.Count(geometry);
        if (scan.Issue is { } issue) throw new InvalidVectorFileException(path, Note.Of("io.feature_not_finite", ("feature", index), ("value", issue.Args["value"])));
        if (InputLimits.FeatureVertices(index, scan.Count) is { } big)
            throw new InvalidVectorFileException(path, big);
        return scan.Count;
    }

    private static Feature ReadFeature(string path, JsonElement f, int index, int epsg)
    {
        if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("type", out var t) || t.ValueKind != JsonValueKind.String || t.GetString() != "Feature")
            throw new InvalidVectorFileException(path, Note.Of("io.geojson_not_feature", ("feature", index)));
        var geometry = f.TryGetProperty("geometry", out var g) ? ReadGeometry(path, g, index, epsg) : null;
        var attributes = new AttributesTable();
        if (f.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object)
            foreach (var p in props.EnumerateObject())
                if (!attributes.Exists(p.Name)) attributes.Add(p.Name, Value(p.Value));
        return new Feature(geometry, attributes);
    }

    private static Geometry? ReadGeometry(string path, JsonElement g, int index, int epsg)
    {
        if (g.ValueKind == JsonValueKind.Null) return null;
        try
        {
            var geometry = g.Deserialize<Geometry>(Options);
            if (geometry is not null) geometry.SRID = epsg;
            return geometry;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.geojson_bad_geometry", ("feature", index), ("detail", FirstLine(e.Message))), e);
        }
    }

    private static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out var l) ? (object)l : e.GetDouble(), // (object): else l widens to double
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => e.GetRawText(),
    };

    private static int Bom(byte[] bytes) => bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;

    private static string FirstLine(string text) => text.ReplaceLineEndings("\n").Split('\n')[0];
}
