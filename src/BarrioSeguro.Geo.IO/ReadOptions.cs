using System.Text;

namespace BarrioSeguro.Geo.IO;

/// <summary>How to read a vector file where the file itself may not say.</summary>
/// <param name="DbfEncoding">The text encoding of shapefile DBFs, over their .cpg and language byte (the user's
/// <c>--encoding</c>); null: decided per file by <see cref="Shapefile.DbfEncodings"/>. Other formats are UTF-8 by
/// definition and ignore it.</param>
public sealed record ReadOptions(Encoding? DbfEncoding = null)
{
    /// <summary>Options that leave every choice to the file.</summary>
    public static ReadOptions Default { get; } = new();

    /// <summary>An encoding named on a command line or in a query ("cp1252", "windows-1252", "UTF-8", "850", ...).</summary>
    /// <exception cref="ArgumentException">Not a name .NET knows; the message gives examples.</exception>
    public static Encoding ParseEncoding(string name) => Shapefile.DbfEncodings.FromCpg(name)
        ?? throw new BarrioSeguro.Geo.Core.Notes.RefusalException(BarrioSeguro.Geo.Core.Notes.Note.Of("io.unknown_encoding", ("encoding", name)), nameof(name));
}
