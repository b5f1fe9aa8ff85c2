using BarrioSeguro.Geo.Core.Notes;
using System.Text;
using BarrioSeguro.Geo.IO.Shapefile;
using BarrioSeguro.Geo.IO.Tests.Support;

namespace BarrioSeguro.Geo.IO.Tests.Shapefile;

/// <summary>
/// Shapefiles as they arrive from the field: written by GDAL in a Windows code page, the .cpg lost on the way,
/// the language byte set (ArcGIS) or not (GDAL).
/// </summary>
public class DbfEncodingTests
{
    // Letters of Spanish and the characters only windows-1252 has (not ISO-8859-1): “ ” – €.
    private const string Name = "“Comisaría Sánchez Carrión” – Ñaña, 5 €";

    private static string Source(TempDir dir, string name = Name) => dir.Write("in.geojson", $$$"""
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"{{{name}}}","operator":"Policía Nacional del Perú"},"geometry":{"type":"Point","coordinates":[-79.06,-8.02]}}
        ]}
        """);

    /// <summary>ogr2ogr writes the DBF in <paramref name="encoding"/>, LDID 0 and a .cpg; the .cpg is removed.</summary>
    private static string Shapefile(TempDir dir, string encoding, byte? ldid = null, string name = Name)
    {
        var shp = dir.File("comisarias.shp");
        Ogr2Ogr("-f", "ESRI Shapefile", "-lco", "ENCODING=" + encoding, shp, Source(dir, name));
        File.Delete(dir.File("comisarias.cpg"));
        if (ldid is { } b)
        {
            using var s = File.Open(dir.File("comisarias.dbf"), FileMode.Open);
            s.Position = 29;
            s.WriteByte(b);
        }
        return shp;
    }

    [Fact]
    public void Without_cpg_or_language_byte_a_cp1252_DBF_is_read_as_windows_1252_and_the_warning_says_so()
    {
        using var dir = new TempDir();
        var shp = Shapefile(dir, "CP1252");
        Assert.Equal(0, File.ReadAllBytes(dir.File("comisarias.dbf"))[29]); // GDAL leaves the language byte empty

        var set = VectorFile.Read(shp);

        Assert.Equal(Name, set.Features[0].Attributes["name"]);
        Assert.Equal("Policía Nacional del Perú", set.Features[0].Attributes["operator"]);
        Assert.Equal(["no .cpg: read the DBF as windows-1252, the code page of Spanish-language Windows (use --encoding to change)"], set.Warnings);
    }

    [Theory]
    [InlineData("CP1252", 0x57, "windows-1252")]
    [InlineData("CP1252", 0x03, "windows-1252")]
    [InlineData("CP850", 0x02, "ibm850")]
    [InlineData("CP437", 0x01, "ibm437")]
    public void The_language_byte_decides_without_cpg_and_the_warning_names_it(string written, byte ldid, string webName)
    {
        using var dir = new TempDir();
        // cp437 and cp850 have no “ ” – €: plain Spanish letters there.
        var name = written == "CP1252" ? Name : "Comisaría Sánchez Carrión, Ñaña";
        var shp = Shapefile(dir, written, ldid, name);

        var set = VectorFile.Read(shp);

        Assert.Equal(name, set.Features[0].Attributes["name"]);
        Assert.Equal([$"no .cpg: read the DBF as {webName} from its language byte 0x{ldid:X2} (use --encoding to change)"], set.Warnings);
    }

    [Fact]
    public void A_UTF8_DBF_without_cpg_is_recognised_and_the_warning_says_why()
    {
        using var dir = new TempDir();
        var shp = Shapefile(dir, "UTF-8");

        var set = VectorFile.Read(shp);

        Assert.Equal(Name, set.Features[0].Attributes["name"]);
        Assert.Equal(["no .cpg: read the DBF as utf-8, since all its text is valid UTF-8 (use --encoding to change)"], set.Warnings);
    }

    [Fact]
    public void The_cpg_is_obeyed_without_a_warning_and_the_callers_encoding_wins_over_both()
    {
        using var dir = new TempDir();
        var shp = dir.File("comisarias.shp");
        Ogr2Ogr("-f", "ESRI Shapefile", "-lco", "ENCODING=CP1252", shp, Source(dir));
        Assert.Equal("CP1252", File.ReadAllText(dir.File("comisarias.cpg")).Trim());
        var stated = VectorFile.Read(shp);
        Assert.Equal(Name, stated.Features[0].Attributes["name"]);
        Assert.Empty(stated.Warnings);

        // A wrong .cpg (a common accident when files are renamed) is corrected by the caller.
        File.WriteAllText(dir.File("comisarias.cpg"), "UTF-8");
        var given = VectorFile.Read(shp, new ReadOptions(ReadOptions.ParseEncoding("cp1252")));
        Assert.Equal(Name, given.Features[0].Attributes["name"]);
        Assert.Empty(given.Warnings);
    }

    [Fact]
    public void An_unknown_cpg_falls_back_and_says_so()
    {
        using var dir = new TempDir();
        var shp = dir.File("comisarias.shp");
        Ogr2Ogr("-f", "ESRI Shapefile", "-lco", "ENCODING=CP1252", shp, Source(dir));
        File.WriteAllText(dir.File("comisarias.cpg"), "KLINGON-9");

        var set = VectorFile.Read(shp);

        Assert.Equal(Name, set.Features[0].Attributes["name"]);
        Assert.Equal(["the .cpg names an unknown code page 'KLINGON-9': read the DBF as windows-1252, the code page of Spanish-language Windows (use --encoding to change)"],
            set.Warnings);
    }

    [Fact]
    public void A_zip_passes_the_warning_on()
    {
        using var dir = new TempDir();
        Shapefile(dir, "CP1252");
        var zip = dir.File("comisarias.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
            foreach (var ext in new[] { "shp", "shx", "dbf", "prj" })
                System.IO.Compression.ZipFileExtensions.CreateEntryFromFile(archive, dir.File("comisarias." + ext), "comisarias." + ext);

        var set = VectorFile.Read(zip);

        Assert.Equal(Name, set.Features[0].Attributes["name"]);
        Assert.Single(set.Warnings, w => w.Contains("windows-1252", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("UTF-8", 65001)]
    [InlineData("cp1252", 1252)]
    [InlineData("windows-1252", 1252)]
    [InlineData("ANSI 1252", 1252)]
    [InlineData("88591", 28591)]
    [InlineData("latin1", 28591)]
    [InlineData("850", 850)]
    public void Encoding_names(string name, int codePage) => Assert.Equal(codePage, ReadOptions.ParseEncoding(name).CodePage);

    [Fact]
    public void An_unknown_encoding_name_is_refused_with_examples()
    {
        var e = Assert.Throws<RefusalException>(() => ReadOptions.ParseEncoding("martian"));
        Assert.StartsWith("unknown encoding 'martian' (try UTF-8, cp1252", e.Message);
    }

    [Fact]
    public void Plain_ASCII_needs_no_guess()
    {
        var dbf = new byte[64];
        Encoding.ASCII.GetBytes("NAME       C Comisaria Moche").CopyTo(dbf, 32);
        var choice = DbfEncodings.Choose(null, null, 0, dbf);
        Assert.Null(choice.Warning);
    }

    private static void Ogr2Ogr(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/ogr2ogr") { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "ogr2ogr failed: " + err);
    }
}
