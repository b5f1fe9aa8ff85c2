using BarrioSeguro.Geo.Core.Sectors;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Bench.Synthetic;

/// <summary>
/// A made-up city of blocks for benchmarks and tests: a jittered grid of quadrilateral blocks (about 90 × 75 m) north of
/// Trujillo, whose neighbours share their edges exactly as blocks made from street centrelines do, with workloads of a
/// few incidents plus hot spots. The same size and seed give the same city. Synthetic: not real blocks or incidents.
/// </summary>
public static class SyntheticCity
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    /// <summary>Makes <paramref name="blocks"/> blocks with ids "b0", "b1", ...; rows are filled west to east, south to north.</summary>
    /// <exception cref="ArgumentException">Fewer than one block.</exception>
    public static IReadOnlyList<SectorUnit> Generate(int blocks, int seed)
    {
        if (blocks < 1) throw new ArgumentException("A city needs at least one block.");
        const double x0 = -79.05, y0 = -8.08, dx = 0.00082, dy = 0.00068;
        var cols = (int)Math.Ceiling(Math.Sqrt(blocks));
        var rows = (int)Math.Ceiling((double)blocks / cols);
        var random = new Random(seed);
        var corners = new Coordinate[rows + 1, cols + 1];
        for (var r = 0; r <= rows; r++)
            for (var c = 0; c <= cols; c++)
            {
                var jx = r == 0 || r == rows || c == 0 || c == cols ? 0 : (random.NextDouble() - 0.5) * 0.35 * dx;
                var jy = r == 0 || r == rows || c == 0 || c == cols ? 0 : (random.NextDouble() - 0.5) * 0.35 * dy;
                corners[r, c] = new Coordinate(Math.Round(x0 + c * dx + jx, 7), Math.Round(y0 + r * dy + jy, 7));
            }
        var hotspots = Enumerable.Range(0, Math.Max(1, blocks / 400))
            .Select(_ => (R: random.NextDouble() * rows, C: random.NextDouble() * cols, Peak: 4 + 8 * random.NextDouble())).ToList();
        var result = new List<SectorUnit>(blocks);
        for (var i = 0; i < blocks; i++)
        {
            int r = i / cols, c = i % cols;
            var ring = new[] { corners[r, c], corners[r, c + 1], corners[r + 1, c + 1], corners[r + 1, c], corners[r, c] }
                .Select(p => p.Copy()).ToArray();
            var workload = Math.Round(random.NextDouble() * 3, 2);
            foreach (var h in hotspots)
            {
                var d2 = Math.Pow(r - h.R, 2) + Math.Pow(c - h.C, 2);
                workload += h.Peak * Math.Exp(-d2 / 18);
            }
            result.Add(new SectorUnit($"b{i}", Factory.CreatePolygon(ring), Math.Round(workload, 3)));
        }
        return result;
    }
}
