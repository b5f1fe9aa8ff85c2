namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// One <c>barrio</c> subcommand. To add one: a class implementing this in Commands/, and a line in <see cref="CommandTable"/>.
/// <see cref="Program"/> handles --help, and turns <see cref="UsageException"/> into exit 2 and
/// <see cref="CommandFailedException"/> into exit 1, each as a one-line message on stderr.
/// </summary>
public interface ICommand
{
    /// <summary>The word typed after <c>barrio</c>.</summary>
    string Name { get; }

    /// <summary>One line for the command list.</summary>
    string Summary { get; }

    /// <summary>The full help text printed by <c>barrio NAME --help</c>.</summary>
    string Help { get; }

    /// <summary>Runs with the arguments after the command name; returns the exit code.</summary>
    int Run(IReadOnlyList<string> args, CommandContext context);
}

/// <summary>Where a command writes: stdout for results, stderr for diagnostics.</summary>
public sealed record CommandContext(TextWriter Out, TextWriter Error);

/// <summary>Process exit codes of <c>barrio</c>.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;
}

/// <summary>The command line is wrong (missing or unknown argument): exit 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The command could not do its work (bad file, I/O error): exit 1. The message is shown as is.</summary>
public sealed class CommandFailedException(string message, Exception? inner = null) : Exception(message, inner);
