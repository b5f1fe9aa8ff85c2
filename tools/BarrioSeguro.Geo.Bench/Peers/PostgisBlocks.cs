using BarrioSeguro.Geo.Core.Blocks;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace BarrioSeguro.Geo.Bench.Peers;

/// <summary>
/// The PostGIS peer of <see cref="BlockBuilder"/>: the same prepared lines noded and polygonized by
/// <c>ST_Polygonize(ST_Node(ST_Collect(geom)))</c> and clipped with <c>ST_Intersection</c>. An oracle for tests and the
/// other side of <c>barrio bench blocks</c>. Works in a session temp table: nothing is left in the database.
/// </summary>
public static class PostgisBlocks
{
    /// <summary>A face from PostGIS in lon/lat with its <c>ST_Area(geography)</c>.</summary>
    public sealed record Face(Polygon Geometry, double AreaSquareMeters);

    /// <summary>Loads the prepared lines (UTM) into the session's temp table <c>blocks_lines</c>, replacing what was there.</summary>
    public static async Task LoadAsync(NpgsqlConnection connection, PreparedStreets prepared, CancellationToken ct = default)
    {
        var writer = new WKBWriter();
        var wkbs = prepared.Lines.Select(l => writer.Write(l)).ToArray();
        await using var cmd = new NpgsqlCommand(
            $"""
            CREATE TEMP TABLE IF NOT EXISTS blocks_lines (geom geometry);
            TRUNCATE blocks_lines;
            INSERT INTO blocks_lines (geom) SELECT ST_GeomFromWKB(w, {prepared.UtmEpsg}) FROM unnest(@wkbs) AS w;
            """, connection);
        cmd.Parameters.AddWithValue("wkbs", wkbs);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The faces of the loaded lines, clipped to a lon/lat boundary (null: no clip), pieces of at least
    /// <paramref name="minAreaSquareMeters"/> (planar, in UTM), in lon/lat with their geography area.
    /// </summary>
    public static async Task<List<Face>> PolygonizeAsync(NpgsqlConnection connection, int utmEpsg, Geometry? boundary,
        double minAreaSquareMeters = 0, CancellationToken ct = default)
    {
        var clip = boundary is null
            ? "SELECT geom FROM faces"
            : $"""
              SELECT (ST_Dump(CASE WHEN ST_CoveredBy(f.geom, b.geom) THEN f.geom ELSE ST_Intersection(f.geom, b.geom) END)).geom AS geom
              FROM faces f, (SELECT ST_Transform(ST_GeomFromWKB(@boundary, 4326), {utmEpsg}) AS geom) b
              WHERE ST_Intersects(f.geom, b.geom)
              """;
        await using var cmd = new NpgsqlCommand(
            $"""
            WITH faces AS (
              SELECT (ST_Dump(ST_Polygonize(n.geom))).geom AS geom
              FROM (SELECT ST_Node(ST_Collect(geom)) AS geom FROM blocks_lines) n
            ), pieces AS ({clip})
            SELECT ST_AsBinary(ST_Transform(geom, 4326)), ST_Area(ST_Transform(geom, 4326)::geography)
            FROM pieces WHERE ST_GeometryType(geom) = 'ST_Polygon' AND ST_Area(geom) >= @min
            """, connection);
        if (boundary is not null) cmd.Parameters.AddWithValue("boundary", new WKBWriter().Write(boundary));
        cmd.Parameters.AddWithValue("min", minAreaSquareMeters);
        cmd.CommandTimeout = 600;
        var reader = new WKBReader();
        var faces = new List<Face>();
        await using var rows = await cmd.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct))
            faces.Add(new Face((Polygon)reader.Read((byte[])rows[0]), rows.GetDouble(1)));
        return faces;
    }

    /// <summary><c>ST_Area(geography)</c> of lon/lat polygons, in order.</summary>
    public static async Task<double[]> GeographyAreasAsync(NpgsqlConnection connection, IEnumerable<Geometry> polygons, CancellationToken ct = default)
    {
        var writer = new WKBWriter();
        await using var cmd = new NpgsqlCommand(
            "SELECT ST_Area(ST_GeomFromWKB(w, 4326)::geography) FROM unnest(@wkbs) WITH ORDINALITY AS t(w, i) ORDER BY i", connection);
        cmd.Parameters.AddWithValue("wkbs", polygons.Select(p => writer.Write(p)).ToArray());
        var areas = new List<double>();
        await using var rows = await cmd.ExecuteReaderAsync(ct);
        while (await rows.ReadAsync(ct)) areas.Add(rows.GetDouble(0));
        return areas.ToArray();
    }
}
