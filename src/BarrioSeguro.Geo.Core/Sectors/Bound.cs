namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>
/// A lower bound of the weighted travel of every plan with these blocks, sectors, fixed centres and balance.
/// </summary>
/// <param name="Method">How it was found: "lagrangian-lp", the Lagrangian dual of the p-median's LP relaxation.</param>
/// <param name="BoundMinutes">No plan within <paramref name="TolerancePct"/> (contiguous or not, any centres, barriers
/// and locks aside) has a smaller Σ workload × minutes.</param>
/// <param name="PlanMinutes">The plan's Σ workload × minutes (from its centres).</param>
/// <param name="GapPct">(plan − bound) / plan, in percent: the plan is at most this far from the best possible.</param>
/// <param name="TolerancePct">The balance the bound allows: the plan's tolerance, or its own deviation when larger.</param>
public sealed record TravelBound(string Method, double BoundMinutes, double PlanMinutes, double GapPct, double TolerancePct, int Iterations);

/// <summary>
/// The lower bound of a response plan: the LP relaxation of the p-median with balance (x[i,j] ≤ y[j], Σ_j x[i,j] = 1,
/// each sector's workload within the tolerance of its target, centres free among the blocks or fixed at their points;
/// contiguity, barriers and locks relaxed), through its Lagrangian dual: the assignment constraints priced by λ, each
/// sector then picks the centre whose continuous knapsack (Σ (c[i,j] − λ_i) x_i with the workload between the bounds: the
/// prefix by ratio, exact) is cheapest. Every λ gives a valid bound (weak duality), so a bound cut short is still a bound;
/// λ follows subgradient steps (Polyak, towards the plan's value) for a fixed number of iterations, so the same input
/// gives the same bound on any machine. The dual's optimum equals the LP's; a sector group of equal targets takes
/// distinct centres, sectors of different targets may share one (a further relaxation).
/// </summary>
internal static class ResponseBound
{
    /// <summary>The bound of a plan's report, or (too many blocks) null and the note that names the limit.</summary>
    public static (TravelBound? Bound, Notes.Note Note) Of(SectorGraph g, TravelCost travel, int[] origins, IReadOnlyList<double>? shares,
        double targetDeviation, PlanReport report)
    {
        if (g.Count > MaxBlocks) return (null, Notes.Note.Of("sectors.travel_bound_skipped", ("count", g.Count), ("limit", MaxBlocks)));
        var k = origins.Length;
        var total = g.Weight.Sum();
        var targets = Enumerable.Range(0, k).Select(s => shares is null ? total / k : total * shares[s] / shares.Sum()).ToArray();
        var tolerance = Math.Max(targetDeviation, report.MaxDeviationPct / 100 + 1e-9);
        var b = Compute(g, travel, origins, targets, tolerance, report.Travel!.TotalWeightedMinutes * 60);
        return (b, Notes.Note.Of("sectors.travel_bound", ("bound", b.BoundMinutes), ("value", b.PlanMinutes), ("gap", b.GapPct), ("tolerance", b.TolerancePct)));
    }

    /// <summary>Most blocks the bound is computed for (the travel matrix is blocks²; each iteration blocks² log blocks).</summary>
    public const int MaxBlocks = 800;

    public const int Iterations = 100;

