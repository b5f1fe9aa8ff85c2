using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.IO;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>Read access to every published collection as GeoJSON, and export as files (shapefile, GeoPackage, GeoJSON, KML, CSV).</summary>
public static class CollectionsEndpoints
{
    /// <summary>The kept pages of /items (<see cref="ItemPageCache"/>).</summary>
    public static IServiceCollection AddCollections(this IServiceCollection services)
    {
        services.AddSingleton<ItemPageCache>();
        // The tables' data versions the kept pages are checked against, kept while PostgreSQL announces their changes.
        services.AddAnnounced<DataVersions>();
        return services;
    }

    public static IEndpointRouteBuilder MapCollections(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api", Landing).WithTags("Collections")
            .WithSummary("OGC API - Features landing page: QGIS, ArcGIS and GDAL (OAPIF:http://host/api) connect here.");
        app.MapGet("/api/conformance", Conformance).WithTags("Collections").WithSummary("OGC API - Features conformance classes.");
        var group = app.MapGroup("/api/collections").WithTags("Collections");
        group.MapGet("/", ListCollections).WithSummary("The published collections (OGC API - Features).");
        group.MapGet("/{name}", GetCollection).WithSummary("One collection with its extent.");
        group.MapGet("/{name}/items", GetItems).WithSummary("Features of a collection as a GeoJSON FeatureCollection, with bbox filter and paging.");
        group.MapGet("/{name}/queryables", FeatureFilters.GetQueryables)
            .Produces(StatusCodes.Status200OK, typeof(Dictionary<string, object>), "application/schema+json").WithSummary("What filter and sortby may name (OGC API Features Part 3), as JSON Schema.");
        group.MapGet("/{name}/items/{id}", GetItem).AddEndpointFilter(FeatureEditEndpoints.ItemETag).WithSummary("One feature.");
        group.MapGet("/{name}/export", Export)
            .Produces(StatusCodes.Status200OK, typeof(Stream), "application/zip", "application/geopackage+sqlite3", "application/geo+json",
                "application/vnd.google-earth.kml+xml", "text/csv", "application/flatgeobuf")
            .MayWarn()
            .WithSummary("A collection as a file: format=shapefile (zip with .shp/.shx/.dbf/.prj/.cpg, the default), geopackage, geojson, kml, csv (WKT column; lon,lat for points) or flatgeobuf (with its spatial index); crs=EPSG:n (default: the UTM zone of the data for shapefile and geopackage, else EPSG:4326; GeoJSON and KML are always EPSG:4326). What the format cannot hold (shapefile field names over 10 bytes, text over 254 bytes) is named in X-Barrio-Warning headers.");
        return app;
    }

    private const string Crs84 = QueryParameters.Crs84;

    /// <summary>The conformance classes served: Part 1 (core, GeoJSON, HTML, OpenAPI 3.0), Part 2 (crs), Part 3 (CQL2 filters) and Part 4 (edits).</summary>
    public static readonly IReadOnlyList<string> ConformsTo =
    [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
        "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
        .. FeatureFilters.ConformanceClasses, // Part 3
        .. FeatureEditEndpoints.ConformanceClasses, // issue 14.4: Part 4
    ];

    public sealed record LandingPage(string Title, string Description, IReadOnlyList<GeoJson.Link> Links);

    public sealed record ConformanceClasses(IReadOnlyList<string> ConformsTo);

    public sealed record CollectionList(IReadOnlyList<CollectionView> Collections, IReadOnlyList<GeoJson.Link> Links, IReadOnlyList<string> Crs);

    /// <summary>
    /// A collection as OGC API - Features describes it (Part 2: its CRS list and storage CRS); Extent is left out when
    /// the collection is empty, its temporal part when the collection has no time.
    /// </summary>
    public sealed record CollectionView(string Id, string Title, string ItemType, string GeometryType, IReadOnlyList<string> Crs,
        string StorageCrs, CollectionExtent? Extent, IReadOnlyList<GeoJson.Link> Links);

