using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Planning.FieldKits;

/// <summary>
/// What the printed field kit of a kept plan is made from, as loaded (geometries in WGS84 lon/lat, as stored): the plan
/// and its figures, its typed report, its sectors with the newest kept route of each for the shift, and the streets
/// around the neighbourhood with their names. Data loads it; Printing turns it into pages. Nothing here is computed.
/// </summary>
/// <param name="Boundary">The neighbourhood's boundary: it picks the UTM zone the kit is drawn in.</param>
/// <param name="Shift">The shift code whose kept routes are in <paramref name="Sectors"/>.</param>
public sealed record FieldKitInput(
    string Neighborhood, Geometry Boundary, string PlanName, string Shift,
    double MaxDeviationPct, bool Contiguous, double MeanPolsbyPopper, SectorPlanReport Report,
    IReadOnlyList<FieldKitSector> Sectors, IReadOnlyList<FieldKitStreet> Streets)
{
    /// <summary>The coverage cycle of each sector that has one, kept with its route (day × shift → route): the calendar page.</summary>
    public IReadOnlyList<SectorCycleReport> Cycles { get; init; } = [];
}

/// <summary>A street around the neighbourhood: its name (null when unnamed) and centreline.</summary>
public sealed record FieldKitStreet(string? Name, MultiLineString Geometry);

/// <summary>A sector of the plan (0-based) and its newest kept route for the shift, if any.</summary>
public sealed record FieldKitSector(int Sector, Geometry Shape, FieldKitRoute? Route);

/// <summary>A kept route: its id (the GPX address), track, timed stops in order, its typed report and the kept GPX file.</summary>
public sealed record FieldKitRoute(int Id, LineString Track, MultiPoint Stops, RouteReport Report, byte[] Gpx);
