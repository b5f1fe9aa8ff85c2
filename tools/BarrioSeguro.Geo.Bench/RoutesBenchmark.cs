using System.Globalization;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Routes;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// Chinese postman on a synthetic sector of about 3,000 street edges (a 40 × 40 grid with missing streets and
/// diagonals): exact undirected, one-way inside a two-way ring, and 30 % one-way. No peer runs it: its under-1-s
/// target is absolute, printed beside and not judged (a busy machine would decide it).
/// Then the mixed postman (<see cref="MixedPostmanBenchmark"/>): the public instances with our heuristic, exact tour,
/// proven bound and gap (target: within 1 % on every one), and pgr_chinesePostman (directed) beside ours on a real
/// sector of the sample data.
/// </summary>
public sealed class RoutesBenchmark : IBenchmark
{
    public const double TargetMs = 1000;

    public string Name => "routes";

    public string Summary => "Chinese postman: 3,000-edge sector (undirected < 1 s), public mixed instances (within 1 %), vs pgr_chinesePostman";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var missed = false;
        foreach (var (label, oneWay) in new[] { ("undirected (exact)", 0.0), ("one-way inside a two-way ring", 1.0), ("mixed, 30 % one-way", 0.3) })
        {
            var g = Sector(40, 40, oneWay, 42);
            PostmanTour tour = null!;
            var seed = 0; // the warm-up runs seed 0, then seeds 1..N: one tour per seed
            var samples = await BenchTiming.RepeatAsync(Math.Max(options.Runs, 1), () =>
            {
                ct.ThrowIfCancellationRequested();
                tour = ChinesePostman.Solve(g, 0, seed++);
                return Task.CompletedTask;
            });
            var median = BenchTiming.MedianMs(samples);
            context.Out.WriteLine(BenchTiming.Line(label, samples, string.Create(CultureInfo.InvariantCulture,
                $"{g.Edges.Count:N0} edges, {samples.Count} seeds, deadhead {100 * tour.DeadheadCost / tour.TotalCost:0.0} %, " +
                $"optimal {(tour.Optimal ? "yes" : $"no (at most {tour.GapPercent:0.00} % above the proven bound)")}, unreachable {tour.UnreachableRequiredEdges.Count}")));
            // No peer solves this sector (pgRouting has no undirected postman): the 1 s is absolute, printed, not judged.
            if (oneWay == 0)
                options.Verdicts.Judge(context, Name, "3,000-edge sector, undirected", null, "exact tour (no peer: time reported)",
                    tour.Optimal ? null : false,
                    string.Create(CultureInfo.InvariantCulture, $"absolute < {TargetMs:0} ms {(median < TargetMs ? "met" : "missed")} at {median:N0} ms, not judged"));
            if (oneWay == 0 && !tour.Optimal) missed = true;
        }
        if (!await MixedPostmanBenchmark.RunAsync(options, context, ct)) missed = true;
        return missed ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>A deterministic w × h street grid of 100 m blocks: 6 % of streets missing, some diagonals, a two-way ring road.</summary>
    public static PostmanGraph Sector(int w, int h, double oneWayShare, int seed)
    {
        var rng = new Random(seed);
        var edges = new List<PostmanEdge>();
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var v = y * w + x;
                void Add(int to, double len, bool reverse)
                {
                    if (rng.NextDouble() < 0.06) return;
                    var border = x == 0 || y == 0 || x == w - 1 || y == h - 1;
                    var oneWay = !border && rng.NextDouble() < oneWayShare;
                    var (a, b) = oneWay && reverse ? (to, v) : (v, to); // one-way streets alternate, as in a Manhattan grid
                    edges.Add(new PostmanEdge(a, b, len * (0.8 + 0.4 * rng.NextDouble()), oneWay, rng.NextDouble() < 0.9));
                }
                if (x + 1 < w) Add(v + 1, 100, y % 2 == 1);
                if (y + 1 < h) Add(v + w, 100, x % 2 == 1);
                if (x + 1 < w && y + 1 < h && rng.NextDouble() < 0.08) Add(v + w + 1, 141, rng.Next(2) == 0);
            }
        return new PostmanGraph(w * h, edges);
    }
}
