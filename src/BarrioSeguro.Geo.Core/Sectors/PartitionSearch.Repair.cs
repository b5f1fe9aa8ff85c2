namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>
/// Balance repair for real cities: single boundary moves stall where islands hang on long bridges, parks and
/// unconnected developments leave sectors that can only grow or shrink through one block. The repair moves work along
/// paths of neighbouring sectors (an ejection chain: the heavy sector gives to its neighbour, which gives on, until a
/// light sector takes it), and a block whose removal would split its sector moves together with the part it cuts off
/// (a chain of island blocks behind a bridge moves as one unit). See Sectors/README.md, "Islands and bridges".
/// </summary>
internal sealed partial class PartitionSearch
{
    private List<int>[] _members = [];
    private readonly List<(int Block, int From)> _log = [];
    private readonly List<int> _unit = [];

    /// <summary>
    /// While a sector is outside the tolerance: take the worst one and move work between it and the nearest sector on
    /// the other side of its target, hop by hop along neighbouring sectors; kept only when Σ((W − T) / T)² falls, so it
    /// ends. Deterministic: sectors and blocks are taken in index order on ties.
    /// </summary>
    /// <returns>The chains kept.</returns>
    private int Repair()
    {
        if (_k < 2 || MaxDeviation() <= _target + 1e-12) return 0;
        _members = new List<int>[_k];
        for (var s = 0; s < _k; s++) _members[s] = [];
        for (var i = 0; i < _g.Count; i++) _members[_part[i]].Add(i);
        var stuck = new bool[_k];
        var kept = 0;
        var keptSinceClear = 0;
        var limit = 20 * _k + 200;
        for (var it = 0; it < limit; it++)
        {
            _ct.ThrowIfCancellationRequested();
            var s = -1;
            var worst = _target + 1e-12;
            for (var t = 0; t < _k; t++)
            {
                if (stuck[t]) continue;
                var d = Math.Abs(_w[t] - T(t)) / T(t);
                if (d > worst) { worst = d; s = t; }
            }
            if (s < 0)
            {
                // Every sector left is stuck: once more after chains were kept (they change the room), else done.
                if (keptSinceClear == 0) break;
                keptSinceClear = 0;
                Array.Clear(stuck);
                continue;
            }
            if (Relieve(s)) { kept++; keptSinceClear++; }
            else stuck[s] = true;
        }
        _members = [];
        return kept;
    }

    /// <summary>
    /// Where chains cannot help (a region holding one sector too many or too few for its work), a sector moves: the
    /// lightest is dissolved into its neighbours (each of its blocks to the neighbouring sector that reaches it first,
    /// so they stay connected), grown again inside the heaviest from the block furthest within it up to half its work,
    /// and the chains run again; kept when the largest deviation falls, or stays and Σ((W − T) / T)² falls. A few tries,
    /// each on the next lightest sector.
    /// </summary>
    private void Rebalance(int tries = 8)
    {
        Repair();
        var tried = new bool[_k];
        var split = new bool[_k];
        var failures = 0;
        var hasFixed = new bool[_k];
        for (var i = 0; i < _g.Count; i++) if (_fixed[i] >= 0) hasFixed[_fixed[i]] = true;
        for (var t = 0; t < tries && _k >= 3; t++)
        {
            _ct.ThrowIfCancellationRequested();
            if (MaxDeviation() <= _target + 1e-12) return;
            int light = -1, heavy = -1;
            for (var s = 0; s < _k; s++)
            {
                if (!tried[s] && !hasFixed[s] && (light < 0 || _w[s] / T(s) < _w[light] / T(light))) light = s;
                if (!split[s] && (heavy < 0 || _w[s] / T(s) > _w[heavy] / T(heavy))) heavy = s;
            }
            if (light < 0 || heavy < 0 || heavy == light || _w[light] / T(light) > 1 - _target) return;
            tried[light] = true;
            split[heavy] = true; // a sector whose split did not help (one held heavy by a hub) is not split again
            var before = Spread();
            var beforeMax = MaxDeviation();
            var saved = (int[])_part.Clone();
            if (Dissolve(light) && SplitInto(heavy, light))
            {
                Repair();
                // The largest deviation first (what the plan is judged by), then the spread.
                var max = MaxDeviation();
                if (max < beforeMax - 1e-9 || (max <= beforeMax + 1e-9 && Spread() < before - 1e-9)) { split[heavy] = false; failures = 0; continue; }
            }
            if (++failures >= 3) t = tries;
            _part = saved;
            Array.Clear(_w);
            Array.Clear(_size);
            for (var i = 0; i < _g.Count; i++) { _w[_part[i]] += _g.Weight[i]; _size[_part[i]]++; }
        }
    }

