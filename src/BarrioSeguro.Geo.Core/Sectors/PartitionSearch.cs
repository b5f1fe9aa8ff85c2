namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>
/// One attempt of the partition: seed, grow, then local search. See Sectors/README.md. Every choice depends only on
/// the graph, the inputs and the given <see cref="Random"/>: no hash order, no clock.
/// </summary>
internal sealed partial class PartitionSearch
{
    private readonly SectorGraph _g;
    private readonly int _k;
    private readonly int[] _fixed;     // sector a block must be in (locks, island sectors), or -1
    private readonly int[] _previous;  // sector in the previous plan, or -1
    private readonly double _target;
    private readonly double _stay;
    private readonly int[] _seedBlocks; // per sector: a block to grow from, or -1
    private readonly CancellationToken _ct;
    private readonly ResponseSetup? _response;
    private int[] _origin = [];        // response: per sector, its centre (a block, or n + p for fixed point p)
    private double[][] _rows = [];     // response: per sector, seconds from its centre to every block

    private int[] _part = [];
    private double[] _w = [];
    private int[] _size = [];
    private double _mean;
    private readonly double[]? _share; // per sector: its share of the work, mean 1 (null: all equal)
    private int[] _stamp = [];
    private int _stampNow;

    public PartitionSearch(SectorGraph graph, int k, int[] fixedSector, int[] previous, int[] seedBlocks, double target, double stay, CancellationToken ct,
        ResponseSetup? response = null, double[]? shares = null)
    {
        _response = response;
        if (shares is not null)
        {
            var sum = shares.Sum();
            _share = shares.Select(x => x * shares.Length / sum).ToArray();
        }
        _g = graph;
        _k = k;
        _fixed = fixedSector;
        _previous = previous;
        _seedBlocks = seedBlocks;
        _target = target;
        _stay = stay;
        _ct = ct;
    }

    /// <summary>The response objective: travel from each sector's centre, fixed centres (origin per sector, or -1), and the
    /// weight of the cut in workload·seconds per metre.</summary>
    public sealed record ResponseSetup(TravelCost Travel, int[] FixedOrigin, double CutWeight);

    /// <param name="Travel">Response: Σ workload × seconds from each sector's centre (0 otherwise).</param>
    /// <param name="Score">What the objective minimises: cut + churn, or travel + weighted cut.</param>
    /// <param name="Origins">Response: the centre of each sector.</param>
    public sealed record Result(int[] Part, double MaxDeviation, double Cut, double ChurnPenalty, double Travel = 0, double? Score = null, int[]? Origins = null)
    {
        private double Primary => Score ?? Cut + ChurnPenalty;

        public bool BetterThan(Result other, double target)
        {
            var a = Math.Max(MaxDeviation, target);
            var b = Math.Max(other.MaxDeviation, target);
            if (Math.Abs(a - b) > 1e-12) return a < b;
            var tol = 1e-9 * Math.Max(1, Math.Abs(other.Primary));
            if (Math.Abs(Primary - other.Primary) > tol) return Primary < other.Primary;
            return Score is not null && Cut + ChurnPenalty < other.Cut + other.ChurnPenalty - 1e-9;
        }
    }

