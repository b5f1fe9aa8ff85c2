namespace BarrioSeguro.Geo.Core.Network;

/// <summary>Per edge, an ordered list of disjoint fractions [from, to] of its length, stored flat (no allocation per edge).
/// Parts of one edge are added one after another, in order.</summary>
internal sealed class EdgeParts
{
    private readonly int[] _start;
    private readonly int[] _count;
    private (double From, double To)[] _items;
    private int _n;

    public EdgeParts(int edges)
    {
        _start = new int[edges];
        _count = new int[edges];
        _items = new (double, double)[Math.Max(16, edges / 8)];
    }

    public void Add(int edge, double from, double to)
    {
        if (_count[edge] > 0 && _items[_n - 1].To >= from)
        {
            _items[_n - 1].To = Math.Max(_items[_n - 1].To, to);
            return;
        }
        if (_count[edge] == 0) _start[edge] = _n;
        if (_n == _items.Length) Array.Resize(ref _items, _items.Length * 2);
        _items[_n++] = (from, to);
        _count[edge]++;
    }

    /// <summary>Back to no parts on any edge (the item array is kept for the next search).</summary>
    public void Reset()
    {
        Array.Clear(_start);
        Array.Clear(_count);
        _n = 0;
    }

    public ArraySegment<(double From, double To)> Of(int edge) => new(_items, _start[edge], _count[edge]);

    /// <summary>The covered share of the edge's length.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public double Share(int edge)
    {
        var sum = 0.0;
        for (int i = _start[edge], end = _start[edge] + _count[edge]; i < end; i++) sum += _items[i].To - _items[i].From;
        return sum;
    }
}
