using System.Security.Cryptography;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.IO;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Net.Http.Headers;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Export files that can be opened by URL (GDAL's /vsicurl/, QGIS): the same features in the same format give the same
/// bytes, with a strong ETag (a hash of what was exported) and Last-Modified, so a client reading a GeoPackage by Range
/// requests, or a zip's directory then its entries, never mixes two writings of the file (a GeoPackage holds the time it
/// was written, a zip its entries' times). The features are read on every request: the cache is by content, never stale.
/// </summary>
public static class ExportFiles
{
    /// <summary>A written file: its bytes, what the format cut, its ETag and when it was written.</summary>
    public sealed record Written(byte[] Bytes, IReadOnlyList<Note> Notes, EntityTagHeaderValue ETag, DateTimeOffset LastModified);

    /// <summary>At most this many bytes of export files are kept; the least recently read go first.</summary>
    public const long CacheBytes = 256L * 1024 * 1024;

    private static readonly MemoryCache Cache = new(new MemoryCacheOptions { SizeLimit = CacheBytes });

    /// <summary>
    /// The file of <paramref name="features"/> as <paramref name="fileName"/> (its extension names the format) in
    /// <paramref name="target"/>: written by <see cref="VectorFile.Write"/> the first time, the same bytes after.
    /// </summary>
    public static async Task<Written> GetOrWriteAsync(IReadOnlyList<IFeature> features, string fileName, int target, CancellationToken ct)
    {
        var key = Key(features, fileName, target);
        if (Cache.TryGetValue(key, out Written? kept) && kept is not null) return kept;
        // Written to a private temporary folder first: a failure sends an error, never half a file.
        var folder = Directory.CreateTempSubdirectory("barrio-export-");
        try
        {
            var path = Path.Combine(folder.FullName, fileName);
            var summary = VectorFile.Write(path, features, BarrioSeguro.Geo.Core.Spatial.Crs.Wgs84, target);
            var bytes = await File.ReadAllBytesAsync(path, ct);
            // Whole seconds: Last-Modified and If-Modified-Since have no finer unit.
            var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            var written = new Written(bytes, summary.Notes, new EntityTagHeaderValue($"\"{key}\""), now);
            Cache.Set(key, written, new MemoryCacheEntryOptions { Size = bytes.LongLength, SlidingExpiration = TimeSpan.FromMinutes(30) });
            return written;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A collection's export kept on disk: the file, its download name, what the format cut, its ETag and time.</summary>
    public sealed record Kept(string Path, string FileName, IReadOnlyList<Note> Notes, EntityTagHeaderValue ETag, DateTimeOffset LastModified);

    /// <summary>At most this many bytes of collection exports are kept on disk; the least recently read go first.</summary>
    public const long DiskBytes = 2L * 1024 * 1024 * 1024;

    private static readonly MemoryCache Files = new(new MemoryCacheOptions { SizeLimit = DiskBytes });

    private static readonly string Folder = Path.Combine(Path.GetTempPath(), $"barrio-exports-{Environment.ProcessId}");

    /// <summary>
    /// The export of a collection at a data version (<paramref name="key"/> names the collection, its version, the
    /// filters, the format and the CRS), written once from <paramref name="rows"/> (read only on a miss; null: nothing
    /// to export) to a file named <paramref name="fileName"/>, and found again by the key: a request, Range reads
    /// included, costs no row and no hash of rows while the data stays at that version. The ETag is made of the key.
    /// </summary>
    /// <returns>The kept file, or null when <paramref name="rows"/> gave nothing.</returns>
    public static async Task<Kept?> GetOrWriteAsync(string key, string fileName, int? target, Func<IEnumerable<IFeature>?> rows, CancellationToken ct)
    {
        if (Files.TryGetValue(key, out Kept? kept) && kept is not null && File.Exists(kept.Path)) return kept;
        if (rows() is not { } features) return null;
        var id = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..32];
        // A folder per writing: two requests racing on one key never write the same file, and eviction removes it whole.
        var folder = Directory.CreateDirectory(System.IO.Path.Combine(Folder, $"{id}-{Guid.NewGuid():N}"));
        try
        {
            var path = System.IO.Path.Combine(folder.FullName, fileName);
            // The writer reads the rows as it writes (synchronously, off the request's thread).
            var summary = await Task.Run(() => VectorFile.Write(path, features, BarrioSeguro.Geo.Core.Spatial.Crs.Wgs84, target), ct);
            var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            kept = new Kept(path, fileName, summary.Notes, new EntityTagHeaderValue($"\"{id}\""), now);
            var options = new MemoryCacheEntryOptions { Size = new FileInfo(path).Length, SlidingExpiration = TimeSpan.FromHours(1) };
            // An evicted file goes from disk; a download still reading it keeps its open handle (POSIX unlink).
            options.RegisterPostEvictionCallback((_, _, _, _) => { try { folder.Delete(recursive: true); } catch (IOException) { } });
            Files.Set(key, kept, options);
            return kept;
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    // What the file is made of: the format (by the file's name), the CRS and every feature as GeoJSON (geometry and attributes).
    private static string Key(IReadOnlyList<IFeature> features, string fileName, int target)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{fileName}\n{target}\n"));
        using (var stream = new HashStream(hash))
            JsonSerializer.Serialize(stream, new FeatureCollection(features), GeoJson.Options);
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    /// <summary>Hashes what is written to it.</summary>
    private sealed class HashStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);
    }
}
