using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Printing;

// Plain data for the printed field kit: geometries already in metres (UTM), texts already in the reader's language.
// The renderer knows nothing of the database or HTTP; whoever gathers the data knows nothing of drawing.

/// <summary>Everything a field kit prints: a cover, one sheet per sector and the cycle calendar, if the plan has one.</summary>
/// <param name="LinkNote">Why the kit has no QR codes and links (no public address set); null when it has them.</param>
public sealed record FieldKit(
    FieldKitCover Cover, IReadOnlyList<SectorSheet> Sheets, IReadOnlyList<LineString> Streets, FieldKitText Text, string? LinkNote = null)
{
    /// <summary>The cycle calendar, printed on its own page(s) after the sectors; null when the plan has none.</summary>
    public CalendarSheet? Calendar { get; init; }
}

/// <summary>The cover: who, what, when, and every sector on one small map.</summary>
/// <param name="Figures">Label and value pairs of the plan's figures, formatted.</param>
/// <param name="Staffing">The staffing (Dotación) in the kit's language, a line each.</param>
public sealed record FieldKitCover(
    string Neighborhood, string PlanName, string Shift, string Date, IReadOnlyList<string> Staffing,
    IReadOnlyList<SectorShape> Sectors, IReadOnlyList<(string Label, string Value)> Figures, IReadOnlyList<string> Notes);

/// <summary>A sector polygon in metres; <paramref name="Index"/> is 0-based and picks its colour.</summary>
public sealed record SectorShape(int Index, string Label, Geometry Shape);

/// <summary>A sector's page: its shape, its route if one is kept for the shift.</summary>
public sealed record SectorSheet(SectorShape Sector, IReadOnlyList<SectorShape> Neighbours, SheetRoute? Route);

/// <summary>A kept route as printed: track and stops in metres, figures formatted, the street-by-street list, and its GPX.</summary>
/// <param name="GpxUrl">Where the GPX is served, for the QR code; null when no public address is set.</param>
/// <param name="Gpx">The GPX file itself, attached inside the PDF; null when none was kept.</param>
public sealed record SheetRoute(
    LineString Track, IReadOnlyList<RouteStopMark> Stops, IReadOnlyList<(string Label, string Value)> Figures,
    IReadOnlyList<string> Notes, string? GpxUrl, PdfAttachment? Gpx = null)
{
    /// <summary>The route street by street, in order, each line formatted ("Jr. Los Álamos → Av. Pachacútec, 350 m").</summary>
    public IReadOnlyList<string> Legs { get; init; } = [];

    /// <summary>The rules the route could not keep together, a line each, in the kit's language.</summary>
    public IReadOnlyList<string> RulesMissed { get; init; } = [];
}

/// <summary>A timed stop at a hot spot: its number along the route, the hot spot's name and when to be there.</summary>
public sealed record RouteStopMark(int Number, string Name, Coordinate Place, string Arrive);

/// <summary>The cycle calendar as printed: a title, column heads (the shifts) and a row per day, each cell formatted.</summary>
public sealed record CalendarSheet(string Title, IReadOnlyList<string> Summary, IReadOnlyList<string> Columns, IReadOnlyList<CalendarRow> Rows);

/// <summary>A day of the cycle: its label and what each shift (column) walks, a line per sector.</summary>
public sealed record CalendarRow(string Day, IReadOnlyList<IReadOnlyList<string>> Cells);
