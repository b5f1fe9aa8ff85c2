using System.Globalization;
using BarrioSeguro.Geo.Bench;
using BarrioSeguro.Geo.Cli.Commands;

namespace BarrioSeguro.Geo.Cli.Tests.Bench;

/// <summary>The Carrollton case's loader: the stored p-median run on a real excerpt, the areas on a small hand-made set.</summary>
public class CarrolltonTests
{
    private static string Excerpt()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tools", "BarrioSeguro.Geo.Bench", "data", "carrollton", "PMed_Results1_excerpt.csv");
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException("tools/BarrioSeguro.Geo.Bench/data/carrollton/PMed_Results1_excerpt.csv");
    }

    [Fact]
    public void The_stored_p_median_excerpt_reads_as_two_beats_with_their_calls_and_miles()
    {
        var run = Carrollton.ReadPMedian(Excerpt());
        Assert.Equal(30, run.SourceOf.Count);
        Assert.Equal(2, run.Beats);
        Assert.Equal(27, run.SourceOf.Values.Count(s => s == "1079"));
        Assert.Equal("1079", run.SourceOf["1079"]); // a source is in its own beat, at 0 miles
        Assert.Equal(0, run.NetworkMiles["1079"]);
        Assert.Equal(10_916, run.TotalCalls);
        // The file's own cost column is calls × miles: the sum over beat 1079 read back from it.
        var cost = File.ReadLines(Excerpt()).Skip(1).Select(l => l.Split(',')).Where(f => f[0] == "1079").Sum(f => double.Parse(f[4], CultureInfo.InvariantCulture));
        Assert.Equal(cost, run.Calls.Where(c => run.SourceOf[c.Key] == "1079").Sum(c => c.Value * run.NetworkMiles[c.Key]), 6);
    }

    [Fact]
    public void A_malformed_run_is_named_by_line()
    {
        using var dir = new TempDir();
        var path = dir.Write("PMed_Results1.csv", "source,dest,dist,calls,cost\n1079,1066,1.5,119,179\n1079,1067,far,561,0\n");
        var e = Assert.Throws<InvalidDataException>(() => Carrollton.ReadPMedian(path));
        Assert.Contains("line 3", e.Message);
    }

    /// <summary>24 areas of 0.01° in a 6 × 4 grid (ids, calls, beat by pairs of cells, NumberId) and a stored run.</summary>
    private static string HandMade(TempDir dir, bool withRun = true)
    {
        var features = new List<string>();
        var run = new List<string> { "source,dest,dist,calls,cost" };
        for (var r = 0; r < 4; r++)
            for (var c = 0; c < 6; c++)
            {
                double x = -96.9 + c * 0.01, y = 32.95 + r * 0.01;
                var n = r * 6 + c;
                var ring = string.Create(CultureInfo.InvariantCulture, $"[[[{x},{y}],[{x + 0.01},{y}],[{x + 0.01},{y + 0.01}],[{x},{y + 0.01}],[{x},{y}]]]");
                features.Add("{\"type\":\"Feature\",\"properties\":{\"PDGrid\":\"A" + n.ToString("00", CultureInfo.InvariantCulture) + "\",\"Cnt_ra\":" + (100 + n % 5 * 10)
                             + ",\"beat\":\"B" + n / 2 + "\",\"NumberId\":" + (1000 + n) + "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":" + ring + "}}");
                run.Add($"{1000 + n / 2 * 2},{1000 + n},0.5,{100 + n % 5 * 10},0");
            }
        dir.Write("areas.geojson", """{"type":"FeatureCollection","features":[""" + string.Join(",", features) + "]}");
        if (withRun) dir.Write("PMed_Results1.csv", string.Join("\n", run));
        return dir.Path;
    }

    [Fact]
    public void Areas_current_beats_and_the_stored_run_load_from_a_directory()
    {
        using var dir = new TempDir();
        var data = Carrollton.Load(HandMade(dir));
        Assert.Equal(24, data.Areas.Count);
        Assert.Equal(100, data.Areas[0].Workload);
        Assert.Equal(12, data.CurrentBeat!.Values.Distinct().Count());
        Assert.Equal(data.CurrentBeat["A00"], data.CurrentBeat["A01"]);
        Assert.Equal(12, data.Stored!.Values.Distinct().Count());
        Assert.Equal(data.Stored["A02"], data.Stored["A03"]);
        Assert.NotEqual(data.Stored["A01"], data.Stored["A02"]);
    }

    [Fact]
    public void The_bench_prints_ours_beside_the_current_beats_and_the_stored_run()
    {
        using var dir = new TempDir();
        var output = new StringWriter();
        var context = new CommandContext(output, new StringWriter());
        var verdicts = new BenchVerdicts();
        SectorsBenchmark.RunCarrollton(HandMade(dir), context, verdicts, CancellationToken.None);
        var text = output.ToString();
        Assert.Contains("24 reporting areas, 2,860 calls, 12 beats", text);
        Assert.Matches(@"current beats\s+\|\s+\d+\.\d\s+\d+\s+\d+\.\d", text);
        Assert.Matches(@"Wheeler's p-median \(stored\)\s+\|", text);
        Assert.Matches(@"ours \(response, 5 %\)\s+\|\s+\d+\.\d\s+0\s+\d+\.\d\s+\d+\.\d\d s", text);
        Assert.Matches(@"target Carrollton, 12 beats: within 5 %, none split, at most [\d.]+ thousand call-miles: (met|MISSED) \(absolute < 30 s (met|missed) at [\d.]+ s, not judged\)", text);
        Assert.Equal("Carrollton, 12 beats", Assert.Single(verdicts.Rows).Case);
    }

    [Fact]
    public void A_directory_without_areas_is_one_line_naming_the_files()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<CommandFailedException>(() => SectorsBenchmark.RunCarrollton(dir.Path, new CommandContext(new StringWriter(), new StringWriter()), new BenchVerdicts(), CancellationToken.None));
        Assert.Contains("no reporting areas (ReportingAreas.shp, areas.geojson", e.Message);
    }
}
