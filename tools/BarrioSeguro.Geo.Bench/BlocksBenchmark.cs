using System.Globalization;
using BarrioSeguro.Geo.Bench.Peers;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Blocks;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// Blocks with <see cref="BlockBuilder"/>, interleaved with PostGIS (<c>ST_Polygonize(ST_Node(ST_Collect(geom)))</c>
/// and the clip) on the same prepared lines, loaded before timing: Huanchaco (the district's 3,030 streets clipped to
/// it) and the metro area (<see cref="MetroArea.Streets"/>: the real extract three times side by side, no clip). Judged
/// on the median ratio; the issue's absolute target at city scale (under 1 s in process) is printed beside it.
/// </summary>
public sealed class BlocksBenchmark : IBenchmark
{
    private const string StreetsFile = "osm/huanchaco_130104_streets_clipped_wgs84.geojson";
    private const string DistrictFile = "admin/huanchaco_130104_inei2023.geojson";

    /// <summary>District: not slower than PostGIS. Metro: PostGIS's cost grows faster than ours (n^2.18 against
    /// n^1.36), so at city scale ours must lead by at least this much.</summary>
    private const double DistrictRatio = 1.0;
    private const double MetroRatio = 10.0;
    private const double MetroMilliseconds = 1000;

    public string Name => "blocks";

    public string Summary => "Blocks of Huanchaco (3,030 streets, clipped) and of the metro area (18,168 ways) vs PostGIS, interleaved";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var streetsPath = BenchTiming.Geodata(StreetsFile) ?? throw new CommandFailedException($"geodata/{StreetsFile} not found: run from the repository");
        var districtPath = BenchTiming.Geodata(DistrictFile) ?? throw new CommandFailedException($"geodata/{DistrictFile} not found: run from the repository");
        var huanchaco = StreetLines.From(VectorFile.Read(streetsPath));
        var district = StreetLines.Geometries(VectorFile.Read(districtPath)).Single();
        var metro = StreetLines.From(MetroArea.Streets(MetroArea.DefaultCopies));

        await using var database = await BenchTiming.OpenPeerAsync(options.Db, ct);
        NpgsqlConnection? connection = null;
        if (database is not null)
        {
            connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(ct);
        }
        try
        {
            if (connection is null) context.Out.WriteLine("blocks: PostGIS skipped (no database: give --db CONNECTION or set BARRIO_DB); ours alone");
            else
                context.Out.WriteLine($"blocks: {await VersionAsync(connection, ct)} runs ST_Polygonize(ST_Node(ST_Collect(geom))) and the clip on the same prepared lines, loaded before timing; A B A B, {options.Runs} pair(s) after a warm-up");

            var ok = await CaseAsync(context, connection, options.Runs,
                string.Create(CultureInfo.InvariantCulture, $"Huanchaco, {huanchaco.Count:N0} streets clipped to the district"),
                huanchaco, district, DistrictRatio, null, ct);
            ok &= await CaseAsync(context, connection, options.Runs,
                string.Create(CultureInfo.InvariantCulture,
                    $"metro area, {metro.Count:N0} ways (the real extract {MetroArea.DefaultCopies} times side by side: no whole-metro extract here), no clip"),
                metro, null, MetroRatio, MetroMilliseconds, ct);
            return ok ? ExitCodes.Ok : ExitCodes.Failure;
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    private static async Task<bool> CaseAsync(CommandContext context, NpgsqlConnection? connection, int runs, string title,
        List<StreetLine> streets, Geometry? boundary, double targetRatio, double? targetMilliseconds, CancellationToken ct)
    {
        context.Out.WriteLine($"blocks: {title}");
        BlockSet? ours = null;
        Task<long?> Ours()
        {
            ours = BlockBuilder.Build(streets, boundary);
            return Task.FromResult<long?>(null);
        }

        if (connection is null)
        {
            var alone = await BenchTiming.InterleaveAsync(runs, Ours, () => Task.FromResult<long?>(null));
            context.Out.WriteLine(BenchTiming.Line("BarrioSeguro (NTS)", alone.Ours, Found(ours!)));
            return Absolute(context, alone, targetMilliseconds);
        }

        // The lines PostGIS gets are ours after step 5 (in the boundary's zone when there is one, as Build works).
        var zone = boundary is null ? (int?)null : Core.Spatial.Crs.UtmZoneFor(boundary);
        var prepared = BlockBuilder.PrepareLines(streets, zone: zone);
        await PostgisBlocks.LoadAsync(connection, prepared, ct);
        var backend = await BackendPidAsync(connection, ct);
        List<PostgisBlocks.Face>? faces = null;
        var paired = await BenchTiming.InterleaveAsync(runs, Ours, async () =>
        {
            faces = await PostgisBlocks.PolygonizeAsync(connection, prepared.UtmEpsg, boundary, 1.0, ct);
            return backend is { } pid ? BenchTiming.PeakResidentBytes(pid) : null;
        });
        context.Out.WriteLine(BenchTiming.Line("BarrioSeguro (NTS)", paired.Ours, Found(ours!)));
        context.Out.WriteLine(BenchTiming.Line("PostGIS", paired.Peer,
            string.Create(CultureInfo.InvariantCulture, $"{faces!.Count:N0} pieces, {faces.Sum(f => f.AreaSquareMeters) / 1e6:N3} km² (backend's peak)")));
        context.Out.WriteLine(paired.RatioText("PostGIS"));
        var met = paired.Meets(targetRatio);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  target ratio >= {targetRatio:N1}: {(met ? "met" : "MISSED")}"));
        return Absolute(context, paired, targetMilliseconds) && met;
    }

    /// <summary>The absolute target, where the issue names one, printed beside the ratio: on a busy machine it is a
    /// figure to read, the ratio is what is judged.</summary>
    private static bool Absolute(CommandContext context, BenchTiming.Paired paired, double? targetMilliseconds)
    {
        if (targetMilliseconds is not { } target) return true;
        var median = BenchTiming.Median(paired.OurMs);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  absolute target (issue 15: city blocks < {target:N0} ms in process): {median:N0} ms here, {(median < target ? "under" : "over")} on this machine (load average {LoadAverage()})"));
        return true;
    }

    private static string Found(BlockSet set) => string.Create(CultureInfo.InvariantCulture,
        $"{set.Blocks.Count:N0} blocks, {set.Blocks.Sum(b => b.AreaSquareMeters) / 1e6:N3} km²");

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "unknown"; }
    }

    /// <summary>The server process of the connection, when the server runs on this machine (its memory is read
    /// from /proc); null for a server elsewhere.</summary>
    private static async Task<int?> BackendPidAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var host = connection.Host ?? "";
        if (!(host.StartsWith('/') || host is "localhost" or "127.0.0.1" or "::1")) return null;
        await using var cmd = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<string> VersionAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT 'PostGIS ' || postgis_lib_version() || ', GEOS ' || split_part(postgis_geos_version(), '-', 1)", connection);
        return (string)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
