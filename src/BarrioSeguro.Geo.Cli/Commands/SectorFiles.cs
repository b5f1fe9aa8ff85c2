using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.Planning;
using BarrioSeguro.Geo.Planning.Sectors;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Cli.Commands;

/// <summary>A block file read for sectorization: features as read, their ids and lon/lat polygons.</summary>
/// <param name="Features">The features as read (original CRS, original attributes).</param>
/// <param name="Epsg">The CRS of <paramref name="Features"/>.</param>
/// <param name="Ids">One id per feature: its <c>id</c> attribute, or "B{index}".</param>
/// <param name="Polygons">The block polygons (or multipolygons: a unit in several pieces) in EPSG:4326.</param>
/// <param name="Attributes">The attributes of each block, for the workload.</param>
/// <param name="Notes">What was assumed while reading.</param>
internal sealed record BlockFile(
    string Path, IReadOnlyList<IFeature> Features, int Epsg, IReadOnlyList<string> Ids, IReadOnlyList<Geometry> Polygons,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> Attributes, IReadOnlyList<Note> Notes)
{
    /// <summary>The blocks as planning units.</summary>
    public IReadOnlyList<PlanningUnit> Units() => Ids.Select((id, i) => new PlanningUnit(id, Polygons[i], Attributes[i])).ToList();
}

