using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using BarrioSeguro.Geo.Cli.Commands;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// <c>barrio bench overview</c>: GET /api/overview with N = 100, 500, 1,000 neighbourhoods and the streets of several
/// districts. The data is MADE UP, in a throwaway PostGIS server of its own (deleted after), El Milagro
/// gets blocks, a plan and a coverage through the API; then each synthetic neighbourhood is a copy of El Milagro's real
/// boundary moved into another real district (cycling through the districts loaded), with copies of its real blocks,
/// incidents (marked synthetic), contingent, plan and coverage moved with it; the sample's streets are copied into
/// eight other districts. Each answer (JSON, CSV, GeoPackage) is timed interleaved with its one SQL statement alone
/// (A B A B); the JSON answer's target is to take at most twice its SQL (median ratio SQL / answer at least 0.5).
/// </summary>
public sealed class OverviewBenchmark : IBenchmark
{
    public static readonly int[] Sizes = [100, 500, 1000];

    /// <summary>Copies of the sample's streets, each moved to another district.</summary>
    public const int StreetCopies = 8;

    public string Name => "overview";

    public string Summary => "GET /api/overview at 100, 500 and 1,000 made-up neighbourhoods (copies of El Milagro) and 9 districts of streets";

    public async Task<int> RunAsync(BenchOptions options, CommandContext context, CancellationToken ct)
    {
        var geodata = BenchTiming.Geodata("sample/el_milagro_barrio_seguro_illustrative.geojson") is { } sample
            ? Path.GetDirectoryName(Path.GetDirectoryName(sample))! : throw new CommandFailedException("geodata/ not found: run from the repository");
        // Never the user's database: a throwaway PostGIS server of its own (deleted after), so no copy is left behind.
        if (options.Db is not null) context.Out.WriteLine("  (--db is not used: the made-up data goes into a throwaway server of its own)");
        await using var server = await StartServerAsync(ct);
        var bench = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString;
        await BarrioSeguro.Geo.Data.BarrioDatabase.MigrateAsync(bench, ct);
        await using var service = await BenchService.StartAsync(bench, TimeSpan.FromMinutes(5), sampleData: geodata,
            unlimited: ["PlansPerWindow", "CoveragePerWindow"]);
        await service.SignInAsync(Name, ct);
        var client = service.Client;

        context.Out.WriteLine("Overview: MADE-UP data in a throwaway PostGIS server: copies of El Milagro (its real boundary, blocks, incidents,");
        context.Out.WriteLine("contingent, plan and coverage) moved into other real districts; the sample's streets copied into other districts.");
        var clock = Stopwatch.StartNew();
        var milagro = await SeedMilagroAsync(client, ct);
        await using var db = new NpgsqlConnection(bench);
        await db.OpenAsync(ct);
        await CopyStreetsAsync(db, ct);
        var streets = await Scalar(db, "SELECT count(*) FROM streets", ct);
        var streetKm = await Scalar(db, "SELECT round(sum(ST_Length(geometry::geography)) / 1000) FROM streets", ct);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  El Milagro planned and covered, streets copied ({streets:N0} streets, {streetKm:N0} km) in {clock.Elapsed.TotalSeconds:N1} s"));
        context.Out.WriteLine("  Each answer (JSON, CSV, GeoPackage: ours) interleaved with its one SQL statement alone (OverviewStore: the peer),");
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {options.Runs} pair(s) after a warm-up each; ratio = SQL / answer: what share of the answer's time the SQL is (1 = nothing but the SQL)"));
        var made = 0;
        var ok = true;
        foreach (var n in Sizes)
        {
            await AddCopiesAsync(db, milagro, made, n - made, ct);
            made = n;
            await Execute(db, "VACUUM ANALYZE", ct); // as autovacuum would after a load this size: statistics and the visibility map
            var (hoods, blocks, incidents) = (await Scalar(db, "SELECT count(*) FROM neighborhoods", ct),
                await Scalar(db, "SELECT count(*) FROM blocks", ct), await Scalar(db, "SELECT count(*) FROM incidents", ct));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {hoods:N0} neighbourhoods, {blocks:N0} blocks, {incidents:N0} incidents"));
            await using var scope = service.Services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<BarrioSeguro.Geo.Data.Overview.OverviewStore>();
            Task Sql() => store.RowsAsync(new BarrioSeguro.Geo.Data.Overview.OverviewFilter(), ct);
            foreach (var (format, query) in new[] { ("JSON", ""), ("CSV", "?format=csv"), ("GeoPackage", "?format=gpkg") })
            {
                var bytes = 0L;
                var paired = await BenchTiming.InterleaveAsync(options.Runs, async () => { bytes = await Get(client, "/api/overview" + query, ct); }, Sql);
                context.Out.WriteLine(BenchTiming.Line($"GET /api/overview{query}", paired.Ours, string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:N0} KB")));
                context.Out.WriteLine(BenchTiming.Line("  its SQL alone", paired.Peer, ""));
                context.Out.WriteLine(paired.RatioText("SQL"));
                // The answer's time should be its SQL's (no query per row): judged on JSON, the other formats reported.
                ok &= options.Verdicts.Judge(context, Name, string.Create(CultureInfo.InvariantCulture, $"{hoods:N0} neighbourhoods, {format}"), paired,
                    format == "JSON" ? "the answer within 2x its SQL alone (ratio >= 0.5)" : "none (a report)",
                    format == "JSON" ? paired.Meets(0.5) : null,
                    string.Create(CultureInfo.InvariantCulture, $"answer {BenchTiming.MedianMs(paired.Ours):N0} ms, SQL {BenchTiming.MedianMs(paired.Peer):N0} ms"));
            }
        }
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.Elapsed.TotalSeconds:N0} s in all"));
        return ok ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static async Task<BarrioSeguro.Geo.Data.Hosting.LocalPostgisServer> StartServerAsync(CancellationToken ct)
    {
        try
        {
            return await BarrioSeguro.Geo.Data.Hosting.LocalPostgisServer.StartAsync(
                new BarrioSeguro.Geo.Data.Hosting.LocalPostgisOptions { Throwaway = true, Database = "barrio_bench", Extensions = ["postgis"] }, ct);
        }
        catch (BarrioSeguro.Geo.Data.Hosting.LocalPostgisException e)
        {
            throw new CommandFailedException($"cannot start a throwaway PostGIS server: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    private static async Task<long> Get(HttpClient client, string path, CancellationToken ct)
    {
        using var response = await client.GetAsync(path, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode) throw new CommandFailedException($"{path}: HTTP {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return body.Length;
    }

    /// <summary>El Milagro's blocks, a 3-sector plan and a 10-minute foot coverage, through the API; its id.</summary>
    private static async Task<int> SeedMilagroAsync(HttpClient client, CancellationToken ct)
    {
        var all = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/collections/neighborhoods/items", ct)).RootElement;
        var id = all.GetProperty("features").EnumerateArray().First(f => f.GetProperty("properties").GetProperty("name").GetString() == "El Milagro")
            .GetProperty("properties").GetProperty("id").GetInt32();
        (await client.PostAsync($"/api/neighborhoods/{id}/blocks", null, ct)).EnsureSuccessStatusCode();
        var plan = await client.PostAsJsonAsync($"/api/neighborhoods/{id}/plans", new { sectors = 3, seed = 1 }, ct);
        if (!plan.IsSuccessStatusCode) throw new CommandFailedException($"El Milagro's plan: HTTP {(int)plan.StatusCode}");
        var planId = System.Text.Json.JsonDocument.Parse(await plan.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetInt32();
        (await client.PostAsJsonAsync($"/api/plans/{planId}/coverage", new { mode = "foot", minutes = 10 }, ct)).EnsureSuccessStatusCode();
        return id;
    }

    // Made up: the sample's streets moved by whole districts' offsets (centre of the sample's district to the centres of others).
    private static async Task CopyStreetsAsync(NpgsqlConnection db, CancellationToken ct)
    {
        var cols = await Columns(db, "streets", ct);
        var select = string.Join(", ", cols.Select(c => c == "geometry" ? "ST_Translate(s.geometry, d.dx, d.dy)" : $"s.{c}"));
        await Execute(db, $"""
            WITH home AS (SELECT ST_SetSRID(ST_Centroid(ST_Extent(geometry)::geometry), 4326) AS c FROM streets),
                 d AS (SELECT ST_X(ST_PointOnSurface(x.boundary)) - ST_X(home.c) AS dx, ST_Y(ST_PointOnSurface(x.boundary)) - ST_Y(home.c) AS dy
                       FROM districts x, home WHERE NOT ST_IsEmpty(x.boundary) AND NOT ST_Intersects(x.boundary, home.c) ORDER BY x.ubigeo LIMIT {StreetCopies})
            INSERT INTO streets ({string.Join(", ", cols)}) SELECT {select} FROM streets s CROSS JOIN d
            """, ct);
    }

    /// <summary>
    /// Neighbourhoods from..from+count-1: El Milagro moved to the districts in turn (a 0.03° grid within each so that
    /// copies do not lie on one another), with its blocks, incidents, contingent, latest plan and its coverage moved along.
    /// </summary>
    private static async Task AddCopiesAsync(NpgsqlConnection db, int milagro, int from, int count, CancellationToken ct)
    {
        await using var tx = await db.BeginTransactionAsync(ct);
        await Execute(db, $"""
            CREATE TEMP TABLE copies ON COMMIT DROP AS
            WITH d AS (SELECT ubigeo, ST_PointOnSurface(boundary) AS p, row_number() OVER (ORDER BY ubigeo) - 1 AS k, count(*) OVER () AS n
                       FROM districts WHERE NOT ST_IsEmpty(boundary)), -- INEI's national file has districts with no boundary
                 m AS (SELECT boundary, ST_Centroid(boundary) AS c FROM neighborhoods WHERE id = {milagro})
            SELECT i, d.ubigeo,
                   ST_X(d.p) - ST_X(m.c) + ((i / d.n) % 10) * 0.03 AS dx, ST_Y(d.p) - ST_Y(m.c) + ((i / d.n) / 10) * 0.03 AS dy, NULL::int AS id
            FROM generate_series({from}, {from + count - 1}) i
            JOIN d ON d.k = i % d.n
            CROSS JOIN m
            """, ct);
        var ncols = await Columns(db, "neighborhoods", ct);
        string Pick(string c, IReadOnlyDictionary<string, string> overrides, string alias) => overrides.TryGetValue(c, out var e) ? e : $"{alias}.{c}";
        var nOver = new Dictionary<string, string>
        {
            ["name"] = "format('Sintético %s (copia de El Milagro)', lpad(c.i::text, 4, '0'))", ["district_ubigeo"] = "c.ubigeo",
            ["boundary"] = "ST_Translate(s.boundary, c.dx, c.dy)", ["is_illustrative"] = "true", ["version"] = "1",
            ["description"] = "'MADE UP by barrio bench overview: El Milagro''s boundary moved into another district'",
        };
        await Execute(db, $"""
            WITH ins AS (
                INSERT INTO neighborhoods ({string.Join(", ", ncols)})
                SELECT {string.Join(", ", ncols.Select(c => Pick(c, nOver, "s")))} FROM neighborhoods s CROSS JOIN copies c WHERE s.id = {milagro}
                RETURNING id, name)
            UPDATE copies c SET id = ins.id FROM ins WHERE ins.name = format('Sintético %s (copia de El Milagro)', lpad(c.i::text, 4, '0'))
            """, ct);
        var bcols = await Columns(db, "blocks", ct);
        var bOver = new Dictionary<string, string> { ["scope"] = "'neighborhood:' || c.id", ["geometry"] = "ST_Translate(s.geometry, c.dx, c.dy)" };
        await Execute(db, $"""
            INSERT INTO blocks ({string.Join(", ", bcols)})
            SELECT {string.Join(", ", bcols.Select(c => Pick(c, bOver, "s")))} FROM blocks s CROSS JOIN copies c WHERE s.scope = 'neighborhood:{milagro}'
            """, ct);
        var icols = await Columns(db, "incidents", ct);
        var iOver = new Dictionary<string, string> { ["location"] = "ST_Translate(s.location, c.dx, c.dy)", ["is_synthetic"] = "true" };
        await Execute(db, $"""
            INSERT INTO incidents ({string.Join(", ", icols)})
            SELECT {string.Join(", ", icols.Select(c => Pick(c, iOver, "s")))}
            FROM (SELECT x.* FROM incidents x JOIN neighborhoods y ON y.id = {milagro} AND ST_Intersects(x.location, y.boundary) ORDER BY x.id LIMIT 100) s
            CROSS JOIN copies c
            """, ct);
        var kcols = await Columns(db, "contingents", ct);
        var kOver = new Dictionary<string, string> { ["neighborhood_id"] = "c.id" };
        await Execute(db, $"""
            INSERT INTO contingents ({string.Join(", ", kcols)})
            SELECT {string.Join(", ", kcols.Select(c => Pick(c, kOver, "s")))} FROM contingents s CROSS JOIN copies c WHERE s.neighborhood_id = {milagro}
            """, ct);
        var pcols = await Columns(db, "sector_plans", ct);
        var pOver = new Dictionary<string, string> { ["neighborhood_id"] = "c.id", ["contingent_id"] = "NULL" };
        var ccols = await Columns(db, "plan_coverages", ct);
        var cOver = new Dictionary<string, string> { ["plan_id"] = "p.id" };
        await Execute(db, $"""
            WITH latest AS (SELECT * FROM sector_plans WHERE neighborhood_id = {milagro} ORDER BY id DESC LIMIT 1)
            INSERT INTO sector_plans ({string.Join(", ", pcols)})
            SELECT {string.Join(", ", pcols.Select(c => Pick(c, pOver, "s")))} FROM latest s CROSS JOIN copies c
            """, ct);
        await Execute(db, $"""
            INSERT INTO plan_coverages ({string.Join(", ", ccols)})
            SELECT {string.Join(", ", ccols.Select(c => Pick(c, cOver, "s")))}
            FROM plan_coverages s
            JOIN (SELECT id FROM sector_plans WHERE neighborhood_id = {milagro} ORDER BY id DESC LIMIT 1) src ON s.plan_id = src.id
            CROSS JOIN copies c JOIN sector_plans p ON p.neighborhood_id = c.id
            """, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The columns of a table the copies write (an identity or serial id is left to the database).</summary>
    private static async Task<List<string>> Columns(NpgsqlConnection db, string table, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = @t AND is_identity = 'NO' AND COALESCE(column_default, '') NOT LIKE 'nextval%'
              AND is_generated = 'NEVER'
            ORDER BY ordinal_position
            """, db);
        cmd.Parameters.AddWithValue("t", table);
        var list = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(r.GetString(0));
        return list;
    }

    private static async Task<long> Scalar(NpgsqlConnection db, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, db);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static async Task Execute(NpgsqlConnection db, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, db) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
