using System.Globalization;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>A closed or half-open time interval (both ends included); a null end is open ("..").</summary>
public sealed record TimeInterval(DateTimeOffset? Start, DateTimeOffset? End)
{
    public bool Contains(DateTimeOffset t) => (Start is null || t >= Start) && (End is null || t <= End);
}

/// <summary>A coordinate reference system of OGC API - Features Part 2, by its URI.</summary>
/// <param name="Epsg">The EPSG code PROJ transforms with (4326 for CRS84 too).</param>
/// <param name="LatitudeFirst">EPSG:4326 asked by its EPSG URI: axis order latitude, longitude (Part 2).</param>
public sealed record OgcCrs(string Uri, int Epsg, bool LatitudeFirst)
{
    public bool IsStorage => Epsg == Crs.Wgs84 && !LatitudeFirst;
}

/// <summary>Parsing of the query parameters shared by the feature endpoints (OGC API - Features Parts 1 and 2).</summary>
public static partial class QueryParameters
{
    /// <summary>
    /// The page size when no limit is asked. GDAL 3.6 and QGIS send their own limit; a 1000 default keeps a browser's
    /// or a script's first page whole for most collections (El Milagro's 1060 streets: 2 pages).
    /// </summary>
    public const int DefaultLimit = 1000;

    /// <summary>The largest page; a larger limit is clamped to it (17-069r4 allows it: no error).</summary>
    public const int MaxLimit = 10000;

    public const string Crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

    /// <summary>What every OGC endpoint accepts: the response format and the language of notes and HTML.</summary>
    public static readonly IReadOnlyList<string> Common = ["f", "lang"];

    /// <summary>Parameters of OGC API - Features Part 1 and 2 on /items.</summary>
    public static readonly IReadOnlyList<string> Items = ["limit", "offset", "bbox", "bbox-crs", "datetime", "crs"];

    /// <summary>Parameters of /items/{id}.</summary>
    public static readonly IReadOnlyList<string> Item = ["crs"];

    /// <summary>
    /// Parameters of other parts (Part 3: CQL2 filters, sorting, property selection; a kept plan's collections: plan) that their endpoints read: known
    /// here so they are never refused as unknown.
    /// </summary>
    public static readonly IReadOnlySet<string> OtherParts =
        new HashSet<string>(["filter", "filter-lang", "filter-crs", "sortby", "properties", "plan"], StringComparer.Ordinal);

    /// <summary>The CRSs every collection can be read in (Part 2): CRS84 first (the default), then by EPSG code.</summary>
    public static readonly IReadOnlyList<int> OfferedEpsg = [4326, 3857, 24877, 24878, 24879, 31977, 31978, 31979, 32717, 32718, 32719];

    public static readonly IReadOnlyList<string> OfferedCrs =
        [Crs84, .. OfferedEpsg.Select(EpsgUri)];

    public static string EpsgUri(int epsg) => $"http://www.opengis.net/def/crs/EPSG/0/{epsg}";

    /// <summary>
    /// The first query parameter the endpoint does not know, as a note naming it and the accepted ones; null when all
    /// are known. Names are case-sensitive as in the standard.
    /// </summary>
    public static Note? Unknown(IQueryCollection query, IReadOnlyList<string> accepted)
    {
        foreach (var key in query.Keys)
        {
            if (Common.Contains(key) || accepted.Contains(key) || OtherParts.Contains(key)) continue;
            return Note.Of("ogc.unknown_parameter", ("parameter", key), ("accepted", Common.Concat(accepted).Concat(OtherParts).ToArray()));
        }
        return null;
    }

    /// <summary>limit: 1 and up, clamped to <see cref="MaxLimit"/>; absent gives <see cref="DefaultLimit"/>.</summary>
    public static (int Limit, Note? Error) ParseLimit(string? text)
    {
        if (text is null) return (DefaultLimit, null);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return (0, Note.Of("ogc.not_integer", ("parameter", "limit"), ("value", text)));
        if (value < 1) return (0, Note.Of("api.limit_min", ("limit", value)));
        return ((int)Math.Min(value, MaxLimit), null);
    }

    /// <summary>offset: 0 and up (an extension of the standard's paging, which next links use).</summary>
    public static (int Offset, Note? Error) ParseOffset(string? text)
    {
        if (text is null) return (0, null);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return (0, Note.Of("ogc.not_integer", ("parameter", "offset"), ("value", text)));
        if (value < 0) return (0, Note.Of("api.offset_negative", ("offset", value)));
        if (value > int.MaxValue) return (0, Note.Of("ogc.not_integer", ("parameter", "offset"), ("value", text)));
        return ((int)value, null);
    }

    /// <summary>Parses "minLon,minLat,maxLon,maxLat" (EPSG:4326); null and the reason (a note) when it is not one.</summary>
    public static (Envelope? Box, Note? Error) ParseBbox(string? bbox) => ParseBbox(bbox, null);

