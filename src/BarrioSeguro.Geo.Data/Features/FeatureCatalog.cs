using System.Linq.Expressions;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>A collection the service publishes as features.</summary>
/// <param name="Name">The name in URLs, e.g. "streets".</param>
/// <param name="Title">A title for people.</param>
/// <param name="GeometryType">The OGC geometry type of every feature.</param>
/// <param name="IdProperty">The property that is the feature's id (OGC API - Features: the feature's top-level "id").</param>
/// <param name="TimeProperty">The property the datetime parameter is compared with; null when the features have no time.</param>
public sealed record CollectionInfo(string Name, string Title, string GeometryType, string IdProperty = "id", string? TimeProperty = null);

/// <summary>A time interval of the datetime parameter, both ends included; a null end is open.</summary>
public sealed record TimeRange(DateTimeOffset? Start, DateTimeOffset? End);

/// <summary>One page of features, and how many match in all.</summary>
public sealed record FeaturePage(IReadOnlyList<IFeature> Features, int NumberMatched);

/// <summary>
/// The published collections and their queries: one table from collection name to entity, geometry and attributes.
/// The bounding box is a parameter compared with the stored geometry, so PostGIS uses the GiST index.
/// A district limit (the ubigeos a signed-in user may see; null or empty for all of Peru) keeps the neighbourhoods of
/// those districts and the incidents inside them; the base layers (districts, provinces, departments, stations, streets)
/// are public and whole.
/// </summary>
public sealed class FeatureCatalog(BarrioDbContext db)
{
    /// <summary>The collections a district limit applies to: the stored ones with a district filter (neighbourhoods, incidents), contingents and the kept plans'.</summary>
    public static readonly IReadOnlySet<string> DistrictLimited = new HashSet<string>(
        [.. CollectionTables.All.Values.Where(t => t.DistrictFilter is not null).Select(t => t.Name), ContingentFeatures.Name, .. PlanCollections.Names], StringComparer.Ordinal);

    public static readonly IReadOnlyList<CollectionInfo> Collections =
    [
        new("districts", "Districts (INEI)", "MultiPolygon", "ubigeo"),
        new("neighborhoods", "Barrio Seguro neighbourhoods", "MultiPolygon"),
        new("stations", "Police stations (comisarías)", "Point"),
        new("streets", "Streets (OpenStreetMap)", "MultiLineString"),
        new("incidents", "Incidents", "Point", TimeProperty: "occurredAt"),
        // issue 13.2: INEI's provinces and departments, for the national overview and the viewer to draw.
        new("provinces", "Provinces (INEI)", "MultiPolygon", "code"),
        new("departments", "Departments (INEI)", "MultiPolygon", "code"),
        // issue 14.4: contingents, drawn at a point of their neighbourhood (ContingentFeatures).
        new(ContingentFeatures.Name, "Police contingents", "Point"),
        new("buildings", "Buildings (OpenStreetMap)", "MultiPolygon"),
        // issue 14.5: kept plans, their sectors, blocks, routes and coverage; the neighbourhoods' blocks.
        .. PlanCollections.Collections,
    ];

    public static bool Exists(string name) => Collections.Any(c => c.Name == name);

