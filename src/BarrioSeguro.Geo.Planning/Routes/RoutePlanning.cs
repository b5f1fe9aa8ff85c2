using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Incidents;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Planning.Routes;

/// <summary>A sector to plan a route for (lon/lat): its label ("S1"), polygon, hot spots and, optionally, a start point.</summary>
/// <param name="Number">The sector number of a kept plan (0-based), when there is one.</param>
/// <param name="Incidents">Incidents (lon/lat) that weigh the streets near them for preventive patrol; none: all streets weigh the same.</param>
public sealed record RouteSector(
    string Label, Geometry Polygon, IReadOnlyList<(string Name, Point Place)> Hotspots, (string Name, Point Place)? Start = null, int? Number = null,
    IReadOnlyList<Point>? Incidents = null);

/// <summary>The shift the routes are for.</summary>
/// <param name="Shift">The shift code (see <see cref="Shifts"/>), as route names carry it.</param>
/// <param name="ShiftStart">When the shift starts; <see cref="DefaultStart"/> by default, so a seed always gives the same file.</param>
/// <param name="Seed">Varies ties, the Euler circuit and stop lengths, not the cost; sector n (0-based) plans with Seed + n.</param>
public sealed record RouteShift(
    double ShiftHours, string Shift, DateTimeOffset ShiftStart, (int Min, int Max) StopMinutes, double MaxIntervalHours, int Seed)
{
    public static DateTimeOffset DefaultStart { get; } = LimaTime.At(new DateOnly(2025, 1, 1), new TimeOnly(6, 0));

    /// <summary>The break within the shift, minutes (default 30): not patrol time.</summary>
    public double BreakMinutes { get; init; } = 30;

    /// <summary>The hand-over at the start and the end of the shift, minutes in all (default 15): not patrol time.</summary>
    public double HandoverMinutes { get; init; } = 15;

    /// <summary>Days of the coverage cycle (default 7: a week).</summary>
    public int CycleDays { get; init; } = 7;

    /// <summary>The shift codes of a day of the cycle (default: the contingent's, else mañana, tarde, noche).</summary>
    public IReadOnlyList<string>? CycleShifts { get; init; }

    /// <summary>The minutes the crew patrols: the shift minus the break and the hand-over.</summary>
    public double PatrolMinutes => ShiftHours * 60 - BreakMinutes - HandoverMinutes;

    public static RouteShift Default(double shiftHours, string? shift, int seed) =>
        new(shiftHours, string.IsNullOrWhiteSpace(shift) ? Shifts.DefaultCode : Shifts.Code(shift), DefaultStart, (10, 15), 2, seed);
}

/// <summary>A planned route with its report, and its sector's coverage cycle.</summary>
public sealed record PlannedRoute(RouteSector Sector, SectorRoute Route, RouteReport Report)
{
    /// <summary>The sector's whole cycle (a route per shift of the calendar); the kept route is its first shift of the asked shift code.</summary>
    public SectorCycle? Cycle { get; init; }

    /// <summary>Every calendar entry's route with its report, in the calendar's order (the asked shift's day 1 among them).</summary>
    public IReadOnlyList<CalendarRoute> Entries { get; init; } = [];
}

/// <summary>The route of one calendar entry (day × shift of the cycle) with its report.</summary>
public sealed record CalendarRoute(int Day, string Shift, SectorRoute Route, RouteReport Report);

/// <summary>The routes of a shift, the sectors skipped, and the report.</summary>
public sealed record RoutesOutcome(IReadOnlyList<PlannedRoute> Routes, RoutesReport Report);

/// <summary>Patrol routes, the same way for the CLI and the service: one route per sector of the graph's streets.</summary>
public static class RoutePlanning
{
    /// <summary>Hot spots of a sector from the incidents in it: the densest places (at least two incidents), named in Spanish.</summary>
    public static List<(string Name, Point Place)> HotspotsFrom(IReadOnlyList<Point> incidents, Geometry sector, int count) =>
        HotSpots.Densest(incidents.Where(sector.Covers).ToList(), count)
            .Select((h, i) => ($"Punto caliente {i + 1} ({h.Incidents} incidentes a 150 m)", h.Place)).ToList();

