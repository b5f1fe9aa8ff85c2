using System.Diagnostics;
using System.Runtime.CompilerServices;
using Google.OrTools.LinearSolver;
using CpModel = Google.OrTools.Sat.CpModel;
using CpSolver = Google.OrTools.Sat.CpSolver;
using CpSolverStatus = Google.OrTools.Sat.CpSolverStatus;
using IntVar = Google.OrTools.Sat.IntVar;
using SatExpr = Google.OrTools.Sat.LinearExpr;

[assembly: InternalsVisibleTo("BarrioSeguro.Geo.Core.Tests")]

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// The mixed (and directed rural) Chinese postman as an integer program, solved by SCIP through OR-Tools.
/// <para>Variables: for each one-way edge the number of times it is travelled (at least 1 when required); for each
/// two-way edge the number of times each way, the two adding up to at least 1 when required. Constraints: in = out at
/// every node. With the required edges and the start in one piece this is the whole problem (a balanced, connected
/// multigraph has an Euler circuit). Otherwise the support may fall apart; each piece of the solution that holds a
/// required edge (or the start) but not all of them then gets a cut "leave this set at least once", and the model is
/// solved again, until the solution is connected or the time is up.</para>
/// <para>The bound SCIP reports is a lower bound on the cost of every closed walk that covers the required edges
/// (each round's model is a relaxation of the real problem), so it stays valid even when the solution is not used.</para>
/// </summary>
internal static class MixedPostmanModel
{
    /// <summary>What the model found.</summary>
    /// <param name="Forward">Times each edge is travelled From → To (null: nothing usable found in time).</param>
    /// <param name="Backward">Times each edge is travelled To → From (always 0 on one-way edges).</param>
    /// <param name="Objective">Cost of the solution (+∞ when none).</param>
    /// <param name="Bound">Proven lower bound on the cost of any covering closed walk (0 when SCIP gave none).</param>
    /// <param name="Proven">True when the solution is proven optimal.</param>
    /// <param name="Rounds">Solves run (1 + connectivity cuts rounds).</param>
    public sealed record Result(int[]? Forward, int[]? Backward, double Objective, double Bound, bool Proven, int Rounds, double Seconds);

