using System.Text.Json;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Planning.Reports;
using BarrioSeguro.Geo.Planning.Sectors;
using BarrioSeguro.Geo.Planning.Tests.Sectors;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Planning.Tests.Reports;

/// <summary>One JSON contract: what is written is read back typed, with the member names the viewer and files use.</summary>
public class ReportJsonTests
{
    [Fact]
    public void A_plan_report_reads_back_typed_with_its_staffing_object_and_sentences()
    {
        var staffing = SectorPlanning.Staff(new ContingentPlan(20, Shifts.Of(3).Select(s => new ShiftPlan(s.Code, 8)).ToList(), 0.85, PatrolMode.FootPair, 1));
        var outcome = SectorPlanning.Plan(SectorPlanningTests.GridWithTwoPartUnit(), new SectorPlanRequest { Sectors = 2, Staffing = staffing, ContingentId = 5 });
        var json = PlanningJson.Serialize(outcome.Report);
        var back = PlanningJson.Deserialize<SectorPlanReport>(json);
        Assert.Equal(json, PlanningJson.Serialize(back));

        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal("S1", root.GetProperty("sectors")[0].GetProperty("label").GetString());
        var s = root.GetProperty("staffing");
        Assert.Equal(5, s.GetProperty("contingentId").GetInt32());
        Assert.Equal("mañana", s.GetProperty("perShift")[0].GetProperty("shift").GetString());
        Assert.Contains(s.GetProperty("explanation").EnumerateArray(), l => l.GetProperty("code").GetString() == "staffing.roster"
            && l.GetProperty("args").GetProperty("officers").GetInt32() == 20 && l.GetProperty("text").GetString()!.Contains("20 officers"));
        Assert.Equal("frontage_m", root.GetProperty("weights")[1].GetProperty("attribute").GetString());
        Assert.Contains("\"ñ", PlanningJson.Serialize("ñ")); // accents stay readable
    }

    [Fact]
    public void A_route_report_has_an_array_of_stops_and_hot_spot_gaps_in_minutes()
    {
        var route = new RouteReport("S1", RouteName.Of("S1", "mañana"), "mañana", "foot", new RouteStart("Comisaría", -79.07, -8.02), 12.5, 470, 10, 100, 2, true,
            [new StopReport(1, "H1", "Mercado", -79.071, -8.021, "07:15", 75, 12, false)], 0, [],
            [new HotspotReport("H1", "Mercado", ["07:15"], [75], [75, 395], 395, false)],
            [Note.Of("route.hotspot_interval_over", ("name", "Mercado"), ("gap", 395.2), ("over", 275.2), ("max", 120), ("patrol", 435))]);
        var json = PlanningJson.Serialize(route);
        Assert.Equal(json, PlanningJson.Serialize(PlanningJson.Deserialize<RouteReport>(json)));
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(JsonValueKind.Array, root.GetProperty("stops").ValueKind);
        Assert.Equal("07:15", root.GetProperty("stops")[0].GetProperty("arrive").GetString());
        Assert.Equal(395, root.GetProperty("hotspots")[0].GetProperty("maxIntervalMinutes").GetDouble());
        Assert.Equal("S1", root.GetProperty("sector").GetString());
        // A note: its code, its arguments as numbers and names, and the text for clients that only show text.
        var note = root.GetProperty("notes")[0];
        Assert.Equal("route.hotspot_interval_over", note.GetProperty("code").GetString());
        Assert.Equal(395.2, note.GetProperty("args").GetProperty("gap").GetDouble());
        Assert.Equal("Mercado", note.GetProperty("args").GetProperty("name").GetString());
        Assert.StartsWith("hot spot Mercado: the longest gap is 395 min, 275 min over the 120 min asked", note.GetProperty("text").GetString());
    }
}
