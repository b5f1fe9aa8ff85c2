using System.Buffers;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>The answer formats of the OGC endpoints: JSON (GeoJSON for features) or HTML for browsers.</summary>
public enum OgcFormat { Json, Html }

/// <summary>
/// Content negotiation of the OGC API - Features endpoints: ?f=json|html wins, else the Accept header by its q-values
/// (a browser's text/html first gives HTML, */* or none gives JSON); an Accept naming neither is a 406.
/// </summary>
public static class OgcNegotiation
{
    public static readonly IReadOnlyList<string> Formats = ["json", "html"];

    /// <summary>The format to answer in, or the problem (400 for an unknown f, 406 for an Accept the service cannot meet).</summary>
    public static (OgcFormat Format, ProblemResult? Problem) Pick(HttpRequest request, string jsonType)
    {
        if (request.Query.TryGetValue("f", out var f))
        {
            return f.ToString().ToLowerInvariant() switch
            {
                "json" or "geojson" => (OgcFormat.Json, null),
                "html" => (OgcFormat.Html, null),
                _ => (OgcFormat.Json, Problems.BadRequest("Invalid f", Note.Of("ogc.unknown_format", ("value", f.ToString()), ("formats", Formats.ToArray())))),
            };
        }
        var accept = request.Headers.Accept.ToString();
        if (string.IsNullOrWhiteSpace(accept)) return (OgcFormat.Json, null);
        if (!MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types) || types.Count == 0) return (OgcFormat.Json, null);
        double json = 0, html = 0;
        foreach (var t in types)
        {
            var q = t.Quality ?? 1;
            var name = t.MediaType.Value?.ToLowerInvariant() ?? "";
            if (name is "*/*") { json = Math.Max(json, q * 0.999); html = Math.Max(html, q * 0.998); }
            else if (name is "application/*" || name == jsonType || name is "application/json" or "application/geo+json" or "application/vnd.oai.openapi+json"
                     || (name.StartsWith("application/", StringComparison.Ordinal) && name.EndsWith("+json", StringComparison.Ordinal)))
                json = Math.Max(json, q);
            else if (name is "text/html" or "text/*" or "application/xhtml+xml") html = Math.Max(html, q);
        }
        if (json <= 0 && html <= 0)
            return (OgcFormat.Json, new NotAcceptableProblem(Note.Of("ogc.not_acceptable", ("accept", accept), ("types", new[] { jsonType, "text/html" }))));
        return (html > json ? OgcFormat.Html : OgcFormat.Json, null);
    }
}

/// <summary>406: the Accept header names no type the endpoint can answer in.</summary>
public sealed class NotAcceptableProblem(Note reason)
    : ProblemResult(StatusCodes.Status406NotAcceptable, "Not acceptable", reason, null), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status406NotAcceptable);
}

/// <summary>
/// Writes OGC API - Features features: a GeoJSON Feature with its top-level "id" (the collection's key) and its
/// self and collection links, its geometry in the asked CRS (PROJ; EPSG:4326 latitude first when asked by its EPSG URI).
/// </summary>
public static class OgcFeatureWriter
{
    public static object? IdOf(IFeature feature, string idProperty) =>
        feature is KeyedFeature k ? k.Key : feature.Attributes is { } a && a.Exists(idProperty) ? a[idProperty] : null;

    /// <summary>The chosen attributes of a feature (Part 3 properties) and its key, which they may leave out.</summary>
    public sealed class KeyedFeature(Geometry geometry, IAttributesTable attributes, object? key) : IFeature
    {
        public object? Key { get; } = key;
        public Geometry Geometry { get; set; } = geometry;
        public Envelope BoundingBox { get; set; } = geometry?.EnvelopeInternal!;
        public IAttributesTable Attributes { get; set; } = attributes;
    }

    public static string IdText(object? id) => Convert.ToString(id, CultureInfo.InvariantCulture) ?? "";

