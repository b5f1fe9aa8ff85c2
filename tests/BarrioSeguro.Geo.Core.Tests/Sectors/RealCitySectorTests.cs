using System.Globalization;
using System.IO.Compression;
using BarrioSeguro.Geo.Core.Sectors;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>
/// A real city with islands, long bridges, parks and unconnected developments: the 5,070 blocks that `barrio blocks`
/// makes of the whole OSM extract of Huanchaco and El Milagro (geodata/osm/huanchaco_el_milagro_blocks.tsv.gz), into
/// 100 sectors. Before the balance repair the plan came out 66 % off the mean.
/// </summary>
public sealed class RealCitySectorTests
{
    private static readonly Lazy<List<SectorUnit>> Blocks = new(() => RealCity.Load());

    [Fact]
    public void A_whole_extract_into_100_sectors_is_within_the_tolerance_or_the_named_bound_and_contiguous()
    {
        var units = Blocks.Value;
        Assert.True(units.Count > 5000);
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 100, Seed = 1, Attempts = 1, TimeBudget = TimeSpan.FromSeconds(60) });
        var r = plan.Report;
        var byId = units.ToDictionary(u => u.Id);
        var target = units.Sum(u => u.Workload) / 100;

        // The deviation is measured here from the assignment, not taken from the report.
        var loads = plan.Assignment.GroupBy(a => a.Value).ToDictionary(g => g.Key, g => g.Sum(a => byId[a.Key].Workload));
        Assert.Equal(100, loads.Count);
        var worst = loads.Values.Max(w => Math.Abs(w - target) / target) * 100;
        Assert.Equal(r.MaxDeviationPct, worst, 6);

        var touching = RealCity.Touching(units);
        var hub = r.Notes.SingleOrDefault(n => n.Code == "sectors.balance_bound_hub");
        if (worst > 5 + 1e-9)
        {
            // The report names the blocks that prevent 5 %, and the bound is real: they weigh that much, they share no
            // edge with any other block than the hub, and the plan reaches the bound.
            Assert.NotNull(hub);
            var bound = Convert.ToDouble(hub!.Args["bound"], CultureInfo.InvariantCulture);
            var hubId = (string)hub.Args["block"];
            var hanging = ((IEnumerable<string>)hub.Args["blocks"]).ToList();
            Assert.True(bound > 5);
            Assert.True(worst <= bound + 1e-6, $"the plan reaches {worst:F2} % against a named bound of {bound:F2} %");
            var weight = byId[hubId].Workload + hanging.Sum(id => byId[id].Workload);
            Assert.True(weight >= (1 + bound / 100) * target - 1e-6, $"{weight} against {(1 + bound / 100) * target}");
            Assert.All(hanging, id => Assert.Equal(plan.Assignment[hubId], plan.Assignment[id]));
            // The hub holds one sector up; the others are not let drift as far (before the repair they reached 66 %).
            var others = loads.Where(l => l.Key != plan.Assignment[hubId]).Max(l => Math.Abs(l.Value - target) / target) * 100;
            Assert.True(others <= 10, $"the sectors other than the hub's deviate up to {others:F1} %");
            var set = hanging.ToHashSet();
            Assert.All(hanging, id => Assert.All(touching[id], other => Assert.True(other == hubId || set.Contains(other),
                $"hanging block {id} shares an edge with {other}, neither the hub nor hanging")));
        }
        else Assert.Null(hub);

        // Contiguity, independently: within each connected piece of the whole city (blocks whose boundaries share a line,
        // by NTS), the blocks of a sector are connected through such shared lines. Islands join their nearest sector by
        // necessity, as the Sectorizer says, so a sector may reach into several pieces, but is whole in each.
        var piece = new Dictionary<string, int>();
        foreach (var u in units)
        {
            if (piece.ContainsKey(u.Id)) continue;
            var stack = new Stack<string>([u.Id]);
            piece[u.Id] = piece.Count;
            var p = piece[u.Id];
            while (stack.TryPop(out var id))
                foreach (var other in touching[id])
                    if (piece.TryAdd(other, p)) stack.Push(other);
        }
        foreach (var group in plan.Assignment.GroupBy(a => (Sector: a.Value, Piece: piece[a.Key])))
        {
            var members = group.Select(a => a.Key).ToHashSet();
            var seen = new HashSet<string> { members.First() };
            var stack = new Stack<string>(seen);
            while (stack.TryPop(out var id))
                foreach (var other in touching[id])
                    if (members.Contains(other) && seen.Add(other)) stack.Push(other);
            Assert.True(seen.Count == members.Count, $"sector {group.Key.Sector} is in several parts within one piece of the city");
        }
        Assert.True(r.Contiguous);
    }
}