    /// <summary>Gives every block of sector s to a neighbouring sector, growing each from its boundary.</summary>
    private bool Dissolve(int s)
    {
        var queue = new PriorityQueue<(int Block, int To), (int Hop, double W, int Block)>();
        for (var i = 0; i < _g.Count; i++)
        {
            if (_part[i] != s) continue;
            for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
            {
                var t = _part[_g.Neighbours[e]];
                if (t != s) queue.Enqueue((i, t), (0, _w[t] / T(t), i));
            }
        }
        while (queue.TryDequeue(out var item, out var key))
        {
            if (_part[item.Block] != s) continue;
            Move(item.Block, item.To);
            for (var e = _g.Start[item.Block]; e < _g.Start[item.Block + 1]; e++)
            {
                var j = _g.Neighbours[e];
                if (_part[j] == s) queue.Enqueue((j, item.To), (key.Hop + 1, _w[item.To] / T(item.To), j));
            }
        }
        return _size[s] == 0;
    }

    /// <summary>Grows the empty sector s inside sector h from the block of h furthest (in steps) from another of its
    /// blocks, up to half of h's work, keeping h connected.</summary>
    private bool SplitInto(int h, int s)
    {
        var members = new List<int>();
        for (var i = 0; i < _g.Count; i++) if (_part[i] == h) members.Add(i);
        if (members.Count < 2) return false;
        var far = Furthest(Furthest(members[0], h), h);
        if (_fixed[far] >= 0 || !StaysConnectedWithout(far)) return false;
        Move(far, s);
        var queue = new PriorityQueue<int, (int, int)>();
        var hop = new Dictionary<int, int> { [far] = 0 };
        void Offer(int i)
        {
            for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
            {
                var j = _g.Neighbours[e];
                if (_part[j] == h && !hop.ContainsKey(j)) { hop[j] = hop[i] + 1; queue.Enqueue(j, (hop[j], j)); }
            }
        }
        Offer(far);
        while (queue.TryDequeue(out var i, out _))
        {
            if (_part[i] != h || _fixed[i] >= 0) continue;
            if (_w[s] + _g.Weight[i] > _w[h] - _g.Weight[i]) break;
            if (_size[h] <= 1 || !StaysConnectedWithout(i)) continue;
            Move(i, s);
            Offer(i);
        }
        return _size[s] > 0 && _size[h] > 0;
    }

    /// <summary>The block of sector s furthest in steps from block a within s (ties: the lower index).</summary>
    private int Furthest(int a, int s)
    {
        var dist = new Dictionary<int, int> { [a] = 0 };
        var queue = new Queue<int>();
        queue.Enqueue(a);
        var best = a;
        while (queue.Count > 0)
        {
            var i = queue.Dequeue();
            if (dist[i] > dist[best] || (dist[i] == dist[best] && i < best)) best = i;
            for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
            {
                var j = _g.Neighbours[e];
                if (_part[j] == s && !dist.ContainsKey(j)) { dist[j] = dist[i] + 1; queue.Enqueue(j); }
            }
        }
        return best;
    }

    private double Spread()
    {
        var sum = 0.0;
        for (var s = 0; s < _k; s++) { var d = (_w[s] - T(s)) / T(s); sum += d * d; }
        return sum;
    }

