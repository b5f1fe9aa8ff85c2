using System.Globalization;
using BarrioSeguro.Geo.Core.Network;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Network;
using BarrioSeguro.Geo.Planning.Reports;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>
/// <c>barrio coverage --streets STREETS --units UNITS --mode foot|bike|moto|car --minutes T [--blocks BLOCKS]
/// [--incidents INCIDENTS] [--sectors SECTORS] [--snap METRES] --out COVERAGE --report REPORT.json</c>:
/// what the patrol units reach within T minutes, with <see cref="StreetGraph"/> and <see cref="Coverage"/>.
/// </summary>
public sealed class CoverageCommand : ICommand
{
    public string Name => "coverage";

    public string Summary => "Street km, blocks and incidents patrol units reach within T minutes";

    public string Help => $"""
        Usage: barrio coverage --streets STREETS --units UNITS --mode foot|bike|moto|car --minutes T
                               --report REPORT.json [--out COVERAGE]
                               [--blocks BLOCKS] [--incidents INCIDENTS] [--sectors SECTORS] [--snap METRES]
                               [--non-lines skip|refuse] [--graph-cache DIR|none]

        Builds the street graph of the mode (OSM highway, oneway, junction, layer, bridge, tunnel read from
        STREETS; one-way streets bind bike, moto and car, not walkers; speeds: foot 5 km/h, bike 16 km/h,
        moto and car by street class, e.g. primary 40, residential 25, service 15), places each unit on the
        nearest street and finds what the units reach within T minutes, partial streets cut at the exact
        point. Backup coverage: streets reached by two or more different units.

        Streets that are not connected to any unit (cut at the edge of the data, isolated footways) are
        reported and counted as not covered; units farther than --snap from every street are named and left
        out (all of them: an error).

        Options:
          --streets FILE     street lines with OSM attributes
          --units FILE       points: stations, sector anchors, patrol positions; optional attributes
                             name (or nombre) and shift (or turno): with shifts, figures per shift too
          --mode MODE        foot, bike, moto or car
          --minutes T        the time limit in minutes
          --blocks FILE      city blocks (polygons); a block is covered when the street point nearest its
                             centroid is reached
          --incidents FILE   points, optional attribute weight (or peso), default 1
          --sectors FILE     polygons with a name (or id) attribute: figures per sector (streets by their
                             middle point, blocks by centroid)
          --snap METRES      how far a unit may be from a street. Default: 50
        {StreetInput.Help()}
          --out FILE         covered, backup and uncovered street pieces (attribute status) and the covered
                             area (status = area: covered pieces buffered 30 m). Without it only the report
                             is written (no geometry is made: the fast path)
          --graph-cache DIR  where built street graphs are kept, one per street file content and mode, so
                             the next run on the same file skips reading and building it. none: no cache.
                             Default: $XDG_CACHE_HOME/barrio/graphs, else ~/.cache/barrio/graphs
          --report FILE      JSON, the shape of the service's coverage report: figures (coveredStreetKmPct,
                             coveredStreetKm, streetKm, coveredBlocks, blocks, coveredIncidentPct, ...),
                             sectors[] (name, figures), unitPlaces, unitsSnapped, unitsRefused, network,
                             kmWithoutUnit, notes, elapsedMs, and shifts[] (the same per shift)

        Example: barrio coverage --streets calles.geojson --units comisaria.geojson --mode foot --minutes 10 \
                   --blocks manzanas.zip --out cobertura.gpkg --report cobertura.json
        """;