    /// <summary>Solves for the given required edges (all reachable from and back to <paramref name="start"/>).</summary>
    /// <param name="hint">A known solution (counts per edge and direction) to start from, or null.</param>
    /// <param name="nodeLimit">Branch-and-bound nodes per solve, or null: the limit that keeps the result the same on any machine.</param>
    public static Result Solve(PostmanGraph g, IReadOnlyList<int> required, int start, TimeSpan timeLimit, long? nodeLimit,
        (int[] Forward, int[] Backward)? hint)
    {
        var clock = Stopwatch.StartNew();
        using var solver = Solver.CreateSolver("SCIP") ?? throw new InvalidOperationException("the SCIP solver of OR-Tools is not available");
        solver.SuppressOutput();
        if (nodeLimit is { } nodes && !solver.SetSolverSpecificParametersAsString($"limits/nodes = {nodes}\n"))
            throw new InvalidOperationException("SCIP refused its node limit");
        var m = g.Edges.Count;
        var isRequired = new bool[m];
        foreach (var i in required) isRequired[i] = true;

        var fwd = new Variable[m];
        var bwd = new Variable?[m];
        var objective = solver.Objective();
        for (var i = 0; i < m; i++)
        {
            var e = g.Edges[i];
            var lb = e.OneWay && isRequired[i] ? 1 : 0;
            fwd[i] = solver.MakeIntVar(lb, double.PositiveInfinity, $"f{i}");
            objective.SetCoefficient(fwd[i], e.Cost);
            if (e.OneWay || e.From == e.To) continue;
            bwd[i] = solver.MakeIntVar(0, double.PositiveInfinity, $"b{i}");
            objective.SetCoefficient(bwd[i]!, e.Cost);
        }
        for (var i = 0; i < m; i++)
        {
            if (!isRequired[i] || g.Edges[i].OneWay) continue;
            var cover = solver.MakeConstraint(1, double.PositiveInfinity, $"cover{i}");
            cover.SetCoefficient(fwd[i], 1);
            if (bwd[i] is { } b) cover.SetCoefficient(b, 1);
        }
        objective.SetMinimization();

        var balance = new Constraint[g.NodeCount];
        for (var v = 0; v < g.NodeCount; v++) balance[v] = solver.MakeConstraint(0, 0, $"bal{v}");
        for (var i = 0; i < m; i++)
        {
            var e = g.Edges[i];
            if (e.From == e.To) continue;
            // out − in = 0: forward leaves From and enters To.
            balance[e.From].SetCoefficient(fwd[i], 1);
            balance[e.To].SetCoefficient(fwd[i], -1);
            if (bwd[i] is { } b) { balance[e.To].SetCoefficient(b, 1); balance[e.From].SetCoefficient(b, -1); }
        }

        if (hint is { } h)
        {
            var vars = new List<Variable>();
            var values = new List<double>();
            for (var i = 0; i < m; i++)
            {
                vars.Add(fwd[i]); values.Add(h.Forward[i]);
                if (bwd[i] is { } b) { vars.Add(b); values.Add(h.Backward[i]); }
            }
            solver.SetHint([.. vars], [.. values]);
        }

        var parameters = new MPSolverParameters();
        parameters.SetDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
        var mustMeet = new bool[g.NodeCount];
        mustMeet[start] = true;
        foreach (var i in required) mustMeet[g.Edges[i].From] = mustMeet[g.Edges[i].To] = true;

        // The required streets in several pieces: each piece must be left at least once, from the start.
        var initial = RequiredPieces(g, required, start);
        if (initial.Count > 1) Connect(solver, g, fwd, bwd, initial, start);

        var bound = 0.0;
        var rounds = 0;
        while (true)
        {
            var left = timeLimit - clock.Elapsed;
            if (left <= TimeSpan.Zero) break;
            solver.SetTimeLimit((long)Math.Max(1, left.TotalMilliseconds));
            rounds++;
            var status = solver.Solve(parameters);
            if (status is not (Solver.ResultStatus.OPTIMAL or Solver.ResultStatus.FEASIBLE)) break;
            bound = Math.Max(bound, objective.BestBound());
            var f = new int[m];
            var b = new int[m];
            for (var i = 0; i < m; i++)
            {
                f[i] = (int)Math.Round(fwd[i].SolutionValue());
                if (bwd[i] is { } bv) b[i] = (int)Math.Round(bv.SolutionValue());
            }
            var pieces = Pieces(g, f, b, mustMeet);
            if (pieces is null)
            {
                DropStrayCycles(g, f, b, start);
                var proven = status == Solver.ResultStatus.OPTIMAL;
                var cost = 0.0;
                for (var i = 0; i < m; i++) cost += (f[i] + b[i]) * g.Edges[i].Cost;
                if (proven) bound = Math.Max(bound, cost);
                return new Result(f, b, cost, bound, proven, rounds, clock.Elapsed.TotalSeconds);
            }
            // Disconnected: each piece must be left at least once (then entered again, by balance).
            foreach (var inside in pieces) AddCut(solver, g, fwd, bwd, inside, $"cut{rounds}");
        }
        return new Result(null, null, double.PositiveInfinity, bound, false, rounds, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The same model on CP-SAT with one worker, a fixed seed and a deterministic work limit
    /// (<paramref name="work"/>, CP-SAT's deterministic seconds): the same graph gives the same counts on any machine
    /// under any load. Costs are scaled to hundredths of their unit (centiseconds or centimetres) and rounded down, so
    /// the bound CP-SAT proves, divided by 100, stays a lower bound on the real cost.
    /// </summary>
    public static Result SolveDeterministic(PostmanGraph g, IReadOnlyList<int> required, int start, double work,
        (int[] Forward, int[] Backward) hint)
    {
        var clock = Stopwatch.StartNew();
        var m = g.Edges.Count;
        var isRequired = new bool[m];
        foreach (var i in required) isRequired[i] = true;
        var heuristicCost = 0.0;
        for (var i = 0; i < m; i++) heuristicCost += (hint.Forward[i] + hint.Backward[i]) * g.Edges[i].Cost;

        var model = new CpModel();
        var scaled = new long[m];
        var fwd = new IntVar[m];
        var bwd = new IntVar?[m];
        var terms = new List<SatExpr>();
        for (var i = 0; i < m; i++)
        {
            var e = g.Edges[i];
            scaled[i] = (long)Math.Floor(100 * e.Cost);
            // CP-SAT needs finite domains: no walk at most as dear as the hint travels an edge more often than this;
            // a free edge gets m + 1 (more never helps: a cycle of free edges can be dropped or shortened).
            var cap = e.Cost > 0 ? (long)Math.Floor(heuristicCost / e.Cost + 1e-9) : m + 1;
            cap = Math.Max(1, cap);
            var lb = e.OneWay && isRequired[i] ? 1 : 0;
            fwd[i] = model.NewIntVar(lb, cap, $"f{i}");
            terms.Add(fwd[i] * scaled[i]);
            if (e.OneWay || e.From == e.To) continue;
            bwd[i] = model.NewIntVar(0, cap, $"b{i}");
            terms.Add(bwd[i]! * scaled[i]);
            if (isRequired[i]) model.Add(fwd[i] + bwd[i]! >= 1);
        }
        model.Minimize(SatExpr.Sum(terms));

        var balance = new List<SatExpr>[g.NodeCount];
        for (var v = 0; v < g.NodeCount; v++) balance[v] = [];
        for (var i = 0; i < m; i++)
        {
            var e = g.Edges[i];
            if (e.From == e.To) continue;
            balance[e.From].Add(fwd[i]); balance[e.To].Add(-fwd[i]);
            if (bwd[i] is { } b) { balance[e.To].Add(b); balance[e.From].Add(-b); }
        }
        foreach (var terms0 in balance) if (terms0.Count > 0) model.Add(SatExpr.Sum(terms0) == 0);

        for (var i = 0; i < m; i++)
        {
            model.AddHint(fwd[i], hint.Forward[i]);
            if (bwd[i] is { } b) model.AddHint(b, hint.Backward[i]);
        }

        var mustMeet = new bool[g.NodeCount];
        mustMeet[start] = true;
        foreach (var i in required) mustMeet[g.Edges[i].From] = mustMeet[g.Edges[i].To] = true;
        var initial = RequiredPieces(g, required, start);
        if (initial.Count > 1) Connect(model, g, fwd, bwd, initial, start);

        var bound = 0.0;
        var rounds = 0;
        var left = work;
        while (left > 0)
        {
            var solver = new CpSolver
            {
                StringParameters = string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"num_workers:1,random_seed:1,max_deterministic_time:{left:R}"),
            };
            rounds++;
            var status = solver.Solve(model);
            left -= (solver.Response?.DeterministicTime ?? left);
            if (status is not (CpSolverStatus.Optimal or CpSolverStatus.Feasible)) break;
            bound = Math.Max(bound, solver.BestObjectiveBound / 100);
            var f = new int[m];
            var b = new int[m];
            for (var i = 0; i < m; i++)
            {
                f[i] = (int)solver.Value(fwd[i]);
                if (bwd[i] is { } bv) b[i] = (int)solver.Value(bv);
            }
            var pieces = Pieces(g, f, b, mustMeet);
            if (pieces is null)
            {
                DropStrayCycles(g, f, b, start);
                var cost = 0.0;
                for (var i = 0; i < m; i++) cost += (f[i] + b[i]) * g.Edges[i].Cost;
                // Optimal for the rounded costs is proven for the real ones only when the bound meets the cost.
                var proven = status == CpSolverStatus.Optimal && cost <= bound + 1e-9 * Math.Max(1, cost);
                return new Result(f, b, cost, bound, proven, rounds, clock.Elapsed.TotalSeconds);
            }
            foreach (var inside in pieces) AddCut(model, g, fwd, bwd, inside);
            // The next round starts from this round's counts.
            model.ClearHints();
            for (var i = 0; i < m; i++)
            {
                model.AddHint(fwd[i], f[i]);
                if (bwd[i] is { } bv) model.AddHint(bv, b[i]);
            }
        }
        return new Result(null, null, double.PositiveInfinity, bound, false, rounds, clock.Elapsed.TotalSeconds);
    }

    private static void Connect(CpModel model, PostmanGraph g, IntVar[] fwd, IntVar?[] bwd, List<bool[]> pieces, int start)
    {
        var targets = pieces.Where(p => !p[start]).Select(p => Array.IndexOf(p, true)).ToList();
        var k = targets.Count;
        var conservation = new List<SatExpr>[g.NodeCount];
        for (var v = 0; v < g.NodeCount; v++) conservation[v] = [];
        void Arc(int from, int to, IntVar travels, string name)
        {
            var y = model.NewIntVar(0, k, name);
            model.Add(y <= travels * k);
            conservation[from].Add(y);
            conservation[to].Add(-y);
        }
        for (var i = 0; i < g.Edges.Count; i++)
        {
            var e = g.Edges[i];
            if (e.From == e.To) continue;
            Arc(e.From, e.To, fwd[i], $"yf{i}");
            if (bwd[i] is { } b) Arc(e.To, e.From, b, $"yb{i}");
        }
        for (var v = 0; v < g.NodeCount; v++)
        {
            var supply = v == start ? k : targets.Contains(v) ? -1 : 0;
            model.Add(SatExpr.Sum(conservation[v]) == supply);
        }
    }

    private static void AddCut(CpModel model, PostmanGraph g, IntVar[] fwd, IntVar?[] bwd, bool[] inside)
    {
        var leaving = new List<SatExpr>();
        for (var i = 0; i < g.Edges.Count; i++)
        {
            var e = g.Edges[i];
            if (inside[e.From] == inside[e.To]) continue;
            if (inside[e.From]) leaving.Add(fwd[i]);
            else if (bwd[i] is { } bv) leaving.Add(bv);
        }
        model.Add(SatExpr.Sum(leaving) >= 1);
    }

    /// <summary>
    /// The pieces joined to the start by a single-commodity flow: the start sends one unit to a node of every other
    /// piece, only along travelled directions (flow ≤ k · travels). Exact and compact, so the first solution found is
    /// already one closed walk.
    /// </summary>
    private static void Connect(Solver solver, PostmanGraph g, Variable[] fwd, Variable?[] bwd, List<bool[]> pieces, int start)
    {
        var targets = pieces.Where(p => !p[start]).Select(p => Array.IndexOf(p, true)).ToList();
        var k = targets.Count;
        var conservation = new Constraint[g.NodeCount];
        for (var v = 0; v < g.NodeCount; v++)
        {
            var supply = v == start ? k : targets.Contains(v) ? -1 : 0;
            conservation[v] = solver.MakeConstraint(supply, supply, $"flow{v}");
        }
        void Arc(int from, int to, Variable travels, string name)
        {
            var y = solver.MakeNumVar(0, k, name);
            var link = solver.MakeConstraint(double.NegativeInfinity, 0, name + "link");
            link.SetCoefficient(y, 1);
            link.SetCoefficient(travels, -k);
            conservation[from].SetCoefficient(y, 1);
            conservation[to].SetCoefficient(y, -1);
        }
        for (var i = 0; i < g.Edges.Count; i++)
        {
            var e = g.Edges[i];
            if (e.From == e.To) continue;
            Arc(e.From, e.To, fwd[i], $"yf{i}");
            if (bwd[i] is { } b) Arc(e.To, e.From, b, $"yb{i}");
        }
    }

    /// <summary>Σ (travels leaving the node set) ≥ 1.</summary>
    private static void AddCut(Solver solver, PostmanGraph g, Variable[] fwd, Variable?[] bwd, bool[] inside, string name)
    {
        var cut = solver.MakeConstraint(1, double.PositiveInfinity, name);
        for (var i = 0; i < g.Edges.Count; i++)
        {
            var e = g.Edges[i];
            if (inside[e.From] == inside[e.To]) continue;
            if (inside[e.From]) cut.SetCoefficient(fwd[i], 1);
            else if (bwd[i] is { } bv) cut.SetCoefficient(bv, 1);
        }
    }

    /// <summary>Node sets of the pieces the required edges (and the start) form, direction ignored.</summary>
    private static List<bool[]> RequiredPieces(PostmanGraph g, IReadOnlyList<int> required, int start)
    {
        var n = g.NodeCount;
        var parent = new int[n];
        for (var v = 0; v < n; v++) parent[v] = v;
        int Find(int v) { while (parent[v] != v) v = parent[v] = parent[parent[v]]; return v; }
        foreach (var i in required) parent[Find(g.Edges[i].From)] = Find(g.Edges[i].To);
        var roots = new HashSet<int> { Find(start) };
        foreach (var i in required) roots.Add(Find(g.Edges[i].From));
        return roots.Select(r => Enumerable.Range(0, n).Select(v => Find(v) == r).ToArray()).ToList();
    }

    /// <summary>
    /// A solution stopped early may travel balanced cycles apart from the walk (deadhead going nowhere): they are left
    /// out, which keeps every node balanced and only lowers the cost.
    /// </summary>
    internal static void DropStrayCycles(PostmanGraph g, int[] f, int[] b, int start)
    {
        var n = g.NodeCount;
        var parent = new int[n];
        for (var v = 0; v < n; v++) parent[v] = v;
        int Find(int v) { while (parent[v] != v) v = parent[v] = parent[parent[v]]; return v; }
        for (var i = 0; i < g.Edges.Count; i++)
            if (f[i] + b[i] > 0) parent[Find(g.Edges[i].From)] = Find(g.Edges[i].To);
        var home = Find(start);
        for (var i = 0; i < g.Edges.Count; i++)
            if (Find(g.Edges[i].From) != home) f[i] = b[i] = 0;
    }

    /// <summary>Null when the travelled edges join every node that must be met; else the node sets of the pieces that hold such nodes.</summary>
    private static List<bool[]>? Pieces(PostmanGraph g, int[] f, int[] b, bool[] mustMeet)
    {
        var n = g.NodeCount;
        var parent = new int[n];
        for (var v = 0; v < n; v++) parent[v] = v;
        int Find(int v) { while (parent[v] != v) v = parent[v] = parent[parent[v]]; return v; }
        for (var i = 0; i < g.Edges.Count; i++)
            if (f[i] + b[i] > 0) parent[Find(g.Edges[i].From)] = Find(g.Edges[i].To);
        var roots = new HashSet<int>();
        for (var v = 0; v < n; v++) if (mustMeet[v]) roots.Add(Find(v));
        if (roots.Count <= 1) return null;
        var result = new List<bool[]>();
        foreach (var r in roots)
        {
            var inside = new bool[n];
            for (var v = 0; v < n; v++) inside[v] = Find(v) == r;
            result.Add(inside);
        }
        return result;
    }
}
