using BarrioSeguro.Geo.Data.Hosting;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Hosting;

/// <summary>Tests of the server lifecycle itself; each test runs its own servers, not the shared fixture's.</summary>
public sealed class LocalPostgisServerTests : IDisposable
{
    private readonly List<string> _foldersToDelete = [];

    [SkippableFact]
    public async Task Throwaway_server_runs_PostGIS_and_dispose_deletes_its_folder()
    {
        PostgisFixture.RequireLocalServer();
        string dataDirectory;
        await using (var server = await LocalPostgisServer.StartAsync(LocalPostgisOptions.ForThrowaway()))
        {
            dataDirectory = server.DataDirectory;
            Assert.True(File.Exists(Path.Combine(dataDirectory, "PG_VERSION")));
            Assert.Contains($"Port={server.Port}", server.ConnectionString, StringComparison.Ordinal);
            Assert.Equal(1.0, await ScalarAsync<double>(server.ConnectionString,
                "SELECT ST_Area(ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 1,0 0))'))"));
        }

        Assert.False(Directory.Exists(dataDirectory));
    }

    [SkippableFact]
    public async Task Two_throwaway_servers_run_at_the_same_time_on_different_ports()
    {
        PostgisFixture.RequireLocalServer();
        await using var first = await LocalPostgisServer.StartAsync(LocalPostgisOptions.ForThrowaway());
        await using var second = await LocalPostgisServer.StartAsync(LocalPostgisOptions.ForThrowaway());

        Assert.NotEqual(first.Port, second.Port);
        Assert.NotEqual(first.DataDirectory, second.DataDirectory);
        Assert.Equal(first.Port, await ScalarAsync<int>(first.ConnectionString, "SELECT current_setting('port')::int"));
        Assert.Equal(second.Port, await ScalarAsync<int>(second.ConnectionString, "SELECT current_setting('port')::int"));
    }

    [SkippableFact]
    public async Task Persistent_data_survives_a_restart()
    {
        PostgisFixture.RequireLocalServer();
        var options = new LocalPostgisOptions { DataDirectory = NewPersistentFolder(), Database = "barrio_persist" };

        await using (var server = await LocalPostgisServer.StartAsync(options))
        {
            await ScalarAsync<int>(server.ConnectionString, "CREATE TABLE sector (id int); INSERT INTO sector VALUES (7); SELECT 1");
        }
        await using (var again = await LocalPostgisServer.StartAsync(options))
        {
            Assert.Equal(7, await ScalarAsync<int>(again.ConnectionString, "SELECT id FROM sector"));
        }
    }

