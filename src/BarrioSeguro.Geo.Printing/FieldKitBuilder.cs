using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.FieldKits;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Printing;

/// <summary>Turns a loaded <see cref="FieldKitInput"/> into what the renderer prints: geometries in metres (the
/// neighbourhood's UTM zone), labels, figures with their units and texts in the reader's language.</summary>
public static class FieldKitBuilder
{
    /// <param name="gpxOrigin">Where the service answers (e.g. http://127.0.0.1:5080): the QR codes point at its GPX routes.</param>
    /// <param name="printedAt">When the kit is printed; shown as the date in Peru.</param>
    public static FieldKit Build(FieldKitInput input, FieldKitText text, string gpxOrigin, DateTimeOffset printedAt)
    {
        var utm = Crs.UtmZoneFor(input.Boundary);
        var sectors = input.Sectors
            .Select(s => new SectorShape(s.Sector, SectorLabel.Of(s.Sector), Crs.Transform<Geometry>(s.Shape, Crs.Wgs84, utm))).ToList();
        var streets = input.Streets
            .SelectMany(g => Enumerable.Range(0, g.NumGeometries).Select(i => (LineString)g.GetGeometryN(i)))
            .Select(l => Crs.Transform(l, Crs.Wgs84, utm)).ToList();
        var cover = new FieldKitCover(
            input.Neighborhood, input.PlanName, input.Shift, text.Date(printedAt.ToOffset(LimaTime.Offset)),
            input.Report.Staffing?.Explanation.Select(text.Note).ToList() ?? [], sectors,
            [
                (text.MaxDeviation, $"{text.Number(input.MaxDeviationPct, 1)} %"),
                (text.Contiguity, input.Contiguous ? text.Yes : text.No),
                (text.PolsbyPopper, text.Number(input.MeanPolsbyPopper, 2)),
                (text.Sectors, sectors.Count.ToString(text.Culture)),
            ],
            input.Report.Notes.Select(text.Note).ToList());
        var origin = gpxOrigin.TrimEnd('/');
        var sheets = input.Sectors.Zip(sectors, (s, shape) => new SectorSheet(shape, sectors.Where(o => o.Index != shape.Index).ToList(),
            s.Route is { } r ? Route(r, utm, text, origin) : null)).ToList();
        return new FieldKit(cover, sheets, streets, text);
    }

    private static SheetRoute Route(FieldKitRoute r, int utm, FieldKitText text, string origin)
    {
        var report = r.Report;
        var stops = new List<RouteStopMark>();
        for (var i = 0; i < r.Stops.NumGeometries; i++)
        {
            var p = Crs.Transform(r.Stops.GetGeometryN(i), Crs.Wgs84, utm).Coordinate;
            var s = i < report.Stops.Count ? report.Stops[i] : null;
            stops.Add(new RouteStopMark(i + 1, s?.Name ?? "", p, $"{s?.Arrive ?? "–"} · {s?.Minutes ?? 0} {text.Minutes}"));
        }
        return new SheetRoute(
            Crs.Transform(r.Track, Crs.Wgs84, utm), stops,
            [
                (text.Length, $"{text.Number(report.LengthKm, 1)} km"),
                (text.Duration, $"{text.Number(report.DurationMin, 0)} min ({FieldKitText.Clock(report.DurationMin)} h)"),
                (text.Deadhead, $"{text.Number(report.DeadheadPct, 1)} %"),
                (text.StreetsCovered, $"{text.Number(report.StreetsCoveredPct, 1)} %"),
                (text.Stops, stops.Count.ToString(text.Culture)),
            ],
            report.Notes.Select(text.Note).ToList(), $"{origin}/api/routes/{r.Id}/gpx");
    }
}
