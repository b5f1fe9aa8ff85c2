using System.Data.Common;
using BarrioSeguro.Geo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>How a district matched a search, best first.</summary>
public enum DistrictMatch { Ubigeo, UbigeoPrefix, Name, NamePrefix, WordPrefix, Contains, All }

/// <summary>A district, province or department as listed and shown: its codes, names, area and box, and its boundary when asked for.</summary>
/// <param name="Code">Ubigeo (6 digits), province code (4) or department code (2).</param>
/// <param name="AreaKm2">Geodesic area of the boundary (PostGIS geography), km²; 0 without a boundary.</param>
/// <param name="Bbox">[minLon, minLat, maxLon, maxLat]; null without a boundary.</param>
/// <param name="Districts">How many districts it holds (provinces and departments), else null.</param>
public sealed record AdminArea(
    string Code, string Name, string? Province, string? ProvinceCode, string? Department, string? DepartmentCode,
    double AreaKm2, double[]? Bbox, string? Source, int? Districts, DistrictMatch? Match = null, MultiPolygon? Boundary = null);

/// <summary>One page of a search: the areas and how many match in all.</summary>
public sealed record AdminAreaPage(IReadOnlyList<AdminArea> Items, int Matched);

/// <summary>What a search names: a text (a name or a code prefix), and optionally the department and province it is in.</summary>
public sealed record DistrictQuery(string? Text, IReadOnlyList<string>? DepartmentCodes, IReadOnlyList<string>? ProvinceCodes, int Limit);

/// <summary>
/// The INEI limits as a directory: districts searched by name (accents and case aside) or ubigeo prefix, ranked
/// exact ubigeo, ubigeo prefix, exact name, name prefix, word prefix, contains; provinces and departments by code.
/// </summary>
public sealed class AdminAreas(BarrioDbContext db)
{
    private const string AreaKm2 = "CASE WHEN ST_IsEmpty(boundary) THEN 0 ELSE round((ST_Area(boundary::geography) / 1e6)::numeric, 3)::float8 END";
    private const string Box = "ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)";

