using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>Coverage of a kept plan for one shift, travel mode and time threshold: figures and the pieces, lon/lat.</summary>
public sealed class PlanCoverage
{
    public int Id { get; set; }
    public int PlanId { get; set; }
    public required string Mode { get; set; }
    public double Minutes { get; set; }
    public required string Shift { get; set; }
    public int Units { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Figures for the neighbourhood and per sector, units placed and refused, what was left out, as JSON.</summary>
    public required string ReportJson { get; set; }
    public required MultiLineString Covered { get; set; }
    public required MultiLineString Uncovered { get; set; }
    public required MultiLineString Backup { get; set; }
}

/// <summary>
/// The patrol route of one sector of a kept plan for one calendar entry of a computation: the track, the stops, figures
/// and the GPX file. A computation for a shift keeps a row per entry (day × shift) of its cycle; the route asked for is
/// the one of day 1 of <see cref="Shift"/> (<see cref="CycleDay"/> 1, <see cref="CycleShift"/> = <see cref="Shift"/>).
/// </summary>
public sealed class PlanRoute
{
    public int Id { get; set; }
    public int PlanId { get; set; }
    public int Sector { get; set; }
    /// <summary>The shift the routes were computed for (the computation's key, with the mode).</summary>
    public required string Shift { get; set; }
    /// <summary>The day of the cycle (1-based) this row's route is for.</summary>
    public int CycleDay { get; set; } = 1;
    /// <summary>The shift code of the calendar entry this row's route is for.</summary>
    public required string CycleShift { get; set; }
    public required string Mode { get; set; }
    public int Seed { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required LineString Track { get; set; }
    public required MultiPoint Stops { get; set; }
    /// <summary>Length, duration, deadhead %, streets covered %, unreachable pieces, hot-spot visits, as JSON.</summary>
    public required string ReportJson { get; set; }
    /// <summary>The route as a GPX 1.1 file (a track and a waypoint per stop), ready for the officers' phones.</summary>
    public required byte[] Gpx { get; set; }
}
