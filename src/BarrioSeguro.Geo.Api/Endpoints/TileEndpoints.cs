using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Tiles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Caching.Memory;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// OGC API - Tiles (vector tiles, WebMercatorQuad) for the base layers and the police layers, made by PostGIS
/// (<see cref="TileStore"/>), with a TileJSON 3.0.0 per tileset. A tile's ETag is its table's data version (and the
/// reader's districts for police layers): If-None-Match gives 304, and tile bytes are kept in <see cref="TileCache"/>.
/// </summary>
public static class TileEndpoints
{
    public const string MediaType = "application/vnd.mapbox-vector-tile";
    public const string MatrixSet = "WebMercatorQuad";
    public const string MatrixSetUri = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
    private const string Crs3857 = "http://www.opengis.net/def/crs/EPSG/0/3857";

    public static IServiceCollection AddTiles(this IServiceCollection services)
    {
        services.AddScoped<TileStore>();
        services.AddSingleton<TileCache>();
        return services;
    }

    public static IEndpointRouteBuilder MapTiles(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/collections/{name}/tiles").WithTags("Tiles");
        group.MapGet("/", List).WithSummary("The vector tilesets of a collection (OGC API - Tiles): one, in WebMercatorQuad.");
        group.MapGet("/{tileMatrixSetId}", Metadata)
            .WithSummary("The tileset's metadata (OGC API - Tiles): its layer, zooms, and links to the tile template and its TileJSON.");
        group.MapGet("/{tileMatrixSetId}/tilejson", TileJson)
            .WithSummary("The tileset as TileJSON 3.0.0 (for MapLibre, OpenLayers' TileJSON source, QGIS).");
        group.MapGet("/{tileMatrixSetId}/{z}/{y}/{x}", Tile)
            .Produces(StatusCodes.Status200OK, typeof(byte[]), MediaType)
            .Produces(StatusCodes.Status204NoContent)
            .Produces(StatusCodes.Status304NotModified)
            .WithSummary("One Mapbox vector tile (z 0-24; y is the row from the north, x the column from the west), one layer named as the collection. " +
                         "No feature in it: 204 with no body. ETag = the data version; If-None-Match gives 304. Streets: main roads from z10, " +
                         "secondary and tertiary from z12, residential from z13, every class from z14.");
        return app;
    }

    public sealed record TilesetList(IReadOnlyList<TilesetSummary> Tilesets, IReadOnlyList<GeoJson.Link> Links);

    public sealed record TilesetSummary(
        string Title, string DataType, string Crs,
        [property: JsonPropertyName("tileMatrixSetURI")] string TileMatrixSetUri,
        IReadOnlyList<GeoJson.Link> Links);

    public sealed record TilesetLayer(string Id, string DataType, string GeometryType, string MinTileMatrix, string MaxTileMatrix,
        IReadOnlyDictionary<string, string> Properties);

    public sealed record TilesetMetadata(
        string Title, string DataType, string Crs,
        [property: JsonPropertyName("tileMatrixSetURI")] string TileMatrixSetUri,
        IReadOnlyList<TilesetLayer> Layers, IReadOnlyList<GeoJson.Link> Links);

    public sealed record VectorLayer(string Id, string Description, IReadOnlyDictionary<string, string> Fields,
        [property: JsonPropertyName("minzoom")] int MinZoom, [property: JsonPropertyName("maxzoom")] int MaxZoom);

    /// <summary>TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0).</summary>
    public sealed record TileJsonDocument(
        [property: JsonPropertyName("tilejson")] string Version, string Name, string Scheme, IReadOnlyList<string> Tiles,
        [property: JsonPropertyName("minzoom")] int MinZoom, [property: JsonPropertyName("maxzoom")] int MaxZoom,
        double[]? Bounds, [property: JsonPropertyName("vector_layers")] IReadOnlyList<VectorLayer> VectorLayers);

    public static Results<JsonOk<TilesetList>, NotFoundProblem> List(string name, HttpRequest request)
    {
        if (TileStore.Find(name) is not { } c) return NoTileset(name);
        var tiles = Self(request, name);
        return GeoJson.Ok(new TilesetList(
            [new TilesetSummary(c.Title, "vector", Crs3857, MatrixSetUri, MetadataLinks(tiles))],
            [new GeoJson.Link(tiles, "self", "application/json")]));
    }

    public static Results<JsonOk<TilesetMetadata>, NotFoundProblem> Metadata(string name, string tileMatrixSetId, HttpRequest request)
    {
        if (TileStore.Find(name) is not { } c) return NoTileset(name);
        if (tileMatrixSetId != MatrixSet) return NoMatrixSet(tileMatrixSetId);
        var tiles = Self(request, name);
        return GeoJson.Ok(new TilesetMetadata(c.Title, "vector", Crs3857, MatrixSetUri,
            [new TilesetLayer(c.Name, "vector", c.GeometryType, c.MinZoom.ToString(CultureInfo.InvariantCulture),
                TileStore.MaxZoom.ToString(CultureInfo.InvariantCulture), c.Fields)],
            MetadataLinks(tiles)));
    }

    public static async Task<Results<JsonOk<TileJsonDocument>, NotFoundProblem>> TileJson(
        string name, string tileMatrixSetId, HttpRequest request, TileStore store, CancellationToken ct)
    {
        if (TileStore.Find(name) is not { } c) return NoTileset(name);
        if (tileMatrixSetId != MatrixSet) return NoMatrixSet(tileMatrixSetId);
        var bounds = await store.BoundsAsync(name, request.HttpContext.User.DistrictsOf(), ct);
        return GeoJson.Ok(new TileJsonDocument("3.0.0", c.Title, "xyz", [$"{Self(request, name)}/{MatrixSet}/{{z}}/{{y}}/{{x}}"],
            0, TileStore.MaxZoom, bounds,
            [new VectorLayer(c.Name, c.Title, c.Fields, c.MinZoom, TileStore.MaxZoom)]));
    }

