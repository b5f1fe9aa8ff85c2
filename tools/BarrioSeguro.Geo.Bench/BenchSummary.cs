using System.Globalization;
using BarrioSeguro.Geo.Cli.Commands;

namespace BarrioSeguro.Geo.Bench;

/// <summary>What became of one case's target: met, missed, or only reported (no target, or an absolute one that a
/// busy machine would decide).</summary>
public enum Verdict { Met, Missed, Reported }

/// <summary>One row of the summary: a case of a benchmark, its interleaved median ratio (peer time over ours) with its
/// spread when a peer ran, the target it is judged on and the verdict.</summary>
public sealed record BenchVerdict(string Bench, string Case, double? MedianRatio, double? MinRatio, double? MaxRatio, string Target, Verdict Verdict);

/// <summary>
/// The verdicts one run of <c>barrio bench</c> collects, for the summary table at its end. A benchmark judges each case
/// with <see cref="Judge"/> (which prints the target line too); one that judges none is summed up by its exit code.
/// </summary>
public sealed class BenchVerdicts
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;
    private readonly List<BenchVerdict> rows = [];

    public IReadOnlyList<BenchVerdict> Rows => rows;

    public bool AnyMissed => rows.Any(r => r.Verdict == Verdict.Missed);

    /// <summary>
    /// Records and prints a case's verdict: <paramref name="met"/> null is a report (no target judged). The ratio comes
    /// from <paramref name="paired"/> when a peer ran. <paramref name="beside"/> is printed after the verdict: the figure
    /// it was judged on, or an absolute target shown beside but not judged. Returns whether the case did not miss.
    /// </summary>
    public bool Judge(CommandContext context, string bench, string @case, BenchTiming.Paired? paired, string target, bool? met, string? beside = null)
    {
        var verdict = met switch { true => Verdict.Met, false => Verdict.Missed, null => Verdict.Reported };
        Add(new BenchVerdict(bench, @case, paired?.MedianRatio, paired?.Ratios.Min(), paired?.Ratios.Max(), target, verdict));
        context.Out.WriteLine($"  target {@case}: {target}: {Text(verdict)}{(beside is null ? "" : $" ({beside})")}");
        return verdict != Verdict.Missed;
    }

    public void Add(BenchVerdict verdict)
    {
        lock (rows) rows.Add(verdict);
    }

    public static string Text(Verdict verdict) => verdict switch { Verdict.Met => "met", Verdict.Missed => "MISSED", _ => "reported" };

    /// <summary>The table: bench, case, median ratio (peer / ours), spread, target, verdict; one line a case.</summary>
    public void Write(TextWriter output)
    {
        var caseWidth = Math.Clamp(rows.Count == 0 ? 4 : rows.Max(r => r.Case.Length), 4, 48);
        var targetWidth = Math.Clamp(rows.Count == 0 ? 6 : rows.Max(r => r.Target.Length), 6, 72);
        output.WriteLine(string.Create(Ci,
            $"summary: {rows.Select(r => r.Bench).Distinct().Count()} benchmark(s), {rows.Count} case(s), {rows.Count(r => r.Verdict == Verdict.Missed)} missed; ratio = peer time / ours, median of interleaved pairs (above 1 ours is faster)"));
        output.WriteLine($"  {"bench",-9} {"case".PadRight(caseWidth)} {"ratio",8} {"spread",13}  {"target".PadRight(targetWidth)} verdict");
        foreach (var r in rows)
        {
            var ratio = r.MedianRatio is { } m ? m.ToString("N2", Ci) : "-";
            var spread = r.MinRatio is { } lo && r.MaxRatio is { } hi ? string.Create(Ci, $"{lo:N2}-{hi:N2}") : "-";
            output.WriteLine($"  {r.Bench,-9} {Cut(r.Case, caseWidth).PadRight(caseWidth)} {ratio,8} {spread,13}  {Cut(r.Target, targetWidth).PadRight(targetWidth)} {Text(r.Verdict)}");
        }
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    /// <summary>
    /// <c>barrio bench all</c>: every benchmark in turn with the same options, then the summary table. A benchmark that
    /// fails (its data or peer missing) or exits non-zero without a missed case gets a MISSED row of its own and the
    /// run goes on. Exit code: 0 when nothing was missed, else 1.
    /// </summary>
    public static async Task<int> RunAllAsync(IReadOnlyList<IBenchmark> benchmarks, BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var all = new BenchVerdicts();
        foreach (var benchmark in benchmarks)
        {
            ct.ThrowIfCancellationRequested();
            context.Out.WriteLine($"==== bench {benchmark.Name}: {benchmark.Summary}");
            var own = new BenchVerdicts();
            int code;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                code = await benchmark.RunAsync(options with { Verdicts = own }, context, ct);
            }
            catch (CommandFailedException e)
            {
                context.Error.WriteLine($"barrio bench {benchmark.Name}: {e.Message}");
                own.Add(new BenchVerdict(benchmark.Name, "(failed)", null, null, null, e.Message.ReplaceLineEndings(" "), Verdict.Missed));
                code = ExitCodes.Failure;
            }
            catch (UsageException e)
            {
                context.Error.WriteLine($"barrio bench {benchmark.Name}: {e.Message}");
                own.Add(new BenchVerdict(benchmark.Name, "(failed)", null, null, null, e.Message, Verdict.Missed));
                code = ExitCodes.Usage;
            }
            context.Out.WriteLine(string.Create(Ci, $"==== bench {benchmark.Name}: exit {code} after {clock.Elapsed.TotalSeconds:N0} s"));
            foreach (var row in own.Rows) all.Add(row);
            // A benchmark that judges no case of its own (or misses without saying which) is summed up by its exit code.
            if (own.Rows.Count == 0 || (code != ExitCodes.Ok && !own.AnyMissed))
                all.Add(new BenchVerdict(benchmark.Name, $"(exit code {code})", null, null, null, "the benchmark's own targets",
                    code == ExitCodes.Ok ? Verdict.Met : Verdict.Missed));
        }
        context.Out.WriteLine();
        all.Write(context.Out);
        return all.AnyMissed ? ExitCodes.Failure : ExitCodes.Ok;
    }
}
