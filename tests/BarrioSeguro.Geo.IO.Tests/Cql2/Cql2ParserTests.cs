using BarrioSeguro.Geo.Core.Filters;
using BarrioSeguro.Geo.IO.Cql2;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.IO.Tests.Cql2;

/// <summary>The CQL2 text and JSON readers (OGC 21-065r2): each operator, the spec's Basic examples, errors with their place.</summary>
public class Cql2ParserTests
{
    private static CqlProperty P(string name) => new(name);

    public static TheoryData<string, CqlComparisonOp> Operators => new()
    {
        { "=", CqlComparisonOp.Equal }, { "<>", CqlComparisonOp.NotEqual }, { "<", CqlComparisonOp.Less },
        { "<=", CqlComparisonOp.LessOrEqual }, { ">", CqlComparisonOp.Greater }, { ">=", CqlComparisonOp.GreaterOrEqual },
    };

    [Theory]
    [MemberData(nameof(Operators))]
    public void Each_comparison_reads_the_same_in_text_and_JSON(string op, CqlComparisonOp expected)
    {
        var text = Cql2Text.Parse($"layer {op} 2");
        var json = Cql2Json.Parse($$"""{"op":"{{op}}","args":[{"property":"layer"},2]}""");
        Assert.Equal(new CqlComparison(expected, P("layer"), new CqlNumber(2)), text);
        Assert.Equal(text, json);
    }

    [Fact]
    public void Literals_of_every_basic_kind_are_read()
    {
        Assert.Equal(new CqlComparison(CqlComparisonOp.Equal, P("name"), new CqlText("Jirón O'Higgins")),
            Cql2Text.Parse("name = 'Jirón O''Higgins'"));
        Assert.Equal(new CqlComparison(CqlComparisonOp.Less, P("x"), new CqlNumber(-1.5e3)), Cql2Text.Parse("x<-1.5e3"));
        Assert.Equal(new CqlComparison(CqlComparisonOp.Equal, P("oneway"), new CqlBoolean(false)), Cql2Text.Parse("oneway = false"));
        Assert.Equal(new CqlComparison(CqlComparisonOp.GreaterOrEqual, P("occurredAt"), new CqlTimestamp(new DateTimeOffset(2017, 3, 1, 5, 0, 0, TimeSpan.Zero))),
            Cql2Text.Parse("occurredAt >= TIMESTAMP('2017-03-01T05:00:00Z')"));
        Assert.Equal(new CqlComparison(CqlComparisonOp.Less, P("occurredAt"), new CqlDate(new DateOnly(2017, 4, 1))),
            Cql2Text.Parse("occurredAt < date('2017-04-01')"));
        Assert.Equal(new CqlComparison(CqlComparisonOp.Equal, P("my prop"), new CqlNumber(1)), Cql2Text.Parse("\"my prop\" = 1"));
    }

    [Fact]
    public void And_binds_tighter_than_or_and_not_applies_to_the_next_predicate()
    {
        var a = new CqlComparison(CqlComparisonOp.Equal, P("a"), new CqlNumber(1));
        var b = new CqlComparison(CqlComparisonOp.Equal, P("b"), new CqlNumber(2));
        var c = new CqlComparison(CqlComparisonOp.Equal, P("c"), new CqlNumber(3));
        var tree = Cql2Text.Parse("a = 1 OR b = 2 and NOT c = 3");
        var expected = new CqlLogical(false, [a, new CqlLogical(true, [b, new CqlNot(c)])]);
        Assert.Equal(Show(expected), Show(tree));
        Assert.Equal(Show(new CqlLogical(true, [new CqlLogical(false, [a, b]), c])), Show(Cql2Text.Parse("(a = 1 OR b = 2) AND c = 3")));
        var json = Cql2Json.Parse("""{"op":"or","args":[{"op":"=","args":[{"property":"a"},1]},{"op":"and","args":[{"op":"=","args":[{"property":"b"},2]},{"op":"not","args":[{"op":"=","args":[{"property":"c"},3]}]}]}]}""");
        Assert.Equal(Show(expected), Show(json));
    }

    [Fact]
    public void Is_null_and_is_not_null()
    {
        Assert.Equal(new CqlIsNull(P("name")), Cql2Text.Parse("name IS NULL"));
        Assert.Equal(new CqlNot(new CqlIsNull(P("name"))), Cql2Text.Parse("name is not null"));
        Assert.Equal(new CqlIsNull(P("name")), Cql2Json.Parse("""{"op":"isNull","args":[{"property":"name"}]}"""));
    }

