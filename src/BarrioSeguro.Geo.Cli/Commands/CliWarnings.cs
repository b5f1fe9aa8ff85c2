using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>Warnings about a file: what was guessed, left out or cut. They go to stderr, results to stdout.</summary>
internal static class CliWarnings
{
    /// <summary>Writes each note as one line "warning: FILE: note" on stderr.</summary>
    public static void Write(CommandContext context, string path, IEnumerable<string> notes)
    {
        foreach (var note in notes) context.Error.WriteLine($"warning: {Path.GetFileName(path)}: {note}");
    }

    /// <summary>Writes each note, in the command's language, as one line "warning: FILE: note" on stderr.</summary>
    public static void Write(CommandContext context, string path, IEnumerable<Note> notes) =>
        Write(context, path, notes.Select(n => n.ToString()));
}
