using System.Globalization;

namespace BarrioSeguro.Geo.Data.Hosting;

/// <summary>The folder is already served by another running service.</summary>
public sealed class ServiceAlreadyRunningException(string message) : LocalPostgisException(message);

/// <summary>
/// "This service serves this folder": an exclusive lock (flock) on <c>barrio-service.lock</c> in a folder such as
/// <c>.barrio/</c>, held while the service runs, and <c>barrio-service.txt</c> beside it saying where (PID, URL). The
/// kernel drops the lock when the process ends, SIGKILL included, so a crashed service leaves nothing that blocks the
/// next start; a stale .txt file is simply overwritten.
/// </summary>
public sealed class ServiceLock : IDisposable
{
    private const string LockFileName = "barrio-service.lock";
    private const string InfoFileName = "barrio-service.txt";

    private readonly FileStream _lock;
    private readonly string _infoFile;

    private ServiceLock(FileStream @lock, string infoFile) => (_lock, _infoFile) = (@lock, infoFile);

    /// <summary>Takes the folder for this process, serving at <paramref name="url"/>.</summary>
    /// <exception cref="ServiceAlreadyRunningException">another live process holds it; the message says which and where.</exception>
    public static ServiceLock Acquire(string folder, string url)
    {
        Directory.CreateDirectory(folder);
        var infoFile = Path.Combine(folder, InfoFileName);
        FileStream stream;
        try
        {
            // FileShare.None: .NET takes flock(LOCK_EX | LOCK_NB), which fails while another process holds it.
            stream = new FileStream(Path.Combine(folder, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var (pid, where) = ReadInfo(infoFile);
            throw new ServiceAlreadyRunningException(
                $"a BarrioSeguro.Geo service is already serving '{folder}'" +
                (where is null ? "" : $" at {where}") + (pid is null ? "" : $" (PID {pid})") +
                ". Use that one, or stop it (Ctrl-C in its terminal) before starting another.");
        }
        var held = new ServiceLock(stream, infoFile);
        held.Update(url);
        return held;
    }

    /// <summary>Rewrites where the service answers, e.g. once Kestrel picked its port.</summary>
    public void Update(string url) =>
        File.WriteAllText(_infoFile, string.Create(CultureInfo.InvariantCulture, $"pid={Environment.ProcessId}\nurl={url}\n"));

    private static (string? Pid, string? Url) ReadInfo(string infoFile)
    {
        try
        {
            var pairs = File.ReadAllLines(infoFile).Select(l => l.Split('=', 2)).Where(p => p.Length == 2)
                .ToDictionary(p => p[0].Trim(), p => p[1].Trim());
            return (pairs.GetValueOrDefault("pid"), pairs.GetValueOrDefault("url"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, null); // being written: the lock alone says someone is there
        }
    }

    /// <summary>Lets go of the folder (the info file goes too).</summary>
    public void Dispose()
    {
        try { File.Delete(_infoFile); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        _lock.Dispose();
    }
}
