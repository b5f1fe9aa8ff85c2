using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>The JSON options that read and write GeoJSON (RFC 7946) with NetTopologySuite.</summary>
public static class GeoJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            MaxDepth = 64,
            // Accents and '&' in links stay readable ("Jirón", not "Jir\u00F3n").
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        options.Converters.Add(new GeoJsonConverterFactory());
        return options;
    }

    /// <summary>A FeatureCollection with the paging members of OGC API - Features (numberMatched, numberReturned, links).</summary>
    public static IResult FeatureCollection(IReadOnlyList<IFeature> features, int? numberMatched, IEnumerable<Link> links) =>
        new FeatureCollectionResult(features, numberMatched, links.ToList());

    public static IResult Feature(IFeature feature, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(feature, Options, "application/geo+json", statusCode);

    public sealed record Link(string Href, string Rel, string Type, string? Title = null);

    private sealed class FeatureCollectionResult(IReadOnlyList<IFeature> features, int? numberMatched, List<Link> links) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = "application/geo+json";
            // Written to the response pipe, which never blocks; features go out in 64 KiB flushes, not one big buffer.
            var pipe = http.Response.BodyWriter;
            await using var writer = new Utf8JsonWriter(pipe);
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            if (numberMatched is { } m) writer.WriteNumber("numberMatched", m);
            writer.WriteNumber("numberReturned", features.Count);
            writer.WritePropertyName("links");
            JsonSerializer.Serialize(writer, links, Options);
            writer.WritePropertyName("features");
            writer.WriteStartArray();
            long flushed = 0;
            foreach (var f in features)
            {
                JsonSerializer.Serialize(writer, f, Options);
                if (writer.BytesCommitted + writer.BytesPending - flushed < 64 * 1024) continue;
                writer.Flush();
                flushed = writer.BytesCommitted;
                await pipe.FlushAsync(http.RequestAborted);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
            await pipe.FlushAsync(http.RequestAborted);
        }
    }
}
