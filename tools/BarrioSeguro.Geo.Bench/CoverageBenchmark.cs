using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Sectors;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using NetTopologySuite.IO;
using BarrioSeguro.Geo.Bench.Peers;
using BarrioSeguro.Geo.Bench.Synthetic;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// Coverage against pgRouting's <c>pgr_drivingDistance</c> from the same start nodes on the same edge table, every
/// case interleaved (ours, pgRouting, ours, ...; <see cref="BenchTiming.InterleaveAsync(int, Func{Task}, Func{Task}, int)"/>)
/// and judged on the median ratio:
/// <list type="bullet">
/// <item>the search alone, in process: 10 units by car on a deterministic 30,012-edge grid
/// (<see cref="SyntheticStreets.Grid"/>; target under 200 ms and ≥ 10x), 10 units on foot on El Milagro (≥ 10x), and the
/// metro area (<see cref="MetroArea"/>, 3 copies; the units are the extract's police stations, copied) on foot and by
/// car, with the gen-2 collections the search caused (target: none);</item>
/// <item>the metro area end to end: the built Release CLI (<c>barrio coverage</c>, report only) as a process, with a
/// cold graph cache and a warm one, against the same question as SQL (<c>pgr_drivingDistance</c> over a fresh Npgsql
/// connection); target under 1.5 s with the cache warm;</item>
/// <item>the metro area as a request to the running service with the graph kept: the API started in this process on
/// loopback (<see cref="BenchService"/>), signed in, <c>POST /api/plans/{id}/coverage</c> with the units
/// at the stations of a made-up metro neighbourhood, after warm-up requests that build and keep the graph, against
/// the same question in SQL (<c>pgr_drivingDistance</c> over a pooled Npgsql connection on that same graph); target
/// under 200 ms; the service's own Server-Timing (input, search, keep) is printed beside. <c>--quick</c> runs the
/// small cases and this one only.</item>
/// </list>
/// Node times are compared with pgRouting's (equal within 1e-6 s) in process.
/// </summary>
public sealed class CoverageBenchmark : IBenchmark
{
    private const int GridSide = 123;
    private const double TargetMilliseconds = 200;
    private const double TargetRatio = 10;
    private const double TargetCliMilliseconds = 1500;
    private const double TargetServiceMilliseconds = 200;
    private const string ServiceNeighborhood = "bench coverage metro";
    private const double Tolerance = 1e-6;

    // A run takes milliseconds: one warm-up leaves much of the .NET code (ours, NetTopologySuite's) still at the
    // first, unoptimised tier of the JIT, which moves it up only after about 30 calls. Both sides get the same warm-up.
    private const int Warmups = 30;

    public string Name => "coverage";

    public string Summary => "Coverage on a 30,000-edge grid, El Milagro and the metro area, in process and CLI end to end, interleaved with pgr_drivingDistance";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var ok = true;
        var clock = Stopwatch.StartNew();
        var gridStreets = SyntheticStreets.Grid(GridSide, GridSide);
        var grid = StreetGraph.Build(gridStreets, TravelMode.Car);
        var gridBuild = clock.Elapsed.TotalMilliseconds;
        var gridUnits = SyntheticStreets.GridUnits(GridSide, GridSide, 10);

        var milagroPath = BenchTiming.Geodata("osm/el_milagro_streets_wgs84.geojson")
                          ?? throw new CommandFailedException("geodata/osm/el_milagro_streets_wgs84.geojson not found: run from the repository");
        clock.Restart();
        var milagro = StreetGraph.Build(StreetLines.Network(VectorFile.Read(milagroPath)), TravelMode.Foot);
        var milagroBuild = clock.Elapsed.TotalMilliseconds;
        var milagroNodes = milagro.Edges.Where(e => e.Component == 0).Select(e => e.From).Distinct().Order().ToList();
        var milagroUnits = Enumerable.Range(0, 10).Select(i => milagro.NodeLonLat(milagroNodes[i * milagroNodes.Count / 10])).ToList();