    /// <summary>The collection of that name, or null.</summary>
    public static CollectionInfo? Find(string name) => Collections.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// Features of a collection ordered by id, optionally inside a lon/lat box and, on a collection with time, in a time
    /// range (17-069r4 7.15.4: a collection without time matches any range).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No collection has that name.</exception>
    public Task<FeaturePage> GetItemsAsync(string collection, Envelope? bbox, int limit, int offset, CancellationToken ct,
        IReadOnlyCollection<string>? districts = null, int? plan = null, FeatureQuery? featureQuery = null, TimeRange? time = null) =>
        collection switch
        {
            _ when PlanCollections.Handles(collection) => new PlanCollections(db).GetItemsAsync(collection, bbox, limit, offset, plan, districts, ct),
            "districts" => Page(db.Districts, d => d.Ubigeo, d => d.Boundary, ToFeature, bbox, limit, offset, null, ct, featureQuery),
            "neighborhoods" => Page(db.Neighborhoods, n => n.Id, n => n.Boundary, ToFeature, bbox, limit, offset, q => InDistricts(q, districts), ct, featureQuery),
            "stations" => Page(db.Stations, s => s.Id, s => s.Location, ToFeature, bbox, limit, offset, null, ct, featureQuery),
            "streets" => Page(db.Streets, s => s.Id, s => s.Geometry, ToFeature, bbox, limit, offset, null, ct, featureQuery),
            "incidents" => Page(db.Incidents, i => i.Id, i => i.Location, ToFeature, bbox, limit, offset, q => InTime(InDistricts(q, districts), time), ct, featureQuery),
            "provinces" => Page(db.Provinces, p => p.Code, p => p.Boundary, ToFeature, bbox, limit, offset, null, ct, featureQuery),
            "departments" => Page(db.Departments, d => d.Code, d => d.Boundary, ToFeature, bbox, limit, offset, null, ct, featureQuery),
            "buildings" => Page(db.Buildings, b => b.Id, b => b.Geometry, ToFeature, bbox, limit, offset, null, ct, featureQuery),
            ContingentFeatures.Name => ContingentFeatures.PageAsync(db, bbox, limit, offset, districts, ct),
            _ => throw new KeyNotFoundException($"No collection named '{collection}'."),
        };

    /// <summary>
    /// A page of a public base layer read forward-only, to write as it is read (the fast path of the items endpoint):
    /// the same features and order as <see cref="GetItemsAsync"/> without a query of Part 3, in the storage CRS.
    /// </summary>
    /// <exception cref="KeyNotFoundException"><see cref="ItemPage.Handles"/> is false for the collection.</exception>
    public Task<ItemPage> ReadRowsAsync(string collection, Envelope? bbox, int limit, int offset, CancellationToken ct) =>
        ItemPage.OpenAsync(db, collection, bbox, limit, offset, ct);

    /// <summary>The data version a page read by <see cref="ReadRowsAsync"/> would have now (<see cref="ItemPage.VersionAsync"/>).</summary>
    public Task<long?> RowsVersionAsync(string collection, CancellationToken ct) => ItemPage.VersionAsync(db, collection, ct);

    /// <summary>One feature by its id (the ubigeo for districts), or null (also when outside the district limit).</summary>
    public async Task<IFeature?> GetItemAsync(string collection, string id, CancellationToken ct, IReadOnlyCollection<string>? districts = null)
    {
        if (PlanCollections.Handles(collection)) return await new PlanCollections(db).GetItemAsync(collection, id, districts, ct);
        if (collection == "districts")
            return await db.Districts.AsNoTracking().Where(d => d.Ubigeo == id).Select(d => ToFeature(d)).FirstOrDefaultAsync(ct);
        if (collection == "provinces")
            return await db.Provinces.AsNoTracking().Where(p => p.Code == id).Select(p => ToFeature(p)).FirstOrDefaultAsync(ct);
        if (collection == "departments")
            return await db.Departments.AsNoTracking().Where(d => d.Code == id).Select(d => ToFeature(d)).FirstOrDefaultAsync(ct);
        if (!int.TryParse(id, out var key)) return null;
        return collection switch
        {
            "neighborhoods" => await InDistricts(db.Neighborhoods.AsNoTracking(), districts).Where(n => n.Id == key).Select(n => ToFeature(n)).FirstOrDefaultAsync(ct),
            "stations" => await db.Stations.AsNoTracking().Where(s => s.Id == key).Select(s => ToFeature(s)).FirstOrDefaultAsync(ct),
            "streets" => await db.Streets.AsNoTracking().Where(s => s.Id == key).Select(s => ToFeature(s)).FirstOrDefaultAsync(ct),
            "incidents" => await InDistricts(db.Incidents.AsNoTracking(), districts).Where(i => i.Id == key).Select(i => ToFeature(i)).FirstOrDefaultAsync(ct),
            "buildings" => await db.Buildings.AsNoTracking().Where(b => b.Id == key).Select(b => ToFeature(b)).FirstOrDefaultAsync(ct),
            ContingentFeatures.Name => await ContingentFeatures.ItemAsync(db, key, districts, ct),
            _ => throw new KeyNotFoundException($"No collection named '{collection}'."),
        };
    }

