using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.IO;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>Read access to every published collection as GeoJSON, and export as files (shapefile, GeoPackage, GeoJSON, KML, CSV).</summary>
public static class CollectionsEndpoints
{
    public static IEndpointRouteBuilder MapCollections(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api", Landing).WithTags("Collections")
            .WithSummary("OGC API - Features landing page: QGIS, ArcGIS and GDAL (OAPIF:http://host/api) connect here.");
        app.MapGet("/api/conformance", Conformance).WithTags("Collections").WithSummary("OGC API - Features conformance classes.");
        var group = app.MapGroup("/api/collections").WithTags("Collections");
        group.MapGet("/", ListCollections).WithSummary("The published collections (OGC API - Features).");
        group.MapGet("/{name}", GetCollection).WithSummary("One collection with its extent.");
        group.MapGet("/{name}/items", GetItems).WithSummary("Features of a collection as a GeoJSON FeatureCollection, with bbox filter and paging.");
        group.MapGet("/{name}/queryables", FeatureFilters.GetQueryables).WithSummary("What filter and sortby may name (OGC API Features Part 3), as JSON Schema.");
        group.MapGet("/{name}/items/{id}", GetItem).AddEndpointFilter(FeatureEditEndpoints.ItemETag).WithSummary("One feature.");
        group.MapGet("/{name}/export", Export)
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/zip", "application/geopackage+sqlite3", "application/geo+json",
                "application/vnd.google-earth.kml+xml", "text/csv", "application/flatgeobuf")
            .MayWarn()
            .WithSummary("A collection as a file: format=shapefile (zip with .shp/.shx/.dbf/.prj/.cpg, the default), geopackage, geojson, kml, csv (WKT column; lon,lat for points) or flatgeobuf (with its spatial index); crs=EPSG:n (default: the UTM zone of the data for shapefile and geopackage, else EPSG:4326; GeoJSON and KML are always EPSG:4326). What the format cannot hold (shapefile field names over 10 bytes, text over 254 bytes) is named in X-Barrio-Warning headers.");
        return app;
    }

    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    public sealed record LandingPage(string Title, string Description, IReadOnlyList<GeoJson.Link> Links);

    public sealed record ConformanceClasses(IReadOnlyList<string> ConformsTo);

    public sealed record CollectionList(IReadOnlyList<CollectionView> Collections, IReadOnlyList<GeoJson.Link> Links);

    /// <summary>A collection as OGC API - Features describes it; Extent is left out when the collection is empty.</summary>
    public sealed record CollectionView(string Id, string Title, string ItemType, string GeometryType, IReadOnlyList<string> Crs,
        CollectionExtent? Extent, IReadOnlyList<GeoJson.Link> Links);

    public sealed record CollectionExtent(SpatialExtent Spatial);

    /// <summary>[[minLon, minLat, maxLon, maxLat]] in CRS84.</summary>
    public sealed record SpatialExtent(IReadOnlyList<double[]> Bbox, string Crs);

    public static JsonOk<LandingPage> Landing(HttpRequest request) => GeoJson.Ok(new LandingPage(
        "BarrioSeguro.Geo",
        "Patrol zoning for Peru's Barrio Seguro strategy: districts, neighbourhoods, stations, streets and incidents.",
        [
            new GeoJson.Link(Base(request) + "/api", "self", "application/json", "This document"),
            new GeoJson.Link(Base(request) + "/openapi/v1.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"),
            new GeoJson.Link(Base(request) + "/api/conformance", "conformance", "application/json", "Conformance classes"),
            new GeoJson.Link(Base(request) + "/api/collections", "data", "application/json", "The collections"),
        ]));

    public static JsonOk<ConformanceClasses> Conformance() => GeoJson.Ok(new ConformanceClasses(
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        .. FeatureFilters.ConformanceClasses,
        .. FeatureEditEndpoints.ConformanceClasses, // issue 14.4: Part 4
    ]));

    public static async Task<JsonOk<CollectionList>> ListCollections(HttpRequest request, FeatureCatalog catalog, CancellationToken ct)
    {
        var collections = new List<CollectionView>();
        foreach (var c in FeatureCatalog.Collections) collections.Add(await Describe(c, request, catalog, ct));
        // Anonymous callers see the extents of the base layers only (the others need a role to read).
        return GeoJson.Ok(new CollectionList(collections, [new GeoJson.Link(Base(request) + "/api/collections", "self", "application/json")]));
    }

    public static async Task<Results<JsonOk<CollectionView>, NotFoundProblem>> GetCollection(
        string name, HttpRequest request, FeatureCatalog catalog, CancellationToken ct) =>
        FeatureCatalog.Collections.FirstOrDefault(c => c.Name == name) is { } c
            ? GeoJson.Ok(await Describe(c, request, catalog, ct))
            : UnknownCollection(name);

    private static async Task<CollectionView> Describe(CollectionInfo c, HttpRequest request, FeatureCatalog catalog, CancellationToken ct)
    {
        var extent = request.HttpContext.User.RoleOf() is null && !AccessTable.PublicCollections.Contains(c.Name)
            ? null
            : await catalog.ExtentAsync(c.Name, ct, request.HttpContext.User.DistrictsOf());
        var self = $"{Base(request)}/api/collections/{c.Name}";
        return new CollectionView(c.Name, c.Title, "feature", c.GeometryType, [Crs84],
            extent is null ? null : new CollectionExtent(new SpatialExtent([[extent.MinX, extent.MinY, extent.MaxX, extent.MaxY]], Crs84)),
            [
                new GeoJson.Link(self, "self", "application/json"),
                new GeoJson.Link(self + "/items", "items", "application/geo+json"),
                .. (Queryables.Of(c.Name) is null ? Array.Empty<GeoJson.Link>()
                    : [new GeoJson.Link(self + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Queryables")]),
                new GeoJson.Link(self + "/export?format=shapefile", "enclosure", "application/zip", "Shapefile (zip)"),
                new GeoJson.Link(self + "/export?format=geopackage", "enclosure", "application/geopackage+sqlite3", "GeoPackage"),
                new GeoJson.Link(self + "/export?format=kml", "enclosure", "application/vnd.google-earth.kml+xml", "KML"),
                new GeoJson.Link(self + "/export?format=csv", "enclosure", "text/csv", "CSV"),
                new GeoJson.Link(self + "/export?format=flatgeobuf", "enclosure", "application/flatgeobuf", "FlatGeobuf"),
            ]);
    }

    private static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static async Task<Results<GeoJsonFeatureCollection, BadRequestProblem, NotFoundProblem>> GetItems(
        string name, string? bbox, int? limit, int? offset, HttpRequest request, FeatureCatalog catalog, CancellationToken ct, [System.ComponentModel.Description(PlanCollectionParameters.Description)] string? plan = null)
    {
        if (!FeatureCatalog.Exists(name)) return UnknownCollection(name);
        var (planId, badPlan) = PlanCollectionParameters.Parse(name, plan);
        if (badPlan is not null) return badPlan;
        var (box, error) = QueryParameters.ParseBbox(bbox);
        if (error is not null) return Problems.BadRequest("Invalid bbox", error);
        if (limit is < 1) return Problems.BadRequest("Invalid limit", Note.Of("api.limit_min", ("limit", limit.Value)));
        if (offset is < 0) return Problems.BadRequest("Invalid offset", Note.Of("api.offset_negative", ("offset", offset.Value)));
        var take = Math.Min(limit ?? QueryParameters.DefaultLimit, QueryParameters.MaxLimit);
        var skip = offset ?? 0;
        var (asked, badQuery) = FeatureFilters.Read(name, request);
        if (badQuery is not null) return badQuery;

        // A user limited to districts reads the neighbourhoods and incidents of those districts only.
        var page = await catalog.GetItemsAsync(name, box, take, skip, ct, request.HttpContext.User.DistrictsOf(), planId, asked!.Query);
        var links = new List<GeoJson.Link> { new(Url(request, skip, take), "self", "application/geo+json") };
        if (skip + page.Features.Count < page.NumberMatched)
            links.Add(new GeoJson.Link(Url(request, skip + take, take), "next", "application/geo+json"));
        return GeoJson.FeatureCollection(FeatureFilters.Select(page.Features, asked.Properties), page.NumberMatched, links);
    }

    public static async Task<Results<GeoJsonFeature, NotFoundProblem>> GetItem(string name, string id, HttpRequest request, FeatureCatalog catalog, CancellationToken ct)
    {
        if (!FeatureCatalog.Exists(name)) return UnknownCollection(name);
        // Outside the user's districts a feature is not found: its id tells nothing.
        var feature = await catalog.GetItemAsync(name, id, ct, request.HttpContext.User.DistrictsOf());
        return feature is null ? Problems.NotFound(Note.Of("api.no_feature", ("id", id), ("collection", name))) : GeoJson.Feature(feature);
    }

    public static async Task<Results<FileContentHttpResult, BadRequestProblem, NotFoundProblem>> Export(string name, string? format, string? crs, string? bbox, FeatureCatalog catalog, HttpResponse http, CancellationToken ct, [System.ComponentModel.Description(PlanCollectionParameters.Description)] string? plan = null)
    {
        if (!FeatureCatalog.Exists(name)) return UnknownCollection(name);
        var (planId, badPlan) = PlanCollectionParameters.Parse(name, plan);
        if (badPlan is not null) return badPlan;
        var (chosen, badFormat) = FileExport.ParseFormat(format, FileExport.CollectionFormats,
            (f, all) => Note.Of("export.gpx_for_routes", ("format", f), ("formats", all)));
        if (badFormat is not null) return badFormat;
        var (target, badCrs) = FileExport.ParseCrs(crs, chosen!);
        if (badCrs is not null) return badCrs;
        var (box, error) = QueryParameters.ParseBbox(bbox);
        if (error is not null) return Problems.BadRequest("Invalid bbox", error);

        var features = await catalog.GetAllAsync(name, box, ct, http.HttpContext.User.DistrictsOf(), planId);
        if (features.Count == 0) return Problems.NotFound(box is null ? Note.Of("export.collection_empty", ("collection", name)) : Note.Of("export.collection_empty_bbox", ("collection", name)));
        return await FileExport.SendAsync(features, name, chosen!, target, http, ct);
    }

    private static NotFoundProblem UnknownCollection(string name) =>
        Problems.NotFound(Note.Of("api.no_collection", ("collection", name), ("known", FeatureCatalog.Collections.Select(c => c.Name).ToArray())));

    private static string Url(HttpRequest request, int offset, int limit)
    {
        var query = request.Query.Where(q => q.Key is not ("offset" or "limit"))
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"limit={limit}").Append($"offset={offset}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }
}
