using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.Core.Entries;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.Planning.Entries;

/// <summary>One incident read from a CSV row, in EPSG:4326; <see cref="Line"/> counts from 1 with the header.</summary>
public sealed record IncidentRow(int Line, DateTimeOffset OccurredAt, string Category, double Lon, double Lat);

/// <summary>Why a cell (or the header, line 1) cannot be read: the line, the column as the file names it, the reason.</summary>
public sealed record CsvProblem(int Line, string Column, Note Reason);

/// <summary>The rows read, or the problems found (at most <see cref="IncidentCsv.MaxProblems"/>); never both.</summary>
public sealed record IncidentCsvResult(IReadOnlyList<IncidentRow> Rows, IReadOnlyList<CsvProblem> Problems, int RowsRead);

/// <summary>
/// Incidents from a CSV file as chiefs keep them: a header, then one incident a line. Columns (any order, any case,
/// Spanish or English): lon/lat (longitude, longitud; latitude, latitud), or x/y (este/norte) in the CRS given;
/// a date (date, fecha) with an optional time (time, hora), or one date-time (datetime, occurredAt, fecha_hora), read
/// as Lima time unless it carries an offset; a category (category, categoria, tipo). Comma, semicolon or tab
/// separated, fields may be quoted. All or nothing: one bad cell and no row is taken.
/// </summary>
public static class IncidentCsv
{
    public const int MaxProblems = 20;

    private static readonly string[] LonNames = ["lon", "long", "lng", "longitude", "longitud"];
    private static readonly string[] LatNames = ["lat", "latitude", "latitud"];
    private static readonly string[] XNames = ["x", "este", "easting"];
    private static readonly string[] YNames = ["y", "norte", "northing"];
    private static readonly string[] DateNames = ["date", "fecha"];
    private static readonly string[] TimeNames = ["time", "hora"];
    private static readonly string[] DateTimeNames = ["datetime", "occurredat", "occurred_at", "fecha_hora", "fechahora"];
    private static readonly string[] CategoryNames = ["category", "categoria", "categoría", "tipo", "type"];

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"];
    private static readonly string[] TimeFormats = ["HH:mm", "H:mm", "HH:mm:ss", "H:mm:ss"];

    /// <param name="text">The whole file.</param>
    /// <param name="crsEpsg">The CRS of x/y (or lon/lat) columns; null: lon/lat in EPSG:4326.</param>
    /// <param name="now">The clock incidents may not be after.</param>
    public static IncidentCsvResult Read(string text, int? crsEpsg, DateTimeOffset now)
    {
        var problems = new List<CsvProblem>();
        var records = Records(text.TrimStart('\uFEFF')).Where(r => !(r.Fields.Count == 1 && r.Fields[0].Trim().Length == 0)).ToList();
        if (records.Count == 0)
            return new([], [new CsvProblem(1, "", Note.Of("csv.empty"))], 0);
        var header = records[0];
        var names = header.Fields.Select(f => f.Trim()).ToList();
        int Find(string[] wanted) => names.FindIndex(n => wanted.Contains(n.ToLowerInvariant()));
        int lon = Find(LonNames), lat = Find(LatNames), x = Find(XNames), y = Find(YNames);
        int date = Find(DateNames), time = Find(TimeNames), dateTime = Find(DateTimeNames), category = Find(CategoryNames);

        var projected = lon < 0 || lat < 0;
        var (ci, cj) = projected ? (x, y) : (lon, lat);
        if (ci < 0 || cj < 0)
            problems.Add(new CsvProblem(header.Line, "", Note.Of("csv.missing_column", ("column", "lon/lat"), ("names", new[] { "lon, lat", "x, y" }))));
        else if (projected && crsEpsg is null)
            problems.Add(new CsvProblem(header.Line, names[ci], Note.Of("csv.crs_needed", ("column", names[ci]))));
        if (date < 0 && dateTime < 0)
            problems.Add(new CsvProblem(header.Line, "", Note.Of("csv.missing_column", ("column", "date"), ("names", new[] { "date", "fecha", "datetime" }))));
        if (category < 0)
            problems.Add(new CsvProblem(header.Line, "", Note.Of("csv.missing_column", ("column", "category"), ("names", new[] { "category", "categoria", "tipo" }))));
        if (problems.Count > 0) return new([], problems, 0);
        if (records.Count - 1 > InputLimits.FeaturesPerFile)
            return new([], [new CsvProblem(records[InputLimits.FeaturesPerFile + 1].Line, "", Note.Of("csv.too_many_rows", ("count", records.Count - 1), ("max", InputLimits.FeaturesPerFile)))], 0);

        var source = crsEpsg ?? 4326;
        var rows = new List<IncidentRow>(records.Count - 1);
        foreach (var r in records.Skip(1))
        {
            if (problems.Count >= MaxProblems) break;
            void Bad(int column, Note reason) => problems.Add(new CsvProblem(r.Line, column >= 0 ? names[column] : "", reason));
            if (r.Fields.Count != names.Count)
            {
                Bad(-1, Note.Of("csv.field_count", ("expected", names.Count), ("found", r.Fields.Count)));
                continue;
            }
            string Cell(int i) => r.Fields[i].Trim();
            var before = problems.Count;
            double Number(int i)
            {
                var s = Cell(i).Replace(',', '.');
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)) return v;
                Bad(i, Note.Of("csv.bad_number", ("value", Cell(i))));
                return double.NaN;
            }
            var cx = Number(ci);
            var cy = Number(cj);
            var when = When(r, dateTime, date, time, names, Bad);
            var cat = Cell(category);
            if (cat.Length == 0) Bad(category, Note.Of("entry.required", ("field", "category")));
            else if (cat.Length > EntryRules.CategoryLength) Bad(category, Note.Of("entry.too_long", ("field", "category"), ("length", cat.Length), ("max", EntryRules.CategoryLength)));
            if (problems.Count > before) continue;

