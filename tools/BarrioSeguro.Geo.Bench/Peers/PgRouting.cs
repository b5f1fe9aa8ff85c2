using BarrioSeguro.Geo.Core.Network;
using Npgsql;

namespace BarrioSeguro.Geo.Bench.Peers;

/// <summary>
/// The pgRouting peer of <see cref="Coverage"/>: the same <see cref="StreetGraph"/> as an edge table
/// (id = edge id + 1, source/target = node + 1, cost = forward seconds, reverse_cost = backward seconds or -1 where
/// one-way) and <c>pgr_drivingDistance</c> from several start nodes. An oracle for tests and the other side of
/// <c>barrio bench coverage</c>. The table is a session temp table: nothing is left in the database.
/// </summary>
public static class PgRouting
{
    /// <summary>Creates pgRouting in the database if it is not there (needs the right to create extensions).</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pgrouting", connection);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>pgRouting's version, e.g. "3.4.2".</summary>
    public static async Task<string> VersionAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand("SELECT pgr_version()", connection);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Loads the graph's edges into the session temp table <paramref name="table"/>, replacing what was there
    /// (<paramref name="temporary"/> false: a plain table, for queries from other connections; drop it after).</summary>
    public static async Task LoadAsync(NpgsqlConnection connection, StreetGraph graph, string table = "coverage_edges", bool temporary = true,
        CancellationToken ct = default)
    {
        var name = SafeName(table);
        var edges = graph.Edges;
        await using var cmd = new NpgsqlCommand(
            $"""
            DROP TABLE IF EXISTS {name};
            CREATE {(temporary ? "TEMP " : "")}TABLE {name} (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL,
                                      cost double precision NOT NULL, reverse_cost double precision NOT NULL);
            INSERT INTO {name} SELECT * FROM unnest(@id, @source, @target, @cost, @reverse);
            ANALYZE {name};
            """, connection);
        cmd.Parameters.AddWithValue("id", edges.Select(e => (long)e.Id + 1).ToArray());
        cmd.Parameters.AddWithValue("source", edges.Select(e => (long)e.From + 1).ToArray());
        cmd.Parameters.AddWithValue("target", edges.Select(e => (long)e.To + 1).ToArray());
        cmd.Parameters.AddWithValue("cost", edges.Select(e => e.ForwardSeconds).ToArray());
        cmd.Parameters.AddWithValue("reverse", edges.Select(e => double.IsPositiveInfinity(e.BackwardSeconds) ? -1 : e.BackwardSeconds).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// <c>pgr_drivingDistance</c> on the loaded table from the start nodes (graph node indexes), directed, within
    /// <paramref name="seconds"/>: per graph node the least <c>agg_cost</c> over the starts, +∞ when not reached.
    /// </summary>
    public static async Task<double[]> DrivingDistanceAsync(NpgsqlConnection connection, int nodeCount, IReadOnlyList<int> startNodes,
        double seconds, string table = "coverage_edges", CancellationToken ct = default)
    {
        var name = SafeName(table);
        await using var cmd = new NpgsqlCommand(
            $"""
            SELECT node, min(agg_cost) FROM pgr_drivingDistance(
                'SELECT id, source, target, cost, reverse_cost FROM {name}', @starts, @seconds, directed => true)
            GROUP BY node
            """, connection);
        cmd.Parameters.AddWithValue("starts", startNodes.Select(n => (long)n + 1).ToArray());
        cmd.Parameters.AddWithValue("seconds", seconds);
        cmd.CommandTimeout = 600;
        var result = new double[nodeCount];
        Array.Fill(result, double.PositiveInfinity);
        await using var rows = await cmd.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct)) result[rows.GetInt64(0) - 1] = rows.GetDouble(1);
        return result;
    }

