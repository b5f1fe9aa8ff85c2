using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Hosting;
using BarrioSeguro.Geo.Data.Tests;
using Npgsql;

namespace BarrioSeguro.Geo.Cli.Tests.Commands;

/// <summary>Database commands without --db or BARRIO_DB while ./barrio up runs: they use the service's private server.</summary>
/// <remarks>In the PostGIS collection, so that no other database command test runs while it sets BARRIO_LOCAL_DB.</remarks>
[Collection(PostgisCollection.Name)]
public sealed class ServiceDatabaseTests : IDisposable
{
    private readonly TempDir _dir = new();

    [SkippableFact]
    public async Task Import_and_export_use_the_running_services_database_and_leave_it_running()
    {
        PostgisFixture.RequireLocalServer();
        var folder = Path.Combine(_dir.Path, "pgdata");
        // What ./barrio up runs: the private server, adopted, with the schema.
        await using var service = await LocalPostgisServer.StartAsync(new LocalPostgisOptions { DataDirectory = folder, Adopt = true });
        await BarrioDatabase.MigrateAsync(service.ConnectionString);

        var saved = (Db: Environment.GetEnvironmentVariable("BARRIO_DB"), Local: Environment.GetEnvironmentVariable("BARRIO_LOCAL_DB"));
        Environment.SetEnvironmentVariable("BARRIO_DB", null);
        Environment.SetEnvironmentVariable("BARRIO_LOCAL_DB", folder); // what ./barrio sets for the command line
        CliRun import, export;
        var zip = _dir.File("calles.zip");
        try
        {
            import = CliRun.Of("import", SharedGeodata.PathOf("osm/el_milagro_streets_wgs84.geojson"));
            export = CliRun.Of("export", "streets", "--out", zip);
        }
        finally
        {
            Environment.SetEnvironmentVariable("BARRIO_DB", saved.Db);
            Environment.SetEnvironmentVariable("BARRIO_LOCAL_DB", saved.Local);
        }

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains("1,060 features loaded into streets", import.Out);
        Assert.True(export.ExitCode == 0, export.Error);
        Assert.True(File.Exists(zip));
        // The service's server still answers, with what the command line loaded.
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM streets", connection);
        Assert.Equal(1060L, (long)(await count.ExecuteScalarAsync())!);
    }

    public void Dispose() => _dir.Dispose();
}
