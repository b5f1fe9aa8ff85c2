using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.IO.Gpx;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Union;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// <c>barrio routes --streets STREETS --sectors SECTORS [--hotspots HOTSPOTS] --mode foot|bike|moto|car --shift-hours H
/// --seed N --out ROUTES.gpx|.geojson --report REPORT.json</c>: one patrol route per sector with
/// <see cref="SectorRouting"/>, written as GPX 1.1 (<see cref="GpxWriter"/>) or GeoJSON (<see cref="RouteGeoJson"/>).
/// </summary>
public sealed class RoutesCommand : ICommand
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    /// <summary>Peru has no daylight saving time: Lima is UTC-5 all year.</summary>
    private static readonly TimeSpan Lima = TimeSpan.FromHours(-5);

    public string Name => "routes";

    public string Summary => "Patrol route per sector: every reachable street, hot-spot stops, GPX for the shift";

    public string Help => $"""
        Usage: barrio routes --streets STREETS --sectors SECTORS --mode foot|bike|moto|car --shift-hours H
                             --seed N --out ROUTES.gpx|ROUTES.geojson --report REPORT.json
                             [--hotspots HOTSPOTS] [--start START] [--shift-start HH:mm] [--date YYYY-MM-DD]
                             [--shift-name NAME] [--stop-minutes MIN-MAX] [--max-interval-hours H]
                             [--non-lines skip|refuse]

        Builds the street graph of the mode (as barrio coverage does: one-way streets bind bike, moto and car,
        not walkers) and plans one route per sector: the sector's own streets (those whose middle lies in it)
        must all be walked, any other street may be used to reach them; the route starts and ends at the
        start point and repeats whole rounds while one more fits in the shift. Each hot spot is visited at
        least every --max-interval-hours, with a stop of --stop-minutes at each visit. Pieces of a sector's
        streets that no closed walk on the network can reach are listed with their length and place, never
        silently dropped; every other street of the sector lies on the route. Routes with one-way streets
        (mixed) are good but not proven optimal; the notes say so.

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
          --seed N                varies the walk, stop lengths and times (not the length of a round)
          --out FILE              .gpx (GPX 1.1: a track per route, a waypoint per stop) or .geojson
          --report FILE           JSON: per route sector, name, lengthKm, durationMin, deadheadPct,
                                  streetsCoveredPct, rounds, unreachable (name, lengthM, lon, lat) and the
                                  hot-spot visit times (Lima) and intervals; sectors skipped; notes
        {StreetInput.Help(26)}

        Example: barrio routes --streets calles.geojson --sectors sectores.geojson --hotspots puntos.geojson \
                   --mode foot --shift-hours 8 --seed 1 --out rutas.gpx --report rutas.json
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--streets", "--sectors", "--hotspots", "--start", "--mode", "--shift-hours",
            "--shift-start", "--date", "--shift-name", "--stop-minutes", "--max-interval-hours", "--seed", "--out", "--report", StreetInput.Option);
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
        var shiftName = parsed.Option("--shift-name") ?? "mañana";
        if (string.IsNullOrWhiteSpace(shiftName)) throw new UsageException("--shift-name must not be empty");
        var stopText = parsed.Option("--stop-minutes") ?? "10-15";
        var stopMinutes = StopRange(stopText);
        var intervalText = parsed.Option("--max-interval-hours") ?? "2";
        if (!double.TryParse(intervalText, NumberStyles.Float, Ci, out var maxInterval) || !(maxInterval > 0) || maxInterval > 24)
            throw new UsageException($"--max-interval-hours must be hours more than 0 and at most 24, not '{intervalText}'");
        var extension = Path.GetExtension(output).ToLowerInvariant();
        var gpx = extension == ".gpx";
        if (!gpx && extension is not (".geojson" or ".json"))
            throw new UsageException($"--out must end in .gpx or .geojson, not '{Path.GetFileName(output)}'");

        var sw = Stopwatch.StartNew();
        var streets = StreetLines.Network(StreetInput.Read(streetsPath, parsed, context));
        var sectors = Sectors(sectorsPath);
        var notes = new List<string>();
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
            if (owner is null) notes.Add(string.Create(Ci, $"Hot spot {name} at ({place.X:0.#####}, {place.Y:0.#####}) lies in no sector: left out."));
            else spotsOf[owner.Name].Add((name, place));
        }

        var shiftStart = new DateTimeOffset(date.ToDateTime(shiftClock), Lima);
        var planned = new List<(SectorInput Sector, SectorRoute Route, string? StartName)>();
        var skipped = new List<(string Sector, string Reason)>();
        foreach (var sector in sectors)
        {
            (string Name, Point Place)? start = starts is null ? null
                : starts.MinBy(p => sector.Polygon.Distance(p.Place));
            var options = new RouteOptions
            {
                Name = $"Sector {sector.Name} · turno {shiftName}",
                ShiftHours = shiftHours,
                ShiftStart = shiftStart,
                StopMinutes = stopMinutes,
                MaxIntervalHours = maxInterval,
                FillShift = true,
                Seed = seed,
            };
            try
            {
                var route = SectorRouting.Plan(graph, sector.Polygon, sector.Name, spotsOf[sector.Name], options, start?.Place);
                planned.Add((sector, route, start?.Name));
            }
            catch (ArgumentException e)
            {
                skipped.Add((sector.Name, Message(e)));
            }
        }
        foreach (var (_, reason) in skipped) notes.Add($"{reason.TrimEnd('.')}: skipped, no route for it.");
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
            var report = Report(planned, skipped, notes, graph, mode, shiftHours, shiftStart, shiftName, stopMinutes, maxInterval, seed, sw.Elapsed.TotalMilliseconds);
            File.WriteAllText(reportPath, report.ToJsonString(new JsonSerializerOptions
            {
                WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }));
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(e.Message.ReplaceLineEndings(" "), e);
        }

        var sb = new System.Text.StringBuilder();
        foreach (var (sector, r, startName) in planned)
        {
            var f = r.Route.Figures;
            var spots = f.Hotspots.Count == 0 ? "no hot spot"
                : string.Create(Ci, $"{r.Route.Stops.Count} stop{(r.Route.Stops.Count == 1 ? "" : "s")} at {f.Hotspots.Count} hot spot{(f.Hotspots.Count == 1 ? "" : "s")}, longest gap {f.Hotspots.Max(x => x.MaxIntervalMinutes):0} min");
            sb.AppendLine(string.Create(Ci,
                $"{r.Route.Name}: {f.LengthKm:N2} km, {f.DurationMin:0} min of {shiftHours * 60:0} ({f.Rounds} round{(f.Rounds == 1 ? "" : "s")}), " +
                $"deadhead {f.DeadheadPct:0.0} %, streets covered {f.StreetsCoveredPct:0.0} %, {spots}"));
            if (startName is not null) sb.AppendLine($"  starts at {startName}");
            if (r.Unreachable.Count > 0)
            {
                var pieces = string.Join("; ", r.Unreachable.Take(5).Select(u =>
                    string.Create(Ci, $"{u.Name ?? "unnamed"} {u.LengthMeters:0} m at ({u.Place.X:0.#####}, {u.Place.Y:0.#####})")));
                if (r.Unreachable.Count > 5) pieces += $"; and {r.Unreachable.Count - 5} more in the report";
                sb.AppendLine(string.Create(Ci,
                    $"  {r.Unreachable.Count} piece{(r.Unreachable.Count == 1 ? "" : "s")} of street ({r.Unreachable.Sum(u => u.LengthMeters) / 1000:N2} km) no walk {StreetGraph.Travel(mode)} can reach: {pieces}"));
            }
            foreach (var n in RouteNotes(r)) sb.AppendLine("  " + n);
        }
        foreach (var n in notes) sb.AppendLine(n);
        sb.Append(string.Create(Ci,
            $"Wrote {written} route{(written == 1 ? "" : "s")} ({routes.Sum(r => r.Figures.LengthKm):N2} km, {routes.Sum(r => r.Stops.Count)} stops) to {Path.GetFileName(output)} " +
            $"and the report to {Path.GetFileName(reportPath)}{(skipped.Count > 0 ? $"; {skipped.Count} sector{(skipped.Count == 1 ? "" : "s")} skipped" : "")} ({sw.Elapsed.TotalMilliseconds:N0} ms)"));
        context.Out.WriteLine(sb.ToString());
        return ExitCodes.Ok;
    }

    private sealed record SectorInput(string Name, Geometry Polygon);

    /// <summary>The notes of the tour and the route, once each.</summary>
    private static IEnumerable<string> RouteNotes(SectorRoute r) => r.Notes.Concat(r.Route.Notes).Distinct(StringComparer.Ordinal);

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

    private static JsonObject Report(
        List<(SectorInput Sector, SectorRoute Route, string? StartName)> planned, List<(string Sector, string Reason)> skipped, List<string> notes,
        StreetGraph graph, TravelMode mode, double shiftHours, DateTimeOffset shiftStart, string shiftName, (int Min, int Max) stop,
        double maxInterval, int seed, double elapsedMs)
    {
        string Clock(double minutes) => shiftStart.AddSeconds(Math.Round(minutes * 60)).ToOffset(Lima).ToString("HH:mm", Ci);
        return new JsonObject
        {
            ["mode"] = mode.Name(),
            ["shiftName"] = shiftName,
            ["shiftHours"] = shiftHours,
            ["shiftStart"] = shiftStart.ToString("yyyy-MM-dd'T'HH:mm:sszzz", Ci),
            ["stopMinutes"] = new JsonArray(stop.Min, stop.Max),
            ["maxIntervalHours"] = maxInterval,
            ["seed"] = seed,
            ["routes"] = new JsonArray(planned.Select(p =>
            {
                var r = p.Route;
                var f = r.Route.Figures;
                return (JsonNode)new JsonObject
                {
                    ["sector"] = r.Sector,
                    ["name"] = r.Route.Name,
                    ["start"] = Start(r.Route, p.StartName),
                    ["lengthKm"] = Math.Round(f.LengthKm, 3),
                    ["durationMin"] = Math.Round(f.DurationMin, 1),
                    ["deadheadPct"] = Math.Round(f.DeadheadPct, 2),
                    ["streetsCoveredPct"] = Math.Round(f.StreetsCoveredPct, 2),
                    ["rounds"] = f.Rounds,
                    ["optimal"] = r.Tour.Optimal,
                    ["stops"] = r.Route.Stops.Count,
                    ["unreachableKm"] = Math.Round(r.Unreachable.Sum(u => u.LengthMeters) / 1000, 3),
                    ["unreachable"] = new JsonArray(r.Unreachable.Select(u => (JsonNode)new JsonObject
                    {
                        ["name"] = u.Name,
                        ["lengthM"] = Math.Round(u.LengthMeters, 1),
                        ["lon"] = Math.Round(u.Place.X, 7),
                        ["lat"] = Math.Round(u.Place.Y, 7),
                    }).ToArray()),
                    ["hotspots"] = new JsonArray(f.Hotspots.Select(v => (JsonNode)new JsonObject
                    {
                        ["id"] = v.HotspotId,
                        ["name"] = v.Name,
                        ["visits"] = new JsonArray(v.VisitMinutes.Select(m => (JsonNode)JsonValue.Create(Clock(m))).ToArray()),
                        ["visitMinutes"] = new JsonArray(v.VisitMinutes.Select(m => (JsonNode)JsonValue.Create(Math.Round(m, 1))).ToArray()),
                        ["intervalsMin"] = new JsonArray(v.IntervalMinutes.Select(m => (JsonNode)JsonValue.Create(Math.Round(m, 1))).ToArray()),
                        ["maxIntervalMin"] = Math.Round(v.MaxIntervalMinutes, 1),
                        ["withinLimit"] = v.WithinLimit,
                    }).ToArray()),
                    ["notes"] = new JsonArray(RouteNotes(r).Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
                };
            }).ToArray()),
            ["skipped"] = new JsonArray(skipped.Select(x => (JsonNode)new JsonObject { ["sector"] = x.Sector, ["reason"] = x.Reason }).ToArray()),
            ["network"] = new JsonObject
            {
                ["edges"] = graph.Edges.Count, ["nodes"] = graph.NodeCount, ["components"] = graph.Components.Count,
                ["streetsNotUsableByMode"] = graph.Report.ExcludedForMode,
            },
            ["notes"] = new JsonArray(notes.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
            ["elapsedMs"] = Math.Round(elapsedMs, 1),
        };
    }

    /// <summary>Where the route starts and ends: the named start point, or the street node nearest the sector's centre.</summary>
    private static JsonObject? Start(PatrolRoute route, string? name)
    {
        if (route.Track.Count == 0) return null;
        var p = route.Track[0].Position;
        var (lon, lat) = route.Epsg == Crs.Wgs84 ? (p.X, p.Y) : Crs.Transform(p.X, p.Y, route.Epsg, Crs.Wgs84);
        return new JsonObject { ["name"] = name ?? "centre of the sector", ["lon"] = Math.Round(lon, 7), ["lat"] = Math.Round(lat, 7) };
    }

    private static FeatureSet Read(string path, string what)
    {
        try
        {
            return VectorFile.Read(path);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"{what}: {e.Message.ReplaceLineEndings(" ")}", e);
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
                name = double.TryParse(s, NumberStyles.Float, Ci, out var k) && k == Math.Floor(k) && k >= 0 ? $"S{k + 1:0}" : s;
            else name = $"S{index}";
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
