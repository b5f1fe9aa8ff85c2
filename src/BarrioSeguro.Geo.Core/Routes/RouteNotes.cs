using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// The notes of shift routes and coverage cycles, one method per kind; each is a code of notes.json with its parameters
/// (minutes, km, percentages as numbers), said in Spanish or English from the catalog.
/// </summary>
public static class RouteNotes
{
    /// <summary>No walk from the start reaches the hot spot.</summary>
    public static Note HotspotUnreachable(string name) => Note.Of("route.hotspot_unreachable", ("name", name));

    /// <summary>Going there, stopping and coming back does not fit the patrol time.</summary>
    public static Note HotspotTooFar(string name, double roundTripMinutes, double patrolMinutes) =>
        Note.Of("route.hotspot_too_far", ("name", name), ("roundTrip", roundTripMinutes), ("patrol", patrolMinutes));

    /// <summary>The 2 h rule could not be kept within the patrol time.</summary>
    public static Note HotspotIntervalMissed(string name, double longestGapMinutes, double limitMinutes, double patrolMinutes) =>
        Note.Of("route.hotspot_interval_over", ("name", name), ("gap", longestGapMinutes), ("over", longestGapMinutes - limitMinutes),
            ("max", limitMinutes), ("patrol", patrolMinutes));

    /// <summary>The cycle's pass went to streets no shift reaches within the 2 h rule.</summary>
    public static Note HotspotIntervalMissedForStreets(string name, double longestGapMinutes, double limitMinutes) =>
        Note.Of("route.hotspot_interval_over_for_streets", ("name", name), ("gap", longestGapMinutes), ("over", longestGapMinutes - limitMinutes),
            ("max", limitMinutes));

    /// <summary>The sector has no street to walk.</summary>
    public static Note TourEmpty() => Note.Of("route.tour_empty");

    /// <summary>Streets of the sector too far from the start to walk and come back within one shift's patrol time.</summary>
    public static Note StreetsOutOfShiftReach(int pieces, double km, double patrolMinutes) =>
        Note.Of("cycle.streets_out_of_reach", ("count", pieces), ("km", km), ("patrol", patrolMinutes));

    /// <summary>The cycle's shifts cannot walk every reachable street.</summary>
    public static Note CycleNotCovered(double coveredPct, int shiftsInCycle, int? shiftsForFullPass) => shiftsForFullPass is { } n
        ? Note.Of("cycle.not_covered", ("pct", coveredPct), ("shifts", shiftsInCycle), ("pass", n))
        : Note.Of("cycle.not_covered_ever", ("pct", coveredPct), ("shifts", shiftsInCycle));

    /// <summary>How many shifts a full pass takes and how the cycle spreads it.</summary>
    public static Note CyclePass(int shiftsForFullPass, int shiftsUsed, int shiftsInCycle) =>
        Note.Of("cycle.pass", ("pass", shiftsForFullPass), ("used", shiftsUsed), ("shifts", shiftsInCycle));
}
