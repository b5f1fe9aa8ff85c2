using System.Data;
using System.Text.Json;
using BarrioSeguro.Geo.Planning.Overview;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace BarrioSeguro.Geo.Data.Overview;

/// <summary>
/// What the overview filters on; null members do not filter. A department or province is its ubigeo prefix (2 or 4
/// digits) or its name; a district its ubigeo or name; names without regard to case or accents.
/// </summary>
public sealed record OverviewFilter(
    IReadOnlyCollection<string>? Districts = null, string? Department = null, string? Province = null, string? District = null, string? Status = null);

/// <summary>
/// Every neighbourhood with its figures in one SQL statement (no query per row): area on the geography, blocks of its
/// scope, incidents inside (GiST), contingents, the latest kept plan and its staffing, and the latest coverage of each
/// mode read from the kept coverage reports (jsonb).
/// </summary>
public sealed class OverviewStore(BarrioDbContext db)
{
    private const string Sql = """
        WITH n AS (
            SELECT n.id, n.name, n.status, n.district_ubigeo, n.is_illustrative, n.boundary, d.name AS district, d.province, d.department
            FROM neighborhoods n
            LEFT JOIN districts d ON d.ubigeo = n.district_ubigeo
            WHERE n.deleted_at IS NULL -- deleted neighbourhoods (and their plans) are left out until restored
              AND (@districts IS NULL OR n.district_ubigeo = ANY(@districts))
              AND (@status IS NULL OR lower(n.status) = lower(@status))
              AND (@department IS NULL OR left(n.district_ubigeo, 2) = @department OR lower(d.department) = lower(@department)
                   OR translate(lower(d.department), 'áéíóúüñ', 'aeiouun') = translate(lower(@department), 'áéíóúüñ', 'aeiouun'))
              AND (@province IS NULL OR left(n.district_ubigeo, 4) = @province OR lower(d.province) = lower(@province)
                   OR translate(lower(d.province), 'áéíóúüñ', 'aeiouun') = translate(lower(@province), 'áéíóúüñ', 'aeiouun'))
              AND (@district IS NULL OR n.district_ubigeo = @district OR lower(d.name) = lower(@district)
                   OR translate(lower(d.name), 'áéíóúüñ', 'aeiouun') = translate(lower(@district), 'áéíóúüñ', 'aeiouun'))
        )
        SELECT n.id, n.name, lower(n.status) AS status, n.district_ubigeo, n.district, n.province, n.department, n.is_illustrative,
               ST_Area(n.boundary::geography) / 1e6 AS area_km2,
               (SELECT count(*) FROM blocks b WHERE b.scope = 'neighborhood:' || n.id)::int AS blocks,
               i.incidents, i.synthetic,
               c.contingents, c.names, c.officers,
               p.plans, lp.id AS plan_id, lp.sectors, lp.report_json -> 'staffing' AS staffing,
               cov.coverage,
               ST_X(pos.p) AS lon, ST_Y(pos.p) AS lat,
               ST_XMin(n.boundary) AS xmin, ST_YMin(n.boundary) AS ymin, ST_XMax(n.boundary) AS xmax, ST_YMax(n.boundary) AS ymax
        FROM n
        CROSS JOIN LATERAL (SELECT ST_PointOnSurface(n.boundary) AS p) pos
        CROSS JOIN LATERAL (
            SELECT count(*)::int AS incidents, count(*) FILTER (WHERE x.is_synthetic)::int AS synthetic
            FROM incidents x WHERE ST_Intersects(x.location, n.boundary)) i
        CROSS JOIN LATERAL (
            SELECT count(*)::int AS contingents, string_agg(k.name, '; ' ORDER BY k.id) AS names, COALESCE(sum(k.officers), 0)::int AS officers
            FROM contingents k WHERE k.neighborhood_id = n.id) c
        CROSS JOIN LATERAL (SELECT count(*)::int AS plans FROM sector_plans s WHERE s.neighborhood_id = n.id AND s.deleted_at IS NULL) p
        LEFT JOIN LATERAL (
            SELECT s.id, s.sectors, s.report_json FROM sector_plans s WHERE s.neighborhood_id = n.id AND s.deleted_at IS NULL ORDER BY s.created_at DESC, s.id DESC LIMIT 1) lp ON true
        LEFT JOIN LATERAL (
            -- Per mode: its newest computation (plan, minutes), then the newest figure of each shift at that plan and minutes.
            SELECT jsonb_agg(jsonb_build_object('mode', m.mode, 'minutes', m.minutes, 'pct', m.pct, 'streetKm', m.street_km,
                                                'shifts', m.shifts, 'planId', m.plan_id, 'at', m.at) ORDER BY m.mode) AS coverage
            FROM (
                SELECT latest.mode, latest.minutes, latest.plan_id, max(per_shift.created_at) AS at, count(*)::int AS shifts,
                       min((per_shift.report_json -> 'figures' ->> 'coveredStreetKmPct')::float8) AS pct,
                       max((per_shift.report_json -> 'figures' ->> 'streetKm')::float8) AS street_km
                FROM (
                    SELECT DISTINCT ON (pc.mode) pc.mode, pc.minutes, pc.plan_id
                    FROM plan_coverages pc JOIN sector_plans s ON s.id = pc.plan_id
                    WHERE s.neighborhood_id = n.id AND s.deleted_at IS NULL
                    ORDER BY pc.mode, pc.created_at DESC, pc.id DESC) latest
                CROSS JOIN LATERAL (
                    SELECT DISTINCT ON (pc.shift) pc.shift, pc.created_at, pc.report_json
                    FROM plan_coverages pc
                    WHERE pc.plan_id = latest.plan_id AND pc.mode = latest.mode AND pc.minutes = latest.minutes
                    ORDER BY pc.shift, pc.created_at DESC, pc.id DESC) per_shift
                GROUP BY latest.mode, latest.minutes, latest.plan_id) m) cov ON true
        """;

