using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// A cache of the service's own answers, bounded by bytes (not by entries): when full, a quarter of it goes, least
/// recently used first; an entry unused for an hour goes too. Keys carry the data version they were made at, so a
/// write never has to find and remove what it made stale: the old keys are no longer asked for and age out.
/// </summary>
public abstract class BoundedCache<T>(long limitBytes) : IDisposable where T : class
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = limitBytes, CompactionPercentage = 0.25 });

    public bool TryGet(string key, [MaybeNullWhen(false)] out T value) => _cache.TryGetValue(key, out value) && value is not null;

    /// <summary>Keeps a value that takes <paramref name="bytes"/> (the key and the entry's overhead are added).</summary>
    protected void Keep(string key, T value, long bytes) =>
        _cache.Set(key, value, new MemoryCacheEntryOptions { Size = bytes + key.Length * 2 + 64, SlidingExpiration = TimeSpan.FromHours(1) });

    /// <summary>Empties the cache (the benchmarks' cold runs).</summary>
    public void Clear() => _cache.Compact(1.0);

    public void Dispose()
    {
        _cache.Dispose();
        GC.SuppressFinalize(this);
    }
}
