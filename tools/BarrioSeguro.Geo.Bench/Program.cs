using BarrioSeguro.Geo.Cli.Commands;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// <c>barrio-bench BENCHMARK [options]</c>, run as <c>./barrio bench BENCHMARK</c>. The same exit codes and one-line
/// errors as <c>barrio</c>: 0 targets met, 1 a target missed or the work failed, 2 a usage error.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs one benchmark command line with the given output streams; what tests call in-process.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var bench = new BenchCommand();
        if (args.Any(a => a is "--help" or "-h") || args is ["help"])
        {
            stdout.WriteLine(bench.Help.TrimEnd());
            return ExitCodes.Ok;
        }
        try
        {
            return bench.Run(args, new CommandContext(stdout, stderr));
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"barrio bench: {e.Message} (see 'barrio bench --help')");
            return ExitCodes.Usage;
        }
        catch (CommandFailedException e)
        {
            stderr.WriteLine($"barrio bench: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
