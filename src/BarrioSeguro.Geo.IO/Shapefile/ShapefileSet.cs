using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Dbf;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;
using NetTopologySuite.IO.Esri.Shapefiles.Writers;
using NtsShapefile = NetTopologySuite.IO.Esri.Shapefile;

namespace BarrioSeguro.Geo.IO.Shapefile;

/// <summary>
/// A layer as the files of one or more shapefiles (.shp .shx .dbf .prj .cpg), and back.
/// A shapefile holds one geometry type, so a mixed layer is split: points, lines, polygons (Multi* with their singles),
/// named layer_points, layer_lines, layer_polygons; a single-type layer keeps its plain name.
/// </summary>
internal static class ShapefileSet
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private enum Group { Points, Lines, Polygons }

    /// <summary>
    /// Writes features already in <paramref name="epsg"/> as shapefile files into <paramref name="folder"/>, one feature
    /// at a time (the .shp and .dbf headers are completed when the last record is in, as GDAL does).
    /// DBF text is UTF-8 and a .cpg says so (GDAL, QGIS and ArcGIS read the .cpg first). What the DBF could not hold
    /// as given (field names over 10 bytes, text over 254 bytes) is a line each in <paramref name="warnings"/>.
    /// </summary>
    /// <returns>The names of the files written, in the order an archive lists them.</returns>
    /// <exception cref="InvalidVectorFileException">No features, or a geometry a shapefile cannot hold.</exception>
    public static IReadOnlyList<string> Write(string folder, string layerName, Layer layer, int epsg, ICollection<Note>? warnings = null)
    {
        warnings ??= new List<Note>();
        var shpName = layerName + ".shp";
        if (layer.Count == 0) throw new InvalidVectorFileException(shpName, Note.Of("io.no_features_to_write"));
        var prj = EsriPrj.For(epsg);

        // One schema for the whole layer, so the split files share field names and types.
        var schema = DbfSchema.Of(layer.Columns);

        // The groups and their shape types, known before the first record from what the layer holds.
        var byType = layer.Stats.ByType;
        var unsupported = byType.Where(t => GroupOf(t.Key) is null).OrderBy(t => t.Value.First).ToList();
        if (unsupported.Count > 0)
            throw new InvalidVectorFileException(shpName, Note.Of("io.shapefile_cannot_hold", ("feature", unsupported[0].Value.First + 1), ("type", unsupported[0].Key.ToString())));
        var order = byType.GroupBy(t => GroupOf(t.Key)!.Value).OrderBy(g => g.Min(t => t.Value.First)).Select(g => g.Key).ToList();
        if (order.Count == 0) throw new InvalidVectorFileException(shpName, Note.Of("io.no_geometry"));
        if (schema.RenamedNote() is { } renamed) warnings.Add(renamed);

        var writers = new Dictionary<Group, (ShapefileWriter Writer, bool MultiPoint, Stream[] Streams)>();
        var names = new List<string>();
        try
        {
            foreach (var group in order.OrderBy(g => g))
            {
                var name = order.Count == 1 ? layerName : $"{layerName}_{group.ToString().ToLowerInvariant()}";
                var hasZ = byType.Any(t => GroupOf(t.Key) == group && t.Value.FirstZ);
                var multiPoint = group == Group.Points && byType.ContainsKey(OgcGeometryType.MultiPoint);
                var streams = new Stream[] { Create(folder, name + ".shp"), Create(folder, name + ".shx"), Create(folder, name + ".dbf"), new MemoryStream() };
                var options = new ShapefileWriterOptions(ShapeTypeOf(group, multiPoint, hasZ), schema.CreateFields()) { Encoding = Utf8, Projection = prj };
                writers[group] = (NtsShapefile.OpenWrite(streams[0], streams[1], streams[2], streams[3], options), multiPoint, streams);
                File.WriteAllBytes(Path.Combine(folder, name + ".prj"), Utf8.GetBytes(prj));
                File.WriteAllBytes(Path.Combine(folder, name + ".cpg"), Utf8.GetBytes("UTF-8"));
                names.AddRange([name + ".shp", name + ".shx", name + ".dbf", name + ".prj", name + ".cpg"]);
            }

            // Features without geometry go with the first group as null shapes, after its own; their attributes are kept.
            var nulls = new List<AttributesTable>();
            var number = 0;
            foreach (var f in layer.Features)
            {
                number++;
                var attributes = schema.Convert(f.Attributes, number, warnings);
                if (f.Geometry is not { IsEmpty: false } g) { nulls.Add(attributes); continue; }
                var (writer, multiPoint, _) = writers[GroupOf(g.OgcGeometryType)!.Value];
                writer.Write(new Feature(multiPoint && g is Point p ? p.Factory.CreateMultiPoint([p]) : g, attributes));
            }
            foreach (var attributes in nulls) writers[order[0]].Writer.Write(new Feature(null, attributes));
        }
        finally
        {
            foreach (var (writer, _, streams) in writers.Values)
            {
                writer.Dispose();
                foreach (var stream in streams) stream.Dispose();
            }
        }
        return names;
    }

    private static FileStream Create(string folder, string name) =>
        new(Path.Combine(folder, name), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);

    private static Group? GroupOf(OgcGeometryType type) => type switch
    {
        OgcGeometryType.Point or OgcGeometryType.MultiPoint => Group.Points,
        OgcGeometryType.LineString or OgcGeometryType.MultiLineString => Group.Lines,
        OgcGeometryType.Polygon or OgcGeometryType.MultiPolygon => Group.Polygons,
        _ => null,
    };

    private static ShapeType ShapeTypeOf(Group group, bool multiPoint, bool hasZ) => (group, multiPoint, hasZ) switch
    {
        (Group.Points, false, false) => ShapeType.Point,
        (Group.Points, false, true) => ShapeType.PointZM,
        (Group.Points, true, false) => ShapeType.MultiPoint,
        (Group.Points, true, true) => ShapeType.MultiPointZM,
        (Group.Lines, _, false) => ShapeType.PolyLine,
        (Group.Lines, _, true) => ShapeType.PolyLineZM,
        (_, _, false) => ShapeType.Polygon,
        _ => ShapeType.PolygonZM,
    };

    /// <summary>
    /// Reads one shapefile from disk. The CRS comes from the .prj (ESRI or OGC WKT, see <see cref="EsriPrj.ToEpsg"/>);
    /// without a .prj, lon/lat coordinates are taken as EPSG:4326 and anything else is refused.
    /// The text encoding is <see cref="ReadOptions.DbfEncoding"/> when given, else decided by <see cref="DbfEncodings"/>;
    /// a guess is named in <see cref="FeatureSet.Warnings"/>.
    /// </summary>
    /// <exception cref="InvalidVectorFileException">Missing .shx or .dbf, unknown CRS, empty or corrupt file.</exception>
    public static FeatureSet Read(string shpPath, ReadOptions options)
    {
        var info = new FileInfo(shpPath);
        if (!info.Exists) throw new InvalidVectorFileException(shpPath, Note.Of("io.not_found"));
        if (info.Length == 0) throw new InvalidVectorFileException(shpPath, Note.Of("io.empty_file"));
        // The reader below does not need the .shx, but GDAL, QGIS and ArcGIS do: a set without it is broken for them.
        if (Sibling(shpPath, ".shx") is null) throw new InvalidVectorFileException(shpPath,
            Note.Of("io.shapefile_missing", ("file", Path.GetFileNameWithoutExtension(shpPath) + ".shx")));
        var dbf = Sibling(shpPath, ".dbf") ?? throw new InvalidVectorFileException(shpPath,
            Note.Of("io.shapefile_missing", ("file", Path.GetFileNameWithoutExtension(shpPath) + ".dbf")));

        var cpg = Sibling(shpPath, ".cpg") is { } cpgPath ? File.ReadAllText(cpgPath) : null;
        var dbfBytes = File.ReadAllBytes(dbf);
        var choice = DbfEncodings.Choose(options.DbfEncoding, cpg, DbfEncodings.LanguageDriverId(dbfBytes), dbfBytes);
        var encoding = choice.Encoding;

        // The DBF header says how many records follow: refuse a file over the limit before a geometry is built.
        if (dbfBytes.Length >= 8 && BitConverter.ToInt32(dbfBytes, 4) is var declared &&
            InputLimits.DbfRecords(Path.GetFileName(dbf), (uint)declared) is { } many)
            throw new InvalidVectorFileException(shpPath, many);

        var features = new List<Feature>();
        var wholeNumbers = new HashSet<string>();
        long vertices = 0;
        try
        {
            using var shpStream = File.OpenRead(shpPath);
            using var dbfStream = new MemoryStream(dbfBytes, writable: false);
            using var reader = NtsShapefile.OpenRead(shpStream, dbfStream, new ShapefileReaderOptions { Encoding = encoding });
            // The reader gives every N field as double; N fields without decimals are integers (long), as in GDAL.
            for (var i = 0; i < reader.Fields.Count; i++)
                if (reader.Fields[i] is { FieldType: DbfType.Numeric, NumericScale: 0 } field) wholeNumbers.Add(field.Name);
            while (reader.Read(out var deleted, out var feature))
            {
                if (deleted) continue;
                // Counted as the records stream in: a .shp whose header lies stops here, not after filling memory.
                vertices += feature.Geometry?.NumPoints ?? 0;
                if (features.Count >= InputLimits.FeaturesPerFile || vertices > InputLimits.VerticesPerFile)
                    throw new InvalidVectorFileException(shpPath, Note.Of("limits.shapefile", ("features", InputLimits.FeaturesPerFile), ("vertices", InputLimits.VerticesPerFile)));
                features.Add(feature);
            }
        }
        catch (Exception e) when (e is not InvalidVectorFileException)
        {
            throw new InvalidVectorFileException(shpPath, Note.Of("io.shapefile_unreadable", ("detail", e.Message.ReplaceLineEndings(" "))), e);
        }

        int epsg;
        if (Sibling(shpPath, ".prj") is { } prjPath)
        {
            var wkt = File.ReadAllText(prjPath);
            epsg = EsriPrj.ToEpsg(wkt) ?? throw new InvalidVectorFileException(shpPath,
                Note.Of("io.prj_unknown_crs", ("file", Path.GetFileName(prjPath)), ("wkt", Describe(wkt))));
        }
        else
        {
            var envelope = new Envelope();
            foreach (var f in features) if (f.Geometry is { } g) envelope.ExpandToInclude(g.EnvelopeInternal);
            if (!envelope.IsNull && (envelope.MinX < -180 || envelope.MaxX > 180 || envelope.MinY < -90 || envelope.MaxY > 90))
                throw new InvalidVectorFileException(shpPath, Note.Of("io.no_prj_not_lonlat"));
            epsg = Crs.Wgs84;
        }

        var result = features.Select(f => (IFeature)new Feature(WithSrid(f.Geometry, epsg), Normalise(f.Attributes, wholeNumbers))).ToList();
        return new FeatureSet(result, epsg) { Notes = choice.Warning is { } w ? [w] : [], FromDbf = true };
    }

    private static Geometry? WithSrid(Geometry? g, int epsg)
    {
        if (g is null) return null;
        g.SRID = epsg; // fresh from the reader, nobody else holds it
        return g;
    }

    // Same value types as the GeoJSON reader: whole numbers as long, others as double, text trimmed by the reader.
    private static AttributesTable Normalise(IAttributesTable? attributes, HashSet<string> wholeNumbers)
    {
        var table = new AttributesTable();
        if (attributes is null) return table;
        foreach (var name in attributes.GetNames())
        {
            table.Add(name, attributes[name] switch
            {
                double d when wholeNumbers.Contains(name) && d == Math.Floor(d) && Math.Abs(d) < 9.2e18 => (long)d,
                decimal d when wholeNumbers.Contains(name) => (long)d,
                int i => (long)i,
                short s => (long)s,
                byte b => (long)b,
                float f => (double)f,
                decimal d => d == Math.Truncate(d) && Math.Abs(d) < long.MaxValue ? (long)d : (double)d,
                var v => v,
            });
        }
        return table;
    }

    private static string? Sibling(string shpPath, string extension)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(shpPath))!;
        var stem = Path.GetFileNameWithoutExtension(shpPath);
        var exact = Path.Combine(dir, stem + extension);
        if (File.Exists(exact)) return exact;
        // Shapefile sets from Windows often mix case: STREETS.SHP with streets.dbf.
        return Directory.EnumerateFiles(dir, "*", new EnumerationOptions { MatchCasing = MatchCasing.CaseInsensitive })
            .FirstOrDefault(f => string.Equals(Path.GetFileName(f), stem + extension, StringComparison.OrdinalIgnoreCase));
    }

    private static string Describe(string wkt)
    {
        var oneLine = wkt.ReplaceLineEndings(" ").Trim();
        return oneLine.Length == 0 ? "(empty)" : oneLine.Length > 80 ? oneLine[..80] + "..." : oneLine;
    }
}
