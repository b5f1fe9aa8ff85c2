using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.IO.Gpx;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Routes;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// <c>barrio routes --streets STREETS --sectors SECTORS [--hotspots HOTSPOTS] --mode foot|bike|moto|car --shift-hours H
/// --seed N --out ROUTES.gpx|.geojson --report REPORT.json</c>: one patrol route per sector with
/// <see cref="SectorRouting"/>, written as GPX 1.1 (<see cref="GpxWriter"/>) or GeoJSON (<see cref="RouteGeoJson"/>).
/// </summary>
public sealed class RoutesCommand : ICommand
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public string Name => "routes";

    public string Summary => "Patrol route per sector that fits the shift, hot-spot stops, a cycle that walks every street, GPX";

    public string Help => $"""
        Usage: barrio routes --streets STREETS --sectors SECTORS --mode foot|bike|moto|car --shift-hours H
                             --seed N --out ROUTES.gpx|ROUTES.geojson --report REPORT.json
                             [--hotspots HOTSPOTS] [--start START] [--shift-start HH:mm] [--date YYYY-MM-DD]
                             [--shift-name NAME] [--stop-minutes MIN-MAX] [--max-interval-hours H]
                             [--break-minutes M] [--handover-minutes M] [--cycle-days D]
                             [--cycle-shifts A,B,C] [--incidents INCIDENTS] [--non-lines skip|refuse]

        Builds the street graph of the mode (as barrio coverage does: one-way streets bind bike, moto and car,
        not walkers) and plans one route per sector that fits the patrol time (the shift minus the break and
        the hand-over): it starts and ends at the start point, stops --stop-minutes at each hot spot of the
        sector at least every --max-interval-hours (at seeded, varied times), and patrols the rest of the
        time along the streets of highest priority (incidents near them, not walked for longest in the
        cycle). The coverage cycle (--cycle-days × --cycle-shifts) spreads the sector's own streets (those
        whose middle lies in it) over its shifts along the postman tour, so that each reachable street is
        walked at least once; the report's cycle says how many shifts a full pass takes on foot and by bike,
        and flags a sector the cycle cannot cover. Pieces of a sector's streets that no closed walk on the
        network can reach, or too far to reach and come back within one shift, are listed with their length
        and place, never silently dropped. When a hot spot is too far for the interval, the patrol time is
        kept and the route says by how much the interval is missed.

        Options:
          --streets FILE          street lines with OSM attributes (highway, oneway, junction, layer, name)
          --sectors FILE          polygons, one route per sector: attribute name (or nombre), else sector as
                                  barrio sectorize writes it (0-based, routes named S1, S2, ...); features of
                                  the same sector are merged
          --hotspots FILE         points, optional attribute name (or nombre); each goes to the sector that
                                  contains it
          --start FILE            points (e.g. the comisaría): each sector starts from the nearest one.
                                  Default: the street node nearest each sector's centre
          --mode MODE             foot, bike, moto or car
          --shift-hours H         length of the shift, more than 0 and at most 24
          --shift-start HH:mm     when the shift starts, Lima time. Default: 06:00
          --date YYYY-MM-DD       the day of the shift, for the GPX times. Default: 2025-01-01, so the same
                                  input and seed always give the same file
          --shift-name NAME       route names are "Sector S1 · turno NAME". Default: mañana
          --stop-minutes MIN-MAX  stop length at a hot spot, whole minutes. Default: 10-15
          --max-interval-hours H  each hot spot is visited at least this often. Default: 2
          --break-minutes M       the break within the shift, not patrol time. Default: 30
          --handover-minutes M    the hand-over (half at the start, half at the end), not patrol time.
                                  Default: 15
          --cycle-days D          days of the coverage cycle, 1 to {RoutePlanning.MaxCycleDays}. Default: 7
          --cycle-shifts A,B,C    the shift codes of a day of the cycle. Default: mañana,tarde,noche (the
                                  asked --shift-name is always one of them)
          --incidents FILE        points: each weighs the streets within 100 m for preventive patrol.
                                  Default: the hot spots
          --seed N                varies the walk, stop lengths and times (not the length of a round)
          --out FILE              .gpx (GPX 1.1: a track per route, a waypoint per stop) or .geojson
          --calendar-out DIR      also a GPX file per entry of each sector's cycle calendar (day × shift),
                                  named ruta_S1_dia3_tarde.gpx, in DIR (made if missing)
          --report FILE           JSON, the service's route report per route: sector, name, shift, start,
                                  lengthKm, durationMin, deadheadPct, streetsCoveredPct, rounds, stops[]
                                  (number, name, lon, lat, arrive in Lima time, minutes), unreachable
                                  (name, lengthM, lon, lat), hotspots (visits in Lima time, intervals),
                                  rulesMissed; patrolMinutes, breakMinutes, handoverMinutes; cycle (days,
                                  shifts, per sector: shiftsForFullPass per mode, coveredInCycle, calendar
                                  of day × shift → route); sectors skipped; notes
        {StreetInput.Help(26)}

        Example: barrio routes --streets calles.geojson --sectors sectores.geojson --hotspots puntos.geojson \
                   --mode foot --shift-hours 8 --seed 1 --out rutas.gpx --report rutas.json
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--streets", "--sectors", "--hotspots", "--start", "--mode", "--shift-hours",
            "--shift-start", "--date", "--shift-name", "--stop-minutes", "--max-interval-hours", "--seed", "--out", "--report",
            "--calendar-out", "--break-minutes", "--handover-minutes", "--cycle-days", "--cycle-shifts", "--incidents", StreetInput.Option);
        parsed.NoPositionals();
        var streetsPath = parsed.Required("--streets", "FILE");
        var sectorsPath = parsed.Required("--sectors", "FILE");
        var hoursText = parsed.Required("--shift-hours", "H");
        var seedText = parsed.Required("--seed", "N");
        var output = parsed.Required("--out", "FILE");
        var reportPath = parsed.Required("--report", "FILE");

        var mode = parsed.Mode();
        if (!double.TryParse(hoursText, NumberStyles.Float, Ci, out var shiftHours) || !(shiftHours > 0) || shiftHours > 24)
            throw new UsageException($"--shift-hours must be a length in hours more than 0 and at most 24, not '{hoursText}'");
        if (!int.TryParse(seedText, NumberStyles.Integer, Ci, out var seed))
            throw new UsageException($"--seed must be a whole number, not '{seedText}'");
        var shiftStartText = parsed.Option("--shift-start") ?? "06:00";
        if (!TimeOnly.TryParseExact(shiftStartText, ["H:mm", "HH:mm"], Ci, DateTimeStyles.None, out var shiftClock))
            throw new UsageException($"--shift-start must be a time HH:mm (Lima), not '{shiftStartText}'");
        var dateText = parsed.Option("--date") ?? "2025-01-01";
        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", Ci, DateTimeStyles.None, out var date))
            throw new UsageException($"--date must be a day YYYY-MM-DD, not '{dateText}'");
        var shiftName = Shifts.Code(parsed.Option("--shift-name") ?? Shifts.DefaultCode);
        if (string.IsNullOrWhiteSpace(shiftName)) throw new UsageException("--shift-name must not be empty");
        var stopText = parsed.Option("--stop-minutes") ?? "10-15";
        var stopMinutes = StopRange(stopText);
        var intervalText = parsed.Option("--max-interval-hours") ?? "2";
        if (!double.TryParse(intervalText, NumberStyles.Float, Ci, out var maxInterval) || !(maxInterval > 0) || maxInterval > 24)
            throw new UsageException($"--max-interval-hours must be hours more than 0 and at most 24, not '{intervalText}'");
        var breakMinutes = Minutes(parsed, "--break-minutes", 30);
        var handoverMinutes = Minutes(parsed, "--handover-minutes", 15);
        if (shiftHours * 60 - breakMinutes - handoverMinutes <= 0)
            throw new UsageException(string.Create(Ci, $"--break-minutes ({breakMinutes:0}) and --handover-minutes ({handoverMinutes:0}) leave no patrol time in a {shiftHours * 60:0} min shift"));
        var cycleDaysText = parsed.Option("--cycle-days") ?? "7";
        if (!int.TryParse(cycleDaysText, NumberStyles.None, Ci, out var cycleDays) || cycleDays < 1 || cycleDays > RoutePlanning.MaxCycleDays)
            throw new UsageException($"--cycle-days must be whole days from 1 to {RoutePlanning.MaxCycleDays}, not '{cycleDaysText}'");
        var cycleShifts = parsed.Option("--cycle-shifts") is { } cs
            ? cs.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Shifts.Code).ToList()
            : null;
        if (cycleShifts is { Count: 0 }) throw new UsageException("--cycle-shifts must name at least one shift, e.g. mañana,tarde,noche");
        var extension = Path.GetExtension(output).ToLowerInvariant();
        var gpx = extension == ".gpx";
        if (!gpx && extension is not (".geojson" or ".json"))
            throw new UsageException($"--out must end in .gpx or .geojson, not '{Path.GetFileName(output)}'");

        var sw = Stopwatch.StartNew();
        var streets = StreetLines.Network(StreetInput.Read(streetsPath, parsed, context));
        var sectors = Sectors(sectorsPath);
        var notes = new List<Note>();
        var hotspots = parsed.Option("--hotspots") is { } h ? Points(h, "hot spots", "hot spot") : [];
        var starts = parsed.Option("--start") is { } s ? Points(s, "start", "start") : null;
        if (starts is { Count: 0 }) throw new CommandFailedException($"{Path.GetFileName(parsed.Option("--start"))}: no start point in the file");

        StreetGraph graph;
        try
        {
            graph = StreetGraph.Build(streets, mode);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException($"{Path.GetFileName(streetsPath)}: {Message(e)}", e);
        }

        // Hot spots: to the (first) sector that contains each, the others named in a note.
        var spotsOf = sectors.ToDictionary(x => x.Name, _ => new List<(string Name, Point Place)>());
        foreach (var (name, place) in hotspots)
        {
            var owner = sectors.FirstOrDefault(x => x.Polygon.Covers(place));
            if (owner is null) notes.Add(Note.Of("route.hotspot_outside_sectors", ("name", name), ("lon", place.X), ("lat", place.Y)));
            else spotsOf[owner.Name].Add((name, place));
        }

        var incidents = parsed.Option("--incidents") is { } inc ? Points(inc, "incidents", "incident").Select(p => p.Place).ToList()
            : hotspots.Select(p => p.Place).ToList();
        var shift = new RouteShift(shiftHours, shiftName, LimaTime.At(date, shiftClock), stopMinutes, maxInterval, seed)
        {
            BreakMinutes = breakMinutes, HandoverMinutes = handoverMinutes, CycleDays = cycleDays, CycleShifts = cycleShifts,
        };
        var routeSectors = sectors.Select(sector => new RouteSector(sector.Name, sector.Polygon, spotsOf[sector.Name],
            starts?.MinBy(p => sector.Polygon.Distance(p.Place)), SectorLabel.Parse(sector.Name), incidents)).ToList();
        // A full pass is also counted on foot and by bike, whatever the mode of the routes.
        var passModes = new[] { TravelMode.Foot, TravelMode.Bike }.Where(m => m != mode).Select(m => StreetGraph.Build(streets, m)).ToList();
        var outcome = RoutePlanning.Plan(graph, routeSectors, shift, notes, passModes);
        var planned = outcome.Routes;
        var skipped = outcome.Report.Skipped;
        if (planned.Count == 0)
            throw new CommandFailedException(skipped.Count == 1 ? $"no route: {skipped[0].Reason}"
                : $"no route: no sector holds a street usable {StreetGraph.Travel(mode)} ({string.Join(", ", skipped.Select(x => x.Sector))})");

        var routes = planned.Select(p => p.Route.Route).ToList();
        int written;
        try
        {
            if (gpx)
            {
                var full = Path.GetFullPath(output);
                var scratch = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
                try
                {
                    using (var stream = File.Create(scratch)) GpxWriter.Write(stream, routes);
                    File.Move(scratch, full, overwrite: true);
                }
                finally
                {
                    if (File.Exists(scratch)) File.Delete(scratch);
                }
                written = routes.Count;
            }
            else
            {
                VectorFile.Write(output, routes.SelectMany(RouteGeoJson.Features).ToList(), graph.UtmEpsg, Crs.Wgs84);
                written = routes.Count;
            }
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
        var calendarFiles = parsed.Option("--calendar-out") is { } dir ? WriteCalendar(dir, planned) : 0;
        SectorFiles.WriteJson(reportPath, outcome.Report with { ElapsedMs = Math.Round(sw.Elapsed.TotalMilliseconds, 1) });

        var sb = new System.Text.StringBuilder();
        foreach (var p in planned)
        {
            var r = p.Route;
            var startName = p.Sector.Start?.Name;
            var f = r.Route.Figures;
            var spots = f.Hotspots.Count == 0 ? "no hot spot"
                : string.Create(Ci, $"{r.Route.Stops.Count} stop{(r.Route.Stops.Count == 1 ? "" : "s")} at {f.Hotspots.Count} hot spot{(f.Hotspots.Count == 1 ? "" : "s")}, longest gap {f.Hotspots.Max(x => x.MaxIntervalMinutes):0} min");
            sb.AppendLine(string.Create(Ci,
                $"{r.Route.Name}: {f.LengthKm:N2} km, {f.DurationMin:0} min of {shift.PatrolMinutes:0} min of patrol ({shiftHours * 60:0} min shift), " +
                $"deadhead {f.DeadheadPct:0.0} %, streets walked {f.StreetsCoveredPct:0.0} %, {spots}"));
            if (startName is not null) sb.AppendLine($"  starts at {startName}");
            if (r.Unreachable.Count > 0)
            {
                var pieces = string.Join("; ", r.Unreachable.Take(5).Select(u =>
                    string.Create(Ci, $"{u.Name ?? "unnamed"} {u.LengthMeters:0} m at ({u.Place.X:0.#####}, {u.Place.Y:0.#####})")));
                if (r.Unreachable.Count > 5) pieces += $"; and {r.Unreachable.Count - 5} more in the report";
                sb.AppendLine(string.Create(Ci,
                    $"  {r.Unreachable.Count} piece{(r.Unreachable.Count == 1 ? "" : "s")} of street ({r.Unreachable.Sum(u => u.LengthMeters) / 1000:N2} km) no walk {StreetGraph.Travel(mode)} can reach: {pieces}"));
            }
            foreach (var n in RoutePlanning.NotesOf(r)) sb.AppendLine("  " + n);
            if (p.Report.Cycle is { } c) sb.AppendLine("  " + CycleLine(c, outcome.Report.Cycle!.ShiftsInCycle));
        }
        foreach (var n in outcome.Report.Notes) sb.AppendLine(n.ToString());
        sb.Append(string.Create(Ci,
            $"Wrote {written} route{(written == 1 ? "" : "s")} ({routes.Sum(r => r.Figures.LengthKm):N2} km, {routes.Sum(r => r.Stops.Count)} stops) to {Path.GetFileName(output)} " +
            $"{(calendarFiles > 0 ? $"({calendarFiles} calendar routes to {parsed.Option("--calendar-out")}) " : "")}" +
            $"and the report to {Path.GetFileName(reportPath)}{(skipped.Count > 0 ? $"; {skipped.Count} sector{(skipped.Count == 1 ? "" : "s")} skipped" : "")} ({sw.Elapsed.TotalMilliseconds:N0} ms)"));
        context.Out.WriteLine(sb.ToString());
        return ExitCodes.Ok;
    }

    /// <summary>The GPX file name of a calendar entry's route: sector, day, shift.</summary>
    public static string CalendarFileName(string sector, int day, string shift) =>
        string.Create(Ci, $"ruta_{sector}_dia{day}_{shift.Replace(' ', '_')}.gpx");

    /// <summary>Writes each calendar entry's route as GPX into <paramref name="dir"/>: all in a scratch folder first, so nothing is half-written.</summary>
    private static int WriteCalendar(string dir, IReadOnlyList<PlannedRoute> planned)
    {
        var full = Path.GetFullPath(dir);
        var scratch = Path.Combine(Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar)) ?? full, $".{Path.GetFileName(full.TrimEnd(Path.DirectorySeparatorChar))}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(scratch);
            var names = new List<string>();
            foreach (var p in planned)
                foreach (var e in p.Entries)
                {
                    var name = CalendarFileName(p.Sector.Label, e.Day, e.Shift);
                    using (var stream = File.Create(Path.Combine(scratch, name))) GpxWriter.Write(stream, e.Route.Route);
                    names.Add(name);
                }
            Directory.CreateDirectory(full);
            foreach (var name in names) File.Move(Path.Combine(scratch, name), Path.Combine(full, name), overwrite: true);
            return names.Count;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"--calendar-out {dir}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private sealed record SectorInput(string Name, Geometry Polygon);

    /// <summary>"cycle: S2: 4 shifts on foot, 2 by bike; every street walked in 5 of 21 shifts (deadhead 1.20 km)".</summary>
    private static string CycleLine(Planning.Reports.SectorCycleReport c, int shiftsInCycle)
    {
        var passes = string.Join(", ", c.ShiftsForFullPass.Select(p =>
            $"{(p.Shifts is { } n ? $"{n} shift{(n == 1 ? "" : "s")}" : "no number of shifts")} {StreetGraph.Travel(TravelModes.Parse(p.Mode))}"));
        return c.CoveredInCycle
            ? string.Create(Ci, $"cycle: {c.Sector}: {passes}; every reachable street walked in {c.ShiftsNeeded} of {shiftsInCycle} shifts (deadhead {c.DeadheadKm:N2} km)")
            : string.Create(Ci, $"cycle: {c.Sector}: {passes}; NOT COVERED: the {shiftsInCycle} shifts walk {c.CoveredPct:0.0} % of the reachable streets");
    }

    private static double Minutes(CommandArgs parsed, string option, double fallback)
    {
        var text = parsed.Option(option);
        if (text is null) return fallback;
        if (!double.TryParse(text, NumberStyles.Float, Ci, out var m) || !(m >= 0) || m > 24 * 60)
            throw new UsageException($"{option} must be minutes from 0 to 1440, not '{text}'");
        return m;
    }

    private static string Message(Exception e) => e.Message.Split(" (Parameter")[0].ReplaceLineEndings(" ");

    private static (int Min, int Max) StopRange(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, Ci, out var min)
            && int.TryParse(parts[^1], NumberStyles.None, Ci, out var max)
            && min <= max && max <= 240)
            return (min, max);
        throw new UsageException($"--stop-minutes must be whole minutes MIN-MAX (e.g. 10-15) from 0 to 240, not '{text}'");
    }

    private static FeatureSet Read(string path, string what)
    {
        try
        {
            return VectorFile.Read(path);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{what}: {CliText.Of(e)}", e);
        }
    }

    private static string? Text(IFeature f, params string[] names)
    {
        if (f.Attributes is null) return null;
        foreach (var name in names)
        {
            var key = f.Attributes.GetNames().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (key is not null && f.Attributes[key] is { } v && Convert.ToString(v, Ci) is { Length: > 0 } s) return s;
        }
        return null;
    }

    /// <summary>Sector polygons in lon/lat, by name (attribute name/nombre, else S{sector+1}), pieces of one sector merged.</summary>
    private static List<SectorInput> Sectors(string path)
    {
        var set = Read(path, "sectors");
        var pieces = new List<(string Name, Geometry Polygon)>();
        var index = 0;
        foreach (var f in set.Features)
        {
            if (f.Geometry is not { IsEmpty: false }) continue;
            index++;
            if (f.Geometry is not IPolygonal)
                throw new CommandFailedException($"{Path.GetFileName(path)}: sectors must be polygons, feature {index} is a {f.Geometry.GeometryType}");
            string name;
            if (Text(f, "name", "nombre") is { } n) name = n;
            else if (Text(f, "sector") is { } s)
                name = double.TryParse(s, NumberStyles.Float, Ci, out var k) && k == Math.Floor(k) && k is >= 0 and < int.MaxValue ? SectorLabel.Of((int)k) : s;
            else name = SectorLabel.Of(index - 1);
            pieces.Add((name, Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84)));
        }
        if (pieces.Count == 0) throw new CommandFailedException($"{Path.GetFileName(path)}: no sector polygon");
        return pieces.GroupBy(p => p.Name, StringComparer.Ordinal)
            .Select(g => new SectorInput(g.Key, g.Count() == 1 ? g.First().Polygon : UnaryUnionOp.Union(g.Select(p => p.Polygon).ToList())))
            .ToList();
    }

    /// <summary>Points in lon/lat with their name (attribute name/nombre, else "{noun} {n}").</summary>
    private static List<(string Name, Point Place)> Points(string path, string what, string noun)
    {
        var set = Read(path, what);
        var result = new List<(string, Point)>();
        foreach (var f in set.Features)
        {
            if (f.Geometry is not { IsEmpty: false }) continue;
            var g = Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84);
            var points = g switch
            {
                Point p => [p],
                MultiPoint m => m.Geometries.Cast<Point>().ToList(),
                _ => throw new CommandFailedException($"{Path.GetFileName(path)}: {what} must be points, found a {g.GeometryType}"),
            };
            foreach (var p in points) result.Add((Text(f, "name", "nombre") ?? $"{noun} {result.Count + 1}", p));
        }
        return result;
    }
}
