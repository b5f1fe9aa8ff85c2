using System.Text.Json;
using System.Text.Json.Nodes;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>The street graph cache of <c>barrio coverage</c>: built once per street file content and mode, never trusted
/// when damaged, and the report without --out.</summary>
public class CoverageGraphCacheTests
{
    private const string Units = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"name":"Comisaría","shift":"mañana"},"geometry":{"type":"Point","coordinates":[-79.0665,-8.0181]}},
          {"type":"Feature","properties":{"name":"Moto 1","shift":"tarde"},"geometry":{"type":"Point","coordinates":[-79.0705,-8.0446]}}
        ]}
        """;

    private static string Streets => SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson");

    private static CliRun Coverage(TempDir dir, string streets, string cache, string report, params string[] more) =>
        CliRun.Of(["coverage", "--streets", streets, "--units", dir.File("units.geojson"), "--mode", "foot", "--minutes", "10",
            "--graph-cache", cache, "--report", report, .. more]);

    /// <summary>The report without what changes from run to run (elapsed time).</summary>
    private static string Figures(string reportPath)
    {
        var node = JsonNode.Parse(File.ReadAllText(reportPath))!.AsObject();
        Strip(node);
        return node.ToJsonString();

        static void Strip(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                o.Remove("elapsedMs");
                foreach (var (_, v) in o) Strip(v);
            }
            else if (n is JsonArray a)
                foreach (var v in a) Strip(v);
        }
    }

    [Fact]
    public void A_cached_graph_gives_the_same_report_as_a_fresh_one()
    {
        using var dir = new TempDir();
        dir.Write("units.geojson", Units);
        var cache = dir.File("cache");
        var fresh = CliRun.Of("coverage", "--streets", Streets, "--units", dir.File("units.geojson"), "--mode", "foot", "--minutes", "10",
            "--graph-cache", "none", "--report", dir.File("fresh.json"));
        Assert.True(fresh.ExitCode == 0, fresh.Error);
        var first = Coverage(dir, Streets, cache, dir.File("first.json"));
        Assert.True(first.ExitCode == 0, first.Error);
        var kept = Assert.Single(Directory.GetFiles(cache, "*.graph"));
        var written = File.GetLastWriteTimeUtc(kept);
        var second = Coverage(dir, Streets, cache, dir.File("second.json"));
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Assert.Single(Directory.GetFiles(cache, "*.graph"))));
        Assert.Equal(Figures(dir.File("fresh.json")), Figures(dir.File("first.json")));
        Assert.Equal(Figures(dir.File("fresh.json")), Figures(dir.File("second.json")));
        Assert.Equal(first.Out.Split('\n')[0], second.Out.Split('\n')[0]);
        // Another mode is another graph.
        var car = CliRun.Of("coverage", "--streets", Streets, "--units", dir.File("units.geojson"), "--mode", "car", "--minutes", "3",
            "--graph-cache", cache, "--report", dir.File("car.json"));
        Assert.True(car.ExitCode == 0, car.Error);
        Assert.Equal(2, Directory.GetFiles(cache, "*.graph").Length);
    }

    [Fact]
    public void A_changed_street_file_is_built_again()
    {
        using var dir = new TempDir();
        dir.Write("units.geojson", Units);
        var cache = dir.File("cache");
        var streets = dir.File("streets.geojson");
        File.Copy(Streets, streets);
        Assert.Equal(0, Coverage(dir, streets, cache, dir.File("a.json")).ExitCode);
        // Drop about half of the streets: same path, other content.
        var doc = JsonNode.Parse(File.ReadAllText(streets))!;
        var features = doc["features"]!.AsArray();
        var half = features.Count / 2;
        while (features.Count > half) features.RemoveAt(features.Count - 1);
        File.WriteAllText(streets, doc.ToJsonString());
        var run = Coverage(dir, streets, cache, dir.File("b.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(2, Directory.GetFiles(cache, "*.graph").Length);
        double Km(string f) => JsonDocument.Parse(File.ReadAllText(dir.File(f))).RootElement.GetProperty("networkFigures").GetProperty("streetKm").GetDouble();
        Assert.True(Km("b.json") < Km("a.json") * 0.8, $"{Km("b.json")} km after the change, {Km("a.json")} before");
    }

    [Fact]
    public void A_damaged_cache_file_is_rebuilt_not_trusted()
    {
        using var dir = new TempDir();
        dir.Write("units.geojson", Units);
        var cache = dir.File("cache");
        Assert.Equal(0, Coverage(dir, Streets, cache, dir.File("a.json")).ExitCode);
        var kept = Assert.Single(Directory.GetFiles(cache, "*.graph"));
        var bytes = File.ReadAllBytes(kept);
        // A node moved by a few metres, then a file cut in half: neither may be read.
        bytes[64] ^= 0x40;
        File.WriteAllBytes(kept, bytes);
        var damaged = Coverage(dir, Streets, cache, dir.File("b.json"));
        Assert.True(damaged.ExitCode == 0, damaged.Error);
        Assert.Equal(Figures(dir.File("a.json")), Figures(dir.File("b.json")));
        Assert.NotEqual(bytes, File.ReadAllBytes(kept));
        File.WriteAllBytes(kept, bytes[..(bytes.Length / 2)]);
        var cut = Coverage(dir, Streets, cache, dir.File("c.json"));
        Assert.True(cut.ExitCode == 0, cut.Error);
        Assert.Equal(Figures(dir.File("a.json")), Figures(dir.File("c.json")));
        Assert.True(File.ReadAllBytes(kept).Length > bytes.Length / 2, "the cut file was not written again");
        Assert.Empty(Directory.GetFiles(cache, "*.tmp"));
    }

    [Fact]
    public void Without_out_only_the_report_is_written()
    {
        using var dir = new TempDir();
        dir.Write("units.geojson", Units);
        var run = Coverage(dir, Streets, "none", dir.File("r.json"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Wrote the report to r.json", run.Out);
        Assert.Equal(["r.json", "units.geojson"], Directory.GetFiles(dir.Path).Select(f => Path.GetFileName(f)!).Order().ToArray());
        var withOut = Coverage(dir, Streets, "none", dir.File("r2.json"), "--out", dir.File("c.geojson"));
        Assert.True(withOut.ExitCode == 0, withOut.Error);
        Assert.Equal(Figures(dir.File("r.json")), Figures(dir.File("r2.json")));
    }
}
