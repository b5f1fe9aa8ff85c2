using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Hosting;
using Microsoft.Extensions.Options;

namespace BarrioSeguro.Geo.Api.Hosting;

/// <summary>Gets the database ready before the service listens: private server, migrations, sample data.</summary>
public static class DatabaseStartup
{
    /// <summary>
    /// When no connection string is configured but a local database folder is, starts a private PostGIS server there and
    /// points the service at it. The server stops when the service stops (Ctrl-C, SIGTERM).
    /// </summary>
    public static async Task<LocalPostgisServer?> StartLocalServerIfConfiguredAsync(WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(BarrioOptions.Section);
        if (!string.IsNullOrWhiteSpace(section[nameof(BarrioOptions.ConnectionString)])) return null;
        var folder = section[nameof(BarrioOptions.LocalDatabaseDirectory)];
        if (string.IsNullOrWhiteSpace(folder))
            throw new InvalidOperationException(
                "No database: set Barrio:ConnectionString (or BARRIO_DB) to a PostGIS connection string, or Barrio:LocalDatabaseDirectory for a private server.");
        var server = await LocalPostgisServer.StartAsync(new LocalPostgisOptions { DataDirectory = folder, Database = "barrio" }, CancellationToken.None);
        section[nameof(BarrioOptions.ConnectionString)] = server.ConnectionString;
        return server;
    }

    /// <summary>Applies the migrations and, when configured, loads the sample data.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        var options = app.Services.GetRequiredService<IOptions<BarrioOptions>>().Value;
        await BarrioDatabase.MigrateAsync(options.ConnectionString!, ct);
        if (!options.LoadSampleData) return;
        var path = options.SampleDataPath ?? throw new InvalidOperationException("Barrio:LoadSampleData is on but Barrio:SampleDataPath is not set.");
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<SampleData>().LoadAsync(path, ct);
    }
}
