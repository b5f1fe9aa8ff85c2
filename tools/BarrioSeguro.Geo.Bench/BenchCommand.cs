using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Cli.Commands;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// <c>barrio bench BENCHMARK [options]</c>: speed targets, measured side by side with the peer (PostGIS) in one run.
/// To add a benchmark: a class implementing <see cref="IBenchmark"/> and a line in <see cref="Benchmarks"/>.
/// Not in the CLI's command table: it lives here, outside the product, and <see cref="Program"/> runs it.
/// </summary>
public sealed class BenchCommand : ICommand
{
    /// <summary>Every benchmark, by name.</summary>
    public static IReadOnlyList<IBenchmark> Benchmarks { get; } =
    [
        new BlocksBenchmark(),
        new SectorsBenchmark(),
        new RoutesBenchmark(),
        new CoverageBenchmark(),
        new LoadBenchmark(),
        new OverviewBenchmark(), // issue 13.3: the national overview at hundreds of neighbourhoods
        new CrsBenchmark(),
        new TilesBenchmark(), // issue 14.6: vector tiles beside raw ST_AsMVT, and the map at many districts
        new ImportBenchmark(), // issue 15.2: imports with binary COPY beside ogr2ogr
        new StartupBenchmark(), // issue 15.2-15.3: a database command vs ogr2ogr, the service's warm start, ./barrio up's stale check
        new ExportBenchmark(), // issue 15.2: streamed exports of the metro streets vs ogr2ogr
    ];

    public string Name => "bench";

    public string Summary => "Time the algorithms against their targets and against PostGIS and pgRouting";

