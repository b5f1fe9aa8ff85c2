using BarrioSeguro.Geo.Data.Tests;
using BarrioSeguro.Geo.Data.Tests.Import;
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
        var gdal = OsmOracle.GdalLines(Pbf, dir.File("lines.geojson"));
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        var oracle = await OsmOracle.ClippedLengths(connection, gdal, "130104");
        var rows = await OsmOracle.Streets(connection);
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

        // maxspeed (km/h) and bridge kept on every way GDAL reads them for.
        var speeds = gdal.Where(g => oracle.ContainsKey(g.Key) && int.TryParse(g.Value.MaxSpeed, out _)).ToList();
        Assert.NotEmpty(speeds);
        Assert.All(speeds, s => Assert.Equal(int.Parse(s.Value.MaxSpeed!), imported[s.Key].MaxSpeedKmh));
        Assert.Equal(gdal.Where(g => oracle.ContainsKey(g.Key) && g.Value.Bridge).Select(g => g.Key).Order(),
            imported.Where(r => r.Value.Bridge).Select(r => r.Key).Order());

        // Comisarías: the police nodes and areas GDAL finds inside the district.
        var police = OsmOracle.GdalPolice(Pbf, dir.Path);
        var stations = await OsmOracle.Names(connection, "SELECT coalesce(name, '') FROM stations");
        var inside = await OsmOracle.PoliceInside(connection, police, "130104");
        Assert.True(inside.Count > 0);
        Assert.Equal(inside.Order(), stations.Order());
        Assert.Contains("COMISARIA DE HUANCHACO", stations);

        // A second run of the same file for the same district adds nothing.
        var again = CliRun.Of("import-osm", Pbf, "--district", "130104", "--db", cs);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("already loaded", again.Out);
        Assert.Equal(imported.Count, await OsmOracle.Count(connection, "streets"));
    }

    [SkippableFact]
    public async Task With_buildings_the_footprints_GDAL_reads_in_the_district_are_loaded_too_and_versioned_with_the_streets()
    {
        var cs = await DatabaseWithDistrictsAsync("osmbuildings");
        var run = CliRun.Of("import-osm", Pbf, "--district", "130104", "--buildings", "--db", cs);
        Assert.True(run.ExitCode == 0, run.Error);

        using var dir = new TempDir();
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        var oracle = await OsmOracle.BuildingsInside(connection, Pbf, dir.File("buildings.geojson"), "130104");
        Assert.True(oracle.Count > 100, $"{oracle.Count} buildings in the oracle");
        var ours = new List<long>();
        await using (var cmd = new NpgsqlCommand("SELECT osm_id FROM buildings", connection))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync()) ours.Add(r.GetInt64(0));
        Assert.Equal(oracle.Order(), ours.Order());
        Assert.Contains("buildings loaded for 130104", run.Out);
        // One dataset version of the district, like the streets'.
        Assert.Equal(1L, await OsmOracle.Count(connection, "datasets WHERE collection = 'buildings' AND district_ubigeo = '130104'"));
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
            ([Pbf, "--district", "130102"], "The extract covers only"), // El Porvenir: about 1 % inside the extract's data
            // Florencia de Mora: inside the box of every street vertex (one way's tail reaches it), not of where the data lies.
            ([Pbf, "--district", "130103"], "The extract covers only 0"),
            ([Pbf, "--bbox", "-75.1,-12.2,-75.0,-12.1"], "The extract covers only 0"),
            ([Pbf, "--bbox", "-79,-8,-80,-7"], "is not valid"),
        };
        foreach (var (args, says) in cases)
        {
            var run = CliRun.Of(["import-osm", .. args, "--db", cs]);
            Assert.True(run.ExitCode == 1, $"{string.Join(' ', args)}: exit {run.ExitCode}\n{run.Error}");
            Assert.Contains(says, run.ErrorLine);
            Assert.StartsWith("barrio import-osm: ", run.ErrorLine);
            Assert.Equal(0, await OsmOracle.Count(connection, "streets"));
            Assert.Equal(0, await OsmOracle.Count(connection, "stations"));
        }

        var spanish = CliRun.Of("import-osm", Pbf, "--district", "130102", "--db", cs, "--lang", "es");
        Assert.Contains("El extracto cubre solo el", spanish.ErrorLine);
        Assert.Matches(@"cubre solo el \d(\.\d)? %", spanish.ErrorLine);
        Assert.Equal(2, CliRun.Of("import-osm", Pbf, "--db", cs).ExitCode); // no area: a usage error
    }
}
