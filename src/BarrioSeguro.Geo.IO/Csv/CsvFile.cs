using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.Core.Spatial;
using CsvHelper;
using CsvHelper.Configuration;
using NetTopologySuite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace BarrioSeguro.Geo.IO.Csv;

/// <summary>
/// CSV (RFC 4180, through CsvHelper) with the geometry in columns, as spreadsheets and GDAL's CSV driver read it.
/// <list type="bullet">
/// <item>A layer of points only: the first two columns are <c>lon</c>, <c>lat</c> (EPSG:4326) or <c>x</c>, <c>y</c>
/// (a projected CRS such as a UTM zone), then the attributes.</item>
/// <item>Any other layer: the first column is <c>WKT</c> (GDAL takes a column of that name as the geometry), then the attributes.</item>
/// <item>Values in invariant culture: numbers with '.', booleans true/false, dates ISO 8601; null as an empty field.</item>
/// <item>UTF-8 without BOM, CRLF line ends as RFC 4180 says. CSV cannot name its CRS: the caller's file name or the
/// download's does (e.g. <c>_epsg32717</c>).</item>
/// </list>
/// </summary>
public static class CsvFile
{
    /// <summary>Column names read as the geometry: WKT, or a pair of coordinates.</summary>
    private static readonly string[] WktNames = ["wkt", "geometry", "geom", "the_geom"];
    private static readonly string[] XNames = ["lon", "longitude", "longitud", "lng", "long", "x"];
    private static readonly string[] YNames = ["lat", "latitude", "latitud", "y"];

    /// <summary>Writes the features moved from <paramref name="sourceEpsg"/> to <paramref name="targetEpsg"/>; returns the number written.</summary>
    public static int Write(Stream output, IEnumerable<IFeature> features, int sourceEpsg, int targetEpsg) =>
        Write(output, Layer.InMemory(features, sourceEpsg, targetEpsg), targetEpsg);

    /// <summary>Writes a layer already in <paramref name="targetEpsg"/>, one feature at a time.</summary>
    internal static int Write(Stream output, Layer layer, int targetEpsg)
    {
        var moved = layer.Features;
        var columns = layer.Columns;
        var points = layer.Stats.AllPoints;
        var (xName, yName) = targetEpsg == Crs.Wgs84 ? ("lon", "lat") : ("x", "y");
        var wkt = new WKTWriter(2);
        using var text = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" });
        if (points)
        {
            csv.WriteField(xName);
            csv.WriteField(yName);
        }
        else csv.WriteField("WKT");
        foreach (var c in columns) csv.WriteField(c.Name);
        csv.NextRecord();
        foreach (var f in moved)
        {
            if (points)
            {
                var p = (Point)f.Geometry!;
                csv.WriteField(Number(p.X, targetEpsg));
                csv.WriteField(Number(p.Y, targetEpsg));
            }
            else csv.WriteField(f.Geometry is null ? "" : wkt.Write(f.Geometry));
            foreach (var c in columns)
            {
                var value = f.Attributes?.Exists(c.Name) == true ? f.Attributes[c.Name] : null;
                csv.WriteField(value is null ? "" : AttributeSchema.AsText(value));
            }
            csv.NextRecord();
        }
        return layer.Count;
    }

