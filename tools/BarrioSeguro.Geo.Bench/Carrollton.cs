using System.Globalization;
using BarrioSeguro.Geo.Core.Sectors;
using BarrioSeguro.Geo.IO;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Bench;

/// <summary>The stored p-median run of Wheeler (2019): each reporting area (dest) with its beat's source area and calls.</summary>
/// <param name="SourceOf">NumberId of each area → NumberId of its beat's source area.</param>
/// <param name="Calls">NumberId → calls.</param>
/// <param name="NetworkMiles">NumberId → network miles from its source, as stored.</param>
public sealed record StoredPMedian(IReadOnlyDictionary<string, string> SourceOf, IReadOnlyDictionary<string, double> Calls,
    IReadOnlyDictionary<string, double> NetworkMiles)
{
    public int Beats => SourceOf.Values.Distinct().Count();
    public double TotalCalls => Calls.Values.Sum();
    /// <summary>Σ calls × network miles, as stored (thousands of call-miles ÷ 1000).</summary>
    public double CallMiles => Calls.Sum(c => c.Value * NetworkMiles[c.Key]);
}

/// <summary>Wheeler's Carrollton, Texas data (325 reporting areas, 12 beats) as the bench reads it from a directory.</summary>
/// <param name="Areas">The reporting areas with their calls as workload (ids: PDGrid, else the file's id).</param>
/// <param name="CurrentBeat">Area id → current beat, when the areas carry a beat attribute.</param>
/// <param name="Stored">Area id → the stored p-median run's beat (its source area), when PMed_Results1.csv is there and the
/// areas carry NumberId.</param>
public sealed record CarrolltonData(IReadOnlyList<SectorUnit> Areas, IReadOnlyDictionary<string, int>? CurrentBeat,
    IReadOnlyDictionary<string, int>? Stored, IReadOnlyList<string> Notes);

/// <summary>
/// Reads the Carrollton case (apwheele/PatrolRedistrict). The directory holds the reporting areas as any vector file
/// our readers take (DataOrig/ReportingAreas.shp with its .dbf/.shx/.prj, or a GeoJSON/GeoPackage made from it with
/// the RA_Calls or RA_Centroids table joined): polygons with an id (PDGrid or id), calls (Cnt_ra, Count_ra or calls),
/// optionally the current beat (beat) and NumberId; and optionally DataCreated/PMed_Results1.csv, the stored run.
/// </summary>
public static class Carrollton
{
    private static readonly CultureInfo Ci = CultureInfo.InvariantCulture;
    private static readonly string[] AreaFiles = ["ReportingAreas.shp", "areas.geojson", "areas.gpkg", "ReportingAreas.geojson", "ReportingAreas.gpkg"];

