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

/// <summary>The patrol route of one sector of a kept plan for one shift: the track, the stops, figures and the GPX file.</summary>
public sealed class PlanRoute
{
    public int Id { get; set; }
    public int PlanId { get; set; }
    public int Sector { get; set; }
    public required string Shift { get; set; }
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
