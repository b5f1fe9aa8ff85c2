using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.GeoJson;
using Microsoft.Net.Http.Headers;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Reads one GeoJSON Feature from a request body: JSON content type only, size-limited, checked before any geometry is
/// built (UTF-8, nesting, vertex count, finite numbers), moved to EPSG:4326, Z and M dropped (the 2D is kept).
/// </summary>
public static class GeoJsonBody
{
    /// <summary>
    /// application/json, application/geo+json or another +json type. Anything else (or none) is refused, which also
    /// refuses the CORS "simple request" a page of another site may send without asking (text/plain, a form).
    /// </summary>
    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var type)
        && (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The feature, or the ProblemDetails result that explains why there is none.</summary>
    public static async Task<(IFeature? Feature, RequestProblem? Error)> ReadFeatureAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
        if (!IsJson(request.ContentType))
            return (null, RequestProblem.UnsupportedMediaType(string.IsNullOrEmpty(request.ContentType)
                ? Note.Of("api.send_geojson_none")
                : Note.Of("api.send_geojson", ("type", request.ContentType))));
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) return (null, TooLarge(maxBytes));
        }
        return ParseFeature(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>The feature in these bytes with the same checks as a request body (a merged PATCH is read here too).</summary>
    public static (IFeature? Feature, RequestProblem? Error) ParseFeature(ReadOnlyMemory<byte> bytes, bool geometryRequired = true)
    {
        if (bytes.Length == 0)
            return (null, RequestProblem.Malformed("Empty body", Note.Of("api.body_empty")));

        if (GeoJsonScan.InvalidUtf8(bytes.Span) is not null)
            return (null, RequestProblem.Malformed("Invalid UTF-8", Note.Of("api.body_not_utf8", ("byte", FirstInvalidByte(bytes.Span)))));
        int sourceEpsg;
        IFeature? feature;
        try
        {
            using (var doc = JsonDocument.Parse(bytes, GeoJsonScan.DocumentOptions))
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object ||
                    !doc.RootElement.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
                    return (null, RequestProblem.Malformed("Not a GeoJSON Feature", Note.Of("api.not_a_feature")));
                sourceEpsg = Crs.Wgs84;
                if (doc.RootElement.TryGetProperty("crs", out var crs) && crs.ValueKind == JsonValueKind.Object &&
                    crs.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object &&
                    props.TryGetProperty("name", out var name))
                {
                    if (name.ValueKind != JsonValueKind.String)
                        return (null, RequestProblem.Malformed("Unknown CRS", Note.Of("api.crs_name_not_string", ("value", Short(name.GetRawText())))));
                    sourceEpsg = Crs.Parse(name.GetString() ?? "");
                }
                if (doc.RootElement.TryGetProperty("geometry", out var geometry))
                {
                    // Counted before NTS builds anything: a million vertices costs reading the text, not gigabytes.
                    var scan = GeoJsonScan.Count(geometry);
                    if (scan.Problem is not null)
                        return (null, RequestProblem.Refused("Invalid coordinate", Note.Of("api.coordinate_not_finite", ("value", NumberIn(scan.Problem)))));
                    if (scan.Count > InputLimits.VerticesPerGeometry)
                        return (null, RequestProblem.Refused("Too many vertices",
                            Note.Of("api.too_many_vertices", ("count", scan.Count), ("limit", InputLimits.VerticesPerGeometry))));
                }
                if (doc.RootElement.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                    foreach (var p in properties.EnumerateObject())
                        if (p.Value.ValueKind == JsonValueKind.String && TextLimit(p.Name) is { } limit &&
                            TooLong(p.Name, p.Value.GetString(), limit) is { } tooLong)
                            return (null, RequestProblem.Refused("Too long", tooLong));
            }
            feature = JsonSerializer.Deserialize<IFeature>(bytes.Span, GeoJson.Options);
        }
        catch (JsonException ex)
        {
            // .NET's own words stay in "error" (English, for logs); the detail says where, in the reader's language.
            var error = new Dictionary<string, object?> { ["error"] = FirstSentence(ex.Message) };
            return (null, RequestProblem.Malformed("Malformed GeoJSON", ex.LineNumber is { } line
                ? Note.Of("api.geojson_malformed_at", ("line", line + 1), ("byte", (ex.BytePositionInLine ?? 0) + 1))
                : Note.Of("api.geojson_malformed"), error));
        }
        catch (UnknownCrsException ex)
        {
            return (null, RequestProblem.Malformed("Unknown CRS", ApiErrors.UnknownCrs(ex)));
        }
        catch (ArgumentException ex) // NTS refuses impossible geometry, e.g. a ring that does not close
        {
            return (null, RequestProblem.Refused("Invalid geometry", Note.Of("api.geometry_impossible"),
                new Dictionary<string, object?> { ["error"] = FirstSentence(ex.Message) }));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NotSupportedException or OverflowException)
        {
            // A member of the wrong JSON kind deep inside the geometry or properties: NTS's reader says which.
            return (null, RequestProblem.Malformed("Malformed GeoJSON", Note.Of("api.feature_unusable"),
                new Dictionary<string, object?> { ["error"] = FirstSentence(ex.Message) }));
        }
        if (feature is not null && feature.Geometry is null && !geometryRequired) return (feature, null);
        if (feature?.Geometry is null)
            return (null, RequestProblem.Malformed("No geometry", Note.Of("api.feature_no_geometry")));
        feature.Geometry = Flat2D.Of(feature.Geometry);
        if (sourceEpsg != Crs.Wgs84)
        {
            try { feature.Geometry = Crs.Transform(feature.Geometry, sourceEpsg, Crs.Wgs84); }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ArithmeticException)
            {
                return (null, RequestProblem.Refused("Invalid coordinate", Note.Of("api.coordinates_not_movable", ("epsg", sourceEpsg))));
            }
        }
        feature.Geometry.SRID = Crs.Wgs84;
        return (feature, null);
    }

    /// <summary>The length limit of a text property the service keeps; null for the others (the body cap bounds them).</summary>
    public static int? TextLimit(string property) => property switch
    {
        "name" => InputLimits.NameLength,
        "description" => InputLimits.DescriptionLength,
        "comment" => InputLimits.CommentLength,
        "author" => InputLimits.AuthorLength,
        _ => null,
    };

    private static RequestProblem TooLarge(long maxBytes) =>
        RequestProblem.TooLarge(Note.Of("api.body_over_mib", ("mib", maxBytes / (1024 * 1024))));

    /// <summary>A text over its length limit as a note; null within it or absent.</summary>
    public static Note? TooLong(string field, string? value, int limit) =>
        value is not null && value.Length > limit ? Note.Of("api.text_too_long", ("field", field), ("length", value.Length), ("limit", limit)) : null;

    /// <summary>The 1-based position of the first byte that is not UTF-8.</summary>
    private static long FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        try { new UTF8Encoding(false, true).GetCharCount(bytes); }
        catch (DecoderFallbackException e) { return e.Index + 1; }
        return 0;
    }

    /// <summary>The number the scan names ("the coordinate 1e400 is not a finite number"), else the whole text.</summary>
    private static string NumberIn(string problem)
    {
        var m = System.Text.RegularExpressions.Regex.Match(problem, @"coordinate (.+) is not");
        return m.Success ? m.Groups[1].Value : problem;
    }

    private static string Short(string text) => text.Length <= 24 ? text : text[..24] + "…";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
