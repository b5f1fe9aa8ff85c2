using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Import;
using BarrioSeguro.Geo.IO;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// Imports at metro scale (issue 15.2): the metro streets (<see cref="MetroArea"/>, 18,168 ways, written to GeoJSON
/// once) loaded into the streets collection by our importer, in process and as the Release CLI
/// (<c>barrio.dll import</c>, a process of its own), each interleaved with <c>ogr2ogr -f PostgreSQL</c> with
/// PG_USE_COPY=YES of the same file into a plain table (the peer). First one import with a breakdown of where its
/// time goes. Every run starts from the same table: the rows of the previous run are removed between runs, untimed.
/// The target, 5x faster than before binary COPY, is judged on the ratio to ogr2ogr against the ratio measured on
/// the same machine before the change (<see cref="RatioBeforeInProcess"/>, <see cref="RatioBeforeCli"/>).
/// </summary>
public sealed class ImportBenchmark : IBenchmark
{
    private const string Prefix = "bench-import-";
    private const string PeerTable = "bench_import_ogr2ogr";
    private const double TargetSpeedup = 5;

    /// <summary>ogr2ogr's time over ours before binary COPY (EF Core, per-row INSERTs), median of 3 interleaved pairs
    /// measured by this benchmark on the loaded 2-core machine of issue 15 (load average about 55), 2026-12-02: ours
    /// 105.8 s against 8.0 s, ratio 0.08 (range 0.04-0.14), 13.3x slower.</summary>
    private const double RatioBeforeInProcess = 1 / 13.3;

    /// <summary>The same for the Release CLI as a process: 182.7 s against 3.2 s, ratio 0.03 (range 0.02-0.03), 36.0x slower.</summary>
    private const double RatioBeforeCli = 1 / 36.0;

    public string Name => "import";

    public string Summary => "The metro streets (18,168 ways) into the database, in process and by the CLI, vs ogr2ogr with COPY (target 5x faster than before)";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        await using var database = await BenchTiming.OpenPeerAsync(options.Db, ct)
            ?? throw new CommandFailedException("bench import needs a database: give --db CONNECTION, or set BARRIO_DB or BARRIO_LOCAL_DB");
        var folder = Path.Combine(Path.GetTempPath(), "barrio-bench-import");
        var source = MetroArea.WriteStreets(folder);
        var cli = ReleaseCli();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import: the metro streets ({MetroArea.DefaultCopies} copies of the real extract's highway ways; our data has no whole-metro extract), {new FileInfo(source).Length / 1048576.0:N1} MiB of GeoJSON; {options.Runs} interleaved runs after a warm-up"));

        await CleanAsync(database.ConnectionString, ct);
        // Where the time of one import goes.
        var phases = new List<(string Phase, TimeSpan Took)>();
        var clock = Stopwatch.StartNew();
        var set = VectorFile.Read(source);
        phases.Add(("read GeoJSON", clock.Elapsed));
        clock.Restart();
        var features = FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84);
        phases.Add(("to EPSG:4326", clock.Elapsed));
        clock.Restart();
        ImportResult first;
        await using (var db = database.NewContext())
            first = await new CollectionImporter(db).ImportAsync("streets", features, Prefix + "breakdown", Sha("breakdown"),
                new ImportOptions { Phases = (phase, took) => phases.Add(("importer: " + phase, took)) }, ct);
        phases.Add(("importer (whole)", clock.Elapsed));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  breakdown of one import in process ({first.Inserted:N0} streets):"));
        foreach (var (phase, took) in phases)
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {phase,-32} {took.TotalMilliseconds,8:N0} ms"));

