using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using BarrioSeguro.Geo.Api.Endpoints;
using BarrioSeguro.Geo.Cli.Commands;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// Vector tiles (issue 14.6) and the map at scale (issue 13): the service's street tiles over loopback beside raw
/// PostGIS ST_AsMVT on the same tiles. The streets are the sample's, plus the OSM extract's (geodata/osm, every
/// district it touches), plus <c>--copies N</c> copies of them side by side (each a city's worth, shifted east), so
/// the tables hold the streets of many districts. Per zoom 12-16: ms per tile (cold), bytes per tile, and the GeoJSON
/// bytes a whole-layer load would have sent, ours and the peer interleaved pass by pass (A B A B). Then tiles/s over 64
/// connections: ours cold and ours cached, each interleaved with the peer, median ratio with its spread. Judged on no
/// failed request; the ratios are a report. Copies are removed after the run.
/// </summary>
public sealed class TilesBenchmark : IBenchmark
{
    public const string CopiesOption = "--copies";
    private const string Extract = "osm/huanchaco_el_milagro_extract.osm.pbf";
    private const string ExtractBbox = "-79.20,-8.10,-79.036,-7.93";

    public string Name => "tiles";

    public string Summary => "Street vector tiles z12-z16, ours beside raw ST_AsMVT: ms and bytes per tile, tiles/s over 64 connections";

    public static string OptionsHelp => """
        tiles options:
          --copies N       copies of the loaded streets, side by side (0.2° apart), to load the tables like many
                           cities. Default: 8 (0 to 200)
          --connections N  concurrent connections. Default: 64
        """;

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var copies = Whole(options.Args, CopiesOption, 8, 0, 200);
        var connections = Whole(options.Args, LoadBenchmark.ConnectionsOption, 64, 1, 90);
        var sample = BenchTiming.Geodata("sample/el_milagro_barrio_seguro_illustrative.geojson")
                     ?? throw new CommandFailedException("geodata/ not found: run from the repository");
        var geodata = Path.GetDirectoryName(Path.GetDirectoryName(sample))!;

