using System.Text.Json;
using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>Issue 13.2: `barrio import` of INEI's national district, province and department files.</summary>
[Collection(PostgisCollection.Name)]
public class AdminLimitsImportTests(PostgisFixture postgis)
{
    private static async Task<string?> Scalar(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int FeaturesOf(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("features").GetArrayLength();
    }

    [SkippableFact]
    public async Task The_national_files_import_guessed_the_better_boundaries_kept_and_a_second_import_adds_nothing()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        var better = SharedGeodata.PathOf("admin/huanchaco_y_vecinos_inei2023.geojson");
        var districts = SharedGeodata.PathOf("admin/peru_distrital_simple.geojson");
        var provinces = SharedGeodata.PathOf("admin/peru_provincial_simple.geojson");
        var departments = SharedGeodata.PathOf("admin/peru_departamental_simple.geojson");

        var first = CliRun.Of("import", better, "--db", cs);
        Assert.True(first.ExitCode == 0, first.Error);
        var huanchaco2023 = await Scalar(cs, "SELECT ST_AsText(boundary) FROM districts WHERE ubigeo = '130104'");

        var all = CliRun.Of("import", districts, "--db", cs);
        Assert.True(all.ExitCode == 0, all.Error);
        var total = FeaturesOf(districts);
        Assert.Contains($"{total - 5:N0} features loaded into districts", all.Out);
        // The five already there are named, with the file their boundary came from; the eight without one too.
        Assert.Contains("5 districts were in the database already and kept as they are", all.Error);
        Assert.Contains("130103 Florencia de Mora (huanchaco_y_vecinos_inei2023.geojson)", all.Error);
        Assert.Contains("8 districts have no boundary in the file", all.Error);
        Assert.Contains("150137 Santa Anita", all.Error);
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), await Scalar(cs, "SELECT count(*) FROM districts"));
        Assert.Equal(huanchaco2023, await Scalar(cs, "SELECT ST_AsText(boundary) FROM districts WHERE ubigeo = '130104'"));
        Assert.Equal("Nuñoa", await Scalar(cs, "SELECT name FROM districts WHERE search_name = 'nunoa'"));

        var p = CliRun.Of("import", provinces, "--db", cs);
        Assert.True(p.ExitCode == 0, p.Error);
        // INEI's province file has two pieces for Piura (one misspelt PUIRA) and for Víctor Fajardo: joined, one row each.
        Assert.Contains("province 2001 comes in 2 pieces (Piura, Puira): joined as Piura", p.Error);
        Assert.Equal("195", await Scalar(cs, "SELECT count(*) FROM provinces"));
        Assert.Equal("2", await Scalar(cs, "SELECT ST_NumGeometries(boundary) FROM provinces WHERE code = '2001'"));
        Assert.Equal("0", await Scalar(cs, "SELECT count(DISTINCT left(d.ubigeo, 4)) FROM districts d WHERE NOT EXISTS (SELECT 1 FROM provinces p WHERE p.code = left(d.ubigeo, 4))"));

        var d = CliRun.Of("import", departments, "--db", cs);
        Assert.True(d.ExitCode == 0, d.Error);
        Assert.Equal("25", await Scalar(cs, "SELECT count(*) FROM departments"));
        Assert.Equal("La Libertad", await Scalar(cs, "SELECT name FROM departments WHERE code = '13'"));

        var again = CliRun.Of("import", districts, "--db", cs);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains("already loaded", again.Out);
        Assert.Equal(total.ToString(System.Globalization.CultureInfo.InvariantCulture), await Scalar(cs, "SELECT count(*) FROM districts"));
    }

    [SkippableFact]
    public async Task A_district_file_naming_a_ubigeo_twice_or_without_one_is_refused_whole()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        using var dir = new TempDir();
        const string square = "[[[-77.03,-12.12],[-77.02,-12.12],[-77.02,-12.11],[-77.03,-12.11],[-77.03,-12.12]]]";
        var twice = dir.Write("twice.geojson", $$$"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"IDDIST":"150122","NOMBDIST":"MIRAFLORES"},"geometry":{"type":"Polygon","coordinates":{{{square}}}}},
              {"type":"Feature","properties":{"IDDIST":"150122","NOMBDIST":"MIRAFLORES"},"geometry":{"type":"Polygon","coordinates":{{{square}}}}}
            ]}
            """);
        var run = CliRun.Of("import", twice, "--collection", "districts", "--db", cs);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("district 150122 appears 2 times", run.ErrorLine);
        var bad = dir.Write("bad.geojson", $$$"""
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"IDDIST":"1501","NOMBDIST":"LIMA"},"geometry":{"type":"Polygon","coordinates":{{{square}}}}}
            ]}
            """);
        var refused = CliRun.Of("import", bad, "--collection", "districts", "--db", cs);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("6 digits", refused.ErrorLine);
        Assert.Equal("0", await Scalar(cs, "SELECT count(*) FROM districts"));
        Assert.Equal("0", await Scalar(cs, "SELECT count(*) FROM datasets"));
    }
}
