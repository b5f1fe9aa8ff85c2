using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Features;
using BarrioSeguro.Geo.Core.Filters;
using BarrioSeguro.Geo.IO.Cql2;
using Microsoft.AspNetCore.Http.HttpResults;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// OGC API Features Part 3 on the items of a collection: filter (CQL2 text or JSON), filter-lang, filter-crs, the
/// queryables, sortby; and properties (Part 6, a draft: which attributes are returned).
/// </summary>
public static class FeatureFilters
{
    /// <summary>The conformance classes of Part 3, CQL2 and the sorting and property-selection drafts this service meets.</summary>
    public static readonly IReadOnlyList<string> ConformanceClasses =
    [
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
        "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
        "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
        // Sorting (OGC API Records / Features Part 8 draft) and property selection (Features Part 6 draft).
        "http://www.opengis.net/spec/ogcapi-records-1/1.0/conf/sorting",
        "http://www.opengis.net/spec/ogcapi-features-6/1.0/conf/properties",
    ];

    public const string Cql2Text = "cql2-text";
    public const string Cql2Json = "cql2-json";
    private const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    /// <summary>The CRSs a filter's geometries may be in: SRID and whether the axes are lat, lon (EPSG:4326's order).</summary>
    private static readonly IReadOnlyDictionary<string, (int Srid, bool LatLon)> FilterCrss = BuildCrss();

    private static readonly string[] CrsUris = FilterCrss.Keys.Where(k => k.StartsWith("http", StringComparison.Ordinal)).ToArray();

    private static Dictionary<string, (int, bool)> BuildCrss()
    {
        var crss = new Dictionary<string, (int, bool)>(StringComparer.OrdinalIgnoreCase)
        {
            [Crs84] = (4326, false), ["CRS84"] = (4326, false), ["OGC:CRS84"] = (4326, false),
        };
        // WGS 84 (lat, lon), Web Mercator, and Peru's UTM zones 17S-19S in WGS 84, PSAD56 and SIRGAS 2000.
        foreach (var code in new[] { 4326, 3857, 32717, 32718, 32719, 24877, 24878, 24879, 31977, 31978, 31979 })
        {
            crss[$"http://www.opengis.net/def/crs/EPSG/0/{code}"] = (code, code == 4326);
            crss[$"EPSG:{code}"] = (code, code == 4326);
        }
        return crss;
    }

    /// <summary>What a request asks of items beyond bbox and paging.</summary>
    public sealed record ItemRequest(FeatureQuery? Query, IReadOnlyList<string>? Properties);

