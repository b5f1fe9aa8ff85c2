using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Metadata;
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
    public static GeoJsonFeatureCollection FeatureCollection(IReadOnlyList<IFeature> features, int? numberMatched, IEnumerable<Link> links) =>
        new(features, numberMatched, links.ToList());

    /// <summary>One Feature, 200.</summary>
    public static GeoJsonFeature Feature(IFeature feature) => new(feature);

    /// <summary>A Feature just made, 201 with its address in Location.</summary>
    public static GeoJsonCreated Created(IFeature feature, string location) => new(feature, location);

    /// <summary>Any value written with these options (so features inside it are GeoJSON), 200 application/json.</summary>
    public static JsonOk<T> Ok<T>(T value) => new(value);

    public sealed record Link(string Href, string Rel, string Type, string? Title = null);

    internal const string MediaType = "application/geo+json";

    internal static void Declare(EndpointBuilder builder, int status, Type? type, string contentType) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, type, [contentType]));
}

/// <summary>200 with a GeoJSON Feature; with <see cref="WithETag"/> its version goes in the ETag header.</summary>
public sealed class GeoJsonFeature(IFeature feature) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private int? _version;

    public IFeature Feature => feature;
    public int? StatusCode => StatusCodes.Status200OK;

    public GeoJsonFeature WithETag(int version)
    {
        _version = version;
        return this;
    }

    public Task ExecuteAsync(HttpContext http)
    {
        if (_version is { } v) http.Response.Headers.ETag = $"\"{v}\"";
        return Results.Json(feature, GeoJson.Options, GeoJson.MediaType, StatusCodes.Status200OK).ExecuteAsync(http);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        GeoJson.Declare(builder, StatusCodes.Status200OK, typeof(IFeature), GeoJson.MediaType);
}

/// <summary>201 with the GeoJSON Feature just made, its address in Location and its version in ETag.</summary>
public sealed class GeoJsonCreated(IFeature feature, string location) : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private int? _version;

    public IFeature Feature => feature;
    public string Location => location;
    public int? StatusCode => StatusCodes.Status201Created;

    public GeoJsonCreated WithETag(int version)
    {
        _version = version;
        return this;
    }

    public Task ExecuteAsync(HttpContext http)
    {
        if (_version is { } v) http.Response.Headers.ETag = $"\"{v}\"";
        http.Response.Headers.Location = location;
        return Results.Json(feature, GeoJson.Options, GeoJson.MediaType, StatusCodes.Status201Created).ExecuteAsync(http);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        GeoJson.Declare(builder, StatusCodes.Status201Created, typeof(IFeature), GeoJson.MediaType);
}

/// <summary>200 with any value written by <see cref="GeoJson.Options"/> (features inside it are GeoJSON).</summary>
public sealed class JsonOk<T>(T value) : IResult, IStatusCodeHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    public T? Value => value;
    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext http) => Results.Json(value, GeoJson.Options).ExecuteAsync(http);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        GeoJson.Declare(builder, StatusCodes.Status200OK, typeof(T), "application/json");
}

/// <summary>
/// 200 with a GeoJSON FeatureCollection, streamed: features go out in 64 KiB flushes, not one big buffer.
/// </summary>
public sealed class GeoJsonFeatureCollection(IReadOnlyList<IFeature> features, int? numberMatched, List<GeoJson.Link> links)
    : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public IReadOnlyList<IFeature> Features => features;
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = GeoJson.MediaType;
        // Written to the response pipe, which never blocks.
        var pipe = http.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(pipe);
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        if (numberMatched is { } m) writer.WriteNumber("numberMatched", m);
        writer.WriteNumber("numberReturned", features.Count);
        writer.WritePropertyName("links");
        JsonSerializer.Serialize(writer, links, GeoJson.Options);
        writer.WritePropertyName("features");
        writer.WriteStartArray();
        var flusher = new PipeFlusher(writer, pipe, http.RequestAborted);
        foreach (var f in features)
        {
            JsonSerializer.Serialize(writer, f, GeoJson.Options);
            await flusher.WhenFullAsync();
        }
        await flusher.EndAsync();
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        GeoJson.Declare(builder, StatusCodes.Status200OK, typeof(FeatureCollection), GeoJson.MediaType);
}

/// <summary>Flushes a JSON writer to the response pipe every 64 KiB, so a long page is sent as it is written and never
/// held whole; <see cref="EndAsync"/> closes the features array and the collection.</summary>
internal sealed class PipeFlusher(Utf8JsonWriter writer, System.IO.Pipelines.PipeWriter pipe, CancellationToken ct)
{
    private const int Chunk = 64 * 1024;
    private long flushed;

    public async ValueTask WhenFullAsync()
    {
        if (writer.BytesCommitted + writer.BytesPending - flushed < Chunk) return;
        writer.Flush();
        flushed = writer.BytesCommitted;
        await pipe.FlushAsync(ct);
    }

    /// <param name="afterArray">Called once the features array is written out, before the object ends.</param>
    public async ValueTask EndAsync(Action? afterArray = null)
    {
        writer.WriteEndArray();
        if (afterArray is not null)
        {
            writer.Flush();
            afterArray();
        }
        writer.WriteEndObject();
        writer.Flush();
        await pipe.FlushAsync(ct);
    }
}