    /// <summary>The geometry in the target CRS (stored: EPSG:4326 longitude first).</summary>
    public static Geometry? Project(Geometry? geometry, OgcCrs crs)
    {
        if (geometry is null || crs.IsStorage) return geometry;
        var moved = Crs.Transform(geometry, Crs.Wgs84, crs.Epsg);
        if (crs.LatitudeFirst)
        {
            moved.Apply(new SwapAxes());
            moved.GeometryChanged();
        }
        return moved;
    }

    public static void Write(Utf8JsonWriter writer, IFeature feature, string idProperty, string collectionUrl, OgcCrs crs, string? itemQuery)
    {
        var id = IdOf(feature, idProperty);
        var idText = IdText(id);
        writer.WriteStartObject();
        writer.WriteString("type", "Feature");
        switch (id)
        {
            case int i: writer.WriteNumber("id", i); break;
            case long l: writer.WriteNumber("id", l); break;
            case null: break;
            default: writer.WriteString("id", idText); break;
        }
        writer.WritePropertyName("geometry");
        JsonSerializer.Serialize(writer, Project(feature.Geometry, crs), GeoJson.Options);
        writer.WritePropertyName("properties");
        if (feature.Attributes is null) writer.WriteNullValue();
        else JsonSerializer.Serialize(writer, feature.Attributes, GeoJson.Options);
        writer.WritePropertyName("links");
        writer.WriteStartArray();
        var self = $"{collectionUrl}/items/{Uri.EscapeDataString(idText)}{itemQuery}";
        WriteLink(writer, self, "self", GeoJson.MediaType);
        WriteLink(writer, collectionUrl, "collection", "application/json");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteLink(Utf8JsonWriter writer, string href, string rel, string type, string? title = null)
    {
        writer.WriteStartObject();
        writer.WriteString("href", href);
        writer.WriteString("rel", rel);
        writer.WriteString("type", type);
        if (title is not null) writer.WriteString("title", title);
        writer.WriteEndObject();
    }

    /// <summary>The Content-Crs header of Part 2: the CRS URI in angle brackets.</summary>
    public static void SetContentCrs(HttpResponse response, OgcCrs crs) => response.Headers["Content-Crs"] = $"<{crs.Uri}>";

    private sealed class SwapAxes : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var x = seq.GetX(i);
            seq.SetX(i, seq.GetY(i));
            seq.SetY(i, x);
        }
    }
}