    public static async Task<Results<TileResult, BadRequestProblem, NotFoundProblem>> Tile(
        string name, string tileMatrixSetId, string z, string y, string x, HttpRequest request, TileStore store, TileCache cache, CancellationToken ct)
    {
        if (TileStore.Find(name) is null) return NoTileset(name);
        if (tileMatrixSetId != MatrixSet) return NoMatrixSet(tileMatrixSetId);
        foreach (var (label, value) in new[] { ("z", z), ("y", y), ("x", x) })
            if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                return Problems.BadRequest("Invalid tile", Note.Of("tiles.not_integer", ("name", label), ("value", value)));
        var (zi, yi, xi) = (Parse(z), Parse(y), Parse(x));
        if (!TileStore.InMatrix(zi, xi, yi))
            return Problems.NotFound(Note.Of("tiles.outside_matrix", ("z", zi), ("y", yi), ("x", xi), ("maxZoom", TileStore.MaxZoom),
                ("last", zi is >= 0 and <= 30 ? (1L << zi) - 1 : 0)));

        var districts = TileStore.DistrictLimited.Contains(name) ? request.HttpContext.User.DistrictsOf() : [];
        var version = await store.VersionAsync(name, ct);
        var etag = ETag(version, districts);
        var isPublic = AccessTable.PublicCollections.Contains(name);
        if (NoneMatch(request, etag)) return new TileResult(null, etag, isPublic, NotModified: true);
        var key = $"{name}/{etag}/{zi}/{xi}/{yi}";
        if (!cache.TryGet(key, out var bytes))
        {
            bytes = await store.TileAsync(name, zi, xi, yi, districts, ct);
            cache.Set(key, bytes);
        }
        return new TileResult(bytes, etag, isPublic);
    }

    private static int Parse(string s) => int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    /// <summary>A strong ETag: the data version, and for a district-limited reader a digest of the districts.</summary>
    public static string ETag(long version, IReadOnlyCollection<string> districts)
    {
        if (districts.Count == 0) return $"\"v{version}\"";
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(',', districts.Order(StringComparer.Ordinal))));
        return $"\"v{version}-{Convert.ToHexString(digest, 0, 6).ToLowerInvariant()}\"";
    }

    /// <summary>If-None-Match names the tile's ETag (weak comparison, as RFC 9110 says for it) or is *.</summary>
    private static bool NoneMatch(HttpRequest request, string etag)
    {
        foreach (var value in request.Headers.IfNoneMatch)
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                if (part == "*" || (part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part) == etag) return true;
        return false;
    }

    private static string Self(HttpRequest request, string name) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}/api/collections/{name}/tiles";

    private static List<GeoJson.Link> MetadataLinks(string tiles) =>
    [
        new($"{tiles}/{MatrixSet}", "self", "application/json", "Tileset metadata"),
        new(MatrixSetUri, "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "application/json", "WebMercatorQuad"),
        new($"{tiles}/{MatrixSet}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}", "item", MediaType, "Mapbox vector tiles (template)"),
        new($"{tiles}/{MatrixSet}/tilejson", "describedby", "application/json", "TileJSON 3.0.0"),
    ];

    private static NotFoundProblem NoTileset(string name) =>
        Problems.NotFound(Note.Of("tiles.no_tileset", ("collection", name), ("tiled", TileStore.Collections.Select(c => c.Name).ToArray())));

    private static NotFoundProblem NoMatrixSet(string id) =>
        Problems.NotFound(Note.Of("tiles.no_matrix_set", ("tileMatrixSet", id), ("known", new[] { MatrixSet })));

    /// <summary>200 with the tile's bytes, 204 for an empty tile, 304 for a matching If-None-Match; ETag and Cache-Control on all.</summary>
    public sealed record TileResult(byte[]? Bytes, string ETag, bool Public, bool NotModified = false) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            var headers = http.Response.Headers;
            headers.ETag = ETag;
            // Revalidated every time (a 304 costs one indexed row): an edit shows on the next pan, never a stale tile.
            headers.CacheControl = Public ? "public, no-cache" : "private, no-cache";
            headers.Vary = "Authorization";
            if (NotModified) { http.Response.StatusCode = StatusCodes.Status304NotModified; return Task.CompletedTask; }
            if (Bytes is not { Length: > 0 }) { http.Response.StatusCode = StatusCodes.Status204NoContent; return Task.CompletedTask; }
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = MediaType;
            http.Response.ContentLength = Bytes.Length;
            return http.Response.Body.WriteAsync(Bytes, http.RequestAborted).AsTask();
        }
    }
}

/// <summary>
/// Tile bytes by collection, ETag and tile, bounded by <see cref="LimitBytes"/> (least recently used go first). An edit
/// changes the ETag, so older tiles are never served again and age out.
/// </summary>
public sealed class TileCache() : BoundedCache<byte[]>(LimitBytes)
{
    /// <summary>The cache's limit: 64 MiB of tile bytes (a z12-z16 view of a city is a few MiB).</summary>
    public const long LimitBytes = 64L * 1024 * 1024;

    public void Set(string key, byte[] bytes) => Keep(key, bytes, bytes.Length);
}
