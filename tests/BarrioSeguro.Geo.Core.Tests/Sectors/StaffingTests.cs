using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Sectors;
using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

public class StaffingTests
{
    [Fact]
    public void Twenty_officers_three_shifts_of_eight_hours_with_availability_and_serenazgo()
    {
        var s = StaffingCalculator.Compute(StaffingSamples.ThreeShifts(20, 0.85, PatrolMode.FootPair, jointUnits: 1));
        Assert.Equal([("morning", 6, 4), ("afternoon", 6, 4), ("night", 5, 3)], s.PerShift);
        Assert.Equal(3, s.SectorsPerShift);
        var text = string.Join("; ", s.Explanation.Select(l => l.English));
        Assert.Contains("20 officers × 0.85 availability = 17 on the roster", text);
        Assert.Contains("3 shifts of 8 h: 6, 6 and 5 on duty", text);
        Assert.Contains("foot pairs of 2: 3, 3 and 2 units", text);
        Assert.Contains("officers left without a full crew", text); // 5 on duty at night: one alone
        Assert.Contains("+ 1 serenazgo unit each: 4, 4 and 3 units", text);
        Assert.Contains("the weakest shift (night) staffs 3 sectors", text);
    }

    [Fact]
    public void Two_shifts_of_twelve_hours_in_cars_of_three()
    {
        var s = StaffingCalculator.Compute(StaffingSamples.TwoShifts(20, 1, PatrolMode.Car(3)));
        Assert.Equal([("day", 10, 3), ("night", 10, 3)], s.PerShift);
        Assert.Equal(3, s.SectorsPerShift);
        Assert.Contains(s.Explanation, l => l.English.Contains("every shift staffs 3 sectors"));
    }

    [Theory]
    [InlineData(1, 20)] // bicycles alone: 7, 7, 6 units
    [InlineData(2, 9)]  // 7, 7, 6 officers → 3, 3, 3 pairs
    public void Crew_size_divides_the_officers_on_duty(int crew, int expectedTotalUnits)
    {
        var s = StaffingCalculator.Compute(StaffingSamples.ThreeShifts(20, 1, PatrolMode.Bicycle(crew)));
        Assert.Equal(expectedTotalUnits, s.PerShift.Sum(p => p.Units));
        Assert.Equal(s.PerShift.Min(p => p.Units), s.SectorsPerShift);
    }

    [Fact]
    public void Shifts_with_their_own_officers_apply_availability_to_each()
    {
        var plan = new ContingentPlan(20, [new("day", 8, 8), new("evening", 8, 7), new("night", 8, 5)], 0.9, PatrolMode.FootPair);
        var s = StaffingCalculator.Compute(plan);
        Assert.Equal([("day", 7, 3), ("evening", 6, 3), ("night", 4, 2)], s.PerShift);
        Assert.Equal(2, s.SectorsPerShift);
        Assert.Contains(s.Explanation, l => l.English.Contains("20 officers, 20 assigned") && l.English.Contains("8, 7 and 5"));
    }

    [Fact]
    public void A_fixed_number_of_sectors_names_the_shifts_that_fall_short()
    {
        var plan = StaffingSamples.ThreeShifts(20) with { FixedSectors = 4 };
        var s = StaffingCalculator.Compute(plan);
        Assert.Equal(4, s.SectorsPerShift);
        Assert.Equal([3, 3, 3], s.PerShift.Select(p => p.Units));
        Assert.Contains(s.Explanation, l => l.English.Contains("the chief fixed 4 sectors") && l.English.Contains("night shift is 1 unit short"));
    }

    [Fact]
    public void No_unit_in_a_shift_means_no_sector()
    {
        var s = StaffingCalculator.Compute(StaffingSamples.ThreeShifts(4, 1, PatrolMode.FootPair));
        Assert.Equal(0, s.SectorsPerShift);
        Assert.Contains(s.Explanation, l => l.English.Contains("not one sector"));
    }

    public static TheoryData<ContingentPlan, string> BadPlans => new()
    {
        { StaffingSamples.ThreeShifts(20, 1, PatrolMode.Car(4)), "car unit has a crew of 2 or 3" },
        { StaffingSamples.ThreeShifts(20, 1, PatrolMode.Bicycle(3)), "bike unit has a crew of 1 or 2" },
        { StaffingSamples.ThreeShifts(20, 0), "between 0 and 1" },
        { StaffingSamples.ThreeShifts(20, 1.5), "between 0 and 1" },
        { StaffingSamples.ThreeShifts(0), "at least one officer" },
        { StaffingSamples.ThreeShifts(20, 1, jointUnits: -1), "negative" },
        { new ContingentPlan(10, [new("day", 12, 8), new("night", 12, 8)], 1, PatrolMode.FootPair), "16 officers but the contingent has 10" },
        { new ContingentPlan(10, [new("day", 12, 8), new("night", 12)], 1, PatrolMode.FootPair), "Either every shift" },
        { new ContingentPlan(10, [], 1, PatrolMode.FootPair), "at least one shift" },
    };

    [Theory]
    [MemberData(nameof(BadPlans))]
    public void Bad_plans_get_a_clear_error(ContingentPlan plan, string expected)
    {
        // A refusal with a note (RefusalException is an ArgumentException): the same English, and Spanish from its code.
        var e = Assert.Throws<RefusalException>(() => StaffingCalculator.Compute(plan));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("staffing.refused_", e.Reason.Code);
        Assert.Contains(expected, e.Reason.Text("en"));
        var spanish = e.Reason.Text("es");
        Assert.NotEqual(e.Reason.Text("en"), spanish);
        Assert.DoesNotContain(expected, spanish);
        Assert.DoesNotContain("officers", spanish);
    }
}
