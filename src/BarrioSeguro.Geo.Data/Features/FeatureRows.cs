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
public sealed class FeatureRows
{
    // The service's scoped DbContext (its connection, opened through EF Core), or a connection the caller owns.
    private readonly BarrioDbContext? _db;
    private readonly NpgsqlConnection? _owned;

    public FeatureRows(BarrioDbContext db) => _db = db;

    private FeatureRows(NpgsqlConnection connection) => _owned = connection;

    /// <summary>
    /// Rows read over a plain Npgsql connection the caller owns (opened here when it is closed): a one-shot export needs
    /// no EF Core model or service provider, which cost a cold process more than the rows.
    /// </summary>
    public static FeatureRows Over(NpgsqlConnection connection) => new(connection);

    /// <summary>
    /// A data source for <see cref="Over"/>'s connection: the rows hold built-in types only (bytea, text, integers,
    /// booleans, timestamptz, text arrays), so a slim Npgsql (no JSON, range or network type handlers to set up) that
    /// skips loading the database's types (PostGIS's among them: a query and its parsing before the first row) reads them.
    /// </summary>
    public static NpgsqlDataSource Source(string connectionString)
    {
        var builder = new NpgsqlSlimDataSourceBuilder(connectionString);
        builder.EnableArrays();
        builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false));
        return builder.Build();
    }

    /// <summary>Whether a collection is read here as a stream (else by <see cref="FeatureCatalog"/>).</summary>
    public static bool Streams(string collection) => CollectionTables.All.ContainsKey(collection);

    /// <summary>
    /// The collection's features ordered by id, inside a lon/lat box when one is given and, for neighbourhoods and
    /// incidents, in the districts named (null or empty: all). Read as they are enumerated, once; the connection stays
    /// busy until the enumeration ends.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The collection is not read as a stream (<see cref="Streams"/>).</exception>
    public IEnumerable<IFeature> Read(string collection, Envelope? bbox = null, IReadOnlyCollection<string>? districts = null)
    {
        var source = CollectionTables.All.GetValueOrDefault(collection) ?? throw new KeyNotFoundException($"No streamed collection named '{collection}'.");
        var connection = Open();
        using var command = Command(source, connection, bbox, districts);
        // Sequential: each value is read once, in column order, straight from the wire buffer.
        using var reader = command.ExecuteReader(CommandBehavior.SequentialAccess);
        var wkb = new WKBReader();
        while (reader.Read())
        {
            var geometry = wkb.Read(reader.GetFieldValue<byte[]>(0));
            geometry.SRID = Crs.Wgs84;
            yield return ToFeature(source, reader, geometry);
        }
    }

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

    /// <summary>
    /// The data version of what an export of the collection reads (<c>tile_versions</c>, bumped by PostgreSQL on every
    /// statement that writes to a table, whoever writes), as text: the table's version, and the districts' too when a
    /// district limit joins them (incidents). Null when the collection is not streamed here or no version is kept.
    /// An export made at a version is the export of that version: it is found again by it, never by hashing rows.
    /// </summary>
    public async Task<string?> VersionAsync(string collection, IReadOnlyCollection<string>? districts, CancellationToken ct)
    {
        if (!CollectionTables.All.TryGetValue(collection, out var source)) return null;
        string[] tables = districts is { Count: > 0 } && source.DistrictFilter?.Contains("FROM districts", StringComparison.Ordinal) == true
            ? new[] { source.Name, "districts" } : [source.Name];
        var connection = await OpenAsync(ct);
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
        var source = CollectionTables.All.GetValueOrDefault(collection) ?? throw new KeyNotFoundException($"No streamed collection named '{collection}'.");
        var connection = await OpenAsync(ct);
        await using var command = Command(source, connection, bbox, districts, extent: true);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct) || await reader.IsDBNullAsync(0, ct)) return null;
        return new Envelope(reader.GetDouble(0), reader.GetDouble(2), reader.GetDouble(1), reader.GetDouble(3));
    }

    private NpgsqlConnection Open()
    {
        if (_owned is not null)
        {
            if (_owned.State != ConnectionState.Open) _owned.Open();
            return _owned;
        }
        var connection = (NpgsqlConnection)_db!.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open) _db.Database.OpenConnection();
        return connection;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        if (_owned is not null)
        {
            if (_owned.State != ConnectionState.Open) await _owned.OpenAsync(ct);
            return _owned;
        }
        var connection = (NpgsqlConnection)_db!.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open) await _db.Database.OpenConnectionAsync(ct);
        return connection;
    }

    private static NpgsqlCommand Command(CollectionTables.Table source, NpgsqlConnection connection, Envelope? bbox, IReadOnlyCollection<string>? districts, bool extent = false)
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
        var columns = string.Join(", ", source.SelectedColumns.Select(c => "t." + c));
        var filter = where.Count == 0 ? "" : " WHERE " + string.Join(" AND ", where);
        command.CommandText = extent
            ? $"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(t.{source.Geometry}) AS e FROM {source.Name} t{filter}) s"
            : $"SELECT ST_AsBinary(t.{source.Geometry}), {columns} FROM {source.Name} t{filter} ORDER BY t.{source.Key}";
        return command;
    }

    /// <summary>A row as a feature: the attributes in the table's order, read column by column (the geometry is column 0).</summary>
    private static Feature ToFeature(CollectionTables.Table table, DbDataReader reader, Geometry geometry)
    {
        var attributes = new AttributesTable();
        var ordinal = 1;
        foreach (var column in table.Columns)
            attributes.Add(column.Name, column.Kind == CollectionTables.Kind.AreaKm2
                ? CollectionTables.AreaKm2(geometry)
                : CollectionTables.Value(reader, ordinal++, column.Kind));
        return new Feature(geometry, attributes);
    }
}
