using System.Text.Json;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>Reads one GeoJSON Feature from a request body: size-limited, with clear errors, moved to EPSG:4326.</summary>
public static class GeoJsonBody
{
    /// <summary>The feature, or the ProblemDetails result that explains why there is none.</summary>
    public static async Task<(IFeature? Feature, RequestProblem? Error)> ReadFeatureAsync(HttpRequest request, long maxBytes, CancellationToken ct)
    {
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
        int sourceEpsg;
        IFeature? feature;
        try
        {
            using (var doc = JsonDocument.Parse(bytes))
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object ||
                    !doc.RootElement.TryGetProperty("type", out var type) || type.GetString() != "Feature")
                    return (null, RequestProblem.Malformed("Not a GeoJSON Feature", "The body must be a GeoJSON object with \"type\": \"Feature\"."));
                sourceEpsg = Crs.Wgs84;
                if (doc.RootElement.TryGetProperty("crs", out var crs) &&
                    crs.TryGetProperty("properties", out var props) && props.TryGetProperty("name", out var name))
                    sourceEpsg = Crs.Parse(name.GetString() ?? "");
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
        if (feature?.Geometry is null)
            return (null, RequestProblem.Malformed("No geometry", "The Feature has no geometry."));
        if (sourceEpsg != Crs.Wgs84)
            feature.Geometry = Crs.Transform(feature.Geometry, sourceEpsg, Crs.Wgs84);
        feature.Geometry.SRID = Crs.Wgs84;
        return (feature, null);
    }

    private static RequestProblem TooLarge(long maxBytes) =>
        RequestProblem.TooLarge($"The body is larger than the {maxBytes / (1024 * 1024)} MiB allowed here.");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
