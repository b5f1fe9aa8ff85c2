using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using NetTopologySuite.Geometries;
using Npgsql;

namespace BarrioSeguro.Geo.Data;

/// <summary>Spatial filters EF composes with ordering and paging, written so that PostGIS uses the GiST index.</summary>
public static class SpatialQueries
{
    /// <summary>
    /// The rows whose geometry intersects <paramref name="area"/> (EPSG:4326). A typed column (geometry(MultiLineString,4326))
    /// would make EF type a LINQ geometry parameter as that column type and refuse a polygon, so the filter is SQL:
    /// identifiers come from the EF model, the area is a parameter, and ST_Intersects carries the index operator &&.
    /// </summary>
    public static IQueryable<T> Intersecting<T>(this DbSet<T> set, Expression<Func<T, Geometry>> geometry, Geometry area)
        where T : class
    {
        var entity = set.EntityType;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var column = entity.FindProperty(((MemberExpression)geometry.Body).Member.Name)!.GetColumnName(table)!;
        var parameter = new NpgsqlParameter("area", area.SRID == 0 ? WithSrid(area) : area);
        // Table and column names come from the EF model, never from a request.
        var sql = "SELECT * FROM \"" + entity.GetTableName() + "\" WHERE ST_Intersects(\"" + column + "\", @area)";
        return set.FromSqlRaw(sql, parameter);
    }

    /// <summary>The lon/lat extent of a table's geometries (PostGIS ST_Extent), or null when the table is empty.</summary>
    public static async Task<Envelope?> ExtentAsync<T>(this DbSet<T> set, Expression<Func<T, Geometry>> geometry, CancellationToken ct)
        where T : class
    {
        var entity = set.EntityType;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var column = entity.FindProperty(((MemberExpression)geometry.Body).Member.Name)!.GetColumnName(table)!;
        var db = set.GetService<Microsoft.EntityFrameworkCore.Infrastructure.ICurrentDbContext>().Context;
        // Table and column names come from the EF model, never from a request.
        var sql = "SELECT ST_XMin(e) AS min_x, ST_YMin(e) AS min_y, ST_XMax(e) AS max_x, ST_YMax(e) AS max_y FROM (SELECT ST_Extent(\""
                  + column + "\") AS e FROM \"" + entity.GetTableName() + "\") s";
        var row = await db.Database.SqlQueryRaw<ExtentRow>(sql).FirstAsync(ct);
        return row.MinX is { } x0 && row.MinY is { } y0 && row.MaxX is { } x1 && row.MaxY is { } y1 ? new Envelope(x0, x1, y0, y1) : null;
    }

    private sealed record ExtentRow(double? MinX, double? MinY, double? MaxX, double? MaxY);

    /// <summary>A lon/lat box as a polygon with SRID 4326.</summary>
    public static Polygon Box(Envelope box) => (Polygon)new GeometryFactory(new PrecisionModel(), 4326).ToGeometry(box);

    private static Geometry WithSrid(Geometry g)
    {
        var copy = g.Copy();
        copy.SRID = 4326;
        return copy;
    }
}
