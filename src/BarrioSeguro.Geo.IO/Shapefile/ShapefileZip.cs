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
        ICollection<string>? warnings = null)
    {
        var moved = FeatureTransform.To(features, sourceEpsg, targetEpsg);
        var files = ShapefileSet.Encode(layerName, moved, targetEpsg, warnings);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, bytes) in files)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            using var s = entry.Open();
            s.Write(bytes);
        }
        return moved.Count;
    }

    /// <summary>
    /// Extracts a zip only after its entry count, its declared uncompressed size and every path are checked (a zip bomb
    /// or an entry aimed outside the folder is refused before a byte is written), and stops writing when an entry
    /// inflates past what it declared.
    /// </summary>
    private static void Extract(string zipPath, string scratch)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        if (InputLimits.TooMany("the zip", zip.Entries.Count, InputLimits.ZipEntries, "entries") is { } many)
            throw new InvalidVectorFileException(zipPath, many);
        var declared = zip.Entries.Sum(e => e.Length);
        if (declared > InputLimits.ZipUncompressedBytes)
            throw new InvalidVectorFileException(zipPath, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the zip unpacks to {declared / 1048576.0:N0} MiB; at most {InputLimits.ZipUncompressedBytes / 1048576:N0} MiB are allowed"));
        var root = Path.GetFullPath(scratch) + Path.DirectorySeparatorChar;
        var targets = new List<(ZipArchiveEntry Entry, string Path)>();
        foreach (var entry in zip.Entries)
        {
            var target = Path.GetFullPath(Path.Combine(root, entry.FullName));
            if (!target.StartsWith(root, StringComparison.Ordinal) || Path.IsPathRooted(entry.FullName))
                throw new InvalidVectorFileException(zipPath, $"the entry '{entry.FullName}' would be written outside the folder it is unpacked in");
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
                    throw new InvalidVectorFileException(zipPath, $"the entry '{entry.FullName}' unpacks to more than the {entry.Length:N0} bytes it declares");
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
        if (!info.Exists) throw new InvalidVectorFileException(zipPath, "file not found");
        if (info.Length == 0) throw new InvalidVectorFileException(zipPath, "empty file");
        var scratch = Path.Combine(Path.GetTempPath(), $"barrio-zip-{Guid.NewGuid():N}");
        try
        {
            try
            {
                Extract(zipPath, scratch);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new InvalidVectorFileException(zipPath, $"not a readable zip ({e.Message})", e);
            }
            var shps = Directory.GetFiles(scratch, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".shp", StringComparison.OrdinalIgnoreCase) && !Path.GetFileName(f).StartsWith("._", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal).ToList();
            if (shps.Count == 0) throw new InvalidVectorFileException(zipPath, "no .shp file inside the zip");

            var all = new List<IFeature>();
            var warnings = new List<string>();
            int? epsg = null;
            foreach (var shp in shps)
            {
                FeatureSet set;
                try { set = ShapefileSet.Read(shp, options ?? ReadOptions.Default); }
                catch (InvalidVectorFileException e)
                {
                    throw new InvalidVectorFileException(zipPath, $"{Path.GetRelativePath(scratch, shp)}: {e.Reason}", e);
                }
                // Warnings name the shapefile inside the zip, as errors do.
                warnings.AddRange(set.Warnings.Select(w => shps.Count == 1 ? w : $"{Path.GetRelativePath(scratch, shp)}: {w}"));
                epsg ??= set.Epsg;
                all.AddRange(set.Epsg == epsg ? set.Features : FeatureTransform.To(set.Features, set.Epsg, epsg.Value));
            }
            return new FeatureSet(all, epsg!.Value) { Warnings = warnings, FromDbf = true };
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }
}