    /// <summary>The examples of the Basic CQL2 and Basic Spatial Functions classes of OGC 21-065r2 that our grammar covers.</summary>
    [Theory]
    [InlineData("city='Toronto'")]
    [InlineData("\"date\" < DATE('2022-04-16')")]
    [InlineData("updated >= TIMESTAMP('2012-08-10T05:30:00Z')")]
    [InlineData("name<>'Hornbach' AND ( NOT (type = 'Coffee' OR type='Tea') )")]
    [InlineData("floors>5")]
    [InlineData("owner IS NULL OR value IS NOT NULL")]
    [InlineData("swimming_pool=true")]
    [InlineData("S_INTERSECTS(geometry,POINT(36.319836 32.288087))")]
    [InlineData("S_INTERSECTS(geometry,BBOX(-128.098193, -1.1, -99999.0, 180.0, 90.0, 100000.0))")]
    [InlineData("S_INTERSECTS(geometry, POLYGON((-10 50, 10 50, 10 56, -10 56, -10 50)))")]
    [InlineData("S_INTERSECTS(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))")]
    [InlineData("S_INTERSECTS(geometry, LINESTRING(0 0, 1 1)) and S_WITHIN(geometry, MULTIPOINT((1 1), (2 2)))")]
    [InlineData("s_intersects(geometry, MULTILINESTRING((0 0, 1 1), (2 2, 3 3)))")]
    public void The_spec_examples_are_read(string filter) => Assert.NotNull(Cql2Text.Parse(filter));

    [Fact]
    public void Geometries_are_read_from_WKT_GeoJSON_and_BBOX()
    {
        var text = (CqlSpatial)Cql2Text.Parse("S_INTERSECTS(geometry, POINT(-79.04 -8.05))");
        Assert.Equal(CqlSpatialOp.Intersects, text.Op);
        Assert.Equal(new Coordinate(-79.04, -8.05), ((CqlGeometry)text.Right).Value.Coordinate);
        var json = (CqlSpatial)Cql2Json.Parse("""{"op":"s_intersects","args":[{"property":"geometry"},{"type":"Point","coordinates":[-79.04,-8.05]}]}""");
        Assert.True(((CqlGeometry)json.Right).Value.EqualsExact(((CqlGeometry)text.Right).Value));
        var box = (CqlSpatial)Cql2Json.Parse("""{"op":"s_intersects","args":[{"property":"geometry"},{"bbox":[-79.1,-8.1,-79.0,-8.0]}]}""");
        Assert.Equal(new Envelope(-79.1, -79.0, -8.1, -8.0), ((CqlGeometry)box.Right).Value.EnvelopeInternal);
        var textBox = (CqlSpatial)Cql2Text.Parse("S_INTERSECTS(geometry, BBOX(-79.1,-8.1,-79.0,-8.0))");
        Assert.True(((CqlGeometry)textBox.Right).Value.EqualsTopologically(((CqlGeometry)box.Right).Value));
    }

    /// <summary>Each syntax error names its character (1-based) and what was expected.</summary>
    [Theory]
    [InlineData("name = ", "cql.unexpected_end", 8)]
    [InlineData("name == 'x'", "cql.unexpected", 7)]
    [InlineData("name = 'x' AND", "cql.unexpected_end", 15)]
    [InlineData("name 'x'", "cql.unexpected", 6)]
    [InlineData("name = 'x", "cql.unterminated", 8)]
    [InlineData("(name = 'x'", "cql.unexpected_end", 12)]
    [InlineData("name = 'x')", "cql.unexpected", 11)]
    [InlineData("x = 1.2.3", "cql.bad_number", 5)]
    [InlineData("t > TIMESTAMP('yesterday')", "cql.bad_timestamp", 15)]
    [InlineData("t > DATE('2017-13-01')", "cql.bad_date", 10)]
    [InlineData("S_INTERSECTS(geometry, POINT(1))", "cql.bad_geometry", 24)]
    [InlineData("S_INTERSECTS(geometry, BBOX(1,2,3))", "cql.bad_bbox", 24)]
    [InlineData("S_INTERSECTS(geometry, POINT(1 2)", "cql.unexpected_end", 34)]
    [InlineData("AND = 1", "cql.unexpected", 1)]
    public void Syntax_errors_name_their_position(string filter, string code, int position)
    {
        var e = Assert.Throws<Cql2Exception>(() => Cql2Text.Parse(filter));
        Assert.Equal(code, e.Note.Code);
        Assert.Equal(position, Convert.ToInt32(e.Note.Args["pos"]));
    }

