using System.Globalization;
using System.Linq.Expressions;
using System.Text;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Filters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>A sort key of sortby: a queryable, ascending unless Descending.</summary>
public sealed record SortKey(string Property, bool Descending);

/// <summary>
/// What a request asks of a collection's items beyond bbox and paging (OGC API Features Part 3): a CQL2 filter whose
/// geometry literals are in <paramref name="FilterSrid"/> (with lat/lon axis order when <paramref name="LatLon"/>,
/// as EPSG:4326 has), and a sort.
/// </summary>
public sealed record FeatureQuery(CqlNode? Filter = null, int FilterSrid = 4326, bool LatLon = false, IReadOnlyList<SortKey>? SortBy = null);

/// <summary>A WHERE fragment and its parameters: every value a parameter, every identifier from the queryables.</summary>
public sealed record SqlFilter(string Where, IReadOnlyList<NpgsqlParameter> Parameters);

/// <summary>
/// Translates a CQL2 tree to a PostgreSQL/PostGIS WHERE fragment. Identifiers come only from the collection's
/// <see cref="Queryables"/> (mapped to columns through the EF model); literals are only ever parameters. Type errors
/// (a text property compared with a number, an unknown property) are refused naming the property and the queryables.
/// </summary>
public sealed class CqlSql
{
    private readonly IReadOnlyList<Queryable> _queryables;
    private readonly Func<string, string> _column;
    private readonly FeatureQuery _query;
    private readonly List<NpgsqlParameter> _parameters = [];

    private CqlSql(IReadOnlyList<Queryable> queryables, Func<string, string> column, FeatureQuery query)
    {
        _queryables = queryables;
        _column = column;
        _query = query;
    }

    /// <summary>Checks a filter against a collection's queryables, without a database (the API does before querying).</summary>
    /// <exception cref="Cql2Exception">An unknown property or a type error.</exception>
    public static void Check(CqlNode filter, IReadOnlyList<Queryable> queryables) =>
        new CqlSql(queryables, m => m, new FeatureQuery(filter)).Predicate(filter);

    /// <summary>Checks sort keys against the queryables (a geometry is not sortable).</summary>
    public static void CheckSort(IReadOnlyList<SortKey> keys, IReadOnlyList<Queryable> queryables)
    {
        foreach (var k in keys)
        {
            var q = queryables.FirstOrDefault(q => q.Name == k.Property);
            if (q is null || q.Type == QueryableType.Geometry)
                throw new Cql2Exception(Note.Of("cql.sortby_unknown", ("property", k.Property),
                    ("queryables", queryables.Where(x => x.Type != QueryableType.Geometry).Select(x => x.Name).ToArray())));
        }
    }

