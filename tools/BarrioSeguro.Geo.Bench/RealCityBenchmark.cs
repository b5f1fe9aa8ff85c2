using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.Core.Sectors;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// The real city case of <c>bench sectors</c>: the 5,070 blocks <c>barrio blocks</c> makes of the whole OSM extract of
/// Huanchaco and El Milagro (islands on long bridges, a desert block that a whole development hangs on, parks), into
/// 50, 100 and 200 sectors; ours beside PostGIS <c>ST_ClusterKMeans</c> on the same blocks, timed interleaved (A B A B).
/// And the same at city scale: the blocks of the metro area (<see cref="MetroArea"/>).
/// </summary>
public static class RealCityBenchmark
{
    public const string BlocksFile = "osm/huanchaco_el_milagro_blocks.tsv.gz";
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>The fixture: one block a line (id, workload, WKT in WGS 84), gzip.</summary>
    public static List<SectorUnit> Load(string path)
    {
        var reader = new WKTReader(new NetTopologySuite.NtsGeometryServices(new PrecisionModel(), 4326));
        using var stream = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var text = new StreamReader(stream);
        var units = new List<SectorUnit>();
        while (text.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var parts = line.Split('\t');
            units.Add(new SectorUnit(parts[0], reader.Read(parts[2]), double.Parse(parts[1], Ci)));
        }
        return units;
    }

