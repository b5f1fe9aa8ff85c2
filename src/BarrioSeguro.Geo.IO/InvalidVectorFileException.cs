using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.IO;

/// <summary>
/// A vector file that cannot be read or written. The reason is a <see cref="Core.Notes.Note"/>, so the CLI and the
/// service say it in their reader's language (<see cref="Text"/>); the message is one line in English naming the file
/// and the reason, for logs, e.g. "streets.shp: missing streets.dbf".
/// </summary>
public sealed class InvalidVectorFileException : Exception
{
    /// <summary>Creates the exception for a file and a reason.</summary>
    /// <param name="entry">The file inside the given one the reason is about (a shapefile inside a zip), or null.</param>
    public InvalidVectorFileException(string path, Note reason, Exception? inner = null, string? entry = null)
        : base(Said(path, entry, reason, "en"), inner)
    {
        FilePath = path;
        Note = reason;
        Entry = entry;
    }

    /// <summary>The file concerned, as given by the caller.</summary>
    public string FilePath { get; }

    /// <summary>Why it failed, as a code with arguments.</summary>
    public Note Note { get; }

    /// <summary>The file inside <see cref="FilePath"/> the reason is about, or null.</summary>
    public string? Entry { get; }

    /// <summary>Why it failed, in English, without the file name.</summary>
    public string Reason => Entry is null ? Note.English : $"{Entry}: {Note.English}";

    /// <summary>The message in a language of the notes ("es", "en"): the file name, then the reason.</summary>
    public string Text(string language) => Said(FilePath, Entry, Note, language);

    /// <summary>The message in <see cref="NoteLanguage.Current"/> (the CLI's language, the API request's).</summary>
    public string Local => Text(NoteLanguage.Current);

    private static string Said(string path, string? entry, Note reason, string language) =>
        $"{Path.GetFileName(path)}: {(entry is null ? "" : entry + ": ")}{reason.Text(language)}";
}
