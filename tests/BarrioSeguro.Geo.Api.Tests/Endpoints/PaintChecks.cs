namespace BarrioSeguro.Geo.Api.Tests.Endpoints;

/// <summary>What the painting tests ask of a plan's blocks, independently of the service's own check.</summary>
internal static class PaintChecks
{
    /// <summary>Whether sector <paramref name="s"/> stays in one piece without block <paramref name="without"/> (a search over the blocks' links).</summary>
    public static bool StaysWhole(IReadOnlyList<int> sector, IReadOnlyList<int[]> neighbours, int s, int without)
    {
        var members = Enumerable.Range(0, sector.Count).Where(i => sector[i] == s && i != without).ToList();
        if (members.Count == 0) return false;
        var seen = new HashSet<int> { members[0] };
        var stack = new Stack<int>([members[0]]);
        while (stack.Count > 0)
            foreach (var j in neighbours[stack.Pop()])
                if (j != without && sector[j] == s && seen.Add(j)) stack.Push(j);
        return seen.Count == members.Count;
    }
}
