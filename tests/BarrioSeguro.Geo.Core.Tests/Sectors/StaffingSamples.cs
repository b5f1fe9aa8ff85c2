using BarrioSeguro.Geo.Core.Sectors;

namespace BarrioSeguro.Geo.Core.Tests.Sectors;

/// <summary>
/// Contingents for the calculator's tests, with shift names of their own: the product names its shifts from Planning's
/// one table (<c>Shifts.Equal</c>), and Core takes whatever names it is given.
/// </summary>
public static class StaffingSamples
{
    /// <summary>Three shifts of 8 h (morning, afternoon, night), officers shared evenly.</summary>
    public static ContingentPlan ThreeShifts(int officers, double availability = 1, PatrolMode? mode = null, int jointUnits = 0) =>
        new(officers, [new("morning", 8), new("afternoon", 8), new("night", 8)], availability, mode ?? PatrolMode.FootPair, jointUnits);

    /// <summary>Two shifts of 12 h (day, night), officers shared evenly.</summary>
    public static ContingentPlan TwoShifts(int officers, double availability = 1, PatrolMode? mode = null, int jointUnits = 0) =>
        new(officers, [new("day", 12), new("night", 12)], availability, mode ?? PatrolMode.FootPair, jointUnits);
}