    /// <summary>
    /// Reads a CSV with a header row whose geometry is in a WKT column (WKT, geometry, geom, the_geom) or in a pair of
    /// coordinate columns (lon/lat, longitude/latitude, longitud/latitud, x/y), any case; coordinates are taken as EPSG:4326 (CSV cannot
    /// say; <see cref="InputCheck"/> refuses values that cannot be degrees). Each other column is typed by its values:
    /// integers, numbers, true/false, else text; an empty field is null.
    /// </summary>
    /// <exception cref="InvalidVectorFileException">No header, no geometry column, a bad coordinate or WKT, too many rows.</exception>
    public static FeatureSet Read(string path)
    {
        using var reader = new StreamReader(path, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true, DetectDelimiterValues = [",", ";", "\t"], BadDataFound = null, MissingFieldFound = null,
        });
        List<string[]> rows = [];
        string[] header;
        try
        {
            if (!csv.Read() || !csv.ReadHeader() || csv.HeaderRecord is not { Length: > 0 } h)
                throw new InvalidVectorFileException(path, Note.Of("io.csv_no_header"));
            header = h.Select(x => x.Trim()).ToArray();
            while (csv.Read())
            {
                if (rows.Count >= InputLimits.FeaturesPerFile)
                    throw new InvalidVectorFileException(path, Note.Of("limits.csv_rows", ("limit", InputLimits.FeaturesPerFile)));
                rows.Add(Enumerable.Range(0, header.Length).Select(i => csv.TryGetField<string>(i, out var v) ? v ?? "" : "").ToArray());
            }
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.not_utf8"));
        }
        catch (CsvHelperException e)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.csv_bad_row", ("row", e.Context?.Parser?.Row ?? 0), ("detail", e.Message.Split('\n')[0])));
        }

        int Find(string[] names) => Array.FindIndex(header, h => names.Contains(h, StringComparer.OrdinalIgnoreCase));
        var wktColumn = Find(WktNames);
        var xColumn = Find(XNames);
        var yColumn = Find(YNames);
        if (wktColumn < 0 && (xColumn < 0 || yColumn < 0))
            throw new InvalidVectorFileException(path, Note.Of("io.csv_no_geometry"));
        var geometryColumns = wktColumn >= 0 ? new HashSet<int> { wktColumn } : [xColumn, yColumn];
        var attributeColumns = Enumerable.Range(0, header.Length).Where(i => !geometryColumns.Contains(i)).ToList();
        var kinds = attributeColumns.ToDictionary(i => i, i => KindOf(rows.Select(r => r[i])));

        var factory = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        var wkt = new WKTReader(new NtsGeometryServices(new PrecisionModel(), Crs.Wgs84));
        var features = new List<IFeature>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var line = r + 2; // the header is line 1
            Geometry? geometry;
            if (wktColumn >= 0)
            {
                try { geometry = string.IsNullOrWhiteSpace(row[wktColumn]) ? null : wkt.Read(row[wktColumn]); }
                catch (ParseException e) { throw new InvalidVectorFileException(path, Note.Of("io.csv_not_wkt", ("row", line), ("column", header[wktColumn]), ("detail", e.Message))); }
            }
            else
            {
                if (string.IsNullOrWhiteSpace(row[xColumn]) && string.IsNullOrWhiteSpace(row[yColumn])) geometry = null;
                else if (double.TryParse(row[xColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                    && double.TryParse(row[yColumn], NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                    geometry = factory.CreatePoint(new Coordinate(x, y));
                else throw new InvalidVectorFileException(path, Note.Of("io.csv_not_numbers", ("row", line), ("x", row[xColumn]), ("y", row[yColumn]), ("xname", header[xColumn]), ("yname", header[yColumn])));
            }
            var attributes = new AttributesTable();
            foreach (var i in attributeColumns) attributes.Add(header[i], Typed(row[i], kinds[i]));
            features.Add(new Feature(geometry, attributes));
        }
        return new FeatureSet(features, Crs.Wgs84);
    }

    private enum ColumnKind { Integer, Number, Bool, Text }

    private static ColumnKind KindOf(IEnumerable<string> values)
    {
        var kind = (ColumnKind?)null;
        foreach (var v in values)
        {
            if (v.Length == 0) continue;
            var k = long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? ColumnKind.Integer
                : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? ColumnKind.Number
                : v is "true" or "false" ? ColumnKind.Bool
                : ColumnKind.Text;
            kind = kind switch
            {
                null => k,
                var same when same == k => k,
                ColumnKind.Integer when k == ColumnKind.Number => ColumnKind.Number,
                ColumnKind.Number when k == ColumnKind.Integer => ColumnKind.Number,
                _ => ColumnKind.Text,
            };
            if (kind == ColumnKind.Text) break;
        }
        return kind ?? ColumnKind.Text;
    }

    private static object? Typed(string value, ColumnKind kind) => value.Length == 0 ? null : kind switch
    {
        ColumnKind.Integer => long.Parse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
        ColumnKind.Number => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
        ColumnKind.Bool => value == "true",
        _ => value,
    };

    // Degrees to 7 decimals (about 1 cm), metres to 3 (1 mm).
    private static string Number(double v, int epsg) =>
        v.ToString(epsg == Crs.Wgs84 ? "0.0######" : "0.0##", CultureInfo.InvariantCulture);
}
