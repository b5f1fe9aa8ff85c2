using System.Diagnostics;
using BarrioSeguro.Geo.Data.Hosting;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Hosting;

/// <summary>One service per folder: a second is refused with where the first answers; a killed one blocks nothing.</summary>
public sealed class ServiceLockTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "barrio-lock-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void A_second_service_on_the_folder_is_refused_with_the_first_ones_address_and_pid()
    {
        using var first = ServiceLock.Acquire(_folder, "http://127.0.0.1:5080");

        var refused = Assert.Throws<ServiceAlreadyRunningException>(() => ServiceLock.Acquire(_folder, "http://127.0.0.1:5081"));

        Assert.Contains("already serving", refused.Message);
        Assert.Contains("http://127.0.0.1:5080", refused.Message);
        Assert.Contains($"PID {Environment.ProcessId}", refused.Message);
    }

    [Fact]
    public void The_folder_is_free_again_once_the_first_lets_go()
    {
        ServiceLock.Acquire(_folder, "http://127.0.0.1:5080").Dispose();
        using var second = ServiceLock.Acquire(_folder, "http://127.0.0.1:5081");
        Assert.Contains("url=http://127.0.0.1:5081", File.ReadAllText(Path.Combine(_folder, "barrio-service.txt")));
    }

    [Fact]
    public async Task A_service_killed_with_SIGKILL_leaves_nothing_that_blocks_the_next_start()
    {
        if (!File.Exists("/usr/bin/flock")) throw new InvalidOperationException("util-linux's flock is needed for this test");
        // A stand-in service in another process: it holds the lock as the service does (flock LOCK_EX) and wrote its
        // address, then is killed without a chance to clean up.
        Directory.CreateDirectory(_folder);
        var lockFile = Path.Combine(_folder, "barrio-service.lock");
        // -o: only flock itself holds the lock, not its child, so the lock is free once flock is gone (a child that
        // inherited it could outlive the wait below for a moment).
        using var standIn = Process.Start(new ProcessStartInfo("/usr/bin/flock", ["-x", "-o", lockFile, "sleep", "600"]))!;
        File.WriteAllText(Path.Combine(_folder, "barrio-service.txt"), $"pid={standIn.Id}\nurl=http://127.0.0.1:5090\n");
        // flock takes the lock before it runs sleep: wait until it does (a child appears), not for a time.
        while (!Directory.EnumerateDirectories("/proc").Any(d => IsChildOf(d, standIn.Id)))
        {
            Assert.False(standIn.HasExited, "flock ended");
            await Task.Delay(20);
        }
        var refused = Assert.Throws<ServiceAlreadyRunningException>(() => ServiceLock.Acquire(_folder, "http://127.0.0.1:5080"));
        Assert.Contains("http://127.0.0.1:5090", refused.Message);

        standIn.Kill(entireProcessTree: true);
        await standIn.WaitForExitAsync();

        using var next = ServiceLock.Acquire(_folder, "http://127.0.0.1:5080");
        Assert.Contains($"pid={Environment.ProcessId}", File.ReadAllText(Path.Combine(_folder, "barrio-service.txt")));
    }

    private static bool IsChildOf(string procDir, int parent)
    {
        if (!int.TryParse(Path.GetFileName(procDir), out _)) return false;
        try
        {
            var stat = File.ReadAllText(Path.Combine(procDir, "stat"));
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == parent.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // exited meanwhile
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (DirectoryNotFoundException) { }
    }
}
