using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.IO;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>What a caught exception says on the command's one stderr line, in the command's language.</summary>
internal static class CliText
{
    /// <summary>
    /// A bad file's or a refusal's reason in <see cref="NoteLanguage.Current"/> (a bad file's Message is English, for
    /// logs; a refusal's carries the English "(Parameter ...)"); else the message.
    /// </summary>
    public static string Of(Exception e) => (e switch
    {
        InvalidVectorFileException bad => bad.Local,
        RefusalException refusal => refusal.Reason.ToString(),
        _ => e.Message,
    }).ReplaceLineEndings(" ");
}
