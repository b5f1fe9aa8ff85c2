using System.Text.Json;
using Xunit;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary><c>barrio evaluate --moves</c>: the moves the viewer paints, applied to a plan file, refused as the API refuses them.</summary>
public class EvaluateMovesTests
{
    /// <summary>West (columns 0-1) and east (columns 2-3) halves of the 4 × 3 grid, as an assigned-blocks file.</summary>
    private static string Halves(TempDir dir)
    {
        var features = Enumerable.Range(0, 12).Select(n =>
            "{\"type\":\"Feature\",\"properties\":{\"id\":\"g" + n + "\",\"sector\":" + (n % 4 < 2 ? 0 : 1) + "},\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}");
        return dir.Write("halves.geojson", """{"type":"FeatureCollection","features":[""" + string.Join(",", features) + "]}");
    }

    [Fact]
    public void Painted_moves_are_applied_to_the_plan_and_a_splitting_one_is_refused_with_its_reason()
    {
        using var dir = new TempDir();
        var grid = dir.Write("grid.geojson", SectorizeCommandTests.Grid());
        var plan = Halves(dir);
        // g1 (row 0, column 1) joins the east half, which it touches.
        var moves = dir.Write("moves.json", """{"moves": {"g1": 1}, "locks": {"sectors": []}}""");
        var run = CliRun.Of("evaluate", "--blocks", grid, "--plan", plan, "--moves", moves, "--report", dir.File("e.json"), "--weight", "calls");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("moves: 1 block(s)", run.Out);
        var r = JsonDocument.Parse(File.ReadAllText(dir.File("e.json"))).RootElement;
        Assert.Equal([5, 7], r.GetProperty("sectors").EnumerateArray().Select(s => s.GetProperty("blocks").GetInt32()));
        Assert.Equal(1, r.GetProperty("churn").GetProperty("blocksChanged").GetInt32());
        Assert.Equal(1, r.GetProperty("parameters").GetProperty("moves").GetProperty("g1").GetInt32());
        // calls = 1 + n % 3: g1 weighs 2, moved from west (12) to east (12).
        Assert.Equal([10.0, 14.0], r.GetProperty("sectors").EnumerateArray().Select(s => s.GetProperty("workload").GetDouble()));

        // g0 does not touch the east half: it would be a piece of its own there.
        var split = dir.Write("split.json", """{"moves": {"g0": 1}}""");
        var refused = CliRun.Of("evaluate", "--blocks", grid, "--plan", plan, "--moves", split, "--report", dir.File("x.json"), "--weight", "calls");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("would leave sector S2 split into separate pieces", refused.ErrorLine);
        Assert.False(File.Exists(dir.File("x.json")));
        var locked = dir.Write("locked.json", """{"moves": {"g1": 1}, "locks": {"blocks": ["g1"]}}""");
        Assert.Contains("block g1 is locked in sector S1",
            CliRun.Of("evaluate", "--blocks", grid, "--plan", plan, "--moves", locked, "--report", dir.File("x.json"), "--weight", "calls").ErrorLine);
    }
}
