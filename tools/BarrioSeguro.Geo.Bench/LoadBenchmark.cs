using System.Net.Http.Json;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// The service under load: the API started in this process on a free loopback port (Kestrel on 127.0.0.1:0) against
/// the database, with the pool of <c>./barrio up</c> (<see cref="LocalPostgisServer.ServicePoolSize"/> connections).
/// First the reads, in interleaved rounds of a fixed number of requests over N connections: street items
/// (<c>items?limit=100</c>, the target: at least 2,000 req/s with p99 under 100 ms, judged on the median of the rounds)
/// against its peer, the same SQL sent straight over Npgsql with N connections of its own (the database's ceiling),
/// then a vector tile, the plans collection and a plan's report. Each round prints req/s, p50/p95/p99, errors and the
/// pool's waits (Npgsql's pending requests at their peak, timeouts). Then the mix for a bounded time: the main reads
/// (street items in a bbox, a neighbourhood, its figures, its plans) and a write (PUT of a neighbourhood the benchmark
/// made, with If-Match: 409 and 412 are expected answers to racing writers). Exits 1 on any 5xx, a request that got
/// no answer, or a pool timeout.
/// </summary>
public sealed class LoadBenchmark : IBenchmark
{
    public const string SecondsOption = "--seconds";
    public const string ConnectionsOption = "--connections";
    public const string RequestsOption = "--requests";
    public const string TokenOption = "--token";
    public const string WritersOption = "--writers";
    public const string RoundOption = "--round";

    // El Milagro, the sample neighbourhood, and the streets around it.
    private const string StreetsBbox = "-79.08,-8.05,-79.05,-8.01";
    private const string BenchSquare = "[[[-79.250,-8.140],[-79.245,-8.140],[-79.245,-8.135],[-79.250,-8.135],[-79.250,-8.140]]]";

    public string Name => "load";

    public string Summary => "The API over loopback, 64 connections: items, tiles and plans in rounds interleaved with Npgsql running the same SQL, then the mix with writes; req/s, p50/p95/p99, errors, pool waits";

    public static string OptionsHelp => """
        load options:
          --round N        requests in each timed round of the reads (items, its peer, tile, plans, plan report),
                           after one untimed warm-up round each; --runs rounds. Default: 6,400 (1 to 1,000,000)
          --seconds N      how long to drive the service with the mix afterwards. Default: 20 (1 to 600)
          --connections N  concurrent connections. Default: 64 (1 to 1,024)
          --requests N     stop after this many requests even before the time is up. Default: 1,000,000
          --writers N      how many of the connections also send the PUT (racing each other). Default: all
          --token TOKEN    sign in with this bearer token; else the benchmark signs in as an admin of its own, made
                           for the run and disabled after it
        """;

    private sealed record Target(string Name, bool Writes, Func<HttpClient, Task<HttpStatusCode>> Send, params HttpStatusCode[] Expected);

    private sealed class Tally
    {
        public readonly ConcurrentQueue<double> Milliseconds = new();
        public int Expected4xx;
        public int Unexpected4xx;
        public int ServerErrors;
        public int NoAnswer;
    }

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var seconds = Whole(options.Args, SecondsOption, 20, 1, 600);
        var connections = Whole(options.Args, ConnectionsOption, 64, 1, 1024);
        var maxRequests = Whole(options.Args, RequestsOption, 1_000_000, 1, 100_000_000);
        var writers = Whole(options.Args, WritersOption, connections, 0, connections);
        var token = options.Args?.Option(TokenOption);
        var round = Whole(options.Args, RoundOption, 6_400, 1, 1_000_000);
        var geodata = BenchTiming.Geodata("sample/el_milagro_barrio_seguro_illustrative.geojson") is { } sample
            ? Path.GetDirectoryName(Path.GetDirectoryName(sample))! : throw new CommandFailedException("geodata/ not found: run from the repository");

