namespace BarrioSeguro.Geo.Planning.Network;

/// <summary>
/// Street graphs (and what else is built from the same streets) kept in memory by the service, so that a graph is
/// built once per version of the data and not on every request. The key must name that version (the streets' data
/// version, the area, the mode): a new version is a new key, and the least recently used entries beyond
/// <paramref name="capacity"/> are dropped. Thread-safe; two requests racing on a new key may both build it.
/// </summary>
public sealed class NetworkCache(int capacity = 24)
{
    private readonly Dictionary<string, LinkedListNode<(string Key, object Value)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, object Value)> _order = new();
    private readonly Lock _lock = new();

    /// <summary>How many entries are kept now.</summary>
    public int Count { get { lock (_lock) return _entries.Count; } }

    /// <summary>The value kept under the key, or null.</summary>
    public T? Get<T>(string key) where T : class
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var node) || node.Value.Value is not T value) return null;
            _order.Remove(node);
            _order.AddFirst(node);
            return value;
        }
    }

    /// <summary>Keeps a value under the key (replacing any), dropping the least recently used beyond the capacity.</summary>
    public void Set<T>(string key, T value) where T : class
    {
        ArgumentNullException.ThrowIfNull(value);
        lock (_lock)
        {
            if (_entries.Remove(key, out var old)) _order.Remove(old);
            _entries[key] = _order.AddFirst((key, value));
            while (_entries.Count > Math.Max(1, capacity))
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _entries.Remove(last.Value.Key);
            }
        }
    }
}