    /// <param name="origins">Per sector its fixed origin (≥ n) or −1 (free: any block).</param>
    /// <param name="targets">Per sector its workload target.</param>
    /// <param name="tolerance">Fraction, e.g. 0.05.</param>
    /// <param name="planSeconds">The plan's Σ workload × seconds (the step target; the gap's reference).</param>
    public static TravelBound Compute(SectorGraph g, TravelCost travel, int[] origins, double[] targets, double tolerance, double planSeconds)
    {
        var n = g.Count;
        var k = targets.Length;
        var w = g.Weight;
        // Candidate centres per group of sectors with the same target and no fixed point; fixed sectors alone.
        var groups = new List<(int[] Candidates, int Take, double Low, double High)>();
        foreach (var grp in Enumerable.Range(0, k).Where(s => origins[s] < 0).GroupBy(s => Math.Round(targets[s], 9)))
            groups.Add((Enumerable.Range(0, n).ToArray(), grp.Count(), (1 - tolerance) * grp.Key, (1 + tolerance) * grp.Key));
        for (var s = 0; s < k; s++)
            if (origins[s] >= 0) groups.Add(([origins[s]], 1, (1 - tolerance) * targets[s], (1 + tolerance) * targets[s]));
        var columns = groups.SelectMany(x => x.Candidates).Distinct().ToArray();
        var cost = new Dictionary<int, double[]>(columns.Length);
        foreach (var j in columns)
        {
            var row = travel.Row(j);
            var c = new double[n];
            for (var i = 0; i < n; i++) c[i] = w[i] * row[i];
            cost[j] = c;
        }

        // λ starts at each block's cheapest cost from another candidate (its cost if it were served, not a centre).
        var lambda = new double[n];
        for (var i = 0; i < n; i++)
        {
            var best = double.PositiveInfinity;
            foreach (var j in columns) if (j != i && cost[j][i] < best) best = cost[j][i];
            lambda[i] = double.IsFinite(best) ? best : 0;
        }
        var bestBound = double.NegativeInfinity;
        var theta = 2.0;
        var sinceBetter = 0;
        var v = new double[n];
        var order = new int[n];
        var x = new double[n];
        var served = new double[n];
        var keys = new double[n];
        var weights = new double[n];
        for (var it = 0; it < Iterations; it++)
        {
            var value = lambda.Sum();
            Array.Clear(served);
            foreach (var (candidates, take, low, high) in groups)
            {
                var found = new List<(double Value, int Column)>(candidates.Length);
                foreach (var j in candidates)
                {
                    var c = cost[j];
                    for (var i = 0; i < n; i++) v[i] = c[i] - lambda[i];
                    found.Add((KnapsackValue(v, w, low, high, keys, weights), j));
                }
                foreach (var (kv, j) in found.OrderBy(f => f.Value).ThenBy(f => f.Column).Take(take))
                {
                    value += kv;
                    var c = cost[j];
                    for (var i = 0; i < n; i++) v[i] = c[i] - lambda[i];
                    Knapsack(v, w, low, high, order, keys, x);
                    for (var i = 0; i < n; i++) served[i] += x[i];
                }
            }
            if (value > bestBound + 1e-9) { bestBound = value; sinceBetter = 0; }
            else if (++sinceBetter >= 10) { theta /= 2; sinceBetter = 0; }
            var norm = 0.0;
            for (var i = 0; i < n; i++) norm += (1 - served[i]) * (1 - served[i]);
            if (norm < 1e-12) break; // every block served exactly once: the bound is the LP's
            var step = theta * Math.Max(planSeconds - value, 1e-6 * Math.Max(1, planSeconds)) / norm;
            for (var i = 0; i < n; i++) lambda[i] += step * (1 - served[i]);
        }
        var bound = Math.Max(0, Math.Min(bestBound, planSeconds));
        var gap = planSeconds > 0 ? (planSeconds - bound) / planSeconds * 100 : 0;
        return new TravelBound("lagrangian-lp", bound / 60, planSeconds / 60, gap, tolerance * 100, Iterations);
    }

