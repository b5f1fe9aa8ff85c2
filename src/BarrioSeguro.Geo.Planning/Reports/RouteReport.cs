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
    IReadOnlyList<UnreachableReport> Unreachable, IReadOnlyList<HotspotReport> Hotspots, IReadOnlyList<Note> Notes);

/// <summary>A sector that got no route, and why.</summary>
public sealed record SkippedSector(string Sector, string Reason);

/// <summary>The routes of one shift: the CLI's --report file and the answer of POST /api/plans/{id}/routes share these members.</summary>
public sealed record RoutesReport(
    string Mode, string Shift, double ShiftHours, string ShiftStart, IReadOnlyList<int> StopMinutes, double MaxIntervalHours, int Seed,
    IReadOnlyList<RouteReport> Routes, IReadOnlyList<SkippedSector> Skipped, NetworkReport Network, IReadOnlyList<Note> Notes, double ElapsedMs);
