using System.Diagnostics;
using System.Text.Json;
using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// The comisarías of Trujillo as a GIS team hands them over: a shapefile in windows-1252 whose .cpg got lost, sometimes
/// with field names of their own. Text must come out right, every guess and every attribute not imported named.
/// </summary>
[Collection(PostgisCollection.Name)]
public class ShapefileEncodingTests(PostgisFixture postgis)
{
    private const string Quoted = "“Comisaría Sánchez Carrión” – Ñaña, 5 €";

    /// <summary>geodata's comisarías (29) written by ogr2ogr in CP1252, one name given “ ” – €, the .cpg removed.</summary>
    private static string Comisarias(TempDir dir, string select = "*")
    {
        var text = File.ReadAllText(SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson"))
            .Replace("\"Comisaría Sánchez Carrión\"", $"\"{Quoted}\"", StringComparison.Ordinal);
        var source = JsonDocument.Parse(text);
        Assert.Contains(source.RootElement.GetProperty("features").EnumerateArray(),
            f => f.GetProperty("properties").GetProperty("name").GetString() == Quoted);
        var geojson = dir.Write("fuente.geojson", text);
        var shp = dir.File("comisarias.shp");
        Run("ogr2ogr", "-f", "ESRI Shapefile", "-lco", "ENCODING=CP1252", "-dialect", "sqlite",
            "-sql", $"SELECT {select} FROM comisarias_policia_trujillo_osm", shp, geojson);
        File.Delete(dir.File("comisarias.cpg"));
        Assert.Equal(29, source.RootElement.GetProperty("features").GetArrayLength());
        return shp;
    }

    [Fact]
    public void Convert_reads_cp1252_without_cpg_and_warns_which_encoding_it_chose()
    {
        using var dir = new TempDir();
        var shp = Comisarias(dir);

        var run = CliRun.Of("convert", shp, dir.File("comisarias.geojson"));

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("warning: comisarias.shp: no .cpg: read the DBF as windows-1252, the code page of Spanish-language Windows (use --encoding to change)",
            run.Error.TrimEnd());
        var names = JsonDocument.Parse(File.ReadAllText(dir.File("comisarias.geojson"))).RootElement.GetProperty("features")
            .EnumerateArray().Select(f => f.GetProperty("properties").GetProperty("name").GetString()).ToList();
        Assert.Contains(Quoted, names);
        Assert.Contains("Comisaría de la Mujer", names);
        Assert.Contains("Policía Nacional Carreteras", names);
    }

    [Fact]
    public void Convert_with_encoding_reads_as_told_and_says_nothing()
    {
        using var dir = new TempDir();
        var shp = Comisarias(dir);
        File.WriteAllText(dir.File("comisarias.cpg"), "UTF-8"); // wrong

        var run = CliRun.Of("convert", shp, dir.File("comisarias.geojson"), "--encoding", "cp1252");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        Assert.Contains(Quoted, File.ReadAllText(dir.File("comisarias.geojson")));
    }

    [Fact]
    public void An_unknown_encoding_is_a_usage_error()
    {
        var run = CliRun.Of("convert", "a.shp", "b.geojson", "--encoding", "martian");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--encoding: unknown encoding 'martian' (try UTF-8, cp1252", run.ErrorLine);
    }

    [SkippableFact]
    public async Task Import_keeps_accents_and_names_every_attribute_it_does_not_import()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        using var dir = new TempDir();
        var shp = Comisarias(dir);

        var run = CliRun.Of("import", shp, "--db", cs);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("29 features loaded into stations", run.Out);
        Assert.Contains("warning: comisarias.shp: no .cpg: read the DBF as windows-1252", run.Error);
        // ogr2ogr cut addr_street, addr_housenumber and en_distrito_huanchaco_inei2023 to 10 bytes.
        Assert.Contains("warning: comisarias.shp: 8 attributes not imported, no stations column takes them: osm_type, amenity, " +
                        "addr_stree, addr_house, addr_city, phone, alt_name, en_distrit (stations reads osmId (osm_id), " +
                        "name (nombre), operator)", run.Error);
        Assert.DoesNotContain("left empty", run.Error);
        Assert.Equal(Quoted, await Scalar(cs, "SELECT name FROM stations WHERE name LIKE '%Sánchez%'"));
        Assert.Equal(29L, await Scalar(cs, "SELECT count(*) FROM stations WHERE osm_id IS NOT NULL"));
        Assert.Equal("Municipalidad de Víctor Larco Herrera", await Scalar(cs, "SELECT \"operator\" FROM stations WHERE osm_id = 2643141357"));
    }

    [SkippableFact]
    public async Task Import_of_fields_it_cannot_map_names_them_and_the_columns_left_empty()
    {
        var cs = await postgis.CreateDatabaseAsync("cli");
        using var dir = new TempDir();
        // The field names of a police GIS office's own layer.
        var shp = Comisarias(dir, "osm_id AS id_osm, name AS nomb_comis, operator AS operador, geometry");

        var run = CliRun.Of("import", shp, "--collection", "stations", "--db", cs);

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("warning: comisarias.shp: 3 attributes not imported, no stations column takes them: id_osm, nomb_comis, operador " +
                        "(stations reads osmId (osm_id), name (nombre), operator)", run.Error);
        Assert.Contains("warning: comisarias.shp: no attribute for osmId, name, operator: left empty in every row", run.Error);
    }

    private static async Task<object?> Scalar(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync();
    }

    private static void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} exited {p.ExitCode}: {stderr.Result}");
    }
}