    /// <summary>
    /// A bbox of 4 numbers, or 6 (the heights, 3rd and 6th, are ignored: the data is 2D), in bbox-crs (default CRS84,
    /// lon/lat), as a lon/lat envelope in the storage CRS: a projected box is moved by PROJ (its edges densified), the
    /// stored geometries are not.
    /// </summary>
    public static (Envelope? Box, Note? Error) ParseBbox(string? bbox, OgcCrs? bboxCrs)
    {
        if (string.IsNullOrWhiteSpace(bbox)) return (null, null);
        var parts = bbox.Split(',');
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
                return (null, Note.Of("api.bbox_not_number", ("value", parts[i])));
        }
        if (values.Length is not (4 or 6)) return (null, Note.Of("api.bbox_count", ("count", values.Length)));
        var (minX, minY, maxX, maxY) = values.Length == 4
            ? (values[0], values[1], values[2], values[3])
            : (values[0], values[1], values[3], values[4]);
        if (bboxCrs is { LatitudeFirst: true }) (minX, minY, maxX, maxY) = (minY, minX, maxY, maxX);
        if (bboxCrs is null || bboxCrs.Epsg == Crs.Wgs84)
        {
            if (minX < -180 || maxX > 180 || minY < -90 || maxY > 90)
                return (null, Note.Of("api.bbox_degrees"));
            if (minX > maxX || minY > maxY) return (null, Note.Of("api.bbox_order"));
            var box = new Envelope(minX, maxX, minY, maxY);
            if (bboxCrs is null && !InputGeometryCheck.PeruExtent.Intersects(box) && InputGeometryCheck.PeruExtent.Intersects(new Envelope(minY, maxY, minX, maxX)))
                return (null, Note.Of("api.bbox_swapped"));
            return (box, null);
        }
        if (minX > maxX || minY > maxY) return (null, Note.Of("api.bbox_order"));
        return (ProjectedToLonLat(minX, minY, maxX, maxY, bboxCrs.Epsg), null);
    }

    // A box's image is not a box: its edges are walked (16 steps a side) so the lon/lat envelope holds all of it.
    private static Envelope ProjectedToLonLat(double minX, double minY, double maxX, double maxY, int epsg)
    {
        const int steps = 16;
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i <= steps; i++)
        {
            var t = (double)i / steps;
            var x = minX + t * (maxX - minX);
            var y = minY + t * (maxY - minY);
            xs.AddRange([x, x, minX, maxX]);
            ys.AddRange([minY, maxY, y, y]);
        }
        double[] xa = [.. xs], ya = [.. ys];
        Crs.Transform(xa, ya, epsg, Crs.Wgs84);
        return new Envelope(xa.Min(), xa.Max(), ya.Min(), ya.Max());
    }

    /// <summary>
    /// crs or bbox-crs: one of <see cref="OfferedCrs"/> by its URI (also "EPSG:n" or a URN); absent gives CRS84.
    /// EPSG:4326 by its EPSG name means latitude first, as Part 2 requires; CRS84 is longitude first.
    /// </summary>
    public static (OgcCrs? Crs, Note? Error) ParseCrs(string? text, string parameter)
    {
        if (text is null) return (new OgcCrs(Crs84, Crs.Wgs84, false), null);
        var t = text.Trim();
        if (t.Equals(Crs84, StringComparison.OrdinalIgnoreCase) || t.Equals("CRS84", StringComparison.OrdinalIgnoreCase)
            || t.Equals("OGC:CRS84", StringComparison.OrdinalIgnoreCase) || t.Equals("urn:ogc:def:crs:OGC:1.3:CRS84", StringComparison.OrdinalIgnoreCase))
            return (new OgcCrs(Crs84, Crs.Wgs84, false), null);
        var m = EpsgName().Match(t);
        if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && OfferedEpsg.Contains(code))
            return (new OgcCrs(EpsgUri(code), code, code == Crs.Wgs84), null);
        return (null, Note.Of("ogc.crs_unsupported", ("parameter", parameter), ("crs", text), ("supported", OfferedCrs.ToArray())));
    }

    [GeneratedRegex(@"^(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)(\d{1,6})$", RegexOptions.IgnoreCase)]
    private static partial Regex EpsgName();

    /// <summary>
    /// datetime (17-069r4 7.15.4): an RFC 3339 date-time or date (a whole UTC day), or an interval "a/b" whose ends may
    /// be open (".." or empty). Null without a parameter.
    /// </summary>
    public static (TimeInterval? Interval, Note? Error) ParseDatetime(string? text)
    {
        if (text is null) return (null, null);
        var bad = Note.Of("ogc.datetime_invalid", ("value", text));
        var parts = text.Split('/');
        if (parts.Length == 1)
        {
            if (IsDate(parts[0], out var day)) return (new TimeInterval(day, day.AddDays(1).AddTicks(-1)), null);
            return ParseInstant(parts[0]) is { } t ? (new TimeInterval(t, t), null) : (null, bad);
        }
        if (parts.Length != 2) return (null, bad);
        if (!TryEnd(parts[0], true, out var start) || !TryEnd(parts[1], false, out var end)) return (null, bad);
        if (start is { } s && end is { } e && s > e)
            return (null, Note.Of("ogc.datetime_order", ("start", parts[0]), ("end", parts[1])));
        return (new TimeInterval(start, end), null);
    }

    private static bool TryEnd(string part, bool isStart, out DateTimeOffset? value)
    {
        value = null;
        if (part is "" or "..") return true;
        if (IsDate(part, out var day))
        {
            value = isStart ? day : day.AddDays(1).AddTicks(-1);
            return true;
        }
        value = ParseInstant(part);
        return value is not null;
    }

    private static bool IsDate(string text, out DateTimeOffset day)
    {
        day = default;
        if (!FullDate().IsMatch(text)) return false;
        if (!DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) return false;
        day = new DateTimeOffset(d, TimeSpan.Zero);
        return true;
    }

    private static DateTimeOffset? ParseInstant(string text) =>
        Rfc3339().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.ToUniversalTime() : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex FullDate();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();
}
