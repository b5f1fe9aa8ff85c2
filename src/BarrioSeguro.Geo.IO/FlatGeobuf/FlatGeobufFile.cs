using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using Google.FlatBuffers;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.FlatGeobuf;

/// <summary>
/// FlatGeobuf 3 (flatgeobuf.org): magic bytes, a size-prefixed FlatBuffers <c>Header</c>, the packed Hilbert R-tree
/// index, then one size-prefixed <c>Feature</c> per feature. No FlatGeobuf package is served for .NET here, so the
/// tables are read and written from the spec's schemas (header.fbs, feature.fbs) with Google.FlatBuffers.
/// <list type="bullet">
/// <item>Written: one layer, the CRS as EPSG code and WKT, a column per attribute (Int, Long, Double, Bool, String,
/// DateTime for dates and date-times), the header's geometry type when all features share one (else Unknown and a type
/// per feature), Z when a coordinate has one, and the R-tree with nodes of 16 as GDAL writes by default (no index when
/// a feature has no geometry: the index needs a box per feature).</item>
/// <item>Read: every geometry type but curves, any column type (integers as long, floats as double, DateTime parsed
/// when it is ISO 8601, Json as text, Binary skipped); the CRS from the EPSG code or the WKT; none given: EPSG:4326
/// when the coordinates are longitude/latitude.</item>
/// </list>
/// </summary>
public static class FlatGeobufFile
{
    private static readonly byte[] Magic = [0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x00];
    private const ushort NodeSize = 16;
    private const int NodeItemBytes = 40;

    // Field slots of the schemas (header.fbs, feature.fbs), in declaration order.
    private static class H { public const int Name = 0, Envelope = 1, GeometryType = 2, HasZ = 3, HasM = 4, Columns = 7, FeaturesCount = 8, IndexNodeSize = 9, Crs = 10, Count = 14; }
    private static class Col { public const int Name = 0, Type = 1, Count = 11; }
    private static class C { public const int Org = 0, Code = 1, Name = 2, Wkt = 4, Count = 6; }
    private static class G { public const int Ends = 0, Xy = 1, Z = 2, M = 3, Type = 6, Parts = 7, Count = 8; }
    private static class F { public const int Geometry = 0, Properties = 1, Count = 3; }

    private enum GeometryType : byte { Unknown = 0, Point, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon, GeometryCollection }

    private enum ColumnType : byte { Byte, UByte, Bool, Short, UShort, Int, UInt, Long, ULong, Float, Double, String, Json, DateTime, Binary }

    // ---------------------------------------------------------------- writing

    /// <summary>Writes the features, moved from <paramref name="sourceEpsg"/> to <paramref name="targetEpsg"/>, as one layer; returns the number written.</summary>
    /// <exception cref="InvalidVectorFileException">No features, or a geometry type FlatGeobuf cannot hold.</exception>
    public static int Write(Stream output, string path, string layerName, IEnumerable<IFeature> features, int sourceEpsg, int targetEpsg) =>
        Write(output, path, layerName, Layer.InMemory(features, sourceEpsg, targetEpsg), targetEpsg, null);

