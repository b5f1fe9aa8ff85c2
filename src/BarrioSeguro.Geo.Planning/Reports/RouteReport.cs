using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Planning.Reports;

/// <summary>Where a route starts and ends (lon/lat): a named start point, or the street node nearest the sector's centre.</summary>
public sealed record RouteStart(string Name, double Lon, double Lat);

/// <summary>A piece of a sector's streets no closed walk can reach: length and place (lon/lat).</summary>
public sealed record UnreachableReport(string? Name, double LengthM, double Lon, double Lat);

/// <summary>When a hot spot is visited: Lima clock times, minutes into the shift, the gaps, the longest and whether it keeps the limit.</summary>
public sealed record HotspotReport(
    string HotspotId, string Name, IReadOnlyList<string> Visits, IReadOnlyList<double> VisitMinutes, IReadOnlyList<double> IntervalMinutes,
    double MaxIntervalMinutes, bool WithinLimit);

/// <summary>A timed stop at a hot spot, numbered from 1 in the order of the route (lon/lat, Lima clock time).</summary>
public sealed record StopReport(int Number, string HotspotId, string Name, double Lon, double Lat, string Arrive, double ArriveMin, int Minutes, bool Detour);

/// <summary>
/// The report of one patrol route: one shape for each route of the CLI's routes report, the kept route and the API.
/// <paramref name="Sector"/> is the label ("S1"); the stop count is <c>Stops.Count</c>.
/// </summary>
public sealed record RouteReport(
    string Sector, string Name, string Shift, string Mode, RouteStart? Start, double LengthKm, double DurationMin, double DeadheadPct,
    double StreetsCoveredPct, int Rounds, bool Optimal, IReadOnlyList<StopReport> Stops, double UnreachableKm,
    IReadOnlyList<UnreachableReport> Unreachable, IReadOnlyList<HotspotReport> Hotspots, IReadOnlyList<Note> Notes)
{
    /// <summary>The sector's coverage cycle (the same as in <see cref="RoutesReport.Cycle"/>), kept with the route.</summary>
    public SectorCycleReport? Cycle { get; init; }

    /// <summary>The patrol time of the shift (minutes): the shift minus the break and the hand-over; the route never runs longer.</summary>
    public double PatrolMinutes { get; init; }

    /// <summary>Length of the preventive patrol (km) walked on the cycle's streets of this shift: new streets of the pass.</summary>
    public double NewStreetsKm { get; init; }

    /// <summary>The day of the cycle (1-based) this route is for; with <see cref="Shift"/> its calendar entry.</summary>
    public int Day { get; init; } = 1;

    /// <summary>Rules the route could not keep together, with the figures (e.g. a hot spot too far for the 2 h rule).</summary>
    public IReadOnlyList<RuleMissReport> RulesMissed { get; init; } = [];
}

/// <summary>A rule the route could not keep: which rule was kept instead and by how much the missed one was missed.</summary>
/// <param name="Kept">The rule kept, e.g. "patrol-time" (the route fits the shift's patrol time).</param>
/// <param name="Missed">The rule missed, e.g. "hotspot-interval".</param>
/// <param name="HotspotId">The hot spot concerned, when there is one.</param>
/// <param name="LimitMinutes">The missed rule's limit (minutes), e.g. 120.</param>
/// <param name="ActualMinutes">What the route gives (minutes), e.g. the longest gap 150.</param>
/// <param name="OverMinutes">ActualMinutes - LimitMinutes.</param>
public sealed record RuleMissReport(string Kept, string Missed, string? HotspotId, double LimitMinutes, double ActualMinutes, double OverMinutes);

/// <summary>A sector that got no route, and why (<see cref="Note"/>: the same as a note, said in the reader's language).</summary>
public sealed record SkippedSector(string Sector, string Reason)
{
    public Note? Note { get; init; }
}

/// <summary>The routes of one shift: the CLI's --report file and the answer of POST /api/plans/{id}/routes share these members.</summary>
public sealed record RoutesReport(
    string Mode, string Shift, double ShiftHours, string ShiftStart, IReadOnlyList<int> StopMinutes, double MaxIntervalHours, int Seed,
    IReadOnlyList<RouteReport> Routes, IReadOnlyList<SkippedSector> Skipped, NetworkReport Network, IReadOnlyList<Note> Notes, double ElapsedMs)
{
    /// <summary>Minutes of the shift the crew patrols: ShiftHours × 60 − BreakMinutes − HandoverMinutes.</summary>
    public double PatrolMinutes { get; init; }

    /// <summary>The break within the shift (minutes, default 30).</summary>
    public double BreakMinutes { get; init; }

    /// <summary>The hand-over at the start and end of the shift (minutes in all, default 15).</summary>
    public double HandoverMinutes { get; init; }

    /// <summary>The coverage cycle of each sector: which shift walks which streets so that every reachable street is walked once per cycle.</summary>
    public CycleReport? Cycle { get; init; }
}

/// <summary>The coverage cycle: <paramref name="Days"/> days × the contingent's <paramref name="Shifts"/> (codes), per sector.</summary>
/// <param name="ShiftsInCycle">Days × shifts: how many shifts each sector's crew works in the cycle.</param>
public sealed record CycleReport(int Days, IReadOnlyList<string> Shifts, int ShiftsInCycle, IReadOnlyList<SectorCycleReport> Sectors);

/// <summary>How many shifts a full pass of a sector's reachable streets takes in a travel mode.</summary>
/// <param name="Shifts">Shifts a full pass takes when each gives it all its free time; null when no number of shifts can (streets out of reach).</param>
/// <param name="PassMinutes">Patrol minutes those shifts spend in all on the pass (reaching the pieces and walking them).</param>
public sealed record PassReport(string Mode, int? Shifts, double PassMinutes);

/// <summary>
/// One sector's cycle: its reachable streets (km), how many shifts a full pass takes per mode, whether the cycle walks
/// every reachable street (<paramref name="CoveredInCycle"/>), the deadhead of the pass and the calendar.
/// </summary>
/// <param name="ShiftsForFullPass">Per mode, e.g. [{mode: "foot", shifts: 4}, {mode: "bike", shifts: 2}].</param>
/// <param name="ShiftsNeeded">Shifts of the cycle's mode the pass took (first pass; the cycle's shifts when not covered).</param>
/// <param name="CoveredPct">Share of the reachable street length walked within the cycle.</param>
/// <param name="DeadheadKm">Length walked in the cycle's shifts outside their new streets (reaching them, hot spots, going back).</param>
public sealed record SectorCycleReport(
    string Sector, string Mode, double StreetsKm, double ReachableKm, IReadOnlyList<PassReport> ShiftsForFullPass, int ShiftsNeeded,
    bool CoveredInCycle, double CoveredPct, double DeadheadKm, double DeadheadPct, IReadOnlyList<CalendarEntry> Calendar, IReadOnlyList<Note> Notes);

/// <summary>
/// One shift of the cycle calendar: day (1-based) × shift code → the route that shift walks, with its length, time,
/// the street length it walks first in the cycle (<paramref name="NewStreetsKm"/>) and the share of the sector's
/// reachable streets walked by the end of it (<paramref name="CoveredPct"/>, cumulative).
/// </summary>
public sealed record CalendarEntry(int Day, string Shift, string RouteName, double LengthKm, double DurationMin, double NewStreetsKm, double CoveredPct)
{
    /// <summary>The kept route of this entry (its track, stops and GPX: GET /api/routes/{id}/gpx); null before it is kept (the CLI).</summary>
    public int? RouteId { get; init; }
}
