using System.Globalization;
using BarrioSeguro.Geo.Core.Filters;
using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace BarrioSeguro.Geo.IO.Cql2;

/// <summary>
/// A recursive-descent reader of the CQL2 text encoding (OGC 21-065r2): Basic CQL2 (comparisons, IS [NOT] NULL,
/// AND/OR/NOT, string/number/boolean/TIMESTAMP/DATE literals) and the spatial functions (S_INTERSECTS and siblings with
/// WKT POINT, LINESTRING, POLYGON, MULTI*, GEOMETRYCOLLECTION and BBOX). Keywords are case-insensitive; positions in
/// refusals are 1-based characters.
/// </summary>
public sealed class Cql2Text
{
    private readonly string _s;
    private int _i;
    private int _depth;
    private int _vertices;

    private Cql2Text(string s) => _s = s;

    /// <summary>The expression of a filter.</summary>
    /// <exception cref="Cql2Exception">A syntax error (with its position) or a limit passed.</exception>
    public static CqlNode Parse(string text)
    {
        if (text.Length > Cql2Limits.MaxLength)
            throw new Cql2Exception(Note.Of("cql.too_long", ("length", text.Length), ("max", Cql2Limits.MaxLength)));
        var p = new Cql2Text(text);
        p.Skip();
        if (p.AtEnd) throw new Cql2Exception(Note.Of("cql.empty"));
        var node = p.Or();
        p.Skip();
        if (!p.AtEnd) throw p.Unexpected("AND, OR");
        return node;
    }

    private bool AtEnd => _i >= _s.Length;

    private void Skip()
    {
        while (_i < _s.Length && char.IsWhiteSpace(_s[_i])) _i++;
    }

    private Cql2Exception Unexpected(string expected)
    {
        Skip();
        var found = AtEnd ? "" : _s.Substring(_i, Math.Min(20, _s.Length - _i));
        return AtEnd
            ? new Cql2Exception(Note.Of("cql.unexpected_end", ("pos", _i + 1), ("expected", expected)))
            : new Cql2Exception(Note.Of("cql.unexpected", ("pos", _i + 1), ("found", found), ("expected", expected)));
    }

    private void Enter()
    {
        if (++_depth > Cql2Limits.MaxDepth)
            throw new Cql2Exception(Note.Of("cql.too_deep", ("pos", _i + 1), ("max", Cql2Limits.MaxDepth)));
    }

    /// <summary>The next word (letters, digits, _) without consuming it, upper-cased; "" when none.</summary>
    private string PeekWord()
    {
        Skip();
        var j = _i;
        while (j < _s.Length && (char.IsAsciiLetterOrDigit(_s[j]) || _s[j] == '_')) j++;
        return j == _i || char.IsAsciiDigit(_s[_i]) ? "" : _s[_i..j].ToUpperInvariant();
    }

    private bool Keyword(string word)
    {
        if (PeekWord() != word) return false;
        _i += word.Length;
        return true;
    }

    private void Expect(char c)
    {
        Skip();
        if (AtEnd || _s[_i] != c) throw Unexpected($"'{c}'");
        _i++;
    }

    private bool Take(char c)
    {
        Skip();
        if (AtEnd || _s[_i] != c) return false;
        _i++;
        return true;
    }

    private CqlNode Or()
    {
        Enter();
        var args = new List<CqlNode> { And() };
        while (Keyword("OR")) args.Add(And());
        _depth--;
        return args.Count == 1 ? args[0] : new CqlLogical(false, args);
    }

    private CqlNode And()
    {
        var args = new List<CqlNode> { Not() };
        while (Keyword("AND")) args.Add(Not());
        return args.Count == 1 ? args[0] : new CqlLogical(true, args);
    }

    private CqlNode Not()
    {
        if (!Keyword("NOT")) return Primary();
        Enter();
        var arg = Not();
        _depth--;
        return new CqlNot(arg);
    }

    private CqlNode Primary()
    {
        Skip();
        if (Take('('))
        {
            var inner = Or();
            Expect(')');
            return inner;
        }
        var word = PeekWord();
        if (SpatialOps.TryGetValue(word, out var op))
        {
            _i += word.Length;
            Expect('(');
            var left = GeometryOperand();
            Expect(',');
            var right = GeometryOperand();
            Expect(')');
            return new CqlSpatial(op, left, right);
        }
        var start = _i;
        var operand = Scalar();
        if (operand is CqlBoolean b && !StartsPredicateTail()) return b;
        if (Keyword("IS"))
        {
            var negated = Keyword("NOT");
            if (!Keyword("NULL")) throw Unexpected("NULL");
            return negated ? new CqlNot(new CqlIsNull(operand)) : new CqlIsNull(operand);
        }
        Skip();
        var compare = ComparisonOp();
        if (compare is null)
        {
            _i = Math.Max(_i, start);
            throw Unexpected("=, <>, <, <=, >, >=, IS NULL");
        }
        return new CqlComparison(compare.Value, operand, Scalar());
    }