    /// <summary>One chain for sector s: to (or from) the nearest sector on the other side of its target, avoiding hops
    /// that could not move anything; a few paths are tried.</summary>
    private bool Relieve(int s)
    {
        var over = _w[s] > T(s);
        var before = Spread();
        var blocked = new HashSet<(int, int)>();
        var adjacency = SectorAdjacency();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            var path = NearestOtherSide(s, over, adjacency, blocked, 0.2 * Math.Abs(_w[s] - T(s)))
                       ?? NearestOtherSide(s, over, adjacency, blocked, 1e-9 * T(s));
            if (path is null) return false;
            var amount = Math.Min(Math.Abs(_w[s] - T(s)), Room(path[^1], over));
            _log.Clear();
            (int, int)? failed = null;
            for (var h = 0; h + 1 < path.Count; h++)
            {
                // Over: s gives to path[1], which gives on. Under: path[1] gives to s, and takes from path[2].
                int a = over ? path[h] : path[h + 1], b = over ? path[h + 1] : path[h];
                var moved = Transfer(a, b, amount);
                if (moved <= 0) { failed = (path[h], path[h + 1]); break; }
                amount = moved;
            }
            if (_log.Count > 0 && Spread() < before - 1e-12) return true;
            for (var m = _log.Count - 1; m >= 0; m--) MoveTracked(_log[m].Block, _log[m].From);
            _log.Clear();
            blocked.Add(failed ?? (path[0], path[1]));
        }
        return false;
    }

    /// <summary>The work sector b can take (for a heavy sector's chain) or give (for a light one's) and stay within the
    /// tolerance.</summary>
    private double Room(int b, bool take) => take ? (1 + _target) * T(b) - _w[b] : _w[b] - (1 - _target) * T(b);

    /// <summary>Distinct neighbouring sectors of each sector, in index order.</summary>
    private List<int>[] SectorAdjacency()
    {
        var adjacency = new List<int>[_k];
        var seen = new int[_k];
        for (var s = 0; s < _k; s++)
        {
            adjacency[s] = [];
            foreach (var i in _members[s])
                for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
                {
                    var t = _part[_g.Neighbours[e]];
                    if (t == s || seen[t] == s + 1) continue;
                    seen[t] = s + 1;
                    adjacency[s].Add(t);
                }
            adjacency[s].Sort();
        }
        return adjacency;
    }

    /// <summary>Breadth-first over neighbouring sectors to the nearest one with room (at least <paramref name="least"/>
    /// of it, to take work from a heavy s or to give it to a light s, within the tolerance); among the nearest, the one
    /// with most room.</summary>
    private List<int>? NearestOtherSide(int s, bool over, List<int>[] adjacency, HashSet<(int, int)> blocked, double least)
    {
        var from = Enumerable.Repeat(-1, _k).ToArray();
        from[s] = s;
        var layer = new List<int> { s };
        while (layer.Count > 0)
        {
            var next = new List<int>();
            foreach (var a in layer)
                foreach (var b in adjacency[a])
                {
                    if (from[b] >= 0 || blocked.Contains((a, b))) continue;
                    from[b] = a;
                    next.Add(b);
                }
            var best = -1;
            var bestRoom = 0.0;
            foreach (var b in next)
            {
                var room = Room(b, over);
                if (room >= least && room / T(b) > bestRoom + 1e-12) { best = b; bestRoom = room / T(b); }
            }
            if (best >= 0)
            {
                var path = new List<int> { best };
                while (path[^1] != s) path.Add(from[path[^1]]);
                path.Reverse();
                return path;
            }
            layer = next;
        }
        return null;
    }

    /// <summary>
    /// Moves up to about <paramref name="amount"/> of work from sector a to its neighbour b, a unit at a time: a block of
    /// a touching b, with the part of a it would cut off (so a stays connected; b does, since the unit touches it).
    /// Units that lengthen the cut least go first; a unit is taken when it brings the moved work nearer the amount.
    /// </summary>
    /// <returns>The work moved.</returns>
    private double Transfer(int a, int b, double amount)
    {
        var moved = 0.0;
        var candidates = new List<(double Cost, int Block)>();
        for (var guard = 0; guard < _g.Count; guard++)
        {
            var remaining = amount - moved;
            if (remaining <= 1e-9 * _mean || _size[a] <= 1) break;
            candidates.Clear();
            foreach (var i in _members[a])
            {
                if (_fixed[i] >= 0) continue;
                var touches = false;
                for (var e = _g.Start[i]; e < _g.Start[i + 1] && !touches; e++) touches = _part[_g.Neighbours[e]] == b;
                if (!touches) continue;
                var own = Touching(i);
                var shared = 0.0;
                foreach (var (t, l) in _touch) if (t == b) shared = l;
                candidates.Add((own - shared, i));
            }
            if (candidates.Count == 0) break;
            candidates.Sort();
            var done = false;
            foreach (var (_, i) in candidates)
            {
                if (!UnitOf(i, out var weight)) continue;
                // Nearer the amount; or, as the hop's first unit, one too big for the amount (an island behind its
                // bridge) that still narrows the gap between the two sectors.
                var fits = weight < 2 * remaining - 1e-12
                           || (moved == 0 && (_w[a] - T(a)) / T(a) - (_w[b] - T(b)) / T(b) > weight * (1 / T(a) + 1 / T(b)) / 2 + 1e-12);
                if (weight <= 0 || !fits) continue;
                foreach (var j in _unit) { _log.Add((j, a)); MoveTracked(j, b); }
                moved += weight;
                done = true;
                break;
            }
            if (!done) break;
        }
        return moved;
    }

    /// <summary>Block i and the part of its sector it would cut off (in <see cref="_unit"/>); false when the unit would
    /// hold a fixed block or the whole sector.</summary>
    private bool UnitOf(int i, out double weight)
    {
        _unit.Clear();
        _unit.Add(i);
        weight = _g.Weight[i];
        if (_fixed[i] >= 0) return false;
        if (StaysConnectedWithout(i)) return _size[_part[i]] > 1;
        // The parts of the sector without i: the one holding its fixed blocks (or the heaviest) stays.
        var s = _part[i];
        var parts = new List<(List<int> Blocks, double W, bool Fixed)>();
        _stampNow++;
        var mark = _stampNow;
        _stamp[i] = mark;
        for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
        {
            var r = _g.Neighbours[e];
            if (_part[r] != s || _stamp[r] == mark) continue;
            var blocks = new List<int> { r };
            _stamp[r] = mark;
            var w = 0.0;
            var isFixed = false;
            for (var q = 0; q < blocks.Count; q++)
            {
                var j = blocks[q];
                w += _g.Weight[j];
                isFixed |= _fixed[j] >= 0;
                for (var f = _g.Start[j]; f < _g.Start[j + 1]; f++)
                {
                    var x = _g.Neighbours[f];
                    if (_part[x] == s && _stamp[x] != mark) { _stamp[x] = mark; blocks.Add(x); }
                }
            }
            parts.Add((blocks, w, isFixed));
        }
        if (parts.Count == 0 || parts.Count(p => p.Fixed) > 1) return false;
        var stay = parts.FindIndex(p => p.Fixed);
        if (stay < 0)
        {
            stay = 0;
            for (var p = 1; p < parts.Count; p++)
                if (parts[p].W > parts[stay].W + 1e-12 || (Math.Abs(parts[p].W - parts[stay].W) <= 1e-12 && parts[p].Blocks.Count > parts[stay].Blocks.Count))
                    stay = p;
        }
        for (var p = 0; p < parts.Count; p++)
        {
            if (p == stay) continue;
            _unit.AddRange(parts[p].Blocks);
            weight += parts[p].W;
        }
        return true;
    }

    /// <summary>A move that also keeps the member lists of the repair.</summary>
    private void MoveTracked(int i, int b)
    {
        _members[_part[i]].Remove(i);
        Move(i, b);
        _members[b].Add(i);
    }
}
