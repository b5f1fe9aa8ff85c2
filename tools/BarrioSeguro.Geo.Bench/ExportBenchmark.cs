using System.Diagnostics;
using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.Cli;
using BarrioSeguro.Geo.Cli.Commands;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// issue 15.2: exporting the metro streets from PostGIS, ours against GDAL's ogr2ogr on the same table, interleaved
/// (A B A B): the Release CLI's <c>barrio export</c> (its ReadyToRun publish, as <c>./barrio</c> runs it) as a process (time and peak resident memory of the process, as
/// for ogr2ogr) and the same command in process (time and managed allocation), to a zipped shapefile and to a
/// GeoPackage. Target: within 1.0x of ogr2ogr's time and memory, judged on the median ratio.
/// </summary>
public sealed class ExportBenchmark : IBenchmark
{
    private const int Copies = MetroArea.DefaultCopies;
    private const int Epsg = 32717; // the metro's UTM zone: both sides write it

    public string Name => "export";

    public string Summary => "Export of the metro streets (18,168 ways) to a zipped shapefile and a GeoPackage vs ogr2ogr (target: within 1.0x time and memory)";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        await using var database = await BenchTiming.OpenPeerAsync(options.Db, ct)
            ?? throw new CommandFailedException("bench export needs PostGIS: set BARRIO_LOCAL_DB (a folder for a private server), BARRIO_DB or --db");
        var cli = PublishedCli();
        var streets = await LoadAsync(database.ConnectionString, ct);
        var folder = Directory.CreateTempSubdirectory("barrio-bench-export-").FullName;
        var ok = true;
        try
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"export: the metro streets ({streets:N0} rows in PostGIS: the OSM extract's {streets / Copies:N0} ways {Copies} times side by side; our data has no whole-metro extract) to EPSG:{Epsg}; {options.Runs} interleaved pairs after a warm-up; the command line: {cli}"));
            var pg = GdalConnection(database.ConnectionString);
            const string Sql = "SELECT id, osm_id, name, class, oneway, layer, geometry FROM streets ORDER BY id";
            var n = 0;
            string Out(string ext) => Path.Combine(folder, $"streets{Interlocked.Increment(ref n)}{ext}");

            ok &= await CaseAsync(context, options, "zipped shapefile, CLI process",
                () => ProcessAsync("dotnet", [cli, "export", "streets", "--out", Out(".zip"), "--crs", $"EPSG:{Epsg}", "--db", database.ConnectionString], ct),
                () => ProcessAsync("ogr2ogr", ["-f", "ESRI Shapefile", "-t_srs", $"EPSG:{Epsg}", "-lco", "ENCODING=UTF-8", "-nln", "streets", Out(".shp.zip"), pg, "-sql", Sql], ct),
                memory: true);
            ok &= await CaseAsync(context, options, "GeoPackage, CLI process",
                () => ProcessAsync("dotnet", [cli, "export", "streets", "--out", Out(".gpkg"), "--crs", $"EPSG:{Epsg}", "--db", database.ConnectionString], ct),
                () => ProcessAsync("ogr2ogr", ["-f", "GPKG", "-t_srs", $"EPSG:{Epsg}", "-nln", "streets", Out(".gpkg"), pg, "-sql", Sql], ct),
                memory: true);
            ok &= await CaseAsync(context, options, "zipped shapefile, in process",
                () =>
                {
                    var code = new ExportCommand().Run(["streets", "--out", Out(".zip"), "--crs", $"EPSG:{Epsg}", "--db", database.ConnectionString],
                        new CommandContext(TextWriter.Null, TextWriter.Null));
                    if (code != ExitCodes.Ok) throw new CommandFailedException($"barrio export exited with {code}");
                    return Task.FromResult<long?>(null);
                },
                () => ProcessAsync("ogr2ogr", ["-f", "ESRI Shapefile", "-t_srs", $"EPSG:{Epsg}", "-lco", "ENCODING=UTF-8", "-nln", "streets", Out(".shp.zip"), pg, "-sql", Sql], ct),
                memory: false);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        context.Out.WriteLine(ok ? "  all targets met" : "  a target was MISSED");
        return ok ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<bool> CaseAsync(CommandContext context, BenchOptions options, string title,
        Func<Task<long?>> ours, Func<Task<long?>> peer, bool memory)
    {
        context.Out.WriteLine($"export: {title}");
        var paired = await BenchTiming.InterleaveAsync(options.Runs, ours, peer);
        context.Out.WriteLine(BenchTiming.Line("ours (barrio export)", paired.Ours, ""));
        context.Out.WriteLine(BenchTiming.Line("ogr2ogr", paired.Peer, ""));
        context.Out.WriteLine(paired.RatioText("ogr2ogr"));
        var ok = paired.Meets(1.0);
        if (memory)
        {
            var our = BenchTiming.Median(paired.Ours.Select(s => (double)(s.Memory ?? 0)).ToList());
            var theirs = BenchTiming.Median(paired.Peer.Select(s => (double)(s.Memory ?? 0)).ToList());
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  peak memory: ours {our / 1048576:N0} MiB, ogr2ogr {theirs / 1048576:N0} MiB (medians): ours is {our / Math.Max(theirs, 1):N2}x"));
            ok &= our <= theirs;
        }
        context.Out.WriteLine(ok ? "  target met: within 1.0x of ogr2ogr" : "  target MISSED: within 1.0x of ogr2ogr");
        return ok;
    }

    /// <summary>
    /// The command line as <c>./barrio</c> runs it: its ReadyToRun publish (made by <c>./barrio help</c> when a source
    /// changed), not the plain JIT build copied beside the bench.
    /// </summary>
    private static string PublishedCli()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var dll = Path.Combine(dir.FullName, "src", "BarrioSeguro.Geo.Cli", "bin", "Release", "net10.0", "publish", "barrio.dll");
            if (File.Exists(dll)) return dll;
        }
        throw new CommandFailedException("the command line's ReadyToRun publish (src/BarrioSeguro.Geo.Cli/bin/Release/net10.0/publish) is missing: run ./barrio help first");
    }

    /// <summary>Runs a process to its end; returns its peak resident set, polled while it runs.</summary>
    private static async Task<long?> ProcessAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new CommandFailedException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        long? peak = null;
        // VmHWM is readable until the process is reaped; the last reading is its peak.
        while (!process.HasExited)
        {
            if (BenchTiming.PeakResidentBytes(process.Id) is { } p) peak = p;
            await Task.Delay(5, ct);
        }
        await process.WaitForExitAsync(ct);
        await Task.WhenAll(stdout, stderr);
        if (process.ExitCode != 0) throw new CommandFailedException($"{file} exited with {process.ExitCode}: {stderr.Result.Trim()}");
        return peak;
    }

    /// <summary>
    /// The metro streets in the streets table as the service keeps them (class from highway, oneway, layer, a
    /// MultiLineString in EPSG:4326), by COPY; a previous run's rows (the same OSM ids) go first. Returns the row count.
    /// </summary>
    private static async Task<long> LoadAsync(string connectionString, CancellationToken ct)
    {
        var metro = MetroArea.Streets(Copies);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await MetroArea.CopyStreetsAsync(connection, metro, ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM streets", connection);
        return (long)(await count.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The same database as a GDAL PG: connection string.</summary>
    private static string GdalConnection(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var parts = new List<string> { $"dbname='{b.Database}'" };
        if (!string.IsNullOrEmpty(b.Host)) parts.Add($"host='{b.Host}'");
        if (b.Port != 0) parts.Add($"port={b.Port}");
        if (!string.IsNullOrEmpty(b.Username)) parts.Add($"user='{b.Username}'");
        if (!string.IsNullOrEmpty(b.Password)) parts.Add($"password='{b.Password}'");
        return "PG:" + string.Join(' ', parts);
    }
}
