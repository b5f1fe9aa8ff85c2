using BarrioSeguro.Geo.Data.Hosting;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Hosting;

/// <summary>Who may connect to a private server: the owner role with its password, through the socket only.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix sockets
public sealed class PrivateServerAccessTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "barrio-access-" + Guid.NewGuid().ToString("N")[..8]);

    [SkippableFact]
    public async Task A_folder_from_before_passwords_gets_them_and_its_tables_go_to_the_owner_role()
    {
        PostgisFixture.RequireLocalServer();
        var options = new LocalPostgisOptions { DataDirectory = _folder, Database = "barrio" };
        string dataDirectory;
        await using (var server = await LocalPostgisServer.StartAsync(options))
        {
            dataDirectory = server.DataDirectory;
            await ExecuteAsync(server.AdminConnectionString, "CREATE TABLE legacy (id int); INSERT INTO legacy VALUES (7)");
        }
        // What an older start left: no passwords, and trust for everyone on the socket and on loopback.
        File.Delete(Path.Combine(dataDirectory, "barrio-secrets"));
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "pg_hba.conf"), "local all all trust\nhost all all 127.0.0.1/32 trust\n");

        await using var again = await LocalPostgisServer.StartAsync(options);

        Assert.True(File.Exists(Path.Combine(dataDirectory, "barrio-secrets")));
        await ExecuteAsync(again.ConnectionString, "ALTER TABLE legacy ADD COLUMN name text; INSERT INTO legacy VALUES (8, 'x')");
        Assert.False(await ScalarAsync<bool>(again.ConnectionString, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
        Assert.Equal(LocalPostgisServer.OwnerRole, await ScalarAsync<string>(again.ConnectionString,
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'legacy'"));
        var noPassword = new NpgsqlConnectionStringBuilder(again.AdminConnectionString) { Password = null, Pooling = false };
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(noPassword.ConnectionString, "SELECT 1"));
        Assert.DoesNotContain("trust", await File.ReadAllTextAsync(Path.Combine(dataDirectory, "pg_hba.conf")).ContinueWith(t =>
            string.Join("\n", t.Result.Split('\n').Where(l => !l.StartsWith('#')))));
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
