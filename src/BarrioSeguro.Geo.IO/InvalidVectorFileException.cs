namespace BarrioSeguro.Geo.IO;

/// <summary>
/// A vector file that cannot be read or written. The message is one line naming the file and the reason,
/// fit to show a GIS user as is, e.g. "streets.shp: missing streets.dbf".
/// </summary>
public sealed class InvalidVectorFileException : Exception
{
    /// <summary>Creates the exception for a file and a reason.</summary>
    public InvalidVectorFileException(string path, string reason, Exception? inner = null)
        : base($"{Path.GetFileName(path)}: {reason}", inner)
    {
        FilePath = path;
        Reason = reason;
    }

    /// <summary>The file concerned, as given by the caller.</summary>
    public string FilePath { get; }

    /// <summary>Why it failed, without the file name.</summary>
    public string Reason { get; }
}