    /// <summary>The value of <see cref="Knapsack"/> without the x: a weighted quickselect instead of a sort, O(n) expected.</summary>
    private static double KnapsackValue(double[] v, double[] w, double low, double high, double[] keys, double[] weights)
    {
        var n = v.Length;
        var value = 0.0;
        var paying = 0.0;
        var payingValue = 0.0;
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            if (w[i] <= 0) { if (v[i] < 0) value += v[i]; continue; }
            if (v[i] < 0) { paying += w[i]; payingValue += v[i]; keys[m] = v[i] / w[i]; weights[m] = w[i]; m++; }
        }
        if (paying >= low && paying <= high) return value + payingValue;
        // Too heavy: the cheapest per workload of the paying ones up to high.
        if (paying > high) return value + Prefix(keys, weights, m, high);
        // Too light: all the weighted ones, cheapest per workload first, up to low.
        m = 0;
        for (var i = 0; i < n; i++) if (w[i] > 0) { keys[m] = v[i] / w[i]; weights[m] = w[i]; m++; }
        return value + Prefix(keys, weights, m, low);
    }

    /// <summary>Σ key × weight over the items of least key up to a total weight of want (the last one in part).</summary>
    private static double Prefix(double[] key, double[] weight, int m, double want)
    {
        int lo = 0, hi = m;
        double taken = 0, value = 0;
        while (hi > lo)
        {
            // Three-way partition of [lo, hi) around the middle item's key.
            var pivot = key[lo + (hi - lo) / 2];
            int lt = lo, i = lo, gt = hi;
            while (i < gt)
            {
                if (key[i] < pivot) { Swap(key, weight, lt++, i++); }
                else if (key[i] > pivot) { Swap(key, weight, i, --gt); }
                else i++;
            }
            double wLess = 0, vLess = 0, wEqual = 0;
            for (var t = lo; t < lt; t++) { wLess += weight[t]; vLess += key[t] * weight[t]; }
            if (taken + wLess >= want) { hi = lt; continue; }
            taken += wLess; value += vLess;
            for (var t = lt; t < gt; t++) wEqual += weight[t];
            if (taken + wEqual >= want) return value + (want - taken) * pivot;
            taken += wEqual; value += wEqual * pivot;
            lo = gt;
        }
        return value;
    }

    private static void Swap(double[] key, double[] weight, int a, int b)
    {
        (key[a], key[b]) = (key[b], key[a]);
        (weight[a], weight[b]) = (weight[b], weight[a]);
    }

    /// <summary>
    /// min Σ v_i x_i, x_i in [0, 1], low ≤ Σ w_i x_i ≤ high: items of no weight when they pay; the others by v/w, a prefix
    /// of weight clamp(weight of the paying ones, low, high), the last one in part (when the paying ones fit, all of them). Infeasible (too little weight): the
    /// whole of it (a bound may only be lower, never wrong).
    /// </summary>
    private static double Knapsack(double[] v, double[] w, double low, double high, int[] order, double[] keys, double[] x)
    {
        var n = v.Length;
        var value = 0.0;
        var paying = 0.0;
        var m = 0;
        for (var i = 0; i < n; i++)
        {
            x[i] = 0;
            if (w[i] <= 0)
            {
                if (v[i] < 0) { x[i] = 1; value += v[i]; }
                continue;
            }
            if (v[i] < 0) { paying += w[i]; order[m++] = i; }
        }
        if (paying >= low && paying <= high)
        {
            // All the paying ones fit: no sort needed.
            for (var t = 0; t < m; t++) { x[order[t]] = 1; value += v[order[t]]; }
            return value;
        }
        if (paying < low)
        {
            // Too light: every weighted item is a candidate, cheapest per workload first.
            m = 0;
            for (var i = 0; i < n; i++) if (w[i] > 0) order[m++] = i;
        }
        for (var t = 0; t < m; t++) keys[t] = v[order[t]] / w[order[t]];
        Array.Sort(keys, order, 0, m);
        var want = Math.Clamp(paying, low, high);
        var taken = 0.0;
        for (var t = 0; t < m && taken < want - 1e-12; t++)
        {
            var i = order[t];
            var part = Math.Min(1, (want - taken) / w[i]);
            x[i] = part;
            value += part * v[i];
            taken += part * w[i];
        }
        return value;
    }
}
