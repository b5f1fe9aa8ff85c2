using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.Csv;
using BarrioSeguro.Geo.IO.FlatGeobuf;
using BarrioSeguro.Geo.IO.GeoJson;
using BarrioSeguro.Geo.IO.GeoPackage;
using BarrioSeguro.Geo.IO.Gpx;
using BarrioSeguro.Geo.IO.Kml;
using BarrioSeguro.Geo.IO.Shapefile;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO;

/// <summary>
/// Reads and writes vector files, the format chosen by extension:
/// <c>.geojson</c>/<c>.json</c> (GeoJSON), <c>.gpkg</c> (GeoPackage), <c>.shp</c> (shapefile set), <c>.zip</c> (zipped shapefiles),
/// <c>.kml</c> (KML 2.2), <c>.csv</c> (WKT or lon/lat columns), <c>.fgb</c> (FlatGeobuf) and <c>.gpx</c> (points and
/// lines written; waypoints, routes and tracks read).
/// </summary>
public static class VectorFile
{
    /// <summary>The extensions this class writes, lower case with the dot.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".geojson", ".json", ".gpkg", ".shp", ".zip", ".kml", ".csv", ".fgb", ".gpx"];

    /// <summary>The extensions this class reads (all it writes).</summary>
    public static IReadOnlyList<string> ReadExtensions { get; } = [".geojson", ".json", ".gpkg", ".shp", ".zip", ".kml", ".csv", ".fgb", ".gpx"];

    /// <summary>Whether a format holds WGS 84 longitude/latitude only (KML, GPX): any other target CRS is refused.</summary>
    public static bool IsLonLatOnly(string path) => FormatOf(path) is Format.Kml or Format.Gpx;

    /// <summary>
    /// Reads all features of a file and the CRS of their coordinates. See <see cref="GeoJsonFile.Read"/>,
    /// <see cref="GeoPackageFile.Read"/>, <see cref="ShapefileZip.Read"/> for each format's rules.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="options">Choices the file may not state (a DBF's encoding); null: all from the file.</param>
    /// <exception cref="InvalidVectorFileException">Unknown extension, missing, empty or malformed file, unknown CRS,
    /// over an <see cref="InputLimits"/> limit, or coordinates that cannot be in the CRS the file names (see <see cref="InputCheck"/>).</exception>
    public static FeatureSet Read(string path, ReadOptions? options = null)
    {
        if (!File.Exists(path)) throw new InvalidVectorFileException(path, Note.Of("io.not_found"));
        options ??= ReadOptions.Default;
        var set = FormatOf(path) switch
        {
            Format.GeoJson => GeoJsonFile.Read(path),
            Format.GeoPackage => GeoPackageFile.Read(path),
            Format.Shapefile => ShapefileSet.Read(path, options),
            Format.Kml => KmlFile.Read(path),
            Format.Csv => CsvFile.Read(path),
            Format.FlatGeobuf => FlatGeobufFile.Read(path),
            Format.Gpx => GpxFile.Read(path),
            _ => ShapefileZip.Read(path, options),
        };
        return InputCheck.Checked(path, set);
    }

    /// <summary>
    /// The CRS a write uses when the caller names none: EPSG:4326 for GeoJSON (RFC 7946), KML, GPX and CSV; for shapefiles,
    /// GeoPackages and FlatGeobuf the WGS 84 UTM zone of the data (data already in a WGS 84 UTM zone keeps it), since Peruvian GIS
    /// teams exchange those in UTM.
    /// </summary>
    /// <exception cref="InvalidVectorFileException">Unknown extension.</exception>
    public static int DefaultTargetEpsg(string path, IReadOnlyList<IFeature> features, int sourceEpsg) =>
        FormatOf(path) is Format.GeoJson or Format.Kml or Format.Gpx or Format.Csv ? Crs.Wgs84 : FeatureTransform.UtmZoneOf(features, sourceEpsg);

    /// <summary>The same default from the extent of the data alone (in <paramref name="sourceEpsg"/>), for a stream of features.</summary>
    public static int DefaultTargetEpsg(string path, Envelope extent, int sourceEpsg) =>
        FormatOf(path) is Format.GeoJson or Format.Kml or Format.Gpx or Format.Csv ? Crs.Wgs84 : FeatureTransform.UtmZoneOf(extent, sourceEpsg);

