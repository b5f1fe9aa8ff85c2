using System.Security.Cryptography;
using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Network;

/// <summary>
/// A built <see cref="StreetGraph"/> written to a stream and read back as the same graph (nodes, edges with their
/// geometry, times and attributes, the build report), so that a graph is built once per street data and kept: the
/// CLI caches it on disk. Doubles are written bit for bit, so a graph read back gives the same coverage figures.
/// </summary>
public sealed partial class StreetGraph
{
    /// <summary>The version of the written format; a reader refuses any other (the cache rebuilds).</summary>
    public const int FormatVersion = 1;

    private const uint Magic = 0x48505247; // "GRPH"

    /// <summary>Writes the graph with <paramref name="extraNotes"/> (what reading the streets said), and a SHA-256 of the
    /// content at the end so that a damaged copy is refused.</summary>
    public void Write(Stream output, IReadOnlyList<Note>? extraNotes = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write((int)Mode);
            w.Write(UtmEpsg);
            w.Write(ScaleFactor);
            w.Write(_nodes.Length);
            foreach (var c in _nodes) { w.Write(c.X); w.Write(c.Y); }
            w.Write(Edges.Count);
            foreach (var e in Edges)
            {
                w.Write(e.From); w.Write(e.To);
                var coords = e.Geometry.Coordinates;
                w.Write(coords.Length);
                foreach (var c in coords) { w.Write(c.X); w.Write(c.Y); }
                w.Write(e.LengthMeters); w.Write(e.ForwardSeconds); w.Write(e.BackwardSeconds);
                w.Write(e.Class); w.Write(e.Layer); w.Write(e.Oneway);
                w.Write(e.Name is not null);
                if (e.Name is not null) w.Write(e.Name);
                w.Write(e.Street);
            }
            var r = Report;
            w.Write(r.InputStreets); w.Write(r.ExcludedForMode); w.Write(r.ExcludedForModeKm); w.Write(r.OnewayStreets);
            w.Write(r.DuplicatePiecesMerged); w.Write(r.DegenerateParts);
            WriteNotes(w, r.Notes);
            WriteNotes(w, extraNotes ?? []);
        }
        var bytes = body.GetBuffer().AsSpan(0, (int)body.Length);
        output.Write(bytes);
        output.Write(SHA256.HashData(bytes));
    }

    /// <summary>Reads a graph written by <see cref="Write"/>, with the extra notes written beside it.</summary>
    /// <exception cref="InvalidDataException">Not a graph of this format version, cut short or damaged.</exception>
    public static (StreetGraph Graph, IReadOnlyList<Note> ExtraNotes) Read(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        var all = copy.GetBuffer().AsSpan(0, (int)copy.Length);
        if (all.Length < 32 + 8) throw new InvalidDataException("street graph: too short");
        var body = all[..^32];
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(all[^32..])) throw new InvalidDataException("street graph: checksum differs");
        try
        {
            using var stream = new MemoryStream(copy.GetBuffer(), 0, body.Length, writable: false);
            using var r = new BinaryReader(stream, System.Text.Encoding.UTF8);
            if (r.ReadUInt32() != Magic) throw new InvalidDataException("street graph: not a street graph");
            if (r.ReadInt32() != FormatVersion) throw new InvalidDataException("street graph: another format version");
            var mode = (TravelMode)r.ReadInt32();
            if (!Enum.IsDefined(mode)) throw new InvalidDataException("street graph: unknown mode");
            var epsg = r.ReadInt32();
            var scale = r.ReadDouble();
            var nodes = new Coordinate[Count(r, body.Length / 16)];
            for (var i = 0; i < nodes.Length; i++) nodes[i] = new Coordinate(r.ReadDouble(), r.ReadDouble());
            var edgeCount = Count(r, body.Length / 16);
            var edges = new List<GraphEdge>(edgeCount);
            for (var id = 0; id < edgeCount; id++)
            {
                int from = Node(r, nodes.Length), to = Node(r, nodes.Length);
                var coords = new Coordinate[Count(r, body.Length / 16)];
                if (coords.Length < 2) throw new InvalidDataException("street graph: an edge of fewer than two vertices");
                for (var i = 0; i < coords.Length; i++) coords[i] = new Coordinate(r.ReadDouble(), r.ReadDouble());
                var line = Utm.CreateLineString(coords);
                line.SRID = epsg;
                double length = r.ReadDouble(), forward = r.ReadDouble(), backward = r.ReadDouble();
                var cls = r.ReadString();
                var layer = r.ReadInt32();
                var oneway = r.ReadBoolean();
                var name = r.ReadBoolean() ? r.ReadString() : null;
                var street = r.ReadInt32();
                edges.Add(new GraphEdge(id, from, to, line, length, forward, backward, cls, layer, oneway, name, street));
            }
            var report = new GraphBuildReport(r.ReadInt32(), r.ReadInt32(), r.ReadDouble(), r.ReadInt32(), r.ReadInt32(), r.ReadInt32(), ReadNotes(r));
            var extra = ReadNotes(r);
            if (stream.Position != stream.Length) throw new InvalidDataException("street graph: bytes after the end");
            return (new StreetGraph(mode, epsg, scale, nodes, edges, report), extra);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("street graph: cut short", e);
        }
    }

    private static int Count(BinaryReader r, int most)
    {
        var n = r.ReadInt32();
        return n >= 0 && n <= most ? n : throw new InvalidDataException("street graph: a count out of range");
    }

    private static int Node(BinaryReader r, int nodes)
    {
        var n = r.ReadInt32();
        return n >= 0 && n < nodes ? n : throw new InvalidDataException("street graph: a node out of range");
    }

    private static void WriteNotes(BinaryWriter w, IReadOnlyList<Note> notes)
    {
        w.Write(notes.Count);
        foreach (var n in notes)
        {
            w.Write(n.Code);
            w.Write(n.Args.Count);
            foreach (var (key, value) in n.Args)
            {
                w.Write(key);
                switch (value)
                {
                    case double d: w.Write((byte)0); w.Write(d); break;
                    case string s: w.Write((byte)1); w.Write(s); break;
                    case string[] list:
                        w.Write((byte)2); w.Write(list.Length);
                        foreach (var item in list) w.Write(item);
                        break;
                    default: throw new InvalidOperationException($"note {n.Code}: argument {key} of an unexpected type");
                }
            }
        }
    }

    private static List<Note> ReadNotes(BinaryReader r)
    {
        var count = Count(r, 1 << 20);
        var notes = new List<Note>(count);
        for (var i = 0; i < count; i++)
        {
            var code = r.ReadString();
            var args = new Dictionary<string, object>(StringComparer.Ordinal);
            for (var a = Count(r, 1 << 10); a > 0; a--)
            {
                var key = r.ReadString();
                args[key] = r.ReadByte() switch
                {
                    0 => r.ReadDouble(),
                    1 => r.ReadString(),
                    2 => Enumerable.Range(0, Count(r, 1 << 20)).Select(_ => r.ReadString()).ToArray(),
                    _ => throw new InvalidDataException("street graph: a note argument of an unknown kind"),
                };
            }
            if (string.IsNullOrWhiteSpace(code)) throw new InvalidDataException("street graph: a note without a code");
            notes.Add(new Note(code, args));
        }
        return notes;
    }
}