        await using var database = await CliDatabase.OpenAsync(options.Db, ct);
        // One pool per side of at most 40 database connections (PostgreSQL takes 100 in all, 3 kept for superusers); the 64
        // HTTP connections and the peer's 64 tasks queue for them alike. Each side's pool is emptied before the other runs.
        var pool = Math.Min(connections, 40);
        var serviceDb = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = pool }.ConnectionString;
        // Tiles are public: no sign-in.
        await using var service = await BenchService.StartAsync(serviceDb, TimeSpan.FromSeconds(120), sampleData: geodata, connections: connections);
        var client = service.Client;
        var cache = service.Services.GetRequiredService<TileCache>();

        await using var peer = new NpgsqlDataSourceBuilder(
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = pool }.ConnectionString).Build();

        // The OSM extract's streets (every district it touches), then the copies.
        var extract = Path.Combine(geodata, Extract);
        if (File.Exists(extract))
        {
            var import = new ImportOsmCommand().Run([extract, "--bbox", ExtractBbox, "--db", database.ConnectionString],
                new CommandContext(TextWriter.Null, TextWriter.Null));
            if (import != ExitCodes.Ok) context.Error.WriteLine("bench tiles: the OSM extract was not imported (loaded before?); going on");
        }
        long firstCopy;
        await using (var c = peer.CreateCommand("SELECT coalesce(max(id), 0)::bigint + 1 FROM streets")) firstCopy = (long)(await c.ExecuteScalarAsync(ct))!;
        try
        {
            for (var k = 1; k <= copies; k++)
            {
                await using var copy = peer.CreateCommand("""
                    INSERT INTO streets (osm_id, name, class, oneway, layer, bridge, tunnel, max_speed_kmh, geometry)
                    SELECT osm_id, name, class, oneway, layer, bridge, tunnel, max_speed_kmh, ST_Translate(geometry, 0.2 * $1, 0)
                    FROM streets WHERE id < $2
                    """);
                copy.Parameters.Add(new NpgsqlParameter { Value = k });
                copy.Parameters.Add(new NpgsqlParameter { Value = firstCopy });
                await copy.ExecuteNonQueryAsync(ct);
            }
            await using (var analyze = peer.CreateCommand("ANALYZE streets")) await analyze.ExecuteNonQueryAsync(ct);
            long streets;
            await using (var c = peer.CreateCommand("SELECT count(*) FROM streets")) streets = (long)(await c.ExecuteScalarAsync(ct))!;

            // The tiles of the original streets' extent (one city, a viewer's area of work).
            double[] box;
            await using (var c = peer.CreateCommand("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geometry) e FROM streets WHERE id < $1) s"))
            {
                c.Parameters.Add(new NpgsqlParameter { Value = firstCopy });
                await using var r = await c.ExecuteReaderAsync(ct);
                await r.ReadAsync(ct);
                box = [r.GetDouble(0), r.GetDouble(1), r.GetDouble(2), r.GetDouble(3)];
            }
            var whole = await WholeLayerBytesAsync(client, ct);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Tiles: {streets:N0} streets ({copies:N0} copies of {firstCopy - 1:N0}), tiles of [{box[0]:F3}, {box[1]:F3}, {box[2]:F3}, {box[3]:F3}] against {service.Address} (in-process, loopback)"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  the whole streets layer as GeoJSON (what a whole-layer viewer loads): {whole / 1048576.0:N1} MiB"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {"zoom",4} {"tiles",6} {"non-empty",9} {"ours ms/tile",12} {"peer ms/tile",12} {"ratio",6} {"KiB/tile med",12} {"KiB/tile max",12} {"view KiB",9}   ratio range"));
            var all = new List<(int Z, int X, int Y)>();
            for (var z = 12; z <= 16; z++)
            {
                var tiles = TilesOf(box, z);
                all.AddRange(tiles);
                var sizes = new List<int>();
                // One pass over the zoom's tiles, one at a time: ours cold (cache emptied first), then raw ST_AsMVT, A B A B.
                var paired = await BenchTiming.InterleaveAsync(options.Runs, async () =>
                {
                    cache.Clear();
                    sizes.Clear();
                    foreach (var (tz, tx, ty) in tiles)
                        sizes.Add((await client.GetByteArrayAsync($"/api/collections/streets/tiles/WebMercatorQuad/{tz}/{ty}/{tx}", ct)).Length);
                }, async () =>
                {
                    foreach (var (tz, tx, ty) in tiles) await RawTileAsync(peer, tz, tx, ty, ct);
                });
                var nonEmpty = sizes.Where(s => s > 0).Order().ToList();
                // A 1280 x 800 px view is 5 x 4 tiles of 256 px: what one screen of the map loads at this zoom.
                var view = nonEmpty.Count == 0 ? 0 : BenchTiming.Median(nonEmpty.Select(s => (double)s).ToList()) * Math.Min(20, tiles.Count);
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {z,4} {tiles.Count,6:N0} {nonEmpty.Count,9:N0} {BenchTiming.MedianMs(paired.Ours) / tiles.Count,12:N1} {BenchTiming.MedianMs(paired.Peer) / tiles.Count,12:N1} {paired.MedianRatio,6:N2} {(nonEmpty.Count == 0 ? 0 : BenchTiming.Median(nonEmpty.Select(s => (double)s).ToList()) / 1024),12:N1} {(nonEmpty.Count == 0 ? 0 : nonEmpty[^1] / 1024.0),12:N1} {view / 1024,9:N0}   {paired.Ratios.Min():N2}-{paired.Ratios.Max():N2}"));
            }
            context.Out.WriteLine("  ratio = peer ms / ours per interleaved pass (median; spread after the view column)");

            // Throughput: every tile of z12-z16 once per pass, 64 at a time; ours cold and ours cached, each interleaved with the peer.
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  throughput: {all.Count:N0} tiles per pass, {connections} connections, {options.Runs} interleaved pair(s) after a warm-up, cold then cached"));
            var failures = 0;
            var failed = new ConcurrentQueue<string>();
            async Task Pass(Func<(int Z, int X, int Y), Task<string?>> fetch) => failures += (await PassAsync(all, connections, fetch, failed)).Failures;
            // Each side's pool is emptied before it runs, so the other side's connections are given back.
            Task Raw()
            {
                NpgsqlConnection.ClearAllPools();
                return Pass(async t => { await RawTileAsync(peer, t.Z, t.X, t.Y, ct); return null; });
            }
            var cold = await BenchTiming.InterleaveAsync(options.Runs, () =>
            {
                cache.Clear();
                peer.Clear();
                return Pass(t => Ours(client, t, ct));
            }, Raw);
            var cached = await BenchTiming.InterleaveAsync(options.Runs, () =>
            {
                peer.Clear();
                return Pass(t => Ours(client, t, ct));
            }, Raw);
            string Rate(string who, IReadOnlyList<BenchTiming.Sample> samples)
            {
                var r = samples.Select(x => all.Count / (x.Milliseconds / 1000)).ToList();
                return string.Create(CultureInfo.InvariantCulture,
                    $"  {who,-24} median {BenchTiming.Median(r),9:N0} tiles/s   (min {r.Min():N0}, max {r.Max():N0})   {BenchTiming.MedianAllocatedMiB(samples):N0} MiB allocated");
            }
            context.Out.WriteLine(Rate("ours, cold (cache empty)", cold.Ours));
            context.Out.WriteLine(Rate("peer: raw ST_AsMVT", cold.Peer));
            context.Out.WriteLine(cold.RatioText("raw ST_AsMVT (cold)"));
            context.Out.WriteLine(Rate("ours, cached", cached.Ours));
            context.Out.WriteLine(Rate("peer: raw ST_AsMVT", cached.Peer));
            context.Out.WriteLine(cached.RatioText("raw ST_AsMVT (cached)"));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  failed requests: {failures:N0}{(failed.TryPeek(out var first) ? $" (first: {first})" : "")}"));
            options.Verdicts.Judge(context, Name, "z12-16 tiles/s, ours cold", cold, "none (a report)", null);
            options.Verdicts.Judge(context, Name, "z12-16 tiles/s, ours cached", cached, "none (a report)", null);
            var ok = options.Verdicts.Judge(context, Name, "failed requests", null, "none", failures == 0, string.Create(CultureInfo.InvariantCulture, $"{failures:N0}"));
            return ok ? ExitCodes.Ok : ExitCodes.Failure;
        }
        finally
        {
            await using var drop = peer.CreateCommand("DELETE FROM streets WHERE id >= $1");
            drop.Parameters.Add(new NpgsqlParameter { Value = firstCopy });
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    /// <summary>Null when the tile came (200 or 204), else what went wrong.</summary>
    private static async Task<string?> Ours(HttpClient client, (int Z, int X, int Y) t, CancellationToken ct)
    {
        using var response = await client.GetAsync($"/api/collections/streets/tiles/WebMercatorQuad/{t.Z}/{t.Y}/{t.X}", ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NoContent
            ? null
            : $"{t.Z}/{t.Y}/{t.X}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200))}";
    }

    /// <summary>Seconds to fetch every tile once, N at a time, and how many failed (what went wrong queued in failed).</summary>
    private static async Task<(double Seconds, int Failures)> PassAsync(List<(int Z, int X, int Y)> tiles, int connections,
        Func<(int Z, int X, int Y), Task<string?>> fetch, ConcurrentQueue<string> failed)
    {
        var queue = new ConcurrentQueue<(int Z, int X, int Y)>(tiles);
        var failures = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var t))
            {
                string? error;
                try { error = await fetch(t); }
                catch (Exception e) when (e is HttpRequestException or NpgsqlException or TaskCanceledException or InvalidOperationException) { error = e.Message; }
                if (error is null) continue;
                Interlocked.Increment(ref failures);
                failed.Enqueue(error);
            }
        })));
        return (clock.Elapsed.TotalSeconds, failures);
    }

    /// <summary>The peer: PostGIS's plain ST_AsMVT of the streets on the tile, every class, no simplification, same attributes.</summary>
    private static async Task<byte[]> RawTileAsync(NpgsqlDataSource db, int z, int x, int y, CancellationToken ct)
    {
        await using var c = db.CreateCommand("""
            SELECT ST_AsMVT(f.*, 'streets', 4096, 'geom', 'id') FROM (
              SELECT ST_AsMVTGeom(ST_Transform(s.geometry, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom, s.id, s.name, s.class, s.oneway
              FROM streets s WHERE s.geometry && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)) f
            WHERE f.geom IS NOT NULL
            """);
        c.Parameters.Add(new NpgsqlParameter { Value = z });
        c.Parameters.Add(new NpgsqlParameter { Value = x });
        c.Parameters.Add(new NpgsqlParameter { Value = y });
        return await c.ExecuteScalarAsync(ct) as byte[] ?? [];
    }

    /// <summary>Bytes of every page of /api/collections/streets/items (10,000 a page).</summary>
    private static async Task<long> WholeLayerBytesAsync(HttpClient client, CancellationToken ct)
    {
        long bytes = 0;
        string? next = "/api/collections/streets/items?limit=10000";
        while (next is not null)
        {
            var body = await client.GetByteArrayAsync(next, ct);
            bytes += body.Length;
            using var doc = JsonDocument.Parse(body);
            next = doc.RootElement.GetProperty("links").EnumerateArray()
                .Where(l => l.GetProperty("rel").GetString() == "next").Select(l => l.GetProperty("href").GetString()).FirstOrDefault();
        }
        return bytes;
    }

    /// <summary>Every WebMercatorQuad tile of zoom z that meets the lon/lat box.</summary>
    public static List<(int Z, int X, int Y)> TilesOf(double[] box, int z)
    {
        var n = 1 << z;
        int X(double lon) => Math.Clamp((int)Math.Floor((lon + 180) / 360 * n), 0, n - 1);
        int Y(double lat)
        {
            var rad = lat * Math.PI / 180;
            return Math.Clamp((int)Math.Floor((1 - Math.Log(Math.Tan(rad) + 1 / Math.Cos(rad)) / Math.PI) / 2 * n), 0, n - 1);
        }
        var tiles = new List<(int, int, int)>();
        for (var x = X(box[0]); x <= X(box[2]); x++)
            for (var y = Y(box[3]); y <= Y(box[1]); y++)
                tiles.Add((z, x, y));
        return tiles;
    }

    private static int Whole(CommandArgs? args, string option, int fallback, int min, int max)
    {
        if (args?.Option(option) is not { } text) return fallback;
        if (!int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option} must be a whole number from {min:N0} to {max:N0}, not '{text}'"));
        return value;
    }
}
