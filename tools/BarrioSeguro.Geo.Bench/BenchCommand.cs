using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.Bench.Peers;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;
using Npgsql;

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
    ];

    public string Name => "bench";

    public string Summary => "Time the algorithms against their targets and against PostGIS and pgRouting";

    public string Help => $"""
        Usage: barrio bench BENCHMARK [--runs N] [--db CONNECTION] [--quick] [load options]

        Benchmarks:
        {string.Join(Environment.NewLine, Benchmarks.Select(b => $"  {b.Name,-10} {b.Summary}"))}

        Each is run once to warm up, then N times (default 5); the median is reported, for us and for the
        peer (PostGIS) in the same run, with their ratio.

        Options:
          --runs N         timed repetitions. Default: 5
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
        var parsed = CommandArgs.Parse(args.Where(a => a != "--quick").ToList(), "--runs", "--db", SectorsBenchmark.CarrolltonOption,
            LoadBenchmark.SecondsOption, LoadBenchmark.ConnectionsOption, LoadBenchmark.RequestsOption, LoadBenchmark.TokenOption, LoadBenchmark.WritersOption, LoadBenchmark.RoundOption,
            TilesBenchmark.CopiesOption);
        if (parsed.Positionals.Count == 0)
            throw new UsageException($"name a benchmark ({string.Join(", ", Benchmarks.Select(b => b.Name))})");
        if (parsed.Positionals.Count > 1) throw new UsageException($"unexpected argument '{parsed.Positionals[1]}'");
        var benchmark = Benchmarks.FirstOrDefault(b => b.Name == parsed.Positionals[0])
                        ?? throw new UsageException($"unknown benchmark '{parsed.Positionals[0]}' ({string.Join(", ", Benchmarks.Select(b => b.Name))})");
        var runs = 5;
        if (parsed.Option("--runs") is { } runsText
            && (!int.TryParse(runsText, NumberStyles.None, CultureInfo.InvariantCulture, out runs) || runs is < 1 or > 1000))
            throw new UsageException($"--runs must be a whole number from 1 to 1000, not '{runsText}'");
        return benchmark.RunAsync(new BenchOptions(runs, parsed.Option("--db"), quick) { Args = parsed }, context, CancellationToken.None).GetAwaiter().GetResult();
    }
}

/// <summary>Options every benchmark gets.</summary>
public sealed record BenchOptions(int Runs, string? Db, bool Quick = false)
{
    /// <summary>The whole command line, for a benchmark's own options (load: --seconds, --connections).</summary>
    public CommandArgs? Args { get; init; }
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
    /// <summary>Runs <paramref name="warmups"/> times to warm up (once by default), then <paramref name="runs"/> times;
    /// returns each timed run's milliseconds.</summary>
    public static async Task<List<double>> TimeAsync(int runs, Func<Task> action, int warmups = 1)
    {
        for (var i = 0; i < Math.Max(1, warmups); i++) await action();
        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var clock = Stopwatch.StartNew();
            await action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

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

/// <summary>
/// Blocks of all Huanchaco streets clipped to the district (target: under 2 s) with <see cref="BlockBuilder"/>,
/// against PostGIS on the same prepared lines: <c>ST_Polygonize(ST_Node(ST_Collect(geom)))</c> and the clip.
/// </summary>
public sealed class BlocksBenchmark : IBenchmark
{
    private const string StreetsFile = "osm/huanchaco_130104_streets_clipped_wgs84.geojson";
    private const string DistrictFile = "admin/huanchaco_130104_inei2023.geojson";
    private const double TargetMilliseconds = 2000;

    public string Name => "blocks";

    public string Summary => "Blocks of the 3,030 Huanchaco streets clipped to the district (target < 2 s) vs PostGIS";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var streetsPath = BenchTiming.Geodata(StreetsFile) ?? throw new CommandFailedException($"geodata/{StreetsFile} not found: run from the repository");
        var districtPath = BenchTiming.Geodata(DistrictFile) ?? throw new CommandFailedException($"geodata/{DistrictFile} not found: run from the repository");
        var streets = StreetLines.From(VectorFile.Read(streetsPath));
        var district = StreetLines.Geometries(VectorFile.Read(districtPath)).Single();

        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"blocks: Huanchaco, {streets.Count:N0} streets clipped to the district; {options.Runs} runs after a warm-up"));

        BlockSet? ours = null;
        var ourTimes = await BenchTiming.TimeAsync(options.Runs, () =>
        {
            ours = BlockBuilder.Build(streets, district);
            return Task.CompletedTask;
        });
        var ourMedian = BenchTiming.Median(ourTimes);
        context.Out.WriteLine(BenchTiming.Line("BarrioSeguro (NTS)", ourTimes,
            string.Create(CultureInfo.InvariantCulture, $"{ours!.Blocks.Count:N0} blocks, {ours.Blocks.Sum(b => b.AreaSquareMeters) / 1e6:N3} km²")));

        await using var database = await BenchTiming.OpenPeerAsync(options.Db, ct);
        if (database is null)
        {
            context.Out.WriteLine("  PostGIS: skipped (no database: give --db CONNECTION or set BARRIO_DB)");
        }
        else
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(ct);
            var version = await VersionAsync(connection, ct);
            context.Out.WriteLine("  PostGIS runs ST_Polygonize(ST_Node(ST_Collect(geom))) and the clip on the same prepared lines, loaded before timing");
            var prepared = BlockBuilder.PrepareLines(streets);
            await PostgisBlocks.LoadAsync(connection, prepared, ct);
            List<PostgisBlocks.Face>? faces = null;
            var peerTimes = await BenchTiming.TimeAsync(options.Runs, async () =>
                faces = await PostgisBlocks.PolygonizeAsync(connection, prepared.UtmEpsg, district, 1.0, ct));
            var peerMedian = BenchTiming.Median(peerTimes);
            context.Out.WriteLine(BenchTiming.Line($"PostGIS {version}", peerTimes,
                string.Create(CultureInfo.InvariantCulture, $"{faces!.Count:N0} pieces, {faces.Sum(f => f.AreaSquareMeters) / 1e6:N3} km²")));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ratio PostGIS / ours: {peerMedian / ourMedian:N2} (ours is {(peerMedian >= ourMedian ? $"{peerMedian / ourMedian:N1}x faster" : $"{ourMedian / peerMedian:N1}x slower")})"));
        }
        var met = ourMedian < TargetMilliseconds;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target < {TargetMilliseconds:N0} ms: {(met ? "met" : "MISSED")} ({ourMedian:N0} ms)"));
        return met ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<string> VersionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT postgis_lib_version() || ', GEOS ' || split_part(postgis_geos_version(), '-', 1)", connection);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