        await using var database = await BenchTiming.OpenPeerAsync(options.Db, ct);
        NpgsqlConnection? connection = null;
        if (database is not null)
        {
            connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(ct);
            try { await PgRouting.EnsureAsync(connection, ct); }
            catch (PostgresException e) { throw new CommandFailedException($"pgRouting is not available in the database: {e.MessageText}", e); }
        }
        try
        {
            ok &= await Case(context, options, connection, $"grid {GridSide}x{GridSide}, car, 10 units, 3 min", grid, gridBuild, gridUnits, 3, true, ct);
            ok &= await Case(context, options, connection, "El Milagro, foot, 10 units, 10 min", milagro, milagroBuild, milagroUnits, 10, false, ct, area: true);
            if (!options.Quick) ok &= await MetroAsync(context, options, connection, database?.ConnectionString, ct);
            if (database is null) context.Out.WriteLine("coverage: metro area, request to the service: skipped (no database: give --db CONNECTION or set BARRIO_DB or BARRIO_LOCAL_DB)");
            else ok &= await ServiceAsync(context, options, database.ConnectionString, ct);
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
        context.Out.WriteLine(ok ? "  all targets met" : "  a target was MISSED");
        return ok ? ExitCodes.Ok : ExitCodes.Failure;
    }

    /// <summary>The search alone, in process, interleaved with pgr_drivingDistance on the same graph.</summary>
    private static async Task<bool> Case(CommandContext context, BenchOptions options, NpgsqlConnection? connection, string title,
        StreetGraph graph, double buildMs, List<Point> units, double minutes, bool targeted, CancellationToken ct, int warmups = Warmups,
        bool area = false)
    {
        var ok = true;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coverage: {title}: {graph.Edges.Count:N0} edges, {graph.NodeCount:N0} nodes (graph built in {buildMs:N0} ms, not timed); {options.Runs} interleaved pairs after {warmups} warm-ups"));
        CoverageResult ours = Coverage.Compute(graph, units, minutes);
        var starts = ours.UnitsSnapped.Select(u => u.At.Fraction == 0 ? graph.Edges[u.At.Edge].From
            : u.At.Fraction == 1 ? graph.Edges[u.At.Edge].To : throw new CommandFailedException($"{u.Name} is not on a node")).ToList();
        Task Ours()
        {
            // The one before goes back to the graph's pool, as the service disposes its results.
            var before = ours;
            ours = Coverage.Compute(graph, units, minutes);
            before.Dispose();
            return Task.CompletedTask;
        }

        double[]? theirs = null;
        BenchTiming.Paired? paired = null;
        IReadOnlyList<BenchTiming.Sample> ourSamples;
        if (connection is null)
            ourSamples = await BenchTiming.RepeatAsync(options.Runs, Ours, warmups);
        else
        {
            await PgRouting.LoadAsync(connection, graph, ct: ct);
            paired = await BenchTiming.InterleaveAsync(options.Runs, Ours,
                async () => theirs = await PgRouting.DrivingDistanceAsync(connection, graph.NodeCount, starts, minutes * 60, ct: ct), warmups);
            ourSamples = paired.Ours;
        }
        var ourTimes = ourSamples.Select(s => s.Milliseconds).ToList();
        var what = string.Create(CultureInfo.InvariantCulture,
            $"{ours.Figures.CoveredStreetKmPct:N1} % of {ours.Figures.StreetKm:N1} km covered, backup {ours.Figures.BackupStreetKmPct:N1} %, {ours.NodeSeconds.Count(double.IsFinite):N0} nodes reached");
        context.Out.WriteLine(BenchTiming.Line("BarrioSeguro Coverage", ourSamples, what));

        // Gen-2 collections of the search alone: no forced collection between runs, as in a service.
        var gen2 = GC.CollectionCount(2);
        for (var i = 0; i < Math.Max(20, options.Runs); i++) Coverage.Compute(graph, units, minutes).Dispose();
        gen2 = GC.CollectionCount(2) - gen2;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  gen-2 collections in {Math.Max(20, options.Runs)} searches back to back: {gen2} (target 0: {(gen2 == 0 ? "met" : "MISSED")})"));
        ok &= gen2 == 0;

        var clock = Stopwatch.StartNew();
        var pieces = ours.CoveredPieces().NumGeometries + ours.UncoveredPieces().NumGeometries;
        var piecesMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var covered = ours.CoveredArea();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  geometry, only on request: pieces {piecesMs:N0} ms ({pieces:N0}), covered area {clock.Elapsed.TotalMilliseconds:N0} ms, first call ({covered.NumGeometries:N0} polygons, tiles of {BarrioSeguro.Geo.Core.Spatial.LineBuffer.DefaultTileSize:N0} m buffered apart, one union)"));
        if (targeted)
        {
            var median = BenchTiming.Median(ourTimes);
            var met = median < TargetMilliseconds;
            ok &= met;
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  target < {TargetMilliseconds:N0} ms: {(met ? "met" : "MISSED")} ({median:N1} ms)"));
        }

        if (paired is null)
        {
            context.Out.WriteLine("  pgRouting: skipped (no database: give --db CONNECTION or set BARRIO_DB)");
            return ok;
        }
        var version = await PgRouting.VersionAsync(connection!, ct);
        context.Out.WriteLine(BenchTiming.Line($"pgRouting {version}", paired.Peer, string.Create(CultureInfo.InvariantCulture,
            $"pgr_drivingDistance, {theirs!.Count(double.IsFinite):N0} nodes reached")));

        int mismatched = 0;
        var worst = 0.0;
        for (var n = 0; n < graph.NodeCount; n++)
        {
            double a = ours.NodeSeconds[n], b = theirs![n];
            if (double.IsFinite(a) != double.IsFinite(b)) { mismatched++; continue; }
            if (double.IsFinite(a)) worst = Math.Max(worst, Math.Abs(a - b));
        }
        var agree = mismatched == 0 && worst <= Tolerance;
        ok &= agree;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  node times: {(agree ? "identical" : "DIFFERENT")} (largest difference {worst:E1} s, {mismatched} nodes reached by one side only)"));
        var fast = paired.Meets(TargetRatio);
        ok &= fast;
        context.Out.WriteLine(paired.RatioText("pgRouting") + string.Create(CultureInfo.InvariantCulture, $" (target ≥ {TargetRatio:N0}: {(fast ? "met" : "MISSED")})"));
        if (area) ok &= await AreaAsync(context, options, connection!, title, graph, ours, warmups >= Warmups ? 3 : 1, ct);
        return ok;
    }