    public sealed record CollectionExtent(SpatialExtent Spatial, TemporalExtent? Temporal = null);

    /// <summary>[[minLon, minLat, maxLon, maxLat]] in CRS84.</summary>
    public sealed record SpatialExtent(IReadOnlyList<double[]> Bbox, string Crs);

    /// <summary>[[first, last]] as RFC 3339 UTC times, in the Gregorian calendar.</summary>
    public sealed record TemporalExtent(IReadOnlyList<string?[]> Interval, string Trs = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian");

    private const string ServiceDocPath = "/api/docs";

    public static Results<OgcPageResult<LandingPage>, BadRequestProblem, NotAcceptableProblem> Landing(HttpRequest request)
    {
        if (Refused(request, [], "application/json", out var format, out var bad, out var notAcceptable)) return bad is not null ? bad : notAcceptable!;
        var page = new LandingPage(
            "BarrioSeguro.Geo",
            "Patrol zoning for Peru's Barrio Seguro strategy: districts, neighbourhoods, stations, streets and incidents.",
            [
                new GeoJson.Link(Base(request) + "/api", "self", "application/json", "This document"),
                new GeoJson.Link(Base(request) + "/api?f=html", "alternate", "text/html", "This document as HTML"),
                new GeoJson.Link(Base(request) + "/openapi/v1.json", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"),
                new GeoJson.Link(Base(request) + ServiceDocPath, "service-doc", "text/html", "The API documentation"),
                new GeoJson.Link(Base(request) + "/api/conformance", "conformance", "application/json", "Conformance classes"),
                new GeoJson.Link(Base(request) + "/api/collections", "data", "application/json", "The collections"),
            ]);
        return new OgcPageResult<LandingPage>(page, r => OgcHtml.Landing(r, page.Title, page.Description, page.Links), format);
    }

    public static Results<OgcPageResult<ConformanceClasses>, BadRequestProblem, NotAcceptableProblem> Conformance(HttpRequest request)
    {
        if (Refused(request, [], "application/json", out var format, out var bad, out var notAcceptable)) return bad is not null ? bad : notAcceptable!;
        return new OgcPageResult<ConformanceClasses>(new ConformanceClasses(ConformsTo), r => OgcHtml.Conformance(r, ConformsTo), format);
    }

    public static async Task<Results<OgcPageResult<CollectionList>, BadRequestProblem, NotAcceptableProblem>> ListCollections(
        HttpRequest request, FeatureCatalog catalog, CancellationToken ct)
    {
        if (Refused(request, [], "application/json", out var format, out var bad, out var notAcceptable)) return bad is not null ? bad : notAcceptable!;
        var collections = new List<CollectionView>();
        foreach (var c in FeatureCatalog.Collections) collections.Add(await Describe(c, request, catalog, ct));
        // Anonymous callers see the extents of the base layers only (the others need a role to read).
        var list = new CollectionList(collections,
            [
                new GeoJson.Link(Base(request) + "/api/collections", "self", "application/json"),
                new GeoJson.Link(Base(request) + "/api/collections?f=html", "alternate", "text/html"),
            ],
            QueryParameters.OfferedCrs);
        return new OgcPageResult<CollectionList>(list,
            r => OgcHtml.Collections(r, collections.Select(c => (c.Id, c.Title, $"{Base(r)}/api/collections/{c.Id}"))), format);
    }

    public static async Task<Results<OgcPageResult<CollectionView>, BadRequestProblem, NotAcceptableProblem, NotFoundProblem>> GetCollection(
        string name, HttpRequest request, FeatureCatalog catalog, CancellationToken ct)
    {
        if (FeatureCatalog.Find(name) is not { } c) return UnknownCollection(name);
        if (Refused(request, [], "application/json", out var format, out var bad, out var notAcceptable)) return bad is not null ? bad : notAcceptable!;
        var view = await Describe(c, request, catalog, ct);
        return new OgcPageResult<CollectionView>(view, r => OgcHtml.Collection(r, view.Id, view.Title, view.GeometryType,
            view.Extent?.Spatial.Bbox[0], view.Extent?.Temporal is { } t ? $"{t.Interval[0][0]} / {t.Interval[0][1]}" : null,
            view.Crs, view.StorageCrs, $"{Base(r)}/api/collections/{view.Id}"), format);
    }

    private static async Task<CollectionView> Describe(CollectionInfo c, HttpRequest request, FeatureCatalog catalog, CancellationToken ct)
    {
        var open = !(request.HttpContext.User.RoleOf() is null && !AccessTable.PublicCollections.Contains(c.Name));
        var extent = open ? await catalog.ExtentAsync(c.Name, ct, request.HttpContext.User.DistrictsOf()) : null;
        var time = open && c.TimeProperty is not null ? await catalog.TimeExtentAsync(c.Name, ct) : null;
        var self = $"{Base(request)}/api/collections/{c.Name}";
        return new CollectionView(c.Name, c.Title, "feature", c.GeometryType, QueryParameters.OfferedCrs, Crs84,
            extent is null ? null : new CollectionExtent(
                new SpatialExtent([[extent.MinX, extent.MinY, extent.MaxX, extent.MaxY]], Crs84),
                time is { } t ? new TemporalExtent([[Rfc3339(t.First), Rfc3339(t.Last)]]) : null),
            [
                new GeoJson.Link(self, "self", "application/json"),
                new GeoJson.Link(self + "?f=html", "alternate", "text/html"),
                new GeoJson.Link(self + "/items", "items", "application/geo+json"),
                .. (Queryables.Of(c.Name) is null ? Array.Empty<GeoJson.Link>()
                    : [new GeoJson.Link(self + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json", "Queryables")]),
                new GeoJson.Link(self + "/items?f=html", "items", "text/html"),
                new GeoJson.Link(self + "/export?format=shapefile", "enclosure", "application/zip", "Shapefile (zip)"),
                new GeoJson.Link(self + "/export?format=geopackage", "enclosure", "application/geopackage+sqlite3", "GeoPackage"),
                new GeoJson.Link(self + "/export?format=kml", "enclosure", "application/vnd.google-earth.kml+xml", "KML"),
                new GeoJson.Link(self + "/export?format=csv", "enclosure", "text/csv", "CSV"),
                new GeoJson.Link(self + "/export?format=flatgeobuf", "enclosure", "application/flatgeobuf", "FlatGeobuf"),
            ]);
    }

    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>An unknown parameter (400), an unknown f (400) or an Accept the endpoint cannot meet (406); else false and the format.</summary>
    private static bool Refused(HttpRequest request, IReadOnlyList<string> accepted, string jsonType, out OgcFormat format,
        out BadRequestProblem? bad, out NotAcceptableProblem? notAcceptable)
    {
        (format, bad, notAcceptable) = (OgcFormat.Json, null, null);
        if (QueryParameters.Unknown(request.Query, accepted) is { } unknown)
        {
            bad = Problems.BadRequest("Unknown parameter", unknown);
            return true;
        }
        var (picked, problem) = OgcNegotiation.Pick(request, jsonType);
        format = picked;
        bad = problem as BadRequestProblem;
        notAcceptable = problem as NotAcceptableProblem;
        return problem is not null;
    }

    public static async Task<Results<OgcItemsResult, BadRequestProblem, NotAcceptableProblem, NotFoundProblem>> GetItems(
        string name, HttpRequest request, FeatureCatalog catalog, ItemPageCache kept, DataVersions versions, CancellationToken ct)
    {
        if (FeatureCatalog.Find(name) is not { } c) return UnknownCollection(name);
        if (Refused(request, QueryParameters.Items, GeoJson.MediaType, out var format, out var bad, out var notAcceptable)) return bad is not null ? bad : notAcceptable!;
        var q = request.Query;
        var (take, badLimit) = QueryParameters.ParseLimit(q.TryGetValue("limit", out var l) ? l.ToString() : null);
        if (badLimit is not null) return Problems.BadRequest("Invalid limit", badLimit);
        var (skip, badOffset) = QueryParameters.ParseOffset(q.TryGetValue("offset", out var o) ? o.ToString() : null);
        if (badOffset is not null) return Problems.BadRequest("Invalid offset", badOffset);
        var (crs, badCrs) = QueryParameters.ParseCrs(q.TryGetValue("crs", out var cr) ? cr.ToString() : null, "crs");
        if (badCrs is not null) return Problems.BadRequest("Invalid crs", badCrs);
        var (bboxCrs, badBboxCrs) = QueryParameters.ParseCrs(q.TryGetValue("bbox-crs", out var bc) ? bc.ToString() : null, "bbox-crs");
        if (badBboxCrs is not null) return Problems.BadRequest("Invalid bbox-crs", badBboxCrs);
        var (box, badBox) = QueryParameters.ParseBbox(q.TryGetValue("bbox", out var b) ? b.ToString() : null, q.ContainsKey("bbox-crs") ? bboxCrs : null);
        if (badBox is not null) return Problems.BadRequest("Invalid bbox", badBox);
        var (time, badTime) = QueryParameters.ParseDatetime(q.TryGetValue("datetime", out var dt) ? dt.ToString() : null);
        if (badTime is not null) return Problems.BadRequest("Invalid datetime", badTime);
        var (planId, badPlan) = PlanCollectionParameters.Parse(name, q.TryGetValue(PlanCollections.PlanParameter, out var pl) ? pl.ToString() : null);
        if (badPlan is not null) return badPlan;
        var (asked, badQuery) = FeatureFilters.Read(name, request);
        if (badQuery is not null) return badQuery;

        // A user limited to districts reads the neighbourhoods and incidents of those districts only. A collection
        // without time matches any datetime (17-069r4, requirement 25 C).
        var range = time is not null && c.TimeProperty is not null ? new TimeRange(time.Start, time.End) : null;
        var collectionUrl = $"{Base(request)}/api/collections/{name}";
        // The fast path (issue 15.5): a public base layer as JSON in its storage CRS with no Part 3 query is read
        // forward-only and written as the rows come, with PostGIS's GeoJSON; everything else goes through features.
        // Its pages are kept by the table's data version, itself kept while PostgreSQL announces its changes: a page
        // asked for again costs no query.
        if (format == OgcFormat.Json && crs!.IsStorage && asked!.Query is null && asked.Properties is null && ItemPage.Handles(name))
        {
            if (await versions.GetAsync(ItemPage.TableOf(name), (catalog, name), static (s, t) => s.catalog.RowsVersionAsync(s.name, t), ct) is { } now && kept.TryGet(ItemPageCache.Key(name, now, collectionUrl, box, take, skip), out var known))
                return new OgcItemsResult(known, PageLinks(request, skip, take, known.NumberReturned, known.NumberMatched, collectionUrl), c.IdProperty, collectionUrl, c.Title, crs);
            var rows = await catalog.ReadRowsAsync(name, box, take, skip, ct);
            request.HttpContext.Response.RegisterForDisposeAsync(rows); // also when the result is never written
            // The key is the version of the rows' own snapshot: a write between the two reads is never kept as older.
            Action<KeptItems>? keep = rows.Version is { } version
                ? items => kept.Set(ItemPageCache.Key(name, version, collectionUrl, box, take, skip), items) : null;
            return new OgcItemsResult(rows, PageLinks(request, skip, take, rows.Returned, rows.NumberMatched, collectionUrl), c.IdProperty, collectionUrl, c.Title, crs, keep);
        }
        var page = await catalog.GetItemsAsync(name, box, take, skip, ct, request.HttpContext.User.DistrictsOf(), planId, asked!.Query, range);
        var links = PageLinks(request, skip, take, page.Features.Count, page.NumberMatched, collectionUrl);
        // properties chooses the attributes; the feature keeps its top-level id all the same.
        var chosen = FeatureFilters.Select(page.Features, asked.Properties);
        IReadOnlyList<IFeature> features = asked.Properties is null ? chosen
            : chosen.Select((f, i) => (IFeature)new OgcFeatureWriter.KeyedFeature(f.Geometry, f.Attributes, OgcFeatureWriter.IdOf(page.Features[i], c.IdProperty))).ToList();
        return new OgcItemsResult(features, page.NumberMatched, links, c.IdProperty, collectionUrl, c.Title, crs!, format);
    }

    public static async Task<Results<OgcItemResult, BadRequestProblem, NotAcceptableProblem, NotFoundProblem>> GetItem(
        string name, string id, HttpRequest request, FeatureCatalog catalog, CancellationToken ct)
    {
        if (FeatureCatalog.Find(name) is not { } c) return UnknownCollection(name);
        if (Refused(request, QueryParameters.Item, GeoJson.MediaType, out var format, out var bad, out var notAcceptable)) return bad is not null ? bad : notAcceptable!;
        var (crs, badCrs) = QueryParameters.ParseCrs(request.Query.TryGetValue("crs", out var cr) ? cr.ToString() : null, "crs");
        if (badCrs is not null) return Problems.BadRequest("Invalid crs", badCrs);
        // Outside the user's districts a feature is not found: its id tells nothing.
        var feature = await catalog.GetItemAsync(name, id, ct, request.HttpContext.User.DistrictsOf());
        if (feature is null) return Problems.NotFound(Note.Of("api.no_feature", ("id", id), ("collection", name)));
        return new OgcItemResult(feature, c.IdProperty, $"{Base(request)}/api/collections/{name}", c.Title, crs!, format);
    }

    public static async Task<Results<PhysicalFileHttpResult, FileContentHttpResult, BadRequestProblem, NotFoundProblem>> Export(string name, string? format, string? crs, string? bbox, FeatureCatalog catalog, FeatureRows rows, HttpResponse http, CancellationToken ct, [System.ComponentModel.Description(PlanCollectionParameters.Description)] string? plan = null)
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

        var empty = Problems.NotFound(box is null ? Note.Of("export.collection_empty", ("collection", name)) : Note.Of("export.collection_empty_bbox", ("collection", name)));
        // issue 15.2: the base collections stream from PostGIS into the file, kept by their data version.
        if (FeatureRows.Streams(name))
        {
            var file = await FileExport.SendCollectionAsync(rows, name, box, http.HttpContext.User.DistrictsOf(), chosen!, target, http, ct);
            if (file is null) return empty;
            return file;
        }
        var features = await catalog.GetAllAsync(name, box, ct, http.HttpContext.User.DistrictsOf(), planId);
        if (features.Count == 0) return empty;
        return await FileExport.SendAsync(features, name, chosen!, target, http, ct);
    }

    /// <summary>self, alternate (HTML), next and prev when there are more, and the collection.</summary>
    private static List<GeoJson.Link> PageLinks(HttpRequest request, int skip, int take, int returned, int matched, string collectionUrl)
    {
        var links = new List<GeoJson.Link>
        {
            new(Url(request, skip, take), "self", GeoJson.MediaType),
            new(Url(request, skip, take, "html"), "alternate", "text/html"),
        };
        if (skip + returned < matched)
            links.Add(new GeoJson.Link(Url(request, skip + take, take), "next", GeoJson.MediaType));
        if (skip > 0)
            links.Add(new GeoJson.Link(Url(request, Math.Max(0, skip - take), take), "prev", GeoJson.MediaType));
        links.Add(new GeoJson.Link(collectionUrl, "collection", "application/json"));
        return links;
    }

    private static NotFoundProblem UnknownCollection(string name) =>
        Problems.NotFound(Note.Of("api.no_collection", ("collection", name), ("known", FeatureCatalog.Collections.Select(c => c.Name).ToArray())));

    private static string Url(HttpRequest request, int offset, int limit, string? f = null)
    {
        var query = request.Query.Where(q => q.Key is not ("offset" or "limit") && (f is null || q.Key != "f"))
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"limit={limit}").Append($"offset={offset}");
        if (f is not null) query = query.Append($"f={f}");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{string.Join('&', query)}";
    }
}
