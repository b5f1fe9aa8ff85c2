using System.Diagnostics;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// Issue 13.1: <c>barrio import-osm</c> on the shared Huanchaco extract, checked against the same ways read by GDAL's
/// OSM driver (the lines layer) and clipped by the same district boundary in PostGIS.
/// </summary>
[Collection(PostgisCollection.Name)]
public class ImportOsmCommandTests(PostgisFixture postgis)
{
    private static string Pbf => SharedGeodata.PathOf("osm/huanchaco_el_milagro_extract.osm.pbf");

    private async Task<string> DatabaseWithDistrictsAsync(string name)
    {
        var cs = await postgis.CreateDatabaseAsync(name);
        var run = CliRun.Of("import", SharedGeodata.PathOf("admin/huanchaco_y_vecinos_inei2023.geojson"), "--collection", "districts", "--db", cs);
        Assert.True(run.ExitCode == 0, run.Error);
        return cs;
    }

    [SkippableFact]
    public async Task Huanchaco_streets_are_the_ways_GDAL_reads_clipped_to_the_district()
    {
        var cs = await DatabaseWithDistrictsAsync("osmcli");
        var run = CliRun.Of("import-osm", Pbf, "--district", "130104", "--db", cs, "--as", "gis.osm");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("streets", run.Out);
        // The extract's streets reach only part of Huanchaco's desert: the share is named, and the import goes on.
        Assert.Contains("The extract covers", run.Error);

        using var dir = new TempDir();
        var gdal = GdalLines(dir.File("lines.geojson"));
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        var oracle = await ClippedLengths(connection, gdal, "130104");
        var rows = await Streets(connection);
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count()); // one row per way
        var imported = rows.ToDictionary(r => r.Id, r => r.Row);
        Assert.Equal(oracle.Keys.OrderBy(k => k), imported.Keys.OrderBy(k => k));
        var gdalKm = oracle.Values.Sum() / 1000;
        var ourKm = imported.Values.Sum(s => s.Meters) / 1000;
        Assert.True(Math.Abs(ourKm - gdalKm) <= gdalKm * 0.001, $"imported {ourKm:F3} km, GDAL {gdalKm:F3} km");

        // Names and one-way of a sample of ways, as GDAL reads them.
        var sample = gdal.Where(g => oracle.ContainsKey(g.Key)).OrderBy(g => g.Key).Where((_, i) => i % 37 == 0).ToList();
        Assert.True(sample.Count > 50);
        Assert.Contains(sample, s => s.Value.Name is not null);
        Assert.Contains(imported.Values, s => s.Oneway);
        foreach (var (id, way) in sample)
        {
            Assert.Equal(way.Name, imported[id].Name);
            Assert.Equal(way.Oneway, imported[id].Oneway);
            Assert.Equal(way.Highway, imported[id].Class);
        }

        // Comisarías: the police nodes and areas GDAL finds inside the district.
        var police = GdalPolice(dir);
        var stations = await Names(connection, "SELECT coalesce(name, '') FROM stations");
        var inside = await PoliceInside(connection, police, "130104");
        Assert.True(inside.Count > 0);
        Assert.Equal(inside.Order(), stations.Order());
        Assert.Contains("COMISARIA DE HUANCHACO", stations);

