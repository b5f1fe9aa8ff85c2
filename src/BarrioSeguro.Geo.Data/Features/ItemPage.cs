using System.Data;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using Npgsql;

namespace BarrioSeguro.Geo.Data.Features;

/// <summary>
/// A page of a base collection read forward-only (one NpgsqlDataReader, no EF materialisation, no NTS geometry): the
/// geometry comes as GeoJSON made by PostGIS (<c>ST_AsGeoJSON</c>, storage CRS), the attributes as columns, and the
/// caller writes each row as it is read. The same features, attributes and order as
/// <see cref="FeatureCatalog.GetItemsAsync"/> for the collections it <see cref="Handles"/>; numberMatched comes from a
/// count, and the table's data version, in the same round trip. Dispose it to give the connection back to the pool.
/// </summary>
public sealed class ItemPage : IAsyncDisposable
{
    private readonly BarrioDbContext _db;
    private readonly CollectionTables.Table _table;
    private readonly NpgsqlBatch _batch;
    private readonly NpgsqlDataReader _reader;
    private readonly NpgsqlTransaction _snapshot;

    private ItemPage(BarrioDbContext db, CollectionTables.Table table, NpgsqlTransaction snapshot, NpgsqlBatch batch, NpgsqlDataReader reader, int matched, int returned, long? version)
    {
        Version = version;
        _db = db;
        _table = table;
        _snapshot = snapshot;
        _batch = batch;
        _reader = reader;
        NumberMatched = matched;
        Returned = returned;
    }

    /// <summary>Whether a collection is read this way: the public base layers, with no district limit or query of their own.</summary>
    public static bool Handles(string collection) => CollectionTables.All.TryGetValue(collection, out var table) && table.IsPublic;

    /// <summary>The table a collection's rows are read from (whose data version <see cref="Version"/> is).</summary>
    /// <exception cref="KeyNotFoundException">No such collection.</exception>
    public static string TableOf(string collection) => CollectionTables.All[collection].Name;

    /// <summary>How many features match the box in all (OGC numberMatched).</summary>
    public int NumberMatched { get; }

    /// <summary>
    /// How many rows the page holds (OGC numberReturned), known before they are read: count and page share one
    /// snapshot (REPEATABLE READ), so the page is exactly the matches past the offset, at most the limit.
    /// </summary>
    public int Returned { get; }

    /// <summary>
    /// The table's data version (<c>tile_versions</c>) in the page's own snapshot, so the page is exactly the rows of
    /// that version; null when the table keeps none.
    /// </summary>
    public long? Version { get; }