/// <summary>The bound of a hub block, on a grid with a development that reaches it only through one block.</summary>
public sealed class HubBoundTests
{
    [Fact]
    public void A_light_part_that_reaches_the_rest_through_one_block_bounds_the_balance_and_is_named()
    {
        // 6 × 6 blocks of 1, block h (3) below the corner r0c0, and a row of four blocks of 1 below h that touch only h.
        var units = SectorSamples.Grid(6, 6, (_, _) => 1);
        var s = SectorSamples.Step;
        units.Add(new SectorUnit("h", SectorSamples.Square(SectorSamples.X(0), Math.Round(SectorSamples.Y(0) - s, 9), s), 3));
        for (var c = 0; c < 4; c++)
            units.Add(new SectorUnit($"p{c}", SectorSamples.Square(SectorSamples.X(c), Math.Round(SectorSamples.Y(0) - 2 * s, 9), s), 1));
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 8, Seed = 1 });
        var target = 43.0 / 8;
        // The row (4) is under 0.95 × target, so it goes with h (3 + 4 = 7, +30.2 %), or stands alone (−25.6 %).
        var bound = (1 - 4 / target) * 100;
        Assert.Equal(bound, plan.Report.BalanceBoundPct, 6);
        Assert.True(plan.Report.MaxDeviationPct >= bound - 1e-9);
        Assert.True(plan.Report.MaxDeviationPct <= (7 / target - 1) * 100 + 1e-9);
        var note = Assert.Single(plan.Report.Notes, n => n.Code == "sectors.balance_bound_hub");
        Assert.Equal("h", note.Args["block"]);
        Assert.Equal(new[] { "p0", "p1", "p2", "p3" }, ((string[])note.Args["blocks"]).Order());
        Assert.DoesNotContain(plan.Report.Notes, n => n.Code is "sectors.balance_bound" or "sectors.balance_missed");
        // An evaluated plan has the same bound.
        Assert.Equal(bound, PlanEvaluator.Evaluate(units, plan.Assignment).BalanceBoundPct, 6);
    }
}

/// <summary>The fixture: one block a line, id, workload and WKT (WGS 84), gzip.</summary>
internal static class RealCity
{
    public const string File = "osm/huanchaco_el_milagro_blocks.tsv.gz";

    public static List<SectorUnit> Load()
    {
        var path = Find(File);
        var reader = new WKTReader(new NetTopologySuite.NtsGeometryServices(new PrecisionModel(), 4326));
        using var stream = new GZipStream(System.IO.File.OpenRead(path), CompressionMode.Decompress);
        using var text = new StreamReader(stream);
        var units = new List<SectorUnit>();
        while (text.ReadLine() is { } line)
        {
            if (line.StartsWith('#') || line.Length == 0) continue;
            var parts = line.Split('\t');
            units.Add(new SectorUnit(parts[0], reader.Read(parts[2]), double.Parse(parts[1], CultureInfo.InvariantCulture)));
        }
        return units;
    }

    /// <summary>For each block, the blocks whose boundary shares a line with its own (NTS relate, not the Sectorizer's
    /// graph).</summary>
    public static Dictionary<string, List<string>> Touching(List<SectorUnit> units)
    {
        var tree = new NetTopologySuite.Index.Strtree.STRtree<int>();
        for (var i = 0; i < units.Count; i++) tree.Insert(units[i].Geometry.EnvelopeInternal, i);
        var touching = units.ToDictionary(u => u.Id, _ => new List<string>());
        for (var i = 0; i < units.Count; i++)
            foreach (var j in tree.Query(units[i].Geometry.EnvelopeInternal))
                if (j > i && units[i].Geometry.Relate(units[j].Geometry, "****1****"))
                {
                    touching[units[i].Id].Add(units[j].Id);
                    touching[units[j].Id].Add(units[i].Id);
                }
        return touching;
    }

    private static string Find(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "geodata", relative);
            if (System.IO.File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"geodata/{relative} not found above the test binaries");
    }
}
