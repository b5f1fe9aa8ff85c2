using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// Issue 12: with --lang es a bad file or a refused input fails with one stderr line in Spanish (the reason comes from
/// IO's and Core's notes), and a non-zero exit.
/// </summary>
public class SpanishErrorsTests
{
    private static readonly string[] English = [" the ", " must ", "invalid", " not ", " is ", " has ", " file", "missing", " look", " street"];

    private const string Square = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"highway":"residential"},"geometry":{"type":"LineString","coordinates":[[-79.060,-8.020],[-79.059,-8.020],[-79.059,-8.019],[-79.060,-8.019],[-79.060,-8.020]]}}
        ]}
        """;

    private static string SpanishLine(CliRun run, string command)
    {
        try
        {
            Assert.Equal(1, run.ExitCode);
            var line = run.ErrorLine;
            Assert.StartsWith($"barrio {command}: ", line);
            foreach (var word in English) Assert.False(line.Contains(word, StringComparison.OrdinalIgnoreCase), $"'{word}' in: {line}");
            return line;
        }
        finally
        {
            NoteLanguage.Current = "en"; // the in-process run set the language of this thread
        }
    }

    [Fact]
    public void A_file_of_utm_metres_that_names_no_crs_is_refused_in_spanish()
    {
        using var dir = new TempDir();
        var input = dir.Write("utm.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[716000,9104000]}}]}
            """);
        var line = SpanishLine(CliRun.Of("convert", input, dir.File("out.gpkg"), "--lang", "es"), "convert");
        Assert.Contains("utm.geojson: coordenadas de hasta (716000, 9104000) no pueden ser longitud y latitud", line);
        Assert.False(File.Exists(dir.File("out.gpkg")));
    }

    [Fact]
    public void A_boundary_far_from_the_streets_is_refused_in_spanish()
    {
        using var dir = new TempDir();
        var streets = dir.Write("calles.geojson", Square);
        var far = dir.Write("lejos.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-78,-7],[-77.9,-7],[-77.9,-6.9],[-78,-6.9],[-78,-7]]]}}]}
            """);
        var line = SpanishLine(CliRun.Of("blocks", "--streets", streets, "--boundary", far, "--out", dir.File("m.geojson"), "--lang", "es"), "blocks");
        Assert.Contains("El límite no toca ninguna calle", line);
    }

    [Fact]
    public void A_missing_file_is_said_in_spanish_with_the_lang_option_joined()
    {
        using var dir = new TempDir();
        var line = SpanishLine(CliRun.Of("convert", dir.File("nada.geojson"), dir.File("out.gpkg"), "--lang=es"), "convert");
        Assert.EndsWith("nada.geojson: archivo no encontrado", line);
    }
}