    /// <summary>
    /// The covered area of a search's result (<see cref="CoverageResult.CoveredArea"/>: tiles buffered apart, one union)
    /// interleaved with PostGIS's one <c>ST_Buffer(pieces, 30 m, 'endcap=flat quad_segs=4')</c> of the same covered
    /// pieces (kept in UTM in a temporary table of a connection of its own, sent back as lon/lat WKB as ours is made in
    /// lon/lat); then the two areas compared in PostGIS. Target: ratio PostGIS / ours ≥ 1.
    /// </summary>
    private static async Task<bool> AreaAsync(CommandContext context, BenchOptions options, NpgsqlConnection shared, string title,
        StreetGraph graph, CoverageResult ours, int warmups, CancellationToken ct)
    {
        var pieces = ours.CoveredPieces();
        if (pieces.IsEmpty)
        {
            context.Out.WriteLine("  covered area: nothing covered, not timed");
            return true;
        }
        var distance = new CoverageOptions().AreaBufferM * graph.ScaleFactor;
        var wkb = new WKBWriter();
        // A connection of its own: its backend's peak resident set is the buffer's alone.
        await using var connection = shared.CloneWith(shared.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var create = new NpgsqlCommand("CREATE TEMPORARY TABLE bench_covered_pieces AS SELECT ST_Transform(ST_GeomFromWKB($1, 4326), $2) AS g", connection))
        {
            create.Parameters.Add(new NpgsqlParameter { Value = wkb.Write(pieces) });
            create.Parameters.Add(new NpgsqlParameter { Value = graph.UtmEpsg });
            await create.ExecuteNonQueryAsync(ct);
        }
        var backend = connection.ProcessID;
        Geometry? area = null;
        byte[]? theirs = null;
        Task<long?> Ours()
        {
            area = ours.CoveredArea();
            return Task.FromResult<long?>(null);
        }
        async Task<long?> Peer()
        {
            await using var buffer = new NpgsqlCommand(
                "SELECT ST_AsBinary(ST_Transform(ST_Buffer(g, $1, 'endcap=flat quad_segs=4'), 4326)) FROM bench_covered_pieces", connection);
            buffer.Parameters.Add(new NpgsqlParameter { Value = distance });
            theirs = (byte[])(await buffer.ExecuteScalarAsync(ct))!;
            return BenchTiming.PeakResidentBytes(backend);
        }
        var paired = await BenchTiming.InterleaveAsync(options.Runs, Ours, Peer, warmups);

        double theirArea, ourArea, difference;
        string version;
        bool valid;
        await using (var compare = new NpgsqlCommand("""
            SELECT ST_Area(t), ST_Area(o), ST_Area(ST_SymDifference(o, t)), postgis_lib_version() || ' (GEOS ' || postgis_geos_version() || ')', ST_IsValid(o)
            FROM (SELECT ST_Transform(ST_GeomFromWKB($1, 4326), $3) AS o, ST_Transform(ST_GeomFromWKB($2, 4326), $3) AS t) AS both_areas
            """, connection))
        {
            compare.Parameters.Add(new NpgsqlParameter { Value = wkb.Write(area!) });
            compare.Parameters.Add(new NpgsqlParameter { Value = theirs! });
            compare.Parameters.Add(new NpgsqlParameter { Value = graph.UtmEpsg });
            await using var reader = await compare.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (theirArea, ourArea, difference, version) = (reader.GetDouble(0), reader.GetDouble(1), reader.GetDouble(2), reader.GetString(3));
            valid = reader.GetBoolean(4) && area!.IsValid;
        }
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  covered area: {pieces.NumGeometries:N0} covered pieces, buffered by {distance:N2} m (30 ground m); {options.Runs} interleaved pairs after {warmups} warm-up(s)"));
        context.Out.WriteLine(BenchTiming.Line("BarrioSeguro CoveredArea", paired.Ours, string.Create(CultureInfo.InvariantCulture,
            $"{area!.NumGeometries:N0} polygons, tiles of {BarrioSeguro.Geo.Core.Spatial.LineBuffer.DefaultTileSize:N0} m on {Environment.ProcessorCount} cores, one union; lon/lat")));
        context.Out.WriteLine(BenchTiming.Line($"PostGIS ST_Buffer", paired.Peer, $"PostGIS {version}, one buffer of the same pieces, lon/lat WKB back; peak: the backend's resident set"));
        context.Out.WriteLine(paired.RatioText("PostGIS"));
        var agree = Math.Abs(ourArea - theirArea) <= 0.005 * theirArea && difference <= 0.005 * theirArea && valid;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  areas: ours {ourArea / 1e6:N4} km², PostGIS {theirArea / 1e6:N4} km² (UTM), symmetric difference {difference:N0} m² = {100 * difference / theirArea:N3} % ({(agree ? "the same area" : "DIFFERENT")}: within 0.5 %); ours {(valid ? "valid" : "NOT VALID")} for NTS and PostGIS"));
        var fast = paired.Meets(1);
        return options.Verdicts.Judge(context, "coverage", $"{title.Replace(", search in process", "")}, covered area", paired, "ratio PostGIS ST_Buffer / ours ≥ 1", fast,
            string.Create(CultureInfo.InvariantCulture, $"median ratio {paired.MedianRatio:N2}, range {paired.Ratios.Min():N2}-{paired.Ratios.Max():N2}; ours {BenchTiming.MedianMs(paired.Ours):N0} ms, {BenchTiming.MedianAllocatedMiB(paired.Ours):N0} MiB allocated"))
            && agree;
    }