    public string Help => $"""
        Usage: barrio bench BENCHMARK [--runs N] [--db CONNECTION] [--quick] [load options]
               barrio bench all [options]   (or --all): every benchmark in one go, with a summary table at the end

        Benchmarks:
        {string.Join(Environment.NewLine, Benchmarks.Select(b => $"  {b.Name,-10} {b.Summary}"))}

        How a benchmark is judged: ours and the peer (PostGIS, pgRouting, ogr2ogr, cs2cs, ...) run interleaved,
        A B A B, one untimed pair to warm up and then N timed pairs, so the machine's load falls on both alike.
        Each side's line gives its median time (min, max) and memory (managed MiB allocated, or a process's peak);
        the ratio (peer time / ours, above 1 ours is faster) is the median of the pairs' ratios, with its range.
        Targets are judged on that ratio, and on what load cannot move (balance, contiguity, gaps, memory, errors);
        an absolute time target is printed beside, marked "not judged", unless the bench says otherwise.
        The summary table lists each case: bench, case, median ratio, spread, target, met/MISSED/reported.
        The exit code is 1 when a target was missed.

        Options:
          --runs N         timed (interleaved) pairs. Default: 5
          --all            run every benchmark (as "barrio bench all")
          --db CONNECTION  Npgsql connection string of a PostGIS database for the peer. Default: BARRIO_DB, else
                           the private database of ./barrio up (BARRIO_LOCAL_DB); with none the peer is skipped.
          --quick          skip the slow cases (sectors: the 20,000-block city)
          --carrollton DIR sectors: also Wheeler's Carrollton districting case from DIR (see
                           tools/BarrioSeguro.Geo.Bench/data/carrollton/README.md)

        {LoadBenchmark.OptionsHelp}
        {TilesBenchmark.OptionsHelp}

        Example: barrio bench blocks --db "Host=localhost;Database=barrio;Username=barrio"
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var quick = args.Contains("--quick");
        var everyOne = args.Contains("--all");
        var parsed = CommandArgs.Parse(args.Where(a => a is not ("--quick" or "--all")).ToList(), "--runs", "--db", SectorsBenchmark.CarrolltonOption,
            LoadBenchmark.SecondsOption, LoadBenchmark.ConnectionsOption, LoadBenchmark.RequestsOption, LoadBenchmark.TokenOption, LoadBenchmark.WritersOption, LoadBenchmark.RoundOption,
            TilesBenchmark.CopiesOption);
        if (parsed.Positionals is ["all", ..]) everyOne = true;
        var names = parsed.Positionals.Where(p => p != "all").ToList();
        if (!everyOne && names.Count == 0)
            throw new UsageException($"name a benchmark ({string.Join(", ", Benchmarks.Select(b => b.Name))}) or all");
        if (names.Count > (everyOne ? 0 : 1)) throw new UsageException($"unexpected argument '{names[everyOne ? 0 : 1]}'");
        var benchmark = everyOne ? null : Benchmarks.FirstOrDefault(b => b.Name == names[0])
                        ?? throw new UsageException($"unknown benchmark '{names[0]}' ({string.Join(", ", Benchmarks.Select(b => b.Name))})");
        var runs = 5;
        if (parsed.Option("--runs") is { } runsText
            && (!int.TryParse(runsText, NumberStyles.None, CultureInfo.InvariantCulture, out runs) || runs is < 1 or > 1000))
            throw new UsageException($"--runs must be a whole number from 1 to 1000, not '{runsText}'");
        var options = new BenchOptions(runs, parsed.Option("--db"), quick) { Args = parsed };
        if (benchmark is null) return BenchVerdicts.RunAllAsync(Benchmarks, options, context, CancellationToken.None).GetAwaiter().GetResult();
        var code = benchmark.RunAsync(options, context, CancellationToken.None).GetAwaiter().GetResult();
        if (options.Verdicts.Rows.Count == 0) return code;
        context.Out.WriteLine();
        options.Verdicts.Write(context.Out);
        return code == ExitCodes.Ok && options.Verdicts.AnyMissed ? ExitCodes.Failure : code;
    }
}

/// <summary>Options every benchmark gets.</summary>
public sealed record BenchOptions(int Runs, string? Db, bool Quick = false)
{
    /// <summary>The whole command line, for a benchmark's own options (load: --seconds, --connections).</summary>
    public CommandArgs? Args { get; init; }

    /// <summary>Where the benchmark records each case's verdict, for the summary table.</summary>
    public BenchVerdicts Verdicts { get; init; } = new();
}

/// <summary>One benchmark of <c>barrio bench</c>.</summary>
public interface IBenchmark
{
    string Name { get; }
    string Summary { get; }
    Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct);
}

/// <summary>Timing helpers shared by the benchmarks.</summary>
public static class BenchTiming
{
    /// <summary>A case no peer runs (or a run without the peer's database): <paramref name="warmups"/> untimed runs, then
    /// <paramref name="runs"/> timed ones, each taken as <see cref="InterleaveAsync(int, Func{Task{long?}}, Func{Task{long?}}, int)"/>
    /// takes one side's, so a case is timed alike with and without its peer.</summary>
    public static async Task<IReadOnlyList<Sample>> RepeatAsync(int runs, Func<Task<long?>> action, int warmups = 1)
    {
        for (var i = 0; i < Math.Max(0, warmups); i++) await action();
        var samples = new List<Sample>(runs);
        for (var i = 0; i < runs; i++) samples.Add(await MeasureAsync(action));
        return samples;
    }

    /// <summary><see cref="RepeatAsync(int, Func{Task{long?}}, int)"/> for a side that reports no memory of its own.</summary>
    public static Task<IReadOnlyList<Sample>> RepeatAsync(int runs, Func<Task> action, int warmups = 1) =>
        RepeatAsync(runs, async () => { await action(); return (long?)null; }, warmups);

    /// <summary>
    /// Times ours and the peer interleaved (A B A B ...) so the machine's load falls on both alike: <paramref name="warmups"/>
    /// untimed pairs, then <paramref name="runs"/> timed pairs. Each side's managed allocation and the process's peak
    /// working set are taken with it; a peer in another process (ogr2ogr, psql) reports its own memory through
    /// <see cref="Sample.Memory"/> by returning it from <paramref name="peer"/>.
    /// </summary>
    public static async Task<Paired> InterleaveAsync(int runs, Func<Task<long?>> ours, Func<Task<long?>> peer, int warmups = 1)
    {
        var a = new List<Sample>(runs);
        var b = new List<Sample>(runs);
        for (var i = 0; i < Math.Max(0, warmups) + runs; i++)
        {
            var timed = i >= warmups;
            var sa = await MeasureAsync(ours);
            var sb = await MeasureAsync(peer);
            if (!timed) continue;
            a.Add(sa);
            b.Add(sb);
        }
        return new Paired(a, b);
    }

    /// <summary><see cref="InterleaveAsync(int, Func{Task{long?}}, Func{Task{long?}}, int)"/> for sides that report no memory of their own.</summary>
    public static Task<Paired> InterleaveAsync(int runs, Func<Task> ours, Func<Task> peer, int warmups = 1) =>
        InterleaveAsync(runs, async () => { await ours(); return (long?)null; }, async () => { await peer(); return (long?)null; }, warmups);

    private static async Task<Sample> MeasureAsync(Func<Task<long?>> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var memory = await action();
        var ms = clock.Elapsed.TotalMilliseconds;
        return new Sample(ms, GC.GetTotalAllocatedBytes(precise: true) - allocated, memory);
    }

    /// <summary>One timed run: milliseconds, managed bytes allocated meanwhile, and the peak memory (bytes) the side
    /// reported of itself (a child process's peak resident set), if any.</summary>
    public sealed record Sample(double Milliseconds, long AllocatedBytes, long? Memory);

    /// <summary>Interleaved runs of ours (A) and the peer (B), pair by pair.</summary>
    public sealed record Paired(IReadOnlyList<Sample> Ours, IReadOnlyList<Sample> Peer)
    {
        public IReadOnlyList<double> OurMs => Ours.Select(s => s.Milliseconds).ToList();
        public IReadOnlyList<double> PeerMs => Peer.Select(s => s.Milliseconds).ToList();

        /// <summary>Peer time over ours, pair by pair: above 1 ours is faster.</summary>
        public IReadOnlyList<double> Ratios => Ours.Zip(Peer, (a, b) => b.Milliseconds / Math.Max(a.Milliseconds, 1e-6)).ToList();

        public double MedianRatio => Median(Ratios);

        /// <summary>"median 3.41x (range 2.90-3.80 over 5 pairs)": the ratio a target is judged on, with its spread.</summary>
        public string RatioText(string peerName) => string.Create(CultureInfo.InvariantCulture,
            $"  ratio {peerName} / ours: median {MedianRatio:N2} (range {Ratios.Min():N2}-{Ratios.Max():N2} over {Ratios.Count} interleaved pair(s)); ours is {(MedianRatio >= 1 ? $"{MedianRatio:N1}x faster" : $"{1 / MedianRatio:N1}x slower")}");

        /// <summary>Whether ours is at least <paramref name="times"/> as fast as the peer, judged on the median ratio.</summary>
        public bool Meets(double times) => MedianRatio >= times;
    }

    /// <summary>Peak resident set of a process that has not been reaped yet (VmHWM of /proc/PID/status), in bytes;
    /// polled while a peer process runs, the last reading before it exits is its peak.</summary>
    public static long? PeakResidentBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>A line of one side's times and memory: median, min, max (ms), managed MiB allocated, peak MiB if known.</summary>
    public static string Line(string who, IReadOnlyList<Sample> samples, string what)
    {
        var ms = samples.Select(s => s.Milliseconds).ToList();
        var alloc = Median(samples.Select(s => (double)s.AllocatedBytes).ToList()) / 1048576.0;
        var peaks = samples.Where(s => s.Memory is not null).Select(s => (double)s.Memory!.Value).ToList();
        var memory = peaks.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"peak {peaks.Max() / 1048576.0:N0} MiB")
            : string.Create(CultureInfo.InvariantCulture, $"{alloc:N0} MiB allocated");
        return string.Create(CultureInfo.InvariantCulture,
            $"  {who,-28} median {Median(ms),8:N1} ms   (min {ms.Min():N1}, max {ms.Max():N1})   {memory}   {what}");
    }

    /// <summary>The median milliseconds of a side's samples.</summary>
    public static double MedianMs(IReadOnlyList<Sample> samples) => Median(samples.Select(s => s.Milliseconds).ToList());

    /// <summary>The median managed MiB a side's samples allocated.</summary>
    public static double MedianAllocatedMiB(IReadOnlyList<Sample> samples) => Median(samples.Select(s => (double)s.AllocatedBytes).ToList()) / 1048576.0;

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Line(string who, IReadOnlyList<double> ms, string what) => string.Create(CultureInfo.InvariantCulture,
        $"  {who,-28} median {Median(ms),8:N1} ms   (min {ms.Min():N1}, max {ms.Max():N1})   {what}");

    /// <summary>The repository's geodata/ folder, found above the current folder or the program.</summary>
    public static string? Geodata(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "geodata", relative);
                if (File.Exists(path)) return path;
            }
        }
        return null;
    }

    /// <summary>The peer's database from --db or BARRIO_DB, else the private one of ./barrio up, else null (skip).</summary>
    public static async Task<CliDatabase?> OpenPeerAsync(string? db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(db) && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("BARRIO_DB"))
            && string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("BARRIO_LOCAL_DB")))
            return null;
        // pgRouting is a peer: the private server makes it as its superuser (the service connects as a plain owner).
        return await CliDatabase.OpenAsync(db, ct, ["pgrouting"]);
    }
}