    /// <summary>
    /// Writes features to a file, the format chosen by extension, coordinates moved from <paramref name="sourceEpsg"/>
    /// to <paramref name="targetEpsg"/> (null: <see cref="DefaultTargetEpsg"/>). The layer name is the file name
    /// without extension. Existing files of the same names are replaced.
    /// <list type="bullet">
    /// <item>GeoJSON: RFC 7946 in EPSG:4326; another target adds a legacy <c>crs</c> member (see <see cref="GeoJsonFile"/>).</item>
    /// <item>Shapefile (.shp, .zip): ESRI .prj, UTF-8 DBF with a .cpg, field names of at most 10 bytes, one file per
    /// geometry type (layer_points, layer_lines, layer_polygons) when the layer mixes them. Field names cut and text cut
    /// to 254 bytes are named in <see cref="WriteSummary.Warnings"/>; <see cref="Shapefile.DbfFieldNames.Restore"/>
    /// maps the names back on reading.</item>
    /// <item>GeoPackage: one feature table, the CRS registered in gpkg_spatial_ref_sys, an R-tree index.</item>
    /// <item>FlatGeobuf: one layer with its packed Hilbert R-tree, see <see cref="FlatGeobufFile"/>.</item>
    /// <item>KML, GPX: WGS 84 lon/lat only (see <see cref="KmlFile"/>, <see cref="GpxFeatures"/>); CSV: WKT or lon/lat
    /// (x/y when projected) columns, see <see cref="CsvFile"/>.</item>
    /// </list>
    /// Everything is written to a scratch folder beside the destination first and moved into place only on success:
    /// a failure leaves no partial output. The input features are not modified.
    /// </summary>
    /// <exception cref="InvalidVectorFileException">Unknown extension, no features, a geometry the format cannot hold, or
    /// a target CRS other than EPSG:4326 for KML or GPX.</exception>
    /// <exception cref="UnknownCrsException">An EPSG code is not supported.</exception>
    public static WriteSummary Write(string path, IEnumerable<IFeature> features, int sourceEpsg, int? targetEpsg = null)
    {
        var format = FormatOf(path);
        // A list is written from memory as it stands; any other sequence is a stream (rows from PostGIS), read once and
        // written as it comes, through a spool file where the format needs the whole layer first.
        var list = features as IReadOnlyList<IFeature>;
        int? known = targetEpsg ?? (list is not null ? DefaultTargetEpsg(path, list, sourceEpsg)
            : format is Format.GeoJson or Format.Kml or Format.Gpx or Format.Csv ? Crs.Wgs84 : null);
        if (known is { } k) Check(path, format, k);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var fileName = Path.GetFileName(path);
        var layerName = Path.GetFileNameWithoutExtension(path);
        var count = 0;
        var target = known ?? 0;
        var warnings = new List<Note>();

        var files = AtomicOutput.Write(directory, scratch =>
        {
            var scratchFile = Path.Combine(scratch, fileName);
            // Work files in a folder of their own: only the scratch folder's files are moved into place.
            var work = Directory.CreateDirectory(Path.Combine(scratch, "work")).FullName;
            if (format == Format.GeoJson)
            {
                using var s = File.Create(scratchFile);
                count = GeoJsonFile.Write(s, features, sourceEpsg, target);
                return;
            }
            if (format == Format.Gpx)
            {
                using var s = File.Create(scratchFile);
                count = GpxFeatures.Write(s, path, list ?? features.ToList(), sourceEpsg);
                return;
            }
            using var spool = list is null ? FeatureSpool.Write(features, Path.Combine(work, "features.spool")) : null;
            if (known is null)
            {
                target = FeatureTransform.UtmZoneOf(spool!.Stats.Envelope, sourceEpsg);
                Check(path, format, target);
            }
            var layer = spool is null ? Layer.InMemory(list!, sourceEpsg, target) : Layer.Spooled(spool, sourceEpsg, target);
            switch (format)
            {
                case Format.GeoPackage:
                    count = GeoPackageFile.Write(scratchFile, layerName, layer, target);
                    break;
                case Format.Shapefile:
                    ShapefileSet.Write(scratch, layerName, layer, target, warnings);
                    count = layer.Count;
                    break;
                case Format.Kml:
                    using (var s = File.Create(scratchFile)) count = KmlFile.Write(s, layerName, layer);
                    break;
                case Format.Csv:
                    using (var s = File.Create(scratchFile)) count = CsvFile.Write(s, layer, target);
                    break;
                case Format.FlatGeobuf:
                    using (var s = File.Create(scratchFile)) count = FlatGeobufFile.Write(s, path, layerName, layer, target, Path.Combine(work, "features.fgb"));
                    break;
                default:
                    var zipWork = Directory.CreateDirectory(Path.Combine(work, "zip")).FullName;
                    using (var s = File.Create(scratchFile)) count = ShapefileZip.Write(s, layerName, layer, target, warnings, zipWork);
                    break;
            }
        });
        return new WriteSummary(count, target, files) { Notes = warnings };
    }

    private static void Check(string path, Format format, int target)
    {
        if (!Crs.IsSupported(target)) throw new UnknownCrsException($"EPSG:{target}");
        if (target != Crs.Wgs84 && format is Format.Kml or Format.Gpx)
            throw new InvalidVectorFileException(path, Note.Of("io.lonlat_only", ("format", format.ToString().ToUpperInvariant()), ("epsg", target)));
    }

    private enum Format { GeoJson, GeoPackage, Shapefile, ShapefileZip, Kml, Csv, FlatGeobuf, Gpx }

    private static Format FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".geojson" or ".json" => Format.GeoJson,
        ".gpkg" => Format.GeoPackage,
        ".shp" => Format.Shapefile,
        ".zip" => Format.ShapefileZip,
        ".kml" => Format.Kml,
        ".csv" => Format.Csv,
        ".fgb" => Format.FlatGeobuf,
        ".gpx" => Format.Gpx,
        var ext => throw new InvalidVectorFileException(path, ext.Length == 0
            ? Note.Of("io.no_extension", ("extensions", Extensions))
            : Note.Of("io.unknown_extension", ("extension", ext), ("extensions", Extensions))),
    };
}
