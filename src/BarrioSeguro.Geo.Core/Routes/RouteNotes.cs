using System.Globalization;

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// The notes of shift routes and coverage cycles, one method per kind, each named after its code (the method's name
/// in kebab case, e.g. <see cref="HotspotIntervalMissed"/> is "hotspot-interval-missed"), so that they can turn into
/// codes with parameters without hunting for string literals.
/// </summary>
public static class RouteNotes
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>hotspot-unreachable: no walk from the start reaches the hot spot.</summary>
    public static string HotspotUnreachable(string name) => $"hot spot {name}: cannot be reached from the route";

    /// <summary>hotspot-too-far: going there, stopping and coming back does not fit the patrol time.</summary>
    public static string HotspotTooFar(string name, double roundTripMinutes, double patrolMinutes) => string.Create(Ci,
        $"hot spot {name}: going there, stopping and coming back takes {roundTripMinutes:0} min, more than the {patrolMinutes:0} min of patrol; kept: the route fits the patrol time; missed: no visit");

    /// <summary>hotspot-interval-missed: the 2 h rule could not be kept within the patrol time.</summary>
    public static string HotspotIntervalMissed(string name, double longestGapMinutes, double limitMinutes, double patrolMinutes) => string.Create(Ci,
        $"hot spot {name}: the longest gap is {longestGapMinutes:0} min, {longestGapMinutes - limitMinutes:0} min over the {limitMinutes:0} min asked; kept: the route fits the {patrolMinutes:0} min of patrol");

    /// <summary>hotspot-interval-missed-for-streets: the cycle's pass went to streets no shift reaches within the 2 h rule.</summary>
    public static string HotspotIntervalMissedForStreets(string name, double longestGapMinutes, double limitMinutes) => string.Create(Ci,
        $"hot spot {name}: the longest gap is {longestGapMinutes:0} min, {longestGapMinutes - limitMinutes:0} min over the {limitMinutes:0} min asked; kept: the cycle walks streets too far from the hot spots for that rule (and the route fits the patrol time)");

    /// <summary>tour-empty: the sector has no street to walk.</summary>
    public static string TourEmpty() => "the tour is empty: nothing to walk";

    /// <summary>streets-out-of-shift-reach: streets of the sector too far from the start to walk and come back within one shift's patrol time.</summary>
    public static string StreetsOutOfShiftReach(int pieces, double km, double patrolMinutes) => string.Create(Ci,
        $"{pieces} piece{(pieces == 1 ? "" : "s")} of street ({km:0.00} km) too far from the start to reach and come back within {patrolMinutes:0} min of patrol: left out of the cycle");

    /// <summary>cycle-not-covered: the cycle's shifts cannot walk every reachable street.</summary>
    public static string CycleNotCovered(double coveredPct, int shiftsInCycle, int? shiftsForFullPass) => string.Create(Ci,
        $"the cycle's {shiftsInCycle} shifts walk {coveredPct:0.0} % of the reachable streets, not all: {(shiftsForFullPass is { } n ? $"a full pass takes {n} shifts" : "no number of shifts walks them all")}");

    /// <summary>cycle-pass: how many shifts a full pass takes and how the cycle spreads it.</summary>
    public static string CyclePass(int shiftsForFullPass, int shiftsUsed, int shiftsInCycle) => string.Create(Ci,
        $"a full pass of the sector's streets takes {shiftsForFullPass} shift{(shiftsForFullPass == 1 ? "" : "s")}; the cycle spreads it over {shiftsUsed} of its {shiftsInCycle} shifts");
}
