using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.Shapefile;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests;

/// <summary>
/// Issue 12: a bad file's reason and a write's or read's warnings are notes, so the CLI and the service say them in
/// their reader's language; the message stays English for logs.
/// </summary>
public class InputNotesTests
{
    private static readonly string[] EnglishWords = [" the ", " not ", " no ", " file", "missing", "found", "malformed", " cut ", "left out", " as "];

    private static void Spanish(string text)
    {
        var padded = " " + text + " ";
        foreach (var word in EnglishWords) Assert.False(padded.Contains(word, StringComparison.OrdinalIgnoreCase), $"'{word}' in \"{text}\"");
    }

    [Fact]
    public void A_missing_file_is_a_note_said_in_both_languages_with_an_english_message()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.File("nada.geojson")));
        Assert.Equal("io.not_found", e.Note.Code);
        Assert.Equal("nada.geojson: file not found", e.Message);
        Assert.Equal("nada.geojson: archivo no encontrado", e.Text("es"));
        Assert.Equal("file not found", e.Reason);
    }

    [Fact]
    public void Malformed_geojson_names_line_and_position_as_arguments()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write("bad.geojson", "{ \"type\": \"FeatureCollection\",\n  \"features\": [ { ] }")));
        Assert.Equal("io.geojson_malformed_at", e.Note.Code);
        Assert.Equal(2.0, e.Note.Args["line"]);
        Assert.Equal(19.0, e.Note.Args["position"]);
        Spanish(e.Text("es"));
    }

    [Fact]
    public void A_shapefile_in_a_zip_without_its_dbf_names_the_entry_and_the_missing_file()
    {
        using var dir = new TempDir();
        var zip = dir.File("roto.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var name in new[] { "calles.shp", "calles.shx" })
                using (var entry = archive.CreateEntry(name).Open()) entry.Write([1, 2, 3, 4]);
        }
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(zip));
        Assert.Equal("io.shapefile_missing", e.Note.Code);
        Assert.Equal("calles.dbf", e.Note.Args["file"]);
        Assert.Equal("calles.shp", e.Entry);
        Assert.StartsWith("roto.zip: calles.shp: falta calles.dbf", e.Text("es"));
        Spanish(e.Text("es"));
    }

    [Fact]
    public void Utm_metres_in_a_file_that_names_no_crs_are_refused_with_the_crs_named()
    {
        using var dir = new TempDir();
        var path = dir.Write("utm.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[716000,9104000]}}]}
            """);
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(path));
        Assert.Equal("io.crs_looks_projected", e.Note.Code);
        Assert.Equal(4326.0, e.Note.Args["epsg"]);
        Assert.Contains("(716000, 9104000)", e.Text("es"));
        Assert.Contains("UTM", e.Text("es"));
    }

    [Fact]
    public void The_feature_limit_is_named_with_its_value_and_unit()
    {
        var set = new FeatureSet(Enumerable.Range(0, InputLimits.FeaturesPerFile + 1).Select(_ => (IFeature)new Feature(null, new AttributesTable())).ToList(), 4326);
        var e = Assert.Throws<InvalidVectorFileException>(() => InputCheck.Checked("muchas.geojson", set));
        Assert.Equal("limits.file_features", e.Note.Code);
        Assert.Equal((double)InputLimits.FeaturesPerFile, e.Note.Args["limit"]);
        Assert.Equal("muchas.geojson: el archivo tiene 200,001 entidades; se admiten como máximo 200,000 entidades", e.Text("es"));
    }

    [Fact]
    public void Export_warnings_are_notes_with_the_fields_and_bytes()
    {
        using var dir = new TempDir();
        var feature = new Feature(new GeometryFactory(new PrecisionModel(), 4326).CreatePoint(new Coordinate(-79.03, -8.1)),
            new AttributesTable { { "id", 7L }, { "districtUbigeo", "130104" }, { "description", new string('a', 300) } });
        var summary = VectorFile.Write(dir.File("puntos.shp"), [feature], 4326);
        Assert.Equal(["io.fields_renamed", "io.text_cut_id"], summary.Notes.Select(n => n.Code));
        Assert.Equal(["districtUbigeo → districtUb", "description → descriptio"], (string[])summary.Notes[0].Args["fields"]);
        Assert.Equal(300.0, summary.Notes[1].Args["from"]);
        Assert.Equal(254.0, summary.Notes[1].Args["limit"]);
        Assert.Equal("description de la entidad n.º 1 (id 7) recortado de 300 a 254 bytes (un campo de texto DBF guarda 254 bytes)", summary.Notes[1].Text("es"));
        Assert.Equal(summary.Notes.Select(n => n.English), summary.Warnings); // the tests' language is English
    }

    [Fact]
    public void A_guessed_dbf_encoding_and_left_out_streets_are_notes()
    {
        var choice = DbfEncodings.Choose(null, "KLINGON-9", 0, [.. new byte[32], 0x63, 0x61, 0x66, 0xE9]);
        Assert.Equal("io.dbf_cp1252_bad_cpg", choice.Warning!.Code);
        Assert.Equal("KLINGON-9", choice.Warning.Args["cpg"]);
        Spanish(choice.Warning.Text("es"));

        var left = StreetGeometry.LeftOut([new NonLineFeature(2, "Point")])!;
        Assert.Equal("streets.left_out", left.Code);
        Assert.Equal("se dejaron fuera 1 entidad que no es una línea: #2 Point", left.Text("es"));
    }

    [Fact]
    public void An_unknown_encoding_is_a_refusal()
    {
        var e = Assert.Throws<RefusalException>(() => ReadOptions.ParseEncoding("martian"));
        Assert.Equal("io.unknown_encoding", e.Reason.Code);
        Assert.Equal("martian", e.Reason.Args["encoding"]);
    }
}