    /// <summary>Reads filter, filter-lang, filter-crs, sortby and properties; a problem (400, place and reason) when one is bad.</summary>
    public static (ItemRequest? Request, BadRequestProblem? Problem) Read(string collection, HttpRequest request)
    {
        var q = request.Query;
        if (Queryables.Of(collection) is not { } queryables)
        {
            // Collections made in memory (a plan's blocks and coverage, ...) have no SQL to filter or sort in.
            if (QueryParameters.OtherParts.Where(p => p != PlanCollections.PlanParameter).FirstOrDefault(q.ContainsKey) is { } asked)
                return (null, Problems.BadRequest("Invalid filter", Note.Of("cql.not_filterable", ("collection", collection), ("parameter", asked),
                    ("collections", FeatureCatalog.Collections.Select(c => c.Name).Where(n => Queryables.Of(n) is not null).ToArray()))));
            return (new ItemRequest(null, null), null);
        }
        var lang = q["filter-lang"].ToString();
        if (lang.Length > 0 && lang is not (Cql2Text or Cql2Json))
            return (null, Problems.BadRequest("Invalid filter-lang", Note.Of("cql.unknown_lang", ("lang", lang), ("allowed", new[] { Cql2Text, Cql2Json }))));
        var crsText = q["filter-crs"].ToString();
        var crs = (Srid: 4326, LatLon: false);
        if (crsText.Length > 0 && !FilterCrss.TryGetValue(crsText, out crs))
            return (null, Problems.BadRequest("Invalid filter-crs", Note.Of("cql.unknown_crs", ("crs", crsText), ("allowed", CrsUris))));

        CqlNode? filter = null;
        var filterText = q["filter"].ToString();
        if (q.ContainsKey("filter"))
        {
            try
            {
                filter = lang == Cql2Json ? IO.Cql2.Cql2Json.Parse(filterText) : IO.Cql2.Cql2Text.Parse(filterText);
                CqlSql.Check(filter, queryables);
            }
            catch (Cql2Exception e)
            {
                return (null, Problems.BadRequest("Invalid filter", e.Note));
            }
        }

        IReadOnlyList<SortKey>? sortBy = null;
        if (q.ContainsKey("sortby"))
        {
            try
            {
                sortBy = SortKeys(q["sortby"].ToString());
                CqlSql.CheckSort(sortBy, queryables);
            }
            catch (Cql2Exception e)
            {
                return (null, Problems.BadRequest("Invalid sortby", e.Note));
            }
        }

        IReadOnlyList<string>? properties = null;
        if (q.ContainsKey("properties"))
        {
            properties = q["properties"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var allowed = Selectable(collection);
            if (properties.FirstOrDefault(p => !allowed.Contains(p)) is { } unknown)
                return (null, Problems.BadRequest("Invalid properties", Note.Of("cql.properties_unknown", ("property", unknown), ("allowed", allowed.ToArray()))));
        }

        var query = filter is null && sortBy is null ? null : new FeatureQuery(filter, crs.Srid, crs.LatLon, sortBy);
        return (new ItemRequest(query, properties), null);
    }

    /// <summary>sortby=name,-occurredAt (a '+' may come as a space, since URLs decode it so).</summary>
    private static List<SortKey> SortKeys(string text)
    {
        var keys = new List<SortKey>();
        foreach (var part in text.Split(','))
        {
            var t = part.Trim();
            var descending = t.StartsWith('-');
            if (t.StartsWith('-') || t.StartsWith('+')) t = t[1..].Trim();
            if (t.Length == 0) throw new Cql2Exception(Note.Of("cql.sortby_empty", ("sortby", text)));
            keys.Add(new SortKey(t, descending));
        }
        return keys;
    }

    /// <summary>The attributes properties may choose: the queryables and the computed ones.</summary>
    private static List<string> Selectable(string collection)
    {
        var names = Queryables.Of(collection)!.Where(q => q.Type != QueryableType.Geometry).Select(q => q.Name).ToList();
        if (collection == "neighborhoods") names.Add("areaKm2");
        return names;
    }

    /// <summary>The features with only the chosen attributes (all when none are chosen).</summary>
    public static IReadOnlyList<IFeature> Select(IReadOnlyList<IFeature> features, IReadOnlyList<string>? properties)
    {
        if (properties is null) return features;
        return features.Select(f =>
        {
            var kept = new AttributesTable();
            foreach (var name in properties)
                if (f.Attributes.Exists(name)) kept.Add(name, f.Attributes[name]);
            return (IFeature)new Feature(f.Geometry, kept) { BoundingBox = f.BoundingBox };
        }).ToList();
    }

    /// <summary>GET /api/collections/{name}/queryables: a JSON Schema of what filter and sortby may name.</summary>
    public static Results<JsonHttpResult<Dictionary<string, object?>>, NotFoundProblem> GetQueryables(string name, HttpRequest request)
    {
        var c = FeatureCatalog.Collections.FirstOrDefault(c => c.Name == name);
        if (c is null || Queryables.Of(name) is null)
            return Problems.NotFound(Note.Of("api.no_collection", ("collection", name), ("known", FeatureCatalog.Collections.Select(x => x.Name).ToArray())));
        var id = $"{request.Scheme}://{request.Host}{request.PathBase}/api/collections/{name}/queryables";
        return TypedResults.Json(Queryables.Schema(name, id, c.Title), (System.Text.Json.JsonSerializerOptions?)null, "application/schema+json");
    }
}
