using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.FieldKits;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Printing;

/// <summary>Turns a loaded <see cref="FieldKitInput"/> into what the renderer prints: geometries in metres (the
/// neighbourhood's UTM zone), labels, figures with their units and texts in the reader's language.</summary>
public static class FieldKitBuilder
{
    /// <param name="publicBase">Where officers reach the service from the field: the QR codes and links point there.
    /// Null: the kit has no QR code nor link, and says so (the GPX attached inside the PDF still works).</param>
    /// <param name="printedAt">When the kit is printed; shown as the date and clock time in Lima.</param>
    public static FieldKit Build(FieldKitInput input, FieldKitText text, PublicBaseUrl? publicBase, DateTimeOffset printedAt)
    {
        var utm = Crs.UtmZoneFor(input.Boundary);
        var sectors = input.Sectors
            .Select(s => new SectorShape(s.Sector, SectorLabel.Of(s.Sector), Crs.Transform<Geometry>(s.Shape, Crs.Wgs84, utm))).ToList();
        var named = input.Streets
            .SelectMany(g => Enumerable.Range(0, g.Geometry.NumGeometries)
                .Select(i => (g.Name, Line: Crs.Transform((LineString)g.Geometry.GetGeometryN(i), Crs.Wgs84, utm))))
            .ToList();
        var lima = printedAt.ToOffset(LimaTime.Offset);
        var cover = new FieldKitCover(
            input.Neighborhood, input.PlanName, input.Shift, text.DateAndClock(lima),
            Staffing(input.Report.Staffing, text), sectors,
            [
                (text.MaxDeviation, $"{text.Number(input.MaxDeviationPct, 1)} %"),
                (text.Contiguity, input.Contiguous ? text.Yes : text.No),
                (text.PolsbyPopper, text.Number(input.MeanPolsbyPopper, 2)),
                (text.Sectors, sectors.Count.ToString(text.Culture)),
            ],
            Notes(input.Report.Notes, text));
        var streets = new StreetIndex(named);
        var sheets = input.Sectors.Zip(sectors, (s, shape) => new SectorSheet(shape, sectors.Where(o => o.Index != shape.Index).ToList(),
            s.Route is { } r ? Route(r, shape.Label, input.Shift, utm, text, publicBase, streets, lima) : null)).ToList();
        return new FieldKit(cover, sheets, named.Select(n => n.Line).ToList(), text, publicBase is null ? text.NoPublicAddress : null)
        {
            Calendar = Calendar(input.Cycles, text),
        };
    }

    /// <summary>
    /// The cycle calendar of the sectors' cycles: a row per day, a column per shift (in the order the cycle walks them),
    /// in each cell a line per sector; above it, per sector, how many shifts a full pass takes per mode and whether the
    /// cycle covers it. Null when no sector has a cycle.
    /// </summary>
    public static CalendarSheet? Calendar(IReadOnlyList<SectorCycleReport> cycles, FieldKitText text)
    {
        if (cycles.Count == 0) return null;
        var entries = cycles.SelectMany(c => c.Calendar.Select(e => (Cycle: c, Entry: e))).ToList();
        var shifts = entries.OrderBy(x => x.Entry.Day).Select(x => x.Entry.Shift).Distinct().ToList();
        var days = entries.Count == 0 ? 0 : entries.Max(x => x.Entry.Day);
        var summary = new List<string>();
        foreach (var c in cycles)
        {
            var mode = text.ModeName(c.Mode);
            var passes = string.Join(", ", c.ShiftsForFullPass.Select(p =>
                (object?)p.Shifts is int n ? text.Format(n == 1 ? text.PassOnePattern : text.PassPattern, n, text.ModeName(p.Mode)) : text.Format(text.NoPassPattern, text.ModeName(p.Mode))));
            var cover = c.CoveredInCycle
                ? text.Format(text.CycleCoveredPattern, text.Number(c.CoveredPct, 0), text.Number(c.ReachableKm, 1), text.Number(c.DeadheadPct, 0))
                : text.Format(text.CycleNotCoveredPattern, text.Number(c.CoveredPct, 0), text.Number(c.ReachableKm, 1));
            summary.Add($"{text.Format(text.CyclePassPattern, c.Sector, mode, passes)}; {cover}.");
            summary.AddRange(Notes(c.Notes, text).Select(n => $"{c.Sector}: {n}"));
        }
        summary.Add(text.CalendarLegend);
        var rows = Enumerable.Range(1, days).Select(day => new CalendarRow(
            text.Format(text.DayPattern, day),
            shifts.Select(shift => (IReadOnlyList<string>)entries
                .Where(x => x.Entry.Day == day && x.Entry.Shift == shift)
                .Select(x => text.Format(text.CalendarCellPattern, x.Cycle.Sector, text.Number(x.Entry.LengthKm, 1),
                    text.Number(x.Entry.NewStreetsKm, 1), text.Number(x.Entry.CoveredPct, 0)))
                .ToList()).ToList())).ToList();
        return new CalendarSheet(text.Format(text.CalendarTitlePattern, text.Calendar, days, shifts.Count), summary, shifts, rows);
    }

