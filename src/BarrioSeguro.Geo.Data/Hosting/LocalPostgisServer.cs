using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace BarrioSeguro.Geo.Data.Hosting;

/// <summary>
/// A PostgreSQL + PostGIS server run from the machine's PostgreSQL binaries on a data folder of our own: the persistent one
/// behind <c>./barrio up</c>, or a throwaway one for tests. It listens on no TCP address, only on a Unix socket (in the
/// data folder, mode 700, when the path is short enough), and every role needs its password (scram-sha-256): the
/// passwords are generated on first start and kept in <c>barrio-secrets</c> in the data folder (mode 600).
/// <see cref="ConnectionString"/> connects as <see cref="OwnerRole"/>, which owns the database but is no superuser;
/// <see cref="AdminConnectionString"/> as the <c>postgres</c> superuser, for creating databases and extensions.
/// </summary>
/// <remarks>
/// When this process is root (CI containers) the server runs as the <c>postgres</c> system user, because PostgreSQL refuses
/// to run as root. The server log is <see cref="LogFile"/> in the data folder; start failures quote its tail.
/// <para>
/// A persistent folder can be shared: a start that finds a live server on it (its <c>postmaster.pid</c> names the PID and
/// port) connects to that one instead of starting a second. Every instance using the folder holds a shared lock on
/// <c>barrio-users.lock</c> in it, so the kernel knows who is still there, crashed processes included. On dispose, the
/// instance that started the server (or adopted it, <see cref="LocalPostgisOptions.Adopt"/>) stops it only when it can take
/// that lock exclusively, i.e. when no other instance uses it; otherwise it leaves it running for them.
/// </para>
/// </remarks>
public sealed class LocalPostgisServer : IAsyncDisposable
{
    private const string LogFileName = "barrio-postgres.log";
    private const string ConfigFileName = "barrio.conf";
    private const string UsersLockFileName = "barrio-users.lock";
    private const string SecretsFileName = "barrio-secrets";
    private const string Superuser = "postgres";

    /// <summary>The role the service and the command line connect as: owner of the database, not a superuser.</summary>
    public const string OwnerRole = "barrio_owner";
    private const int MaxUnixSocketPathLength = 100; // sun_path is 108 bytes including ".s.PGSQL.nnnnn"

    /// <summary>Connections the server accepts (max_connections, written on every start).</summary>
    public const int MaxConnections = 100;

    /// <summary>Of <see cref="MaxConnections"/>, those kept for superusers (superuser_reserved_connections): an
    /// administrator's psql gets in when everything else is taken.</summary>
    public const int SuperuserReservedConnections = 3;

    /// <summary>
    /// The most connections the service may hold (its pool's Maximum Pool Size): the rest of
    /// <see cref="MaxConnections"/>, beyond the superusers' reserve, stays for the command line and other tools.
    /// </summary>
    public const int ServicePoolSize = 60;

    private readonly string _binDirectory;
    private readonly string? _throwawayRoot;
    private string? _socketDirectoryToDelete;
    private bool _running;
    private bool _disposed;
    private FileStream? _usersLock; // shared lock on barrio-users.lock while this instance uses a persistent server
    private bool _mayStop = true;   // started or adopted it: stops it when leaving last
    private LocalPostgisOptions? _options; // how it was started: a restart starts it the same way
    private string _socketDirectory;
    private Secrets? _secrets;

    private LocalPostgisServer(string binDirectory, string dataDirectory, int port, string database, string? throwawayRoot,
        string? socketDirectoryToDelete, string socketDirectory)
    {
        _socketDirectory = socketDirectory;
        _secrets = Secrets.Read(dataDirectory);
        _binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        Database = database;
        _throwawayRoot = throwawayRoot;
        _socketDirectoryToDelete = socketDirectoryToDelete;
    }

    /// <summary>Npgsql connection string to <see cref="Database"/> as <see cref="OwnerRole"/>: Host=(socket folder);Port=...;
    /// Username=barrio_owner;Password=...;Database=...</summary>
    public string ConnectionString => Connect(OwnerRole, _secrets?.Owner, Database);

