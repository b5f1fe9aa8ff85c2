using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace BarrioSeguro.Geo.IO.GeoPackage;

/// <summary>
/// OGC GeoPackage 1.3 feature layers. NetTopologySuite.IO.GeoPackage only encodes geometry blobs, so the container
/// (gpkg_spatial_ref_sys, gpkg_contents, gpkg_geometry_columns, the feature table) is written here with SQLite, per
/// the specification's required tables, plus the R-tree spatial index (gpkg_rtree_index extension) as GDAL makes it.
/// Geometry blobs carry a 2D envelope (XYZ when the geometry has Z), as GDAL writes them.
/// </summary>
public static class GeoPackageFile
{
    private const string GeometryColumn = "geom";
    private const string IdColumn = "fid";

    /// <summary>
    /// Reads every feature table (gpkg_contents data_type 'features', in table-name order) and concatenates them;
    /// tables in another CRS are moved into the CRS of the first. The CRS comes from the table's srs_id through
    /// gpkg_spatial_ref_sys (organization EPSG, or the WKT definition); srs_id 0 is taken as EPSG:4326.
    /// </summary>
    /// <exception cref="InvalidVectorFileException">Not a GeoPackage, no feature table, or an unknown CRS.</exception>
    public static FeatureSet Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InvalidVectorFileException(path, Note.Of("io.not_found"));
        if (info.Length == 0) throw new InvalidVectorFileException(path, Note.Of("io.empty_file"));
        try
        {
            using var db = Open(path, SqliteOpenMode.ReadOnly);
            var layers = new List<(string Table, string Column, int Epsg)>();
            using (var cmd = db.CreateCommand())
            {
                cmd.CommandText =
                    "SELECT c.table_name, g.column_name, g.srs_id, s.organization, s.organization_coordsys_id, s.definition " +
                    "FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name " +
                    "LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id " +
                    "WHERE c.data_type = 'features' ORDER BY c.table_name";
                using var r = cmd.ExecuteReader();
                while (r.Read())
                    layers.Add((r.GetString(0), r.GetString(1), EpsgOf(path, r.GetInt32(2), r.IsDBNull(3) ? null : r.GetString(3),
                        r.IsDBNull(4) ? null : r.GetInt32(4), r.IsDBNull(5) ? null : r.GetString(5))));
            }
            if (layers.Count == 0) throw new InvalidVectorFileException(path, Note.Of("io.gpkg_no_table"));

            var epsg = layers[0].Epsg;
            var all = new List<IFeature>();
            foreach (var (table, column, layerEpsg) in layers)
            {
                var features = ReadTable(db, table, column, layerEpsg);
                all.AddRange(layerEpsg == epsg ? features : FeatureTransform.To(features, layerEpsg, epsg));
            }
            return new FeatureSet(all, epsg);
        }
        catch (SqliteException e)
        {
            var reason = e.SqliteErrorCode == 26 ? Note.Of("io.gpkg_not_sqlite")
                : e.Message.Contains("no such table", StringComparison.Ordinal) ? Note.Of("io.gpkg_no_tables")
                : Note.Of("io.gpkg_unreadable", ("detail", e.Message.ReplaceLineEndings(" ")));
            throw new InvalidVectorFileException(path, reason, e);
        }
    }

    /// <summary>
    /// Writes features, moved from <paramref name="sourceEpsg"/> to <paramref name="targetEpsg"/>, as one feature
    /// table named <paramref name="layerName"/> in a new GeoPackage at <paramref name="path"/> (an existing file there is
    /// overwritten by the caller, not here: the path must not exist). Column types are inferred from the values.
    /// </summary>
    /// <returns>The number of features written.</returns>
    public static int Write(string path, string layerName, IEnumerable<IFeature> features, int sourceEpsg, int targetEpsg) =>
        Write(path, layerName, Layer.InMemory(features, sourceEpsg, targetEpsg), targetEpsg);

    /// <summary>Writes a layer already in <paramref name="targetEpsg"/>, one row at a time; the extent is set at the end.</summary>
    internal static int Write(string path, string layerName, Layer layer, int targetEpsg)
    {
        var moved = layer.Features;
        if (layer.Count == 0) throw new InvalidVectorFileException(path, Note.Of("io.no_features_to_write"));
        var columns = layer.Columns;
        var names = ColumnNames(columns);

        using var db = Open(path, SqliteOpenMode.ReadWriteCreate);
        using var tx = db.BeginTransaction();
        Exec(db, "PRAGMA application_id = 1196444487"); // 'GPKG'
        Exec(db, "PRAGMA user_version = 10300");        // 1.3.0
        Exec(db, "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, " +
                 "organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)");
        Exec(db, "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, " +
                 "description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), " +
                 "min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER, " +
                 "CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))");
        Exec(db, "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, " +
                 "geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, " +
                 "CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name), " +
                 "CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name), " +
                 "CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))");

        // The three rows the spec requires, plus the target system.
        InsertSrs(db, "Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system");
        InsertSrs(db, "Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system");
        InsertSrs(db, "WGS 84 geodetic", Crs.Wgs84, "EPSG", Crs.Wgs84, Crs.Wkt(Crs.Wgs84), "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid");
        if (targetEpsg != Crs.Wgs84) InsertSrs(db, Crs.NameOf(targetEpsg), targetEpsg, "EPSG", targetEpsg, Crs.Wkt(targetEpsg), null);

        // The extent is known once every row is in: the contents row gets it at the end, in the same transaction.
        var envelope = new Envelope();
        var columnSql = string.Concat(columns.Select((c, i) => $", {Quote(names[i])} {SqlType(c.Kind)}"));
        Exec(db, $"CREATE TABLE {Quote(layerName)} ({IdColumn} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {GeometryColumn} {GeometryTypeName(layer.Stats)}{columnSql})");
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) " +
                              "VALUES ($t, 'features', $t, $minx, $miny, $maxx, $maxy, $srs)";
            cmd.Parameters.AddWithValue("$t", layerName);
            cmd.Parameters.AddWithValue("$minx", envelope.IsNull ? DBNull.Value : envelope.MinX);
            cmd.Parameters.AddWithValue("$miny", envelope.IsNull ? DBNull.Value : envelope.MinY);
            cmd.Parameters.AddWithValue("$maxx", envelope.IsNull ? DBNull.Value : envelope.MaxX);
            cmd.Parameters.AddWithValue("$maxy", envelope.IsNull ? DBNull.Value : envelope.MaxY);
            cmd.Parameters.AddWithValue("$srs", targetEpsg);
            cmd.ExecuteNonQuery();
        }
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO gpkg_geometry_columns VALUES ($t, $c, $type, $srs, $z, 0)";
            // z: 0 prohibited, 2 optional; the geometry writer keeps Z where the coordinates have it.
            cmd.Parameters.AddWithValue("$z", layer.Stats.AnyFirstZ ? 2 : 0);
            cmd.Parameters.AddWithValue("$t", layerName);
            cmd.Parameters.AddWithValue("$c", GeometryColumn);
            cmd.Parameters.AddWithValue("$type", GeometryTypeName(layer.Stats));
            cmd.Parameters.AddWithValue("$srs", targetEpsg);
            cmd.ExecuteNonQuery();
        }

        using (var insert = db.CreateCommand())
        {
            insert.CommandText = $"INSERT INTO {Quote(layerName)} ({GeometryColumn}{string.Concat(names.Select(n => ", " + Quote(n)))}) " +
                                 $"VALUES ($g{string.Concat(names.Select((_, i) => $", $p{i}"))})";
            var flat = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
            var withZ = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XYZ };
            foreach (var f in moved)
            {
                if (f.Geometry is { IsEmpty: false } box) envelope.ExpandToInclude(box.EnvelopeInternal);
                insert.Parameters.Clear();
                // The writer's default (XYZM) gives 2D lines NaN Z and M and a 4D envelope: name the ordinates the data has.
                insert.Parameters.AddWithValue("$g", f.Geometry is not { IsEmpty: false } g ? DBNull.Value
                    : WithXyEnvelope((HasZ(g) ? withZ : flat).Write(WithSrid(g, targetEpsg)), g.EnvelopeInternal));
                for (var i = 0; i < columns.Count; i++)
                {
                    var value = f.Attributes is { } a && a.Exists(columns[i].Name) ? a[columns[i].Name] : null;
                    insert.Parameters.AddWithValue($"$p{i}", ToSql(value, columns[i].Kind));
                }
                insert.ExecuteNonQuery();
            }
        }
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "UPDATE gpkg_contents SET min_x = $minx, min_y = $miny, max_x = $maxx, max_y = $maxy WHERE table_name = $t";
            cmd.Parameters.AddWithValue("$t", layerName);
            cmd.Parameters.AddWithValue("$minx", envelope.IsNull ? DBNull.Value : envelope.MinX);
            cmd.Parameters.AddWithValue("$miny", envelope.IsNull ? DBNull.Value : envelope.MinY);
            cmd.Parameters.AddWithValue("$maxx", envelope.IsNull ? DBNull.Value : envelope.MaxX);
            cmd.Parameters.AddWithValue("$maxy", envelope.IsNull ? DBNull.Value : envelope.MaxY);
            cmd.ExecuteNonQuery();
        }
        CreateSpatialIndex(db, layerName);
        tx.Commit();
        return layer.Count;
    }

    /// <summary>
    /// The blob with its header's envelope replaced by the 2D one (indicator 1, as GDAL writes): the writer gives XYZ
    /// geometries a Z range of 0..0 whatever their heights.
    /// </summary>
    private static byte[] WithXyEnvelope(byte[] blob, Envelope e)
    {
        var doubles = ((blob[3] >> 1) & 7) switch { 0 => 0, 1 => 4, 2 or 3 => 6, _ => 8 };
        var wkb = blob.AsSpan(8 + doubles * 8);
        var result = new byte[8 + 32 + wkb.Length];
        blob.AsSpan(0, 8).CopyTo(result);
        result[3] = (byte)((blob[3] & ~0b1110) | (1 << 1));
        var littleEndian = (blob[3] & 1) == 1;
        foreach (var (v, i) in new[] { e.MinX, e.MaxX, e.MinY, e.MaxY }.Select((v, i) => (v, i)))
        {
            var slot = result.AsSpan(8 + i * 8, 8);
            if (littleEndian) System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(slot, v);
            else System.Buffers.Binary.BinaryPrimitives.WriteDoubleBigEndian(slot, v);
        }
        wkb.CopyTo(result.AsSpan(40));
        return result;
    }

    private static bool HasZ(Geometry g) => g.Coordinates.Any(c => !double.IsNaN(c.Z));

    /// <summary>
    /// The R-tree index of the geometry column, filled from the rows written, and the triggers that keep it current, in
    /// GDAL's words (the spec's: they call ST_* functions that GDAL and SpatiaLite provide, so they are created after
    /// the rows: our own inserts never fire them).
    /// </summary>
    private static void CreateSpatialIndex(SqliteConnection db, string table)
    {
        var rtree = $"rtree_{table}_{GeometryColumn}";
        var (t, r, g, id) = (Quote(table), Quote(rtree), Quote(GeometryColumn), Quote(IdColumn));
        Exec(db, "CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, " +
                 "scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))");
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = "INSERT INTO gpkg_extensions VALUES ($t, $c, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', 'write-only')";
            cmd.Parameters.AddWithValue("$t", table);
            cmd.Parameters.AddWithValue("$c", GeometryColumn);
            cmd.ExecuteNonQuery();
        }
        Exec(db, $"CREATE VIRTUAL TABLE {r} USING rtree(id, minx, maxx, miny, maxy)");
        using (var select = db.CreateCommand())
        using (var insert = db.CreateCommand())
        {
            select.CommandText = $"SELECT {id}, {g} FROM {t} WHERE {g} IS NOT NULL";
            insert.CommandText = $"INSERT INTO {r} VALUES ($id, $minx, $maxx, $miny, $maxy)";
            var reader = new GeoPackageGeoReader();
            using var rows = select.ExecuteReader();
            while (rows.Read())
            {
                var e = reader.Read((byte[])rows.GetValue(1)).EnvelopeInternal;
                if (e.IsNull) continue;
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("$id", rows.GetInt64(0));
                // SQLite's R-tree keeps 32-bit floats, rounding minima down and maxima up itself.
                insert.Parameters.AddWithValue("$minx", e.MinX);
                insert.Parameters.AddWithValue("$maxx", e.MaxX);
                insert.Parameters.AddWithValue("$miny", e.MinY);
                insert.Parameters.AddWithValue("$maxy", e.MaxY);
                insert.ExecuteNonQuery();
            }
        }
        var values = $"VALUES (NEW.{id},ST_MinX(NEW.{g}), ST_MaxX(NEW.{g}),ST_MinY(NEW.{g}), ST_MaxY(NEW.{g}))";
        Exec(db, $"CREATE TRIGGER {Quote(rtree + "_insert")} AFTER INSERT ON {t} WHEN (new.{g} NOT NULL AND NOT ST_IsEmpty(NEW.{g})) " +
                 $"BEGIN INSERT OR REPLACE INTO {r} {values}; END");
        Exec(db, $"CREATE TRIGGER {Quote(rtree + "_update1")} AFTER UPDATE OF {g} ON {t} WHEN OLD.{id} = NEW.{id} AND (NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g})) " +
                 $"BEGIN INSERT OR REPLACE INTO {r} {values}; END");
        Exec(db, $"CREATE TRIGGER {Quote(rtree + "_update2")} AFTER UPDATE OF {g} ON {t} WHEN OLD.{id} = NEW.{id} AND (NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g})) " +
                 $"BEGIN DELETE FROM {r} WHERE id = OLD.{id}; END");
        Exec(db, $"CREATE TRIGGER {Quote(rtree + "_update3")} AFTER UPDATE ON {t} WHEN OLD.{id} != NEW.{id} AND (NEW.{g} NOTNULL AND NOT ST_IsEmpty(NEW.{g})) " +
                 $"BEGIN DELETE FROM {r} WHERE id = OLD.{id}; INSERT OR REPLACE INTO {r} {values}; END");
        Exec(db, $"CREATE TRIGGER {Quote(rtree + "_update4")} AFTER UPDATE ON {t} WHEN OLD.{id} != NEW.{id} AND (NEW.{g} ISNULL OR ST_IsEmpty(NEW.{g})) " +
                 $"BEGIN DELETE FROM {r} WHERE id IN (OLD.{id}, NEW.{id}); END");
        Exec(db, $"CREATE TRIGGER {Quote(rtree + "_delete")} AFTER DELETE ON {t} WHEN old.{g} NOT NULL " +
                 $"BEGIN DELETE FROM {r} WHERE id = OLD.{id}; END");
    }

    private static List<IFeature> ReadTable(SqliteConnection db, string table, string geometryColumn, int epsg)
    {
        var declared = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? primaryKey = null;
        using (var info = db.CreateCommand())
        {
            info.CommandText = $"PRAGMA table_info({Quote(table)})";
            using var r = info.ExecuteReader();
            while (r.Read())
            {
                declared[r.GetString(1)] = r.IsDBNull(2) ? "" : r.GetString(2).ToUpperInvariant();
                if (r.GetInt32(5) == 1) primaryKey = r.GetString(1);
            }
        }

        var reader = new GeoPackageGeoReader();
        var features = new List<IFeature>();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT * FROM {Quote(table)}";
        using var rows = cmd.ExecuteReader();
        while (rows.Read())
        {
            Geometry? geometry = null;
            var attributes = new AttributesTable();
            for (var i = 0; i < rows.FieldCount; i++)
            {
                var name = rows.GetName(i);
                if (string.Equals(name, primaryKey, StringComparison.OrdinalIgnoreCase)) continue;
                if (string.Equals(name, geometryColumn, StringComparison.OrdinalIgnoreCase))
                {
                    if (!rows.IsDBNull(i))
                    {
                        geometry = reader.Read((byte[])rows.GetValue(i));
                        geometry.SRID = epsg;
                        if (geometry.IsEmpty) geometry = null;
                    }
                    continue;
                }
                attributes.Add(name, FromSql(rows.IsDBNull(i) ? null : rows.GetValue(i), declared.GetValueOrDefault(name, "")));
            }
            features.Add(new Feature(geometry, attributes));
        }
        return features;
    }

    private static int EpsgOf(string path, int srsId, string? organization, int? organizationId, string? definition)
    {
        if (string.Equals(organization, "EPSG", StringComparison.OrdinalIgnoreCase) && organizationId is { } code && Crs.IsSupported(code))
            return code;
        if (srsId == 0) return Crs.Wgs84; // "undefined geographic": the only geographic system here
        if (definition is not null && Shapefile.EsriPrj.ToEpsg(definition) is { } fromWkt) return fromWkt; // other organisations, same WKT
        throw new InvalidVectorFileException(path, organization is null
            ? Note.Of("io.gpkg_unknown_crs", ("srs", srsId))
            : Note.Of("io.gpkg_unknown_crs_of", ("srs", srsId), ("organization", organization), ("code", organizationId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "")));
    }

    private static object? FromSql(object? value, string declaredType) => value switch
    {
        null => null,
        long l when declaredType == "BOOLEAN" => l != 0,
        string s when declaredType is "DATE" or "DATETIME" &&
            DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) => t,
        _ => value,
    };

    private static object ToSql(object? value, AttributeKind kind) => value switch
    {
        null => DBNull.Value,
        _ => kind switch
        {
            AttributeKind.Int32 or AttributeKind.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            AttributeKind.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            AttributeKind.Bool => (bool)value ? 1L : 0L,
            AttributeKind.Date => AttributeSchema.AsDateTime(value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            AttributeKind.DateTime => AttributeSchema.AsDateTime(value).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            _ => AttributeSchema.AsText(value),
        },
    };

    private static string SqlType(AttributeKind kind) => kind switch
    {
        AttributeKind.Int32 => "MEDIUMINT",
        AttributeKind.Int64 => "INTEGER",
        AttributeKind.Double => "REAL",
        AttributeKind.Bool => "BOOLEAN",
        AttributeKind.Date => "DATE",
        AttributeKind.DateTime => "DATETIME",
        _ => "TEXT",
    };

    // One declared type when all geometries agree, else the generic GEOMETRY.
    private static string GeometryTypeName(LayerStats stats)
    {
        var types = stats.Types;
        return types.Count == 1 ? types[0] switch
        {
            OgcGeometryType.Point => "POINT",
            OgcGeometryType.LineString => "LINESTRING",
            OgcGeometryType.Polygon => "POLYGON",
            OgcGeometryType.MultiPoint => "MULTIPOINT",
            OgcGeometryType.MultiLineString => "MULTILINESTRING",
            OgcGeometryType.MultiPolygon => "MULTIPOLYGON",
            OgcGeometryType.GeometryCollection => "GEOMETRYCOLLECTION",
            _ => "GEOMETRY",
        } : "GEOMETRY";
    }

    // SQLite column names are case-insensitive and must not clash with fid/geom.
    private static List<string> ColumnNames(IReadOnlyList<AttributeColumn> columns)
    {
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { IdColumn, GeometryColumn };
        var names = new List<string>();
        foreach (var c in columns)
        {
            var name = c.Name.Length == 0 ? "field" : c.Name;
            var candidate = name;
            for (var n = 1; !used.Add(candidate); n++) candidate = $"{name}_{n}";
            names.Add(candidate);
        }
        return names;
    }

    private static Geometry WithSrid(Geometry g, int srid)
    {
        g.SRID = srid; // g is our own transformed copy
        return g;
    }

    private static void InsertSrs(SqliteConnection db, string name, int id, string org, int orgId, string definition, string? description)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = "INSERT INTO gpkg_spatial_ref_sys VALUES ($n, $id, $o, $oid, $d, $desc)";
        cmd.Parameters.AddWithValue("$n", name);
        cmd.Parameters.AddWithValue("$id", id);
        cmd.Parameters.AddWithValue("$o", org);
        cmd.Parameters.AddWithValue("$oid", orgId);
        cmd.Parameters.AddWithValue("$d", definition);
        cmd.Parameters.AddWithValue("$desc", (object?)description ?? DBNull.Value);
        cmd.ExecuteNonQuery();
    }

    private static void Exec(SqliteConnection db, string sql)
    {
        using var cmd = db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // No pooling: the file must be closed when we return, so it can be moved into place or deleted.
    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        db.Open();
        return db;
    }
}
