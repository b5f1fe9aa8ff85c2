using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Sectors;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// The real city case of <c>bench sectors</c>: the 5,070 blocks <c>barrio blocks</c> makes of the whole OSM extract of
/// Huanchaco and El Milagro (islands on long bridges, a desert block that a whole development hangs on, parks), into
/// 50, 100 and 200 sectors; ours beside PostGIS <c>ST_ClusterKMeans</c> on the same blocks, timed interleaved (A B A B).
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
        var runs = Math.Clamp(options.Runs, 1, 3);
        context.Out.WriteLine(string.Create(Ci,
            $"  real city: {units.Count:N0} blocks of the whole OSM extract of Huanchaco and El Milagro (barrio blocks; workload 0.01 × frontage m), " +
            $"{runs} interleaved run(s) after a warm-up, seed 1"));
        var database = await BenchTiming.OpenPeerAsync(options.Db, ct);
        await using var _ = database;
        NpgsqlConnection? connection = null;
        if (database is not null)
        {
            connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(ct);
            await SectorsBenchmark.LoadAsync(connection, units, 32717, ct); // UTM 17S, where the extract lies
        }
        var ok = true;
        context.Out.WriteLine("     k | ours: s   max dev %  bound %  contiguous  peak WS MiB | ST_ClusterKMeans: ms  max dev %  contiguous | time ratio");
        try
        {
            foreach (var k in new[] { 50, 100, 200 })
            {
                Plan? plan = null;
                Dictionary<string, int>? kmeans = null;
                var ours = new List<double>();
                var peer = new List<double>();
                for (var run = 0; run <= runs; run++)
                {
                    // A B A B: ours, then the peer, each run; the first pair warms up.
                    GC.Collect();
                    var clock = Stopwatch.StartNew();
                    plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = k, Seed = 1, TimeBudget = TimeSpan.FromSeconds(30) }, null, ct);
                    if (run > 0) ours.Add(clock.Elapsed.TotalMilliseconds);
                    if (connection is null) continue;
                    clock.Restart();
                    kmeans = await SectorsBenchmark.KMeansAsync(connection, k, ct);
                    if (run > 0) peer.Add(clock.Elapsed.TotalMilliseconds);
                }
                var r = plan!.Report;
                var met = r.Contiguous && r.MaxDeviationPct <= Math.Max(5, r.BalanceBoundPct) + 1e-6;
                ok &= met;
                using var process = Process.GetCurrentProcess();
                var line = string.Create(Ci,
                    $"  {k,4} | {BenchTiming.Median(ours) / 1000,7:N2}   {r.MaxDeviationPct,9:N1}  {r.BalanceBoundPct,7:N1}  {(r.Contiguous ? "yes" : "NO"),10}  {process.PeakWorkingSet64 / 1048576.0,11:N0}");
                if (kmeans is not null)
                {
                    var pr = PlanEvaluator.Evaluate(units, kmeans);
                    line += string.Create(Ci,
                        $" | {BenchTiming.Median(peer),20:N0}  {pr.MaxDeviationPct,9:N1}  {(pr.Contiguous ? "yes" : $"no ({pr.Sectors.Count(s => !s.Contiguous)})"),10} | {BenchTiming.Median(ours) / Math.Max(BenchTiming.Median(peer), 0.01),9:N0}x");
                }
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
            ? "  real city, PostGIS: skipped (no database: give --db CONNECTION or set BARRIO_DB)"
            : "  real city, PostGIS: ST_ClusterKMeans(ST_Centroid(geom), k) OVER () on the same blocks in UTM, evaluated by PlanEvaluator; time ratio = ours / k-means");
        context.Out.WriteLine($"  target real city: within 5 % or the named bound, contiguous: {(ok ? "met" : "MISSED")}");
        return ok;
    }
}