    /// <summary>
    /// The data version of a collection's table now (see <see cref="Version"/>), or null; the connection is given back
    /// at once. One small query: what a kept page is checked against.
    /// </summary>
    public static async Task<long?> VersionAsync(BarrioDbContext db, string collection, CancellationToken ct)
    {
        if (!CollectionTables.All.TryGetValue(collection, out var table)) return null;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = new NpgsqlCommand(VersionSql, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter<string>("table", table.Name));
            return await command.ExecuteScalarAsync(ct) is long v ? v : null;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private const string VersionSql = "SELECT (SELECT version FROM tile_versions WHERE collection = @table)";

    /// <summary>The current row's key: an int, or the code (text) of a district, province or department.</summary>
    public object Id => _table.Columns[0].Kind == CollectionTables.Kind.Int ? _reader.GetInt32(0) : _reader.GetString(0);

    /// <summary>
    /// Opens the page: features of <paramref name="collection"/> ordered by key, optionally intersecting a lon/lat box
    /// (compared with the stored geometry, so the GiST index is used).
    /// </summary>
    /// <exception cref="KeyNotFoundException">The collection is not one of those <see cref="Handles"/> names.</exception>
    public static async Task<ItemPage> OpenAsync(BarrioDbContext db, string collection, Envelope? bbox, int limit, int offset, CancellationToken ct)
    {
        if (!CollectionTables.All.TryGetValue(collection, out var table) || !table.IsPublic) throw new KeyNotFoundException($"No collection named '{collection}' is read as rows.");
        var where = bbox is null ? "" : $" WHERE ST_Intersects(\"{table.Geometry}\", ST_MakeEnvelope(@x0, @y0, @x1, @y1, 4326))";
        var columns = string.Join(", ", table.SelectedColumns.Select(c => "\"" + c + "\""));
        await db.Database.OpenConnectionAsync(ct);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        // BEGIN goes out with the batch (Npgsql sends it in the same round trip); COMMIT when the rows are written.
        var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var batch = new NpgsqlBatch(connection, snapshot);
        try
        {
            var count = new NpgsqlBatchCommand($"SELECT count(*) FROM \"{table.Name}\"{where}");
            // 15 decimals keep the stored doubles (degrees); options 0: no crs member (RFC 7946 is EPSG:4326).
            var page = new NpgsqlBatchCommand(
                $"SELECT {columns}, ST_AsGeoJSON(\"{table.Geometry}\", 15, 0) FROM \"{table.Name}\"{where} ORDER BY \"{table.Key}\" LIMIT @limit OFFSET @offset");
            foreach (var command in new[] { count, page })
            {
                if (bbox is null) continue;
                command.Parameters.Add(new NpgsqlParameter<double>("x0", bbox.MinX));
                command.Parameters.Add(new NpgsqlParameter<double>("y0", bbox.MinY));
                command.Parameters.Add(new NpgsqlParameter<double>("x1", bbox.MaxX));
                command.Parameters.Add(new NpgsqlParameter<double>("y1", bbox.MaxY));
            }
            page.Parameters.Add(new NpgsqlParameter<long>("limit", limit));
            page.Parameters.Add(new NpgsqlParameter<long>("offset", offset));
            var version = new NpgsqlBatchCommand(VersionSql);
            version.Parameters.Add(new NpgsqlParameter<string>("table", table.Name));
            batch.BatchCommands.Add(count);
            batch.BatchCommands.Add(version);
            batch.BatchCommands.Add(page);
            var reader = await batch.ExecuteReaderAsync(CommandBehavior.Default, ct);
            await reader.ReadAsync(ct);
            var matched = (int)Math.Min(int.MaxValue, reader.GetInt64(0));
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            long? kept = reader.IsDBNull(0) ? null : reader.GetInt64(0);
            await reader.NextResultAsync(ct);
            var returned = (int)Math.Clamp((long)matched - offset, 0, limit);
            return new ItemPage(db, table, snapshot, batch, reader, matched, returned, kept);
        }
        catch
        {
            await batch.DisposeAsync();
            await snapshot.DisposeAsync();
            await db.Database.CloseConnectionAsync();
            throw;
        }
    }

    /// <summary>Moves to the next feature; false after the last.</summary>
    public Task<bool> ReadAsync(CancellationToken ct) => _reader.ReadAsync(ct);

    /// <summary>Writes the current feature's geometry (GeoJSON from PostGIS, as it came).</summary>
    public void WriteGeometry(Utf8JsonWriter writer)
    {
        var i = _table.Columns.Length;
        if (_reader.IsDBNull(i)) writer.WriteNullValue();
        else writer.WriteRawValue(_reader.GetString(i), skipInputValidation: true);
    }

    /// <summary>Writes the current feature's attributes as a JSON object, nulls included (as the features' writer does).</summary>
    public void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        for (var i = 0; i < _table.Columns.Length; i++)
        {
            var column = _table.Columns[i];
            if (_reader.IsDBNull(i))
            {
                writer.WriteNull(column.Name);
                continue;
            }
            switch (column.Kind)
            {
                case CollectionTables.Kind.Int: writer.WriteNumber(column.Name, _reader.GetInt32(i)); break;
                case CollectionTables.Kind.Long: writer.WriteNumber(column.Name, _reader.GetInt64(i)); break;
                case CollectionTables.Kind.Bool: writer.WriteBoolean(column.Name, _reader.GetBoolean(i)); break;
                case CollectionTables.Kind.Time: writer.WriteString(column.Name, _reader.GetFieldValue<DateTimeOffset>(i)); break;
                case CollectionTables.Kind.Text: writer.WriteString(column.Name, _reader.GetString(i)); break;
                default: throw new NotSupportedException($"{_table.Name}.{column.Name}: a computed attribute is not read as a row.");
            }
        }
        writer.WriteEndObject();
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return; // the writer gives the connection back early; the request's end disposes again
        _disposed = true;
        await _reader.DisposeAsync();
        await _batch.DisposeAsync();
        await _snapshot.DisposeAsync(); // rolls back: it only read
        await _db.Database.CloseConnectionAsync();
    }
}
