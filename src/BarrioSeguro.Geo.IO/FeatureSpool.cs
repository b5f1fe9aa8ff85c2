using System.Text.Json;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace BarrioSeguro.Geo.IO;

/// <summary>
/// What a writer must know of a whole layer before its first byte (columns and their widths, geometry types, Z), gathered
/// one feature at a time, so a stream of features need not be held to learn it.
/// </summary>
internal sealed class LayerStats
{
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (AttributeKind Kind, int Bytes)> _columns = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    /// <summary>The columns in first-seen order, typed as <see cref="AttributeSchema.Infer"/> types them.</summary>
    public IReadOnlyList<AttributeColumn> Columns => _order.Select(n => new AttributeColumn(n, _columns[n].Kind, _columns[n].Bytes)).ToList();

    /// <summary>OGC types of the geometries that are not null (empty ones included), first-seen order.</summary>
    public List<OgcGeometryType> Types { get; } = [];

    /// <summary>OGC types of the non-empty geometries, first-seen order.</summary>
    public List<OgcGeometryType> NonEmptyTypes { get; } = [];

    /// <summary>Per OGC type of the non-empty geometries: the first feature of it (from 0) and whether the first coordinate
    /// of one of them has Z.</summary>
    public Dictionary<OgcGeometryType, (int First, bool FirstZ)> ByType { get; } = [];

    /// <summary>A non-empty geometry's first coordinate has Z.</summary>
    public bool AnyFirstZ { get; private set; }

    /// <summary>A non-empty geometry has a coordinate with Z.</summary>
    public bool AnyZ { get; private set; }

    /// <summary>Every feature has a non-empty geometry.</summary>
    public bool AllGeometry { get; private set; } = true;

    /// <summary>Every feature is a non-empty point (and there is one at least).</summary>
    public bool AllPoints => Count > 0 && _allPoints;

    private bool _allPoints = true;

    /// <summary>The envelope of the geometries in the CRS they were added in.</summary>
    public Envelope Envelope { get; } = new();

    public void Add(IFeature f)
    {
        Count++;
        if (f.Attributes is { } attributes)
            foreach (var name in attributes.GetNames())
            {
                var value = attributes[name];
                if (!_columns.TryGetValue(name, out var c)) { _order.Add(name); c = (AttributeKind.Null, 0); }
                _columns[name] = AttributeSchema.Widen(c, value);
            }
        var g = f.Geometry;
        if (g is not null && !Types.Contains(g.OgcGeometryType)) Types.Add(g.OgcGeometryType);
        if (g is not Point { IsEmpty: false }) _allPoints = false;
        if (g is not { IsEmpty: false }) { AllGeometry = false; return; }
        if (!NonEmptyTypes.Contains(g.OgcGeometryType)) NonEmptyTypes.Add(g.OgcGeometryType);
        var firstZ = !double.IsNaN(g.Coordinate.Z);
        AnyFirstZ |= firstZ;
        ByType[g.OgcGeometryType] = ByType.TryGetValue(g.OgcGeometryType, out var seen) ? (seen.First, seen.FirstZ || firstZ) : (Count - 1, firstZ);
        Envelope.ExpandToInclude(g.EnvelopeInternal);
        if (!AnyZ)
            foreach (var c in g.Coordinates)
                if (!double.IsNaN(c.Z)) { AnyZ = true; break; }
    }

    public static LayerStats Of(IEnumerable<IFeature> features)
    {
        var stats = new LayerStats();
        foreach (var f in features) stats.Add(f);
        return stats;
    }
}

/// <summary>
/// A layer as a writer takes it: its features in the target CRS, which may be read more than once, and their
/// <see cref="LayerStats"/>. Features given as a list are moved into memory as before; a stream is spooled to a
/// temporary file (<see cref="FeatureSpool"/>) and read back one feature at a time.
/// </summary>
internal sealed class Layer(Func<IEnumerable<IFeature>> features, LayerStats stats)
{
    /// <summary>The features in the target CRS; each enumeration reads them again.</summary>
    public IEnumerable<IFeature> Features => features();

    public LayerStats Stats { get; } = stats;

    public int Count => Stats.Count;

    public IReadOnlyList<AttributeColumn> Columns { get; } = stats.Columns;

    /// <summary>A list moved to the target CRS in memory (the caller's features are not touched).</summary>
    public static Layer InMemory(IEnumerable<IFeature> features, int sourceEpsg, int targetEpsg)
    {
        var moved = FeatureTransform.To(features, sourceEpsg, targetEpsg);
        return new Layer(() => moved, LayerStats.Of(moved));
    }

    /// <summary>A spooled stream, moved to the target CRS one feature at a time as it is read back.</summary>
    public static Layer Spooled(FeatureSpool spool, int sourceEpsg, int targetEpsg) =>
        new(() => spool.Read().Select(f => Moved(f, sourceEpsg, targetEpsg)), spool.Stats);

    private static IFeature Moved(IFeature f, int from, int to) =>
        new Feature(f.Geometry is null ? null : Crs.Transform(f.Geometry, from, to), f.Attributes ?? new AttributesTable());
}

/// <summary>
/// Features written once to a temporary file (WKB and typed values) while their <see cref="LayerStats"/> are gathered,
/// then read back as often as a writer needs: how a format that needs the whole layer before its first byte (DBF widths,
/// a GeoPackage's declared type, FlatGeobuf's index) writes a stream of any length in bounded memory, as GDAL does
/// with its temporary files.
/// </summary>
internal sealed class FeatureSpool : IDisposable
{
    private readonly string _path;
    private readonly List<string> _names = [];

