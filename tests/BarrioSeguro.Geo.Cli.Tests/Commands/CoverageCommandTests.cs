using System.Text.Json;
using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

public class CoverageCommandTests
{
    private const string Units = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Comisaría","shift":"mañana"},"geometry":{"type":"Point","coordinates":[-79.0665,-8.0181]}},
          {"type":"Feature","properties":{"name":"Moto 1","shift":"tarde"},"geometry":{"type":"Point","coordinates":[-79.0705,-8.0446]}}
        ]}
        """;

    private static string Streets => SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson");

    [Fact]
    public void El_Milagro_on_foot_writes_pieces_and_a_report_with_the_figures()
    {
        using var dir = new TempDir();
        var units = dir.Write("units.geojson", Units);
        var incidents = dir.Write("inc.geojson", """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"peso":3},"geometry":{"type":"Point","coordinates":[-79.0664,-8.0182]}},
              {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-79.02,-8.09]}}
            ]}
            """);
        var run = CliRun.Of("coverage", "--streets", Streets, "--units", units, "--mode", "foot", "--minutes", "10",
            "--incidents", incidents, "--out", dir.File("c.geojson"), "--report", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"^2 units on foot, 10 min: [\d.]+ of [\d.]+ street km covered \([\d.]+ %\), backup [\d.]+ %", run.Out);
        Assert.Contains("have no unit: they cannot be reached and count as not covered", run.Out);
        Assert.Contains("shift mañana: 1 units", run.Out);

        using var report = JsonDocument.Parse(File.ReadAllText(dir.File("r.json")));
        var root = report.RootElement;
        // The service's coverage report shape: the figures in "figures", the per-shift reports in "shifts".
        var figures = root.GetProperty("figures");
        foreach (var name in new[] { "coveredStreetKmPct", "coveredStreetKm", "coveredBlocksPct", "coveredIncidentPct", "backupStreetKmPct" })
            Assert.True(figures.TryGetProperty(name, out _), $"report lacks figures.{name}");
        Assert.True(root.TryGetProperty("elapsedMs", out _), "report lacks elapsedMs");
        Assert.InRange(figures.GetProperty("coveredStreetKmPct").GetDouble(), 1, 99);
        Assert.Equal(75, figures.GetProperty("coveredIncidentPct").GetDouble(), 3);
        Assert.Equal(2, root.GetProperty("shifts").GetArrayLength());
        Assert.True(root.GetProperty("kmWithoutUnit").GetDouble() > 0);
        Assert.Contains("Comisaría", File.ReadAllText(dir.File("r.json")));

        var pieces = VectorFile.Read(dir.File("c.geojson"));
        var statuses = pieces.Features.Select(f => (string)f.Attributes["status"]).Distinct().Order().ToList();
        Assert.Equal(["area", "covered", "uncovered"], statuses);
    }

    [Fact]
    public void A_unit_off_the_network_is_named_and_the_others_still_count()
    {
        using var dir = new TempDir();
        var two = dir.Write("two.geojson", """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"Comisaría"},"geometry":{"type":"Point","coordinates":[-79.0665,-8.0181]}},
              {"type":"Feature","properties":{"name":"En el mar"},"geometry":{"type":"Point","coordinates":[-79.11,-8.03]}}
            ]}
            """);
        var run = CliRun.Of("coverage", "--streets", Streets, "--units", two, "--mode", "car", "--minutes", "3",
            "--out", dir.File("c.geojson"), "--report", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("En el mar at (-79.11, -8.03) is ", run.Out);
        Assert.Contains("left out", run.Out);
    }

    [Fact]
    public void Every_unit_off_the_network_is_a_one_line_error_naming_them()
    {
        using var dir = new TempDir();
        var units = dir.Write("u.geojson", """
            {"type":"FeatureCollection","features":[
              {"type":"Feature","properties":{"name":"En el mar"},"geometry":{"type":"Point","coordinates":[-79.11,-8.03]}}
            ]}
            """);
        var run = CliRun.Of("coverage", "--streets", Streets, "--units", units, "--mode", "car", "--minutes", "3",
            "--out", dir.File("c.geojson"), "--report", dir.File("r.json"));
        Assert.Equal(1, run.ExitCode);
        Assert.Matches("^barrio coverage: no unit is within 50 m of a street usable by car: En el mar at \\(-79.11, -8.03\\) is \\d+ m from the nearest street$", run.ErrorLine);
    }

    [Theory]
    [InlineData("--mode", "plane", "unknown travel mode 'plane': use foot, bike, moto or car")]
    [InlineData("--minutes", "0", "--minutes must be a time in minutes more than 0")]
    [InlineData("--minutes", "ten", "--minutes must be a time in minutes more than 0")]
    public void Bad_mode_or_time_is_a_usage_error(string option, string value, string message)
    {
        using var dir = new TempDir();
        var units = dir.Write("units.geojson", Units);
        var args = new List<string> { "coverage", "--streets", Streets, "--units", units, "--mode", "foot", "--minutes", "5",
            "--out", dir.File("c.geojson"), "--report", dir.File("r.json") };
        args[args.IndexOf(option) + 1] = value;
        var run = CliRun.Of(args.ToArray());
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.ErrorLine);
    }
}
