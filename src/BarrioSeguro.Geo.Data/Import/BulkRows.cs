using System.Diagnostics;
using BarrioSeguro.Geo.Core.Domain;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;
using NpgsqlTypes;

namespace BarrioSeguro.Geo.Data.Import;

/// <summary>
/// Writes the rows of an import in bulk, inside the import's transaction: one binary COPY into a temporary table
/// (geometries as EWKB, SRID included, so no ST_ function runs per row), then set-based INSERT ... SELECT into the
/// collection and, for a versioned collection, into import_features (the features kept with the import), in file order.
/// No change tracking and no statement per row: the triggers that run per statement (tile versions) run once.
/// </summary>
internal static class BulkRows
{
    /// <summary>Whether <paramref name="collection"/> is written here; neighbourhoods are not (each starts a revision
    /// history that needs its id, and a file holds a few).</summary>
    public static bool Writes(string collection) => Shapes.ContainsKey(collection);

    /// <param name="datasetId">The import the rows belong to (versioned collections); ignored for the others.</param>
    /// <param name="archive">The attributes kept with each row of a versioned collection (import_features.properties_json).</param>
    public static async Task WriteAsync(BarrioDbContext db, string collection, IReadOnlyList<object> entities, int datasetId,
        Func<object, string> archive, Action<string, TimeSpan>? phases, CancellationToken ct)
    {
        var shape = Shapes[collection];
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var clock = Stopwatch.StartNew();
        await using (var create = new NpgsqlCommand(
            $"DROP TABLE IF EXISTS {shape.Staging}; CREATE TEMP TABLE {shape.Staging} (ordinal integer, {shape.Columns}, properties jsonb) ON COMMIT DROP",
            connection))
            await create.ExecuteNonQueryAsync(ct);
        var versioned = CollectionImporter.VersionedCollections.Contains(collection);
        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false);
        await using (var copy = await connection.BeginBinaryImportAsync(
            $"COPY {shape.Staging} (ordinal, {shape.Names}, properties) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var i = 0; i < entities.Count; i++)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(i, NpgsqlDbType.Integer, ct);
                await shape.Write(copy, entities[i], wkb, ct);
                if (versioned) await copy.WriteAsync(archive(entities[i]), NpgsqlDbType.Jsonb, ct);
                else await copy.WriteNullAsync(ct);
            }
            await copy.CompleteAsync(ct);
        }
        phases?.Invoke("COPY into a staging table", clock.Elapsed);
        clock.Restart();

        await using var move = new NpgsqlBatch(connection);
        var into = versioned ? $"{shape.Names}, dataset_id" : shape.Names;
        var from = versioned ? $"{shape.Names}, $1" : shape.Names;
        var rows = new NpgsqlBatchCommand($"INSERT INTO {shape.Table} ({into}{shape.Fixed.Columns}) SELECT {from}{shape.Fixed.Values} FROM {shape.Staging} ORDER BY ordinal");
        if (versioned) rows.Parameters.Add(new NpgsqlParameter<int> { TypedValue = datasetId });
        move.BatchCommands.Add(rows);
        if (versioned)
        {
            var kept = new NpgsqlBatchCommand($"""
                INSERT INTO import_features (dataset_id, ordinal, osm_id, name, geometry, properties_json)
                SELECT $1, ordinal, osm_id, name, {shape.Geometry}, properties FROM {shape.Staging} ORDER BY ordinal
                """);
            kept.Parameters.Add(new NpgsqlParameter<int> { TypedValue = datasetId });
            move.BatchCommands.Add(kept);
        }
        await move.ExecuteNonQueryAsync(ct);
        phases?.Invoke("INSERT ... SELECT into place", clock.Elapsed);
    }

    private delegate Task RowWriter(NpgsqlBinaryImporter copy, object entity, WKBWriter wkb, CancellationToken ct);

    /// <summary>A collection's table, its staging table's columns (as in the table, in the order written) and the
    /// columns set to constants (a new entry's version 1).</summary>
    private sealed record Shape(string Table, string Columns, string Geometry, RowWriter Write, (string Columns, string Values) Fixed)
    {
        public string Staging => "import_staging_" + Table;

        public string Names => string.Join(", ", Columns.Split(',').Select(c => c.Trim().Split(' ')[0]));
    }

    private static readonly Dictionary<string, Shape> Shapes = new(StringComparer.Ordinal)
    {
        ["streets"] = new("streets",
            "osm_id bigint, name text, class text, oneway boolean, layer integer, max_speed_kmh integer, bridge boolean, tunnel boolean, geometry geometry",
            "geometry", async (copy, e, wkb, ct) =>
            {
                var s = (Street)e;
                await Nullable(copy, s.OsmId, NpgsqlDbType.Bigint, ct);
                await Text(copy, s.Name, ct);
                await copy.WriteAsync(s.Class, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(s.Oneway, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(s.Layer, NpgsqlDbType.Integer, ct);
                await Nullable(copy, s.MaxSpeedKmh, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(s.Bridge, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(s.Tunnel, NpgsqlDbType.Boolean, ct);
                await Geometry(copy, s.Geometry, wkb, ct);
            }, ("", "")),
        ["stations"] = new("stations", "osm_id bigint, name text, operator text, location geometry", "location", async (copy, e, wkb, ct) =>
        {
            var s = (Station)e;
            await Nullable(copy, s.OsmId, NpgsqlDbType.Bigint, ct);
            await Text(copy, s.Name, ct);
            await Text(copy, s.Operator, ct);
            await Geometry(copy, s.Location, wkb, ct);
        }, (", version", ", 1")),
        ["buildings"] = new("buildings", "osm_id bigint, kind text, name text, geometry geometry", "geometry", async (copy, e, wkb, ct) =>
        {
            var b = (Building)e;
            await Nullable(copy, b.OsmId, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(b.Kind, NpgsqlDbType.Text, ct);
            await Text(copy, b.Name, ct);
            await Geometry(copy, b.Geometry, wkb, ct);
        }, ("", "")),
        ["incidents"] = new("incidents", "occurred_at timestamptz, category text, location geometry, is_synthetic boolean", "location", async (copy, e, wkb, ct) =>
        {
            var i = (Incident)e;
            await copy.WriteAsync(i.OccurredAt, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(i.Category, NpgsqlDbType.Text, ct);
            await Geometry(copy, i.Location, wkb, ct);
            await copy.WriteAsync(i.IsSynthetic, NpgsqlDbType.Boolean, ct);
        }, (", version", ", 1")),
    };

    // PostGIS reads a geometry sent in binary as EWKB: the bytes go straight into the geometry column.
    private static Task Geometry(NpgsqlBinaryImporter copy, Geometry g, WKBWriter wkb, CancellationToken ct) =>
        copy.WriteAsync(wkb.Write(g), NpgsqlDbType.Bytea, ct);

    private static Task Text(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static Task Nullable<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, ct) : copy.WriteNullAsync(ct);
}