    /// <summary>The same as the <c>postgres</c> superuser: for creating databases, roles and extensions.</summary>
    public string AdminConnectionString => Connect(Superuser, _secrets?.Superuser, Database);

    /// <summary>The folder of the server's Unix socket (the Host of the connection strings).</summary>
    public string SocketDirectory => _socketDirectory;

    private string Connect(string role, string? password, string database) =>
        ConnectTo(_socketDirectory, Port, role, password, database);

    private static string ConnectTo(string socketDirectory, int port, string role, string? password, string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = socketDirectory, Port = port, Username = role, Password = password, Database = database,
        }.ConnectionString;

    /// <summary>The port number: it names the socket (.s.PGSQL.port); there is no TCP listener.</summary>
    public int Port { get; }

    /// <summary>The database named in the options, created on start when missing.</summary>
    public string Database { get; }

    /// <summary>The data folder actually used: the requested one, a fallback under temp (see
    /// <see cref="LocalPostgisOptions.DataDirectory"/>), or the throwaway folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The server log (appended on every start).</summary>
    public string LogFile => Path.Combine(DataDirectory, LogFileName);

    /// <summary>True when the server was already running on the folder (another process's, or one left by a crash) and
    /// this instance connected to it instead of starting one.</summary>
    public bool WasRunning { get; private init; }

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
        FileStream? usersLock = null;
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
            if (!options.Throwaway)
            {
                usersLock = await JoinUsersAsync(dataDirectory, options.StartTimeout, ct).ConfigureAwait(false);
                if (await FindRunningAsync(dataDirectory, options.StartTimeout, ct).ConfigureAwait(false) is { } running)
                {
                    server = Attach(bin, dataDirectory, running, options, ref usersLock);
                    await EnsureDatabaseAsync(server, options, ct).ConfigureAwait(false);
                    return server;
                }
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

            int port;
            try
            {
                port = await StartPostmasterAsync(bin, dataDirectory, socketDirectory, options, ct).ConfigureAwait(false);
            }
            catch (LocalPostgisException) when (!options.Throwaway)
            {
                // Another process may have started it between our look and our start: then use theirs.
                var running = await FindRunningAsync(dataDirectory, options.StartTimeout, ct).ConfigureAwait(false);
                if (running is null)
                {
                    throw;
                }
                if (socketDirectory != dataDirectory) DeleteQuietly(socketDirectory);
                socketDirectory = null;
                server = Attach(bin, dataDirectory, running, options, ref usersLock);
                await EnsureDatabaseAsync(server, options, ct).ConfigureAwait(false);
                return server;
            }
            server = new LocalPostgisServer(bin, dataDirectory, port, options.Database, throwawayRoot,
                socketDirectory == dataDirectory ? null : socketDirectory, socketDirectory) { _running = true, _usersLock = usersLock, _options = options };
            usersLock = null;

            await EnsureDatabaseAsync(server, options, ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            usersLock?.Dispose();
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

    /// <summary>
    /// Leaves the server. One this instance started (or adopted) is stopped (<c>pg_ctl stop -m fast</c>: open sessions
    /// are ended, data is kept) unless another instance still uses it; one it found running and did not adopt is left
    /// running. Safe to call twice.
    /// </summary>
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
        FileStream? lastOut = null;
        if (_usersLock is not null)
        {
            _usersLock.Dispose();
            _usersLock = null;
            lastOut = _mayStop ? TryLockExclusively(DataDirectory) : null;
            if (lastOut is null)
            {
                _running = false; // not ours to stop, or someone else still uses it
                return;
            }
        }
        using var _ = lastOut; // held while stopping, so nobody attaches to a server on its way down
        var stop = await PostgresProcess.RunToolAsync(Tool("pg_ctl"),
            ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "-s"], ct).ConfigureAwait(false);
        if (!stop.Succeeded && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            throw new LocalPostgisException($"pg_ctl stop failed for '{DataDirectory}': {stop.Output}{Environment.NewLine}{LogTail(LogFile)}");
        }
        _running = false;
    }

    /// <summary>Leaves the server as <see cref="StopAsync"/> does and, for a throwaway server, deletes its folder.</summary>
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