    /// <summary>Loads postman rows (id, source, target, cost, reverse_cost; −1 where not allowed) into the session temp table postman_edges.</summary>
    public static async Task LoadPostmanAsync(NpgsqlConnection connection, IReadOnlyList<(long Id, long Source, long Target, double Cost, double Reverse)> rows,
        CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand(
            """
            DROP TABLE IF EXISTS postman_edges;
            CREATE TEMP TABLE postman_edges (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL,
                                             cost double precision NOT NULL, reverse_cost double precision NOT NULL);
            INSERT INTO postman_edges SELECT * FROM unnest(@id, @source, @target, @cost, @reverse);
            ANALYZE postman_edges;
            """, connection);
        cmd.Parameters.AddWithValue("id", rows.Select(r => r.Id).ToArray());
        cmd.Parameters.AddWithValue("source", rows.Select(r => r.Source).ToArray());
        cmd.Parameters.AddWithValue("target", rows.Select(r => r.Target).ToArray());
        cmd.Parameters.AddWithValue("cost", rows.Select(r => r.Cost).ToArray());
        cmd.Parameters.AddWithValue("reverse", rows.Select(r => r.Reverse).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// <c>pgr_chinesePostman</c> (directed: every allowed direction of every edge required) on postman_edges: total
    /// cost, steps, and distinct lanes walked (edge and the node it is left from), to check it covered them all.
    /// </summary>
    public static async Task<(double Total, int Steps, int Lanes)> ChinesePostmanAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        await using var cmd = new NpgsqlCommand(
            """
            SELECT coalesce(sum(cost), 0), count(*)::int, count(DISTINCT (edge, node))::int
            FROM pgr_chinesePostman('SELECT id, source, target, cost, reverse_cost FROM postman_edges') WHERE edge > 0
            """, connection);
        cmd.CommandTimeout = 600;
        await using var rows = await cmd.ExecuteReaderAsync(ct);
        await rows.ReadAsync(ct);
        return (rows.GetDouble(0), rows.GetInt32(1), rows.GetInt32(2));
    }

    /// <summary>
    /// The components PostGIS and pgRouting make of these lines (UTM, <paramref name="srid"/>): <c>ST_Node</c> over all
    /// of them, <c>pgr_createTopology</c> at <paramref name="tolerance"/> metres, <c>pgr_connectedComponents</c>.
    /// Per component (longest first) its edge count and length in UTM metres. Uses plain tables topo_lines and
    /// topo_edges (pgr_createTopology does not take temp tables): give it a database of its own.
    /// </summary>
    public static async Task<List<(int Edges, double Meters)>> TopologyComponentsAsync(NpgsqlConnection connection,
        IReadOnlyList<NetTopologySuite.Geometries.Geometry> lines, int srid, double tolerance, CancellationToken ct = default)
    {
        var writer = new NetTopologySuite.IO.WKBWriter();
        await using (var load = new NpgsqlCommand(
            $"""
            DROP TABLE IF EXISTS topo_lines, topo_edges, topo_edges_vertices_pgr;
            CREATE TABLE topo_lines (geom geometry);
            INSERT INTO topo_lines SELECT ST_SetSRID(ST_GeomFromWKB(w), {srid}) FROM unnest(@wkb) AS w;
            CREATE TABLE topo_edges AS
                SELECT row_number() OVER ()::bigint AS id, d.geom::geometry(LineString, {srid}) AS geom
                FROM (SELECT (ST_Dump(ST_Node(ST_Collect(geom)))).geom FROM topo_lines) AS d;
            ALTER TABLE topo_edges ADD COLUMN source bigint, ADD COLUMN target bigint;
            """, connection))
        {
            load.Parameters.AddWithValue("wkb", lines.Select(l => writer.Write(l)).ToArray());
            load.CommandTimeout = 600;
            await load.ExecuteNonQueryAsync(ct);
        }
        await using (var topology = new NpgsqlCommand("SELECT pgr_createTopology('topo_edges', @tolerance, 'geom', 'id', clean := true)", connection))
        {
            topology.Parameters.AddWithValue("tolerance", tolerance);
            topology.CommandTimeout = 600;
            var status = (string?)await topology.ExecuteScalarAsync(ct);
            if (status != "OK") throw new InvalidOperationException($"pgr_createTopology said {status}");
        }
        await using var cmd = new NpgsqlCommand(
            """
            SELECT count(*)::int, sum(ST_Length(e.geom))
            FROM topo_edges AS e
            JOIN pgr_connectedComponents('SELECT id, source, target, 1 AS cost, 1 AS reverse_cost FROM topo_edges') AS c ON c.node = e.source
            GROUP BY c.component ORDER BY 2 DESC
            """, connection);
        cmd.CommandTimeout = 600;
        var result = new List<(int, double)>();
        await using var rows = await cmd.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct)) result.Add((rows.GetInt32(0), rows.GetDouble(1)));
        return result;
    }

    private static string SafeName(string table) =>
        table.Length is > 0 and <= 60 && table.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_') && !char.IsDigit(table[0])
            ? table
            : throw new ArgumentException($"'{table}' is not a plain lower-case table name", nameof(table));
}