    private bool StartsPredicateTail()
    {
        Skip();
        return !AtEnd && (_s[_i] is '=' or '<' or '>' || PeekWord() == "IS");
    }

    private CqlComparisonOp? ComparisonOp()
    {
        if (AtEnd) return null;
        var two = _i + 1 < _s.Length ? _s.Substring(_i, 2) : "";
        (CqlComparisonOp? op, int length) = two switch
        {
            "<>" => (CqlComparisonOp.NotEqual, 2),
            "<=" => (CqlComparisonOp.LessOrEqual, 2),
            ">=" => (CqlComparisonOp.GreaterOrEqual, 2),
            _ => _s[_i] switch
            {
                '=' => (CqlComparisonOp.Equal, 1),
                '<' => (CqlComparisonOp.Less, 1),
                '>' => ((CqlComparisonOp?)CqlComparisonOp.Greater, 1),
                _ => ((CqlComparisonOp?)null, 0),
            },
        };
        _i += length;
        return op;
    }

    private static readonly Dictionary<string, CqlSpatialOp> SpatialOps = new(StringComparer.Ordinal)
    {
        ["S_INTERSECTS"] = CqlSpatialOp.Intersects, ["S_DISJOINT"] = CqlSpatialOp.Disjoint, ["S_EQUALS"] = CqlSpatialOp.Equals,
        ["S_TOUCHES"] = CqlSpatialOp.Touches, ["S_WITHIN"] = CqlSpatialOp.Within, ["S_OVERLAPS"] = CqlSpatialOp.Overlaps,
        ["S_CROSSES"] = CqlSpatialOp.Crosses, ["S_CONTAINS"] = CqlSpatialOp.Contains,
    };

    private static readonly HashSet<string> WktWords =
        ["POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON", "GEOMETRYCOLLECTION"];

    /// <summary>A literal or a property name.</summary>
    private CqlNode Scalar()
    {
        Skip();
        if (AtEnd) throw Unexpected("a property, a string, a number, TRUE, FALSE, TIMESTAMP or DATE");
        var c = _s[_i];
        if (c == '\'') return new CqlText(QuotedString());
        if (c == '"') return new CqlProperty(QuotedIdentifier());
        if (char.IsAsciiDigit(c) || c is '-' or '+' or '.') return Number();
        var word = PeekWord();
        switch (word)
        {
            case "TRUE": _i += 4; return new CqlBoolean(true);
            case "FALSE": _i += 5; return new CqlBoolean(false);
            case "TIMESTAMP": return Timestamp();
            case "DATE": return Date();
        }
        if (word is "" || Reserved.Contains(word) || WktWords.Contains(word) || word == "BBOX")
            throw Unexpected("a property, a string, a number, TRUE, FALSE, TIMESTAMP or DATE");
        return new CqlProperty(Identifier());
    }

    private static readonly HashSet<string> Reserved = ["AND", "OR", "NOT", "IS", "NULL"];

    private CqlNode GeometryOperand()
    {
        Skip();
        if (!AtEnd && _s[_i] == '"') return new CqlProperty(QuotedIdentifier());
        var word = PeekWord();
        if (word == "BBOX") return Bbox();
        if (WktWords.Contains(word)) return Wkt();
        if (word is "" || Reserved.Contains(word)) throw Unexpected("a geometry property, a WKT geometry or BBOX(...)");
        return new CqlProperty(Identifier());
    }

    private string Identifier()
    {
        Skip();
        var start = _i;
        while (_i < _s.Length && (char.IsLetterOrDigit(_s[_i]) || _s[_i] is '_' or '.' or ':')) _i++;
        if (_i == start) throw Unexpected("a property name");
        return _s[start.._i];
    }

    private string QuotedIdentifier()
    {
        var start = _i++;
        var end = _s.IndexOf('"', _i);
        if (end < 0) throw new Cql2Exception(Note.Of("cql.unterminated", ("pos", start + 1)));
        var name = _s[_i..end];
        _i = end + 1;
        if (name.Length == 0) throw new Cql2Exception(Note.Of("cql.unexpected", ("pos", start + 1), ("found", "\"\""), ("expected", "a property name")));
        return name;
    }

    /// <summary>'...' with '' (and \') for a quote inside.</summary>
    private string QuotedString()
    {
        var start = _i++;
        var text = new System.Text.StringBuilder();
        while (true)
        {
            if (AtEnd) throw new Cql2Exception(Note.Of("cql.unterminated", ("pos", start + 1)));
            var c = _s[_i++];
            if (c == '\\' && !AtEnd && _s[_i] == '\'') { text.Append('\''); _i++; continue; }
            if (c != '\'') { text.Append(c); continue; }
            if (!AtEnd && _s[_i] == '\'') { text.Append('\''); _i++; continue; }
            return text.ToString();
        }
    }

