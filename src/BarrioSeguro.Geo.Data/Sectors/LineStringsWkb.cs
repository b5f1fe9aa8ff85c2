using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>
/// A MultiLineString as little-endian WKB (OGC simple features, 2D), written line by line from x, y pairs into a
/// pooled buffer: the coverage pieces go to PostGIS (ST_GeomFromWKB) without a geometry object per piece.
/// </summary>
internal sealed class LineStringsWkb : IDisposable
{
    private const int HeaderBytes = 9; // byte order, type, count
    private const uint MultiLineString = 5, LineString = 2;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
    private int _length = HeaderBytes;
    private uint _lines;

    /// <summary>Appends one line of x, y pairs.</summary>
    public void Add(ReadOnlySpan<double> xy)
    {
        var size = HeaderBytes + xy.Length * sizeof(double);
        if (_length + size > _buffer.Length) Grow(_length + size);
        var line = _buffer.AsSpan(_length, size);
        Header(line, LineString, (uint)(xy.Length / 2));
        var coordinates = line[HeaderBytes..];
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(xy).CopyTo(coordinates);
        else
            for (var i = 0; i < xy.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(coordinates[(i * sizeof(double))..], xy[i]);
        _length += size;
        _lines++;
    }

    /// <summary>The WKB so far; valid until the next <see cref="Add"/> or the dispose.</summary>
    public ReadOnlyMemory<byte> Bytes
    {
        get
        {
            Header(_buffer, MultiLineString, _lines);
            return _buffer.AsMemory(0, _length);
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    private static void Header(Span<byte> at, uint type, uint count)
    {
        at[0] = 1; // little-endian
        BinaryPrimitives.WriteUInt32LittleEndian(at[1..], type);
        BinaryPrimitives.WriteUInt32LittleEndian(at[5..], count);
    }

    private void Grow(int needed)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, 2 * _buffer.Length));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
