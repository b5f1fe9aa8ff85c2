namespace BarrioSeguro.Geo.IO;

/// <summary>
/// Writes output files into a hidden scratch folder beside the destination and moves them into place only when the
/// whole write succeeded, so a failure never leaves a half-written shapefile set or GeoPackage behind.
/// </summary>
internal static class AtomicOutput
{
    /// <summary>
    /// Calls <paramref name="write"/> with an empty scratch folder; every file it leaves there is then moved into
    /// <paramref name="directory"/>, replacing files of the same name. The scratch folder is removed in all cases.
    /// </summary>
    /// <returns>Full paths of the files moved into place, sorted.</returns>
    public static IReadOnlyList<string> Write(string directory, Action<string> write)
    {
        var target = Path.GetFullPath(string.IsNullOrEmpty(directory) ? "." : directory);
        Directory.CreateDirectory(target);
        // Same folder as the destination, so the final move is a rename on the same file system.
        var scratch = Path.Combine(target, $".barrio-tmp-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            write(scratch);
            var moved = new List<string>();
            foreach (var file in Directory.GetFiles(scratch).Order(StringComparer.Ordinal))
            {
                var destination = Path.Combine(target, Path.GetFileName(file));
                File.Move(file, destination, overwrite: true);
                moved.Add(destination);
            }
            return moved;
        }
        finally
        {
            try { Directory.Delete(scratch, recursive: true); }
            catch (IOException) { /* best effort: never hide the original error */ }
        }
    }
}