    /// <summary>
    /// Plans one route per sector for the shift, within its patrol time, and each sector's coverage cycle (the calendar
    /// of <see cref="RouteShift.CycleDays"/> × <see cref="RouteShift.CycleShifts"/>). A sector without a street of the
    /// mode is skipped and named.
    /// </summary>
    /// <param name="passModes">Graphs of other travel modes: the cycle says how many shifts a full pass takes in each.</param>
    /// <exception cref="ArgumentException">Shift hours, break, hand-over or cycle days out of range.</exception>
    public static RoutesOutcome Plan(
        StreetGraph graph, IReadOnlyList<RouteSector> sectors, RouteShift shift, IEnumerable<Note>? notes = null, IReadOnlyList<StreetGraph>? passModes = null)
    {
        if (!(shift.ShiftHours > 0) || shift.ShiftHours > 24) throw new ArgumentException("shiftHours must be more than 0 and at most 24.");
        if (!(shift.BreakMinutes >= 0) || !(shift.HandoverMinutes >= 0))
            throw new ArgumentException("breakMinutes and handoverMinutes must be 0 or more.");
        if (!(shift.PatrolMinutes > 0))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"breakMinutes ({shift.BreakMinutes:0}) and handoverMinutes ({shift.HandoverMinutes:0}) leave no patrol time in a {shift.ShiftHours * 60:0} min shift."));
        if (shift.CycleDays is < 1 or > MaxCycleDays) throw new ArgumentException($"cycleDays must be from 1 to {MaxCycleDays}, not {shift.CycleDays}.");
        var clock = Stopwatch.StartNew();
        var planned = new List<PlannedRoute>();
        var skipped = new List<SkippedSector>();
        var allNotes = new List<Note>(notes ?? []);
        var mode = graph.Mode.Name();
        var cycleShifts = CycleShiftsOf(shift);
        var asked = cycleShifts.IndexOf(shift.Shift);
        var cycleSectors = new List<SectorCycleReport>();
        for (var index = 0; index < sectors.Count; index++)
        {
            var sector = sectors[index];
            var options = new RouteOptions
            {
                Name = RouteName.Of(sector.Label, shift.Shift),
                ShiftHours = shift.ShiftHours,
                ShiftStart = shift.ShiftStart,
                StopMinutes = shift.StopMinutes,
                MaxIntervalHours = shift.MaxIntervalHours,
                BreakMinutes = shift.BreakMinutes,
                HandoverMinutes = shift.HandoverMinutes,
                Seed = shift.Seed + (sector.Number ?? index),
            };
            var slots = Slots(sector.Label, shift, cycleShifts, asked);
            try
            {
                var cycle = SectorRouting.PlanCycle(graph, sector.Polygon, sector.Label, sector.Hotspots, options, slots, sector.Start?.Place, sector.Incidents);
                var passes = new List<PassReport> { new(mode, cycle.Cycle.ShiftsForFullPass, Math.Round(cycle.Cycle.FewestPassMinutes, 1)) };
                foreach (var other in passModes ?? [])
                {
                    if (other.Mode == graph.Mode) continue;
                    try
                    {
                        var (n, minutes) = SectorRouting.FewestShifts(other, sector.Polygon, sector.Label, sector.Hotspots, options, sector.Start?.Place);
                        passes.Add(new PassReport(other.Mode.Name(), n, Math.Round(minutes, 1)));
                    }
                    catch (ArgumentException)
                    {
                        passes.Add(new PassReport(other.Mode.Name(), null, 0)); // no street of that mode in the sector
                    }
                }
                var cycleReport = CycleReportOf(cycle, mode, passes);
                cycleSectors.Add(cycleReport);
                var entries = cycle.Cycle.Routes.Select((r, slot) =>
                {
                    var entry = cycle.RouteOf(slot);
                    return new CalendarRoute(r.Slot.Day, r.Slot.Shift, entry,
                        ReportOf(entry, sector.Label, r.Slot.Shift, mode, sector.Start?.Name) with { Cycle = cycleReport, Day = r.Slot.Day });
                }).ToList();
                planned.Add(new PlannedRoute(sector, entries[asked].Route, entries[asked].Report)
                {
                    Cycle = cycle,
                    Entries = entries,
                });
            }
            catch (ArgumentException e)
            {
                var reason = e.Message.Split(" (Parameter")[0].ReplaceLineEndings(" ");
                skipped.Add(new SkippedSector(sector.Label, reason));
                allNotes.Add(e is SectorWithoutStreetsException none
                    ? Note.Of("route.sector_no_street", ("sector", none.Sector))
                    : Note.Of("route.sector_skipped", ("reason", reason.TrimEnd('.'))));
                skipped[^1] = skipped[^1] with { Note = allNotes[^1] };
            }
        }
        var report = new RoutesReport(mode, shift.Shift, shift.ShiftHours, LimaTime.Stamp(shift.ShiftStart), [shift.StopMinutes.Min, shift.StopMinutes.Max],
            shift.MaxIntervalHours, shift.Seed, planned.Select(p => p.Report).ToList(), skipped, NetworkReport.Of(graph), allNotes,
            Math.Round(clock.Elapsed.TotalMilliseconds, 1))
        {
            PatrolMinutes = shift.PatrolMinutes, BreakMinutes = shift.BreakMinutes, HandoverMinutes = shift.HandoverMinutes,
            Cycle = new CycleReport(shift.CycleDays, cycleShifts, shift.CycleDays * cycleShifts.Count, cycleSectors),
        };
        return new RoutesOutcome(planned, report);
    }

    /// <summary>The longest cycle the planner takes: four weeks.</summary>
    public const int MaxCycleDays = 28;

    /// <summary>The shift codes of a day of the cycle: as asked, else mañana, tarde, noche; the asked shift always among them.</summary>
    public static List<string> CycleShiftsOf(RouteShift shift)
    {
        var codes = (shift.CycleShifts is { Count: > 0 } given ? given.Select(Shifts.Code) : Shifts.Of(3).Select(s => s.Code))
            .Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (!codes.Contains(shift.Shift)) codes.Insert(0, shift.Shift);
        return codes;
    }

    /// <summary>Day by day, shift by shift; the asked shift starts at the asked time, the others follow it shift after shift.</summary>
    private static List<CycleSlot> Slots(string label, RouteShift shift, List<string> codes, int asked)
    {
        var slots = new List<CycleSlot>();
        for (var day = 1; day <= shift.CycleDays; day++)
            for (var k = 0; k < codes.Count; k++)
            {
                var start = shift.ShiftStart.AddDays(day - 1).AddHours((k - asked) * shift.ShiftHours);
                var name = day == 1 && k == asked ? RouteName.Of(label, codes[k]) : $"{RouteName.Of(label, codes[k])} · día {day}";
                slots.Add(new CycleSlot(day, codes[k], name, start));
            }
        return slots;
    }

    /// <summary>The cycle of one sector as reported: passes per mode, covered or not, the calendar.</summary>
    public static SectorCycleReport CycleReportOf(SectorCycle s, string mode, IReadOnlyList<PassReport> passes)
    {
        var c = s.Cycle;
        var calendar = c.Routes.Select(r => new CalendarEntry(r.Slot.Day, r.Slot.Shift, r.Route.Name, Math.Round(r.Route.Figures.LengthKm, 3),
            Math.Round(r.Route.Figures.DurationMin, 1), Math.Round(r.NewStreetsMeters / 1000, 3), Math.Round(r.CoveredPct, 2))).ToList();
        var walked = c.Routes.Sum(r => r.Route.Figures.LengthKm);
        return new SectorCycleReport(s.Sector, mode, Math.Round(c.StreetsMeters / 1000, 3), Math.Round(c.ReachableMeters / 1000, 3), passes,
            c.Covered ? c.ShiftsUsed : c.Routes.Count, c.Covered, Math.Round(c.ReachableMeters > 0 ? 100 * c.CoveredMeters / c.ReachableMeters : 100, 2),
            Math.Round(c.DeadheadMeters / 1000, 3), Math.Round(c.PassMeters > 0 ? 100 * c.DeadheadMeters / c.PassMeters : 0, 2), calendar,
            c.Notes.ToList());
    }

    /// <summary>The notes of the tour and the route, once each.</summary>
    public static IEnumerable<Note> NotesOf(SectorRoute r) => r.Notes.Concat(r.Route.Notes).Distinct();

    /// <summary>The report of one route; positions in lon/lat, times in Lima.</summary>
    public static RouteReport ReportOf(SectorRoute r, string label, string shift, string mode, string? startName)
    {
        var route = r.Route;
        var f = route.Figures;
        (double Lon, double Lat) LonLat(Coordinate c) =>
            route.Epsg == Crs.Wgs84 ? (c.X, c.Y) : Crs.Transform(c.X, c.Y, route.Epsg, Crs.Wgs84);
        RouteStart? start = null;
        if (route.Track.Count > 0)
        {
            var (lon, lat) = LonLat(route.Track[0].Position);
            start = new RouteStart(startName ?? "centre of the sector", Math.Round(lon, 7), Math.Round(lat, 7));
        }
        var stops = route.Stops.Select((s, i) =>
        {
            var (lon, lat) = LonLat(s.Position);
            return new StopReport(i + 1, s.HotspotId, s.Name, Math.Round(lon, 7), Math.Round(lat, 7), LimaTime.Clock(route.Start, s.ArriveSeconds / 60),
                Math.Round(s.ArriveSeconds / 60, 1), s.Minutes, s.Detour);
        }).ToList();
        return new RouteReport(
            label, route.Name, shift, mode, start, Math.Round(f.LengthKm, 3), Math.Round(f.DurationMin, 1), Math.Round(f.DeadheadPct, 2),
            Math.Round(f.StreetsCoveredPct, 2), f.Rounds, r.Tour.Optimal, stops, Math.Round(r.Unreachable.Sum(u => u.LengthMeters) / 1000, 3),
            r.Unreachable.Select(u => new UnreachableReport(u.Name, Math.Round(u.LengthMeters, 1), Math.Round(u.Place.X, 7), Math.Round(u.Place.Y, 7))).ToList(),
            f.Hotspots.Select(v => new HotspotReport(v.HotspotId, v.Name, v.VisitMinutes.Select(m => LimaTime.Clock(route.Start, m)).ToList(),
                v.VisitMinutes.Select(m => Math.Round(m, 1)).ToList(), v.IntervalMinutes.Select(m => Math.Round(m, 1)).ToList(),
                Math.Round(v.MaxIntervalMinutes, 1), v.WithinLimit)).ToList(),
            NotesOf(r).ToList())
        {
            PatrolMinutes = route.PatrolMinutes,
            NewStreetsKm = Math.Round(route.NewStreetsMeters / 1000, 3),
            RulesMissed = route.RulesMissed.Select(m => new RuleMissReport(m.Kept, m.Missed, m.HotspotId, Math.Round(m.LimitMinutes, 1),
                Math.Round(m.ActualMinutes, 1), Math.Round(m.OverMinutes, 1))).ToList(),
        };
    }

    /// <summary>The route's track and stops in lon/lat (2D), as kept and drawn.</summary>
    public static (LineString Track, MultiPoint Stops) LonLatOf(PatrolRoute route)
    {
        var factory = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        Coordinate At(Coordinate c)
        {
            var (x, y) = route.Epsg == Crs.Wgs84 ? (c.X, c.Y) : Crs.Transform(c.X, c.Y, route.Epsg, Crs.Wgs84);
            return new Coordinate(x, y);
        }
        var track = route.Track.Select(p => At(p.Position)).ToArray();
        var line = factory.CreateLineString(track.Length >= 2 ? track : track.Length == 1 ? [track[0], track[0]] : []);
        return (line, factory.CreateMultiPoint(route.Stops.Select(s => factory.CreatePoint(At(s.Position))).ToArray()));
    }
}
