using System.Data;
using System.Data.Common;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>
/// The features of a collection read from PostGIS as a forward-only stream, for exports: one SQL query per collection
/// (geometry as WKB), each row made a feature as the reader reaches it and dropped once the writer has it, so an export
/// holds one row at a time, not the collection (no EF entities, no change tracker). The features are those of
/// <see cref="FeatureCatalog.GetAllAsync"/>: the same attributes with the same value types, the same order (by id), the
/// same bounding-box and district filters. Collections not listed here (kept plans, contingents) are small and are
/// read by <see cref="FeatureCatalog"/>.
/// </summary>
public sealed class FeatureRows(BarrioDbContext db)
{
    /// <summary>How a collection's rows are read: table, key, geometry column, attribute columns and the feature they make.</summary>
    private sealed record Source(string Table, string Key, string Geometry, string Columns, Func<DbDataReader, Geometry, IFeature> Feature,
        string? DistrictFilter = null, string? Always = null);

    // Identifiers are constants here, never from a request; values are parameters.
    private static readonly Dictionary<string, Source> Sources = new(StringComparer.Ordinal)
    {
        ["streets"] = new("streets", "id", "geometry", "id, osm_id, name, class, oneway, layer", (r, g) => new Feature(g, new AttributesTable
        {
            { "id", r.GetInt32(1) }, { "osmId", Long(r, 2) }, { "name", Text(r, 3) }, { "class", r.GetString(4) }, { "oneway", r.GetBoolean(5) }, { "layer", r.GetInt32(6) },
        })),
        ["stations"] = new("stations", "id", "location", "id, osm_id, name, operator", (r, g) => new Feature(g, new AttributesTable
        {
            { "id", r.GetInt32(1) }, { "osmId", Long(r, 2) }, { "name", Text(r, 3) }, { "operator", Text(r, 4) },
        })),
        ["buildings"] = new("buildings", "id", "geometry", "id, osm_id, kind, name", (r, g) => new Feature(g, new AttributesTable
        {
            { "id", r.GetInt32(1) }, { "osmId", Long(r, 2) }, { "kind", r.GetString(3) }, { "name", Text(r, 4) },
        })),
        ["districts"] = new("districts", "ubigeo", "boundary", "ubigeo, name, province, department", (r, g) => new Feature(g, new AttributesTable
        {
            { "ubigeo", r.GetString(1) }, { "name", r.GetString(2) }, { "province", Text(r, 3) }, { "department", Text(r, 4) },
        })),
        ["provinces"] = new("provinces", "code", "boundary", "code, name, department", (r, g) => new Feature(g, new AttributesTable
        {
            { "code", r.GetString(1) }, { "name", r.GetString(2) }, { "department", Text(r, 3) },
        })),
        ["departments"] = new("departments", "code", "boundary", "code, name", (r, g) => new Feature(g, new AttributesTable
        {
            { "code", r.GetString(1) }, { "name", r.GetString(2) },
        })),
        ["neighborhoods"] = new("neighborhoods", "id", "boundary", "id, name, district_ubigeo, status, version, is_illustrative, description", (r, g) => new Feature(g, new AttributesTable
        {
            { "id", r.GetInt32(1) }, { "name", r.GetString(2) }, { "districtUbigeo", Text(r, 3) }, { "status", r.GetString(4) },
            { "version", r.GetInt32(5) }, { "isIllustrative", r.GetBoolean(6) },
            { "areaKm2", Math.Round(Measure.AreaSquareMeters(g) / 1e6, 4) }, { "description", Text(r, 7) },
        }), DistrictFilter: "t.district_ubigeo = ANY(@districts)", Always: "t.deleted_at IS NULL"),
        ["incidents"] = new("incidents", "id", "location", "id, occurred_at, category, is_synthetic", (r, g) => new Feature(g, new AttributesTable
        {
            { "id", r.GetInt32(1) }, { "occurredAt", r.GetFieldValue<DateTimeOffset>(2) }, { "category", r.GetString(3) }, { "isSynthetic", r.GetBoolean(4) },
        }), DistrictFilter: "EXISTS (SELECT 1 FROM districts d WHERE d.ubigeo = ANY(@districts) AND ST_Intersects(d.boundary, t.location))"),
    };

    /// <summary>Whether a collection is read here as a stream (else by <see cref="FeatureCatalog"/>).</summary>
    public static bool Streams(string collection) => Sources.ContainsKey(collection);