        // A second run of the same file for the same district adds nothing.
        var again = CliRun.Of("import-osm", Pbf, "--district", "130104", "--db", cs);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("already loaded", again.Out);
        Assert.Equal(imported.Count, await Count(connection, "streets"));
    }

    [SkippableFact]
    public async Task Bad_input_is_one_line_a_non_zero_exit_and_nothing_written()
    {
        var cs = await DatabaseWithDistrictsAsync("osmclibad");
        using var dir = new TempDir();
        var bytes = await File.ReadAllBytesAsync(Pbf);
        var truncated = dir.File("cortado.osm.pbf");
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var text = dir.Write("texto.osm.pbf", "esto no es un PBF\n");
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();

        var cases = new (string[] Args, string Says)[]
        {
            ([truncated, "--district", "130104"], "damaged or incomplete"),
            ([text, "--district", "130104"], "is not an OpenStreetMap PBF file"),
            ([Pbf, "--district", "999999"], "No district has ubigeo 999999"),
            ([Pbf, "--district", "130102"], "The extract covers only"), // El Porvenir: about 14 % inside the extract's data
            ([Pbf, "--bbox", "-75.1,-12.2,-75.0,-12.1"], "The extract covers only 0"),
            ([Pbf, "--bbox", "-79,-8,-80,-7"], "is not valid"),
        };
        foreach (var (args, says) in cases)
        {
            var run = CliRun.Of(["import-osm", .. args, "--db", cs]);
            Assert.True(run.ExitCode == 1, $"{string.Join(' ', args)}: exit {run.ExitCode}\n{run.Error}");
            Assert.Contains(says, run.ErrorLine);
            Assert.StartsWith("barrio import-osm: ", run.ErrorLine);
            Assert.Equal(0, await Count(connection, "streets"));
            Assert.Equal(0, await Count(connection, "stations"));
        }

        var spanish = CliRun.Of("import-osm", Pbf, "--district", "130102", "--db", cs, "--lang", "es");
        Assert.Contains("El extracto cubre solo el", spanish.ErrorLine);
        Assert.Matches(@"cubre solo el 1\d(\.\d)? %", spanish.ErrorLine);
        Assert.Equal(2, CliRun.Of("import-osm", Pbf, "--db", cs).ExitCode); // no area: a usage error
    }

    // ---- the oracle: GDAL's OSM driver ----------------------------------------------------------------------------

    private sealed record Way(string? Name, bool Oneway, string Highway, string Wkt);

    private static Dictionary<long, Way> GdalLines(string output)
    {
        Ogr2Ogr("-f", "GeoJSON", output, Pbf, "lines", "-where", "highway IS NOT NULL", "-lco", "COORDINATE_PRECISION=7");
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        var ways = new Dictionary<long, Way>();
        foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
        {
            var p = f.GetProperty("properties");
            var other = p.TryGetProperty("other_tags", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()! : "";
            var name = p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            ways.Add(long.Parse(p.GetProperty("osm_id").GetString()!), new Way(name,
                other.Contains("\"oneway\"=>\"yes\"") || other.Contains("\"oneway\"=>\"-1\"") || other.Contains("\"oneway\"=>\"1\""),
                p.GetProperty("highway").GetString()!, GeoJsonToWkt(f.GetProperty("geometry"))));
        }
        return ways;
    }

    private static List<(string Name, string Wkt)> GdalPolice(TempDir dir)
    {
        var list = new List<(string, string)>();
        foreach (var (layer, where) in new[] { ("points", "other_tags LIKE '%\"amenity\"=>\"police\"%'"), ("multipolygons", "amenity = 'police'") })
        {
            var output = dir.File(layer + ".geojson");
            Ogr2Ogr("-f", "GeoJSON", output, Pbf, layer, "-where", where);
            using var doc = JsonDocument.Parse(File.ReadAllText(output));
            foreach (var f in doc.RootElement.GetProperty("features").EnumerateArray())
            {
                var p = f.GetProperty("properties");
                var name = p.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
                list.Add((name, GeoJsonToWkt(f.GetProperty("geometry"))));
            }
        }
        return list;
    }

    private static void Ogr2Ogr(params string[] args)
    {
        var start = new ProcessStartInfo("ogr2ogr") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"ogr2ogr failed: {err}");
    }

    // PostGIS reads the GeoJSON geometry itself (ST_GeomFromGeoJSON): no conversion of ours between GDAL and PostGIS.
    private static string GeoJsonToWkt(JsonElement geometry) => geometry.GetRawText();

    private static async Task<Dictionary<long, double>> ClippedLengths(NpgsqlConnection c, Dictionary<long, Way> ways, string ubigeo)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT w.id, ST_Length(ST_CollectionExtract(ST_Intersection(ST_SetSRID(ST_GeomFromGeoJSON(w.g), 4326), d.boundary), 2)::geography)
            FROM unnest(@ids, @geoms) AS w(id, g), districts d WHERE d.ubigeo = @ubigeo
            """, c);
        cmd.Parameters.AddWithValue("ids", ways.Keys.ToArray());
        cmd.Parameters.AddWithValue("geoms", ways.Values.Select(w => w.Wkt).ToArray());
        cmd.Parameters.AddWithValue("ubigeo", ubigeo);
        var lengths = new Dictionary<long, double>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            if (!r.IsDBNull(1) && r.GetDouble(1) > 0) lengths[r.GetInt64(0)] = r.GetDouble(1);
        return lengths;
    }

    private static async Task<List<string>> PoliceInside(NpgsqlConnection c, List<(string Name, string Json)> police, string ubigeo)
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

    private sealed record Row(string? Name, bool Oneway, string Class, double Meters);

    private static async Task<List<(long Id, Row Row)>> Streets(NpgsqlConnection c)
    {
        await using var cmd = new NpgsqlCommand("SELECT osm_id, name, oneway, class, ST_Length(geometry::geography) FROM streets", c);
        var rows = new List<(long, Row)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
            rows.Add((r.GetInt64(0), new Row(r.IsDBNull(1) ? null : r.GetString(1), r.GetBoolean(2), r.GetString(3), r.GetDouble(4))));
        return rows;
    }

    private static async Task<List<string>> Names(NpgsqlConnection c, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, c);
        var names = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) names.Add(r.GetString(0));
        return names;
    }

    private static async Task<long> Count(NpgsqlConnection c, string table)
    {
        await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table}", c);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