    /// <summary>Reads PMed_Results1.csv (source,dest,dist,calls,cost).</summary>
    /// <exception cref="InvalidDataException">Not that table, or a malformed row (named by line).</exception>
    public static StoredPMedian ReadPMedian(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0 || !lines[0].Trim().Equals("source,dest,dist,calls,cost", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException($"{Path.GetFileName(path)}: the header must be source,dest,dist,calls,cost");
        var source = new Dictionary<string, string>(StringComparer.Ordinal);
        var calls = new Dictionary<string, double>(StringComparer.Ordinal);
        var miles = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Count; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != 5 || !double.TryParse(f[2], NumberStyles.Float, Ci, out var d) || !double.TryParse(f[3], NumberStyles.Float, Ci, out var c) || d < 0 || c < 0)
                throw new InvalidDataException($"{Path.GetFileName(path)} line {i + 1}: '{lines[i]}' is not source,dest,miles,calls,cost");
            if (!source.TryAdd(f[1].Trim(), f[0].Trim())) throw new InvalidDataException($"{Path.GetFileName(path)} line {i + 1}: area {f[1]} is in two beats");
            calls[f[1].Trim()] = c;
            miles[f[1].Trim()] = d;
        }
        return new StoredPMedian(source, calls, miles);
    }

    /// <summary>Reads the case from a directory.</summary>
    /// <exception cref="FileNotFoundException">No areas file: the message names the files looked for.</exception>
    /// <exception cref="InvalidDataException">Areas without an id or calls attribute, or not polygons.</exception>
    public static CarrolltonData Load(string dir)
    {
        var areasPath = AreaFiles.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{dir}: no reporting areas ({string.Join(", ", AreaFiles)})");
        var set = VectorFile.Read(areasPath);
        var notes = new List<string>();
        string? Attr(NetTopologySuite.Features.IFeature f, params string[] names)
        {
            var table = f.Attributes;
            var name = table?.GetNames().FirstOrDefault(n => names.Any(x => string.Equals(n, x, StringComparison.OrdinalIgnoreCase)));
            return name is null || table![name] is null ? null : Convert.ToString(table[name], Ci)?.Trim();
        }
        var areas = new List<SectorUnit>();
        var beat = new Dictionary<string, string>(StringComparer.Ordinal);
        var numberId = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < set.Count; i++)
        {
            var f = set.Features[i];
            var id = Attr(f, "PDGrid", "id") ?? throw new InvalidDataException($"{Path.GetFileName(areasPath)}: area {i} has no PDGrid or id attribute");
            var callsText = Attr(f, "Cnt_ra", "Count_ra", "calls")
                ?? throw new InvalidDataException($"{Path.GetFileName(areasPath)}: area {id} has no calls attribute (Cnt_ra, Count_ra or calls): join RA_Calls or RA_Centroids");
            if (!double.TryParse(callsText, NumberStyles.Float, Ci, out var calls) || calls < 0)
                throw new InvalidDataException($"{Path.GetFileName(areasPath)}: area {id} has calls '{callsText}'");
            var g = Core.Spatial.Crs.Transform(f.Geometry, set.Epsg, Core.Spatial.Crs.Wgs84);
            if (g is not (Polygon or MultiPolygon)) throw new InvalidDataException($"{Path.GetFileName(areasPath)}: area {id} is a {g.GeometryType}");
            areas.Add(new SectorUnit(id, g, calls));
            if (Attr(f, "beat") is { Length: > 0 } b) beat[id] = b;
            if (Attr(f, "NumberId") is { Length: > 0 } n) numberId[n] = id;
        }
        var multipart = areas.Count(a => a.Geometry is MultiPolygon { NumGeometries: > 1 });
        if (multipart > 0) notes.Add($"{multipart} area(s) in several parts, each planned as one unit");
        IReadOnlyDictionary<string, int>? current = beat.Count == areas.Count ? Numbered(beat) : null;
        if (current is null) notes.Add("current beats: the areas have no beat attribute for every area");

        IReadOnlyDictionary<string, int>? stored = null;
        var pmedPath = Path.Combine(dir, "PMed_Results1.csv");
        if (File.Exists(pmedPath))
        {
            var run = ReadPMedian(pmedPath);
            var byId = run.SourceOf.Where(kv => numberId.ContainsKey(kv.Key)).ToDictionary(kv => numberId[kv.Key], kv => kv.Value, StringComparer.Ordinal);
            if (byId.Count == areas.Count) stored = Numbered(byId);
            else notes.Add($"stored p-median: {byId.Count} of {areas.Count} areas matched by NumberId");
        }
        else notes.Add("stored p-median: no PMed_Results1.csv");
        return new CarrolltonData(areas, current, stored, notes);
    }

    private static Dictionary<string, int> Numbered(Dictionary<string, string> labels)
    {
        var numbers = labels.Values.Distinct().Order(StringComparer.Ordinal).Select((l, i) => (l, i)).ToDictionary(x => x.l, x => x.i, StringComparer.Ordinal);
        return labels.ToDictionary(kv => kv.Key, kv => numbers[kv.Value], StringComparer.Ordinal);
    }
}
