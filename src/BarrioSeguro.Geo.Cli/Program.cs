using BarrioSeguro.Geo.Cli.Commands;

namespace BarrioSeguro.Geo.Cli;

/// <summary>
/// The <c>barrio</c> command line: <c>barrio COMMAND [ARGS]</c>. Commands live in <see cref="CommandTable"/>.
/// Exit codes: 0 success, 1 failure (bad input file, I/O), 2 usage error.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs one command line with the given output streams; what tests call in-process.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0)
        {
            stderr.WriteLine("barrio: no command given. Run 'barrio --help' for the list.");
            return ExitCodes.Usage;
        }
        if (args[0] is "--help" or "-h" or "help" && args.Length == 1)
        {
            WriteOverview(stdout);
            return ExitCodes.Ok;
        }
        if (args[0] == "help") return Run([args[1], "--help"], stdout, stderr);

        var command = CommandTable.Find(args[0]);
        if (command is null)
        {
            stderr.WriteLine($"barrio: unknown command '{args[0]}'. Run 'barrio --help' for the list.");
            return ExitCodes.Usage;
        }

        var rest = args[1..];
        if (rest.Any(a => a is "--help" or "-h"))
        {
            stdout.WriteLine(command.Help.TrimEnd());
            return ExitCodes.Ok;
        }
        try
        {
            return command.Run(rest, new CommandContext(stdout, stderr));
        }
        catch (UsageException e)
        {
            stderr.WriteLine($"barrio {command.Name}: {e.Message} (see 'barrio {command.Name} --help')");
            return ExitCodes.Usage;
        }
        catch (CommandFailedException e)
        {
            stderr.WriteLine($"barrio {command.Name}: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A fault no command foresaw: still one line, no stack trace (and no exit 134).
            stderr.WriteLine($"barrio {command.Name}: failed: {e.Message.ReplaceLineEndings(" ")}");
            return ExitCodes.Failure;
        }
    }

    private static void WriteOverview(TextWriter stdout)
    {
        stdout.WriteLine("Usage: barrio COMMAND [ARGS]   (barrio COMMAND --help for details)");
        stdout.WriteLine();
        stdout.WriteLine("Commands:");
        var width = CommandTable.All.Max(c => c.Name.Length) + 2;
        foreach (var c in CommandTable.All) stdout.WriteLine($"  {c.Name.PadRight(width)}{c.Summary}");
        stdout.WriteLine();
        stdout.WriteLine("The ./barrio script also runs: up (the service), test (every test), bench NAME (speed targets; tools/BarrioSeguro.Geo.Bench).");
    }
}