        await using var database = await CliDatabase.OpenAsync(options.Db, ct);
        // The pool of ./barrio up on its private server (60 of 100), unless --db names a Maximum Pool Size.
        await using var service = await BenchService.StartAsync(DatabaseConnection.CapPool(database.ConnectionString, LocalPostgisServer.ServicePoolSize),
            TimeSpan.FromSeconds(60), sampleData: geodata, connections: connections);
        var factory = service.Factory;
        var address = service.Address;
        var client = service.Client;
        // Signed in like every user: with --token as given, else as an admin of its own, made for this run and disabled
        // after it (its audit rows stay).
        if (token is null) await service.SignInAsync(Name, ct);
        else service.UseToken(token);
        var benchUser = service.Account;

        var milagro = await MilagroIdAsync(client, ct);
        var (benchId, benchName) = await CreateBenchNeighborhoodAsync(client, ct);
        try
        {
            using var pool = new PoolWatch();
            var readsFailed = await ReadRoundsAsync(options, context, factory, client, database.ConnectionString, milagro, connections, round, pool, ct);

            var version = 1;
            var targets = new List<Target>
            {
                new("GET /api/collections/streets/items?bbox&limit=100", false, c => Status(c.GetAsync($"/api/collections/streets/items?bbox={StreetsBbox}&limit=100", ct))),
                new("GET /api/neighborhoods/{id}", false, c => Status(c.GetAsync($"/api/neighborhoods/{milagro}", ct))),
                new("GET /api/neighborhoods/{id}/figures", false, c => Status(c.GetAsync($"/api/neighborhoods/{milagro}/figures", ct))),
                new("GET /api/neighborhoods/{id}/plans", false, c => Status(c.GetAsync($"/api/neighborhoods/{milagro}/plans", ct))),
                new("PUT /api/neighborhoods/{id} (If-Match)", true, async c =>
                {
                    var seen = Volatile.Read(ref version);
                    using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/neighborhoods/{benchId}") { Content = Body(Feature(benchName, "load")) };
                    put.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{seen}\""));
                    using var response = await c.SendAsync(put, ct);
                    // The next writer starts from the version now current, whether this one won or lost the race.
                    if (response.Headers.ETag?.Tag.Trim('"') is { } etag && int.TryParse(etag, CultureInfo.InvariantCulture, out var now))
                        Interlocked.CompareExchange(ref version, now, seen);
                    else if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.PreconditionFailed
                             && await CurrentVersionAsync(response, ct) is { } current)
                        Interlocked.CompareExchange(ref version, current, seen);
                    return response.StatusCode;
                }, HttpStatusCode.Conflict, HttpStatusCode.PreconditionFailed),
            };

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Load: {connections:N0} connections ({writers:N0} writing) for up to {seconds:N0} s or {maxRequests:N0} requests against {address} (in-process, loopback){(benchUser is null ? ", signed in with --token" : $", signed in as {benchUser}")}"));
            var tallies = targets.ToDictionary(t => t.Name, _ => new Tally());
            var started = 0;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            pool.Start();
            var clock = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
            {
                var mine = worker < writers ? targets : targets.Where(t => !t.Writes).ToList();
                for (var i = worker; !stop.IsCancellationRequested && Interlocked.Increment(ref started) <= maxRequests; i++)
                {
                    var target = mine[i % mine.Count];
                    var tally = tallies[target.Name];
                    var one = Stopwatch.StartNew();
                    try
                    {
                        var status = await target.Send(client);
                        tally.Milliseconds.Enqueue(one.Elapsed.TotalMilliseconds);
                        if ((int)status >= 500) Interlocked.Increment(ref tally.ServerErrors);
                        else if (target.Expected.Contains(status)) Interlocked.Increment(ref tally.Expected4xx);
                        else if ((int)status >= 400) Interlocked.Increment(ref tally.Unexpected4xx);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
                    {
                        Interlocked.Increment(ref tally.NoAnswer);
                    }
                }
            })).ToList();
            await Task.WhenAll(workers);
            var elapsed = clock.Elapsed.TotalSeconds;
            pool.Stop(PoolWatch.Service);

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {"endpoint",-50} {"requests",9} {"req/s",8} {"p50 ms",8} {"p99 ms",8} {"409/412",8} {"4xx",6} {"5xx",6} {"no answer",9}"));
            foreach (var target in targets)
            {
                var t = tallies[target.Name];
                var ms = t.Milliseconds.Order().ToList();
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {target.Name,-50} {ms.Count,9:N0} {ms.Count / elapsed,8:N1} {Percentile(ms, 50),8:N1} {Percentile(ms, 99),8:N1} {t.Expected4xx,8:N0} {t.Unexpected4xx,6:N0} {t.ServerErrors,6:N0} {t.NoAnswer,9:N0}"));
            }
            var all = tallies.Values.SelectMany(t => t.Milliseconds).Order().ToList();
            var serverErrors = tallies.Values.Sum(t => t.ServerErrors);
            var noAnswer = tallies.Values.Sum(t => t.NoAnswer);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {"all",-50} {all.Count,9:N0} {all.Count / elapsed,8:N1} {Percentile(all, 50),8:N1} {Percentile(all, 99),8:N1} {tallies.Values.Sum(t => t.Expected4xx),8:N0} {tallies.Values.Sum(t => t.Unexpected4xx),6:N0} {serverErrors,6:N0} {noAnswer,9:N0}"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {elapsed:N1} s; server errors (5xx): {serverErrors:N0}; requests without an answer: {noAnswer:N0}"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  pool: {pool.Describe(PoolWatch.Service)} in all"));
            return serverErrors + noAnswer == 0 && !readsFailed && pool.Timeouts(PoolWatch.Service) == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }
        finally
        {
            // The benchmark's neighbourhood goes (its revisions with it); the audit rows of its writes stay, as they must.
            // The account made for the run is disabled when the service stops.
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand("DELETE FROM neighborhoods WHERE id = @id", connection);
            drop.Parameters.AddWithValue("id", benchId);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>The path the target is set on (issue 15: at least 2,000 req/s, p99 under 100 ms).</summary>
    public const string ItemsPath = "/api/collections/streets/items?limit=100";
    private const double TargetRate = 2_000, TargetP99 = 100;

    // What the peer sends: the SQL of ItemPage for that page, in one snapshot, over Npgsql alone.
    private const string PeerCount = "SELECT count(*) FROM \"streets\"";
    private const string PeerPage = "SELECT \"id\", \"osm_id\", \"name\", \"class\", \"oneway\", \"layer\", ST_AsGeoJSON(\"geometry\", 15, 0) FROM \"streets\" ORDER BY \"id\" LIMIT 100 OFFSET 0";

    /// <summary>One timed round: milliseconds of each request, errors, requests without an answer, the wall time.</summary>
    private sealed record Round(double[] Milliseconds, int Errors, int NoAnswer, double Seconds, int PoolPeakWaiting, long PoolTimeouts)
    {
        public double Rate => Milliseconds.Length / Seconds;
        public double P(double p) => Percentile(Milliseconds.Order().ToList(), p);
    }

    /// <summary>
    /// Items against the peer, then a tile, the plans collection and a plan's report: one untimed warm-up round each,
    /// then <see cref="BenchOptions.Runs"/> rounds, interleaved (ours, peer, tile, plans, report; ours, peer, ...) so
    /// the machine's load falls on all alike. True when a read failed (an error, no answer or a pool timeout).
    /// </summary>
    private static async Task<bool> ReadRoundsAsync(BenchOptions options, CommandContext context, WebApplicationFactory<global::Program> factory,
        HttpClient client, string connectionString, int milagro, int connections, int round, PoolWatch pool, CancellationToken ct)
    {
        var planId = await PlanIdAsync(client, milagro, ct);
        var (z, x, y) = TileOf(-79.062, -8.018, 15); // El Milagro
        // The page a viewer asks for again is kept by the streets' data version (ItemPageCache): the target's case. The
        // same page with the cache emptied before each request shows what reading and writing the rows costs.
        var kept = factory.Services.GetRequiredService<ItemPageCache>();
        var reads = new List<(string Name, string Path, Action? Before)>
        {
            ("GET " + ItemsPath + " (kept page)", ItemsPath, null),
            ($"GET /api/collections/streets/tiles/WebMercatorQuad/{z}/{y}/{x}", $"/api/collections/streets/tiles/WebMercatorQuad/{z}/{y}/{x}", null),
            ("GET " + ItemsPath + " (cache emptied each request)", ItemsPath, kept.Clear),
            ("GET /api/collections/plans/items?limit=100", "/api/collections/plans/items?limit=100", null),
            ("GET /api/plans/{id} (the plan report)", $"/api/plans/{planId}", null),
        };
        var servicePool = ServicePoolString(factory);
        var peerString = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = connections, ApplicationName = PoolWatch.PeerName }.ConnectionString;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Reads: {options.Runs} rounds of {round:N0} requests on {connections:N0} connections after a warm-up round, interleaved; the service's pool at most {new NpgsqlConnectionStringBuilder(servicePool).MaxPoolSize} connections"));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  peer: Npgsql {typeof(NpgsqlConnection).Assembly.GetName().Version?.ToString(3)} sending the same SQL with {connections:N0} connections of its own (BEGIN REPEATABLE READ; {PeerCount}; {PeerPage}), rows read, nothing written"));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"round",-5} {"",-62} {"req/s",8} {"p50 ms",7} {"p95 ms",7} {"p99 ms",7} {"errors",6} {"no answer",9} {"pool waits",10} {"timeouts",8}"));
        var rounds = reads.ToDictionary(r => r.Name, _ => new List<Round>());
        var peer = new List<Round>();
        var failed = false;
        for (var run = 0; run <= options.Runs; run++)
        {
            var label = run == 0 ? "warm" : run.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, path, before) in reads)
            {
                if (name == reads[1].Name)
                {
                    // The peer right after ours on the same page; each side's idle connections closed before the other runs.
                    ClearServicePool(factory);
                    var theirs = await PeerRoundAsync(peerString, connections, round, pool, ct);
                    Print(context, label, "peer: the same SQL over Npgsql", theirs);
                    if (run > 0) peer.Add(theirs);
                    failed |= theirs.Errors + theirs.NoAnswer > 0;
                }
                var ours = await RoundAsync(connections, round, pool, PoolWatch.Service, async () =>
                {
                    before?.Invoke();
                    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
                    return response.IsSuccessStatusCode;
                });
                Print(context, label, name, ours);
                if (run > 0) rounds[name].Add(ours);
                failed |= ours.Errors + ours.NoAnswer + ours.PoolTimeouts > 0;
            }
        }

        context.Out.WriteLine("  median of the rounds:");
        foreach (var (name, _, _) in reads) Print(context, "", name, Median(rounds[name]));
        Print(context, "", "peer: the same SQL over Npgsql", Median(peer));
        var items = rounds[reads[0].Name];
        // Time per round is the ratio's measure: a fixed number of requests, so the peer's time over ours is our share of its rate.
        var paired = new BenchTiming.Paired(
            items.Select(r => new BenchTiming.Sample(r.Seconds * 1000, 0, null)).ToList(),
            peer.Select(r => new BenchTiming.Sample(r.Seconds * 1000, 0, null)).ToList());
        var rate = BenchTiming.Median(items.Select(r => r.Rate).ToList());
        var p99 = BenchTiming.Median(items.Select(r => r.P(99)).ToList());
        var cold = rounds[reads[2].Name];
        var pairedCold = new BenchTiming.Paired(
            cold.Select(r => new BenchTiming.Sample(r.Seconds * 1000, 0, null)).ToList(),
            peer.Select(r => new BenchTiming.Sample(r.Seconds * 1000, 0, null)).ToList());
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  items?limit=100, kept page: ours / the database's ceiling: {paired.RatioText("Npgsql")} (above 1 ours is faster; the peer reads the page every time, ours its version)"));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  items?limit=100, cache emptied each request: ours / the database's ceiling: {pairedCold.RatioText("Npgsql")} (at most 1 is expected: the peer writes no JSON)"));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target >= {TargetRate:N0} req/s on items?limit=100: {(rate >= TargetRate ? "met" : "MISSED")} ({rate:N0} req/s, median of {items.Count} rounds; {BenchTiming.Median(peer.Select(r => r.Rate).ToList()):N0} req/s for the peer)"));
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target p99 < {TargetP99:N0} ms on items?limit=100: {(p99 < TargetP99 ? "met" : "MISSED")} ({p99:N1} ms, median of {items.Count} rounds)"));
        return failed;
    }

    private static Round Median(List<Round> rounds)
    {
        if (rounds.Count == 0) return new Round([], 0, 0, 1, 0, 0);
        var middle = rounds.OrderBy(r => r.Rate).ElementAt(rounds.Count / 2);
        return middle;
    }

    private static void Print(CommandContext context, string label, string name, Round r) =>
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {label,-5} {name,-62} {r.Rate,8:N0} {r.P(50),7:N1} {r.P(95),7:N1} {r.P(99),7:N1} {r.Errors,6:N0} {r.NoAnswer,9:N0} {r.PoolPeakWaiting,10:N0} {r.PoolTimeouts,8:N0}"));

    /// <summary>A fixed number of requests over N workers; each request timed. An exception is a request without an answer.</summary>
    private static async Task<Round> RoundAsync(int connections, int requests, PoolWatch pool, string poolName, Func<Task<bool>> one)
    {
        var ms = new double[requests];
        var next = -1;
        int errors = 0, noAnswer = 0;
        pool.Start();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(connections, requests)).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    if (!await one()) Interlocked.Increment(ref errors);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or NpgsqlException or TimeoutException)
                {
                    Interlocked.Increment(ref noAnswer);
                }
                ms[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var (waiting, timeouts) = pool.Stop(poolName);
        return new Round(ms, errors, noAnswer, seconds, waiting, timeouts);
    }

    /// <summary>The peer's round: its own pool of N connections, opened before the clock starts and closed after.</summary>
    private static async Task<Round> PeerRoundAsync(string connectionString, int connections, int requests, PoolWatch pool, CancellationToken ct)
    {
        // Never more than the server has free (the service's pool may still hold connections): fewer, said, not a failure.
        var free = await FreeConnectionsAsync(connectionString, ct) - 1;
        if (free < connections)
        {
            connections = Math.Max(1, free);
            connectionString = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = connections }.ConnectionString;
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  (the peer runs with {connections} connections: what the server has free)"));
        }
        await using var source = NpgsqlDataSource.Create(connectionString);
        var open = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => source.OpenConnectionAsync(ct).AsTask()));
        foreach (var c in open) await c.DisposeAsync(); // idle in the peer's pool, as the service's are after its warm-up
        return await RoundAsync(connections, requests, pool, PoolWatch.PeerName, async () =>
        {
            await using var connection = await source.OpenConnectionAsync(ct);
            await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            await using var batch = new NpgsqlBatch(connection, snapshot) { BatchCommands = { new(PeerCount), new(PeerPage) } };
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            _ = reader.GetInt64(0);
            await reader.NextResultAsync(ct);
            var rows = 0;
            while (await reader.ReadAsync(ct))
            {
                _ = reader.GetInt32(0);
                if (!reader.IsDBNull(2)) _ = reader.GetString(2);
                _ = reader.GetString(6);
                rows++;
            }
            return rows == 100;
        });
    }

    /// <summary>The service's connection string, as its DbContext has it (the pool's key).</summary>
    private static string ServicePoolString(WebApplicationFactory<global::Program> factory)
    {
        using var scope = factory.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<DatabaseConnection>().Value;
    }

    /// <summary>Closes the service's idle connections, so that the peer's N fit under max_connections beside them.</summary>
    private static void ClearServicePool(WebApplicationFactory<global::Program> factory)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        if (Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetDbConnection(db.Database) is NpgsqlConnection connection)
            NpgsqlConnection.ClearPool(connection);
        NpgsqlConnection.ClearAllPools(); // idle connections only; also pools EF keyed differently
    }

    /// <summary>The connections the server has free for a non-superuser now (max_connections less the reserve and those open).</summary>
    private static async Task<int> FreeConnectionsAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await using var free = new NpgsqlCommand(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
            + " - coalesce(current_setting('reserved_connections', true)::int, 0) - (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend')", connection);
        return (int)(await free.ExecuteScalarAsync(ct))!;
    }

    /// <summary>A kept plan of El Milagro: the newest, else one computed now (4 sectors, seed 7).</summary>
    private static async Task<int> PlanIdAsync(HttpClient client, int milagro, CancellationToken ct)
    {
        using (var listed = await client.GetAsync($"/api/neighborhoods/{milagro}/plans", ct))
        {
            if (listed.IsSuccessStatusCode && FirstId(JsonNode.Parse(await listed.Content.ReadAsStringAsync(ct))) is { } id) return id;
        }
        using var made = await client.PostAsJsonAsync($"/api/neighborhoods/{milagro}/plans", new { sectors = 4, seed = 7, name = "bench load" }, ct);
        if (!made.IsSuccessStatusCode) throw new CommandFailedException($"could not compute a plan to read: {(int)made.StatusCode} {await made.Content.ReadAsStringAsync(ct)}");
        return JsonNode.Parse(await made.Content.ReadAsStringAsync(ct))!["id"]!.GetValue<int>();
    }

    private static int? FirstId(JsonNode? node) => node switch
    {
        JsonArray a => a.Select(FirstId).FirstOrDefault(i => i is not null),
        JsonObject o when o["id"] is JsonValue v && v.TryGetValue<int>(out var id) => id,
        JsonObject o => o.Select(p => FirstId(p.Value)).FirstOrDefault(i => i is not null),
        _ => null,
    };

    /// <summary>The WebMercatorQuad tile holding a lon/lat point.</summary>
    private static (int Z, int X, int Y) TileOf(double lon, double lat, int z)
    {
        var n = 1 << z;
        var rad = lat * Math.PI / 180;
        return (z, (int)((lon + 180) / 360 * n), (int)((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n));
    }

    /// <summary>
    /// Npgsql's pool metrics ("Npgsql" meter): requests waiting for a connection (their peak) and pool timeouts, per
    /// pool (the service's, or the peer's by its application name).
    /// </summary>
    private sealed class PoolWatch : IDisposable
    {
        public const string Service = "service";
        public const string PeerName = "barrio-bench-peer";
        private readonly MeterListener _listener = new();
        private readonly ConcurrentDictionary<string, long> _pending = new(), _peak = new(), _timeouts = new(), _timeoutsAtStart = new(), _allTimeouts = new();
        private readonly ConcurrentDictionary<string, long> _peakAll = new();
        private Timer? _poll;

        public PoolWatch()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Npgsql" && instrument.Name is "db.client.connection.npgsql.pending_requests" or "db.client.connection.npgsql.timeouts")
                    listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
            _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
            _listener.Start();
        }

        private static string PoolOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var t in tags)
                if (t.Key == "db.client.connection.pool.name" && t.Value is string name && name.Contains(PeerName, StringComparison.Ordinal)) return PeerName;
            return Service;
        }

        private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var pool = PoolOf(tags);
            var observable = instrument.GetType().Name.StartsWith("Observable", StringComparison.Ordinal);
            if (instrument.Name.EndsWith("timeouts", StringComparison.Ordinal))
            {
                // An observable counter reports the total so far; a counter its increments.
                if (observable) _timeouts[pool] = value;
                else _timeouts.AddOrUpdate(pool, value, (_, t) => t + value);
                return;
            }
            var now = observable ? (_pending[pool] = value) : _pending.AddOrUpdate(pool, value, (_, p) => p + value);
            _peak.AddOrUpdate(pool, now, (_, p) => Math.Max(p, now));
            _peakAll.AddOrUpdate(pool, now, (_, p) => Math.Max(p, now));
        }

        public void Start()
        {
            _peak.Clear();
            foreach (var (pool, t) in _timeouts) _timeoutsAtStart[pool] = t;
            _poll = new Timer(_ => _listener.RecordObservableInstruments(), null, 0, 20);
        }

        /// <summary>The peak of waiting requests and the timeouts of one pool since <see cref="Start"/>.</summary>
        public (int Waiting, long Timeouts) Stop(string pool)
        {
            _poll?.Dispose();
            _listener.RecordObservableInstruments();
            var timeouts = _timeouts.GetValueOrDefault(pool) - _timeoutsAtStart.GetValueOrDefault(pool);
            _allTimeouts.AddOrUpdate(pool, timeouts, (_, t) => t + timeouts);
            return ((int)_peak.GetValueOrDefault(pool), timeouts);
        }

        public long Timeouts(string pool) => _timeouts.GetValueOrDefault(pool);

        public string Describe(string pool) => string.Create(CultureInfo.InvariantCulture,
            $"at most {_peakAll.GetValueOrDefault(pool):N0} requests waited for a connection at once, {_timeouts.GetValueOrDefault(pool):N0} timed out");

        public void Dispose()
        {
            _poll?.Dispose();
            _listener.Dispose();
        }
    }

    private static int Whole(CommandArgs? args, string option, int fallback, int min, int max)
    {
        if (args?.Option(option) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option} must be a whole number from {min:N0} to {max:N0}, not '{text}'"));
        return value;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static async Task<HttpStatusCode> Status(Task<HttpResponseMessage> request)
    {
        using var response = await request;
        await response.Content.ReadAsByteArrayAsync(); // the whole answer, as a client reads it
        return response.StatusCode;
    }

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/geo+json");

    private static string Feature(string name, string comment) =>
        $$$"""{"type":"Feature","properties":{"name":"{{{name}}}","districtUbigeo":"130104","comment":"{{{comment}}}"},"geometry":{"type":"Polygon","coordinates":{{{BenchSquare}}}}}""";

    private static async Task<int?> CurrentVersionAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct));
            return body?["currentVersion"]?.GetValue<int>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static async Task<int> MilagroIdAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.GetAsync("/api/collections/neighborhoods/items?limit=1000", ct);
        if (!response.IsSuccessStatusCode) throw new CommandFailedException($"the service answered {(int)response.StatusCode} to the neighbourhoods ");
        var all = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!["features"]!.AsArray();
        return all.FirstOrDefault(f => f?["properties"]?["name"]?.GetValue<string>() == "El Milagro")?["properties"]?["id"]?.GetValue<int>()
               ?? throw new CommandFailedException("the sample neighbourhood El Milagro is not in the database");
    }

    private static async Task<(int Id, string Name)> CreateBenchNeighborhoodAsync(HttpClient client, CancellationToken ct)
    {
        var name = $"bench load {Guid.NewGuid():N}"[..24];
        using var created = await client.PostAsync("/api/neighborhoods", Body(Feature(name, "bench load: created")), ct);
        if (created.StatusCode != HttpStatusCode.Created)
            throw new CommandFailedException($"could not create the benchmark's neighbourhood: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync(ct)}");
        return (int.Parse(created.Headers.Location!.ToString().Split('/').Last(), CultureInfo.InvariantCulture), name);
    }
}