    /// <summary>The metro area: the search in process, then the CLI end to end (cold and warm graph cache) against the SQL.</summary>
    private static async Task<bool> MetroAsync(CommandContext context, BenchOptions options, NpgsqlConnection? connection, string? connectionString,
        CancellationToken ct)
    {
        var ok = true;
        var folder = Path.Combine(Path.GetTempPath(), $"barrio-bench-coverage-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        try
        {
            var streetsPath = MetroArea.WriteStreets(folder);
            var stationsPath = MetroArea.WriteStations(folder);
            var streets = StreetLines.Network(MetroArea.Streets());
            var stations = MetroArea.Stations().Features.Select(f => f.Geometry).OfType<Point>().ToList();
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"coverage: metro area (MADE UP at city scale: the real extract's {streets.Count / MetroArea.DefaultCopies:N0} highway ways laid {MetroArea.DefaultCopies} times side by side = {streets.Count:N0} ways; our data has no whole-metro extract), {stations.Count} units (the extract's police stations, copied)"));
            foreach (var (mode, minutes) in new[] { (TravelMode.Foot, 10.0), (TravelMode.Car, 3.0) })
            {
                var clock = Stopwatch.StartNew();
                var graph = StreetGraph.Build(streets, mode);
                var build = clock.Elapsed.TotalMilliseconds;
                // The peer starts at nodes: our units stand at the node nearest each station, so both answer the same question.
                var nodes = stations.Select(p => graph.Snap(p, 10_000)).OfType<EdgeLocation>()
                    .Select(at => at.Fraction < 0.5 ? graph.Edges[at.Edge].From : graph.Edges[at.Edge].To).Distinct().ToList();
                var units = nodes.Select(graph.NodeLonLat).ToList();
                ok &= await Case(context, options, connection, string.Create(CultureInfo.InvariantCulture, $"metro, {mode.Name()}, {units.Count} units, {minutes:0} min, search in process"),
                    graph, build, units, minutes, false, ct, warmups: 5, area: true);
                ok &= await EndToEndAsync(context, options, connectionString, folder, streetsPath, stationsPath, graph, nodes, mode, minutes, ct);
            }
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
        return ok;
    }