/// <summary>
/// The items of a collection (OGC API - Features /items): GeoJSON streamed, or an HTML page. Either from features in
/// memory, or (the fast path of a base layer in its storage CRS, JSON) from <see cref="ItemPage"/>, written row by
/// row as the database sends them.
/// </summary>
public sealed class OgcItemsResult : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    private readonly IReadOnlyList<IFeature>? _features;
    private readonly ItemPage? _rows;
    private readonly Action<KeptItems>? _keep;
    private readonly KeptItems? _kept;
    private readonly int _numberMatched;
    private readonly IReadOnlyList<GeoJson.Link> _links;
    private readonly string _idProperty, _collectionUrl, _title;
    private readonly OgcCrs _crs;
    private readonly OgcFormat _format;

    public OgcItemsResult(IReadOnlyList<IFeature> features, int numberMatched, IReadOnlyList<GeoJson.Link> links, string idProperty,
        string collectionUrl, string title, OgcCrs crs, OgcFormat format)
    {
        (_features, _numberMatched, _links, _idProperty, _collectionUrl, _title, _crs, _format) =
            (features, numberMatched, links, idProperty, collectionUrl, title, crs, format);
    }

    /// <summary>
    /// The rows of a base layer, written as GeoJSON in its storage CRS; the result disposes them. When
    /// <paramref name="keep"/> is given, it gets the features as written once the last row is sent (not when the page
    /// is cut short, nor past <see cref="ItemPageCache.PageLimitBytes"/>).
    /// </summary>
    public OgcItemsResult(ItemPage rows, IReadOnlyList<GeoJson.Link> links, string idProperty, string collectionUrl, string title, OgcCrs crs,
        Action<KeptItems>? keep = null)
    {
        if (!crs.IsStorage) throw new ArgumentException("Rows are written in the storage CRS only.", nameof(crs));
        (_rows, _keep, _numberMatched, _links, _idProperty, _collectionUrl, _title, _crs, _format) =
            (rows, keep, rows.NumberMatched, links, idProperty, collectionUrl, title, crs, OgcFormat.Json);
    }

    /// <summary>A kept page of a base layer (<see cref="ItemPageCache"/>): its features as they were written, a new head.</summary>
    public OgcItemsResult(KeptItems kept, IReadOnlyList<GeoJson.Link> links, string idProperty, string collectionUrl, string title, OgcCrs crs)
    {
        if (!crs.IsStorage) throw new ArgumentException("Kept pages are in the storage CRS only.", nameof(crs));
        (_kept, _numberMatched, _links, _idProperty, _collectionUrl, _title, _crs, _format) =
            (kept, kept.NumberMatched, links, idProperty, collectionUrl, title, crs, OgcFormat.Json);
    }

    /// <summary>The features in memory; null when written from rows.</summary>
    public IReadOnlyList<IFeature>? Features => _features;
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext http)
    {
        if (_rows is not null)
        {
            await using (_rows) await WriteRowsAsync(http, _rows);
            return;
        }
        if (_kept is not null)
        {
            await WriteKeptAsync(http, _kept);
            return;
        }
        var (features, numberMatched, links, idProperty, collectionUrl, title, crs, format) =
            (_features!, _numberMatched, _links, _idProperty, _collectionUrl, _title, _crs, _format);
        OgcFeatureWriter.SetContentCrs(http.Response, crs);
        var itemQuery = crs.IsStorage ? null : "?crs=" + Uri.EscapeDataString(crs.Uri);
        if (format == OgcFormat.Html)
        {
            await OgcHtml.SendAsync(http, OgcHtml.Items(http.Request, title, collectionUrl, features, idProperty, numberMatched, links));
            return;
        }
        http.Response.ContentType = GeoJson.MediaType;
        var pipe = http.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(pipe, new JsonWriterOptions { Encoder = GeoJson.Options.Encoder });
        WriteHead(writer, numberMatched, features.Count, links);
        writer.WritePropertyName("features");
        writer.WriteStartArray();
        var flusher = new PipeFlusher(writer, pipe, http.RequestAborted);
        foreach (var f in features)
        {
            OgcFeatureWriter.Write(writer, f, idProperty, collectionUrl, crs, itemQuery);
            await flusher.WhenFullAsync();
        }
        await flusher.EndAsync();
    }

    // numberReturned goes before the features, so a page from rows is counted in the page query's own terms:
    // OFFSET/LIMIT of numberMatched.
    private void WriteHead(Utf8JsonWriter writer, int numberMatched, int numberReturned, IReadOnlyList<GeoJson.Link> links)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteNumber("numberMatched", numberMatched);
        writer.WriteNumber("numberReturned", numberReturned);
        writer.WriteString("timeStamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        writer.WritePropertyName("links");
        JsonSerializer.Serialize(writer, links, GeoJson.Options);
    }

    /// <summary>Each row written as it is read: id, PostGIS's GeoJSON geometry, attributes, links; flushed every 64 KiB.</summary>
    private async Task WriteRowsAsync(HttpContext http, ItemPage rows)
    {
        OgcFeatureWriter.SetContentCrs(http.Response, _crs);
        http.Response.ContentType = GeoJson.MediaType;
        var pipe = http.Response.BodyWriter;
        var copy = _keep is null ? null : new CopyingWriter(pipe, ItemPageCache.PageLimitBytes);
        await using var writer = new Utf8JsonWriter(copy ?? (IBufferWriter<byte>)pipe, new JsonWriterOptions { Encoder = GeoJson.Options.Encoder, SkipValidation = true });
        WriteHead(writer, rows.NumberMatched, rows.Returned, _links);
        writer.WritePropertyName("features");
        writer.Flush();
        copy?.Start();
        writer.WriteStartArray();
        var collection = new GeoJson.Link(_collectionUrl, "collection", "application/json");
        var itemsPrefix = _collectionUrl + "/items/";
        var flusher = new PipeFlusher(writer, pipe, http.RequestAborted);
        while (await rows.ReadAsync(http.RequestAborted))
        {
            var id = rows.Id;
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            if (id is int i) writer.WriteNumber("id", i);
            else writer.WriteString("id", (string)id);
            writer.WritePropertyName("geometry");
            rows.WriteGeometry(writer);
            writer.WritePropertyName("properties");
            rows.WriteProperties(writer);
            writer.WritePropertyName("links");
            writer.WriteStartArray();
            OgcFeatureWriter.WriteLink(writer, itemsPrefix + Uri.EscapeDataString(OgcFeatureWriter.IdText(id)), "self", GeoJson.MediaType);
            OgcFeatureWriter.WriteLink(writer, collection.Href, collection.Rel, collection.Type);
            writer.WriteEndArray();
            writer.WriteEndObject();
            await flusher.WhenFullAsync();
        }
        // The copy ends with the array: the head and the object's end are written anew for every request.
        await flusher.EndAsync(copy is null ? null : () =>
        {
            if (copy.Stop() is { } features) _keep!(new KeptItems(features, rows.NumberMatched, rows.Returned));
        });
    }

    private async Task WriteKeptAsync(HttpContext http, KeptItems kept)
    {
        OgcFeatureWriter.SetContentCrs(http.Response, _crs);
        http.Response.ContentType = GeoJson.MediaType;
        var pipe = http.Response.BodyWriter;
        await using var writer = new Utf8JsonWriter(pipe, new JsonWriterOptions { Encoder = GeoJson.Options.Encoder, SkipValidation = true });
        WriteHead(writer, kept.NumberMatched, kept.NumberReturned, _links);
        writer.WritePropertyName("features");
        writer.WriteRawValue(kept.Features, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();
        await pipe.FlushAsync(http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        GeoJson.Declare(builder, StatusCodes.Status200OK, typeof(FeatureCollection), GeoJson.MediaType);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/html"]));
    }
}

/// <summary>One feature (OGC API - Features /items/{id}) with its id and links, as GeoJSON or an HTML page.</summary>
public sealed class OgcItemResult(IFeature feature, string idProperty, string collectionUrl, string title, OgcCrs crs, OgcFormat format)
    : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public IFeature Feature => feature;
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext http)
    {
        OgcFeatureWriter.SetContentCrs(http.Response, crs);
        if (format == OgcFormat.Html)
        {
            await OgcHtml.SendAsync(http, OgcHtml.Items(http.Request, title, collectionUrl, [feature], idProperty, null, []));
            return;
        }
        http.Response.ContentType = GeoJson.MediaType;
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter, new JsonWriterOptions { Encoder = GeoJson.Options.Encoder });
        OgcFeatureWriter.Write(writer, feature, idProperty, collectionUrl, crs, crs.IsStorage ? null : "?crs=" + Uri.EscapeDataString(crs.Uri));
        writer.Flush();
        await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        GeoJson.Declare(builder, StatusCodes.Status200OK, typeof(IFeature), GeoJson.MediaType);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/html"]));
    }
}

/// <summary>A JSON document (landing page, conformance, collections) or its HTML page for browsers.</summary>
public sealed class OgcPageResult<T>(T value, Func<HttpRequest, string> html, OgcFormat format)
    : IResult, IStatusCodeHttpResult, IValueHttpResult<T>, IEndpointMetadataProvider
{
    public T? Value => value;
    public int? StatusCode => StatusCodes.Status200OK;

    public Task ExecuteAsync(HttpContext http) => format == OgcFormat.Html
        ? OgcHtml.SendAsync(http, html(http.Request))
        : Results.Json(value, GeoJson.Options).ExecuteAsync(http);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        GeoJson.Declare(builder, StatusCodes.Status200OK, typeof(T), "application/json");
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["text/html"]));
    }
}