    /// <summary>Whether the postmaster of <see cref="DataDirectory"/> is alive (its postmaster.pid names a live postgres
    /// process for this folder).</summary>
    public bool IsPostmasterAlive()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        try
        {
            var first = File.Exists(pidFile) ? File.ReadLines(pidFile).FirstOrDefault() : null;
            return int.TryParse(first?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                   && IsPostmasterOf(pid, DataDirectory);
        }
        catch (IOException)
        {
            return false; // removed while reading: it stopped
        }
    }

    /// <summary>
    /// Starts the server again, on the same port and folder, when its postmaster died (killed, crashed) while this
    /// instance still uses it; PostgreSQL recovers from its log on start. Returns whether it restarted it. A server
    /// started meanwhile by someone else on the folder is left as it is.
    /// </summary>
    /// <exception cref="LocalPostgisException">it did not start (e.g. the old server's processes are still exiting); try again later.</exception>
    public async Task<bool> RestartIfStoppedAsync(CancellationToken ct = default)
    {
        if (!_running || _disposed || _options is null || IsPostmasterAlive())
        {
            return false;
        }
        RemoveStalePidFile(DataDirectory);
        var socketDirectory = _socketDirectoryToDelete ?? DataDirectory;
        if (!CanHoldUnixSocket(socketDirectory))
        {
            // Adopted from another process that kept its socket elsewhere: a folder of our own (deleted on dispose).
            socketDirectory = await CreateServiceDirectoryUnderTempAsync("barrio-pgsock-" + Guid.NewGuid().ToString("N")[..12], ct)
                .ConfigureAwait(false);
            _socketDirectoryToDelete = socketDirectory;
            _socketDirectory = socketDirectory;
        }
        else if (!Directory.Exists(socketDirectory))
        {
            await PostgresProcess.PrepareOwnedDirectoryAsync(socketDirectory, ct).ConfigureAwait(false);
        }
        await StartPostmasterAsync(_binDirectory, DataDirectory, socketDirectory, _options with { Port = Port }, ct).ConfigureAwait(false);
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(connection); // its idle connections point at the dead server
        }
        return true;
    }

    public override string ToString() => $"PostgreSQL on the socket in {_socketDirectory} (port {Port}), data in {DataDirectory}";

    private string Tool(string name) => Path.Combine(_binDirectory, name);

    /// <summary>
    /// Lets go of the server as a crashed process would: the lock is released, the server keeps running, and nothing
    /// stops it. For tests of what the next start does with such an orphan.
    /// </summary>
    internal void Abandon()
    {
        _usersLock?.Dispose();
        _usersLock = null;
        _running = false;
        _disposed = true;
    }

    /// <summary>A live postmaster on a data folder, as its postmaster.pid describes it.</summary>
    private sealed record RunningPostmaster(int Pid, int Port, string SocketDirectory);

    private static LocalPostgisServer Attach(string bin, string dataDirectory, RunningPostmaster running, LocalPostgisOptions options,
        ref FileStream? usersLock)
    {
        var server = new LocalPostgisServer(bin, dataDirectory, running.Port, options.Database, null, null, running.SocketDirectory)
        {
            _running = true, _usersLock = usersLock, _mayStop = options.Adopt, WasRunning = true, _options = options,
        };
        usersLock = null;
        return server;
    }

    private static async Task EnsureDatabaseAsync(LocalPostgisServer server, LocalPostgisOptions options, CancellationToken ct)
    {
        await server.EnsureSecretsAsync(ct).ConfigureAwait(false);
        var admin = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Pooling = false }.ConnectionString;
        await PostgisDatabase.EnsureDatabaseAsync(admin, options.Database, ct: ct).ConfigureAwait(false);
        // Extensions need a superuser: made here once; the owner role then works with them.
        await PostgisDatabase.EnsureExtensionsAsync(admin, options.Extensions, ct).ConfigureAwait(false);
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        // Database identifiers are validated (plain lowercase); the owner also takes over what an older start made as
        // postgres in the public schema (tables, views, sequences; not those of extensions), so migrations work as owner.
        await using var handOver = new NpgsqlCommand($"""
            ALTER DATABASE "{options.Database}" OWNER TO {OwnerRole};
            DO $$
            DECLARE r record;
            BEGIN
              FOR r IN
                SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'S') AND c.relowner <> '{OwnerRole}'::regrole
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                  AND d.deptype IN ('e', 'a', 'i'))
              LOOP
                EXECUTE format('ALTER %s %s OWNER TO {OwnerRole}',
                  CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, r.rel);
              END LOOP;
            END $$;
            """, connection);
        await handOver.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// On a folder without <c>barrio-secrets</c> (first start, or a folder from before passwords): the server was started
    /// with socket-only trust (see <see cref="WriteAccessRules"/>); gives postgres and <see cref="OwnerRole"/> generated
    /// passwords, keeps them (mode 600), and switches the server to scram-sha-256. Makes the owner role when missing.
    /// </summary>
    private async Task EnsureSecretsAsync(CancellationToken ct)
    {
        var secrets = _secrets ?? Secrets.New();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(
            Connect(Superuser, _secrets?.Superuser, "postgres")) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        // Passwords are hex: safe inside quotes. DDL takes no parameters.
        var sql = $"""
            DO $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OwnerRole}') THEN
                CREATE ROLE {OwnerRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '{secrets.Owner}';
              END IF;
            END $$;
            """;
        if (_secrets is null)
        {
            sql += $"; ALTER ROLE {Superuser} PASSWORD '{secrets.Superuser}'; " +
                   $"ALTER ROLE {OwnerRole} LOGIN NOSUPERUSER PASSWORD '{secrets.Owner}';";
        }
        await using (var command = new NpgsqlCommand(sql, connection))
        {
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        if (_secrets is not null)
        {
            return;
        }
        secrets.Write(DataDirectory);
        _secrets = secrets;
        WriteAccessRules(DataDirectory, bootstrap: false);
        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", connection);
        await reload.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The two generated passwords of a folder, in <c>barrio-secrets</c> (mode 600; lines role=password).</summary>
    private sealed record Secrets(string Superuser, string Owner)
    {
        public static Secrets New() =>
            new(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)));

        public static Secrets? Read(string dataDirectory)
        {
            var path = Path.Combine(dataDirectory, SecretsFileName);
            if (!File.Exists(path))
            {
                return null;
            }
            var pairs = File.ReadAllLines(path).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
            return pairs.TryGetValue(LocalPostgisServer.Superuser, out var superuser) && pairs.TryGetValue(OwnerRole, out var owner)
                ? new Secrets(superuser, owner)
                : throw new LocalPostgisException($"'{path}' does not name the passwords of {LocalPostgisServer.Superuser} and {OwnerRole}.");
        }

        public void Write(string dataDirectory)
        {
            var path = Path.Combine(dataDirectory, SecretsFileName);
            var temp = path + ".new";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using (var writer = new StreamWriter(temp, Encoding.ASCII, options))
            {
                writer.Write($"# Passwords of the private PostgreSQL server, generated by BarrioSeguro.Geo.\n{LocalPostgisServer.Superuser}={Superuser}\n{OwnerRole}={Owner}\n");
            }
            File.Move(temp, path, overwrite: true);
        }
    }

    /// <summary>
    /// pg_hba.conf, rewritten on every start: the Unix socket only (there is no TCP listener), every role with its
    /// password. Only while the passwords are being made (<paramref name="bootstrap"/>) is the socket trusted, for the
    /// moment between start and <see cref="EnsureSecretsAsync"/>; the socket is in the mode 700 data folder then.
    /// </summary>
    private static void WriteAccessRules(string dataDirectory, bool bootstrap)
    {
        // Written in place: the file keeps its owner (the postgres user when we are root).
        File.WriteAllText(Path.Combine(dataDirectory, "pg_hba.conf"),
            "# Written by BarrioSeguro.Geo LocalPostgisServer on every start: the Unix socket only, with a password\n" +
            "# (see barrio-secrets). Edits here are lost.\n" +
            $"local all all {(bootstrap ? "trust" : "scram-sha-256")}\n");
    }

    /// <summary>
    /// Takes a shared lock on the folder's users file: "this process uses the server". Waits while someone holds it
    /// exclusively (a last user stopping the server).
    /// </summary>
    private static async Task<FileStream> JoinUsersAsync(string dataDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var path = Path.Combine(dataDirectory, UsersLockFileName);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // Read-only and shared: .NET takes flock(LOCK_SH); an exclusive holder makes this throw.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new LocalPostgisException($"'{path}' stayed locked for {timeout.TotalSeconds:0} s: the server on " +
                                                $"'{dataDirectory}' is being stopped by another process and did not finish.", e);
            }
        }
    }

    /// <summary>An exclusive lock on the users file (flock LOCK_EX), or null when another instance still holds it.</summary>
    private static FileStream? TryLockExclusively(string dataDirectory)
    {
        try
        {
            return new FileStream(Path.Combine(dataDirectory, UsersLockFileName), FileMode.OpenOrCreate, FileAccess.Read, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// The server live on this folder, once it accepts connections; null when none runs (a stale postmaster.pid is left
    /// for <see cref="RemoveStalePidFile"/>). A server still starting is waited for; one shutting down is waited out.
    /// </summary>
    private static async Task<RunningPostmaster?> FindRunningAsync(string dataDirectory, TimeSpan timeout, CancellationToken ct)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        var deadline = DateTime.UtcNow + timeout;
        string lastProblem = "";
        while (true)
        {
            string[] lines;
            try
            {
                lines = File.Exists(pidFile) ? await File.ReadAllLinesAsync(pidFile, ct).ConfigureAwait(false) : [];
            }
            catch (IOException)
            {
                lines = []; // removed while reading: the server stopped
            }
            // postmaster.pid: PID, data folder, start time, port, socket folder, listen address, shared memory key, status.
            if (lines.Length < 4
                || !int.TryParse(lines[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                || !IsPostmasterOf(pid, dataDirectory))
            {
                return null;
            }
            if (int.TryParse(lines[3].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) && port > 0
                && (lines.Length < 8 || lines[7].Trim() is "ready" or "standby"))
            {
                try
                {
                    var socketDirectory = lines.Length > 4 && lines[4].Trim().Length > 0 ? lines[4].Trim() : dataDirectory;
                    var probe = new NpgsqlConnectionStringBuilder(
                        ConnectTo(socketDirectory, port, Superuser, Secrets.Read(dataDirectory)?.Superuser, "postgres"))
                    {
                        Pooling = false, Timeout = 5,
                    }.ConnectionString;
                    try
                    {
                        await using var connection = new NpgsqlConnection(probe);
                        await connection.OpenAsync(ct).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (e.SqlState.StartsWith("28", StringComparison.Ordinal))
                    {
                        // It answers, though not to these credentials: it is running all the same.
                    }
                    return new RunningPostmaster(pid, port, socketDirectory);
                }
                catch (NpgsqlException e)
                {
                    lastProblem = e.Message;
                }
            }
            else
            {
                lastProblem = lines.Length >= 8 ? $"status '{lines[7].Trim()}'" : "no port yet";
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw new LocalPostgisException(
                    $"A PostgreSQL server (PID {pid}) runs on '{dataDirectory}' but did not accept connections within " +
                    $"{timeout.TotalSeconds:0} s ({lastProblem}). See {Path.Combine(dataDirectory, LogFileName)}.");
            }
            await Task.Delay(250, ct).ConfigureAwait(false);
        }
    }

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
        WriteAccessRules(dataDirectory, bootstrap: !File.Exists(Path.Combine(dataDirectory, SecretsFileName)));
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
            .AppendLine("listen_addresses = ''") // no TCP: the Unix socket only
            .AppendLine(CultureInfo.InvariantCulture, $"port = {port}")
            .AppendLine(CultureInfo.InvariantCulture, $"max_connections = {MaxConnections}")
            .AppendLine(CultureInfo.InvariantCulture, $"superuser_reserved_connections = {SuperuserReservedConnections}")
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
    /// PID in it is a live postgres process for this very data folder (a throwaway folder never has one; a persistent
    /// one is looked at first, see <see cref="FindRunningAsync"/>). On systems without /proc the file is left for the
    /// server's own check.
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