    /// <summary>
    /// Seeds, grows and improves; then, like Lloyd's k-means, re-seeds every free sector at the block nearest its centroid
    /// and does it again, keeping the best of the rounds.
    /// </summary>
    public Result Run(Random random, int rounds = 4)
    {
        var n = _g.Count;
        _stamp = new int[n];
        _origin = [];
        _mean = _g.Weight.Sum() / _k;
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        int[]? recentred = null;
        Result? best = null;
        for (var round = 0; round < rounds; round++)
        {
            Grow(random, recentred);
            Balance(order, stopAtTarget: _previous.Any(p => p >= 0));
            Rebalance();
            var bound = Allow();
            if (_response is null) Compact(order, bound);
            else Respond(order, bound);
            if (MaxDeviation() > _target + 1e-12)
            {
                Balance(order, stopAtTarget: false);
                Rebalance();
                if (_response is not null) Respond(order, Allow());
            }
            var result = Snapshot();
            if (best is null || result.BetterThan(best, _target)) best = result;
            // Response: from these centres, the balanced nearest-centre assignment (sector prices), made contiguous,
            // then balanced and improved again; a few times, as centres move.
            if (_response is not null && !_previous.Any(p => p >= 0))
                for (var cycle = 0; cycle < 3; cycle++)
                {
                    if (!PriceAssign()) break;
                    Balance(order, stopAtTarget: false);
                    Rebalance();
                    Respond(order, Allow());
                    var priced = Snapshot();
                    if (priced.BetterThan(best, _target)) best = priced;
                    else if (!priced.BetterThan(result, _target)) break;
                    result = priced;
                }
            recentred = _response is null ? Recentre() : CentreBlocks();
        }
        return best!;
    }

    private Result Snapshot()
    {
        if (_response is null) return new Result((int[])_part.Clone(), MaxDeviation(), Cut(), ChurnPenalty());
        var travel = TravelTotal();
        var cut = Cut();
        return new Result((int[])_part.Clone(), MaxDeviation(), cut, ChurnPenalty(), travel, travel + _response.CutWeight * cut, (int[])_origin.Clone());
    }

    /// <summary>For each sector, the block nearest the area-weighted centroid of its blocks.</summary>
    private int[] Recentre()
    {
        var cx = new double[_k];
        var cy = new double[_k];
        var ca = new double[_k];
        for (var i = 0; i < _g.Count; i++)
        {
            var a = _g.AreaM2[i] + 1e-6;
            cx[_part[i]] += _g.X[i] * a; cy[_part[i]] += _g.Y[i] * a; ca[_part[i]] += a;
        }
        var best = Enumerable.Repeat(-1, _k).ToArray();
        var bestD = Enumerable.Repeat(double.MaxValue, _k).ToArray();
        for (var i = 0; i < _g.Count; i++)
        {
            var s = _part[i];
            var d = Sq(_g.X[i] - cx[s] / ca[s], _g.Y[i] - cy[s] / ca[s]);
            if (d < bestD[s]) { bestD[s] = d; best[s] = i; }
        }
        return best;
    }

    // ---------- initial solution: fixed blocks, previous plan, seeds, then a priority flood ----------

