using System.Diagnostics;
using System.Text;
using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>A collection exported as a shapefile and imported into another database keeps what a DBF can hold.</summary>
[Collection(PostgisCollection.Name)]
public class ShapefileRoundTripTests(PostgisFixture postgis)
{
    [SkippableFact]
    public async Task Neighbourhoods_exported_to_a_shapefile_and_imported_back_keep_districtUbigeo_and_name_every_cut()
    {
        var first = await postgis.CreateDatabaseAsync("cli");
        var second = await postgis.CreateDatabaseAsync("cli");
        using var dir = new TempDir();
        var sample = SharedGeodata.PathOf("sample/el_milagro_barrio_seguro_illustrative.geojson");
        var districts = SharedGeodata.PathOf("admin/huanchaco_y_vecinos_inei2023.geojson");
        foreach (var db in new[] { first, second })
            Assert.True(CliRun.Of("import", districts, "--collection", "districts", "--db", db).ExitCode == 0);
        var loaded = CliRun.Of("import", sample, "--db", first);
        Assert.True(loaded.ExitCode == 0, loaded.Error);
        var description = (string)(await Scalar(first, "SELECT description FROM neighborhoods"))!;
        var bytes = Encoding.UTF8.GetByteCount(description);
        Assert.True(bytes > 254, $"the sample's description should be longer than a DBF field: {bytes} bytes");
        var id = await Scalar(first, "SELECT id FROM neighborhoods");

        var zip = dir.File("barrios.zip");
        var export = CliRun.Of("export", "neighborhoods", "--out", zip, "--db", first);

        Assert.True(export.ExitCode == 0, export.Error);
        Assert.Contains("warning: barrios.zip: field names cut to 10 bytes: districtUbigeo → districtUb, isIllustrative → isIllustra, description → descriptio", export.Error);
        Assert.Contains($"warning: barrios.zip: description of feature #1 (id {id}) cut from {bytes} to 254 bytes (a DBF text field holds 254)", export.Error);
        var info = Ogr("ogrinfo", "-al", "/vsizip/" + zip);
        Assert.Contains("districtUb (String) = 130104", info);
        Assert.Contains("Feature Count: 1", info);

        var import = CliRun.Of("import", zip, "--db", second);

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("1 features loaded into neighborhoods", import.Out);
        // What the database sets itself is named, the cut names are not: they came back.
        Assert.Contains("3 attributes not imported, no neighborhoods column takes them: id, version, areaKm2", import.Error);
        Assert.DoesNotContain("districtUb,", import.Error);
        Assert.DoesNotContain("left empty", import.Error);
        Assert.Equal("130104", await Scalar(second, "SELECT district_ubigeo FROM neighborhoods"));
        Assert.Equal(true, await Scalar(second, "SELECT is_illustrative FROM neighborhoods"));
        var back = (string)(await Scalar(second, "SELECT description FROM neighborhoods"))!;
        // Back comes the text cut to 254 bytes at a character's end, less trailing blanks (DBF pads fields with blanks).
        var cut = new StringBuilder();
        foreach (var rune in description.EnumerateRunes())
        {
            if (Encoding.UTF8.GetByteCount(cut.ToString() + rune) > 254) break;
            cut.Append(rune.ToString());
        }
        Assert.Equal(cut.ToString().TrimEnd(' '), back);
    }

    private static async Task<object?> Scalar(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync();
    }

    private static string Ogr(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} exited {p.ExitCode}: {stderr.Result}");
        return stdout;
    }
}