    /// <summary>The fragment for an entity's table; column names come from the EF model.</summary>
    public static SqlFilter Translate(CqlNode filter, IEntityType entity, FeatureQuery query)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var t = new CqlSql(Queryables.Of(entity.ClrType), m => entity.FindProperty(m)!.GetColumnName(table)!, query);
        var where = t.Predicate(filter);
        return new SqlFilter(where, t._parameters);
    }

    private string Parameter(object value, NpgsqlDbType type)
    {
        var name = "cql" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new NpgsqlParameter(name, type) { Value = value });
        return "@" + name;
    }

    private static string Quote(string column) => "\"" + column.Replace("\"", "\"\"") + "\"";

    private Queryable Property(string name)
    {
        var q = _queryables.FirstOrDefault(q => q.Name == name);
        return q ?? throw new Cql2Exception(Note.Of("cql.unknown_property", ("property", name), ("queryables", _queryables.Select(x => x.Name).ToArray())));
    }

    private string Predicate(CqlNode node) => node switch
    {
        CqlLogical l => "(" + string.Join(l.And ? " AND " : " OR ", l.Args.Select(Predicate)) + ")",
        CqlNot n => "(NOT " + Predicate(n.Arg) + ")",
        CqlBoolean b => b.Value ? "TRUE" : "FALSE",
        CqlIsNull i => "(" + Operand(i.Operand, null).Sql + " IS NULL)",
        CqlComparison c => Comparison(c),
        CqlSpatial s => Spatial(s),
        _ => throw new Cql2Exception(Note.Of("cql.not_predicate", ("what", Describe(node)))),
    };

    private static string Describe(CqlNode node) => node switch
    {
        CqlProperty p => p.Name,
        CqlText => "string",
        CqlNumber => "number",
        CqlBoolean => "boolean",
        CqlTimestamp => "timestamp",
        CqlDate => "date",
        CqlGeometry => "geometry",
        _ => "expression",
    };

    /// <summary>The kind an operand is compared as: the queryable's type, or the literal's.</summary>
    private static string Kind(QueryableType t) => t switch
    {
        QueryableType.Integer or QueryableType.Number => "number",
        _ => t.ToString().ToLowerInvariant(),
    };

    private (string Sql, string Kind, Queryable? Property) Operand(CqlNode node, string? other)
    {
        switch (node)
        {
            case CqlProperty p:
                var q = Property(p.Name);
                if (q.Type == QueryableType.Geometry)
                    throw new Cql2Exception(Note.Of("cql.geometry_compared", ("property", q.Name)));
                var sql = Quote(_column(q.Member));
                // A timestamp property compared with a DATE is compared by its UTC day.
                if (q.Type == QueryableType.Timestamp && other == "date") sql = "((" + sql + " AT TIME ZONE 'UTC')::date)";
                return (sql, Kind(q.Type), q);
            case CqlText t: return (Parameter(t.Value, NpgsqlDbType.Text), "string", null);
            case CqlNumber n: return (Parameter(n.Value, NpgsqlDbType.Double), "number", null);
            case CqlBoolean b: return (Parameter(b.Value, NpgsqlDbType.Boolean), "boolean", null);
            case CqlTimestamp ts: return (Parameter(ts.Value.UtcDateTime, NpgsqlDbType.TimestampTz), "timestamp", null);
            case CqlDate d: return (Parameter(d.Value, NpgsqlDbType.Date), "date", null);
            default: throw new Cql2Exception(Note.Of("cql.geometry_compared", ("property", Describe(node))));
        }
    }

    private static string? LiteralKind(CqlNode node) => node switch
    {
        CqlText => "string", CqlNumber => "number", CqlBoolean => "boolean", CqlTimestamp => "timestamp", CqlDate => "date", _ => null,
    };

    private string Comparison(CqlComparison c)
    {
        var left = Operand(c.Left, LiteralKind(c.Right));
        var right = Operand(c.Right, LiteralKind(c.Left));
        if (!Comparable(left.Kind, right.Kind))
        {
            var property = left.Property ?? right.Property;
            var other = property == left.Property ? right.Kind : left.Kind;
            throw property is null
                ? new Cql2Exception(Note.Of("cql.literal_mismatch", ("left", left.Kind), ("right", right.Kind)))
                : new Cql2Exception(Note.Of("cql.type_mismatch", ("property", property.Name), ("type", Kind(property.Type)), ("other", other),
                    ("queryables", _queryables.Select(q => $"{q.Name} ({(q.Type == QueryableType.Geometry ? "geometry" : Kind(q.Type))})").ToArray())));
        }
        var op = c.Op switch
        {
            CqlComparisonOp.Equal => "=", CqlComparisonOp.NotEqual => "<>", CqlComparisonOp.Less => "<",
            CqlComparisonOp.LessOrEqual => "<=", CqlComparisonOp.Greater => ">", _ => ">=",
        };
        return "(" + left.Sql + " " + op + " " + right.Sql + ")";
    }

    private static bool Comparable(string a, string b) =>
        a == b || (a, b) is ("timestamp", "date") or ("date", "timestamp");

    private string Spatial(CqlSpatial s)
    {
        var fn = s.Op switch
        {
            CqlSpatialOp.Intersects => "ST_Intersects", CqlSpatialOp.Disjoint => "ST_Disjoint", CqlSpatialOp.Equals => "ST_Equals",
            CqlSpatialOp.Touches => "ST_Touches", CqlSpatialOp.Within => "ST_Within", CqlSpatialOp.Overlaps => "ST_Overlaps",
            CqlSpatialOp.Crosses => "ST_Crosses", _ => "ST_Contains",
        };
        return fn + "(" + GeometryOperand(s.Left) + ", " + GeometryOperand(s.Right) + ")";
    }

    private string GeometryOperand(CqlNode node)
    {
        switch (node)
        {
            case CqlProperty p:
                var q = Property(p.Name);
                if (q.Type != QueryableType.Geometry)
                    throw new Cql2Exception(Note.Of("cql.not_geometry", ("property", q.Name),
                        ("geometries", _queryables.Where(x => x.Type == QueryableType.Geometry).Select(x => x.Name).ToArray())));
                return Quote(_column(q.Member));
            case CqlGeometry g:
                var geometry = _query.LatLon ? Swapped(g.Value) : g.Value;
                var wkb = Parameter(new WKBWriter().Write(geometry), NpgsqlDbType.Bytea);
                var srid = _query.FilterSrid.ToString(CultureInfo.InvariantCulture);
                return _query.FilterSrid == 4326
                    ? "ST_GeomFromWKB(" + wkb + ", 4326)"
                    : "ST_Transform(ST_GeomFromWKB(" + wkb + ", " + srid + "), 4326)";
            default:
                throw new Cql2Exception(Note.Of("cql.not_geometry", ("property", Describe(node)),
                    ("geometries", _queryables.Where(x => x.Type == QueryableType.Geometry).Select(x => x.Name).ToArray())));
        }
    }

    private static Geometry Swapped(Geometry g)
    {
        var copy = g.Copy();
        copy.Apply(new SwapAxes());
        return copy;
    }

    private sealed class SwapAxes : IEntireCoordinateSequenceFilter
    {
        public void Filter(CoordinateSequence seq)
        {
            for (var i = 0; i < seq.Count; i++)
            {
                var x = seq.GetX(i);
                seq.SetX(i, seq.GetY(i));
                seq.SetY(i, x);
            }
        }

        public bool Done => false;
        public bool GeometryChanged => true;
    }
}

