using System.Diagnostics;
using System.Globalization;

namespace BarrioSeguro.Geo.Data.Tests.Hosting;

/// <summary>Kills a private server the way a crash or the OOM killer does, for fault tests.</summary>
public static class Postmaster
{
    /// <summary>The postmaster's PID, from the first line of postmaster.pid in <paramref name="dataDirectory"/>.</summary>
    public static int Pid(string dataDirectory) =>
        int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture);

    /// <summary>SIGKILL to the postmaster and, with <paramref name="backendsToo"/>, to every process it started (the
    /// backends: nothing gets to finish a transaction). Returns once the postmaster is gone.</summary>
    public static async Task KillAsync(string dataDirectory, bool backendsToo = false)
    {
        var pid = Pid(dataDirectory);
        var children = backendsToo ? ChildrenOf(pid) : [];
        using var postmaster = Process.GetProcessById(pid);
        postmaster.Kill(); // SIGKILL on Unix
        foreach (var child in children)
        {
            try
            {
                using var p = Process.GetProcessById(child);
                p.Kill();
            }
            catch (ArgumentException)
            {
                // already gone
            }
        }
        await postmaster.WaitForExitAsync();
    }

    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent) children.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile
            }
        }
        return children;
    }
}
