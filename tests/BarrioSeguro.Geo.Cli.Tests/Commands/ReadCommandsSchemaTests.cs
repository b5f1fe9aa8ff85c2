using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>
/// The commands that only read skip the migration check (issue 15.2): on a database never migrated, or one behind
/// this build, they fail with one line that names the database and says what to do, not PostgreSQL's
/// "relation ... does not exist", and write nothing.
/// </summary>
[Collection(PostgisCollection.Name)]
public class ReadCommandsSchemaTests(PostgisFixture postgis)
{
    private const string English = "has no BarrioSeguro.Geo tables yet (or is older than this build): run ./barrio up once, or a command that writes such as barrio import, to create them";

    private static void AssertSaysNotMigrated(CliRun run, string command, string database, string? output = null)
    {
        Assert.Equal(1, run.ExitCode);
        var line = run.ErrorLine;
        Assert.Equal($"barrio {command}: The database '{database}' {English}", line);
        Assert.DoesNotContain("does not exist", line);
        if (output is not null) Assert.False(File.Exists(output), $"{output} was written");
    }

    [SkippableFact]
    public async Task Export_imports_and_fieldkit_on_a_database_never_migrated_say_so_in_one_line()
    {
        var cs = await postgis.CreateDatabaseAsync("empty");
        var name = new NpgsqlConnectionStringBuilder(cs).Database!;
        using var dir = new TempDir();

        AssertSaysNotMigrated(CliRun.Of("export", "streets", "--out", dir.File("calles.zip"), "--db", cs), "export", name, dir.File("calles.zip"));
        // A collection read through EF Core (kept plans) fails the same way as one streamed over Npgsql.
        AssertSaysNotMigrated(CliRun.Of("export", "plans", "--out", dir.File("planes.geojson"), "--db", cs), "export", name, dir.File("planes.geojson"));
        AssertSaysNotMigrated(CliRun.Of("imports", "list", "--db", cs), "imports", name);
        AssertSaysNotMigrated(CliRun.Of("imports", "diff", "1", "--db", cs), "imports", name);
        AssertSaysNotMigrated(CliRun.Of("fieldkit", "--plan", "1", "--out", dir.File("kit.pdf"), "--db", cs), "fieldkit", name, dir.File("kit.pdf"));

        // Still not migrated: a read never creates the tables.
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var tables = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_name = '__EFMigrationsHistory'", connection);
        Assert.Equal(0L, await tables.ExecuteScalarAsync());
    }

    [SkippableFact]
    public async Task Export_from_a_database_behind_this_build_a_column_missing_says_so_in_one_line_and_in_spanish()
    {
        var cs = await postgis.CreateDatabaseAsync("behind");
        await BarrioDatabase.MigrateAsync(cs);
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            // What an older schema lacks: a column this build reads.
            await using var drop = new NpgsqlCommand("ALTER TABLE streets DROP COLUMN layer", connection);
            await drop.ExecuteNonQueryAsync();
        }
        var name = new NpgsqlConnectionStringBuilder(cs).Database!;
        using var dir = new TempDir();

        AssertSaysNotMigrated(CliRun.Of("export", "streets", "--out", dir.File("calles.gpkg"), "--db", cs), "export", name, dir.File("calles.gpkg"));
        try
        {
            var spanish = CliRun.Of("export", "streets", "--out", dir.File("calles.gpkg"), "--db", cs, "--lang", "es");
            Assert.Equal(1, spanish.ExitCode);
            Assert.Equal($"barrio export: {Note.Of("database.not_migrated", ("database", name)).Text("es")}", spanish.ErrorLine);
            Assert.Contains($"La base de datos «{name}» aún no tiene las tablas", spanish.ErrorLine);
        }
        finally
        {
            NoteLanguage.Current = "en"; // the in-process run set the language of this thread
        }
    }
}
