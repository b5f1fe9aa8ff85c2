using BarrioSeguro.Geo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>
/// The contingents as a collection (OGC API - Features Part 4, issue 14.4). A contingent has no place of its own: its
/// geometry is a point inside its neighbourhood (PostGIS's ST_PointOnSurface of the boundary), so GDAL and QGIS show it
/// on the map and bbox and district limits work as for the other point layers; it is derived, never stored or written.
/// </summary>
public static class ContingentFeatures
{
    public const string Name = "contingents";

    private sealed class Row
    {
        public required Contingent Contingent { get; init; }
        public required Geometry At { get; init; }
    }

    private static IQueryable<Row> Rows(BarrioDbContext db, IReadOnlyCollection<string>? districts) =>
        from c in db.Contingents.AsNoTracking()
        join n in FeatureCatalog.InDistricts(db.Neighborhoods.AsNoTracking(), districts) on c.NeighborhoodId equals n.Id
        select new Row { Contingent = c, At = n.Boundary.PointOnSurface };

    public static async Task<FeaturePage> PageAsync(BarrioDbContext db, Envelope? bbox, int limit, int offset,
        IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var query = Rows(db, districts);
        if (bbox is not null)
        {
            var box = SpatialQueries.Box(bbox);
            query = query.Where(r => r.At.Intersects(box));
        }
        query = query.OrderBy(r => r.Contingent.Id);
        var matched = await query.CountAsync(ct);
        var rows = await query.Skip(offset).Take(limit).ToListAsync(ct);
        return new FeaturePage(rows.Select(r => ToFeature(r.Contingent, r.At as Point)).ToList(), matched);
    }

    public static async Task<IFeature?> ItemAsync(BarrioDbContext db, int id, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var row = await Rows(db, districts).Where(r => r.Contingent.Id == id).FirstOrDefaultAsync(ct);
        return row is null ? null : ToFeature(row.Contingent, row.At as Point);
    }

    /// <summary>The point a contingent is drawn at (its neighbourhood's), or null when the neighbourhood is gone.</summary>
    public static Task<Point?> PointOfAsync(BarrioDbContext db, int neighborhoodId, CancellationToken ct) =>
        PointOf(db, neighborhoodId, ct);

    private static async Task<Point?> PointOf(BarrioDbContext db, int neighborhoodId, CancellationToken ct) =>
        await db.Neighborhoods.AsNoTracking().Where(n => n.Id == neighborhoodId).Select(n => n.Boundary.PointOnSurface).FirstOrDefaultAsync(ct) as Point;

    public static async Task<Envelope?> ExtentAsync(BarrioDbContext db, CancellationToken ct)
    {
        var points = await Rows(db, null).Select(r => r.At).ToListAsync(ct);
        if (points.Count == 0) return null;
        var box = new Envelope();
        foreach (var p in points) box.ExpandToInclude(p.EnvelopeInternal);
        return box;
    }

    /// <summary>The members the contingent forms read and write, plus what the service works out (read-only).</summary>
    public static IFeature ToFeature(Contingent c, Point? at) => new Feature(at, new AttributesTable
    {
        { "id", c.Id }, { "neighborhoodId", c.NeighborhoodId }, { "name", c.Name }, { "officers", c.Officers }, { "shifts", c.Shifts },
        { "availability", c.Availability }, { "mode", c.Mode }, { "crewSize", c.CrewSize }, { "jointUnits", c.JointUnits },
        { "officersPerShift", Math.Round(c.OfficersPerShift, 2) }, { "version", c.Version }, { "changedBy", c.ChangedBy },
        { "changedAt", c.ChangedAt },
    });
}
