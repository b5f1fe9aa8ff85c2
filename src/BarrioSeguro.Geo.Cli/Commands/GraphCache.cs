using System.Security.Cryptography;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// Street graphs kept on disk between runs of the command line, so that a graph is built once per street file and
/// mode: a file per (content hash of the street file and its sidecars, mode, <see cref="StreetGraph.FormatVersion"/>)
/// under <c>$XDG_CACHE_HOME/barrio/graphs</c> (else <c>~/.cache/barrio/graphs</c>). A file that cannot be read back
/// (cut short, damaged, another format) is ignored and rebuilt; files are written to a temporary name and renamed, so
/// a reader never sees half a file.
/// </summary>
internal sealed class GraphCache(string folder)
{
    public string Folder { get; } = folder;

    /// <summary>The default folder, or null when there is no home to put it in.</summary>
    public static GraphCache? Default()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        var root = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg) ? xdg
            : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home ? Path.Combine(home, ".cache")
            : null;
        return root is null ? null : new GraphCache(Path.Combine(root, "barrio", "graphs"));
    }

    /// <summary>The cache file of a street file's content for a mode and a policy on features that are not lines.</summary>
    public string PathOf(string streetsPath, TravelMode mode, NonLines policy) =>
        Path.Combine(Folder, $"{ContentHash(streetsPath)}-{mode.Name()}-{policy.ToString().ToLowerInvariant()}-v{StreetGraph.FormatVersion}.graph");

    /// <summary>The kept graph and the notes reading its streets gave, or null when there is none that reads back whole.</summary>
    public static (StreetGraph Graph, IReadOnlyList<Note> ReadNotes)? TryLoad(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return StreetGraph.Read(stream);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Keeps a graph (best effort: a cache that cannot be written only costs the next run its build).</summary>
    public static void Save(string file, StreetGraph graph, IReadOnlyList<Note> readNotes)
    {
        var temp = $"{file}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                graph.Write(stream, readNotes);
            File.Move(temp, file, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception f) when (f is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>SHA-256 of the file and, for a shapefile, of its sidecars (.dbf, .shx, .prj, .cpg) in that order.</summary>
    public static string ContentHash(string path)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = new List<string> { path };
        if (string.Equals(Path.GetExtension(path), ".shp", StringComparison.OrdinalIgnoreCase))
            foreach (var ext in new[] { ".dbf", ".shx", ".prj", ".cpg" })
                if (Path.ChangeExtension(path, ext) is var side && File.Exists(side)) files.Add(side);
        var buffer = new byte[1 << 16];
        foreach (var f in files)
        {
            using var stream = File.OpenRead(f);
            int n;
            while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, n);
            hash.AppendData([0]);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }
}
