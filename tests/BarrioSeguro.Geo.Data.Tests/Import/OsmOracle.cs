using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Import;

/// <summary>
/// The independent reading of an OSM extract for the import-osm tests: GDAL's OSM driver (ogr2ogr, its default
/// osmconf.ini), clipped by the district boundary in PostGIS. No code of ours between GDAL and PostGIS.
/// </summary>
public static class OsmOracle
{

    public sealed record Way(string? Name, bool Oneway, string Highway, string Json)
    {
        /// <summary>The maxspeed tag as GDAL gives it (in other_tags).</summary>
        public string? MaxSpeed { get; init; }

        public bool Bridge { get; init; }
    }

    public static Dictionary<long, Way> GdalLines(string pbf, string output)
    {
        Ogr2Ogr("-f", "GeoJSON", output, pbf, "lines", "-where", "highway IS NOT NULL", "-lco", "COORDINATE_PRECISION=7");
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var ways = new Dictionary<long, Way>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var p = f.GetProperty("properties");
            var other = p.TryGetProperty("other_tags", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "";
            var name = p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            ways.Add(long.Parse(p.GetProperty("osm_id").GetString()!), new Way(name,
                other.Contains("\"oneway\"=>\"yes\"") || other.Contains("\"oneway\"=>\"-1\"") || other.Contains("\"oneway\"=>\"1\""),
                p.GetProperty("highway").GetString()!, GeometryJson(f.GetProperty("geometry")))
            {
                MaxSpeed = System.Text.RegularExpressions.Regex.Match(other, "\"maxspeed\"=>\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : null,
                Bridge = other.Contains("\"bridge\"=>") && !other.Contains("\"bridge\"=>\"no\""),
            });
        }
        return ways;
    }

    public static List<(string Name, string Json)> GdalPolice(string pbf, string folder)
    {
        var list = new List<(string, string)>();
        foreach (var (layer, where) in new[] { ("points", "other_tags LIKE '%\"amenity\"=>\"police\"%'"), ("multipolygons", "amenity = 'police'") })
        {
            var output = Path.Combine(folder, layer + ".geojson");
            Ogr2Ogr("-f", "GeoJSON", output, pbf, layer, "-where", where);
            using var doc = JsonDocument.Parse(File.ReadAllText(output));
            foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var p = f.GetProperty("properties");
                var name = p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
                list.Add((name, GeometryJson(f.GetProperty("geometry"))));
            }
        }
        return list;
    }

    /// <summary>The OSM ids (way or relation) of GDAL's building areas that overlap the district, clipped in PostGIS.</summary>
    public static async Task<List<long>> BuildingsInside(NpgsqlConnection c, string pbf, string output, string ubigeo)
    {
        Ogr2Ogr("-f", "GeoJSON", output, pbf, "multipolygons", "-where", "building IS NOT NULL");
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var ids = new List<long>();
        var geoms = new List<string>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var p = f.GetProperty("properties");
            // Closed ways carry osm_way_id, relations osm_id.
            var id = p.TryGetProperty("osm_way_id", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString()! : p.GetProperty("osm_id").GetString()!;
            ids.Add(long.Parse(id));
            geoms.Add(GeometryJson(f.GetProperty("geometry")));
        }
        await using var cmd = new NpgsqlCommand("""
            SELECT b.id FROM unnest(@ids, @geoms) AS b(id, g), districts d
            WHERE d.ubigeo = @ubigeo AND ST_Intersects(d.boundary, ST_SetSRID(ST_GeomFromGeoJSON(b.g), 4326))
              AND ST_Area(ST_Intersection(d.boundary, ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(b.g), 4326)))) > 0
            """, c);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        cmd.Parameters.AddWithValue("geoms", geoms.ToArray());
        cmd.Parameters.AddWithValue("ubigeo", ubigeo);
        var inside = new List<long>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) inside.Add(r.GetInt64(0));
        return inside;
    }

    public static void Ogr2Ogr(params string[] args)
    {
        var start = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ogr2ogr failed: {err}");
    }

    // PostGIS reads the GeoJSON geometry itself (ST_GeomFromGeoJSON): no conversion of ours between GDAL and PostGIS.
    public static string GeometryJson(JsonElement geometry) => geometry.GetRawText();

    public static async Task<Dictionary<long, double>> ClippedLengths(NpgsqlConnection c, Dictionary<long, Way> ways, string ubigeo)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT w.id, ST_Length(ST_CollectionExtract(ST_Intersection(ST_SetSRID(ST_GeomFromGeoJSON(w.g), 4326), d.boundary), 2)::geography)
            FROM unnest(@ids, @geoms) AS w(id, g), districts d WHERE d.ubigeo = @ubigeo
            """, c);
        cmd.Parameters.AddWithValue("ids", ways.Keys.ToArray());
        cmd.Parameters.AddWithValue("geoms", ways.Values.Select(w => w.Json).ToArray());
        cmd.Parameters.AddWithValue("ubigeo", ubigeo);
        var lengths = new Dictionary<long, double>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            if (!r.IsDBNull(1) && r.GetDouble(1) > 0) lengths[r.GetInt64(0)] = r.GetDouble(1);
        return lengths;
    }

    public static async Task<List<string>> PoliceInside(NpgsqlConnection c, List<(string Name, string Json)> police, string ubigeo)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT p.name FROM unnest(@names, @geoms) AS p(name, g), districts d
            WHERE d.ubigeo = @ubigeo AND ST_Intersects(d.boundary, ST_PointOnSurface(ST_SetSRID(ST_GeomFromGeoJSON(p.g), 4326)))
            """, c);
        cmd.Parameters.AddWithValue("names", police.Select(p => p.Name).ToArray());
        cmd.Parameters.AddWithValue("geoms", police.Select(p => p.Json).ToArray());
        cmd.Parameters.AddWithValue("ubigeo", ubigeo);
        var names = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) names.Add(r.GetString(0));
        return names;
    }

    public sealed record Row(string? Name, bool Oneway, string Class, double Meters, int? MaxSpeedKmh, bool Bridge);

    public static async Task<List<(long Id, Row Row)>> Streets(NpgsqlConnection c)
    {
        await using var cmd = new NpgsqlCommand("SELECT osm_id, name, oneway, class, ST_Length(geometry::geography), max_speed_kmh, bridge FROM streets", c);
        var rows = new List<(long, Row)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            rows.Add((r.GetInt64(0), new Row(r.IsDBNull(1) ? null : r.GetString(1), r.GetBoolean(2), r.GetString(3), r.GetDouble(4),
                r.IsDBNull(5) ? null : r.GetInt32(5), r.GetBoolean(6))));
        return rows;
    }

    public static async Task<List<string>> Names(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        var names = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) names.Add(r.GetString(0));
        return names;
    }

    public static async Task<long> Count(NpgsqlConnection c, string table)
    {
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table}", c);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
