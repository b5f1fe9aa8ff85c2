using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Data;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// Start-up (issue 15.2-15.3), each case in its own processes, ours and the peer interleaved (A B A B):
/// (a) a read-only database command end to end, <c>barrio export stations</c> from the command line's ReadyToRun publish
/// folder, beside <c>ogr2ogr</c> writing the same table to GeoJSON from the same database: time and peak resident memory;
/// and the ReadyToRun command line beside its plain (JIT) build;
/// (b) the service's warm start (sample data already loaded) to its first 200 on /api/conformance, target under 3 s;
/// (c) <c>./barrio up --check</c>, the script's stale check alone, beside the no-op <c>dotnet build</c> of the product
/// that a start paid before.
/// </summary>
public sealed class StartupBenchmark : IBenchmark
{
    private const double ServiceTargetMilliseconds = 3000;
    private const double CliTargetMilliseconds = 1000;

    public string Name => "startup";

    public string Summary => "Start-up: a read-only CLI command vs ogr2ogr, the service's warm start to its first 200 (< 3 s), ./barrio up's stale check";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var sample = BenchTiming.Geodata("sample/el_milagro_barrio_seguro_illustrative.geojson")
                     ?? throw new CommandFailedException("geodata/ not found: run from the repository");
        var geodata = Path.GetDirectoryName(Path.GetDirectoryName(sample))!;
        var root = Path.GetDirectoryName(geodata)!;
        var api = Path.Combine(root, "src", "BarrioSeguro.Geo.Api", "bin", "Release", "net10.0", "BarrioSeguro.Geo.Api.dll");
        var cliBin = Path.Combine(root, "src", "BarrioSeguro.Geo.Cli", "bin", "Release", "net10.0");
        var cliPublished = Path.Combine(cliBin, "publish", "barrio.dll");
        if (!File.Exists(api) || !File.Exists(cliPublished))
            throw new CommandFailedException("the service or the command line is not built in Release: run ./barrio up --check && ./barrio help first");

