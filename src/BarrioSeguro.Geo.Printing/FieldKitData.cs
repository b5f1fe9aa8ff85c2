using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Printing;

// Plain data for the printed field kit: geometries already in metres (UTM), texts already in the reader's language.
// The renderer knows nothing of the database or HTTP; whoever gathers the data knows nothing of drawing.

/// <summary>Everything a field kit prints: a cover and one sheet per sector.</summary>
public sealed record FieldKit(FieldKitCover Cover, IReadOnlyList<SectorSheet> Sheets, IReadOnlyList<LineString> Streets, FieldKitText Text);

/// <summary>The cover: who, what, when, and every sector on one small map.</summary>
/// <param name="Figures">Label and value pairs of the plan's figures, formatted.</param>
public sealed record FieldKitCover(
    string Neighborhood, string PlanName, string Shift, string Date, IReadOnlyList<string> Staffing,
    IReadOnlyList<SectorShape> Sectors, IReadOnlyList<(string Label, string Value)> Figures, IReadOnlyList<string> Notes);

/// <summary>A sector polygon in metres; <paramref name="Index"/> is 0-based and picks its colour.</summary>
public sealed record SectorShape(int Index, string Label, Geometry Shape);

/// <summary>A sector's page: its shape, its route if one is kept for the shift.</summary>
public sealed record SectorSheet(SectorShape Sector, IReadOnlyList<SectorShape> Neighbours, SheetRoute? Route);

/// <summary>A kept route as printed: track and stops in metres, figures formatted, and where its GPX is.</summary>
public sealed record SheetRoute(
    LineString Track, IReadOnlyList<RouteStopMark> Stops, IReadOnlyList<(string Label, string Value)> Figures,
    IReadOnlyList<string> Notes, string GpxUrl);

/// <summary>A timed stop at a hot spot: its number along the route, the hot spot's name and when to be there.</summary>
public sealed record RouteStopMark(int Number, string Name, Coordinate Place, string Arrive);