/// <summary>The filter and the sort applied to a table, composed with the bbox and the LINQ that follows.</summary>
public static class FeatureQueries
{
    /// <summary>
    /// The rows of the set that the bbox (if any) and the filter keep, as one SQL query EF composes with: table and
    /// column names from the EF model, values as parameters.
    /// </summary>
    public static IQueryable<T> Matching<T>(this DbSet<T> set, Expression<Func<T, Geometry>> geometry, Geometry? area, CqlNode filter, FeatureQuery query)
        where T : class
    {
        var entity = set.EntityType;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = CqlSql.Translate(filter, entity, query);
        var parameters = sql.Parameters.Cast<object>().ToList();
        var text = new StringBuilder("SELECT * FROM \"").Append(entity.GetTableName()).Append("\" WHERE ").Append(sql.Where);
        if (area is not null)
        {
            var column = entity.FindProperty(((MemberExpression)geometry.Body).Member.Name)!.GetColumnName(table)!;
            text.Append(" AND ST_Intersects(\"").Append(column).Append("\", @area)");
            parameters.Add(new NpgsqlParameter("area", area));
        }
        return set.FromSqlRaw(text.ToString(), parameters.ToArray());
    }

    /// <summary>The query in sortby's order, then by the collection's key (so pages are stable).</summary>
    public static IQueryable<T> Sorted<T, TKey>(this IQueryable<T> query, IReadOnlyList<SortKey>? sortBy, Expression<Func<T, TKey>> key)
        where T : class
    {
        if (sortBy is not { Count: > 0 }) return query.OrderBy(key);
        var queryables = Queryables.Of(typeof(T));
        IOrderedQueryable<T>? ordered = null;
        foreach (var k in sortBy)
        {
            var member = queryables.First(q => q.Name == k.Property).Member;
            ordered = ordered is null
                ? k.Descending ? query.OrderByDescending(e => EF.Property<object>(e, member)) : query.OrderBy(e => EF.Property<object>(e, member))
                : k.Descending ? ordered.ThenByDescending(e => EF.Property<object>(e, member)) : ordered.ThenBy(e => EF.Property<object>(e, member));
        }
        return ordered!.ThenBy(key);
    }
}
