using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace BarrioSeguro.Geo.Data.Hosting;

/// <summary>
/// A PostgreSQL + PostGIS server run from the machine's PostgreSQL binaries on a data folder of our own: the persistent one
/// behind <c>./barrio up</c>, or a throwaway one for tests. Listens on 127.0.0.1 only, with trust authentication for the
/// <c>postgres</c> user, so it is for one developer machine or a CI job, never for production.
/// </summary>
/// <remarks>
/// When this process is root (CI containers) the server runs as the <c>postgres</c> system user, because PostgreSQL refuses
/// to run as root. The server log is <see cref="LogFile"/> in the data folder; start failures quote its tail.
/// </remarks>
public sealed class LocalPostgisServer : IAsyncDisposable
{
    private const string LogFileName = "barrio-postgres.log";
    private const string ConfigFileName = "barrio.conf";
    private const int MaxUnixSocketPathLength = 100; // sun_path is 108 bytes including ".s.PGSQL.nnnnn"

    private readonly string _binDirectory;
    private readonly string? _throwawayRoot;
    private readonly string? _socketDirectoryToDelete;
    private bool _running;
    private bool _disposed;

    private LocalPostgisServer(string binDirectory, string dataDirectory, int port, string database, string? throwawayRoot,
        string? socketDirectoryToDelete)
    {
        _binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        Database = database;
        _throwawayRoot = throwawayRoot;
        _socketDirectoryToDelete = socketDirectoryToDelete;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Database = database,
        }.ConnectionString;
    }

    /// <summary>Npgsql connection string to <see cref="Database"/>: Host=127.0.0.1;Port=...;Username=postgres;Database=...</summary>
    public string ConnectionString { get; }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The database named in the options, created on start when missing.</summary>
    public string Database { get; }

    /// <summary>The data folder actually used: the requested one, a fallback under temp (see
    /// <see cref="LocalPostgisOptions.DataDirectory"/>), or the throwaway folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The server log (appended on every start).</summary>
    public string LogFile => Path.Combine(DataDirectory, LogFileName);

    /// <summary>
    /// Initialises the data folder if needed, starts the server and creates the database and extensions.
    /// </summary>
    /// <exception cref="PostgisUnavailableException">PostgreSQL or an extension is not installed; the message names the package.</exception>
    /// <exception cref="LocalPostgisException">initdb or the server failed; the message quotes the tool output or the log tail.</exception>
    public static async Task<LocalPostgisServer> StartAsync(LocalPostgisOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var report = PostgisPrerequisites.Check(options.Extensions, options.BinDirectory);
        if (!report.IsSatisfied)
        {
            throw new PostgisUnavailableException(report.Message);
        }
        var bin = report.BinDirectory!;

        string? throwawayRoot = null;
        string? socketDirectory = null;
        LocalPostgisServer? server = null;
        try
        {
            string dataDirectory;
            if (options.Throwaway)
            {
                throwawayRoot = await CreateServiceDirectoryUnderTempAsync("barrio-pg-" + Guid.NewGuid().ToString("N")[..12], ct)
                    .ConfigureAwait(false);
                dataDirectory = Path.Combine(throwawayRoot, "data");
                await PostgresProcess.PrepareOwnedDirectoryAsync(dataDirectory, ct).ConfigureAwait(false);
            }
            else
            {
                dataDirectory = await ResolvePersistentDirectoryAsync(Path.GetFullPath(options.DataDirectory!), ct).ConfigureAwait(false);
            }

            if (!IsInitialised(dataDirectory))
            {
                await InitDbAsync(bin, dataDirectory, options.Throwaway, ct).ConfigureAwait(false);
            }
            RemoveStalePidFile(dataDirectory);

            if (CanHoldUnixSocket(dataDirectory))
            {
                socketDirectory = dataDirectory;
            }
            else
            {
                socketDirectory = await CreateServiceDirectoryUnderTempAsync("barrio-pgsock-" + Guid.NewGuid().ToString("N")[..12], ct)
                    .ConfigureAwait(false);
            }

            var port = await StartPostmasterAsync(bin, dataDirectory, socketDirectory, options, ct).ConfigureAwait(false);
            server = new LocalPostgisServer(bin, dataDirectory, port, options.Database, throwawayRoot,
                socketDirectory == dataDirectory ? null : socketDirectory) { _running = true };

            var admin = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ConnectionString;
            await PostgisDatabase.EnsureDatabaseAsync(admin, options.Database, ct: ct).ConfigureAwait(false);
            await PostgisDatabase.EnsureExtensionsAsync(admin, options.Extensions, ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            if (server is not null)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                DeleteQuietly(throwawayRoot);
                if (socketDirectory is not null && throwawayRoot is null && !IsInitialised(socketDirectory))
                {
                    DeleteQuietly(socketDirectory);
                }
            }
            throw;
        }
    }

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>): open sessions are ended, data is kept. Safe to call twice.</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (!_running)
        {
            return;
        }
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection);
        }
        var stop = await PostgresProcess.RunToolAsync(Tool("pg_ctl"),
            ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "-s"], ct).ConfigureAwait(false);
        if (!stop.Succeeded && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            throw new LocalPostgisException($"pg_ctl stop failed for '{DataDirectory}': {stop.Output}{Environment.NewLine}{LogTail(LogFile)}");
        }
        _running = false;
    }

    /// <summary>Stops the server and, for a throwaway server, deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            DeleteQuietly(_throwawayRoot);
            DeleteQuietly(_socketDirectoryToDelete);
        }
    }

    public override string ToString() => $"PostgreSQL on 127.0.0.1:{Port}, data in {DataDirectory}";

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    private static bool IsInitialised(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));

    private static async Task InitDbAsync(string bin, string dataDirectory, bool throwaway, CancellationToken ct)
    {
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            throw new LocalPostgisException(
                $"'{dataDirectory}' is not empty but holds no PostgreSQL data (no PG_VERSION): perhaps an interrupted first start. " +
                "Move it away or delete it, and start again.");
        }
        List<string> args = ["-D", dataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"];
        if (throwaway)
        {
            args.Add("--no-sync");
        }
        var init = await PostgresProcess.RunToolAsync(Path.Combine(bin, "initdb"), args, ct).ConfigureAwait(false);
        if (!init.Succeeded)
        {
            throw new LocalPostgisException($"initdb failed for '{dataDirectory}' (exit code {init.ExitCode}):{Environment.NewLine}{init.Output}");
        }
    }

    private static async Task<int> StartPostmasterAsync(string bin, string dataDirectory, string socketDirectory,
        LocalPostgisOptions options, CancellationToken ct)
    {
        EnsureConfigInclude(dataDirectory);
        var logFile = Path.Combine(dataDirectory, LogFileName);
        const int attempts = 3;
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port == 0 ? FindFreePort() : options.Port;
            WriteConfig(dataDirectory, port, socketDirectory, options.Throwaway);
            var logLength = File.Exists(logFile) ? new FileInfo(logFile).Length : 0;
            var start = await PostgresProcess.RunToolAsync(Path.Combine(bin, "pg_ctl"),
                ["start", "-D", dataDirectory, "-l", logFile, "-w", "-s",
                 "-t", ((int)options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)], ct).ConfigureAwait(false);
            if (start.Succeeded)
            {
                return port;
            }

            var log = LogTail(logFile, logLength);
            var portTaken = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                            || log.Contains("could not create any TCP/IP sockets", StringComparison.OrdinalIgnoreCase);
            if (portTaken && options.Port == 0 && attempt < attempts)
            {
                continue; // another process took the free port between our probe and the server's bind
            }
            throw new LocalPostgisException(
                $"PostgreSQL did not start on '{dataDirectory}' (port {port}): {start.Output}{Environment.NewLine}" +
                $"Last lines of {logFile}:{Environment.NewLine}{log}");
        }
    }

    /// <summary>Our settings live in barrio.conf, rewritten on every start; postgresql.conf includes it once.</summary>
    private static void EnsureConfigInclude(string dataDirectory)
    {
        var mainConfig = Path.Combine(dataDirectory, "postgresql.conf");
        const string include = "include_if_exists = '" + ConfigFileName + "'";
        if (!File.ReadLines(mainConfig).Any(l => l.Trim() == include))
        {
            File.AppendAllText(mainConfig, $"{Environment.NewLine}# Added by BarrioSeguro.Geo LocalPostgisServer{Environment.NewLine}{include}{Environment.NewLine}");
        }
    }

    private static void WriteConfig(string dataDirectory, int port, string socketDirectory, bool throwaway)
    {
        var config = new StringBuilder()
            .AppendLine("# Written by BarrioSeguro.Geo LocalPostgisServer on every start. Put your own settings in postgresql.conf.")
            .AppendLine("listen_addresses = '127.0.0.1'")
            .AppendLine(CultureInfo.InvariantCulture, $"port = {port}")
            .AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = '{socketDirectory.Replace("'", "''", StringComparison.Ordinal)}'");
        if (throwaway)
        {
            // A throwaway test server: losing it on a power cut is fine, waiting for the disk is not.
            config.AppendLine("fsync = off").AppendLine("synchronous_commit = off").AppendLine("full_page_writes = off");
        }
        File.WriteAllText(Path.Combine(dataDirectory, ConfigFileName), config.ToString());
    }

    /// <summary>
    /// Deletes postmaster.pid left by a killed server, so the next start does not stop on it. Refuses (throws) when the
    /// PID in it is a live postgres process for this very data folder: that server is really running. On systems without
    /// /proc the file is left for the server's own check.
    /// </summary>
    private static void RemoveStalePidFile(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile) || !OperatingSystem.IsLinux())
        {
            return;
        }
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length > 0 && int.TryParse(lines[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                             && IsPostmasterOf(pid, dataDirectory))
        {
            var port = lines.Length > 3 ? lines[3].Trim() : "?";
            throw new LocalPostgisException(
                $"A PostgreSQL server (PID {pid}, port {port}) is already running on '{dataDirectory}'. " +
                $"Stop it first, e.g. pg_ctl stop -D '{dataDirectory}' as the postgres user.");
        }
        File.Delete(pidFile);
    }

    private static bool IsPostmasterOf(int pid, string dataDirectory)
    {
        string comm;
        try
        {
            comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return false; // no such process
        }
        catch (UnauthorizedAccessException)
        {
            return true; // cannot tell: let the server decide
        }
        if (comm is not ("postgres" or "postmaster"))
        {
            return false; // the PID was reused by an unrelated process
        }
        try
        {
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Contains(dataDirectory, StringComparer.Ordinal)
                   || args.Contains(dataDirectory.TrimEnd('/') + "/", StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>
    /// The requested data folder, or, when the postgres user cannot reach it (root running in a clone under a mode 700
    /// parent), a folder under temp derived from its path, so that a second start finds the same data.
    /// </summary>
    private static async Task<string> ResolvePersistentDirectoryAsync(string requested, CancellationToken ct)
    {
        if (IsInitialised(requested))
        {
            if (await PostgresProcess.CanServiceUserWriteAsync(requested, ct).ConfigureAwait(false))
            {
                return requested;
            }
            throw new LocalPostgisException(
                $"'{requested}' holds PostgreSQL data, but the '{PostgresProcess.ServiceUser}' user cannot reach or write it " +
                "(check the ownership of the folder and that every parent folder is traversable, e.g. chmod o+x).");
        }

        var existed = Directory.Exists(requested);
        if (await PostgresProcess.PrepareOwnedDirectoryAsync(requested, ct).ConfigureAwait(false))
        {
            return requested;
        }
        if (!existed)
        {
            DeleteQuietly(requested);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requested)))[..16];
        return await CreateServiceDirectoryUnderTempAsync($"barrio-pgdata-{hash}", ct).ConfigureAwait(false);
    }

    /// <summary>A folder under the system temp folder (or /tmp when that one is closed to the postgres user) that the
    /// postgres user owns.</summary>
    private static async Task<string> CreateServiceDirectoryUnderTempAsync(string name, CancellationToken ct)
    {
        var candidates = new[] { Path.GetTempPath(), "/tmp" }.Distinct().Where(Directory.Exists);
        foreach (var temp in candidates)
        {
            var dir = Path.Combine(temp, name);
            if (await PostgresProcess.PrepareOwnedDirectoryAsync(dir, ct).ConfigureAwait(false))
            {
                return dir;
            }
            DeleteQuietly(dir);
        }
        throw new LocalPostgisException(
            $"No temp folder the '{PostgresProcess.ServiceUser}' user can reach (tried {Path.GetTempPath()} and /tmp).");
    }

    private static bool CanHoldUnixSocket(string directory) =>
        directory.Length + "/.s.PGSQL.65535.lock".Length <= MaxUnixSocketPathLength
        && directory.IndexOfAny([',', ' ', '"', '\'', '\\']) < 0;

    private static int FindFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static string LogTail(string logFile, long from = 0, int lines = 30)
    {
        try
        {
            using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return all.Length == 0 ? "(log is empty)" : string.Join(Environment.NewLine, all.TakeLast(lines));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(could not read {logFile}: {e.Message})";
        }
    }

    private static void DeleteQuietly(string? directory)
    {
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temp folder must not hide the real outcome.
        }
    }
}