    /// <summary>The one place notes become printed lines: codes with parameters said in the kit's language through notes.json.</summary>
    public static IReadOnlyList<string> Notes(IReadOnlyList<Note> notes, FieldKitText text) => notes.Select(text.Note).ToList();

    /// <summary>The staffing in the kit's language: the per-shift figures (officers on duty, units), then the arithmetic's notes.</summary>
    public static IReadOnlyList<string> Staffing(StaffingReport? staffing, FieldKitText text)
    {
        if (staffing is null) return [];
        var lines = staffing.PerShift
            .Select(s => text.StaffingLine(s.Shift, s.OfficersOnDuty, s.Units)).ToList();
        lines.Add(text.SectorsPerShiftLine(staffing.SectorsPerShift));
        lines.AddRange(Notes(staffing.Explanation, text));
        return lines;
    }

    private static SheetRoute Route(
        FieldKitRoute r, string label, string shift, int utm, FieldKitText text, PublicBaseUrl? publicBase, StreetIndex streets, DateTimeOffset printedAt)
    {
        var report = r.Report;
        var stops = new List<RouteStopMark>();
        for (var i = 0; i < r.Stops.NumGeometries; i++)
        {
            var p = Crs.Transform(r.Stops.GetGeometryN(i), Crs.Wgs84, utm).Coordinate;
            var s = i < report.Stops.Count ? report.Stops[i] : null;
            stops.Add(new RouteStopMark(i + 1, s?.Name ?? "", p, $"{s?.Arrive ?? "–"} · {s?.Minutes ?? 0} {text.Minutes}"));
        }
        var track = Crs.Transform(r.Track, Crs.Wgs84, utm);
        var file = $"ruta_{label}_{Ascii(shift)}_{r.Id}.gpx";
        return new SheetRoute(
            track, stops,
            [
                (text.Mode, text.ModeName(report.Mode)),
                (text.Length, $"{text.Number(report.LengthKm, 1)} km"),
                (text.Duration, $"{text.Number(report.DurationMin, 0)} min ({FieldKitText.Clock(report.DurationMin)} h)"),
                .. (report.PatrolMinutes > 0
                    ? [(text.PatrolTime, $"{text.Number(report.PatrolMinutes, 0)} min ({FieldKitText.Clock(report.PatrolMinutes)} h)")]
                    : Array.Empty<(string, string)>()),
                (text.Deadhead, $"{text.Number(report.DeadheadPct, 1)} %"),
                (text.StreetsCovered, $"{text.Number(report.StreetsCoveredPct, 1)} %"),
                (text.Stops, stops.Count.ToString(text.Culture)),
            ],
            Notes(report.Notes, text), publicBase?.Of($"/api/routes/{r.Id}/gpx"),
            r.Gpx.Length == 0 ? null : new PdfAttachment(file, r.Gpx, "application/gpx+xml", $"{report.Name} (GPX)", printedAt))
        {
            Legs = StreetLegs.Of(track, streets).Select(l => text.Leg(l)).ToList(),
            RulesMissed = report.RulesMissed.Select(m => text.Format(text.RuleMissPattern, text.RuleName(m.Kept), text.RuleName(m.Missed),
                m.HotspotId is null ? "" : $" ({report.Hotspots.FirstOrDefault(h => h.HotspotId == m.HotspotId)?.Name ?? m.HotspotId})",
                text.Number(m.OverMinutes, 0), text.Number(m.ActualMinutes, 0), text.Number(m.LimitMinutes, 0))).ToList(),
        };
    }

    /// <summary>"mañana" as "manana": a file name every phone and mail program keeps as it is.</summary>
    internal static string Ascii(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        }
        return sb.ToString();
    }
}
