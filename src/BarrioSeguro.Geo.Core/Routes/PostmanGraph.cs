using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// A street edge for the postman. <paramref name="From"/> → <paramref name="To"/> is the digitised direction, the only
/// one allowed when <paramref name="OneWay"/>. <paramref name="Required"/> edges are the sector's own streets and must be
/// covered; the others may be travelled as deadhead to reach them (streets of neighbouring sectors).
/// </summary>
/// <param name="Cost">Non-negative and finite: seconds or metres, the same unit for every edge.</param>
/// <param name="Tag">Anything the caller wants back (street id, geometry); the solver never looks at it.</param>
public sealed record PostmanEdge(int From, int To, double Cost, bool OneWay, bool Required, object? Tag = null);

/// <summary>Nodes 0..<paramref name="NodeCount"/>−1 and the edges between them (parallel edges and loops allowed).</summary>
public sealed record PostmanGraph(int NodeCount, IReadOnlyList<PostmanEdge> Edges)
{
    /// <summary>True when some edge is one-way: the directed or mixed problem.</summary>
    public bool HasOneWay => Edges.Any(e => e.OneWay);
}

/// <summary>
/// A closed walk from the start node. Each entry of <paramref name="EdgeSequence"/> is a step: an edge index
/// <c>e ≥ 0</c> travelled From → To, or <c>~e</c> (a negative number) travelled To → From. Use <see cref="EdgeOf"/>,
/// <see cref="IsForward"/> and <see cref="Nodes"/> to read it.
/// </summary>
/// <param name="Start">The node the walk starts and ends at.</param>
/// <param name="RequiredCost">Cost of the reachable required edges, each counted once.</param>
/// <param name="DeadheadCost">Everything else the walk travels: repeated required edges and non-required edges.</param>
/// <param name="UnreachableRequiredEdges">Required edges no closed walk from the start can cover (not in the tour).</param>
/// <param name="Optimal">True when the deadhead is the proven minimum (undirected or all-directed, connected).</param>
/// <param name="Notes">What the solver did that a planner should know, as codes with arguments (see notes.json).</param>
public sealed record PostmanTour(
    int Start,
    IReadOnlyList<int> EdgeSequence,
    double RequiredCost,
    double DeadheadCost,
    IReadOnlyList<int> UnreachableRequiredEdges,
    bool Optimal,
    IReadOnlyList<Note> Notes)
{
    /// <summary>Total cost of the walk.</summary>
    public double TotalCost => RequiredCost + DeadheadCost;

    /// <summary>A proven lower bound on the cost of any closed walk covering the reachable required edges (equal to
    /// <see cref="TotalCost"/> when <see cref="Optimal"/>); null when only a heuristic ran.</summary>
    public double? LowerBound { get; init; }

    /// <summary>How far the tour may be above the optimum, in % of its cost (0 when optimal); null without a bound.</summary>
    public double? GapPercent => LowerBound is { } b ? (TotalCost > 0 ? 100 * Math.Max(0, TotalCost - b) / TotalCost : 0) : null;

    /// <summary>The method that produced the tour: "matching", "min-cost flow", "integer model (SCIP)", or a heuristic's name.</summary>
    public string Method { get; init; } = "";

    /// <summary>The edge index of a step.</summary>
    public static int EdgeOf(int step) => step >= 0 ? step : ~step;

    /// <summary>True when the step goes From → To.</summary>
    public static bool IsForward(int step) => step >= 0;

    /// <summary>The step code for an edge travelled forward or backward.</summary>
    public static int Step(int edge, bool forward) => forward ? edge : ~edge;

    /// <summary>The nodes visited, starting and ending with <see cref="Start"/> (just the start for an empty tour).</summary>
    public IReadOnlyList<int> Nodes(PostmanGraph graph)
    {
        var nodes = new List<int>(EdgeSequence.Count + 1) { Start };
        foreach (var s in EdgeSequence)
        {
            var e = graph.Edges[EdgeOf(s)];
            nodes.Add(IsForward(s) ? e.To : e.From);
        }
        return nodes;
    }
}

/// <summary>How hard <see cref="ChinesePostman"/> may work.</summary>
public sealed record PostmanOptions
{
    /// <summary>The defaults: 5 s for the integer model.</summary>
    public static PostmanOptions Default { get; } = new();

    /// <summary>Time the integer model (mixed or rural directed cases) may take; zero: the heuristic only. With
    /// <see cref="AcceptUnproven"/>, a tour the clock cut may depend on the machine's speed (never worse than the
    /// heuristic's; the bound stays proven).</summary>
    public TimeSpan ExactTimeLimit { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Branch-and-bound nodes the integer model may explore per solve: a limit that does not depend on the
    /// machine, so the same graph gives the same tour when it (not the clock) stops the model; give a time limit large
    /// enough with it. Null (the default): no node limit. SCIP's root node alone can take seconds on a sector of a few
    /// hundred streets, so a small limit does not make the model fast.</summary>
    public long? ExactNodeLimit { get; init; }

    /// <summary>Deterministic work (CP-SAT's deterministic seconds, roughly seconds of one core) the integer model
    /// may take on CP-SAT with one worker and a fixed seed; null (the default): SCIP within <see cref="ExactTimeLimit"/>.
    /// Set, it replaces the wall clock: the same graph gives the same tour on any machine under any load, so an
    /// unproven tour may be accepted without losing a seed's walk.</summary>
    public double? ExactWork { get; init; }

    /// <summary>Use the model's tour when it is cheaper but not proven optimal (stopped by a limit). False (the
    /// default): only a proven optimal tour replaces the heuristic's, so a plan's seed gives the same walk whatever the
    /// machine's speed; the proven bound is reported either way.</summary>
    public bool AcceptUnproven { get; init; }
}
