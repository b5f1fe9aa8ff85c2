using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;
using Xunit;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

public class WhyHereTests
{
    // A row of four blocks, workloads 1, 3, 3, 1, in sectors {g0, g1} and {g2, g3}: the centres are g1 and g2.
    private static readonly List<SectorUnit> Row = Grid(1, 4, (_, c) => c is 1 or 2 ? 3 : 1);
    private static readonly Dictionary<string, int> Plan = Row.Select((u, i) => (u.Id, i < 2 ? 0 : 1)).ToDictionary(x => x.Id, x => x.Item2);

    [Fact]
    public void A_block_at_its_centre_would_unbalance_both_sectors_if_it_moved()
    {
        var e = WhyHere.Explain(Row, Plan, Row[1].Id, new ExplainOptions { StraightLineKmh = 6 });
        Assert.Equal(0, e.Own.Sector);
        Assert.Equal(Row[1].Id, e.Own.CentreBlock);
        Assert.Equal(0, e.Own.Minutes, 9);
        Assert.Equal(1, e.NextBest!.Sector);
        Assert.Equal(Row[2].Id, e.NextBest.CentreBlock);
        var d = BarrioSeguro.Geo.Core.Spatial.Measure.LengthMeters(Factory.CreateLineString([Row[1].Geometry.Centroid.Coordinate, Row[2].Geometry.Centroid.Coordinate]));
        Assert.Equal(d / 100.0, e.NextBest.Minutes, 2); // 6 km/h = 100 m/min
        var m = e.IfMoved!;
        Assert.Equal(1, m.ToSector);
        Assert.True(m.FromStaysContiguous);
        Assert.Equal(0, m.MaxDeviationPctBefore, 9);
        Assert.Equal(75, m.FromDeviationPctAfter, 6); // 1 against a target of 4
        Assert.Equal(75, m.ToDeviationPctAfter, 6);   // 7 against 4
        Assert.False(m.WithinTolerance);
        Assert.Equal(2 * d / 100.0, m.WeightedMinutesBefore, 2);
        Assert.Equal(m.WeightedMinutesBefore + 3 * e.NextBest.Minutes, m.WeightedMinutesAfter, 6);
        Assert.Equal(["sectors.why_nearest", "sectors.why_would_unbalance"], e.Reasons.Select(r => r.Code));
        Assert.Equal("S2", e.Reasons[0].Args["next"]);
        Assert.Contains("is the nearest", e.Reasons[0].English);
        Assert.Contains("beyond the 5 % tolerance", e.Reasons[1].English);
        Assert.Contains("más allá de la tolerancia de 5 %", e.Reasons[1].Text("es"));
    }

    [Fact]
    public void A_block_that_holds_its_sector_together_says_so()
    {
        // Two rows of three: sector 0 is the first row, sector 1 the second. The middle of the first row touches sector 1
        // but cannot leave without splitting sector 0.
        var units = Grid(2, 3, (_, _) => 1);
        var plan = units.Select((u, i) => (u.Id, i < 3 ? 0 : 1)).ToDictionary(x => x.Id, x => x.Item2);
        var e = WhyHere.Explain(units, plan, units[1].Id);
        Assert.NotNull(e.IfMoved);
        Assert.False(e.IfMoved!.FromStaysContiguous);
        Assert.Contains("would split S1 in two", string.Join(" ", e.Reasons.Select(r => r.English)));
        Assert.Contains("partiría S1 en dos", string.Join(" ", e.Reasons.Select(r => r.Text("es"))));
    }

    [Fact]
    public void Centres_fixed_at_a_point_are_measured_from_it_and_unknown_blocks_are_refused()
    {
        var p = Factory.CreatePoint(Row[3].Geometry.Centroid.Coordinate);
        var e = WhyHere.Explain(Row, Plan, Row[3].Id, new ExplainOptions { Centres = [Factory.CreatePoint(Row[0].Geometry.Centroid.Coordinate), p] });
        Assert.True(e.Own.CentreFixed);
        Assert.Null(e.Own.CentreBlock);
        Assert.Equal(0, e.Own.Minutes, 6);
        var error = Assert.Throws<RefusalException>(() => WhyHere.Explain(Row, Plan, "nada"));
        Assert.Contains("No block 'nada'", error.Message);
    }

    [Fact]
    public void The_next_best_sector_is_one_reachable_without_crossing_a_barrier_and_a_move_across_is_refused()
    {
        // A row of six: S1 {c0, c1}, S2 {c2, c3}, S3 {c4, c5}; heavier c1 and c4 are the centres of S1 and S3. A road runs
        // between c3 and c4: from c3, S3's centre is one block away and S1's two, but S3 lies across the road.
        var units = Grid(1, 6, (_, c) => c is 1 or 4 ? 3 : 1);
        var plan = units.Select((u, i) => (u.Id, i / 2)).ToDictionary(x => x.Id, x => x.Item2);
        var road = new SectorBarrier("Av. Miguel Grau", Factory.CreateLineString([new NetTopologySuite.Geometries.Coordinate(X(4), Y(0) - 0.001),
            new NetTopologySuite.Geometries.Coordinate(X(4), Y(1) + 0.001)]));
        var plain = WhyHere.Explain(units, plan, units[3].Id);
        Assert.Equal(2, plain.NextBest!.Sector); // without the road S3 is the next best (else this test proves nothing)
        Assert.Equal(2, plain.IfMoved!.ToSector);

        var e = WhyHere.Explain(units, plan, units[3].Id, new ExplainOptions { Barriers = [road] });
        Assert.Equal(0, e.NextBest!.Sector);
        Assert.Null(e.NextBest.Barrier);
        Assert.Equal(2, e.Across!.Sector);
        Assert.Equal("Av. Miguel Grau", e.Across.Barrier);
        Assert.True(e.Across.Minutes < e.NextBest.Minutes);
        Assert.Null(e.IfMoved);
        Assert.Contains(e.Reasons, r => r.Code == "sectors.why_across_barrier" && (string)r.Args["sector"] == "S3" && (string)r.Args["barrier"] == "Av. Miguel Grau");
        var refused = Assert.Single(e.Reasons, r => r.Code == "sectors.why_move_refused");
        Assert.Equal("Pasarla a S3 no se permite: S3 queda al otro lado de la barrera Av. Miguel Grau.", refused.Text("es"));
        Assert.DoesNotContain(e.Reasons, r => r.Code == "sectors.why_interior");

        // A link the plan kept across the road joins as usual.
        var kept = WhyHere.Explain(units, plan, units[3].Id, new ExplainOptions { Barriers = [road], KeptLinks = [new KeptLink(units[3].Id, units[4].Id, road.Name)] });
        Assert.Equal(2, kept.NextBest!.Sector);
        Assert.Null(kept.Across);
    }
}