    /// <summary>The neighbourhoods of the districts (all when none are named; one without a district only then).</summary>
    public static IQueryable<Neighborhood> InDistricts(IQueryable<Neighborhood> query, IReadOnlyCollection<string>? districts)
    {
        if (districts is not { Count: > 0 }) return query;
        var ubigeos = districts.ToArray();
        return query.Where(n => n.DistrictUbigeo != null && ubigeos.Contains(n.DistrictUbigeo));
    }

    /// <summary>The incidents inside the districts' boundaries (all when none are named).</summary>
    public IQueryable<Incident> InDistricts(IQueryable<Incident> query, IReadOnlyCollection<string>? districts)
    {
        if (districts is not { Count: > 0 }) return query;
        var ubigeos = districts.ToArray();
        return query.Where(i => db.Districts.Any(d => ubigeos.Contains(d.Ubigeo) && d.Boundary.Intersects(i.Location)));
    }

    private static IQueryable<Incident> InTime(IQueryable<Incident> query, TimeRange? time)
    {
        if (time?.Start is { } start) query = query.Where(i => i.OccurredAt >= start);
        if (time?.End is { } end) query = query.Where(i => i.OccurredAt <= end);
        return query;
    }

    /// <summary>The first and last time of a collection with time (UTC), or null when it has none or is empty.</summary>
    public async Task<(DateTimeOffset First, DateTimeOffset Last)?> TimeExtentAsync(string collection, CancellationToken ct)
    {
        if (collection != "incidents" || !await db.Incidents.AnyAsync(ct)) return null;
        var first = await db.Incidents.MinAsync(i => i.OccurredAt, ct);
        var last = await db.Incidents.MaxAsync(i => i.OccurredAt, ct);
        return (first.ToUniversalTime(), last.ToUniversalTime());
    }

    /// <summary>
    /// The lon/lat extent of a collection, or null when it is empty. Under a district limit, a limited collection's
    /// extent is that of the districts (public), so it tells nothing of what lies outside them.
    /// </summary>
    public async Task<Envelope?> ExtentAsync(string collection, CancellationToken ct, IReadOnlyCollection<string>? districts = null)
    {
        if (districts is { Count: > 0 } && DistrictLimited.Contains(collection))
        {
            var ubigeos = districts.ToArray();
            var boundaries = await db.Districts.AsNoTracking().Where(d => ubigeos.Contains(d.Ubigeo)).Select(d => d.Boundary).ToListAsync(ct);
            if (boundaries.Count == 0) return null;
            var box = new Envelope();
            foreach (var b in boundaries) box.ExpandToInclude(b.EnvelopeInternal);
            return box;
        }
        return await WholeExtentAsync(collection, ct);
    }

    private Task<Envelope?> WholeExtentAsync(string collection, CancellationToken ct) => collection switch
    {
        _ when PlanCollections.Handles(collection) => new PlanCollections(db).ExtentAsync(collection, ct),
        "districts" => db.Districts.ExtentAsync(d => d.Boundary, ct),
        "neighborhoods" => db.Neighborhoods.ExtentAsync(n => n.Boundary, ct),
        "stations" => db.Stations.ExtentAsync(s => s.Location, ct),
        "streets" => db.Streets.ExtentAsync(s => s.Geometry, ct),
        "incidents" => db.Incidents.ExtentAsync(i => i.Location, ct),
        "provinces" => db.Provinces.ExtentAsync(p => p.Boundary, ct),
        "departments" => db.Departments.ExtentAsync(d => d.Boundary, ct),
        "buildings" => db.Buildings.ExtentAsync(b => b.Geometry, ct),
        ContingentFeatures.Name => ContingentFeatures.ExtentAsync(db, ct),
        _ => throw new KeyNotFoundException($"No collection named '{collection}'."),
    };

