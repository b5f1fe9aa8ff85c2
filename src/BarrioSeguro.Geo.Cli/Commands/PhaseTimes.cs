using System.Diagnostics;
using System.Globalization;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// BARRIO_TIMINGS=1: each phase of a command on stderr, in ms since the process started (the runtime's own start
/// included), with the methods jitted so far (what ReadyToRun did not cover), and at the end the assemblies loaded:
/// to see where a cold one-shot process spends its time.
/// </summary>
internal static class PhaseTimes
{
    private static readonly bool On = Environment.GetEnvironmentVariable("BARRIO_TIMINGS") == "1";
    private static readonly DateTime Start = On ? Process.GetCurrentProcess().StartTime.ToUniversalTime() : default;

    public static void Mark(string phase)
    {
        if (!On) return;
        const double MiB = 1048576.0;
        var elapsed = (DateTime.UtcNow - Start).TotalMilliseconds;
        var peak = Process.GetCurrentProcess().PeakWorkingSet64 / MiB;
        var jitted = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"barrio: timing: {phase} at {elapsed:N0} ms, {Environment.WorkingSet / MiB:N0} MiB resident (peak {peak:N0}), " +
            $"{GC.GetTotalAllocatedBytes() / MiB:N0} MiB allocated, {GC.CollectionCount(0)} gen-0 collections, " +
            $"{System.Runtime.JitInfo.GetCompiledMethodCount()} methods jitted in {jitted:N0} ms"));
    }

    /// <summary>The rows as they pass, with a mark when the last one has gone by.</summary>
    public static IEnumerable<T> MarkEnd<T>(IEnumerable<T> items, string phase)
    {
        if (!On) return items;
        return Marked(items, phase);

        static IEnumerable<T> Marked(IEnumerable<T> items, string phase)
        {
            foreach (var item in items) yield return item;
            Mark(phase);
        }
    }

    public static void Assemblies()
    {
        if (!On) return;
        var names = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name)
            .Order(StringComparer.Ordinal).ToList();
        Console.Error.WriteLine($"barrio: timing: {names.Count} assemblies loaded: {string.Join(", ", names)}");
    }
}
