using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Cli;

/// <summary>
/// The <c>barrio</c> command line: <c>barrio COMMAND [ARGS]</c>. Commands live in <see cref="CommandTable"/>.
/// Exit codes: 0 success, 1 failure (bad input file, I/O), 2 usage error.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        PhaseTimes.Mark("main entered");
        return Run(args, Console.Out, Console.Error);
    }

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
            rest = TakeLanguage(rest, keep: command.Name == "fieldkit");
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

    /// <summary>
    /// The language of the notes the command prints and writes in its JSON reports: --lang es|en (any command; the
    /// field kit's own --lang too), else BARRIO_LANG, else English, the language of the command line itself.
    /// </summary>
    private static string[] TakeLanguage(string[] args, bool keep)
    {
        string? lang = Environment.GetEnvironmentVariable("BARRIO_LANG") is { Length: > 0 } env ? env.Trim().ToLowerInvariant() : null;
        var rest = new List<string>(args.Length);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--lang" && i + 1 < args.Length) { lang = args[i + 1].Trim().ToLowerInvariant(); if (keep) rest.AddRange(args[i..(i + 2)]); i++; }
            else if (args[i].StartsWith("--lang=", StringComparison.Ordinal)) { lang = args[i]["--lang=".Length..].Trim().ToLowerInvariant(); if (keep) rest.Add(args[i]); }
            else rest.Add(args[i]);
        }
        if (lang is not null && !NoteCatalog.Default.Languages.Contains(lang))
        {
            if (keep) lang = null; // the command's own --lang says what is wrong with it
            else throw new UsageException($"--lang (or BARRIO_LANG) must be {string.Join(" or ", NoteCatalog.Default.Languages)}, not '{lang}'");
        }
        NoteLanguage.Current = lang ?? "en";
        return rest.ToArray();
    }

    private static void WriteOverview(TextWriter stdout)
    {
        stdout.WriteLine("Usage: barrio COMMAND [ARGS]   (barrio COMMAND --help for details)");
        stdout.WriteLine();
        stdout.WriteLine("Commands:");
        var width = CommandTable.All.Max(c => c.Name.Length) + 2;
        foreach (var c in CommandTable.All) stdout.WriteLine($"  {c.Name.PadRight(width)}{c.Summary}");
        stdout.WriteLine();
        stdout.WriteLine("Notes of results are in English; --lang es (or BARRIO_LANG=es) says them in Spanish.");
        stdout.WriteLine("The ./barrio script also runs: up (the service), test (every test), bench NAME (speed targets; tools/BarrioSeguro.Geo.Bench).");
    }
}
