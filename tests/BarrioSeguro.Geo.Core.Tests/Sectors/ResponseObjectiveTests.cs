using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Sectors;
using NetTopologySuite.Geometries;
using Xunit;
using Xunit.Abstractions;
using static BarrioSeguro.Geo.Core.Tests.Sectors.SectorSamples;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>The response objective: workload-weighted travel from each sector's centre, within balance and contiguity.</summary>
public class ResponseObjectiveTests(ITestOutputHelper output)
{
    private static readonly Lazy<List<SectorUnit>> Blocks = new(ElMilagro);
    private static readonly Lazy<StreetGraph> FootStreets = new(() => StreetGraph.Build(ElMilagroStreets(), TravelMode.Foot));

    /// <summary>PNP MILAGRO, geodata/police/comisarias_trujillo_osm.geojson (OSM node).</summary>
    private static readonly Point Comisaria = Factory.CreatePoint(new Coordinate(-79.0663893, -8.0233466));

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(8)]
    public void El_Milagro_response_plan_is_balanced_contiguous_and_shorter_than_the_compact_plan(int k)
    {
        var units = Blocks.Value;
        var compact = Sectorizer.Partition(units, new PartitionOptions { Sectors = k });
        var response = Sectorizer.Partition(units, new PartitionOptions { Sectors = k, Objective = SectorObjective.Response });
        SectorizerTests.AssertValidPlan(units, response, k);
        Assert.True(response.Report.MaxDeviationPct <= Math.Max(5, response.Report.BalanceBoundPct) + 1e-9, $"{response.Report.MaxDeviationPct:0.00} %");
        var a = compact.Report.Travel!;
        var b = response.Report.Travel!;
        output.WriteLine($"k={k}: compact {a.TotalWeightedMinutes:0} workload·min (mean {a.MeanMinutes:0.00}, worst {a.WorstMinutes:0.0} min, PP {compact.Report.MeanPolsbyPopper:0.00}); " +
                         $"response {b.TotalWeightedMinutes:0} (mean {b.MeanMinutes:0.00}, worst {b.WorstMinutes:0.0} min, PP {response.Report.MeanPolsbyPopper:0.00}, dev {response.Report.MaxDeviationPct:0.0} %)");
        Assert.True(b.TotalWeightedMinutes < a.TotalWeightedMinutes, $"{b.TotalWeightedMinutes:0} vs compact {a.TotalWeightedMinutes:0}");
        Assert.Equal(SectorObjective.Response, response.Report.Objective);
        Assert.Equal(k, b.Sectors.Count);
        Assert.Equal(b.TotalWeightedMinutes, b.Sectors.Sum(s => s.WeightedMinutes), 6);
        Assert.All(b.Sectors, s => Assert.Equal(s.Sector, response.Assignment[s.CentreBlock!]));
    }

    [Fact]
    public void Centre_fixed_at_the_comisaria_is_the_first_sector_s_and_travel_is_measured_from_the_point()
    {
        var units = Blocks.Value;
        var plan = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Objective = SectorObjective.Response, Centres = [Comisaria] });
        SectorizerTests.AssertValidPlan(units, plan, 4);
        var s0 = plan.Report.Travel!.Sectors[0];
        Assert.True(s0.CentreFixed);
        Assert.Null(s0.CentreBlock);
        Assert.Equal(Comisaria.X, s0.CentreLon, 6);
        Assert.Equal(Comisaria.Y, s0.CentreLat, 6);
        Assert.All(plan.Report.Travel.Sectors.Skip(1), s => Assert.False(s.CentreFixed));
        // The comisaría's own block is in its sector.
        var home = units.MinBy(u => u.Geometry.Distance(Comisaria))!;
        Assert.Equal(0, plan.Assignment[home.Id]);
    }

    [Fact]
    public void On_the_street_network_the_response_plan_is_shorter_in_minutes_walked()
    {
        var units = Blocks.Value;
        var streets = FootStreets.Value;
        var compact = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Streets = streets });
        var response = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Streets = streets, Objective = SectorObjective.Response });
        SectorizerTests.AssertValidPlan(units, response, 4);
        var a = compact.Report.Travel!;
        var b = response.Report.Travel!;
        output.WriteLine($"network: compact {a.TotalWeightedMinutes:0} (worst {a.WorstMinutes:0.0} min), response {b.TotalWeightedMinutes:0} (worst {b.WorstMinutes:0.0} min), {response.Report.ElapsedMs:0} ms");
        Assert.StartsWith("street network on foot", b.Measure);
        Assert.Null(b.TotalWeightedKm);
        Assert.True(b.TotalWeightedMinutes < a.TotalWeightedMinutes, $"{b.TotalWeightedMinutes:0} vs {a.TotalWeightedMinutes:0}");
        // Walking the streets is never shorter than the straight line at the same speed (5 km/h).
        var straight = Sectorizer.Partition(units, new PartitionOptions { Sectors = 4, Objective = SectorObjective.Response });
        Assert.True(b.TotalWeightedMinutes > straight.Report.Travel!.TotalWeightedMinutes);
    }

    [Fact]
    public void Evaluated_row_of_three_blocks_is_centred_on_the_middle_one()
    {
        // Three 100 m-ish squares in a row, workloads 1, 2, 3: the centre is the middle block (cost 1·d + 3·d) rather
        // than the heaviest (1·2d + 2·d).
        var units = Grid(1, 3, (r, c) => c + 1);
        var report = PlanEvaluator.Evaluate(units, units.ToDictionary(u => u.Id, _ => 0), straightLineKmh: 6);
        var t = report.Travel!;
        var middle = units[1];
        Assert.Equal(middle.Id, t.Sectors[0].CentreBlock);
        var d = middle.Geometry.Centroid.Distance(units[0].Geometry.Centroid);
        var metres = BarrioSeguro.Geo.Core.Spatial.Measure.LengthMeters(Factory.CreateLineString([middle.Geometry.Centroid.Coordinate, units[0].Geometry.Centroid.Coordinate]));
        Assert.True(d > 0);
        Assert.Equal(metres * 4 / 1000, t.TotalWeightedKm!.Value, 2);
        Assert.Equal(metres * 4 / (6000.0 / 60), t.TotalWeightedMinutes, 2);
        Assert.Equal(t.TotalWeightedMinutes / 6, t.MeanMinutes, 6);
        Assert.Equal(metres / 100.0, t.WorstMinutes, 2);
        Assert.StartsWith("straight line at 6 km/h", t.Measure);
    }

    [Fact]
    public void Bad_response_options_are_refused()
    {
        var units = Grid(3, 3, (_, _) => 1);
        Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 2, CompactnessWeight = -1 }));
        Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 2, StraightLineKmh = 0 }));
        var p = Factory.CreatePoint(new Coordinate(-79.07, -8.03));
        var e = Assert.Throws<BarrioSeguro.Geo.Core.Notes.RefusalException>(() => Sectorizer.Partition(units, new PartitionOptions { Sectors = 2, Centres = [p, p, p] }));
        Assert.Contains("3 fixed centres for 2 sectors", e.Message);
    }

    [Fact]
    public void Response_plan_is_reproducible()
    {
        var units = Blocks.Value;
        var o = new PartitionOptions { Sectors = 5, Objective = SectorObjective.Response, Seed = 7 };
        Assert.Equal(Sectorizer.Partition(units, o).Assignment, Sectorizer.Partition(units, o).Assignment);
    }
}