    /// <summary>
    /// Writes a layer already in <paramref name="targetEpsg"/>. The index precedes the features and orders them, so the
    /// encoded features go first to <paramref name="scratchFile"/> (null: memory) with each one's box, and are copied
    /// from there in Hilbert order once the index is written: memory holds boxes and offsets, not features.
    /// </summary>
    internal static int Write(Stream output, string path, string layerName, Layer layer, int targetEpsg, string? scratchFile)
    {
        if (layer.Count == 0) throw new InvalidVectorFileException(path, Note.Of("io.no_features_to_write"));
        var columns = layer.Columns;
        var types = layer.Stats.NonEmptyTypes.Select(t => TypeOf(path, t)).Distinct().ToList();
        var headerType = types.Count == 1 ? types[0] : GeometryType.Unknown;
        var hasZ = layer.Stats.AnyZ;
        var indexed = layer.Stats.AllGeometry;

        var boxes = new List<Envelope?>(layer.Count);
        var offsets = new List<long>(layer.Count + 1) { 0 };
        var extent = new Envelope();
        using var spill = scratchFile is null ? (Stream)new MemoryStream() : new FileStream(scratchFile, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        foreach (var f in layer.Features)
        {
            var g = f.Geometry is { IsEmpty: false } geometry ? geometry : null;
            if (g is not null) extent.ExpandToInclude(g.EnvelopeInternal);
            boxes.Add(g?.EnvelopeInternal);
            var bytes = EncodeFeature(f, g, columns, headerType, hasZ);
            spill.Write(bytes);
            offsets.Add(offsets[^1] + bytes.Length);
        }
        var count = boxes.Count;

        // Features in Hilbert order of their boxes' centres, as the packed R-tree requires (its leaves follow the features).
        var order = Enumerable.Range(0, count).ToArray();
        if (indexed)
        {
            var keys = order.Select(i => Hilbert(boxes[i]!, extent)).ToArray();
            order = order.OrderByDescending(i => keys[i]).ThenBy(i => i).ToArray();
        }

        output.Write(Magic);
        output.Write(EncodeHeader(layerName, extent, headerType, hasZ, columns, (ulong)count, indexed ? NodeSize : (ushort)0, targetEpsg));
        if (indexed)
        {
            var leaves = new List<(Envelope Box, ulong Offset)>(count);
            ulong offset = 0;
            foreach (var i in order)
            {
                leaves.Add((boxes[i]!, offset));
                offset += (ulong)(offsets[i + 1] - offsets[i]);
            }
            output.Write(PackedRTree(leaves));
        }
        var buffer = new byte[1 << 16];
        foreach (var i in order)
        {
            var length = (int)(offsets[i + 1] - offsets[i]);
            if (buffer.Length < length) buffer = new byte[length];
            spill.Position = offsets[i];
            spill.ReadExactly(buffer, 0, length);
            output.Write(buffer, 0, length);
        }
        return count;
    }

    private static GeometryType TypeOf(string path, OgcGeometryType type) => type switch
    {
        OgcGeometryType.Point => GeometryType.Point,
        OgcGeometryType.LineString => GeometryType.LineString,
        OgcGeometryType.Polygon => GeometryType.Polygon,
        OgcGeometryType.MultiPoint => GeometryType.MultiPoint,
        OgcGeometryType.MultiLineString => GeometryType.MultiLineString,
        OgcGeometryType.MultiPolygon => GeometryType.MultiPolygon,
        OgcGeometryType.GeometryCollection => GeometryType.GeometryCollection,
        _ => throw new InvalidVectorFileException(path, Note.Of("io.fgb_geometry_type", ("type", type.ToString()))),
    };

    private static byte[] EncodeHeader(string name, Envelope extent, GeometryType type, bool hasZ, IReadOnlyList<AttributeColumn> columns,
        ulong count, ushort nodeSize, int epsg)
    {
        var b = new FlatBufferBuilder(1024);
        var nameOffset = b.CreateString(name);
        var columnOffsets = columns.Select(c =>
        {
            var n = b.CreateString(c.Name);
            b.StartTable(Col.Count);
            b.AddOffset(Col.Name, n.Value, 0);
            b.AddByte(Col.Type, (byte)ColumnTypeOf(c.Kind), 0);
            return b.EndTable();
        }).ToArray();
        var columnsVector = OffsetVector(b, columnOffsets);
        var envelope = extent.IsNull ? default : DoubleVector(b, [extent.MinX, extent.MinY, extent.MaxX, extent.MaxY]);
        var org = b.CreateString("EPSG");
        var crsName = b.CreateString(Crs.NameOf(epsg));
        var wkt = b.CreateString(Crs.Wkt(epsg));
        b.StartTable(C.Count);
        b.AddOffset(C.Org, org.Value, 0);
        b.AddInt(C.Code, epsg, 0);
        b.AddOffset(C.Name, crsName.Value, 0);
        b.AddOffset(C.Wkt, wkt.Value, 0);
        var crs = b.EndTable();

        b.StartTable(H.Count);
        b.AddOffset(H.Name, nameOffset.Value, 0);
        if (!extent.IsNull) b.AddOffset(H.Envelope, envelope.Value, 0);
        b.AddByte(H.GeometryType, (byte)type, 0);
        b.AddBool(H.HasZ, hasZ, false);
        b.AddOffset(H.Columns, columnsVector.Value, 0);
        b.AddUlong(H.FeaturesCount, count, 0);
        b.ForceDefaults = true; // 0 (no index) differs from the schema's default of 16: always say it
        b.AddUshort(H.IndexNodeSize, nodeSize, 16);
        b.ForceDefaults = false;
        b.AddOffset(H.Crs, crs, 0);
        b.FinishSizePrefixed(b.EndTable());
        return b.SizedByteArray();
    }

    private static byte[] EncodeFeature(IFeature feature, Geometry? geometry, IReadOnlyList<AttributeColumn> columns, GeometryType headerType, bool hasZ)
    {
        var b = new FlatBufferBuilder(256);
        var properties = Properties(feature.Attributes, columns);
        var propertiesVector = properties.Length == 0 ? default : ByteVector(b, properties);
        var geometryOffset = geometry is null ? 0 : EncodeGeometry(b, geometry, hasZ, headerType == GeometryType.Unknown);
        b.StartTable(F.Count);
        if (geometry is not null) b.AddOffset(F.Geometry, geometryOffset, 0);
        if (properties.Length > 0) b.AddOffset(F.Properties, propertiesVector.Value, 0);
        b.FinishSizePrefixed(b.EndTable());
        return b.SizedByteArray();
    }

    private static int EncodeGeometry(FlatBufferBuilder b, Geometry g, bool hasZ, bool withType)
    {
        var type = TypeOf("", g);
        int[] parts = [];
        if (type is GeometryType.MultiPolygon or GeometryType.GeometryCollection)
            parts = Enumerable.Range(0, g.NumGeometries).Select(i => EncodeGeometry(b, g.GetGeometryN(i), hasZ, withType: true)).ToArray();

        VectorOffset ends = default, xy = default, z = default, partsVector = default;
        var hasEnds = false;
        if (parts.Length > 0) partsVector = OffsetVector(b, parts);
        else
        {
            var coordinates = g.Coordinates;
            var flat = new double[coordinates.Length * 2];
            for (var i = 0; i < coordinates.Length; i++) (flat[2 * i], flat[2 * i + 1]) = (coordinates[i].X, coordinates[i].Y);
            xy = DoubleVector(b, flat);
            if (hasZ) z = DoubleVector(b, coordinates.Select(c => double.IsNaN(c.Z) ? 0 : c.Z).ToArray());
            // Ends of each ring (polygon) or line (multi-line), counted in coordinate pairs. A polygon of one ring needs
            // none; a multi-line always has them (GDAL 3.6 refuses one without: "Unexpected nullptr: MultiLineString ends").
            var lengths = g switch
            {
                Polygon p => new[] { p.ExteriorRing }.Concat(p.InteriorRings).Select(r => r.NumPoints).ToArray(),
                MultiLineString m => Enumerable.Range(0, m.NumGeometries).Select(i => m.GetGeometryN(i).NumPoints).ToArray(),
                _ => [],
            };
            if (lengths.Length > 1 || g is MultiLineString)
            {
                var cumulative = new uint[lengths.Length];
                uint sum = 0;
                for (var i = 0; i < lengths.Length; i++) cumulative[i] = sum += (uint)lengths[i];
                b.StartVector(4, cumulative.Length, 4);
                for (var i = cumulative.Length - 1; i >= 0; i--) b.AddUint(cumulative[i]);
                ends = b.EndVector();
                hasEnds = true;
            }
        }
        b.StartTable(G.Count);
        if (hasEnds) b.AddOffset(G.Ends, ends.Value, 0);
        if (parts.Length == 0)
        {
            b.AddOffset(G.Xy, xy.Value, 0);
            if (hasZ) b.AddOffset(G.Z, z.Value, 0);
        }
        if (withType) b.AddByte(G.Type, (byte)type, 0);
        if (parts.Length > 0) b.AddOffset(G.Parts, partsVector.Value, 0);
        return b.EndTable();
    }

    // The properties buffer: per non-null value its column index (ushort) then the value, little-endian.
    private static byte[] Properties(IAttributesTable? attributes, IReadOnlyList<AttributeColumn> columns)
    {
        using var s = new MemoryStream();
        Span<byte> scratch = stackalloc byte[8];
        for (var i = 0; i < columns.Count; i++)
        {
            var value = attributes is not null && attributes.Exists(columns[i].Name) ? attributes[columns[i].Name] : null;
            if (value is null) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(scratch, (ushort)i);
            s.Write(scratch[..2]);
            switch (columns[i].Kind)
            {
                case AttributeKind.Int32:
                    BinaryPrimitives.WriteInt32LittleEndian(scratch, Convert.ToInt32(value, CultureInfo.InvariantCulture));
                    s.Write(scratch[..4]);
                    break;
                case AttributeKind.Int64:
                    BinaryPrimitives.WriteInt64LittleEndian(scratch, Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    s.Write(scratch[..8]);
                    break;
                case AttributeKind.Double:
                    BinaryPrimitives.WriteDoubleLittleEndian(scratch, Convert.ToDouble(value, CultureInfo.InvariantCulture));
                    s.Write(scratch[..8]);
                    break;
                case AttributeKind.Bool:
                    s.WriteByte((bool)value ? (byte)1 : (byte)0);
                    break;
                default:
                    var text = columns[i].Kind switch
                    {
                        AttributeKind.Date => AttributeSchema.AsDateTime(value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                        AttributeKind.DateTime => AttributeSchema.AsDateTime(value).ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                        _ => AttributeSchema.AsText(value),
                    };
                    var bytes = Encoding.UTF8.GetBytes(text);
                    BinaryPrimitives.WriteInt32LittleEndian(scratch, bytes.Length);
                    s.Write(scratch[..4]);
                    s.Write(bytes);
                    break;
            }
        }
        return s.ToArray();
    }

    /// <summary>
    /// The packed Hilbert R-tree of the spec: levels stored root first, each node item a box (min x, min y, max x,
    /// max y) and an offset: for leaves the byte offset of the feature in the features section, for inner nodes the
    /// index of the first child. <paramref name="leaves"/> come in feature order.
    /// </summary>
    private static byte[] PackedRTree(List<(Envelope Box, ulong Offset)> leaves)
    {
        var bounds = LevelBounds(leaves.Count, NodeSize);
        var total = bounds[0].End; // the leaves are stored last
        var nodes = new (double MinX, double MinY, double MaxX, double MaxY, ulong Offset)[total];
        var leafStart = bounds[0].Start;
        for (var i = 0; i < leaves.Count; i++)
        {
            var e = leaves[i].Box;
            nodes[leafStart + i] = (e.MinX, e.MinY, e.MaxX, e.MaxY, leaves[i].Offset);
        }
        for (var level = 0; level < bounds.Count - 1; level++)
        {
            var (pos, end) = bounds[level];
            var parent = bounds[level + 1].Start;
            while (pos < end)
            {
                var node = (MinX: double.PositiveInfinity, MinY: double.PositiveInfinity, MaxX: double.NegativeInfinity, MaxY: double.NegativeInfinity, Offset: (ulong)pos);
                for (var j = 0; j < NodeSize && pos < end; j++, pos++)
                {
                    var c = nodes[pos];
                    node = (Math.Min(node.MinX, c.MinX), Math.Min(node.MinY, c.MinY), Math.Max(node.MaxX, c.MaxX), Math.Max(node.MaxY, c.MaxY), node.Offset);
                }
                nodes[parent++] = node;
            }
        }
        var bytes = new byte[total * NodeItemBytes];
        for (var i = 0; i < total; i++)
        {
            var s = bytes.AsSpan(i * NodeItemBytes, NodeItemBytes);
            BinaryPrimitives.WriteDoubleLittleEndian(s, nodes[i].MinX);
            BinaryPrimitives.WriteDoubleLittleEndian(s[8..], nodes[i].MinY);
            BinaryPrimitives.WriteDoubleLittleEndian(s[16..], nodes[i].MaxX);
            BinaryPrimitives.WriteDoubleLittleEndian(s[24..], nodes[i].MaxY);
            BinaryPrimitives.WriteUInt64LittleEndian(s[32..], nodes[i].Offset);
        }
        return bytes;
    }

    /// <summary>Per level, bottom (leaves) first, the range of its node items in storage order (root first).</summary>
    private static List<(int Start, int End)> LevelBounds(long items, int nodeSize)
    {
        var perLevel = new List<long> { items };
        var n = items;
        var total = n;
        do
        {
            n = (n + nodeSize - 1) / nodeSize;
            total += n;
            perLevel.Add(n);
        } while (n != 1);
        var bounds = new List<(int, int)>();
        var offset = total;
        foreach (var size in perLevel)
        {
            offset -= size;
            bounds.Add(((int)offset, (int)(offset + size)));
        }
        return bounds;
    }

    /// <summary>Bytes of the index for <paramref name="items"/> features and a node size (0 without index).</summary>
    private static long IndexBytes(ulong items, ushort nodeSize)
    {
        if (nodeSize == 0 || items == 0) return 0;
        var size = Math.Max(nodeSize, (ushort)2);
        var n = items;
        var total = n;
        do
        {
            n = (n + size - 1) / size;
            total += n;
        } while (n != 1);
        return checked((long)total * NodeItemBytes);
    }

    // The spec's Hilbert value of a box's centre on a 2^16 grid over the extent.
    private static uint Hilbert(Envelope box, Envelope extent)
    {
        const uint max = (1 << 16) - 1;
        var x = extent.Width == 0 ? 0u : (uint)Math.Floor(max * ((box.MinX + box.MaxX) / 2 - extent.MinX) / extent.Width);
        var y = extent.Height == 0 ? 0u : (uint)Math.Floor(max * ((box.MinY + box.MaxY) / 2 - extent.MinY) / extent.Height);
        return Hilbert(x, y);
    }

    private static uint Hilbert(uint x, uint y)
    {
        uint a = x ^ y, b = 0xFFFF ^ a, c = 0xFFFF ^ (x | y), d = x & (y ^ 0xFFFF);
        uint A = a | (b >> 1), B = (a >> 1) ^ a, C = ((c >> 1) ^ (b & (d >> 1))) ^ c, D = ((a & (c >> 1)) ^ (d >> 1)) ^ d;

        (a, b, c, d) = (A, B, C, D);
        A = (a & (a >> 2)) ^ (b & (b >> 2));
        B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
        C ^= (a & (c >> 2)) ^ (b & (d >> 2));
        D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));

        (a, b, c, d) = (A, B, C, D);
        A = (a & (a >> 4)) ^ (b & (b >> 4));
        B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
        C ^= (a & (c >> 4)) ^ (b & (d >> 4));
        D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));