    [SkippableTheory]
    [InlineData(false)] // a PID no process has
    [InlineData(true)]  // a PID reused by a live, unrelated process
    public async Task Stale_postmaster_pid_does_not_prevent_start(bool pidOfLiveProcess)
    {
        PostgisFixture.RequireLocalServer();
        var options = new LocalPostgisOptions { DataDirectory = NewPersistentFolder() };
        string dataDirectory;
        await using (var server = await LocalPostgisServer.StartAsync(options))
        {
            dataDirectory = server.DataDirectory;
        }
        var pid = pidOfLiveProcess ? Environment.ProcessId : 4_194_000;
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "postmaster.pid"),
            $"{pid}\n{dataDirectory}\n1700000000\n5432\n/tmp\n127.0.0.1\n  5432001    32768\nready   \n");

        await using var restarted = await LocalPostgisServer.StartAsync(options);

        Assert.Equal(1, await ScalarAsync<int>(restarted.ConnectionString, "SELECT 1"));
    }

    [SkippableFact]
    public async Task A_second_start_on_a_running_folder_uses_that_server_and_leaving_it_does_not_stop_it()
    {
        PostgisFixture.RequireLocalServer();
        var options = new LocalPostgisOptions { DataDirectory = NewPersistentFolder() };
        var first = await LocalPostgisServer.StartAsync(options);
        try
        {
            await ScalarAsync<int>(first.ConnectionString, "CREATE TABLE shared (id int); INSERT INTO shared VALUES (5); SELECT 1");

            await using (var second = await LocalPostgisServer.StartAsync(options)) // what the command line does while the service runs
            {
                Assert.False(first.WasRunning);
                Assert.True(second.WasRunning);
                Assert.Equal(first.Port, second.Port);
                Assert.Equal(5, await ScalarAsync<int>(second.ConnectionString, "SELECT id FROM shared"));
            }

            Assert.Equal(5, await ScalarAsync<int>(first.ConnectionString, "SELECT id FROM shared"));
        }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.False(File.Exists(Path.Combine(first.DataDirectory, "postmaster.pid")), "the starter, leaving last, stops it");
    }

    [SkippableFact]
    public async Task The_starter_leaving_first_leaves_the_server_running_for_an_adopter_that_stops_it_when_it_leaves()
    {
        PostgisFixture.RequireLocalServer();
        var options = new LocalPostgisOptions { DataDirectory = NewPersistentFolder() };
        var first = await LocalPostgisServer.StartAsync(options); // a command line started it...
        var service = await LocalPostgisServer.StartAsync(options with { Adopt = true }); // ...then ./barrio up came

        await first.DisposeAsync();
        Assert.Equal(1, await ScalarAsync<int>(service.ConnectionString, "SELECT 1"));

        await service.DisposeAsync();
        Assert.False(File.Exists(Path.Combine(service.DataDirectory, "postmaster.pid")));
    }

    [SkippableFact]
    public async Task A_server_left_by_a_crashed_owner_is_used_by_the_next_start_and_stopped_by_the_one_that_adopts_it()
    {
        PostgisFixture.RequireLocalServer();
        var options = new LocalPostgisOptions { DataDirectory = NewPersistentFolder() };
        var crashed = await LocalPostgisServer.StartAsync(options);
        var pidFile = Path.Combine(crashed.DataDirectory, "postmaster.pid");
        await ScalarAsync<int>(crashed.ConnectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (8); SELECT 1");
        crashed.Abandon(); // the owner dies without stopping its PostgreSQL
        await crashed.DisposeAsync();
        Assert.True(File.Exists(pidFile));

        try
        {
            await using (var cli = await LocalPostgisServer.StartAsync(options)) // the command line: uses it, leaves it running
            {
                Assert.True(cli.WasRunning);
                Assert.Equal(8, await ScalarAsync<int>(cli.ConnectionString, "SELECT id FROM kept"));
            }
            Assert.True(File.Exists(pidFile));

            await using (var service = await LocalPostgisServer.StartAsync(options with { Adopt = true })) // the next ./barrio up
            {
                Assert.True(service.WasRunning);
                Assert.Equal(8, await ScalarAsync<int>(service.ConnectionString, "SELECT id FROM kept"));
            }
            Assert.False(File.Exists(pidFile), "the adopter, leaving last, stops it");
        }
        finally
        {
            await StopWhateverRunsAsync(options);
        }

        await using var fresh = await LocalPostgisServer.StartAsync(options);
        Assert.False(fresh.WasRunning);
        Assert.Equal(8, await ScalarAsync<int>(fresh.ConnectionString, "SELECT id FROM kept"));
    }

    [SkippableFact]
    public async Task Data_folder_closed_to_the_postgres_user_falls_back_to_temp_and_is_found_again()
    {
        PostgisFixture.RequireLocalServer();
        Skip.IfNot(Environment.IsPrivilegedProcess && OperatingSystem.IsLinux(), "Only root runs the server as another user.");
        var closed = NewPersistentFolder();
        Directory.CreateDirectory(closed);
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // like /root
        }
        var options = new LocalPostgisOptions { DataDirectory = Path.Combine(closed, "repo", ".barrio", "pgdata") };

        string used;
        await using (var server = await LocalPostgisServer.StartAsync(options))
        {
            used = server.DataDirectory;
            _foldersToDelete.Add(used);
            await ScalarAsync<int>(server.ConnectionString, "CREATE TABLE kept (id int); SELECT 1");
        }
        await using var again = await LocalPostgisServer.StartAsync(options);

        Assert.NotEqual(Path.GetFullPath(options.DataDirectory), used);
        Assert.StartsWith(Path.GetTempPath(), used, StringComparison.Ordinal);
        Assert.Equal(used, again.DataDirectory);
        Assert.Equal(0L, await ScalarAsync<long>(again.ConnectionString, "SELECT count(*) FROM kept"));
    }

    [SkippableFact]
    public async Task Failure_to_start_quotes_the_server_log()
    {
        PostgisFixture.RequireLocalServer();
        // (No TCP port can be in the way any more: the server listens on its Unix socket only.) A setting it refuses:
        var options = new LocalPostgisOptions { DataDirectory = NewPersistentFolder() };
        string dataDirectory;
        await using (var server = await LocalPostgisServer.StartAsync(options))
        {
            dataDirectory = server.DataDirectory;
        }
        await File.AppendAllTextAsync(Path.Combine(dataDirectory, "postgresql.conf"), "\nshared_buffers = 'plenty'\n");

        var error = await Assert.ThrowsAsync<LocalPostgisException>(() => LocalPostgisServer.StartAsync(options));

        Assert.Contains("Last lines of", error.Message, StringComparison.Ordinal);
        Assert.Contains("shared_buffers", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_extension_is_reported_with_the_package_to_install()
    {
        var options = LocalPostgisOptions.ForThrowaway("postgis", "no_such_extension");

        var error = await Assert.ThrowsAsync<PostgisUnavailableException>(() => LocalPostgisServer.StartAsync(options));

        Assert.Contains("no_such_extension", error.Message, StringComparison.Ordinal);
        Assert.Contains("Install the Debian package", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgis", 15, "postgresql-15-postgis-3")]
    [InlineData("postgis_topology", 16, "postgresql-16-postgis-3")]
    [InlineData("pgrouting", 15, "postgresql-15-pgrouting")]
    public void Package_for_extension(string extension, int major, string package) =>
        Assert.Equal(package, PostgisPrerequisites.PackageFor(extension, major));

    [Fact]
    public void Missing_server_binaries_name_the_postgresql_package()
    {
        var report = PostgisPrerequisites.Check(binDirectory: Path.Combine(Path.GetTempPath(), "no-postgres-here"));

        Assert.False(report.IsSatisfied);
        Assert.Contains("postgresql-15", report.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql-15-postgis-3", report.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "/tmp/x")]
    [InlineData(false, null)]
    public async Task Options_need_exactly_one_of_throwaway_and_data_directory(bool throwaway, string? dataDirectory)
    {
        var options = new LocalPostgisOptions { Throwaway = throwaway, DataDirectory = dataDirectory };

        await Assert.ThrowsAsync<ArgumentException>(() => LocalPostgisServer.StartAsync(options));
    }

    public void Dispose()
    {
        foreach (var folder in _foldersToDelete.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Stops a server a failed test may have left on the folder: adopt it and leave.</summary>
    private static async Task StopWhateverRunsAsync(LocalPostgisOptions options)
    {
        if (File.Exists(Path.Combine(options.DataDirectory!, "postmaster.pid")))
        {
            await (await LocalPostgisServer.StartAsync(options with { Adopt = true })).DisposeAsync();
        }
    }

    private string NewPersistentFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "barrio-pgtest-" + Guid.NewGuid().ToString("N")[..12]);
        _foldersToDelete.Add(folder);
        return folder;
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
