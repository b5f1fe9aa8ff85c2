using System.Diagnostics;
using Google.OrTools.LinearSolver;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>What the exact polish of a response plan did.</summary>
/// <param name="Solver">The MIP solver (SCIP).</param>
/// <param name="Status">optimal, feasible (time limit), infeasible or not solved.</param>
/// <param name="ObjectiveMinutes">The MIP's best plan: Σ workload × minutes (null without one).</param>
/// <param name="BoundMinutes">The solver's lower bound of the model.</param>
/// <param name="GapPct">(objective − bound) / objective, in percent.</param>
/// <param name="Improved">The MIP's plan replaced the heuristic's (it was shorter).</param>
/// <param name="HeuristicMinutes">The heuristic's plan before the polish.</param>
public sealed record PolishFigures(string Solver, string Status, double? ObjectiveMinutes, double? BoundMinutes, double? GapPct, bool Improved,
    double HeuristicMinutes, double ElapsedMs);

/// <summary>
/// A p-median with balance and contiguity on OR-Tools' MIP solver (SCIP), as a polish of the heuristic's plan: the
/// centres are kept, each block may go to its own sector or one of the few whose centres are nearest, every sector stays
/// within the tolerance of its target, and contiguity is Wheeler's (2019) sufficient condition: a block of a sector has a
/// neighbour in it nearer its centre (so a chain of ever nearer blocks joins it to the centre). The bound is the bound
/// of this model (these centres, these candidate sectors), not of every plan.
/// </summary>
internal static class Polish
{
    public static (int[]? Part, PolishFigures Figures) Run(SectorGraph g, int k, int[] part, int[] origin, double[][] rows, double[] target,
        double tolerance, int[] fixedSector, double heuristicSeconds, TimeSpan limit, int near = 4)
    {
        var clock = Stopwatch.StartNew();
        var n = g.Count;
        using var solver = Solver.CreateSolver("SCIP");
        if (solver is null) return (null, new PolishFigures("SCIP", "not available", null, null, null, false, heuristicSeconds / 60, 0));

        // Candidates: the block's sector and the nearest centres.
        var cand = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            if (fixedSector[i] >= 0) { cand[i] = [fixedSector[i]]; continue; }
            var c = Enumerable.Range(0, k).OrderBy(s => (rows[s][i], s)).Take(near).ToList();
            if (!c.Contains(part[i])) c.Add(part[i]);
            cand[i] = c;
        }
        // The root of each sector: its centre block, or (a fixed point) its block nearest the point.
        var root = new int[k];
        for (var s = 0; s < k; s++)
        {
            root[s] = origin[s] < n ? origin[s] : -1;
            if (root[s] < 0 || part[root[s]] != s)
                root[s] = Enumerable.Range(0, n).Where(i => part[i] == s).MinBy(i => (rows[s][i], i));
        }
        var x = new Dictionary<(int, int), Variable>();
        for (var i = 0; i < n; i++)
            foreach (var s in cand[i]) x[(i, s)] = solver.MakeBoolVar($"x{i}_{s}");
        for (var s = 0; s < k; s++) x[(root[s], s)].SetLb(1);

        for (var i = 0; i < n; i++)
        {
            var one = solver.MakeConstraint(1, 1, $"a{i}");
            foreach (var s in cand[i]) one.SetCoefficient(x[(i, s)], 1);
        }
        for (var s = 0; s < k; s++)
        {
            var load = solver.MakeConstraint(target[s] * (1 - tolerance), target[s] * (1 + tolerance), $"w{s}");
            for (var i = 0; i < n; i++) if (x.TryGetValue((i, s), out var v)) load.SetCoefficient(v, g.Weight[i]);
        }
        // Contiguity: x[i,s] ≤ Σ x[j,s] over neighbours j nearer the centre (ties by index).
        for (var i = 0; i < n; i++)
            foreach (var s in cand[i])
            {
                if (i == root[s]) continue;
                var c = solver.MakeConstraint(double.NegativeInfinity, 0, $"c{i}_{s}");
                c.SetCoefficient(x[(i, s)], 1);
                for (var e = g.Start[i]; e < g.Start[i + 1]; e++)
                {
                    var j = g.Neighbours[e];
                    if ((rows[s][j], j).CompareTo((rows[s][i], i)) < 0 && x.TryGetValue((j, s), out var v)) c.SetCoefficient(v, -1);
                }
            }
        var objective = solver.Objective();
        foreach (var ((i, s), v) in x) objective.SetCoefficient(v, g.Weight[i] * rows[s][i]);
        objective.SetMinimization();
        solver.SetTimeLimit((long)Math.Max(1, limit.TotalMilliseconds));
        var status = solver.Solve();
        var name = status switch
        {
            Solver.ResultStatus.OPTIMAL => "optimal",
            Solver.ResultStatus.FEASIBLE => "feasible",
            Solver.ResultStatus.INFEASIBLE => "infeasible",
            _ => "not solved",
        };
        if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE))
            return (null, new PolishFigures("SCIP", name, null, null, null, false, heuristicSeconds / 60, clock.Elapsed.TotalMilliseconds));
        var result = new int[n];
        for (var i = 0; i < n; i++) result[i] = cand[i].MaxBy(s => x[(i, s)].SolutionValue());
        var value = objective.Value();
        var bound = Math.Min(objective.BestBound(), value);
        var gap = value > 0 ? (value - bound) / value * 100 : 0;
        return (result, new PolishFigures("SCIP", name, value / 60, bound / 60, gap, value < heuristicSeconds - 1e-6, heuristicSeconds / 60,
            clock.Elapsed.TotalMilliseconds));
    }
}