    public LayerStats Stats { get; } = new();

    private FeatureSpool(string path) => _path = path;

    /// <summary>Reads <paramref name="features"/> once into a new file at <paramref name="path"/>.</summary>
    public static FeatureSpool Write(IEnumerable<IFeature> features, string path)
    {
        var spool = new FeatureSpool(path);
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var flat = new WKBWriter(ByteOrder.LittleEndian, false, false);
        var withZ = new WKBWriter(ByteOrder.LittleEndian, false, true);
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        using var w = new BinaryWriter(file);
        foreach (var f in features)
        {
            spool.Stats.Add(f);
            var g = f.Geometry;
            if (g is null) w.Write(-1);
            else
            {
                var bytes = (g is { IsEmpty: false } && !double.IsNaN(g.Coordinate.Z) ? withZ : flat).Write(g);
                w.Write(bytes.Length);
                w.Write(bytes);
                w.Write(g.SRID);
            }
            var attributes = f.Attributes;
            var count = attributes?.Count ?? 0;
            w.Write(count);
            if (attributes is null) continue;
            foreach (var name in attributes.GetNames())
            {
                if (!names.TryGetValue(name, out var index))
                {
                    names[name] = index = names.Count;
                    w.Write(index);
                    w.Write(name);
                }
                else w.Write(index);
                WriteValue(w, attributes[name]);
            }
        }
        return spool;
    }

    /// <summary>The features in the order written, read back one at a time.</summary>
    public IEnumerable<IFeature> Read()
    {
        var reader = new WKBReader();
        var names = new List<string>();
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        using var r = new BinaryReader(file);
        for (var n = 0; n < Stats.Count; n++)
        {
            Geometry? g = null;
            var length = r.ReadInt32();
            if (length >= 0)
            {
                g = reader.Read(r.ReadBytes(length));
                g.SRID = r.ReadInt32();
            }
            var count = r.ReadInt32();
            var attributes = new AttributesTable();
            for (var i = 0; i < count; i++)
            {
                var index = r.ReadInt32();
                if (index == names.Count) names.Add(r.ReadString());
                attributes.Add(names[index], ReadValue(r));
            }
            yield return new Feature(g, attributes);
        }
    }

    private enum Tag : byte { Null, Text, Int32, Int64, Double, Bool, DateTime, DateTimeOffset, DateOnly, Json, Decimal, Int16, Single, UInt32, UInt64 }

    private static void WriteValue(BinaryWriter w, object? value)
    {
        switch (value)
        {
            case null: w.Write((byte)Tag.Null); break;
            case string s: w.Write((byte)Tag.Text); w.Write(s); break;
            case int i: w.Write((byte)Tag.Int32); w.Write(i); break;
            case long l: w.Write((byte)Tag.Int64); w.Write(l); break;
            case double d: w.Write((byte)Tag.Double); w.Write(d); break;
            case bool b: w.Write((byte)Tag.Bool); w.Write(b); break;
            case DateTime t: w.Write((byte)Tag.DateTime); w.Write(t.ToBinary()); break;
            case DateTimeOffset o: w.Write((byte)Tag.DateTimeOffset); w.Write(o.Ticks); w.Write((short)o.Offset.TotalMinutes); break;
            case DateOnly d: w.Write((byte)Tag.DateOnly); w.Write(d.DayNumber); break;
            case JsonElement e: w.Write((byte)Tag.Json); w.Write(e.GetRawText()); break;
            case decimal m: w.Write((byte)Tag.Decimal); w.Write(m); break;
            case short or byte or sbyte or ushort: w.Write((byte)Tag.Int16); w.Write(Convert.ToInt32(value)); break;
            case float f: w.Write((byte)Tag.Single); w.Write(f); break;
            case uint u: w.Write((byte)Tag.UInt32); w.Write(u); break;
            case ulong u: w.Write((byte)Tag.UInt64); w.Write(u); break;
            default: w.Write((byte)Tag.Text); w.Write(AttributeSchema.AsText(value)); break;
        }
    }

    private static object? ReadValue(BinaryReader r) => (Tag)r.ReadByte() switch
    {
        Tag.Null => null,
        Tag.Text => r.ReadString(),
        Tag.Int32 => r.ReadInt32(),
        Tag.Int64 => r.ReadInt64(),
        Tag.Double => r.ReadDouble(),
        Tag.Bool => r.ReadBoolean(),
        Tag.DateTime => DateTime.FromBinary(r.ReadInt64()),
        Tag.DateTimeOffset => new DateTimeOffset(r.ReadInt64(), TimeSpan.FromMinutes(r.ReadInt16())),
        Tag.DateOnly => DateOnly.FromDayNumber(r.ReadInt32()),
        Tag.Json => JsonDocument.Parse(r.ReadString()).RootElement.Clone(),
        Tag.Decimal => r.ReadDecimal(),
        Tag.Int16 => r.ReadInt32(),
        Tag.Single => r.ReadSingle(),
        Tag.UInt32 => r.ReadUInt32(),
        Tag.UInt64 => r.ReadUInt64(),
        var t => throw new InvalidDataException($"spool tag {t}"),
    };

    public void Dispose()
    {
        try { File.Delete(_path); }
        catch (IOException) { /* in the scratch folder, removed with it */ }
    }
}
