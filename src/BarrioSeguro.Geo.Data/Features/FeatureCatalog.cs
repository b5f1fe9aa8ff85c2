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
public sealed record CollectionInfo(string Name, string Title, string GeometryType);

/// <summary>One page of features, and how many match in all.</summary>
public sealed record FeaturePage(IReadOnlyList<IFeature> Features, int NumberMatched);

/// <summary>
/// The published collections and their queries: one table from collection name to entity, geometry and attributes.
/// The bounding box is a parameter compared with the stored geometry, so PostGIS uses the GiST index.
/// </summary>
public sealed class FeatureCatalog(BarrioDbContext db)
{
    public static readonly IReadOnlyList<CollectionInfo> Collections =
    [
        new("districts", "Districts (INEI)", "MultiPolygon"),
        new("neighborhoods", "Barrio Seguro neighbourhoods", "MultiPolygon"),
        new("stations", "Police stations (comisarías)", "Point"),
        new("streets", "Streets (OpenStreetMap)", "MultiLineString"),
        new("incidents", "Incidents", "Point"),
    ];

    public static bool Exists(string name) => Collections.Any(c => c.Name == name);

    /// <summary>Features of a collection ordered by id, optionally inside a lon/lat box.</summary>
    /// <exception cref="KeyNotFoundException">No collection has that name.</exception>
    public Task<FeaturePage> GetItemsAsync(string collection, Envelope? bbox, int limit, int offset, CancellationToken ct) =>
        collection switch
        {
            "districts" => Page(db.Districts, d => d.Ubigeo, d => d.Boundary, ToFeature, bbox, limit, offset, ct),
            "neighborhoods" => Page(db.Neighborhoods, n => n.Id, n => n.Boundary, ToFeature, bbox, limit, offset, ct),
            "stations" => Page(db.Stations, s => s.Id, s => s.Location, ToFeature, bbox, limit, offset, ct),
            "streets" => Page(db.Streets, s => s.Id, s => s.Geometry, ToFeature, bbox, limit, offset, ct),
            "incidents" => Page(db.Incidents, i => i.Id, i => i.Location, ToFeature, bbox, limit, offset, ct),
            _ => throw new KeyNotFoundException($"No collection named '{collection}'."),
        };

    /// <summary>One feature by its id (the ubigeo for districts), or null.</summary>
    public async Task<IFeature?> GetItemAsync(string collection, string id, CancellationToken ct)
    {
        if (collection == "districts")
            return await db.Districts.AsNoTracking().Where(d => d.Ubigeo == id).Select(d => ToFeature(d)).FirstOrDefaultAsync(ct);
        if (!int.TryParse(id, out var key)) return null;
        return collection switch
        {
            "neighborhoods" => await db.Neighborhoods.AsNoTracking().Where(n => n.Id == key).Select(n => ToFeature(n)).FirstOrDefaultAsync(ct),
            "stations" => await db.Stations.AsNoTracking().Where(s => s.Id == key).Select(s => ToFeature(s)).FirstOrDefaultAsync(ct),
            "streets" => await db.Streets.AsNoTracking().Where(s => s.Id == key).Select(s => ToFeature(s)).FirstOrDefaultAsync(ct),
            "incidents" => await db.Incidents.AsNoTracking().Where(i => i.Id == key).Select(i => ToFeature(i)).FirstOrDefaultAsync(ct),
            _ => throw new KeyNotFoundException($"No collection named '{collection}'."),
        };
    }

    /// <summary>The lon/lat extent of a collection, or null when it is empty.</summary>
    public Task<Envelope?> ExtentAsync(string collection, CancellationToken ct) => collection switch
    {
        "districts" => db.Districts.ExtentAsync(d => d.Boundary, ct),
        "neighborhoods" => db.Neighborhoods.ExtentAsync(n => n.Boundary, ct),
        "stations" => db.Stations.ExtentAsync(s => s.Location, ct),
        "streets" => db.Streets.ExtentAsync(s => s.Geometry, ct),
        "incidents" => db.Incidents.ExtentAsync(i => i.Location, ct),
        _ => throw new KeyNotFoundException($"No collection named '{collection}'."),
    };

    /// <summary>Every feature of a collection, for export.</summary>
    public async Task<IReadOnlyList<IFeature>> GetAllAsync(string collection, Envelope? bbox, CancellationToken ct) =>
        (await GetItemsAsync(collection, bbox, int.MaxValue, 0, ct)).Features;

    private async Task<FeaturePage> Page<T, TKey>(
        DbSet<T> set, Expression<Func<T, TKey>> orderKey, Expression<Func<T, Geometry>> geometry, Func<T, IFeature> toFeature,
        Envelope? bbox, int limit, int offset, CancellationToken ct)
        where T : class
    {
        var query = bbox is null ? set : set.Intersecting(geometry, SpatialQueries.Box(bbox));
        query = query.AsNoTracking().OrderBy(orderKey);
        var matched = await query.CountAsync(ct);
        var rows = await query.Skip(offset).Take(limit).ToListAsync(ct);
        return new FeaturePage(rows.Select(toFeature).ToList(), matched);
    }

    public static IFeature ToFeature(District d) => new Feature(d.Boundary, new AttributesTable
    {
        { "ubigeo", d.Ubigeo }, { "name", d.Name }, { "province", d.Province }, { "department", d.Department },
    });

    public static IFeature ToFeature(Neighborhood n) => new Feature(n.Boundary, new AttributesTable
    {
        { "id", n.Id }, { "name", n.Name }, { "districtUbigeo", n.DistrictUbigeo }, { "status", n.Status.ToString() },
        { "version", n.Version }, { "isIllustrative", n.IsIllustrative },
        { "areaKm2", Math.Round(Measure.AreaSquareMeters(n.Boundary) / 1e6, 4) }, { "description", n.Description },
    });

    public static IFeature ToFeature(Station s) => new Feature(s.Location, new AttributesTable
    {
        { "id", s.Id }, { "osmId", s.OsmId }, { "name", s.Name }, { "operator", s.Operator },
    });

    public static IFeature ToFeature(Street s) => new Feature(s.Geometry, new AttributesTable
    {
        { "id", s.Id }, { "osmId", s.OsmId }, { "name", s.Name }, { "class", s.Class }, { "oneway", s.Oneway }, { "layer", s.Layer },
    });

    public static IFeature ToFeature(Incident i) => new Feature(i.Location, new AttributesTable
    {
        { "id", i.Id }, { "occurredAt", i.OccurredAt }, { "category", i.Category }, { "isSynthetic", i.IsSynthetic },
    });
}
