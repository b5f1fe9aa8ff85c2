using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Bench.Peers;
using BarrioSeguro.Geo.Bench.Synthetic;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// Coverage of 10 units by car on a deterministic 30,012-edge synthetic grid (<see cref="SyntheticStreets.Grid"/>,
/// 123 × 123 intersections 80 m apart; target: <see cref="Coverage.Compute"/> under 200 ms), and of 10 units on foot
/// on El Milagro; each side by side with pgRouting's <c>pgr_drivingDistance</c> from the same start nodes on the same
/// edge table (target: at least 10 times faster, node times equal within 1e-6 s). Graph building and loading the
/// table are done before timing, for both; each side is warmed up with the same 30 untimed runs.
/// </summary>
public sealed class CoverageBenchmark : IBenchmark
{
    private const int GridSide = 123;
    private const double TargetMilliseconds = 200;
    private const double TargetRatio = 10;
    private const double Tolerance = 1e-6;

    // A run takes milliseconds: one warm-up leaves much of the .NET code (ours, NetTopologySuite's) still at the
    // first, unoptimised tier of the JIT, which moves it up only after about 30 calls. Both sides get the same warm-up.
    private const int Warmups = 30;

    public string Name => "coverage";

    public string Summary => "Coverage of 10 units on a 30,000-edge grid (target < 200 ms, ≥ 10x pgr_drivingDistance)";

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
            ok &= await Case(context, options, connection, "El Milagro, foot, 10 units, 10 min", milagro, milagroBuild, milagroUnits, 10, false, ct);
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
        context.Out.WriteLine(ok ? "  all targets met" : "  a target was MISSED");
        return ok ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<bool> Case(CommandContext context, BenchOptions options, NpgsqlConnection? connection, string title,
        StreetGraph graph, double buildMs, List<Point> units, double minutes, bool targeted, CancellationToken ct)
    {
        var ok = true;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"coverage: {title}: {graph.Edges.Count:N0} edges, {graph.NodeCount:N0} nodes (graph built in {buildMs:N0} ms, not timed); {options.Runs} runs after {Warmups} warm-ups, each side"));
        CoverageResult? ours = null;
        var ourTimes = await BenchTiming.TimeAsync(options.Runs, () =>
        {
            ours = Coverage.Compute(graph, units, minutes);
            return Task.CompletedTask;
        }, Warmups);
        var ourMedian = BenchTiming.Median(ourTimes);
        context.Out.WriteLine(BenchTiming.Line("BarrioSeguro Coverage", ourTimes, string.Create(CultureInfo.InvariantCulture,
            $"{ours!.Figures.CoveredStreetKmPct:N1} % of {ours.Figures.StreetKm:N1} km covered, backup {ours.Figures.BackupStreetKmPct:N1} %, {ours.NodeSeconds.Count(double.IsFinite):N0} nodes reached")));
        var clock = Stopwatch.StartNew();
        var pieces = ours.CoveredPieces().NumGeometries + ours.UncoveredPieces().NumGeometries;
        var area = ours.CoveredArea();
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  geometry (covered and uncovered pieces, covered area), on request: {clock.Elapsed.TotalMilliseconds:N0} ms ({pieces:N0} pieces, {area.NumGeometries:N0} area polygons)"));
        if (targeted)
        {
            var met = ourMedian < TargetMilliseconds;
            ok &= met;
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  target < {TargetMilliseconds:N0} ms: {(met ? "met" : "MISSED")} ({ourMedian:N1} ms)"));
        }

        if (connection is null)
        {
            context.Out.WriteLine("  pgRouting: skipped (no database: give --db CONNECTION or set BARRIO_DB)");
            return ok;
        }
        var starts = ours.UnitsSnapped.Select(u => u.At.Fraction == 0 ? graph.Edges[u.At.Edge].From
            : u.At.Fraction == 1 ? graph.Edges[u.At.Edge].To : throw new CommandFailedException($"{u.Name} is not on a node")).ToList();
        await PgRouting.LoadAsync(connection, graph, ct: ct);
        double[]? theirs = null;
        var peerTimes = await BenchTiming.TimeAsync(options.Runs, async () =>
            theirs = await PgRouting.DrivingDistanceAsync(connection, graph.NodeCount, starts, minutes * 60, ct: ct), Warmups);
        var peerMedian = BenchTiming.Median(peerTimes);
        var version = await PgRouting.VersionAsync(connection, ct);
        context.Out.WriteLine(BenchTiming.Line($"pgRouting {version}", peerTimes, string.Create(CultureInfo.InvariantCulture,
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
        var ratio = peerMedian / ourMedian;
        var fast = ratio >= TargetRatio;
        ok &= fast;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ratio pgRouting / ours: {ratio:N1} (target ≥ {TargetRatio:N0}: {(fast ? "met" : "MISSED")})"));
        return ok;
    }
}
