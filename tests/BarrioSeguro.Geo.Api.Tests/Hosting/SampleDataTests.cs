using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Hosting;

[Collection(ApiCollection.Name)]
public class SampleDataTests(ApiFixture api)
{
    private async Task<Dictionary<string, long>> Counts()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "districts", "stations", "streets", "incidents", "contingents", "datasets" })
        {
            await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            counts[table] = (long)(await cmd.ExecuteScalarAsync())!;
        }
        await using var milagro = new NpgsqlCommand("SELECT count(*) FROM neighborhoods WHERE name = 'El Milagro'", connection);
        counts["El Milagro"] = (long)(await milagro.ExecuteScalarAsync())!;
        // What the sample itself loaded: other tests of the shared service add stations and contingents of their own.
        await using var sampleStations = new NpgsqlCommand(
            "SELECT count(*) FROM stations s JOIN datasets d ON d.id = s.dataset_id WHERE d.name = 'comisarias_trujillo_osm.geojson'", connection);
        counts["sample stations"] = (long)(await sampleStations.ExecuteScalarAsync())!;
        await using var milagroContingents = new NpgsqlCommand(
            "SELECT count(*) FROM contingents c JOIN neighborhoods n ON n.id = c.neighborhood_id WHERE n.name = 'El Milagro'", connection);
        counts["El Milagro contingents"] = (long)(await milagroContingents.ExecuteScalarAsync())!;
        return counts;
    }

    [SkippableFact]
    public async Task Loading_the_sample_data_again_adds_nothing()
    {
        var before = await Counts();
        await using (var scope = api.Require().Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<SampleData>().LoadAsync(ApiFixture.GeodataPath, default);
        var after = await Counts();

        Assert.Equal(before, after);
        // Every district of INEI's national file (issue 13.2; the five of huanchaco_y_vecinos_inei2023 among them).
        using (var national = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ApiFixture.GeodataPath, "admin", "peru_distrital_simple.geojson"))))
            Assert.Equal(national.RootElement.GetProperty("features").GetArrayLength(), after["districts"]);
        Assert.Equal(29, after["sample stations"]);
        Assert.Equal(1060, after["streets"]);
        Assert.Equal(1, after["El Milagro"]);
        Assert.Equal(1, after["El Milagro contingents"]);
    }

    /// <summary>Rows of every table of the schema, by table.</summary>
    private static async Task<Dictionary<string, long>> TableCounts(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1", connection))
        await using (var r = await list.ExecuteReaderAsync())
            while (await r.ReadAsync()) tables.Add(r.GetString(0));
        var counts = new Dictionary<string, long>();
        foreach (var table in tables)
        {
            await using var cmd = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", connection);
            counts[table] = (long)(await cmd.ExecuteScalarAsync())!;
        }
        return counts;
    }

    /// <summary>What one start of the service does: a new process, a new context.</summary>
    private static async Task LoadSampleDataAsync(string connectionString)
    {
        await using var db = new BarrioDbContext(BarrioDatabase.Options(connectionString));
        await new SampleData(db, NullLogger<SampleData>.Instance).LoadAsync(ApiFixture.GeodataPath, default);
    }

    [SkippableFact]
    public async Task Every_table_keeps_its_rows_when_the_sample_data_is_loaded_again_even_after_the_boundary_was_edited()
    {
        api.Require();
        var cs = await api.Postgis.CreateDatabaseAsync("sample");
        await BarrioDatabase.MigrateAsync(cs);
        await LoadSampleDataAsync(cs);
        var first = await TableCounts(cs);
        Assert.Equal(44, first["incidents"]);

        await LoadSampleDataAsync(cs); // a second ./barrio up
        Assert.Equal(first, await TableCounts(cs));

        // A planner repaired the boundary since (about a metre in): a third start must not generate a second set in it.
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand(
                "UPDATE neighborhoods SET boundary = ST_Multi(ST_Buffer(boundary, -0.00001)) WHERE name = 'El Milagro'", connection);
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }
        await LoadSampleDataAsync(cs);
        Assert.Equal(first, await TableCounts(cs));
    }

    private static async Task<bool> IsLoadedAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await SampleData.IsLoadedAsync(connection, ApiFixture.GeodataPath, default);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The start's quick check (one SELECT, no EF Core) says "loaded" exactly when a load would add nothing: each time it
    /// says not loaded, the load that follows adds rows, and once it says loaded, a load leaves every table as it was.
    /// </summary>
    [SkippableFact]
    public async Task The_quick_check_says_loaded_exactly_when_loading_again_would_add_nothing()
    {
        api.Require();
        Assert.True(await IsLoadedAsync(api.ConnectionString)); // the shared service loaded it at its start

        var cs = await api.Postgis.CreateDatabaseAsync("quickcheck");
        await BarrioDatabase.MigrateAsync(cs);
        Assert.False(await IsLoadedAsync(cs));
        await LoadSampleDataAsync(cs);
        Assert.True(await IsLoadedAsync(cs));
        var loaded = await TableCounts(cs);

        // Each missing piece in turn: the check says so, and the load puts back what it would have added.
        foreach (var (what, undo) in new[]
        {
            ("the contingent", "DELETE FROM contingents"),
            ("a file's dataset deleted (lifecycle)", "UPDATE datasets SET deleted_at = now() WHERE name = 'comisarias_trujillo_osm.geojson'"),
        })
        {
            await ExecuteAsync(cs, undo);
            Assert.False(await IsLoadedAsync(cs), what);
            var before = await TableCounts(cs);
            await LoadSampleDataAsync(cs);
            Assert.NotEqual(before, await TableCounts(cs));
            Assert.True(await IsLoadedAsync(cs), what);
        }

        // A planner renamed El Milagro: nothing more is attached to it, and the boundary file is not loaded again.
        await ExecuteAsync(cs, "UPDATE neighborhoods SET name = 'El Milagro (2026)' WHERE name = 'El Milagro'");
        Assert.True(await IsLoadedAsync(cs));
        var renamed = await TableCounts(cs);
        await LoadSampleDataAsync(cs);
        Assert.Equal(renamed, await TableCounts(cs));
        Assert.True(loaded.Count > 0);
    }

    /// <summary>
    /// What a database holds, as far as a load can change it: the rows of every table and the newest dataset (a load
    /// that removed and added as many rows still shows).
    /// </summary>
    private static async Task<string> StateAsync(string connectionString)
    {
        var counts = await TableCounts(connectionString);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var newest = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM datasets", connection);
        var last = await newest.ExecuteScalarAsync();
        return string.Join(", ", counts.Select(c => $"{c.Key} {c.Value}")) + $"; newest dataset {last}";
    }

    /// <summary>The two definitions of "loaded" agree on the database as it is now: the quick check says loaded exactly
    /// when the load then writes nothing. The database is loaded afterwards.</summary>
    private static async Task AssertTheyAgreeAsync(string cs, string state)
    {
        var quick = await IsLoadedAsync(cs);
        var before = await StateAsync(cs);
        await LoadSampleDataAsync(cs);
        var wrote = before != await StateAsync(cs);
        Assert.True(quick != wrote,
            $"{state}: the quick check says {(quick ? "loaded" : "not loaded")} but the load {(wrote ? "wrote rows" : "wrote nothing")}");
    }

    /// <summary>
    /// SampleData has two definitions of "the sample is loaded" (the start's one SELECT, and LoadAsync's EF Core steps):
    /// in every state a database can be left in, they agree (two El Milagro, the check's other doubt, cannot be: the
    /// name is unique).
    /// </summary>
    [SkippableFact]
    public async Task The_quick_check_and_the_load_agree_on_what_loaded_means_in_every_state()
    {
        api.Require();
        var cs = await api.Postgis.CreateDatabaseAsync("agree");
        await BarrioDatabase.MigrateAsync(cs);
        await AssertTheyAgreeAsync(cs, "a database just migrated");
        await AssertTheyAgreeAsync(cs, "the sample loaded");
        foreach (var (state, sql) in new[]
        {
            ("the contingent deleted", "DELETE FROM contingents"),
            ("the streets file's dataset deleted (lifecycle)", "UPDATE datasets SET deleted_at = now() WHERE name = 'el_milagro_streets_wgs84.geojson'"),
            ("El Milagro deleted (kept, marked deleted)", "UPDATE neighborhoods SET deleted_at = now() WHERE name = 'El Milagro'"),
            ("El Milagro renamed by a planner", "UPDATE neighborhoods SET deleted_at = NULL, name = 'El Milagro (2026)' WHERE name = 'El Milagro'"),
            ("El Milagro named so again", "UPDATE neighborhoods SET name = 'El Milagro' WHERE name = 'El Milagro (2026)'"),
        })
        {
            await ExecuteAsync(cs, sql);
            await AssertTheyAgreeAsync(cs, state);
            await AssertTheyAgreeAsync(cs, state + ", then loaded");
        }

        // The synthetic incidents loaded twice by an earlier version: not loaded, and the load removes the second set.
        await LoadIncidentsAgainAsync(cs, "an-earlier-boundary-agree");
        await AssertTheyAgreeAsync(cs, "the synthetic incidents loaded twice");
        await AssertTheyAgreeAsync(cs, "the synthetic incidents loaded twice, then loaded");
    }

    [SkippableFact]
    public async Task A_database_where_an_earlier_version_loaded_the_incidents_twice_keeps_the_first_load()
    {
        api.Require();
        var cs = await api.Postgis.CreateDatabaseAsync("doubled");
        await BarrioDatabase.MigrateAsync(cs);
        await LoadSampleDataAsync(cs);
        var first = await TableCounts(cs);
        var firstIds = await IdsAsync(cs, "SELECT id FROM incidents ORDER BY id");

        // What the defect left: a second set, generated in an edited boundary, under the same dataset name.
        await LoadIncidentsAgainAsync(cs, "an-earlier-boundary");
        Assert.Equal(88, (await TableCounts(cs))["incidents"]);

        await LoadSampleDataAsync(cs);

        Assert.Equal(first, await TableCounts(cs));
        Assert.Equal(firstIds, await IdsAsync(cs, "SELECT id FROM incidents ORDER BY id"));
    }

    /// <summary>What an earlier version's defect left: a second set of the synthetic incidents (moved a little, as if
    /// generated in an edited boundary) under the same dataset name, with its own checksum.</summary>
    private static async Task LoadIncidentsAgainAsync(string cs, string sha256)
    {
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var again = db.Incidents.AsEnumerable().Select(i => (NetTopologySuite.Features.IFeature)new NetTopologySuite.Features.Feature(
            new NetTopologySuite.Geometries.Point(i.Location.X + 1e-5, i.Location.Y) { SRID = 4326 },
            new NetTopologySuite.Features.AttributesTable
            {
                { "occurredAt", i.OccurredAt.ToString("O") }, { "category", i.Category }, { "isSynthetic", true },
            })).ToList();
        await new BarrioSeguro.Geo.Data.Import.CollectionImporter(db).ImportAsync("incidents", again, SampleData.SyntheticIncidentsDataset, sha256);
    }

    private static async Task<List<int>> IdsAsync(string cs, string sql)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var r = await cmd.ExecuteReaderAsync();
        var ids = new List<int>();
        while (await r.ReadAsync()) ids.Add(r.GetInt32(0));
        return ids;
    }

    [SkippableFact]
    public async Task Synthetic_incidents_match_the_2017_faltas_lie_on_streets_inside_El_Milagro_and_say_they_are_synthetic()
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT count(*),
                   count(*) FILTER (WHERE i.is_synthetic),
                   count(*) FILTER (WHERE ST_DWithin(i.location::geography, n.boundary::geography, 0.5)),
                   count(*) FILTER (WHERE EXISTS (SELECT 1 FROM streets s WHERE ST_DWithin(s.geometry::geography, i.location::geography, 0.5))),
                   min(extract(year FROM i.occurred_at AT TIME ZONE 'America/Lima')), max(extract(year FROM i.occurred_at AT TIME ZONE 'America/Lima'))
            FROM incidents i, neighborhoods n WHERE n.name = 'El Milagro'
            """, connection);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal(44, r.GetInt64(0)); // COMISARIA EL MILAGRO's 2017 faltas
        Assert.Equal(44, r.GetInt64(1));
        Assert.Equal(44, r.GetInt64(2));
        Assert.Equal(44, r.GetInt64(3));
        Assert.Equal(2017m, r.GetDecimal(4));
        Assert.Equal(2017m, r.GetDecimal(5));
    }

    [SkippableFact]
    public async Task The_contingent_is_20_officers_in_3_shifts()
    {
        await using var scope = api.Require().Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BarrioDbContext>();
        var c = Assert.Single(db.Contingents);
        Assert.Equal(20, c.Officers);
        Assert.Equal(3, c.Shifts);
    }
}
