using BarrioSeguro.Geo.Data.Accounts;
using System.Net.Http.Json;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Cli.Commands;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// The service under load: the API started in this process on a free loopback port (Kestrel on 127.0.0.1:0) against
/// the database, driven by N connections for a bounded time and a bounded number of requests over the main reads
/// (street items in a bbox, a neighbourhood, its figures, its plans) and a write (PUT of a neighbourhood the benchmark
/// made, with If-Match: 409 and 412 are expected answers to racing writers). Reports requests/s, p50 and p99 in ms and
/// the errors per endpoint; exits 1 on any 5xx (or a request that got no answer).
/// </summary>
public sealed class LoadBenchmark : IBenchmark
{
    public const string SecondsOption = "--seconds";
    public const string ConnectionsOption = "--connections";
    public const string RequestsOption = "--requests";
    public const string TokenOption = "--token";
    public const string WritersOption = "--writers";

    // El Milagro, the sample neighbourhood, and the streets around it.
    private const string StreetsBbox = "-79.08,-8.05,-79.05,-8.01";
    private const string BenchSquare = "[[[-79.250,-8.140],[-79.245,-8.140],[-79.245,-8.135],[-79.250,-8.135],[-79.250,-8.140]]]";

    public string Name => "load";

    public string Summary => "The API over loopback: 64 connections for 20 s on the main reads and a write; req/s, p50/p99, errors";

    public static string OptionsHelp => """
        load options:
          --seconds N      how long to drive the service. Default: 20 (1 to 600)
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
        var geodata = BenchTiming.Geodata("sample/el_milagro_barrio_seguro_illustrative.geojson") is { } sample
            ? Path.GetDirectoryName(Path.GetDirectoryName(sample))! : throw new CommandFailedException("geodata/ not found: run from the repository");

        await using var database = await CliDatabase.OpenAsync(options.Db, ct);
        await using var factory = new WebApplicationFactory<global::Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:ConnectionString", database.ConnectionString);
            web.UseSetting("Barrio:LoadSampleData", "true");
            web.UseSetting("Barrio:SampleDataPath", geodata);
            web.UseSetting("urls", "http://127.0.0.1:0"); // loopback only, a port the system chooses
            // The service's own folder (appsettings.json, wwwroot): beside geodata/ in the repository.
            var api = Path.Combine(Path.GetDirectoryName(geodata)!, "src", "BarrioSeguro.Geo.Api");
            web.UseContentRoot(Directory.Exists(api) ? api : AppContext.BaseDirectory);
            web.ConfigureLogging(l => l.ClearProviders()); // the report is the output; a 5xx is counted, not logged here
        });
        factory.UseKestrel();
        factory.StartServer();
        var address = new Uri(factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        if (!IPAddress.IsLoopback(IPAddress.Parse(address.Host))) throw new CommandFailedException($"the service is not on loopback: {address}");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var client = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        // Signed in like every user: with --token as given, else as an admin of its own, made for this run and disabled
        // after it (its audit rows stay).
        string? benchUser = null;
        if (token is null)
        {
            benchUser = $"bench-load-{Guid.NewGuid():N}"[..24];
            var password = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));
            await using (var scope = factory.Services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<AccountStore>().AddAsync(benchUser, password, Role.Admin, [], ct);
            var signIn = await client.PostAsJsonAsync("/api/auth/token", new { username = benchUser, password }, ct);
            if (!signIn.IsSuccessStatusCode) throw new CommandFailedException($"the benchmark could not sign in: {(int)signIn.StatusCode}");
            token = System.Text.Json.JsonDocument.Parse(await signIn.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("access_token").GetString();
        }
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var milagro = await MilagroIdAsync(client, ct);
        var (benchId, benchName) = await CreateBenchNeighborhoodAsync(client, ct);
        try
        {
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
            return serverErrors + noAnswer == 0 ? ExitCodes.Ok : ExitCodes.Failure;
        }
        finally
        {
            // The benchmark's neighbourhood goes (its revisions with it); the audit rows of its writes stay, as they must.
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand("DELETE FROM neighborhoods WHERE id = @id", connection);
            drop.Parameters.AddWithValue("id", benchId);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
            if (benchUser is not null)
            {
                await using var scope = factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<AccountStore>().DisableAsync(benchUser, CancellationToken.None);
            }
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
