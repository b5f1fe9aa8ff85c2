using System.ComponentModel;
using System.Diagnostics;

namespace BarrioSeguro.Geo.Data.Hosting;

/// <summary>
/// Runs PostgreSQL tools. PostgreSQL refuses to run as root, so when this process is root (a CI container) the tools run
/// as the <c>postgres</c> system user through <c>runuser</c>; otherwise (a developer laptop) they run as the current user.
/// </summary>
internal static class PostgresProcess
{
    public const string ServiceUser = "postgres";

    internal sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public bool Succeeded => ExitCode == 0;
        public string Output => (StdOut + Environment.NewLine + StdErr).Trim();
    }

    /// <summary>True when tools must be run as <see cref="ServiceUser"/> instead of the current (root) user.</summary>
    public static bool RunsAsServiceUser => !OperatingSystem.IsWindows() && Environment.IsPrivilegedProcess;

    /// <summary>Runs a PostgreSQL tool, as <see cref="ServiceUser"/> when this process is root.</summary>
    public static Task<Result> RunToolAsync(string file, IReadOnlyList<string> args, CancellationToken ct) =>
        RunsAsServiceUser
            ? RunAsync(RunuserPath(), ["-u", ServiceUser, "--", file, .. args], ct)
            : RunAsync(file, args, ct);

    /// <summary>Runs a command as the current user.</summary>
    public static async Task<Result> RunAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The caller's folder may be closed to the postgres user (e.g. /root/...); tools then warn or fail.
            WorkingDirectory = OperatingSystem.IsWindows() ? "" : "/",
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        // PG* variables from the caller's shell (PGDATA, PGPORT, PGHOST, ...) must not redirect the tools.
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }
        psi.Environment["LC_MESSAGES"] = "C";

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new LocalPostgisException($"Could not run '{file}': {e.Message}", e);
        }

        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        return new Result(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>
    /// Creates <paramref name="directory"/> (and parents) and, when running as root, hands it to the service user with
    /// mode 700, as initdb requires. Returns whether the service user can then reach and write it: a parent folder that is
    /// closed to other users (mode 700 /root) makes it unusable.
    /// </summary>
    public static async Task<bool> PrepareOwnedDirectoryAsync(string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        if (!RunsAsServiceUser || OperatingSystem.IsWindows())
        {
            return true;
        }
        var chown = await RunAsync("chown", [ServiceUser + ":", directory], ct).ConfigureAwait(false);
        if (!chown.Succeeded)
        {
            throw new LocalPostgisException($"Could not give '{directory}' to the '{ServiceUser}' user: {chown.Output}");
        }
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return await CanServiceUserWriteAsync(directory, ct).ConfigureAwait(false);
    }

    /// <summary>Whether the service user can traverse every parent of <paramref name="directory"/> and write in it.</summary>
    public static async Task<bool> CanServiceUserWriteAsync(string directory, CancellationToken ct)
    {
        if (!RunsAsServiceUser)
        {
            return true;
        }
        var test = await RunAsync(RunuserPath(), ["-u", ServiceUser, "--", "test", "-w", directory, "-a", "-x", directory], ct)
            .ConfigureAwait(false);
        return test.Succeeded;
    }

    /// <summary>Whether the system user the server runs as exists (only needed when running as root).</summary>
    public static bool ServiceUserExists()
    {
        try
        {
            return File.ReadLines("/etc/passwd").Any(l => l.StartsWith(ServiceUser + ":", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string RunuserPath() =>
        new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists) ?? "runuser";
}