    /// <summary>The built Release CLI as a process (report only), cold cache and warm cache, interleaved with the SQL over a fresh connection.</summary>
    private static async Task<bool> EndToEndAsync(CommandContext context, BenchOptions options, string? connectionString, string folder,
        string streetsPath, string stationsPath, StreetGraph graph, List<int> starts, TravelMode mode, double minutes, CancellationToken ct)
    {
        var repository = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(BenchTiming.Geodata(MetroArea.ExtractFile))!, "..", ".."));
        var dll = Path.Combine(repository, "src", "BarrioSeguro.Geo.Cli", "bin", "Release", "net10.0", "barrio.dll");
        if (!File.Exists(dll))
        {
            context.Out.WriteLine($"  CLI end to end: skipped ({dll} not built: dotnet build src/BarrioSeguro.Geo.Cli -c Release)");
            return true;
        }
        var cache = Path.Combine(folder, $"cache-{mode.Name()}");
        var report = Path.Combine(folder, $"report-{mode.Name()}.json");
        string? lastError = null;
        async Task<long?> Cli(bool cold)
        {
            if (cold && Directory.Exists(cache)) Directory.Delete(cache, recursive: true);
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                ArgumentList = { dll, "coverage", "--streets", streetsPath, "--units", stationsPath, "--mode", mode.Name(),
                    "--minutes", minutes.ToString(CultureInfo.InvariantCulture), "--report", report, "--graph-cache", cache },
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var error = process.StandardError.ReadToEndAsync(ct);
            long? peak = null;
            while (!process.HasExited)
            {
                peak = BenchTiming.PeakResidentBytes(process.Id) ?? peak;
                await Task.Delay(10, ct);
            }
            await process.WaitForExitAsync(ct);
            await output;
            if (process.ExitCode != 0) lastError = (await error).Trim();
            return peak;
        }

        // The same question in SQL, as a client would ask it: a fresh connection, pgr_drivingDistance, the rows back.
        Func<Task<long?>>? sql = null;
        const string table = "bench_coverage_edges";
        if (connectionString is not null)
        {
            await using (var load = new NpgsqlConnection(connectionString))
            {
                await load.OpenAsync(ct);
                await PgRouting.LoadAsync(load, graph, table, temporary: false, ct: ct);
            }
            sql = async () =>
            {
                await using var c = new NpgsqlConnection(connectionString);
                await c.OpenAsync(ct);
                await PgRouting.DrivingDistanceAsync(c, graph.NodeCount, starts, minutes * 60, table, ct);
                return null;
            };
        }
        var ok = true;
        try
        {
            foreach (var cold in new[] { true, false })
            {
                var label = cold ? "CLI, cold graph cache" : "CLI, warm graph cache";
                if (!cold) await Cli(false); // fills the cache
                var paired = await BenchTiming.InterleaveAsync(options.Runs, () => Cli(cold), sql ?? (() => Task.FromResult<long?>(null)), warmups: 1);
                if (lastError is not null) throw new CommandFailedException($"barrio coverage failed: {lastError}");
                var median = BenchTiming.Median(paired.OurMs);
                context.Out.WriteLine(BenchTiming.Line($"barrio coverage ({label})", paired.Ours, "process end to end, report only"));
                if (sql is not null)
                {
                    context.Out.WriteLine(BenchTiming.Line("pgr_drivingDistance SQL", paired.Peer, "fresh Npgsql connection, same start nodes"));
                    context.Out.WriteLine(paired.RatioText("pgRouting SQL"));
                }
                if (!cold)
                {
                    var met = median < TargetCliMilliseconds;
                    ok &= met;
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  target end to end < {TargetCliMilliseconds:N0} ms with the graph kept: {(met ? "met" : "MISSED")} ({median:N0} ms)"));
                }
            }
        }
        finally
        {
            if (connectionString is not null)
            {
                await using var drop = new NpgsqlConnection(connectionString);
                await drop.OpenAsync(ct);
                await using var cmd = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}", drop);
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }
        return ok;
    }

    /// <summary>
    /// The metro area as a request to the running service with the graph kept, interleaved with pgr_drivingDistance on
    /// the graph the service keeps (read back from its cache), from the nodes nearest the same stations.
    /// </summary>
    private static async Task<bool> ServiceAsync(CommandContext context, BenchOptions options, string connectionString, CancellationToken ct)
    {
        var ok = true;
        // The warm-ups and the timed pairs are more than the 20 computations a minute a user may ask for.
        await using var service = await BenchService.StartAsync(connectionString, TimeSpan.FromMinutes(15), unlimited: ["CoveragePerWindow"]);
        await service.SignInAsync("coverage", ct);
        var (factory, client) = (service.Factory, service.Client);

        var clock = Stopwatch.StartNew();
        var (planId, streets, stations) = await LoadMetroPlanAsync(factory, connectionString, ct);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coverage: metro area, request to the running service (MADE UP at city scale: {streets:N0} ways, the real extract {MetroArea.DefaultCopies} times side by side; our data has no whole-metro extract), units at the {stations} stations in and around a neighbourhood covering it all (loaded in {clock.Elapsed.TotalSeconds:N1} s)"));
        await using var peerSource = NpgsqlDataSource.Create(connectionString);
        const string table = "bench_coverage_service_edges";
        try
        {
            foreach (var (mode, minutes) in new[] { (TravelMode.Foot, 10.0), (TravelMode.Car, 3.0) })
            {
                var body = new { mode = mode.Name(), minutes, units = "stations" };
                var timings = new List<Dictionary<string, double>>();
                string what = "";
                async Task Ours()
                {
                    using var response = await client.PostAsJsonAsync($"/api/plans/{planId}/coverage", body, ct);
                    var text = await response.Content.ReadAsStringAsync(ct);
                    if (response.StatusCode != HttpStatusCode.Created)
                        throw new CommandFailedException($"POST /api/plans/{planId}/coverage answered {(int)response.StatusCode}: {text}");
                    if (response.Headers.TryGetValues("Server-Timing", out var values)) timings.Add(ServerTiming(string.Join(",", values)));
                    var report = JsonNode.Parse(text)!.AsArray()[0]!["report"]!;
                    var figures = report["figures"]!;
                    what = string.Create(CultureInfo.InvariantCulture,
                        $"{figures["coveredStreetKmPct"]!.GetValue<double>():N1} % of {figures["streetKm"]!.GetValue<double>():N1} km covered, {report["unitsSnapped"]!.AsArray().Count} units");
                }

                // Warm-ups first: the first request builds the graph and the blocks and keeps them.
                clock.Restart();
                await Ours();
                var first = clock.Elapsed.TotalMilliseconds;
                StreetGraph graph;
                List<int> starts;
                await using (var scope = factory.Services.CreateAsyncScope())
                {
                    var input = await scope.ServiceProvider.GetRequiredService<PlanStore>().NetworkInputAsync(planId, mode.Name(), ct)
                                ?? throw new CommandFailedException($"plan {planId} is gone");
                    graph = input.Graph;
                    starts = input.Stations.Select(s => graph.Snap(s.Place, 10_000)).OfType<EdgeLocation>()
                        .Select(at => at.Fraction < 0.5 ? graph.Edges[at.Edge].From : graph.Edges[at.Edge].To).Distinct().ToList();
                }
                await using (var load = await peerSource.OpenConnectionAsync(ct))
                    await PgRouting.LoadAsync(load, graph, table, temporary: false, ct: ct);
                double[]? theirs = null;
                async Task Peer()
                {
                    await using var c = await peerSource.OpenConnectionAsync(ct);
                    theirs = await PgRouting.DrivingDistanceAsync(c, graph.NodeCount, starts, minutes * 60, table, ct);
                }
                timings.Clear();
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {mode.Name()}, {minutes:0} min: graph {graph.Edges.Count:N0} edges, {graph.NodeCount:N0} nodes; first request (builds and keeps the graph and the blocks) {first / 1000:N1} s; {options.Runs} interleaved pairs after 3 warm-ups"));
                var paired = await BenchTiming.InterleaveAsync(options.Runs, Ours, Peer, warmups: 3);
                var kept = timings.Skip(timings.Count - options.Runs).ToList();
                var phases = kept.Count == 0 ? "" : "; the service's Server-Timing, median: " + string.Join(", ",
                    kept.SelectMany(t => t.Keys).Distinct().Select(k => string.Create(CultureInfo.InvariantCulture,
                        $"{k} {BenchTiming.Median(kept.Select(t => t.GetValueOrDefault(k)).ToList()):N1} ms")));
                context.Out.WriteLine(BenchTiming.Line("POST .../coverage", paired.Ours, what + phases));
                context.Out.WriteLine(BenchTiming.Line("pgr_drivingDistance SQL", paired.Peer,
                    string.Create(CultureInfo.InvariantCulture, $"pooled Npgsql connection, {starts.Count} start nodes, {theirs!.Count(double.IsFinite):N0} nodes reached")));
                context.Out.WriteLine(paired.RatioText("pgRouting SQL"));
                var median = BenchTiming.Median(paired.OurMs);
                ok &= options.Verdicts.Judge(context, "coverage", $"metro, service request, {mode.Name()} {minutes:0} min", paired,
                    $"< {TargetServiceMilliseconds:N0} ms with the graph kept", median < TargetServiceMilliseconds,
                    string.Create(CultureInfo.InvariantCulture, $"{median:N0} ms; ratio to pgRouting SQL {paired.MedianRatio:N2}"));
            }
        }
        finally
        {
            await using (var drop = await peerSource.OpenConnectionAsync(CancellationToken.None))
            await using (var cmd = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}", drop))
                await cmd.ExecuteNonQueryAsync(CancellationToken.None);
            await using var scope = factory.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
            // The made-up neighbourhood goes, with its plan and computations (cascade); the streets stay for the next run.
            await db.Neighborhoods.Where(n => n.Name == ServiceNeighborhood).ExecuteDeleteAsync(CancellationToken.None);
        }
        return ok;
    }

    /// <summary>"input;dur=1.2, search;dur=30" as name → milliseconds.</summary>
    private static Dictionary<string, double> ServerTiming(string header)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var metric in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = metric.Split(';', StringSplitOptions.TrimEntries);
            var dur = parts.Skip(1).FirstOrDefault(p => p.StartsWith("dur=", StringComparison.Ordinal));
            if (dur is not null && double.TryParse(dur[4..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) result[parts[0]] = ms;
        }
        return result;
    }

    /// <summary>
    /// The metro streets (by COPY, a previous run's rows with the same OSM ids first removed) and stations (those not
    /// there yet) in the database, and a neighbourhood covering them all with a plan of one sector per copy. Returns
    /// the plan, the streets and the stations counted.
    /// </summary>
    private static async Task<(int PlanId, int Streets, int Stations)> LoadMetroPlanAsync(WebApplicationFactory<global::Program> factory,
        string connectionString, CancellationToken ct)
    {
        var metro = MetroArea.Streets();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await MetroArea.CopyStreetsAsync(connection, metro, ct);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        var stations = MetroArea.Stations().Features.Where(f => f.Geometry is Point).ToList();
        var known = (await db.Stations.Where(s => s.OsmId != null).Select(s => s.OsmId!.Value).ToListAsync(ct)).ToHashSet();
        foreach (var f in stations)
        {
            var osm = f.Attributes.Exists("osm_id") && f.Attributes["osm_id"] is long id ? id : (long?)null;
            if (osm is { } o && known.Contains(o)) continue;
            var p = (Point)f.Geometry.Copy();
            p.SRID = 4326;
            db.Stations.Add(new Station { OsmId = osm, Name = f.Attributes.Exists("name") ? f.Attributes["name"]?.ToString() : null, Location = p });
        }
        await db.Neighborhoods.Where(n => n.Name == ServiceNeighborhood).ExecuteDeleteAsync(ct);
        var factory4326 = new GeometryFactory(new PrecisionModel(), 4326);
        var box = MetroArea.StreetBox();
        Polygon Box(double minX, double maxX) => (Polygon)factory4326.ToGeometry(new Envelope(minX, maxX, box.MinY, box.MaxY));
        var copies = MetroArea.DefaultCopies;
        var all = factory4326.CreateMultiPolygon([Box(box.MinX, box.MaxX + (copies - 1) * MetroArea.Shift)]);
        var neighborhood = new Neighborhood { Name = ServiceNeighborhood, Boundary = all, UpdatedAt = DateTimeOffset.UtcNow, IsIllustrative = true };
        db.Neighborhoods.Add(neighborhood);
        await db.SaveChangesAsync(ct);
        var plan = new SectorPlan
        {
            NeighborhoodId = neighborhood.Id, NeighborhoodVersion = neighborhood.Version, Name = "bench coverage metro", Author = "bench",
            CreatedAt = DateTimeOffset.UtcNow, Sectors = copies, Seed = 1, ParametersJson = "{}", DataVersion = "bench", AssignmentJson = "{}",
            ReportJson = "{}", Contiguous = true,
        };
        db.SectorPlans.Add(plan);
        await db.SaveChangesAsync(ct);
        // One sector per copy of the extract.
        for (var i = 0; i < copies; i++)
            db.PlanSectors.Add(new PlanSector
            {
                PlanId = plan.Id, Sector = i + 1, Contiguous = true,
                Geometry = factory4326.CreateMultiPolygon([Box(box.MinX + i * MetroArea.Shift - 0.005, box.MaxX + i * MetroArea.Shift + 0.005)]),
            });
        await db.SaveChangesAsync(ct);
        var around = all.Buffer(BarrioSeguro.Geo.Planning.Blocks.BlockPlanning.NetworkMarginDegrees);
        var inArea = await db.Stations.CountAsync(s => s.Location.Intersects(around), ct);
        return (plan.Id, metro.Features.Count, inArea);
    }

}