    /// <summary>Every feature of a collection, for export.</summary>
    public async Task<IReadOnlyList<IFeature>> GetAllAsync(string collection, Envelope? bbox, CancellationToken ct, IReadOnlyCollection<string>? districts = null, int? plan = null) =>
        (await GetItemsAsync(collection, bbox, int.MaxValue, 0, ct, districts, plan)).Features;

    private async Task<FeaturePage> Page<T, TKey>(
        DbSet<T> set, Expression<Func<T, TKey>> orderKey, Expression<Func<T, Geometry>> geometry, Func<T, IFeature> toFeature,
        Envelope? bbox, int limit, int offset, Func<IQueryable<T>, IQueryable<T>>? only, CancellationToken ct, FeatureQuery? featureQuery = null)
        where T : class
    {
        // Part 3: a CQL2 filter joins the bbox in one SQL query (CqlSql: parameters only); sortby orders before the key.
        var query = featureQuery?.Filter is { } filter ? set.Matching(geometry, bbox is null ? null : SpatialQueries.Box(bbox), filter, featureQuery)
            : bbox is null ? set : set.Intersecting(geometry, SpatialQueries.Box(bbox));
        if (only is not null) query = only(query);
        query = query.AsNoTracking().Sorted(featureQuery?.SortBy, orderKey);
        var matched = await query.CountAsync(ct);
        var rows = await query.Skip(offset).Take(limit).ToListAsync(ct);
        return new FeaturePage(rows.Select(toFeature).ToList(), matched);
    }

    public static IFeature ToFeature(District d) => new Feature(d.Boundary, new AttributesTable
    {
        { "ubigeo", d.Ubigeo }, { "name", d.Name }, { "province", d.Province }, { "department", d.Department },
    });

    public static IFeature ToFeature(Province p) => new Feature(p.Boundary, new AttributesTable
    {
        { "code", p.Code }, { "name", p.Name }, { "department", p.Department },
    });

    public static IFeature ToFeature(Department d) => new Feature(d.Boundary, new AttributesTable
    {
        { "code", d.Code }, { "name", d.Name },
    });

    public static IFeature ToFeature(Neighborhood n) => new Feature(n.Boundary, new AttributesTable
    {
        { "id", n.Id }, { "name", n.Name }, { "districtUbigeo", n.DistrictUbigeo }, { "status", n.Status.ToString() },
        { "version", n.Version }, { "isIllustrative", n.IsIllustrative },
        { "areaKm2", CollectionTables.AreaKm2(n.Boundary) }, { "description", n.Description },
    });

    public static IFeature ToFeature(Station s) => new Feature(s.Location, new AttributesTable
    {
        { "id", s.Id }, { "osmId", s.OsmId }, { "name", s.Name }, { "operator", s.Operator },
    });

    public static IFeature ToFeature(Street s) => new Feature(s.Geometry, new AttributesTable
    {
        { "id", s.Id }, { "osmId", s.OsmId }, { "name", s.Name }, { "class", s.Class }, { "oneway", s.Oneway }, { "layer", s.Layer },
    });

    public static IFeature ToFeature(Building b) => new Feature(b.Geometry, new AttributesTable
    {
        { "id", b.Id }, { "osmId", b.OsmId }, { "kind", b.Kind }, { "name", b.Name },
    });

    public static IFeature ToFeature(Incident i) => new Feature(i.Location, new AttributesTable
    {
        { "id", i.Id }, { "occurredAt", i.OccurredAt }, { "category", i.Category }, { "isSynthetic", i.IsSynthetic },
    });
}