        var run = 0;
        var inProcess = new List<BenchTiming.Paired>();
        var process = new List<BenchTiming.Paired>();
        var inserted = 0;
        for (var i = 0; i < 1 + options.Runs; i++)
        {
            await CleanAsync(database.ConnectionString, ct);
            var pair = await BenchTiming.InterleaveAsync(1, async () =>
            {
                var name = Prefix + (run++).ToString(CultureInfo.InvariantCulture);
                // As `barrio import` does: read, transform, checksum, import.
                var read = VectorFile.Read(source);
                var wgs84 = FeatureTransform.To(read.Features, read.Epsg, Crs.Wgs84);
                var sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(source, ct)));
                await using var db = database.NewContext();
                var result = await new CollectionImporter(db).ImportAsync("streets", wgs84, name, Sha(name + sha), ct);
                inserted = result.Inserted;
                return (long?)null;
            }, () => Ogr2OgrAsync(database.ConnectionString, source, ct), warmups: 0);
            if (i > 0) inProcess.Add(pair);
            if (cli is null) continue;
            await CleanAsync(database.ConnectionString, ct);
            // A file of its own per run: the CLI skips a checksum it has loaded.
            var copy = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{Prefix}{run++}.geojson"));
            await using (var write = File.Create(copy))
            {
                await using (var read = File.OpenRead(source)) await read.CopyToAsync(write, ct);
                write.Write(System.Text.Encoding.ASCII.GetBytes("\n" + new string(' ', run)));
            }
            pair = await BenchTiming.InterleaveAsync(1, () => CliAsync(cli, copy, database.ConnectionString, ct),
                () => Ogr2OgrAsync(database.ConnectionString, source, ct), warmups: 0);
            File.Delete(copy);
            if (i > 0) process.Add(pair);
        }
        await CleanAsync(database.ConnectionString, ct);
        await DropPeerAsync(database.ConnectionString, ct);

        var met = true;
        met &= Report(context, "BarrioSeguro in process", Join(inProcess), RatioBeforeInProcess, $"{inserted:N0} streets");
        if (cli is null)
            context.Out.WriteLine("  CLI: skipped (build it: dotnet build src/BarrioSeguro.Geo.Cli -c Release)");
        else
            met &= Report(context, "barrio import (Release CLI)", Join(process), RatioBeforeCli, "a process, end to end");
        return met ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static bool Report(CommandContext context, string who, BenchTiming.Paired pairs, double before, string what)
    {
        context.Out.WriteLine(BenchTiming.Line(who, pairs.Ours, what));
        context.Out.WriteLine(BenchTiming.Line("ogr2ogr PG_USE_COPY=YES", pairs.Peer, "the same file into a plain table"));
        context.Out.WriteLine(pairs.RatioText("ogr2ogr"));
        if (double.IsNaN(before))
        {
            context.Out.WriteLine("  target 5x faster than before: no figure from before to judge on");
            return true;
        }
        var speedup = pairs.MedianRatio / before;
        var met = speedup >= TargetSpeedup;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target {TargetSpeedup:N0}x faster than before (ogr2ogr / ours was {before:N2}): {(met ? "met" : "MISSED")} ({speedup:N1}x, median {BenchTiming.Median(pairs.OurMs):N0} ms)"));
        return met;
    }

    private static BenchTiming.Paired Join(List<BenchTiming.Paired> pairs) =>
        new(pairs.SelectMany(p => p.Ours).ToList(), pairs.SelectMany(p => p.Peer).ToList());

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>The Release CLI built in this repository; null when it is not built.</summary>
    private static string? ReleaseCli()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var path = Path.Combine(dir.FullName, "src", "BarrioSeguro.Geo.Cli", "bin", "Release", "net10.0", "barrio.dll");
                if (File.Exists(path)) return path;
            }
        return null;
    }

    /// <summary>Removes what earlier runs loaded (the bench's datasets and their rows), so every run writes into the same table.</summary>
    private static async Task CleanAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var delete = new NpgsqlCommand($"""
            DELETE FROM streets WHERE dataset_id IN (SELECT id FROM datasets WHERE name LIKE '{Prefix}%');
            DELETE FROM datasets WHERE name LIKE '{Prefix}%';
            """, connection);
        await delete.ExecuteNonQueryAsync(ct);
        await using var vacuum = new NpgsqlCommand("VACUUM streets, import_features", connection);
        await vacuum.ExecuteNonQueryAsync(ct);
    }

    private static async Task DropPeerAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {PeerTable}", connection);
        await drop.ExecuteNonQueryAsync(ct);
    }

    private static Task<long?> Ogr2OgrAsync(string connectionString, string path, CancellationToken ct)
    {
        var start = new ProcessStartInfo("ogr2ogr")
        {
            ArgumentList =
            {
                "-f", "PostgreSQL", "PG:", path, "-nln", PeerTable, "-overwrite", "-nlt", "PROMOTE_TO_MULTI",
                "-lco", "GEOMETRY_NAME=geometry", "--config", "PG_USE_COPY", "YES",
            },
        };
        var pg = new NpgsqlConnectionStringBuilder(connectionString);
        start.Environment["PGHOST"] = pg.Host;
        start.Environment["PGPORT"] = pg.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGDATABASE"] = pg.Database;
        start.Environment["PGUSER"] = pg.Username;
        if (pg.Password is { } password) start.Environment["PGPASSWORD"] = password;
        return RunAsync(start, "ogr2ogr", ct);
    }

    private static Task<long?> CliAsync(string cli, string path, string connectionString, CancellationToken ct) =>
        RunAsync(new ProcessStartInfo("dotnet") { ArgumentList = { cli, "import", path, "--collection", "streets", "--db", connectionString } }, "barrio import", ct);

    /// <summary>Runs a process to its end, its peak resident memory polled meanwhile.</summary>
    private static async Task<long?> RunAsync(ProcessStartInfo start, string who, CancellationToken ct)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var child = Process.Start(start) ?? throw new CommandFailedException($"cannot start {who}");
        var output = child.StandardOutput.ReadToEndAsync(ct);
        var errors = child.StandardError.ReadToEndAsync(ct);
        long? peak = null;
        while (!child.HasExited)
        {
            peak = BenchTiming.PeakResidentBytes(child.Id) ?? peak;
            await Task.Delay(20, ct);
        }
        await child.WaitForExitAsync(ct);
        await output;
        if (child.ExitCode != 0) throw new CommandFailedException($"{who} failed: {(await errors).Trim()}");
        return peak;
    }
}
