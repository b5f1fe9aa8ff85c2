using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>What to do with a feature of a street file that is not a line.</summary>
public enum NonLines
{
    /// <summary>Leave it out and say so in one note (the default: clipped extracts carry touch points).</summary>
    Skip,

    /// <summary>Refuse the whole file, naming the first such feature.</summary>
    Refuse,
}

/// <summary>A feature left out of a street file: its number in the file (from 1) and its geometry type.</summary>
public sealed record NonLineFeature(int Number, string GeometryType);

/// <summary>
/// The lines of a street feature. Streets clipped to a district in a desktop GIS or with ST_Intersection come back as
/// Points, MultiPoints or GeometryCollections where a street only touches the boundary: those carry no street.
/// </summary>
public static class StreetGeometry
{
    /// <summary>How many left-out features a note names before it says "and N more".</summary>
    public const int NamedInNote = 10;

    /// <summary>The words for <see cref="NonLines"/> on a command line or in a query: "skip", "refuse".</summary>
    public static NonLines ParseNonLines(string text) => text.Trim().ToLowerInvariant() switch
    {
        "skip" => NonLines.Skip,
        "refuse" => NonLines.Refuse,
        _ => throw new RefusalException(Note.Of("input.refused_non_lines_word", ("value", text)), nameof(text)),
    };

    /// <summary>
    /// The geometry as a street: a LineString or MultiLineString as it is; the line parts of a GeometryCollection
    /// (nested ones too) as a LineString or MultiLineString; null for anything holding no line (Point, MultiPoint,
    /// polygons, a collection of points, an empty geometry).
    /// </summary>
    public static Geometry? LinesOf(Geometry? geometry)
    {
        switch (geometry)
        {
            case null:
                return null;
            case LineString or MultiLineString:
                return geometry.IsEmpty ? null : geometry;
            case GeometryCollection c when c is not (MultiPoint or MultiPolygon):
                var lines = new List<LineString>();
                Collect(c, lines);
                if (lines.Count == 0) return null;
                var result = lines.Count == 1 ? (Geometry)lines[0] : c.Factory.CreateMultiLineString(lines.ToArray());
                result.SRID = c.SRID;
                return result;
            default:
                return null;
        }
    }

    /// <summary>True when <see cref="LinesOf"/> keeps only part of the geometry (a collection with points or polygons too).</summary>
    public static bool IsMixedCollection(Geometry? geometry) =>
        geometry is GeometryCollection c and not (MultiPoint or MultiLineString or MultiPolygon) && LinesOf(c) is { } lines
        && lines.NumGeometries < CountParts(c);

    /// <summary>
    /// The note for the left-out features, e.g.
    /// "left out 3 features that are not lines: #17 MultiPoint, #18 GeometryCollection, #20 Point"; null when none.
    /// </summary>
    public static Note? LeftOut(IReadOnlyList<NonLineFeature> leftOut)
    {
        if (leftOut.Count == 0) return null;
        var named = Named(leftOut);
        return leftOut.Count > NamedInNote
            ? Note.Of("streets.left_out_more", ("count", leftOut.Count), ("features", named), ("more", leftOut.Count - NamedInNote))
            : Note.Of("streets.left_out", ("count", leftOut.Count), ("features", named));
    }

    /// <summary>The refusal of a file in which no feature is a street line: the left-out features named.</summary>
    public static Note NoStreet(IReadOnlyList<NonLineFeature> leftOut)
    {
        var named = Named(leftOut);
        return leftOut.Count > NamedInNote
            ? Note.Of("streets.none_more", ("count", leftOut.Count), ("features", named), ("more", leftOut.Count - NamedInNote))
            : Note.Of("streets.none", ("count", leftOut.Count), ("features", named));
    }

    /// <summary>The note for collections whose points or polygons were dropped and lines kept; null when none.</summary>
    public static Note? PartlyKept(IReadOnlyList<int> numbers)
    {
        if (numbers.Count == 0) return null;
        var named = numbers.Take(NamedInNote).Select(n => string.Create(CultureInfo.InvariantCulture, $"#{n}")).ToList();
        return numbers.Count > NamedInNote
            ? Note.Of("streets.partly_kept_more", ("count", numbers.Count), ("features", named), ("more", numbers.Count - NamedInNote))
            : Note.Of("streets.partly_kept", ("count", numbers.Count), ("features", named));
    }

    /// <summary>The refusal of the first non-line feature under <see cref="NonLines.Refuse"/>.</summary>
    public static Note Refusal(NonLineFeature first, int total) =>
        Note.Of("streets.refused_non_line", ("feature", first.Number), ("type", first.GeometryType), ("count", total));

    private static List<string> Named(IReadOnlyList<NonLineFeature> leftOut) =>
        leftOut.Take(NamedInNote).Select(f => string.Create(CultureInfo.InvariantCulture, $"#{f.Number} {f.GeometryType}")).ToList();

    private static void Collect(Geometry g, List<LineString> lines)
    {
        if (g is LineString l)
        {
            if (!l.IsEmpty) lines.Add(l);
            return;
        }
        if (g is GeometryCollection c)
            for (var i = 0; i < c.NumGeometries; i++) Collect(c.GetGeometryN(i), lines);
    }

    private static int CountParts(Geometry g)
    {
        if (g is not GeometryCollection c) return g.IsEmpty ? 0 : 1;
        var n = 0;
        for (var i = 0; i < c.NumGeometries; i++) n += CountParts(c.GetGeometryN(i));
        return n;
    }
}