    /// <summary>Districts matching the query, best first.</summary>
    public async Task<AdminAreaPage> SearchDistrictsAsync(DistrictQuery query, CancellationToken ct)
    {
        var text = query.Text is { } t ? PlaceNames.Fold(t) : "";
        var digits = text.Length > 0 && text.All(char.IsAsciiDigit);
        var like = Escape(text);
        var sql = $"""
            WITH ranked AS (
              SELECT ubigeo, search_name, CASE
                  WHEN @text = '' THEN 6
                  WHEN @digits AND ubigeo = @text THEN 0
                  WHEN @digits AND ubigeo LIKE @like || '%' THEN 1
                  WHEN @digits THEN NULL
                  WHEN search_name = @text THEN 2
                  WHEN search_name LIKE @like || '%' THEN 3
                  WHEN search_name LIKE '% ' || @like || '%' THEN 4
                  WHEN search_name LIKE '%' || @like || '%' THEN 5
                END AS rank
              FROM districts
              WHERE (@departments::text[] IS NULL OR left(ubigeo, 2) = ANY(@departments::text[]))
                AND (@provinces::text[] IS NULL OR left(ubigeo, 4) = ANY(@provinces::text[]))
            ), page AS (
              SELECT ubigeo, rank, count(*) OVER () AS matched FROM ranked WHERE rank IS NOT NULL
              ORDER BY rank, search_name, ubigeo LIMIT @limit
            )
            SELECT d.ubigeo, d.name, d.province, d.department, d.source, {AreaKm2}, {Box}, p.rank, p.matched,
                   (SELECT name FROM provinces pr WHERE pr.code = left(d.ubigeo, 4)), (SELECT name FROM departments de WHERE de.code = left(d.ubigeo, 2))
            FROM page p JOIN districts d ON d.ubigeo = p.ubigeo
            ORDER BY p.rank, d.search_name, d.ubigeo
            """;
        var items = new List<AdminArea>();
        var matched = 0;
        await using var cmd = await CommandAsync(sql, ct,
            ("text", text), ("digits", digits), ("like", like), ("limit", query.Limit),
            ("departments", query.DepartmentCodes?.ToArray()), ("provinces", query.ProvinceCodes?.ToArray()));
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var ubigeo = r.GetString(0);
                matched = (int)r.GetInt64(11);
                items.Add(new AdminArea(ubigeo, r.GetString(1), Str(r, 12) ?? Str(r, 2), ubigeo[..4], Str(r, 13) ?? Str(r, 3), ubigeo[..2],
                    r.GetDouble(5), BoxOf(r, 6), Str(r, 4), null, (DistrictMatch)r.GetInt32(10)));
            }
        return new AdminAreaPage(items, matched);
    }

    /// <summary>One district with its boundary, or null.</summary>
    public async Task<AdminArea?> DistrictAsync(string ubigeo, CancellationToken ct)
    {
        var sql = $"""
            SELECT d.ubigeo, d.name, d.province, d.department, d.source, {AreaKm2}, {Box}, ST_AsBinary(d.boundary),
                   (SELECT name FROM provinces pr WHERE pr.code = left(d.ubigeo, 4)), (SELECT name FROM departments de WHERE de.code = left(d.ubigeo, 2))
            FROM districts d WHERE d.ubigeo = @code
            """;
        await using var cmd = await CommandAsync(sql, ct, ("code", ubigeo));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return null;
        return new AdminArea(r.GetString(0), r.GetString(1), Str(r, 11) ?? Str(r, 2), ubigeo[..4], Str(r, 12) ?? Str(r, 3), ubigeo[..2],
            r.GetDouble(5), BoxOf(r, 6), Str(r, 4), null, null, Boundary(r, 10));
    }

    /// <summary>The provinces (of some departments, or all), by name; with their boundaries when <paramref name="boundaries"/>.</summary>
    public Task<List<AdminArea>> ProvincesAsync(IReadOnlyList<string>? departmentCodes, string? code, bool boundaries, CancellationToken ct) =>
        AreasAsync("provinces", 4, departmentCodes, code, boundaries, ct);

    /// <summary>The departments, by name (one when <paramref name="code"/> is given).</summary>
    public Task<List<AdminArea>> DepartmentsAsync(string? code, bool boundaries, CancellationToken ct) =>
        AreasAsync("departments", 2, null, code, boundaries, ct);

    private async Task<List<AdminArea>> AreasAsync(string table, int digits, IReadOnlyList<string>? departmentCodes, string? code, bool boundaries, CancellationToken ct)
    {
        var province = table == "provinces";
        var sql = $"""
            SELECT a.code, a.name, {(province ? "a.department" : "NULL::text")}, a.source, {AreaKm2}, {Box}, {(boundaries ? "ST_AsBinary(a.boundary)" : "NULL::bytea")},
                   (SELECT count(*) FROM districts d WHERE left(d.ubigeo, {digits}) = a.code)
            FROM {table} a
            WHERE (@code::text IS NULL OR a.code = @code) AND (@departments::text[] IS NULL OR left(a.code, 2) = ANY(@departments::text[]))
            ORDER BY a.search_name, a.code
            """;
        await using var cmd = await CommandAsync(sql, ct, ("code", code), ("departments", departmentCodes?.ToArray()));
        var list = new List<AdminArea>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var c = r.GetString(0);
            list.Add(province
                ? new AdminArea(c, r.GetString(1), r.GetString(1), c, Str(r, 2), c[..2], r.GetDouble(4), BoxOf(r, 5), Str(r, 3), (int)r.GetInt64(10), null, Boundary(r, 9))
                : new AdminArea(c, r.GetString(1), null, null, r.GetString(1), c, r.GetDouble(4), BoxOf(r, 5), Str(r, 3), (int)r.GetInt64(10), null, Boundary(r, 9)));
        }
        return list;
    }

    /// <summary>
    /// The codes of the departments or provinces a filter names: a code ("13", "1301") as it is, else every unit whose
    /// name folds to the same text ("la libertad", "LA LIBERTAD", "La Libertad"). Empty when nothing has that name.
    /// Looked up in the provinces and departments tables, and in the districts' own names for a database without them.
    /// </summary>
    public async Task<IReadOnlyList<string>> CodesOfAsync(string level, string filter, CancellationToken ct)
    {
        var digits = level == "departments" ? 2 : 4;
        var text = PlaceNames.Fold(filter);
        if (text.Length == digits && text.All(char.IsAsciiDigit)) return [text];
        var column = level == "departments" ? "department" : "province";
        var sql = $"""
            SELECT code, name FROM {level}
            UNION SELECT DISTINCT left(ubigeo, {digits}), {column} FROM districts WHERE {column} IS NOT NULL
            """;
        await using var cmd = await CommandAsync(sql, ct);
        var codes = new SortedSet<string>(StringComparer.Ordinal);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            if (PlaceNames.Fold(r.GetString(1)) == text) codes.Add(r.GetString(0));
        return codes.ToList();
    }

    private async Task<DbCommand> CommandAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await db.Database.OpenConnectionAsync(ct);
        var cmd = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
        foreach (var (name, value) in parameters)
            cmd.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value)); // typed by the casts in the SQL
        return cmd;
    }

    // LIKE's own characters in a search text are searched as themselves.
    private static string Escape(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static double[]? BoxOf(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : [r.GetDouble(i), r.GetDouble(i + 1), r.GetDouble(i + 2), r.GetDouble(i + 3)];

    private static MultiPolygon? Boundary(DbDataReader r, int i)
    {
        if (r.IsDBNull(i)) return null;
        var g = new WKBReader().Read((byte[])r.GetValue(i));
        g.SRID = 4326;
        return g as MultiPolygon;
    }
}