    private void Grow(Random random, int[]? recentred)
    {
        var n = _g.Count;
        _part = Enumerable.Repeat(-1, n).ToArray();
        _w = new double[_k];
        _size = new int[_k];
        for (var i = 0; i < n; i++) if (_fixed[i] >= 0) Assign(i, _fixed[i]);

        // The previous plan: each old sector keeps the connected part of its old blocks that holds its locked blocks (or
        // its largest part).
        if (_previous.Any(p => p >= 0))
        {
            for (var s = 0; s < _k; s++)
            {
                var old = Enumerable.Range(0, n).Where(i => _previous[i] == s && (_part[i] < 0 || _part[i] == s)).ToList();
                if (old.Count == 0) continue;
                var parts = ConnectedParts(old, i => _previous[i] == s && (_part[i] < 0 || _part[i] == s));
                var keep = parts.FirstOrDefault(p => p.Any(i => _part[i] == s)) ?? parts.OrderByDescending(p => p.Count).First();
                foreach (var i in keep) if (_part[i] < 0) Assign(i, s);
            }
        }

        // Seeds for sectors that have nothing yet: the given ones, then k-means++ on centroids.
        for (var s = 0; s < _k; s++)
            if (_size[s] == 0 && _seedBlocks[s] >= 0 && _part[_seedBlocks[s]] < 0) Assign(_seedBlocks[s], s);
        if (recentred is not null)
            for (var s = 0; s < _k; s++)
                if (_size[s] == 0 && _part[recentred[s]] < 0) Assign(recentred[s], s);
        var empty = Enumerable.Range(0, _k).Where(s => _size[s] == 0).ToList();
        if (empty.Count > 0) SeedKMeansPlusPlus(empty, random);

        // Centres: where each sector starts from.
        var cx = new double[_k];
        var cy = new double[_k];
        var ca = new double[_k];
        for (var i = 0; i < n; i++)
        {
            if (_part[i] < 0) continue;
            var a = _g.AreaM2[i] + 1e-6;
            cx[_part[i]] += _g.X[i] * a; cy[_part[i]] += _g.Y[i] * a; ca[_part[i]] += a;
        }
        for (var s = 0; s < _k; s++) { cx[s] /= ca[s]; cy[s] /= ca[s]; }
        if (_response is not null) UpdateCentres();

        var frontier = new PriorityQueue<int, (double, int)>[_k];
        for (var s = 0; s < _k; s++) frontier[s] = new PriorityQueue<int, (double, int)>();
        void Push(int i)
        {
            for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
            {
                var j = _g.Neighbours[e];
                if (_part[j] >= 0) continue;
                var s = _part[i];
                if (_response is not null) { frontier[s].Enqueue(j, (_rows[s][j], j)); continue; }
                double dx = _g.X[j] - cx[s], dy = _g.Y[j] - cy[s];
                frontier[s].Enqueue(j, (dx * dx + dy * dy, j));
            }
        }
        for (var i = 0; i < n; i++) if (_part[i] >= 0) Push(i);
        var left = _part.Count(p => p < 0);
        while (left > 0)
        {
            _ct.ThrowIfCancellationRequested();
            var pick = -1;
            for (var s = 0; s < _k; s++)
            {
                while (frontier[s].Count > 0 && _part[frontier[s].Peek()] >= 0) frontier[s].Dequeue();
                if (frontier[s].Count > 0 && (pick < 0 || (_share is null ? _w[s] < _w[pick] : _w[s] / _share[s] < _w[pick] / _share[pick]))) pick = s;
            }
            if (pick < 0) throw new InvalidOperationException("Internal error: blocks unreachable from every sector.");
            var b = frontier[pick].Dequeue();
            Assign(b, pick);
            left--;
            Push(b);
        }
    }

    private void Assign(int i, int s)
    {
        _part[i] = s;
        _w[s] += _g.Weight[i];
        _size[s]++;
    }

    private void SeedKMeansPlusPlus(List<int> sectors, Random random)
    {
        var n = _g.Count;
        var centresX = new List<double>();
        var centresY = new List<double>();
        for (var s = 0; s < _k; s++)
        {
            if (_size[s] == 0) continue;
            double sx = 0, sy = 0; var c = 0;
            for (var i = 0; i < n; i++) if (_part[i] == s) { sx += _g.X[i]; sy += _g.Y[i]; c++; }
            centresX.Add(sx / c); centresY.Add(sy / c);
        }
        var free = Enumerable.Range(0, n).Where(i => _part[i] < 0).ToArray();
        var d2 = new double[free.Length];
        for (var f = 0; f < free.Length; f++)
        {
            d2[f] = double.MaxValue;
            for (var c = 0; c < centresX.Count; c++) d2[f] = Math.Min(d2[f], Sq(_g.X[free[f]] - centresX[c], _g.Y[free[f]] - centresY[c]));
        }
        // weight by workload (plus a little area so that empty blocks can be picked too)
        var totalW = _g.Weight.Sum();
        var totalA = _g.AreaM2.Sum();
        double Mass(int i) => _g.Weight[i] / totalW + 0.05 * _g.AreaM2[i] / totalA;
        var chosen = new List<int>();
        foreach (var s in sectors)
        {
            var sum = 0.0;
            var cumulative = new double[free.Length];
            for (var f = 0; f < free.Length; f++)
            {
                var p = free[f] is var i && _part[i] >= 0 ? 0 : Mass(free[f]) * (centresX.Count == 0 ? 1 : d2[f]);
                cumulative[f] = sum += p;
            }
            int pickF;
            if (sum <= 0) pickF = Array.FindIndex(free, i => _part[i] < 0);
            else
            {
                var r = random.NextDouble() * sum;
                pickF = Array.BinarySearch(cumulative, r);
                if (pickF < 0) pickF = ~pickF;
                pickF = Math.Min(pickF, free.Length - 1);
                while (_part[free[pickF]] >= 0) pickF = (pickF + 1) % free.Length;
            }
            var b = free[pickF];
            Assign(b, s);
            chosen.Add(b);
            for (var f = 0; f < free.Length; f++) d2[f] = Math.Min(d2[f], Sq(_g.X[free[f]] - _g.X[b], _g.Y[free[f]] - _g.Y[b]));
            centresX.Add(_g.X[b]); centresY.Add(_g.Y[b]);
        }
    }

