using System.Buffers;
using System.Globalization;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// The features of a page of a public base layer, as the GeoJSON array written for it, with its counts: what
/// <c>items</c> sends again while the table's data version stays the same. The head (links, timeStamp) is written
/// anew for every request.
/// </summary>
public sealed record KeptItems(byte[] Features, int NumberMatched, int NumberReturned);

/// <summary>
/// Pages of <c>/items</c> on the fast path (a public base layer as JSON in its storage CRS, no query), kept by
/// collection, data version (<c>tile_versions</c>, bumped by PostgreSQL on every statement that writes to the table,
/// whoever writes), URL and page, and bounded by <see cref="LimitBytes"/>. A viewer asks for the same pages again and
/// again; each then costs one small query (the version) instead of a page query and its JSON.
/// </summary>
public sealed class ItemPageCache() : BoundedCache<KeptItems>(LimitBytes)
{
    /// <summary>The cache's limit: 64 MiB of GeoJSON.</summary>
    public const long LimitBytes = 64L * 1024 * 1024;

    /// <summary>A page whose features take more is not kept (4 MiB: about 10,000 streets).</summary>
    public const int PageLimitBytes = 4 * 1024 * 1024;

    public void Set(string key, KeptItems items) => Keep(key, items, items.Features.Length);

    /// <summary>What tells a page apart: the collection at a version, the URL its links name, the box and the paging.</summary>
    public static string Key(string collection, long version, string collectionUrl, Envelope? bbox, int limit, int offset)
    {
        var box = bbox is null ? "-" : string.Join(',', new[] { bbox.MinX, bbox.MinY, bbox.MaxX, bbox.MaxY }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        return $"{collection}|v{version}|{collectionUrl}|{box}|{limit}|{offset}";
    }
}

/// <summary>
/// A buffer writer that passes everything on to another and, between <see cref="Start"/> and <see cref="Stop"/>, keeps
/// a copy of what was written, up to a limit (beyond it the copy is dropped for good): a response is sent as it is
/// made and kept at the same time.
/// </summary>
public sealed class CopyingWriter(IBufferWriter<byte> inner, int limit) : IBufferWriter<byte>
{
    private Memory<byte> _lent;
    private ArrayBufferWriter<byte>? _copy;
    private bool _tooLong;

    public void Advance(int count)
    {
        if (_copy is not null)
        {
            if (_copy.WrittenCount + count > limit) (_copy, _tooLong) = (null, true);
            else _copy.Write(_lent.Span[..count]);
        }
        inner.Advance(count);
    }

    public Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

    public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;

    /// <summary>Copies from now on (what was advanced before is not copied).</summary>
    public void Start()
    {
        if (!_tooLong) _copy = new ArrayBufferWriter<byte>(16 * 1024);
    }

    /// <summary>The bytes copied since <see cref="Start"/>, or null when they went past the limit.</summary>
    public byte[]? Stop()
    {
        var bytes = _copy?.WrittenSpan.ToArray();
        _copy = null;
        return bytes;
    }
}