        await using var database = await BenchTiming.OpenPeerAsync(options.Db, ct)
                                   ?? throw new CommandFailedException("no database: give --db CONNECTION or set BARRIO_DB");
        var cs = database.ConnectionString;
        await BarrioDatabase.EnsureMigratedAsync(cs, ct);
        var scratch = Directory.CreateTempSubdirectory("barrio-bench-startup-");
        var failed = false;
        try
        {
            // (b) first: its warm-up start loads the sample data (the stations (a) exports) when the database has none.
            // The peer: psql, a fresh process that connects and asks what the start asks (migrations, accounts).
            context.Out.WriteLine($"startup (b): the service's warm start to its first 200 on /api/conformance, against psql asking the start's SELECTs; {options.Runs} interleaved pairs after a warm-up pair");
            string? phases = null;
            var toFirstAnswer = new List<double>(); // without stopping the service, which the pair's time includes
            var starts = await BenchTiming.InterleaveAsync(options.Runs, async () =>
            {
                var (ms, log) = await ServiceStartAsync(api, root, geodata, cs, ct);
                toFirstAnswer.Add(ms);
                phases = log ?? phases;
                return null;
            }, () => ChildAsync("psql", [PsqlConnection(cs), "-XAtq", "-c",
                """SELECT count(*), max(migration_id) FROM "__EFMigrationsHistory"; SELECT EXISTS (SELECT 1 FROM users)"""],
                PsqlEnvironment(cs), ct));
            context.Out.WriteLine(BenchTiming.Line("BarrioSeguro service", starts.Ours, "warm start to the first 200"));
            context.Out.WriteLine(BenchTiming.Line("psql", starts.Peer, "connect and the start's SELECTs"));
            context.Out.WriteLine(starts.RatioText("psql"));
            if (phases is not null) context.Out.WriteLine($"  its own account of the last start: {phases}");
            var serviceMedian = BenchTiming.Median(toFirstAnswer.Skip(1).ToList()); // the warm-up start may load the sample
            var serviceMet = serviceMedian < ServiceTargetMilliseconds;
            failed |= !serviceMet;
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  target < {ServiceTargetMilliseconds:N0} ms (issue 15.3, absolute, beside the ratio): {(serviceMet ? "met" : "MISSED")} ({serviceMedian:N0} ms)"));

            // (a) a read-only database command against ogr2ogr on the same table.
            int count;
            await using (var connection = new NpgsqlConnection(cs))
            {
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand("SELECT count(*) FROM stations", connection);
                count = Convert.ToInt32(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            }
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"startup (a): barrio export stations ({count:N0} stations) end to end against ogr2ogr to GeoJSON from the same table; {options.Runs} interleaved pairs"));
            var ours = Path.Combine(scratch.FullName, "ours.geojson");
            var peer = Path.Combine(scratch.FullName, "ogr2ogr.geojson");
            var env = new Dictionary<string, string?> { ["BARRIO_DB"] = cs, ["BARRIO_LOCAL_DB"] = null };
            Func<Task<long?>> cli(string dll) => () => ChildAsync("dotnet", [dll, "export", "stations", "--out", ours], env, ct);
            var exports = await BenchTiming.InterleaveAsync(options.Runs, cli(cliPublished), async () =>
            {
                File.Delete(peer); // ogr2ogr will not overwrite a GeoJSON file
                return await ChildAsync("ogr2ogr", ["-f", "GeoJSON", peer, OgrConnection(cs), "stations"], null, ct);
            });
            context.Out.WriteLine(BenchTiming.Line("barrio export (ReadyToRun)", exports.Ours, "dotnet barrio.dll export stations"));
            context.Out.WriteLine(BenchTiming.Line("ogr2ogr", exports.Peer, "the same rows to GeoJSON"));
            context.Out.WriteLine(exports.RatioText("ogr2ogr"));
            var cliMedian = BenchTiming.MedianMs(exports.Ours);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  target < {CliTargetMilliseconds:N0} ms end to end (issue 15.2, absolute, beside the ratio): {(cliMedian < CliTargetMilliseconds ? "met" : "MISSED")} ({cliMedian:N0} ms)"));
            var cliJit = Path.Combine(cliBin, "barrio.dll");
            if (File.Exists(cliJit))
            {
                var jit = await BenchTiming.InterleaveAsync(options.Runs, cli(cliPublished), cli(cliJit));
                context.Out.WriteLine(BenchTiming.Line("barrio export (ReadyToRun)", jit.Ours, "bin/Release/net10.0/publish"));
                context.Out.WriteLine(BenchTiming.Line("barrio export (JIT)", jit.Peer, "bin/Release/net10.0 (the plain build)"));
                context.Out.WriteLine(jit.RatioText("JIT"));
            }