    private static double Sq(double dx, double dy) => dx * dx + dy * dy;

    private List<List<int>> ConnectedParts(List<int> blocks, Func<int, bool> member)
    {
        var seen = new HashSet<int>();
        var parts = new List<List<int>>();
        foreach (var s in blocks)
        {
            if (!seen.Add(s)) continue;
            var part = new List<int> { s };
            var stack = new Stack<int>();
            stack.Push(s);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
                {
                    var j = _g.Neighbours[e];
                    if (member(j) && seen.Add(j)) { part.Add(j); stack.Push(j); }
                }
            }
            parts.Add(part);
        }
        return parts;
    }

    // ---------- local search ----------

    /// <summary>The workload sector s should carry: the mean, or its share of the total.</summary>
    private double T(int s) => _share is null ? _mean : _mean * _share[s];

    /// <summary>A workload w for sector s is within the bound (relative to its target).</summary>
    private bool Fits(double w, int s, double bound) => Math.Abs(w - T(s)) <= Math.Max(bound, _allow[s]) * T(s) + 1e-12;

    // Per sector, how far it may be from its target in the moves that follow: the tolerance, or as far as it already is.
    private double[] _allow = [];

    /// <summary>Lets each sector stay as far from its target as it is now (at least the tolerance), so one sector held
    /// above it (a hub, an island) does not let every other drift as far; returns the tolerance.</summary>
    private double Allow()
    {
        _allow = new double[_k];
        for (var s = 0; s < _k; s++) _allow[s] = Math.Max(_target, Math.Abs(_w[s] - T(s)) / T(s));
        return _target;
    }

    private double MaxDeviation()
    {
        var worst = 0.0;
        for (var s = 0; s < _k; s++) worst = Math.Max(worst, Math.Abs(_w[s] - T(s)) / T(s));
        return worst;
    }

    private double Cut()
    {
        var cut = 0.0;
        for (var i = 0; i < _g.Count; i++)
            for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
                if (_part[_g.Neighbours[e]] != _part[i]) cut += _g.Shared[e];
        return cut / 2;
    }

    private double ChurnPenalty()
    {
        var p = 0.0;
        for (var i = 0; i < _g.Count; i++) if (_previous[i] >= 0 && _previous[i] != _part[i]) p += _stay * _g.PerimeterM[i];
        return p;
    }

    /// <summary>Cost in metres of moving block i from a to b, for staying with the previous plan.</summary>
    private double ChurnDelta(int i, int a, int b) =>
        _previous[i] < 0 || _stay == 0 ? 0
        : _stay * _g.PerimeterM[i] * ((_previous[i] == a ? 1 : 0) - (_previous[i] == b ? 1 : 0));

    // neighbouring sectors of a block with the shared length to each (small arrays reused)
    private readonly List<(int Sector, double Shared)> _touch = [];

    private double Touching(int i)
    {
        _touch.Clear();
        var own = 0.0;
        for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
        {
            var s = _part[_g.Neighbours[e]];
            if (s == _part[i]) { own += _g.Shared[e]; continue; }
            var found = false;
            for (var t = 0; t < _touch.Count; t++)
                if (_touch[t].Sector == s) { _touch[t] = (s, _touch[t].Shared + _g.Shared[e]); found = true; break; }
            if (!found) _touch.Add((s, _g.Shared[e]));
        }
        return own;
    }

    private bool Movable(int i) => _fixed[i] < 0 && _size[_part[i]] > 1;

    /// <summary>
    /// Moves boundary blocks from heavier to lighter neighbouring sectors while that lowers Σ(W − mean)² (the move of w
    /// from A to B does when W_A − W_B &gt; w). Cut growth is gated: first only moves that do not lengthen the cut, then
    /// longer ones. Among the lighter neighbours, the one that shares most boundary with the block is taken.
    /// </summary>
    private void Balance(int[] order, bool stopAtTarget)
    {
        foreach (var gate in new[] { 0.0, 0.25, 0.5, 1.0 })
        {
            for (var pass = 0; pass < 100; pass++)
            {
                _ct.ThrowIfCancellationRequested();
                if (stopAtTarget && MaxDeviation() <= _target) return;
                var moved = 0;
                foreach (var i in order)
                {
                    if (!Movable(i)) continue;
                    var a = _part[i];
                    var w = _g.Weight[i];
                    if (w <= 0) continue;
                    var own = Touching(i);
                    if (_touch.Count == 0) continue;
                    var best = -1;
                    var bestCost = double.MaxValue;
                    foreach (var (b, shared) in _touch)
                    {
                        if (_share is null ? _w[a] - _w[b] - w <= 1e-12 * _mean : _w[a] - T(a) - (_w[b] - T(b)) - w <= 1e-12 * _mean) continue;
                        var dcut = own - shared;
                        if (dcut > gate * _g.PerimeterM[i] + 1e-9) continue;
                        var cost = dcut + ChurnDelta(i, a, b);
                        if (cost < bestCost - 1e-9 || (best >= 0 && Math.Abs(cost - bestCost) <= 1e-9 && _w[b] < _w[best])) { best = b; bestCost = cost; }
                    }
                    if (best < 0 || !StaysConnectedWithout(i)) continue;
                    Move(i, best);
                    moved++;
                }
                if (moved == 0) break;
            }
        }
    }

    /// <summary>Moves that shorten the cut (plus the churn cost) while every sector stays within the balance bound.</summary>
    private void Compact(int[] order, double bound)
    {
        for (var pass = 0; pass < 100; pass++)
        {
            _ct.ThrowIfCancellationRequested();
            var moved = 0;
            foreach (var i in order)
            {
                if (!Movable(i)) continue;
                var a = _part[i];
                var w = _g.Weight[i];
                var own = Touching(i);
                if (_touch.Count == 0) continue;
                var best = -1;
                var bestCost = -1e-6;
                foreach (var (b, shared) in _touch)
                {
                    if (!Fits(_w[a] - w, a, bound) || !Fits(_w[b] + w, b, bound)) continue;
                    var cost = own - shared + ChurnDelta(i, a, b);
                    if (cost < bestCost) { best = b; bestCost = cost; }
                }
                if (best < 0 || !StaysConnectedWithout(i)) continue;
                Move(i, best);
                moved++;
            }
            if (moved == 0) break;
        }
    }

    // ---------- the response objective ----------

    /// <summary>The centre of every sector: the fixed one, else the block with the least weighted travel to the rest.</summary>
    /// <returns>How many centres changed.</returns>
    private int UpdateCentres()
    {
        var r = _response!;
        if (_origin.Length != _k) { _origin = Enumerable.Repeat(-1, _k).ToArray(); _rows = new double[_k][]; }
        var members = new List<int>[_k];
        for (var s = 0; s < _k; s++) members[s] = [];
        for (var i = 0; i < _g.Count; i++) if (_part[i] >= 0) members[_part[i]].Add(i);
        var changed = 0;
        for (var s = 0; s < _k; s++)
        {
            var o = r.FixedOrigin[s] >= 0 ? r.FixedOrigin[s]
                : members[s].Count == 0 ? _origin[s]
                : r.Travel.BestCentre(members[s], _g.Weight, _origin[s] >= 0 && _part[_origin[s]] == s ? _origin[s] : -1);
            if (o != _origin[s] || _rows[s] is null) { _origin[s] = o; _rows[s] = r.Travel.Row(o); changed++; }
        }
        return changed;
    }

    /// <summary>
    /// The balanced nearest-centre assignment: each block goes to the sector of least seconds + price, the prices of heavy
    /// sectors rising and of light ones falling until the workloads are within the tolerance (an additively weighted
    /// Voronoi split: on the street network its regions are connected). Blocks cut off from their sector's centre are
    /// then re-grown from the connected parts. False (nothing changed) when a sector would be left empty.
    /// </summary>
    private bool PriceAssign()
    {
        var n = _g.Count;
        const int near = 8;
        var m = Math.Min(near, _k);
        var cand = new int[n * m];
        for (var i = 0; i < n; i++)
        {
            var order = Enumerable.Range(0, _k).OrderBy(s => (_rows[s][i], s)).Take(m).ToArray();
            Array.Copy(order, 0, cand, i * m, m);
        }
        var scale = 0.0;
        for (var i = 0; i < n; i++) scale += _rows[_part[i]][i];
        scale = Math.Max(scale / n, 1e-6);
        var price = new double[_k];
        var part = new int[n];
        var w = new double[_k];
        int[]? bestPart = null;
        (double Dev, double Travel) bestKey = (double.MaxValue, double.MaxValue);
        var step = 0.5;
        for (var it = 0; it < 100; it++)
        {
            Array.Clear(w);
            var travel = 0.0;
            for (var i = 0; i < n; i++)
            {
                var s = _fixed[i];
                if (s < 0)
                {
                    var bestCost = double.MaxValue;
                    for (var c = 0; c < m; c++)
                    {
                        var t = cand[i * m + c];
                        var cost = _rows[t][i] + price[t];
                        if (cost < bestCost) { bestCost = cost; s = t; }
                    }
                }
                part[i] = s;
                w[s] += _g.Weight[i];
                travel += _g.Weight[i] * _rows[s][i];
            }
            var dev = 0.0;
            for (var s = 0; s < _k; s++) dev = Math.Max(dev, Math.Abs(w[s] - T(s)) / T(s));
            var key = (Math.Max(dev, _target), travel);
            if (key.Item1 < bestKey.Dev - 1e-12 || (Math.Abs(key.Item1 - bestKey.Dev) <= 1e-12 && travel < bestKey.Travel))
            {
                bestKey = key;
                bestPart = (int[])part.Clone();
            }
            if (dev <= _target) break;
            for (var s = 0; s < _k; s++) price[s] += step * scale * (w[s] - T(s)) / T(s);
            step *= 0.97;
        }
        if (bestPart is null) return false;

        // Contiguity: each sector keeps the connected part of its blocks holding its centre (or its fixed blocks, or its
        // largest part); the rest grow back from their neighbours, nearest centre first.
        var keep = Enumerable.Repeat(-1, n).ToArray();
        var members = new List<int>[_k];
        for (var s = 0; s < _k; s++) members[s] = [];
        for (var i = 0; i < n; i++) members[bestPart[i]].Add(i);
        for (var s = 0; s < _k; s++)
        {
            if (members[s].Count == 0) return false;
            var sector = s;
            var parts = ConnectedParts(members[s], j => bestPart[j] == sector);
            var anchor = _origin[s] < n && bestPart[_origin[s]] == s ? _origin[s] : -1;
            var kept = parts.FirstOrDefault(p => p.Any(j => _fixed[j] == sector))
                       ?? (anchor >= 0 ? parts.First(p => p.Contains(anchor)) : parts.MaxBy(p => (p.Count, -p.Min())))!;
            foreach (var j in kept) keep[j] = s;
        }
        var queue = new PriorityQueue<(int Block, int Sector), (double, int)>();
        void Offer(int i)
        {
            for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
            {
                var j = _g.Neighbours[e];
                if (keep[j] < 0) queue.Enqueue((j, keep[i]), (_rows[keep[i]][j] + price[keep[i]], j));
            }
        }
        for (var i = 0; i < n; i++) if (keep[i] >= 0) Offer(i);
        while (queue.TryDequeue(out var item, out _))
        {
            if (keep[item.Block] >= 0) continue;
            keep[item.Block] = item.Sector;
            Offer(item.Block);
        }
        if (keep.Any(s => s < 0)) return false;
        _part = keep;
        _w = new double[_k];
        _size = new int[_k];
        for (var i = 0; i < n; i++) { _w[_part[i]] += _g.Weight[i]; _size[_part[i]]++; }
        UpdateCentres();
        return true;
    }

    /// <summary>Per sector, its centre block (for the next round's seeds; -1 for a fixed centre).</summary>
    private int[] CentreBlocks() =>
        Enumerable.Range(0, _k).Select(s => _response!.FixedOrigin[s] >= 0 || _origin[s] >= _g.Count ? -1 : _origin[s]).ToArray();

    private double TravelTotal()
    {
        var t = 0.0;
        for (var i = 0; i < _g.Count; i++) t += _g.Weight[i] * _rows[_part[i]][i];
        return t;
    }

    /// <summary>
    /// Like Lloyd's algorithm for the p-median under constraints: move boundary blocks to the neighbouring sector whose
    /// centre is nearer (weighted by the block's workload, plus the weighted cut) while every sector stays within the
    /// balance bound and connected, then re-centre each free sector at its 1-median; until nothing changes.
    /// </summary>
    private void Respond(int[] order, double bound)
    {
        var r = _response!;
        UpdateCentres();
        for (var iteration = 0; iteration < 25; iteration++)
        {
            var moved = 0;
            for (var pass = 0; pass < 50; pass++)
            {
                _ct.ThrowIfCancellationRequested();
                var passMoved = 0;
                foreach (var i in order)
                {
                    if (!Movable(i)) continue;
                    var a = _part[i];
                    var w = _g.Weight[i];
                    var own = Touching(i);
                    if (_touch.Count == 0) continue;
                    var here = _rows[a][i];
                    var best = -1;
                    var bestCost = 0.0;
                    var bestTie = 0.0;
                    foreach (var (b, shared) in _touch)
                    {
                        if (!Fits(_w[a] - w, a, bound) || !Fits(_w[b] + w, b, bound)) continue;
                        var dcut = own - shared;
                        var cost = w * (_rows[b][i] - here) + r.CutWeight * dcut;
                        var tie = dcut + ChurnDelta(i, a, b);
                        var eps = 1e-9 * (Math.Abs(w * here) + 1);
                        var better = cost < bestCost - eps || (Math.Abs(cost - bestCost) <= eps && tie < bestTie - 1e-9);
                        if (better) { best = b; bestCost = cost; bestTie = tie; }
                    }
                    if (best < 0 || !StaysConnectedWithout(i)) continue;
                    Move(i, best);
                    passMoved++;
                }
                moved += passMoved;
                if (passMoved == 0) break;
            }
            if (moved == 0) moved += Swaps(order, bound);
            var changed = UpdateCentres();
            if (moved == 0 && changed == 0) break;
        }
    }

    /// <summary>
    /// Pairs of moves where single ones are stuck at the balance bound: block i goes from a to b and a block j of b near
    /// i (a neighbour of i, or of one of i's neighbours in b) goes to a, when both sectors stay within the bound and
    /// connected and the weighted travel falls.
    /// </summary>
    private int Swaps(int[] order, double bound)
    {
        var swapped = 0;
        var near = new List<int>();
        foreach (var i in order)
        {
            _ct.ThrowIfCancellationRequested();
            if (!Movable(i) || _g.Weight[i] <= 0) continue;
            var a = _part[i];
            Touching(i);
            if (_touch.Count == 0) continue;
            var done = false;
            foreach (var (b, _) in _touch.ToArray())
            {
                var gain = _g.Weight[i] * (_rows[a][i] - _rows[b][i]);
                near.Clear();
                for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
                {
                    var j = _g.Neighbours[e];
                    if (_part[j] != b) continue;
                    if (!near.Contains(j)) near.Add(j);
                    for (var f = _g.Start[j]; f < _g.Start[j + 1]; f++)
                        if (_part[_g.Neighbours[f]] == b && _g.Neighbours[f] != i && !near.Contains(_g.Neighbours[f])) near.Add(_g.Neighbours[f]);
                }
                foreach (var j in near)
                {
                    if (!Movable(j)) continue;
                    var wi = _g.Weight[i];
                    var wj = _g.Weight[j];
                    var delta = -gain + wj * (_rows[a][j] - _rows[b][j]);
                    if (delta >= -1e-9 * (Math.Abs(gain) + 1)) continue;
                    if (!Fits(_w[a] - wi + wj, a, bound) || !Fits(_w[b] + wi - wj, b, bound)) continue;
                    if (!StaysConnectedWithout(i)) break;
                    Move(i, b);
                    // j must touch a (now or through i) and leave b connected.
                    var touchesA = false;
                    for (var f = _g.Start[j]; f < _g.Start[j + 1] && !touchesA; f++) touchesA = _part[_g.Neighbours[f]] == a;
                    if (touchesA && StaysConnectedWithout(j) && _size[b] > 1)
                    {
                        Move(j, a);
                        swapped++;
                        done = true;
                        break;
                    }
                    Move(i, a);
                }
                if (done) break;
            }
        }
        return swapped;
    }

    private void Move(int i, int b)
    {
        var a = _part[i];
        _w[a] -= _g.Weight[i];
        _size[a]--;
        _part[i] = b;
        _w[b] += _g.Weight[i];
        _size[b]++;
    }

    private readonly Stack<int> _stack = new();
    private readonly List<int> _same = [];

    /// <summary>True when the sector of block i stays connected without it: a search from one of its neighbours in the
    /// sector must reach the others.</summary>
    private bool StaysConnectedWithout(int i)
    {
        var s = _part[i];
        _same.Clear();
        for (var e = _g.Start[i]; e < _g.Start[i + 1]; e++)
            if (_part[_g.Neighbours[e]] == s) _same.Add(_g.Neighbours[e]);
        if (_same.Count <= 1) return _same.Count == 1 || _size[s] == 1;
        _stampNow++;
        _stamp[i] = _stampNow;
        var toFind = _same.Count - 1;
        _stamp[_same[0]] = _stampNow;
        _stack.Clear();
        _stack.Push(_same[0]);
        var wanted = _stampNow;
        while (_stack.Count > 0)
        {
            var j = _stack.Pop();
            for (var e = _g.Start[j]; e < _g.Start[j + 1]; e++)
            {
                var q = _g.Neighbours[e];
                if (_part[q] != s || _stamp[q] == wanted) continue;
                _stamp[q] = wanted;
                if (_same.Contains(q) && --toFind == 0) return true;
                _stack.Push(q);
            }
        }
        return false;
    }
}
