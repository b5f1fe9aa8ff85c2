using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Routes;

/// <summary>
/// Where the graph lies: node positions and, optionally, the street geometry of each edge (digitised From → To).
/// Coordinates are in <see cref="Epsg"/>: a UTM zone (metres) or 4326 (lengths then measured on the ellipsoid).
/// </summary>
public interface IRouteGeometry
{
    /// <summary>EPSG code of the coordinates.</summary>
    int Epsg { get; }

    /// <summary>Position of a node.</summary>
    Coordinate Node(int node);

    /// <summary>The street line of an edge from its From node to its To node, or null for a straight segment.</summary>
    LineString? Edge(int edge);
}

/// <summary><see cref="IRouteGeometry"/> from two callbacks.</summary>
public sealed class RouteGeometry(int epsg, Func<int, Coordinate> node, Func<int, LineString?>? edge = null) : IRouteGeometry
{
    /// <inheritdoc/>
    public int Epsg => epsg;

    /// <inheritdoc/>
    public Coordinate Node(int n) => node(n);

    /// <inheritdoc/>
    public LineString? Edge(int e) => edge?.Invoke(e);
}

/// <summary>A hot spot the patrol must stop at, at a graph node (snap points to their nearest node first).</summary>
public sealed record RouteHotspot(string Id, string Name, int Node);

/// <summary>Options of <see cref="ShiftRoutePlanner"/>.</summary>
public sealed record RouteOptions
{
    /// <summary>Route name, e.g. "Sector S1 · turno mañana".</summary>
    public string Name { get; init; } = "Ruta de patrullaje";

    /// <summary>Length of the shift in hours.</summary>
    public double ShiftHours { get; init; } = 8;

    /// <summary>When the shift starts (UTC); the times in GPX come from it.</summary>
    public DateTimeOffset ShiftStart { get; init; } = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Travel speed: walking 5, bicycle 16-20 km/h. Ignored for edges <see cref="EdgeSeconds"/> times.</summary>
    public double SpeedKmh { get; init; } = 5;

    /// <summary>Optional travel time per edge in seconds (by street class, traffic); null: length / speed.</summary>
    public Func<int, double>? EdgeSeconds { get; init; }

    /// <summary>Stop length in whole minutes, drawn uniformly from this range (Koper: 10-15 min).</summary>
    public (int Min, int Max) StopMinutes { get; init; } = (10, 15);

    /// <summary>Each hot spot is visited at least this often (hours), counted from the start of the route to its end.</summary>
    public double MaxIntervalHours { get; init; } = 2;

    /// <summary>Varies stop lengths and which passes over a hot spot become stops.</summary>
    public int Seed { get; init; }

    /// <summary>The break within the shift, minutes (default 30): not patrol time.</summary>
    public double BreakMinutes { get; init; } = 30;

    /// <summary>The hand-over, minutes in all (default 15): half before the patrol, half after; not patrol time.</summary>
    public double HandoverMinutes { get; init; } = 15;

    /// <summary>The minutes the crew patrols: the shift minus the break and the hand-over. A shift route never runs longer.</summary>
    public double PatrolMinutes => ShiftHours * 60 - BreakMinutes - HandoverMinutes;
}

/// <summary>A point of the track: position (in the route's CRS) and seconds since the start of the shift.</summary>
public readonly record struct TrackPoint(Coordinate Position, double Seconds);

/// <summary>A timed stop at a hot spot.</summary>
/// <param name="Detour">True when the route left the tour to reach the hot spot in time.</param>
public sealed record RouteStop(string HotspotId, string Name, Coordinate Position, double ArriveSeconds, int Minutes, bool Detour);

/// <summary>A step of the route: an edge with direction (see <see cref="PostmanTour.EdgeOf"/>), and what kind of travel it is.</summary>
public readonly record struct RouteLeg(int Step, double StartSeconds, double EndSeconds, double LengthMeters, bool Deadhead, bool Detour);

/// <summary>When a hot spot was visited, and the gaps (minutes) from the start to the first visit, between visits, and to the end.</summary>
public sealed record HotspotVisits(string HotspotId, string Name, IReadOnlyList<double> VisitMinutes, IReadOnlyList<double> IntervalMinutes, double MaxIntervalMinutes, bool WithinLimit);

/// <summary>Figures of a route.</summary>
/// <param name="DeadheadPct">Share of the length walked on non-required streets or on required ones already covered.</param>
/// <param name="StreetsCoveredPct">Length of the sector's required streets on the route over all its required streets (unreachable ones count against).</param>
public sealed record RouteFigures(double LengthKm, double DurationMin, double DeadheadPct, double StreetsCoveredPct, int Rounds, IReadOnlyList<HotspotVisits> Hotspots);

/// <summary>A timed patrol route for one sector and shift.</summary>
public sealed record PatrolRoute(
    string Name,
    int Epsg,
    DateTimeOffset Start,
    IReadOnlyList<TrackPoint> Track,
    IReadOnlyList<RouteStop> Stops,
    IReadOnlyList<RouteLeg> Legs,
    RouteFigures Figures,
    IReadOnlyList<Note> Notes)
{
    /// <summary>The patrol time the route had to fit (minutes).</summary>
    public double PatrolMinutes { get; init; }

    /// <summary>Length (m) of the sector's streets this route walks first in its cycle pass.</summary>
    public double NewStreetsMeters { get; init; }

    /// <summary>Rules the route could not keep together: which was kept, which missed and by how much.</summary>
    public IReadOnlyList<RuleMiss> RulesMissed { get; init; } = [];
}

/// <summary>A rule a route could not keep: the rule kept instead, the rule missed, its limit and what the route gives.</summary>
/// <param name="Kept">"patrol-time": the route fits the shift's patrol time (always kept); "street-coverage": the route
/// walks streets of the cycle's pass that no shift can reach within the hot-spot rule.</param>
/// <param name="Missed">"hotspot-interval": a hot spot visited less often than asked; "hotspot-visit": not visited at all.</param>
public sealed record RuleMiss(string Kept, string Missed, string? HotspotId, double LimitMinutes, double ActualMinutes)
{
    /// <summary>By how much the missed rule was missed (minutes).</summary>
    public double OverMinutes => ActualMinutes - LimitMinutes;

    public const string PatrolTime = "patrol-time";
    public const string StreetCoverage = "street-coverage";
    public const string HotspotInterval = "hotspot-interval";
    public const string HotspotVisit = "hotspot-visit";
}
