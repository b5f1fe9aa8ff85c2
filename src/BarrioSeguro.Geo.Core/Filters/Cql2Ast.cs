using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Filters;

/// <summary>
/// A CQL2 expression (OGC 21-065r2), read from the text or the JSON encoding into the same tree. It knows nothing of SQL:
/// the data layer translates it with parameters only.
/// </summary>
public abstract record CqlNode;

/// <summary>A property of the features, by the name the queryables publish.</summary>
public sealed record CqlProperty(string Name) : CqlNode;

/// <summary>A character string literal.</summary>
public sealed record CqlText(string Value) : CqlNode;

/// <summary>A numeric literal.</summary>
public sealed record CqlNumber(double Value) : CqlNode;

/// <summary>TRUE or FALSE, as an operand or as a whole predicate.</summary>
public sealed record CqlBoolean(bool Value) : CqlNode;

/// <summary>TIMESTAMP('2017-01-01T00:00:00Z'): an instant in UTC.</summary>
public sealed record CqlTimestamp(DateTimeOffset Value) : CqlNode;

/// <summary>DATE('2017-01-01'): a calendar day.</summary>
public sealed record CqlDate(DateOnly Value) : CqlNode;

/// <summary>A geometry literal (WKT, GeoJSON or BBOX) in the filter's CRS, as given (no SRID set).</summary>
public sealed record CqlGeometry(Geometry Value) : CqlNode;

/// <summary>The comparison operators of Basic CQL2.</summary>
public enum CqlComparisonOp { Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual }

/// <summary>Left op right, e.g. class = 'primary'.</summary>
public sealed record CqlComparison(CqlComparisonOp Op, CqlNode Left, CqlNode Right) : CqlNode;

/// <summary>operand IS NULL (IS NOT NULL is a <see cref="CqlNot"/> of it).</summary>
public sealed record CqlIsNull(CqlNode Operand) : CqlNode;

/// <summary>All of the arguments hold (And) or one of them does (Or).</summary>
public sealed record CqlLogical(bool And, IReadOnlyList<CqlNode> Args) : CqlNode;

/// <summary>NOT predicate.</summary>
public sealed record CqlNot(CqlNode Arg) : CqlNode;

/// <summary>The spatial functions of CQL2 (S_INTERSECTS is Basic Spatial Functions; the others Spatial Functions).</summary>
public enum CqlSpatialOp { Intersects, Disjoint, Equals, Touches, Within, Overlaps, Crosses, Contains }

/// <summary>S_INTERSECTS(geometry, geometry) and its siblings: each operand a geometry property or literal.</summary>
public sealed record CqlSpatial(CqlSpatialOp Op, CqlNode Left, CqlNode Right) : CqlNode;

/// <summary>The limits a filter must keep, named in the refusal when it does not.</summary>
public static class Cql2Limits
{
    /// <summary>The longest filter, in characters (text or JSON).</summary>
    public const int MaxLength = 10_000;

    /// <summary>The deepest nesting of parentheses, NOTs, ANDs and ORs (JSON: of arrays and objects).</summary>
    public const int MaxDepth = 32;

    /// <summary>The most vertices of all geometry literals of a filter together.</summary>
    public const int MaxVertices = 1_000;
}