    [Theory]
    [InlineData("""{"op":"=","args":[{"property":"a"}]}""", "cql.json_args", "/args")]
    [InlineData("""{"op":"like","args":[{"property":"a"},"x"]}""", "cql.json_unknown_op", "/op")]
    [InlineData("""{"op":"and","args":[{"op":"=","args":[{"property":"a"},1]},{"op":"=","args":[{"property":"b"},[1]]}]}""", "cql.json_expected", "/args/1/args/1")]
    [InlineData("""{"op":"=","args":[{"property":"t"},{"timestamp":"nope"}]}""", "cql.json_bad_timestamp", "/args/1/timestamp")]
    [InlineData("""{"op":"s_intersects","args":[{"property":"g"},{"bbox":[1,2,3]}]}""", "cql.json_bad_bbox", "/args/1/bbox")]
    [InlineData("""{"args":[]}""", "cql.json_expected", "/")]
    public void JSON_errors_name_their_pointer(string filter, string code, string path)
    {
        var e = Assert.Throws<Cql2Exception>(() => Cql2Json.Parse(filter));
        Assert.Equal(code, e.Note.Code);
        Assert.Equal(path, e.Note.Args["path"]);
    }

    [Fact]
    public void Broken_JSON_is_refused_with_its_line_and_character() =>
        Assert.Equal("cql.json_syntax", Assert.Throws<Cql2Exception>(() => Cql2Json.Parse("{\"op\": ")).Note.Code);

    [Fact]
    public void Limits_are_named_when_they_refuse()
    {
        var huge = "name = '" + new string('x', Cql2Limits.MaxLength) + "'";
        var tooLong = Assert.Throws<Cql2Exception>(() => Cql2Text.Parse(huge));
        Assert.Equal(("cql.too_long", Cql2Limits.MaxLength), (tooLong.Note.Code, Convert.ToInt32(tooLong.Note.Args["max"])));

        var deep = new string('(', 40) + "a = 1" + new string(')', 40);
        Assert.Equal("cql.too_deep", Assert.Throws<Cql2Exception>(() => Cql2Text.Parse(deep)).Note.Code);
        var nots = string.Concat(Enumerable.Repeat("NOT ", 40)) + "a = 1";
        Assert.Equal("cql.too_deep", Assert.Throws<Cql2Exception>(() => Cql2Text.Parse(nots)).Note.Code);
        var deepJson = string.Concat(Enumerable.Repeat("{\"op\":\"not\",\"args\":[", 40)) + "true" + string.Concat(Enumerable.Repeat("]}", 40));
        Assert.Equal("cql.too_deep", Assert.Throws<Cql2Exception>(() => Cql2Json.Parse(deepJson)).Note.Code);
        // Exactly at the limit is read.
        Assert.NotNull(Cql2Text.Parse(new string('(', Cql2Limits.MaxDepth - 1) + "a = 1" + new string(')', Cql2Limits.MaxDepth - 1)));

        var line = "LINESTRING(" + string.Join(",", Enumerable.Range(0, Cql2Limits.MaxVertices + 1).Select(i => $"{i} 0")) + ")";
        Assert.Equal("cql.too_many_vertices", Assert.Throws<Cql2Exception>(() => Cql2Text.Parse($"S_INTERSECTS(geometry, {line})")).Note.Code);
    }

    /// <summary>Hostile text stays a string literal or is refused: nothing leaves the grammar.</summary>
    [Fact]
    public void Injection_attempts_are_literals_or_refusals()
    {
        Assert.Equal(new CqlComparison(CqlComparisonOp.Equal, P("name"), new CqlText("x'; DROP TABLE streets; --")),
            Cql2Text.Parse("name = 'x''; DROP TABLE streets; --'"));
        Assert.Throws<Cql2Exception>(() => Cql2Text.Parse("name = 'x'; DROP TABLE streets; --"));
        Assert.Throws<Cql2Exception>(() => Cql2Text.Parse("name = 1 OR 1=1; --"));
        // A property name in quotes may hold anything; the whitelist of the queryables decides whether it exists.
        Assert.Equal(P("name; DROP TABLE streets; --"), ((CqlComparison)Cql2Text.Parse("\"name; DROP TABLE streets; --\" = 1")).Left);
    }

    private static string Show(CqlNode n) => n switch
    {
        CqlLogical l => (l.And ? "and(" : "or(") + string.Join(",", l.Args.Select(Show)) + ")",
        CqlNot x => "not(" + Show(x.Arg) + ")",
        _ => n.ToString(),
    };
}
