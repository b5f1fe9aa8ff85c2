using System.Text.Json;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary><c>barrio sectorize --objective response</c>: centres at the comisaría, travel on the streets.</summary>
public class SectorizeResponseTests(ElMilagroBlocksFixture milagro) : IClassFixture<ElMilagroBlocksFixture>
{
    private static JsonElement Report(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    private static CliRun Sectorize(TempDir dir, string blocks, params string[] extra) =>
        CliRun.Of(["sectorize", "--blocks", blocks, "--out", dir.File("s.geojson"), "--assignment", dir.File("a.geojson"),
            "--report", dir.File("r.json"), .. extra]);

    [Fact]
    public void El_Milagro_from_the_comisaria_on_foot_streets()
    {
        using var dir = new TempDir();
        var comisarias = SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson");
        var run = Sectorize(dir, milagro.Path, "--sectors", "4", "--objective", "response", "--centres", comisarias, "--centre-names", "PNP MILAGRO",
            "--streets", SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson"), "--mode", "foot");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Matches(@"travel \(street network on foot\): \d+(\.\d)? workload·min, mean \d+\.\d\d min, worst \d+\.\d min", run.Out);
        var r = Report(dir.File("r.json"));
        Assert.Equal("response", r.GetProperty("objective").GetString());
        Assert.True(r.GetProperty("contiguous").GetBoolean());
        Assert.True(r.GetProperty("maxDeviationPct").GetDouble() <= 5 + 1e-9);
        var travel = r.GetProperty("travel");
        Assert.Equal("street network on foot", travel.GetProperty("measure").GetString());
        var sectors = travel.GetProperty("sectors").EnumerateArray().ToList();
        Assert.Equal(4, sectors.Count);
        Assert.True(sectors[0].GetProperty("centreFixed").GetBoolean());
        Assert.Equal(-79.0663893, sectors[0].GetProperty("centreLon").GetDouble(), 6);
        Assert.Equal(-8.0233466, sectors[0].GetProperty("centreLat").GetDouble(), 6);
        Assert.All(sectors.Skip(1), s => Assert.False(string.IsNullOrEmpty(s.GetProperty("centreBlock").GetString())));
        Assert.Equal(travel.GetProperty("totalWeightedMinutes").GetDouble(), sectors.Sum(s => s.GetProperty("weightedMinutes").GetDouble()), 0);
        Assert.All(sectors, s => Assert.True(s.GetProperty("worstMinutes").GetDouble() >= s.GetProperty("meanMinutes").GetDouble()));
        var p = r.GetProperty("parameters");
        Assert.Equal("response", p.GetProperty("objective").GetString());
        Assert.Equal("foot", p.GetProperty("mode").GetString());
        Assert.Equal(64, p.GetProperty("centresSha256").GetString()!.Length);
        Assert.Equal(64, p.GetProperty("streetsSha256").GetString()!.Length);
    }

    [Fact]
    public void A_compact_plan_reports_straight_line_travel_too()
    {
        using var dir = new TempDir();
        var run = Sectorize(dir, milagro.Path, "--sectors", "3", "--speed", "16");
        Assert.True(run.ExitCode == 0, run.Error);
        var t = Report(dir.File("r.json")).GetProperty("travel");
        Assert.Equal("straight line at 16 km/h", t.GetProperty("measure").GetString());
        Assert.True(t.GetProperty("totalWeightedKm").GetDouble() > 0);
        Assert.Equal("compactness", Report(dir.File("r.json")).GetProperty("objective").GetString());
    }

    [Theory]
    [InlineData(2, "--objective must be compactness or response", "--objective", "fast")]
    [InlineData(2, "--speed must be km/h", "--speed", "0")]
    [InlineData(2, "--mode needs --streets", "--mode", "foot")]
    [InlineData(2, "--centres: 'x,1' is not LON,LAT", "--centres", "x,1")]
    [InlineData(1, "no point is named 'Nadie'", "--centres", "@comisarias", "--centre-names", "Nadie")]
    [InlineData(1, "5 fixed centres for 3 sectors", "--centres", "-79.07,-8.03;-79.07,-8.02;-79.06,-8.03;-79.06,-8.02;-79.05,-8.02")]
    public void Bad_response_options_are_one_line_and_the_right_exit_code(int code, string message, params string[] extra)
    {
        using var dir = new TempDir();
        var args = extra.Select(a => a == "@comisarias" ? SharedGeodata.PathOf("police/comisarias_trujillo_osm.geojson") : a).ToArray();
        var run = Sectorize(dir, milagro.Path, ["--sectors", "3", .. args]);
        Assert.Equal(code, run.ExitCode);
        Assert.Contains(message, run.ErrorLine);
        Assert.False(File.Exists(dir.File("r.json")));
    }
}
