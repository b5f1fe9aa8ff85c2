#:project ../src/BarrioSeguro.Geo.Core/BarrioSeguro.Geo.Core.csproj
// Benchmark: Chinese postman on a random planar-ish grid of about 3,000 street edges.
// Run: dotnet run -c Release bench/postman-bench.cs   (from the repository root)
using System.Diagnostics;
using BarrioSeguro.Geo.Core.Routes;

static PostmanGraph City(int w, int h, double oneWayShare, int seed)
{
    var rng = new Random(seed);
    var edges = new List<PostmanEdge>();
    for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var v = y * w + x;
            void Add(int to, double len, bool reverse)
            {
                if (rng.NextDouble() < 0.06) return;                       // missing streets
                var border = x == 0 || y == 0 || x == w - 1 || y == h - 1;   // the ring road is two-way
                var oneWay = !border && rng.NextDouble() < oneWayShare;
                var (a, b) = oneWay && reverse ? (to, v) : (v, to);   // one-way streets alternate like a Manhattan grid
                edges.Add(new PostmanEdge(a, b, len * (0.8 + 0.4 * rng.NextDouble()), oneWay, rng.NextDouble() < 0.9));
            }
            if (x + 1 < w) Add(v + 1, 100, y % 2 == 1);
            if (y + 1 < h) Add(v + w, 100, x % 2 == 1);
            if (x + 1 < w && y + 1 < h && rng.NextDouble() < 0.08) Add(v + w + 1, 141, rng.Next(2) == 0);   // diagonals
        }
    return new PostmanGraph(w * h, edges);
}

foreach (var (label, oneWay) in new[] { ("undirected (exact)", 0.0), ("one-way inside a two-way ring", 1.0), ("mixed 30 % one-way", 0.3) })
{
    var g = City(40, 40, oneWay, 42);
    ChinesePostman.Solve(g, 0, 0);                                           // warm-up (JIT)
    var times = new List<double>();
    PostmanTour t = null!;
    for (var seed = 1; seed <= 5; seed++)
    {
        var sw = Stopwatch.StartNew();
        t = ChinesePostman.Solve(g, 0, seed);
        times.Add(sw.Elapsed.TotalMilliseconds);
    }
    times.Sort();
    Console.WriteLine($"{label}: {g.Edges.Count} edges, {g.NodeCount} nodes, required {g.Edges.Count(e => e.Required)}; " +
                      $"median {times[2]:0} ms (min {times[0]:0}, max {times[^1]:0}); steps {t.EdgeSequence.Count}, " +
                      $"deadhead {100 * t.DeadheadCost / t.TotalCost:0.0} %, optimal {t.Optimal}, unreachable {t.UnreachableRequiredEdges.Count}");
}

// odd nodes of the undirected case (the size of the matching problem)
{
    var g = City(40, 40, 0, 42);
    var deg = new int[g.NodeCount];
    foreach (var e in g.Edges.Where(e => e.Required)) { deg[e.From]++; deg[e.To]++; }
    Console.WriteLine($"undirected: {deg.Count(d => d % 2 == 1)} odd nodes to match");
}
