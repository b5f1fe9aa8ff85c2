using System.Text.Json;
using BarrioSeguro.Geo.Core.Filters;
using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Converters;

namespace BarrioSeguro.Geo.IO.Cql2;

/// <summary>
/// A reader of the CQL2 JSON encoding (OGC 21-065r2, cql2.json schema) into the same tree as <see cref="Cql2Text"/>:
/// {"op": "=", "args": [{"property": "class"}, "primary"]}, {"op": "s_intersects", "args": [{"property": "geometry"},
/// {"type": "Point", "coordinates": [-77, -12]}]}, {"bbox": [...]}, {"timestamp": "..."}, {"date": "..."}.
/// Refusals name the place as a JSON pointer.
/// </summary>
public static class Cql2Json
{
    /// <exception cref="Cql2Exception">Not JSON, not CQL2 JSON (with the pointer), or a limit passed.</exception>
    public static CqlNode Parse(string json)
    {
        if (json.Length > Cql2Limits.MaxLength)
            throw new Cql2Exception(Note.Of("cql.too_long", ("length", json.Length), ("max", Cql2Limits.MaxLength)));
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = Cql2Limits.MaxDepth * 2 });
        }
        catch (JsonException e)
        {
            var depth = e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase);
            throw depth
                ? new Cql2Exception(Note.Of("cql.too_deep", ("pos", (int)(e.BytePositionInLine ?? 0) + 1), ("max", Cql2Limits.MaxDepth)))
                : new Cql2Exception(Note.Of("cql.json_syntax", ("line", (int)(e.LineNumber ?? 0) + 1), ("pos", (int)(e.BytePositionInLine ?? 0) + 1)));
        }
        using (doc)
        {
            var reader = new Reader();
            return reader.Predicate(doc.RootElement, "");
        }
    }

    private sealed class Reader
    {
        private int _vertices;

        private static Cql2Exception Bad(string path, string expected) =>
            new(Note.Of("cql.json_expected", ("path", path.Length == 0 ? "/" : path), ("expected", expected)));

        public CqlNode Predicate(JsonElement e, string path)
        {
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return new CqlBoolean(e.GetBoolean());
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("op", out var opElement) || opElement.ValueKind != JsonValueKind.String)
                throw Bad(path, "{\"op\": ..., \"args\": [...]}");
            var op = opElement.GetString()!;
            if (!e.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Array)
                throw Bad(path + "/args", "an array");
            var items = args.EnumerateArray().ToList();
            string At(int i) => $"{path}/args/{i}";
            void Count(int n)
            {
                if (items.Count != n)
                    throw new Cql2Exception(Note.Of("cql.json_args", ("path", path + "/args"), ("op", op), ("count", n), ("given", items.Count)));
            }
            switch (op)
            {
                case "and" or "or":
                    if (items.Count < 2)
                        throw new Cql2Exception(Note.Of("cql.json_args", ("path", path + "/args"), ("op", op), ("count", 2), ("given", items.Count)));
                    return new CqlLogical(op == "and", items.Select((a, i) => Predicate(a, At(i))).ToList());
                case "not":
                    Count(1);
                    return new CqlNot(Predicate(items[0], At(0)));
                case "isNull":
                    Count(1);
                    return new CqlIsNull(Scalar(items[0], At(0)));
            }
            if (Comparisons.TryGetValue(op, out var compare))
            {
                Count(2);
                return new CqlComparison(compare, Scalar(items[0], At(0)), Scalar(items[1], At(1)));
            }
            if (Spatial.TryGetValue(op, out var spatial))
            {
                Count(2);
                return new CqlSpatial(spatial, GeometryOperand(items[0], At(0)), GeometryOperand(items[1], At(1)));
            }
            throw new Cql2Exception(Note.Of("cql.json_unknown_op", ("path", path + "/op"), ("op", op),
                ("known", Comparisons.Keys.Concat(Spatial.Keys).Concat(["and", "or", "not", "isNull"]).ToArray())));
        }

        private static readonly Dictionary<string, CqlComparisonOp> Comparisons = new(StringComparer.Ordinal)
        {
            ["="] = CqlComparisonOp.Equal, ["<>"] = CqlComparisonOp.NotEqual, ["<"] = CqlComparisonOp.Less,
            ["<="] = CqlComparisonOp.LessOrEqual, [">"] = CqlComparisonOp.Greater, [">="] = CqlComparisonOp.GreaterOrEqual,
        };

        private static readonly Dictionary<string, CqlSpatialOp> Spatial = new(StringComparer.Ordinal)
        {
            ["s_intersects"] = CqlSpatialOp.Intersects, ["s_disjoint"] = CqlSpatialOp.Disjoint, ["s_equals"] = CqlSpatialOp.Equals,
            ["s_touches"] = CqlSpatialOp.Touches, ["s_within"] = CqlSpatialOp.Within, ["s_overlaps"] = CqlSpatialOp.Overlaps,
            ["s_crosses"] = CqlSpatialOp.Crosses, ["s_contains"] = CqlSpatialOp.Contains,
        };

        private CqlNode Scalar(JsonElement e, string path)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String: return new CqlText(e.GetString()!);
                case JsonValueKind.Number:
                    return e.TryGetDouble(out var d) && double.IsFinite(d) ? new CqlNumber(d) : throw Bad(path, "a finite number");
                case JsonValueKind.True or JsonValueKind.False: return new CqlBoolean(e.GetBoolean());
                case JsonValueKind.Object:
                    if (Member(e, "property") is { } p) return new CqlProperty(p);
                    if (Member(e, "timestamp") is { } t)
                        return Cql2Literals.Timestamp(t) is { } ts ? new CqlTimestamp(ts) : throw new Cql2Exception(Note.Of("cql.json_bad_timestamp", ("path", path + "/timestamp"), ("text", t)));
                    if (Member(e, "date") is { } ds)
                        return Cql2Literals.Date(ds) is { } day ? new CqlDate(day) : throw new Cql2Exception(Note.Of("cql.json_bad_date", ("path", path + "/date"), ("text", ds)));
                    break;
            }
            throw Bad(path, "a string, a number, a boolean, {\"property\": ...}, {\"timestamp\": ...} or {\"date\": ...}");
        }

        private static string? Member(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

        private static readonly JsonSerializerOptions GeoJsonOptions = new() { Converters = { new GeoJsonConverterFactory() } };

        private CqlNode GeometryOperand(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Object) throw Bad(path, "{\"property\": ...}, a GeoJSON geometry or {\"bbox\": [...]}");
            if (Member(e, "property") is { } p) return new CqlProperty(p);
            if (e.TryGetProperty("bbox", out var box) && !e.TryGetProperty("type", out _))
            {
                if (box.ValueKind != JsonValueKind.Array || box.EnumerateArray().Any(n => n.ValueKind != JsonValueKind.Number))
                    throw Bad(path + "/bbox", "an array of 4 or 6 numbers");
                var numbers = box.EnumerateArray().Select(n => n.GetDouble()).ToList();
                return new CqlGeometry(Cql2Literals.Bbox(numbers)
                    ?? throw new Cql2Exception(Note.Of("cql.json_bad_bbox", ("path", path + "/bbox"), ("count", numbers.Count))));
            }
            if (!e.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                throw Bad(path, "{\"property\": ...}, a GeoJSON geometry or {\"bbox\": [...]}");
            Geometry? geometry;
            try
            {
                geometry = e.Deserialize<Geometry>(GeoJsonOptions);
            }
            catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or NotSupportedException or FormatException)
            {
                throw new Cql2Exception(Note.Of("cql.json_bad_geometry", ("path", path), ("reason", ex.Message)));
            }
            if (geometry is null) throw Bad(path, "a GeoJSON geometry");
            _vertices += geometry.NumPoints;
            if (_vertices > Cql2Limits.MaxVertices)
                throw new Cql2Exception(Note.Of("cql.json_too_many_vertices", ("path", path), ("max", Cql2Limits.MaxVertices)));
            return new CqlGeometry(geometry);
        }
    }
}