            var (lonValue, latValue) = source == 4326 ? (cx, cy) : Crs.Transform(cx, cy, source, 4326);
            try
            {
                EntryRules.Place(lonValue, latValue);
                EntryRules.When(when!.Value, now, "occurredAt");
            }
            catch (RefusalException e)
            {
                var column = e.ParamName switch { "lon" => ci, "lat" => cj, _ => dateTime >= 0 ? dateTime : date };
                Bad(column, e.Reason);
                continue;
            }
            rows.Add(new IncidentRow(r.Line, when!.Value, cat, Math.Round(lonValue, 7), Math.Round(latValue, 7)));
        }
        return problems.Count > 0 ? new([], problems, records.Count - 1) : new(rows, [], records.Count - 1);
    }

    private static DateTimeOffset? When(Record r, int dateTime, int date, int time, List<string> names, Action<int, Note> bad)
    {
        var ci = CultureInfo.InvariantCulture;
        if (dateTime >= 0)
        {
            var s = r.Fields[dateTime].Trim();
            if (ParseDateTime(s) is { } at) return at;
            bad(dateTime, Note.Of("csv.bad_date", ("value", s)));
            return null;
        }
        var ds = r.Fields[date].Trim();
        if (!DateOnly.TryParseExact(ds, DateFormats, ci, DateTimeStyles.None, out var day))
        {
            bad(date, Note.Of("csv.bad_date", ("value", ds)));
            return null;
        }
        var clock = TimeOnly.MinValue;
        if (time >= 0 && r.Fields[time].Trim() is { Length: > 0 } ts && !TimeOnly.TryParseExact(ts, TimeFormats, ci, DateTimeStyles.None, out clock))
        {
            bad(time, Note.Of("csv.bad_time", ("value", ts)));
            return null;
        }
        return LimaTime.At(day, clock);
    }

    /// <summary>
    /// A date and time as people write it: ISO 8601 with an offset (or Z) as it says, else "2017-03-04 21:30",
    /// "2017-03-04T21:30[:ss]", "04/03/2017 21:30" or a date alone, in Lima time. Null when it is none of these.
    /// </summary>
    public static DateTimeOffset? ParseDateTime(string s)
    {
        var ci = CultureInfo.InvariantCulture;
        s = s.Trim();
        if (HasOffset(s) && DateTimeOffset.TryParse(s, ci, DateTimeStyles.None, out var withOffset)) return withOffset;
        foreach (var d in DateFormats)
            foreach (var t in TimeFormats.Append(""))
                foreach (var sep in new[] { " ", "T" })
                    if (DateTime.TryParseExact(s, t.Length == 0 ? d : d + "'" + sep + "'" + t, ci, DateTimeStyles.None, out var local))
                        return new DateTimeOffset(local, LimaTime.Offset);
        return null;
    }

    private static bool HasOffset(string s) =>
        s.EndsWith('Z') || s.EndsWith('z') || (s.Length > 6 && (s[^6] is '+' or '-') && s[^3] == ':');

    private sealed record Record(int Line, List<string> Fields);

    /// <summary>RFC 4180 records: quoted fields may hold the separator, quotes ("") and line breaks.</summary>
    private static IEnumerable<Record> Records(string text)
    {
        var firstLine = text.AsSpan(0, Math.Max(0, text.IndexOfAny(['\r', '\n']) is var e and >= 0 ? e : text.Length));
        var sep = Count(firstLine, ';') > Count(firstLine, ',') ? ';' : Count(firstLine, '\t') > Count(firstLine, ',') ? '\t' : ',';
        var line = 1;
        var start = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else
                {
                    if (c == '\n') line++;
                    field.Append(c);
                }
                continue;
            }
            if (c == '"' && field.Length == 0) quoted = true;
            else if (c == sep) { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                yield return new Record(start, fields);
                fields = [];
                line++;
                start = line;
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return new Record(start, fields);
        }
    }

    private static int Count(ReadOnlySpan<char> s, char c)
    {
        var n = 0;
        foreach (var x in s) if (x == c) n++;
        return n;
    }
}