/// <summary>Reading and writing the files of <c>barrio sectorize</c> and <c>barrio evaluate</c>.</summary>
internal static class SectorFiles
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;

    public static FeatureSet ReadVector(string path, string what)
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

    /// <summary>
    /// Reads a block file: polygons, or multipolygons for a unit in several pieces (a reporting area split by a
    /// road, say: one unit whose pieces stay together); ids from the <c>id</c> attribute.
    /// </summary>
    public static BlockFile ReadBlocks(string path)
    {
        var set = ReadVector(path, "blocks");
        if (set.Count == 0) throw new CommandFailedException($"{Path.GetFileName(path)}: no blocks");
        var notes = new List<Note>();
        var wgs = set.Epsg == Crs.Wgs84 ? set.Features : FeatureTransform.To(set.Features, set.Epsg, Crs.Wgs84);
        var polygons = new List<Geometry>(set.Count);
        var ids = new List<string>(set.Count);
        var attributes = new List<IReadOnlyDictionary<string, object?>>(set.Count);
        var generated = 0;
        var multipart = 0;
        for (var i = 0; i < set.Count; i++)
        {
            var g = wgs[i].Geometry;
            Geometry polygon = g switch
            {
                Polygon { IsEmpty: false } p => p,
                MultiPolygon { NumGeometries: 1 } m => (Polygon)m.GetGeometryN(0),
                MultiPolygon { IsEmpty: false } m => m,
                null => throw new CommandFailedException($"{Path.GetFileName(path)}: block {i} has no geometry"),
                _ => throw new CommandFailedException($"{Path.GetFileName(path)}: block {i} is a {g.GeometryType}; blocks must be polygons"),
            };
            if (polygon is MultiPolygon) multipart++;
            polygons.Add(polygon);
            var attrs = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
            if (set.Features[i].Attributes is { } table)
                foreach (var name in table.GetNames()) attrs[name] = table[name];
            attributes.Add(attrs);
            var id = IdOf(set.Features[i]);
            if (id is null) { id = $"B{i}"; generated++; }
            ids.Add(id);
        }
        if (multipart > 0)
            notes.Add(Note.Of("input.multipart", ("count", multipart)));
        if (generated > 0)
            notes.Add(Note.Of("input.generated_ids", ("count", generated)));
        var duplicates = ids.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).Take(5).ToList();
        if (duplicates.Count > 0)
            throw new CommandFailedException($"{Path.GetFileName(path)}: block ids must be unique; repeated: {string.Join(", ", duplicates)}");
        return new BlockFile(path, set.Features, set.Epsg, ids, polygons, attributes, notes);
    }

    /// <summary>Fixed centres: a point file (optionally features picked by name, in that order) or "LON,LAT;LON,LAT".</summary>
    /// <exception cref="UsageException">Malformed coordinates.</exception>
    /// <exception cref="CommandFailedException">An unreadable file, no points, or a name no feature has.</exception>
    public static (IReadOnlyList<Point> Points, string? File) ReadCentres(string text, string? names)
    {
        var factory = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        if (!File.Exists(text) && text.Contains(','))
        {
            if (names is not null) throw new UsageException("--centre-names picks features of a file; --centres is coordinates");
            var points = new List<Point>();
            foreach (var pair in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var xy = pair.Split(',', StringSplitOptions.TrimEntries);
                if (xy.Length != 2 || !double.TryParse(xy[0], NumberStyles.Float, Ci, out var lon) || !double.TryParse(xy[1], NumberStyles.Float, Ci, out var lat)
                    || Math.Abs(lon) > 180 || Math.Abs(lat) > 90)
                    throw new UsageException($"--centres: '{pair}' is not LON,LAT in degrees");
                points.Add(factory.CreatePoint(new Coordinate(lon, lat)));
            }
            if (points.Count == 0) throw new UsageException("--centres names no point");
            return (points, null);
        }
        var set = ReadVector(text, "centres");
        var features = set.Features.Where(f => f.Geometry is Point { IsEmpty: false }).ToList();
        if (features.Count == 0) throw new CommandFailedException($"{Path.GetFileName(text)}: no point to use as a centre");
        if (names is not null)
        {
            var picked = new List<IFeature>();
            foreach (var name in names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var f = features.FirstOrDefault(f => string.Equals(Text(ValueOf(f, "name")), name, StringComparison.OrdinalIgnoreCase))
                    ?? throw new CommandFailedException($"{Path.GetFileName(text)}: no point is named '{name}'");
                picked.Add(f);
            }
            features = picked;
        }
        var result = features.Select(f => (Point)Crs.Transform(f.Geometry, set.Epsg, Crs.Wgs84)).ToList();
        return (result, text);
    }

    /// <summary>One line: the travel figures of a plan.</summary>
    public static string TravelLine(TravelFigures t) =>
        string.Create(Ci, $"travel ({t.Measure}): {t.TotalWeightedMinutes:0.#} workload·min, mean {t.MeanMinutes:0.00} min, worst {t.WorstMinutes:0.0} min")
        + (t.TotalWeightedKm is { } km ? string.Create(Ci, $", {km:0.#} workload·km") : "");

    /// <summary>The <c>id</c> attribute (any case) as text, or null when absent or empty.</summary>
    public static string? IdOf(IFeature f)
    {
        if (f.Attributes is null) return null;
        var name = f.Attributes.GetNames().FirstOrDefault(n => string.Equals(n, "id", StringComparison.OrdinalIgnoreCase));
        return name is null ? null : Text(f.Attributes[name]);
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        double d => d.ToString("R", Ci),
        IFormattable x => x.ToString(null, Ci),
        _ => value.ToString(),
    };

    /// <summary>The value of the attribute named <paramref name="attribute"/> (any case), or null.</summary>
    public static object? ValueOf(IFeature f, string attribute)
    {
        if (f.Attributes is null) return null;
        var name = f.Attributes.GetNames().FirstOrDefault(n => string.Equals(n, attribute, StringComparison.OrdinalIgnoreCase));
        return name is null ? null : f.Attributes[name];
    }

    /// <summary>A whole sector number from an attribute value, or null.</summary>
    public static int? SectorNumber(object? value) => value switch
    {
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        double d when Math.Abs(d - Math.Round(d)) < 1e-9 && Math.Abs(d) < int.MaxValue => (int)Math.Round(d),
        string s when int.TryParse(s.Trim(), NumberStyles.Integer, Ci, out var v) => v,
        _ => null,
    };

    /// <summary>
    /// Parses <c>--weight FIELD[=W],...</c>: a field without a weight counts 1. Null when not given.
    /// </summary>
    /// <exception cref="UsageException">An empty name, a weight that is not a number, a negative weight.</exception>
    public static List<WorkloadTerm>? ParseWeights(string? text)
    {
        if (text is null) return null;
        var terms = new List<WorkloadTerm>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            var name = (eq < 0 ? part : part[..eq]).Trim();
            if (name.Length == 0) throw new UsageException($"--weight: '{part}' names no attribute (use FIELD or FIELD=WEIGHT)");
            var weight = 1.0;
            if (eq >= 0 && (!double.TryParse(part[(eq + 1)..], NumberStyles.Float, Ci, out weight) || !double.IsFinite(weight)))
                throw new UsageException($"--weight: the weight of '{name}' must be a number, not '{part[(eq + 1)..]}'");
            if (weight < 0) throw new UsageException($"--weight: the weight of '{name}' is negative ({weight.ToString(Ci)}); weights must be 0 or more");
            if (terms.Any(t => string.Equals(t.Attribute, name, StringComparison.OrdinalIgnoreCase)))
                throw new UsageException($"--weight: '{name}' is given twice");
            terms.Add(new WorkloadTerm(name, weight));
        }
        if (terms.Count == 0) throw new UsageException("--weight needs at least one FIELD[=W]");
        return terms;
    }

    /// <summary>The units with their workload (<see cref="SectorPlanning.Weigh"/>); the default terms when none are given.</summary>
    public static (IReadOnlyList<SectorUnit> Units, IReadOnlyList<WorkloadTerm> Weights) Weigh(BlockFile blocks, IReadOnlyList<WorkloadTerm>? terms)
    {
        try
        {
            return SectorPlanning.Weigh(blocks.Units(), terms);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(terms is null ? $"{Path.GetFileName(blocks.Path)}: {CliText.Of(e)}" : CliText.Of(e), e);
        }
    }

    public static string Describe(IEnumerable<WorkloadTerm> terms) =>
        string.Join(" + ", terms.Select(t => $"{t.Attribute} × {t.Weight.ToString("0.####", Ci)}"));

    /// <summary>
    /// Reads a plan file of block assignments: each feature's <c>id</c> and <c>sector</c>. Used by --previous.
    /// </summary>
    public static Dictionary<string, int> ReadAssignment(string path, string what)
    {
        var set = ReadVector(path, what);
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < set.Count; i++)
        {
            var f = set.Features[i];
            var id = IdOf(f) ?? $"B{i}";
            var raw = ValueOf(f, "sector");
            var sector = SectorNumber(raw)
                         ?? throw new CommandFailedException($"{what} {Path.GetFileName(path)}: feature {i} ({id}) has sector '{raw ?? "null"}', not a whole number (an assigned-blocks file has id and sector attributes)");
            if (!result.TryAdd(id, sector))
                throw new CommandFailedException($"{what} {Path.GetFileName(path)}: block '{id}' appears twice");
        }
        return result;
    }

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The sectors as features: the union of their blocks and their figures.</summary>
    public static List<IFeature> SectorFeatures(PlanReport report) => report.Sectors.Select(s => (IFeature)new Feature(s.Geometry, new AttributesTable
    {
        { "sector", s.Id },
        { "workload", Math.Round(s.Workload, 3) },
        { "blocks", s.Blocks },
        { "area_km2", Math.Round(s.AreaKm2, 6) },
        { "pp", Math.Round(s.PolsbyPopper, 4) },
        { "contig", s.Contiguous },
    })).ToList();

    /// <summary>The block features as read, with <c>id</c> (when it was missing) and <c>sector</c> added.</summary>
    public static List<IFeature> AssignedFeatures(BlockFile blocks, IReadOnlyDictionary<string, int> assignment)
    {
        var list = new List<IFeature>(blocks.Features.Count);
        for (var i = 0; i < blocks.Features.Count; i++)
        {
            var f = blocks.Features[i];
            var table = new AttributesTable();
            var hasId = false;
            if (f.Attributes is { } source)
                foreach (var name in source.GetNames())
                {
                    if (string.Equals(name, "sector", StringComparison.OrdinalIgnoreCase)) continue;
                    if (string.Equals(name, "id", StringComparison.OrdinalIgnoreCase)) hasId = true;
                    table.Add(name, source[name]);
                }
            if (!hasId || IdOf(f) is null)
            {
                if (hasId) table.DeleteAttribute(table.GetNames().First(n => string.Equals(n, "id", StringComparison.OrdinalIgnoreCase)));
                table.Add("id", blocks.Ids[i]);
            }
            table.Add("sector", assignment[blocks.Ids[i]]);
            list.Add(new Feature(f.Geometry, table));
        }
        return list;
    }

    public static WriteSummary Write(string path, IEnumerable<IFeature> features, int epsg)
    {
        try
        {
            return VectorFile.Write(path, features, epsg);
        }
        catch (Exception e) when (e is InvalidVectorFileException or UnknownCrsException or IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException(CliText.Of(e), e);
        }
    }

    /// <summary>Writes a report in the one JSON contract (<see cref="PlanningJson"/>), indented; nothing half-written.</summary>
    public static void WriteJson<T>(string path, T report)
    {
        try
        {
            var full = Path.GetFullPath(path);
            var temp = full + ".tmp-" + Environment.ProcessId;
            File.WriteAllText(temp, JsonSerializer.Serialize(report, PlanningJson.Indented) + "\n");
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"cannot write the report {path}: {e.Message}", e);
        }
    }

    /// <summary>"5 sectors, max deviation 3.2 %, all contiguous, mean Polsby-Popper 0.61, in 0.21 s".</summary>
    public static string Summary(PlanReport r, double seconds)
    {
        var contiguity = r.Contiguous
            ? r.Islands.Count > 0 ? $"all contiguous ({r.Islands.Count} island block(s) only by necessity)" : "all contiguous"
            : $"{r.Sectors.Count(s => !s.Contiguous)} not contiguous";
        var churn = r.Churn is { } c ? $", {c.BlocksChanged} block(s) changed sector ({c.WorkloadSharePct:0.#} % of the workload)" : "";
        return string.Create(Ci,
            $"{r.Sectors.Count} sector{(r.Sectors.Count == 1 ? "" : "s")}, max deviation {r.MaxDeviationPct:0.0} %, {contiguity}, mean Polsby-Popper {r.MeanPolsbyPopper:0.00}{churn}, in {seconds:0.00} s");
    }
}