    /// <summary>
    /// The collection's features ordered by id, inside a lon/lat box when one is given and, for neighbourhoods and
    /// incidents, in the districts named (null or empty: all). Read as they are enumerated, once; the connection stays
    /// busy until the enumeration ends.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The collection is not read as a stream (<see cref="Streams"/>).</exception>
    public IEnumerable<IFeature> Read(string collection, Envelope? bbox = null, IReadOnlyCollection<string>? districts = null)
    {
        var source = Sources.GetValueOrDefault(collection) ?? throw new KeyNotFoundException($"No streamed collection named '{collection}'.");
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open) db.Database.OpenConnection();
        using var command = Command(source, connection, bbox, districts);
        // Sequential: each value is read once, in column order, straight from the wire buffer.
        using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
        var wkb = new WKBReader();
        while (reader.Read())
        {
            var geometry = wkb.Read(reader.GetFieldValue<byte[]>(0));
            geometry.SRID = Crs.Wgs84;
            yield return source.Feature(reader, geometry);
        }
    }

    /// <summary>
    /// The data version of what an export of the collection reads (<c>tile_versions</c>, bumped by PostgreSQL on every
    /// statement that writes to a table, whoever writes), as text: the table's version, and the districts' too when a
    /// district limit joins them (incidents). Null when the collection is not streamed here or no version is kept.
    /// An export made at a version is the export of that version: it is found again by it, never by hashing rows.
    /// <summary>The rows with the first one read already, or null when there is none: an empty collection is said
    /// before a file is begun (the CLI and the service's export alike).</summary>
    public static IEnumerable<IFeature>? NonEmpty(IEnumerable<IFeature> rows)
    {
        var e = rows.GetEnumerator();
        if (e.MoveNext()) return Rest(e);
        e.Dispose();
        return null;

        static IEnumerable<IFeature> Rest(IEnumerator<IFeature> e)
        {
            using (e)
            {
                yield return e.Current;
                while (e.MoveNext()) yield return e.Current;
            }
        }
    }

    /// </summary>
    public async Task<string?> VersionAsync(string collection, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        if (!Sources.TryGetValue(collection, out var source)) return null;
        string[] tables = districts is { Count: > 0 } && source.DistrictFilter?.Contains("FROM districts", StringComparison.Ordinal) == true
            ? new[] { source.Table, "districts" } : [source.Table];
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT collection, version FROM tile_versions WHERE collection = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = tables });
        var versions = new Dictionary<string, long>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct)) versions[reader.GetString(0)] = reader.GetInt64(1);
        if (tables.Any(t => !versions.ContainsKey(t))) return null;
        return string.Join('.', tables.Select(t => versions[t]));
    }

    /// <summary>The lon/lat extent of what <see cref="Read"/> gives for the same arguments (PostGIS ST_Extent), or null when that is nothing.</summary>
    public async Task<Envelope?> ExtentAsync(string collection, Envelope? bbox, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        var source = Sources.GetValueOrDefault(collection) ?? throw new KeyNotFoundException($"No streamed collection named '{collection}'.");
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        await using var command = Command(source, connection, bbox, districts, extent: true);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || await reader.IsDBNullAsync(0, ct)) return null;
        return new Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3));
    }

    private static NpgsqlCommand Command(Source source, NpgsqlConnection connection, Envelope? bbox, IReadOnlyCollection<string>? districts, bool extent = false)
    {
        var where = new List<string>();
        var command = new NpgsqlCommand { Connection = connection };
        if (source.Always is { } always) where.Add(always);
        if (bbox is not null)
        {
            // The box is compared with the stored column, so the GiST index answers (&& inside ST_Intersects).
            where.Add($"ST_Intersects(t.{source.Geometry}, ST_MakeEnvelope(@minx, @miny, @maxx, @maxy, 4326))");
            command.Parameters.Add(new NpgsqlParameter<double>("minx", bbox.MinX));
            command.Parameters.Add(new NpgsqlParameter<double>("miny", bbox.MinY));
            command.Parameters.Add(new NpgsqlParameter<double>("maxx", bbox.MaxX));
            command.Parameters.Add(new NpgsqlParameter<double>("maxy", bbox.MaxY));
        }
        if (districts is { Count: > 0 } && source.DistrictFilter is { } districtFilter)
        {
            where.Add(districtFilter);
            command.Parameters.Add(new NpgsqlParameter("districts", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = districts.ToArray() });
        }
        var columns = string.Join(", ", source.Columns.Split(", ").Select(c => "t." + c));
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        command.CommandText = extent
            ? $"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(t.{source.Geometry}) AS e FROM {source.Table} t{filter}) s"
            : $"SELECT ST_AsBinary(t.{source.Geometry}), {columns} FROM {source.Table} t{filter} ORDER BY t.{source.Key}";
        return command;
    }

    private static string? Text(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static long? Long(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetInt64(i);
}
