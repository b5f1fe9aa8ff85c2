using System.Text.Json;
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
            return (null, RequestProblem.UnsupportedMediaType(
                $"Unsupported media type: send the GeoJSON Feature with Content-Type: application/geo+json (or application/json), not {(string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : request.ContentType)}."));
        if (request.ContentLength > maxBytes) return (null, TooLarge(maxBytes));
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) return (null, TooLarge(maxBytes));
        }
        if (buffer.Length == 0)
            return (null, RequestProblem.Malformed("Empty body", "The request body is empty; send a GeoJSON Feature."));

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (GeoJsonScan.InvalidUtf8(bytes.Span) is { } where8)
            return (null, RequestProblem.Malformed("Invalid UTF-8", $"The body is not valid UTF-8 at {where8}; JSON is UTF-8 text."));
        int sourceEpsg;
        IFeature? feature;
        try
        {
            using (var doc = JsonDocument.Parse(bytes, GeoJsonScan.DocumentOptions))
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object ||
                    !doc.RootElement.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "Feature")
                    return (null, RequestProblem.Malformed("Not a GeoJSON Feature", "The body must be a GeoJSON object with \"type\": \"Feature\"."));
                sourceEpsg = Crs.Wgs84;
                if (doc.RootElement.TryGetProperty("crs", out var crs) && crs.ValueKind == JsonValueKind.Object &&
                    crs.TryGetProperty("properties", out var props) && props.ValueKind == JsonValueKind.Object &&
                    props.TryGetProperty("name", out var name))
                {
                    if (name.ValueKind != JsonValueKind.String)
                        return (null, RequestProblem.Malformed("Unknown CRS",
                            $"crs.properties.name must be a string such as \"EPSG:32717\", not {Short(name.GetRawText())}."));
                    sourceEpsg = Crs.Parse(name.GetString() ?? "");
                }
                if (doc.RootElement.TryGetProperty("geometry", out var geometry))
                {
                    // Counted before NTS builds anything: a million vertices costs reading the text, not gigabytes.
                    var scan = GeoJsonScan.Count(geometry);
                    if (scan.Problem is not null)
                        return (null, RequestProblem.Refused("Invalid coordinate", $"In the geometry, {scan.Problem}."));
                    if (InputLimits.TooMany("the geometry", scan.Count, InputLimits.VerticesPerGeometry, "vertices") is { } many)
                        return (null, RequestProblem.Refused("Too many vertices", many + "."));
                }
                if (doc.RootElement.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                    foreach (var p in properties.EnumerateObject())
                        if (p.Value.ValueKind == JsonValueKind.String && TextLimit(p.Name) is { } limit &&
                            InputLimits.TooLong(p.Name, p.Value.GetString(), limit) is { } tooLong)
                            return (null, RequestProblem.Refused("Too long", tooLong + "."));
            }
            feature = JsonSerializer.Deserialize<IFeature>(bytes.Span, GeoJson.Options);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "";
            return (null, RequestProblem.Malformed("Malformed GeoJSON", $"The body is not valid GeoJSON{where}: {FirstSentence(ex.Message)}"));
        }
        catch (UnknownCrsException ex)
        {
            return (null, RequestProblem.Malformed("Unknown CRS", ex.Message));
        }
        catch (ArgumentException ex) // NTS refuses impossible geometry, e.g. a ring that does not close
        {
            return (null, RequestProblem.Refused("Invalid geometry", FirstSentence(ex.Message)));
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or NotSupportedException or OverflowException)
        {
            // A member of the wrong JSON kind deep inside the geometry or properties: NTS's reader says which.
            return (null, RequestProblem.Malformed("Malformed GeoJSON", $"The body is not a usable GeoJSON Feature: {FirstSentence(ex.Message)}"));
        }
        if (feature?.Geometry is null)
            return (null, RequestProblem.Malformed("No geometry", "The Feature has no geometry."));
        feature.Geometry = Flat2D.Of(feature.Geometry);
        if (sourceEpsg != Crs.Wgs84)
        {
            try { feature.Geometry = Crs.Transform(feature.Geometry, sourceEpsg, Crs.Wgs84); }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or ArithmeticException)
            {
                return (null, RequestProblem.Refused("Invalid coordinate", $"The coordinates cannot be moved from EPSG:{sourceEpsg} to EPSG:4326."));
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
        RequestProblem.TooLarge($"The body is larger than the {maxBytes / (1024 * 1024)} MiB allowed here.");

    private static string Short(string text) => text.Length <= 24 ? text : text[..24] + "…";

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
