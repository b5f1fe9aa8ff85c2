using BarrioSeguro.Geo.Core.Notes;
using System.IO.Compression;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.IO.Shapefile;

/// <summary>
/// A zipped shapefile set, the way GIS teams mail layers around: every file of one or more shapefiles at the root of
/// the archive, each with its ESRI .prj and a UTF-8 .cpg.
/// </summary>
public static class ShapefileZip
{
    /// <summary>
    /// Writes the layer into <paramref name="output"/> as a zip. Coordinates go from <paramref name="sourceEpsg"/> to
    /// <paramref name="targetEpsg"/>; a layer with several geometry types becomes several shapefiles
    /// (layer_points, layer_lines, layer_polygons). The input features are not modified.
    /// </summary>
    /// <param name="warnings">Receives a line for each field name and value the DBF could not hold as given.</param>
    /// <returns>The number of features written.</returns>
    /// <exception cref="InvalidVectorFileException">No features, or a geometry a shapefile cannot hold.</exception>
    /// <exception cref="UnknownCrsException">Either EPSG code is not supported.</exception>
    public static int Write(Stream output, string layerName, IEnumerable<IFeature> features, int sourceEpsg, int targetEpsg,
        ICollection<Note>? warnings = null)
    {
        var scratch = Directory.CreateTempSubdirectory("barrio-shp-");
        try { return Write(output, layerName, Layer.InMemory(features, sourceEpsg, targetEpsg), targetEpsg, warnings, scratch.FullName); }
        finally { scratch.Delete(recursive: true); }
    }

    /// <summary>
    /// Writes a layer already in <paramref name="targetEpsg"/>: the shapefiles go to <paramref name="scratch"/> (an
    /// empty folder) one feature at a time, then into the archive file by file, so no file is held in memory whole.
    /// </summary>
    internal static int Write(Stream output, string layerName, Layer layer, int targetEpsg, ICollection<Note>? warnings, string scratch)
    {
        var files = ShapefileSet.Write(scratch, layerName, layer, targetEpsg, warnings);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var name in files)
        {
            // Fastest (zlib level 1): 4.4 MB of metro streets zip to 1.9 MB instead of 1.6 MB (level 6, GDAL's default) in
            // about a third of the time; a mailed layer is read once, the export waits for every byte.
            var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
            using var s = entry.Open();
            using var file = new FileStream(Path.Combine(scratch, name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            file.CopyTo(s);
        }
        return layer.Count;
    }

    /// <summary>
    /// Extracts a zip only after its entry count, its declared uncompressed size and every path are checked (a zip bomb
    /// or an entry aimed outside the folder is refused before a byte is written), and stops writing when an entry
    /// inflates past what it declared.
    /// </summary>
    private static void Extract(string zipPath, string scratch)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        if (InputLimits.ZipEntryCount(zip.Entries.Count) is { } many)
            throw new InvalidVectorFileException(zipPath, many);
        var declared = zip.Entries.Sum(e => e.Length);
        if (declared > InputLimits.ZipUncompressedBytes)
            throw new InvalidVectorFileException(zipPath, Note.Of("limits.zip_bytes", ("mib", Math.Round(declared / 1048576.0)), ("limit", InputLimits.ZipUncompressedBytes / 1048576)));
        var root = Path.GetFullPath(scratch) + Path.DirectorySeparatorChar;
        var targets = new List<(ZipArchiveEntry Entry, string Path)>();
        foreach (var entry in zip.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!target.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(entry.FullName))
                throw new InvalidVectorFileException(zipPath, Note.Of("io.zip_entry_outside", ("entry", entry.FullName)));
            targets.Add((entry, target));
        }
        Directory.CreateDirectory(root);
        long written = 0;
        var buffer = new byte[81920];
        foreach (var (entry, target) in targets)
        {
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\')) { Directory.CreateDirectory(target); continue; }
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            using var input = entry.Open();
            using var output = File.Create(target);
            long own = 0;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                own += read;
                written += read;
                if (own > entry.Length || written > InputLimits.ZipUncompressedBytes)
                    throw new InvalidVectorFileException(zipPath, Note.Of("io.zip_entry_inflates", ("entry", entry.FullName), ("bytes", entry.Length)));
                output.Write(buffer, 0, read);
            }
        }
    }

    /// <summary>
    /// Reads every shapefile in a zip (in any folder of it, in name order) and concatenates them. Layers in
    /// different CRSs are moved into the CRS of the first one.
    /// </summary>
    /// <exception cref="InvalidVectorFileException">Not a zip, no .shp inside, or a shapefile inside is invalid.</exception>
    public static FeatureSet Read(string zipPath, ReadOptions? options = null)
    {
        var info = new FileInfo(zipPath);
        if (!info.Exists) throw new InvalidVectorFileException(zipPath, Note.Of("io.not_found"));
        if (info.Length == 0) throw new InvalidVectorFileException(zipPath, Note.Of("io.empty_file"));
        var scratch = Path.Combine(Path.GetTempPath(), $"barrio-zip-{Guid.NewGuid():N}");
        try
        {
            try
            {
                Extract(zipPath, scratch);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new InvalidVectorFileException(zipPath, Note.Of("io.zip_unreadable", ("detail", e.Message.ReplaceLineEndings(" "))), e);
            }
            var shps = Directory.GetFiles(scratch, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".shp", StringComparison.OrdinalIgnoreCase) && !Path.GetFileName(f).StartsWith("._", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).ToList();
            if (shps.Count == 0) throw new InvalidVectorFileException(zipPath, Note.Of("io.zip_no_shp"));

            var all = new List<IFeature>();
            var warnings = new List<Note>();
            int? epsg = null;
            foreach (var shp in shps)
            {
                FeatureSet set;
                try { set = ShapefileSet.Read(shp, options ?? ReadOptions.Default); }
                catch (InvalidVectorFileException e)
                {
                    throw new InvalidVectorFileException(zipPath, e.Note, e, Path.GetRelativePath(scratch, shp));
                }
                // Warnings name the shapefile inside the zip, as errors do.
                warnings.AddRange(set.Notes.Select(w => shps.Count == 1 ? w : Note.Of("io.in_entry", ("entry", Path.GetRelativePath(scratch, shp)), ("text", w.ToString()))));
                epsg ??= set.Epsg;
                all.AddRange(set.Epsg == epsg ? set.Features : FeatureTransform.To(set.Features, set.Epsg, epsg.Value));
            }
            return new FeatureSet(all, epsg!.Value) { Notes = warnings, FromDbf = true };
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }
}