    /// <summary>The rows the filter keeps, in no particular order (<see cref="NationalOverview"/> sorts them).</summary>
    public async Task<List<OverviewRow>> RowsAsync(OverviewFilter filter, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand(Sql, connection);
            cmd.Parameters.Add(new NpgsqlParameter("districts", NpgsqlDbType.Array | NpgsqlDbType.Text)
            {
                Value = filter.Districts is { Count: > 0 } d ? d.ToArray() : DBNull.Value,
            });
            void Text(string name, string? value) =>
                cmd.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = string.IsNullOrWhiteSpace(value) ? DBNull.Value : value.Trim() });
            Text("status", filter.Status);
            Text("department", filter.Department);
            Text("province", filter.Province);
            Text("district", filter.District);
            var rows = new List<OverviewRow>();
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                string? S(string c) => r.IsDBNull(r.GetOrdinal(c)) ? null : r.GetString(r.GetOrdinal(c));
                int I(string c) => r.GetInt32(r.GetOrdinal(c));
                int? NI(string c) => r.IsDBNull(r.GetOrdinal(c)) ? null : r.GetInt32(r.GetOrdinal(c));
                double D(string c) => r.GetDouble(r.GetOrdinal(c));
                var (perShift, sectorsPerShift) = Staffing(S("staffing"));
                rows.Add(new OverviewRow(
                    I("id"), S("name")!, S("status")!, S("district_ubigeo"), S("district"), S("province"), S("department"), r.GetBoolean(r.GetOrdinal("is_illustrative")),
                    Math.Round(D("area_km2"), 6), I("blocks"), I("incidents"), I("synthetic"), I("contingents"), S("names"), I("officers"),
                    I("plans"), NI("plan_id"), NI("sectors"), sectorsPerShift, perShift, Coverage(S("coverage")),
                    Math.Round(D("lon"), 7), Math.Round(D("lat"), 7),
                    [Math.Round(D("xmin"), 7), Math.Round(D("ymin"), 7), Math.Round(D("xmax"), 7), Math.Round(D("ymax"), 7)]));
            }
            return rows;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>The boundaries of the neighbourhoods (EPSG:4326), for the GeoPackage export.</summary>
    public async Task<Dictionary<int, NetTopologySuite.Geometries.Geometry>> BoundariesAsync(int[] ids, CancellationToken ct) =>
        await db.Neighborhoods.AsNoTracking().Where(n => ids.Contains(n.Id))
            .ToDictionaryAsync(n => n.Id, n => (NetTopologySuite.Geometries.Geometry)n.Boundary, ct);

    // The kept plan report's staffing (PlanningJson's camelCase StaffingReport), read for its counts only.
    private static (IReadOnlyList<OverviewShift> PerShift, int? SectorsPerShift) Staffing(string? json)
    {
        if (json is null) return ([], null);
        using var doc = JsonDocument.Parse(json);
        var s = doc.RootElement;
        if (s.ValueKind != JsonValueKind.Object) return ([], null);
        int? perShift = s.TryGetProperty("sectorsPerShift", out var k) && k.ValueKind == JsonValueKind.Number ? k.GetInt32() : null;
        var shifts = s.TryGetProperty("perShift", out var p) && p.ValueKind == JsonValueKind.Array
            ? p.EnumerateArray().Select(x => new OverviewShift(x.GetProperty("shift").GetString() ?? "", x.GetProperty("units").GetInt32(),
                x.GetProperty("officersOnDuty").GetInt32())).ToList()
            : [];
        return (shifts, perShift);
    }

    private static IReadOnlyList<OverviewCoverage> Coverage(string? json)
    {
        if (json is null) return [];
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(c => new OverviewCoverage(
            c.GetProperty("mode").GetString()!, c.GetProperty("minutes").GetDouble(),
            c.GetProperty("pct").ValueKind == JsonValueKind.Number ? Math.Round(c.GetProperty("pct").GetDouble(), 3) : 0,
            c.GetProperty("streetKm").ValueKind == JsonValueKind.Number ? Math.Round(c.GetProperty("streetKm").GetDouble(), 4) : 0,
            c.GetProperty("shifts").GetInt32(), c.GetProperty("planId").GetInt32(),
            c.GetProperty("at").GetDateTimeOffset())).ToList();
    }
}