    public int Run(IReadOnlyList<string> args, CommandContext context)
    {
        var parsed = CommandArgs.Parse(args, "--streets", "--units", "--mode", "--minutes", "--blocks", "--incidents",
            "--sectors", "--snap", "--out", "--report", "--graph-cache", StreetInput.Option);
        parsed.NoPositionals();
        var streetsPath = parsed.Required("--streets", "FILE");
        var unitsPath = parsed.Required("--units", "FILE");
        var minutesText = parsed.Required("--minutes", "T");
        var output = parsed.Option("--out");
        var reportPath = parsed.Required("--report", "FILE");
        var mode = parsed.Mode();
        if (!double.TryParse(minutesText, NumberStyles.Float, CultureInfo.InvariantCulture, out var minutes) || !(minutes > 0) || minutes > 1440)
            throw new UsageException($"--minutes must be a time in minutes more than 0 and at most 1440, not '{minutesText}'");
        var snapTolerance = new CoverageOptions().SnapToleranceM;
        if (parsed.Option("--snap") is { } snapText)
        {
            if (!double.TryParse(snapText, NumberStyles.Float, CultureInfo.InvariantCulture, out var snap) || !(snap >= 0) || snap > 10_000)
                throw new UsageException($"--snap must be a distance in metres from 0 to 10000, not '{snapText}'");
            snapTolerance = snap;
        }

        var cache = parsed.Option("--graph-cache") is { } cacheText
            ? cacheText.Trim().Equals("none", StringComparison.OrdinalIgnoreCase) ? null : new GraphCache(Path.GetFullPath(cacheText))
            : GraphCache.Default();
        var policy = StreetInput.Policy(parsed);
        var units = Units(unitsPath);
        if (units.Count == 0) throw new CommandFailedException($"{Path.GetFileName(unitsPath)}: no unit (point) in the file");
        var targets = new CoverageTargets(
            parsed.Option("--blocks") is { } b ? StreetLines.Geometries(Read(b)).Where(g => g is IPolygonal).ToList() : null,
            parsed.Option("--incidents") is { } i ? Incidents(i) : null,
            parsed.Option("--sectors") is { } sectorsPath ? Sectors(sectorsPath) : null,
            SnapToleranceM: snapTolerance);

        StreetGraph graph;
        CoverageReport report;
        CoverageResult result;
        try
        {
            graph = Graph(streetsPath, mode, policy, cache, parsed, context);
            var all = CoveragePlanning.Once(graph, units, minutes, targets, null, "file", []);
            result = all.Result;
            var shifts = units.Where(u => u.Shift is not null).GroupBy(u => u.Shift!).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => CoveragePlanning.Once(graph, g.ToList(), minutes, targets, g.Key, "file", []).Report).ToList();
            report = all.Report with { Shifts = shifts };
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(e.Message.Split(" (Parameter")[0].ReplaceLineEndings(" "), e);
        }

        var written = output is null ? null : WritePieces(output, result);
        SectorFiles.WriteJson(reportPath, report);