    /// <returns>True when every plan is within 5 % or the bound the report names, and contiguous.</returns>
    public static async Task<bool> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var path = BenchTiming.Geodata(BlocksFile) ?? throw new CommandFailedException($"geodata/{BlocksFile} not found: run from the repository");
        var units = Load(path);
        context.Out.WriteLine(string.Create(Ci,
            $"  real city: {units.Count:N0} blocks of the whole OSM extract of Huanchaco and El Milagro (barrio blocks; workload 0.01 × frontage m)"));
        return await RunCityAsync("real city", units, 32717, options, context, ct); // UTM 17S, where the extract lies
    }

    /// <summary>
    /// The metro area (<see cref="MetroArea"/>: the extract's real streets laid 3 times side by side, 18,168 ways; our
    /// data holds no whole-metro extract): its blocks by Core's <see cref="BlockBuilder"/> (no boundary: every block
    /// the streets enclose), workload 0.01 × frontage m, into 50, 100 and 200 sectors beside ST_ClusterKMeans.
    /// </summary>
    public static async Task<bool> RunMetroAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var streets = MetroArea.Streets();
        var lines = StreetLines.From(streets);
        var clock = Stopwatch.StartNew();
        var set = BlockBuilder.Build(lines, null);
        var blocksMs = clock.Elapsed.TotalMilliseconds;
        var units = set.Blocks.Select(b => new SectorUnit(b.Id, b.Geometry, 0.01 * b.FrontageMeters)).ToList();
        context.Out.WriteLine(string.Create(Ci,
            $"  metro area: {streets.Count:N0} ways (the extract's {streets.Count / MetroArea.DefaultCopies:N0} real ways laid {MetroArea.DefaultCopies} times side by side; no whole-metro extract here) " +
            $"-> {units.Count:N0} blocks by BlockBuilder in {blocksMs / 1000:N1} s (one run); workload 0.01 × frontage m"));
        return await RunCityAsync("metro", units, set.UtmEpsg, options, context, ct);
    }

    /// <summary>Units into 50, 100 and 200 sectors, ours and ST_ClusterKMeans interleaved (at most 3 pairs after a warm-up
    /// pair), judged on balance and contiguity; time ratio and memory reported.</summary>
    private static async Task<bool> RunCityAsync(string label, IReadOnlyList<SectorUnit> units, int utmEpsg, BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var runs = Math.Clamp(options.Runs, 1, 3);
        var database = await BenchTiming.OpenPeerAsync(options.Db, ct);
        await using var _ = database;
        NpgsqlConnection? connection = null;
        if (database is not null)
        {
            connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(ct);
            await SectorsBenchmark.LoadAsync(connection, units, utmEpsg, ct);
        }
        context.Out.WriteLine(string.Create(Ci, $"  {label}: {runs} interleaved pair(s) (ours, ST_ClusterKMeans) after a warm-up, seed 1"));
        var ok = true;
        var rows = new List<CityRow>();
        context.Out.WriteLine("     k | ours: s   MiB alloc  max dev %  bound %  contiguous  peak WS MiB | ST_ClusterKMeans: ms  max dev %  contiguous | time ratio k-means / ours (range)");
        try
        {
            foreach (var k in new[] { 50, 100, 200 })
            {
                Plan? plan = null;
                Dictionary<string, int>? kmeans = null;
                Task Ours()
                {
                    plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = k, Seed = 1, TimeBudget = TimeSpan.FromSeconds(30) }, null, ct);
                    return Task.CompletedTask;
                }
                BenchTiming.Paired? paired = null;
                IReadOnlyList<BenchTiming.Sample> ours;
                if (connection is null) ours = await BenchTiming.RepeatAsync(runs, Ours);
                else
                {
                    paired = await BenchTiming.InterleaveAsync(runs, Ours, async () => kmeans = await SectorsBenchmark.KMeansAsync(connection, k, ct));
                    ours = paired.Ours;
                }
                var r = plan!.Report;
                using var process = Process.GetCurrentProcess();
                process.Refresh();
                var row = new CityRow(k, r, ours, paired, kmeans is null ? null : PlanEvaluator.Evaluate(units, kmeans), process.PeakWorkingSet64);
                rows.Add(row);
                var line = string.Create(Ci,
                    $"  {k,4} | {BenchTiming.MedianMs(ours) / 1000,7:N2}   {BenchTiming.MedianAllocatedMiB(ours),9:N0}  {r.MaxDeviationPct,9:N1}  {r.BalanceBoundPct,7:N1}  {(r.Contiguous ? "yes" : "NO"),10}  {row.PeakWs / 1048576.0,11:N0}");
                if (row.Peer is { } pr)
                    line += string.Create(Ci,
                        $" | {BenchTiming.MedianMs(paired!.Peer),20:N0}  {pr.MaxDeviationPct,9:N1}  {(pr.Contiguous ? "yes" : $"no ({pr.Sectors.Count(s => !s.Contiguous)})"),10} | {paired.MedianRatio,6:N3} ({paired.Ratios.Min():N3}-{paired.Ratios.Max():N3})");
                context.Out.WriteLine(line);
                foreach (var note in r.Notes.Where(n => n.Code is "sectors.balance_bound_hub" or "sectors.balance_missed"))
                    context.Out.WriteLine($"         {note.English}");
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
        context.Out.WriteLine(connection is null
            ? $"  {label}, PostGIS: skipped (no database: give --db CONNECTION or set BARRIO_DB)"
            : $"  {label}, PostGIS: ST_ClusterKMeans(ST_Centroid(geom), k) OVER () on the same blocks in UTM, evaluated by PlanEvaluator; time ratio = k-means / ours per pair (below 1: k-means is faster); peak WS is the process's so far");
        foreach (var row in rows)
            ok &= options.Verdicts.Judge(context, "sectors", string.Create(Ci, $"{label} {units.Count / 1000.0:N1}k blocks, k = {row.K}"), row.Paired,
                "within 5 % (or its bound), contiguous", row.Report.Contiguous && row.Report.MaxDeviationPct <= Math.Max(5, row.Report.BalanceBoundPct) + 1e-6,
                string.Create(Ci, $"{row.Report.MaxDeviationPct:N1} %, bound {row.Report.BalanceBoundPct:N1} %; {BenchTiming.MedianMs(row.Ours) / 1000:N2} s, peak WS {row.PeakWs / 1048576.0:N0} MiB"));
        return ok;
    }

    private sealed record CityRow(int K, PlanReport Report, IReadOnlyList<BenchTiming.Sample> Ours, BenchTiming.Paired? Paired, PlanReport? Peer, long PeakWs);
}