    private CqlNumber Number()
    {
        Skip();
        var start = _i;
        if (AtEnd) throw Unexpected("a number");
        if (_s[_i] is '-' or '+') _i++;
        while (_i < _s.Length && (char.IsAsciiDigit(_s[_i]) || _s[_i] == '.')) _i++;
        if (_i < _s.Length && _s[_i] is 'e' or 'E')
        {
            _i++;
            if (_i < _s.Length && _s[_i] is '-' or '+') _i++;
            while (_i < _s.Length && char.IsAsciiDigit(_s[_i])) _i++;
        }
        var text = _s[start.._i];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw new Cql2Exception(Note.Of("cql.bad_number", ("pos", start + 1), ("text", text)));
        return new CqlNumber(v);
    }

    private string CallArgument(string word)
    {
        _i += word.Length;
        Expect('(');
        Skip();
        if (AtEnd || _s[_i] != '\'') throw Unexpected("a quoted string");
        var at = _i;
        var value = QuotedString();
        Expect(')');
        _lastArgumentAt = at;
        return value;
    }

    private int _lastArgumentAt;

    private CqlTimestamp Timestamp()
    {
        var text = CallArgument("TIMESTAMP");
        return Cql2Literals.Timestamp(text) is { } t ? new CqlTimestamp(t)
            : throw new Cql2Exception(Note.Of("cql.bad_timestamp", ("pos", _lastArgumentAt + 1), ("text", text)));
    }

    private CqlDate Date()
    {
        var text = CallArgument("DATE");
        return Cql2Literals.Date(text) is { } d ? new CqlDate(d)
            : throw new Cql2Exception(Note.Of("cql.bad_date", ("pos", _lastArgumentAt + 1), ("text", text)));
    }

    private CqlGeometry Bbox()
    {
        var start = _i;
        _i += 4;
        Expect('(');
        var numbers = new List<double> { Number().Value };
        while (Take(',')) numbers.Add(Number().Value);
        Expect(')');
        return new CqlGeometry(Cql2Literals.Bbox(numbers)
            ?? throw new Cql2Exception(Note.Of("cql.bad_bbox", ("pos", start + 1), ("count", numbers.Count))));
    }

    /// <summary>A WKT literal: its extent found by its parentheses, then read by NetTopologySuite.</summary>
    private CqlGeometry Wkt()
    {
        var start = _i;
        var open = _s.IndexOf('(', _i);
        int end;
        if (open < 0) throw Unexpected("'('");
        var level = 0;
        end = open;
        for (; end < _s.Length; end++)
        {
            if (_s[end] == '(') level++;
            else if (_s[end] == ')' && --level == 0) break;
            if (level > Cql2Limits.MaxDepth)
                throw new Cql2Exception(Note.Of("cql.too_deep", ("pos", end + 1), ("max", Cql2Limits.MaxDepth)));
        }
        if (end >= _s.Length) throw new Cql2Exception(Note.Of("cql.unterminated", ("pos", open + 1)));
        var wkt = _s[start..(end + 1)];
        Geometry geometry;
        try
        {
            geometry = new WKTReader { IsOldNtsCoordinateSyntaxAllowed = false }.Read(wkt);
        }
        catch (Exception e) when (e is ParseException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new Cql2Exception(Note.Of("cql.bad_geometry", ("pos", start + 1), ("reason", e.Message)));
        }
        _vertices += geometry.NumPoints;
        if (_vertices > Cql2Limits.MaxVertices)
            throw new Cql2Exception(Note.Of("cql.too_many_vertices", ("pos", start + 1), ("max", Cql2Limits.MaxVertices)));
        _i = end + 1;
        return new CqlGeometry(geometry);
    }
}

/// <summary>The literal forms both encodings share.</summary>
internal static class Cql2Literals
{
    public static DateTimeOffset? Timestamp(string text) =>
        text.Length >= 20 && (text.EndsWith('Z') || text.EndsWith("z"))
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : null;

    public static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    /// <summary>BBOX(minx, miny, maxx, maxy) or its 6-number form (heights dropped) as a polygon; null when malformed.</summary>
    public static Geometry? Bbox(IReadOnlyList<double> n)
    {
        if (n.Count is not (4 or 6)) return null;
        var (x0, y0, x1, y1) = n.Count == 4 ? (n[0], n[1], n[2], n[3]) : (n[0], n[1], n[3], n[4]);
        if (x0 > x1 || y0 > y1) return null;
        return new GeometryFactory().ToGeometry(new Envelope(x0, x1, y0, y1));
    }
}