        (a, b, c, d) = (A, B, C, D);
        C ^= (a & (c >> 8)) ^ (b & (d >> 8));
        D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));

        a = C ^ (C >> 1);
        b = D ^ (D >> 1);
        uint i0 = x ^ y, i1 = b | (0xFFFF ^ (i0 | a));
        return (Spread(i1) << 1) | Spread(i0);
    }

    private static uint Spread(uint v)
    {
        v = (v | (v << 8)) & 0x00FF00FF;
        v = (v | (v << 4)) & 0x0F0F0F0F;
        v = (v | (v << 2)) & 0x33333333;
        return (v | (v << 1)) & 0x55555555;
    }

    private static GeometryType TypeOf(string path, Geometry g) => g switch
    {
        Point => GeometryType.Point,
        LinearRing or LineString => GeometryType.LineString,
        Polygon => GeometryType.Polygon,
        MultiPoint => GeometryType.MultiPoint,
        MultiLineString => GeometryType.MultiLineString,
        MultiPolygon => GeometryType.MultiPolygon,
        GeometryCollection => GeometryType.GeometryCollection,
        _ => throw new InvalidVectorFileException(path, Note.Of("io.fgb_geometry_type", ("type", g.GeometryType))),
    };

    private static ColumnType ColumnTypeOf(AttributeKind kind) => kind switch
    {
        AttributeKind.Int32 => ColumnType.Int,
        AttributeKind.Int64 => ColumnType.Long,
        AttributeKind.Double => ColumnType.Double,
        AttributeKind.Bool => ColumnType.Bool,
        AttributeKind.Date or AttributeKind.DateTime => ColumnType.DateTime,
        _ => ColumnType.String,
    };

    private static VectorOffset OffsetVector(FlatBufferBuilder b, int[] offsets)
    {
        b.StartVector(4, offsets.Length, 4);
        for (var i = offsets.Length - 1; i >= 0; i--) b.AddOffset(offsets[i]);
        return b.EndVector();
    }

    private static VectorOffset DoubleVector(FlatBufferBuilder b, double[] values)
    {
        b.StartVector(8, values.Length, 8);
        for (var i = values.Length - 1; i >= 0; i--) b.AddDouble(values[i]);
        return b.EndVector();
    }

    private static VectorOffset ByteVector(FlatBufferBuilder b, byte[] values)
    {
        b.StartVector(1, values.Length, 1);
        for (var i = values.Length - 1; i >= 0; i--) b.AddByte(values[i]);
        return b.EndVector();
    }

    // ---------------------------------------------------------------- reading

    /// <summary>Reads every feature and the CRS of their coordinates.</summary>
    /// <exception cref="InvalidVectorFileException">Not FlatGeobuf (magic bytes), another major version, a truncated
    /// or corrupt header, index or feature, an unknown CRS, a curve geometry, or over an <see cref="InputLimits"/> limit.</exception>
    public static FeatureSet Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new InvalidVectorFileException(path, Note.Of("io.empty_file"));
        if (bytes.Length < 8 || bytes[0] != Magic[0] || bytes[1] != Magic[1] || bytes[2] != Magic[2] || bytes[4] != Magic[4] || bytes[5] != Magic[5] || bytes[6] != Magic[6])
            throw new InvalidVectorFileException(path, Note.Of("io.fgb_not_flatgeobuf"));
        if (bytes[3] != Magic[3]) throw new InvalidVectorFileException(path, Note.Of("io.fgb_version", ("version", (int)bytes[3]), ("supported", (int)Magic[3])));
        try
        {
            var bb = new ByteBuffer(bytes);
            var position = 8;
            var header = SizePrefixed(path, bb, ref position, "header");
            var headerType = (GeometryType)Byte(header, H.GeometryType, 0);
            var hasZ = Byte(header, H.HasZ, 0) != 0;
            var count = ULong(header, H.FeaturesCount);
            var nodeSize = UShort(header, H.IndexNodeSize, 16);
            if (count > InputLimits.FeaturesPerFile) throw new InvalidVectorFileException(path, InputLimits.FileFeatures((long)Math.Min(count, long.MaxValue))!);
            var columns = new List<(string Name, ColumnType Type)>();
            foreach (var column in Tables(header, H.Columns))
                columns.Add((String(column, Col.Name) ?? throw Corrupt(path, "column"), (ColumnType)Byte(column, Col.Type, 0)));
            var epsg = EpsgOf(path, header);

            var index = IndexBytes(count, nodeSize);
            if (position + index > bytes.Length) throw Corrupt(path, "index");
            position += (int)index;

            var factory = NetTopologySuite.NtsGeometryServices.Instance.CreateGeometryFactory(epsg);
            var features = new List<IFeature>();
            long vertices = 0;
            while (position < bytes.Length)
            {
                var feature = SizePrefixed(path, bb, ref position, "feature");
                var geometryTable = Table(feature, F.Geometry);
                var geometry = geometryTable is { } gt ? ReadGeometry(path, gt, headerType, hasZ, factory) : null;
                if (geometry is { IsEmpty: true }) geometry = null;
                vertices += geometry?.NumPoints ?? 0;
                if (features.Count >= InputLimits.FeaturesPerFile || vertices > InputLimits.VerticesPerFile)
                    throw new InvalidVectorFileException(path, Note.Of("io.fgb_limits", ("features", InputLimits.FeaturesPerFile), ("vertices", InputLimits.VerticesPerFile)));
                features.Add(new Feature(geometry, ReadProperties(path, bytes, feature, columns)));
            }
            if (count != 0 && (ulong)features.Count != count)
                throw new InvalidVectorFileException(path, Note.Of("io.fgb_count", ("declared", (long)count), ("found", features.Count)));
            return new FeatureSet(features, epsg);
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException or OverflowException or InvalidCastException)
        {
            throw new InvalidVectorFileException(path, Note.Of("io.fgb_corrupt_feature"), e);
        }
    }

    private static InvalidVectorFileException Corrupt(string path, string part) => new(path, part switch
    {
        "header" or "column" => Note.Of("io.fgb_corrupt_header"),
        "index" => Note.Of("io.fgb_corrupt_index"),
        _ => Note.Of("io.fgb_corrupt_feature"),
    });

    // A size-prefixed table at position: checks it lies inside the file, moves position past it.
    private static Table SizePrefixed(string path, ByteBuffer bb, ref int position, string part)
    {
        if (position + 4 > bb.Length) throw Corrupt(path, part);
        var size = bb.GetUint(position);
        if (size < 8 || position + 4L + size > bb.Length) throw Corrupt(path, part);
        var start = position + 4;
        position = checked(start + (int)size);
        var root = start + bb.GetInt(start);
        if (root < start || root + 4 > position) throw Corrupt(path, part);
        return new Table(root, bb);
    }

    private static int EpsgOf(string path, Table header)
    {
        if (Table(header, H.Crs) is not { } crs)
            return Crs.Wgs84; // checked against the coordinates by InputCheck: a projected file without CRS is refused there
        var org = String(crs, C.Org);
        var code = Int(crs, C.Code);
        if ((org is null || org.Equals("EPSG", StringComparison.OrdinalIgnoreCase)) && code != 0 && Crs.IsSupported(code)) return code;
        if (String(crs, C.Wkt) is { } wkt && Shapefile.EsriPrj.ToEpsg(wkt) is { } fromWkt) return fromWkt;
        if (org is null && code == 0 && String(crs, C.Wkt) is null) return Crs.Wgs84;
        throw new InvalidVectorFileException(path, Note.Of("io.fgb_unknown_crs", ("org", org ?? "EPSG"), ("code", code), ("name", String(crs, C.Name) ?? "")));
    }

    private static Geometry ReadGeometry(string path, Table g, GeometryType headerType, bool hasZ, GeometryFactory factory)
    {
        var type = headerType == GeometryType.Unknown ? (GeometryType)Byte(g, G.Type, 0) : headerType;
        return ReadGeometry(path, g, type, hasZ, factory, depth: 0);
    }

    private static Geometry ReadGeometry(string path, Table g, GeometryType type, bool hasZ, GeometryFactory factory, int depth)
    {
        if (depth > 8) throw Corrupt(path, "geometry");
        if (type is GeometryType.MultiPolygon or GeometryType.GeometryCollection)
        {
            var parts = Tables(g, G.Parts).Select(p => ReadGeometry(path, p,
                type == GeometryType.MultiPolygon ? GeometryType.Polygon : (GeometryType)Byte(p, G.Type, 0), hasZ, factory, depth + 1)).ToArray();
            return type == GeometryType.MultiPolygon
                ? factory.CreateMultiPolygon(parts.Select(p => p as Polygon ?? throw Corrupt(path, "geometry")).ToArray())
                : factory.CreateGeometryCollection(parts);
        }
        var xy = Doubles(g, G.Xy);
        var z = hasZ ? Doubles(g, G.Z) : [];
        if (xy.Length % 2 != 0 || (z.Length != 0 && z.Length * 2 != xy.Length)) throw Corrupt(path, "geometry");
        var coordinates = new Coordinate[xy.Length / 2];
        for (var i = 0; i < coordinates.Length; i++)
            coordinates[i] = z.Length == 0 ? new Coordinate(xy[2 * i], xy[2 * i + 1]) : new CoordinateZ(xy[2 * i], xy[2 * i + 1], z[i]);
        var ends = UInts(g, G.Ends);
        Coordinate[][] Split()
        {
            if (ends.Length == 0) return [coordinates];
            var result = new Coordinate[ends.Length][];
            var start = 0;
            for (var i = 0; i < ends.Length; i++)
            {
                if (ends[i] < start || ends[i] > coordinates.Length) throw Corrupt(path, "geometry");
                result[i] = coordinates[start..(int)ends[i]];
                start = (int)ends[i];
            }
            return result;
        }
        return type switch
        {
            GeometryType.Point => coordinates.Length == 0 ? factory.CreatePoint() : factory.CreatePoint(coordinates[0]),
            GeometryType.MultiPoint => factory.CreateMultiPointFromCoords(coordinates),
            GeometryType.LineString => factory.CreateLineString(coordinates),
            GeometryType.MultiLineString => factory.CreateMultiLineString(Split().Select(factory.CreateLineString).ToArray()),
            GeometryType.Polygon => coordinates.Length == 0 ? factory.CreatePolygon() : PolygonOf(Split(), factory),
            _ => throw new InvalidVectorFileException(path, Note.Of("io.fgb_geometry_type", ("type", ((int)type).ToString(CultureInfo.InvariantCulture)))),
        };
    }

    private static Polygon PolygonOf(Coordinate[][] rings, GeometryFactory factory) =>
        factory.CreatePolygon(factory.CreateLinearRing(rings[0]), rings.Skip(1).Select(factory.CreateLinearRing).ToArray());

    private static AttributesTable ReadProperties(string path, byte[] bytes, Table feature, List<(string Name, ColumnType Type)> columns)
    {
        var table = new AttributesTable();
        var o = feature.__offset(4 + 2 * F.Properties);
        if (o == 0) return table;
        var bb = feature.bb;
        var start = feature.__vector(o);
        var end = start + feature.__vector_len(o);
        if (end > bb.Length) throw Corrupt(path, "properties");
        var p = start;
        void Need(int n) { if (p + n > end) throw Corrupt(path, "properties"); }
        while (p < end)
        {
            Need(2);
            int i = bb.GetUshort(p);
            p += 2;
            if (i >= columns.Count) throw Corrupt(path, "properties");
            var (name, type) = columns[i];
            object? value;
            switch (type)
            {
                case ColumnType.Bool: Need(1); value = bb.Get(p) != 0; p += 1; break;
                case ColumnType.Byte: Need(1); value = (long)bb.GetSbyte(p); p += 1; break;
                case ColumnType.UByte: Need(1); value = (long)bb.Get(p); p += 1; break;
                case ColumnType.Short: Need(2); value = (long)bb.GetShort(p); p += 2; break;
                case ColumnType.UShort: Need(2); value = (long)bb.GetUshort(p); p += 2; break;
                case ColumnType.Int: Need(4); value = (long)bb.GetInt(p); p += 4; break;
                case ColumnType.UInt: Need(4); value = (long)bb.GetUint(p); p += 4; break;
                case ColumnType.Long: Need(8); value = bb.GetLong(p); p += 8; break;
                case ColumnType.ULong: Need(8); var u = bb.GetUlong(p); value = u <= long.MaxValue ? (long)u : (double)u; p += 8; break;
                case ColumnType.Float: Need(4); value = (double)bb.GetFloat(p); p += 4; break;
                case ColumnType.Double: Need(8); value = bb.GetDouble(p); p += 8; break;
                default:
                    Need(4);
                    var length = bb.GetUint(p);
                    p += 4;
                    if (length > end - p) throw Corrupt(path, "properties");
                    var text = type == ColumnType.Binary ? null : Encoding.UTF8.GetString(bytes, p, (int)length);
                    p += (int)length;
                    value = type == ColumnType.DateTime && text is not null &&
                        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t) ? t : text;
                    if (type == ColumnType.Binary) continue;
                    break;
            }
            if (!table.Exists(name)) table.Add(name, value);
        }
        // Columns without a value are null, as in the other readers.
        foreach (var (name, _) in columns) if (!table.Exists(name)) table.Add(name, null);
        return table;
    }

    // ---------------------------------------------------------------- FlatBuffers access

    private static byte Byte(Table t, int field, byte fallback) { var o = t.__offset(4 + 2 * field); return o == 0 ? fallback : t.bb.Get(t.bb_pos + o); }

    private static ushort UShort(Table t, int field, ushort fallback) { var o = t.__offset(4 + 2 * field); return o == 0 ? fallback : t.bb.GetUshort(t.bb_pos + o); }

    private static int Int(Table t, int field) { var o = t.__offset(4 + 2 * field); return o == 0 ? 0 : t.bb.GetInt(t.bb_pos + o); }

    private static ulong ULong(Table t, int field) { var o = t.__offset(4 + 2 * field); return o == 0 ? 0 : t.bb.GetUlong(t.bb_pos + o); }

    private static string? String(Table t, int field) { var o = t.__offset(4 + 2 * field); return o == 0 ? null : t.__string(t.bb_pos + o); }

    private static Table? Table(Table t, int field)
    {
        var o = t.__offset(4 + 2 * field);
        return o == 0 ? null : new Table(t.__indirect(t.bb_pos + o), t.bb);
    }

    private static IEnumerable<Table> Tables(Table t, int field)
    {
        var o = t.__offset(4 + 2 * field);
        if (o == 0) yield break;
        var start = t.__vector(o);
        var n = t.__vector_len(o);
        if (start + 4L * n > t.bb.Length) throw new ArgumentOutOfRangeException(nameof(field));
        for (var i = 0; i < n; i++) yield return new Table(t.__indirect(start + 4 * i), t.bb);
    }

    private static double[] Doubles(Table t, int field)
    {
        var o = t.__offset(4 + 2 * field);
        if (o == 0) return [];
        var start = t.__vector(o);
        var n = t.__vector_len(o);
        if (start + 8L * n > t.bb.Length) throw new ArgumentOutOfRangeException(nameof(field));
        var result = new double[n];
        for (var i = 0; i < n; i++) result[i] = t.bb.GetDouble(start + 8 * i);
        return result;
    }

    private static uint[] UInts(Table t, int field)
    {
        var o = t.__offset(4 + 2 * field);
        if (o == 0) return [];
        var start = t.__vector(o);
        var n = t.__vector_len(o);
        if (start + 4L * n > t.bb.Length) throw new ArgumentOutOfRangeException(nameof(field));
        var result = new uint[n];
        for (var i = 0; i < n; i++) result[i] = t.bb.GetUint(start + 4 * i);
        return result;
    }
}