        var f = result.Figures;
        var sb = new System.Text.StringBuilder();
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"{result.UnitsSnapped.Count:N0} unit{(result.UnitsSnapped.Count == 1 ? "" : "s")} {StreetGraph.Travel(mode)}, {minutes:0.##} min: " +
            $"{f.CoveredStreetKm:N2} of {f.StreetKm:N2} street km covered ({f.CoveredStreetKmPct:N1} %), backup {f.BackupStreetKmPct:N1} %"));
        if (targets.Blocks is not null)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  blocks: {f.CoveredBlocks:N0} of {f.Blocks:N0} covered ({f.CoveredBlocksPct:N1} %)"));
        if (targets.Incidents is not null)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  incidents: {f.CoveredIncidentWeight:0.##} of {f.IncidentWeight:0.##} weight covered ({f.CoveredIncidentPct:N1} %)"));
        foreach (var s in report.Shifts ?? [])
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  shift {s.Shift}: {s.UnitsSnapped.Count} units, {s.Figures.CoveredStreetKmPct:N1} % of street km, backup {s.Figures.BackupStreetKmPct:N1} %"));
        foreach (var s in result.Sectors)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  sector {s.Name}: {s.Figures.CoveredStreetKmPct:N1} % of {s.Figures.StreetKm:N2} km"));
        foreach (var n in result.Notes) sb.AppendLine("  " + n);
        sb.Append(written is null
            ? string.Create(CultureInfo.InvariantCulture, $"Wrote the report to {Path.GetFileName(reportPath)} ({result.ElapsedMs:N0} ms)")
            : string.Create(CultureInfo.InvariantCulture, $"Wrote {written.FeatureCount:N0} features to {Path.GetFileName(output)} and the report to {Path.GetFileName(reportPath)} ({result.ElapsedMs:N0} ms)"));
        context.Out.WriteLine(sb.ToString());
        return ExitCodes.Ok;
    }

    /// <summary>The street graph of the mode: the cached one when the street file's content is the one it was built
    /// from (the warnings of reading it said again), else read, built and cached.</summary>
    private static StreetGraph Graph(string streetsPath, TravelMode mode, NonLines policy, GraphCache? cache, CommandArgs parsed, CommandContext context)
    {
        string? file = null;
        if (cache is not null && File.Exists(streetsPath))
        {
            try { file = cache.PathOf(streetsPath, mode, policy); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { file = null; }
            if (file is not null && GraphCache.TryLoad(file) is { } kept && kept.Graph.Mode == mode)
            {
                CliWarnings.Write(context, streetsPath, kept.ReadNotes);
                return kept.Graph;
            }
        }
        var read = StreetInput.ReadFile(streetsPath, parsed, context);
        var graph = StreetGraph.Build(StreetLines.Network(read.Lines), mode);
        if (file is not null) GraphCache.Save(file, graph, read.Notes);
        return graph;
    }

    /// <summary>Covered, backup and uncovered pieces and the covered area, written only when asked for (--out).</summary>
    private static WriteSummary WritePieces(string output, CoverageResult result)
    {
        var features = new List<IFeature>();
        void Add(Geometry g, string status)
        {
            if (!g.IsEmpty) features.Add(new Feature(g, new AttributesTable { { "status", status } }));
        }
        foreach (var g in result.CoveredPieces().Geometries) Add(g, "covered");
        foreach (var g in result.BackupPieces().Geometries) Add(g, "backup");
        foreach (var g in result.UncoveredPieces().Geometries) Add(g, "uncovered");
        Add(result.CoveredArea(), "area");
        try
        {
            return VectorFile.Write(output, features, Crs.Wgs84);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
    }

    private static FeatureSet Read(string path)
    {
        try
        {
            return VectorFile.Read(path);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
    }

    private static string? Text(IFeature f, params string[] names)
    {
        if (f.Attributes is null) return null;
        foreach (var name in names)
        {
            var key = f.Attributes.GetNames().FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
            if (key is not null && f.Attributes[key] is { } v && Convert.ToString(v, CultureInfo.InvariantCulture) is { Length: > 0 } s) return s;
        }
        return null;
    }

    private static List<CoverageUnit> Units(string path)
    {
        var set = Read(path);
        var result = new List<CoverageUnit>();
        foreach (var f in set.Features)
        {
            if (f.Geometry is not { IsEmpty: false }) continue;
            var g = Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84);
            var points = g switch
            {
                Point p => [p],
                MultiPoint m => m.Geometries.Cast<Point>().ToList(),
                _ => throw new CommandFailedException($"{Path.GetFileName(path)}: units must be points, found a {g.GeometryType}"),
            };
            foreach (var p in points)
                result.Add(new CoverageUnit(Text(f, "name", "nombre") ?? $"unit {result.Count + 1}", p, Text(f, "shift", "turno") is { } shift ? Shifts.Code(shift) : null));
        }
        return result;
    }

    private static List<WeightedPoint> Incidents(string path)
    {
        var set = Read(path);
        var result = new List<WeightedPoint>();
        foreach (var f in set.Features)
        {
            if (f.Geometry is not { IsEmpty: false }) continue;
            var weight = 1.0;
            if (Text(f, "weight", "peso") is { } w
                && (!double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !(weight >= 0)))
                throw new CommandFailedException($"{Path.GetFileName(path)}: incident {result.Count + 1} has weight '{w}': weights are numbers, 0 or more");
            var g = Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84);
            if (g is not Point p) throw new CommandFailedException($"{Path.GetFileName(path)}: incidents must be points, found a {g.GeometryType}");
            result.Add(new WeightedPoint(p, weight));
        }
        return result;
    }

    private static List<NamedArea> Sectors(string path)
    {
        var set = Read(path);
        var result = new List<NamedArea>();
        foreach (var f in set.Features)
        {
            if (f.Geometry is not IPolygonal) continue;
            result.Add(new NamedArea(Text(f, "name", "nombre", "id") ?? $"sector {result.Count + 1}", Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84)));
        }
        if (result.Count == 0) throw new CommandFailedException($"{Path.GetFileName(path)}: no sector polygon");
        return result;
    }
}