            // (c) the stale check of ./barrio up, beside the no-op build it replaces.
            context.Out.WriteLine($"startup (c): ./barrio up --check (the stale check alone) against a no-op dotnet build of the product; {options.Runs} interleaved pairs");
            var script = Path.Combine(root, "barrio");
            var slnf = Path.Combine(root, "BarrioSeguro.Geo.Product.slnf");
            var checks = await BenchTiming.InterleaveAsync(options.Runs,
                () => ChildAsync("bash", [script, "up", "--check"], null, ct),
                () => ChildAsync("dotnet", ["build", slnf, "-c", "Release", "-v", "quiet", "-nologo"], null, ct));
            context.Out.WriteLine(BenchTiming.Line("./barrio up --check", checks.Ours, "find -newer over src/, bin, obj, node_modules pruned"));
            context.Out.WriteLine(BenchTiming.Line("dotnet build (no-op)", checks.Peer, "what a warm start paid before"));
            context.Out.WriteLine(checks.RatioText("no-op build"));
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
        return failed ? ExitCodes.Failure : ExitCodes.Ok;
    }

    /// <summary>Starts the service on a free loopback port and times it to its first 200 on /api/conformance, then
    /// stops it. Returns the milliseconds and the service's own start-up line (where the time went).</summary>
    private static async Task<(double Milliseconds, string? Phases)> ServiceStartAsync(
        string api, string root, string geodata, string cs, CancellationToken ct)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { api, "--contentRoot", Path.Combine(root, "src", "BarrioSeguro.Geo.Api"), "--environment", "Production" })
            psi.ArgumentList.Add(a);
        psi.Environment["BARRIO_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["BARRIO_DB"] = cs;
        psi.Environment["Barrio__LoadSampleData"] = "true";
        psi.Environment["Barrio__SampleDataPath"] = geodata;
        psi.Environment.Remove("Barrio__LocalDatabaseDirectory");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        string? phases = null;
        var output = new List<string>();
        var reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync(ct) is { } line)
            {
                lock (output) output.Add(line);
                var at = line.IndexOf("start-up: ", StringComparison.Ordinal);
                if (at >= 0) phases = line[at..];
            }
        }, ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        // A slow first answer is part of the start (the 3-minute limit below ends a hung one).
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var url = new Uri($"http://127.0.0.1:{port}/api/conformance");
        try
        {
            while (true)
            {
                if (process.HasExited)
                    throw new CommandFailedException($"the service stopped before it answered: {(await errors).Trim()} {string.Join(" ", output.TakeLast(5))}");
                if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new CommandFailedException("the service did not answer within 3 minutes");
                try
                {
                    using var response = await http.GetAsync(url, ct);
                    if (response.StatusCode == HttpStatusCode.OK) break;
                }
                catch (HttpRequestException) { } // not listening yet
                await Task.Delay(10, ct);
            }
            var ms = clock.Elapsed.TotalMilliseconds;
            return (ms, phases ?? Phases(output));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(ct);
            }
            try { await reading; } catch (OperationCanceledException) { }
        }
    }

    private static string? Phases(List<string> output)
    {
        lock (output)
        {
            var line = output.LastOrDefault(l => l.Contains("start-up: ", StringComparison.Ordinal));
            return line?[line.IndexOf("start-up: ", StringComparison.Ordinal)..];
        }
    }

    /// <summary>Runs a child to its end, polling its peak resident set; a non-zero exit fails the benchmark.</summary>
    private static async Task<long?> ChildAsync(string file, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?>? env, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string?>())
            if (v is null) psi.Environment.Remove(k);
            else psi.Environment[k] = v;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        long? peak = null;
        while (!process.WaitForExit(TimeSpan.FromMilliseconds(5)))
            peak = BenchTiming.PeakResidentBytes(process.Id) ?? peak;
        await process.WaitForExitAsync(ct);
        await stdout;
        if (process.ExitCode != 0)
            throw new CommandFailedException($"{file} {string.Join(' ', args)} failed (exit {process.ExitCode}): {(await stderr).Trim()}");
        return peak;
    }

    /// <summary>The same database for GDAL: PG:"host=... port=... dbname=... user=... password=...".</summary>
    private static string OgrConnection(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return "PG:" + string.Join(' ', new[]
        {
            $"host='{b.Host}'", $"port={b.Port.ToString(CultureInfo.InvariantCulture)}", $"dbname='{b.Database}'", $"user='{b.Username}'",
            b.Password is { Length: > 0 } p ? $"password='{p}'" : "",
        }.Where(s => s.Length > 0));
    }

    /// <summary>The same database for psql: a conninfo string (the password goes in PGPASSWORD).</summary>
    private static string PsqlConnection(string cs)
    {
        var b = new NpgsqlConnectionStringBuilder(cs);
        return $"host='{b.Host}' port={b.Port.ToString(CultureInfo.InvariantCulture)} dbname='{b.Database}' user='{b.Username}'";
    }

    private static Dictionary<string, string?>? PsqlEnvironment(string cs) =>
        new NpgsqlConnectionStringBuilder(cs).Password is { Length: > 0 } p ? new() { ["PGPASSWORD"] = p } : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
