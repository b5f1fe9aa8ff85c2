using System.Text.Json;
using NetTopologySuite.Features;
using NetTopologySuite.IO.Converters;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>The JSON options that read and write GeoJSON (RFC 7946) with NetTopologySuite.</summary>
public static class GeoJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { MaxDepth = 64 };
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
            await using var writer = new Utf8JsonWriter(http.Response.Body);
            writer.WriteStartObject();
            writer.WriteString("type", "FeatureCollection");
            if (numberMatched is { } m) writer.WriteNumber("numberMatched", m);
            writer.WriteNumber("numberReturned", features.Count);
            writer.WritePropertyName("links");
            JsonSerializer.Serialize(writer, links, Options);
            writer.WritePropertyName("features");
            writer.WriteStartArray();
            foreach (var f in features)
            {
                JsonSerializer.Serialize(writer, f, Options);
                if (writer.BytesPending > 64 * 1024) await writer.FlushAsync(http.RequestAborted);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
            await writer.FlushAsync(http.RequestAborted);
        }
    }
}
