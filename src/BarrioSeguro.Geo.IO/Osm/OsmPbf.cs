using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Osm;

/// <summary>What <see cref="OsmPbf.Read"/> found in an extract, in EPSG:4326, not yet clipped.</summary>
/// <param name="Streets">Every highway way as a line: attributes osm_id, name, highway, oneway, layer, bridge, tunnel, maxspeed.</param>
/// <param name="Stations">amenity=police nodes, and ways or relations as a point on their surface: osm_id, osm_type, name, operator.</param>
/// <param name="Buildings">building ways and relations as polygons (read only when asked): osm_id, building, name.</param>
/// <param name="DataBounds">
/// The box where the extract's streets and stations lie: the box of their vertices less the
/// <see cref="OsmPbf.TrimmedShare"/> farthest out on each side. Not the file's own data box: an extract cut with
/// complete ways keeps the tails of the ways crossing its edge and the far nodes of its relations (the shared
/// Huanchaco extract's box spans all of Peru, its streets' box reaches a district whose only street is one such tail).
/// </param>
public sealed record OsmExtract(
    IReadOnlyList<IFeature> Streets, IReadOnlyList<IFeature> Stations, IReadOnlyList<IFeature> Buildings, Envelope DataBounds)
{
    /// <summary>Highway ways left out because they are areas (a square, a karting track), as GDAL's OSM driver does.</summary>
    public int AreasLeftOut { get; init; }
}

/// <param name="Buildings">Also read building ways and relations.</param>
/// <param name="Timeout">How long each osmium run may take before it is stopped.</param>
/// <param name="Osmium">The osmium executable (Debian's osmium-tool), found on PATH when not a path.</param>
public sealed record OsmReadOptions(bool Buildings = false, TimeSpan? Timeout = null, string Osmium = "osmium")
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);
}

/// <summary>osmium-tool is missing or could not run: the machine's fault, not the file's.</summary>
public sealed class OsmReaderUnavailableException(Note reason, Exception? inner = null) : Exception(reason.English, inner)
{
    public Note Reason { get; } = reason;

    public override string Message => Reason.ToString();
}

/// <summary>
/// Reads an OpenStreetMap PBF extract through Debian's osmium-tool, started as a process with its arguments (no shell):
/// <c>osmium tags-filter</c> keeps the highway ways, police and (when asked) buildings, <c>osmium export</c> makes
/// them GeoJSON text sequences, read here. No PBF is parsed by hand.
/// </summary>
public static class OsmPbf
{
    /// <summary>Closed highway ways with one of these keys are areas, not streets: GDAL's osmconf.ini closed_ways_are_polygons.</summary>
    public static readonly IReadOnlyList<string> AreaKeys =
    [
        "aeroway", "amenity", "boundary", "building", "craft", "geological", "historic", "landuse", "leisure", "military",
        "natural", "office", "place", "shop", "sport", "tourism",
    ];

    /// <summary>Share of the vertices left out on each side of <see cref="OsmExtract.DataBounds"/>: 0.5 %.</summary>
    public const double TrimmedShare = 0.005;

    private static readonly string[] StreetTags = ["name", "highway", "oneway", "layer", "bridge", "tunnel", "maxspeed"];

    /// <summary>Reads the streets, police stations and optionally buildings of a PBF file.</summary>
    /// <param name="progress">0..1 as the stages finish.</param>
    /// <exception cref="RefusalException">Not a PBF, or damaged (truncated): osmium's reason is named.</exception>
    /// <exception cref="OsmReaderUnavailableException">osmium-tool is not installed, or ran past the timeout.</exception>
    public static OsmExtract Read(string path, OsmReadOptions? options = null, IProgress<double>? progress = null, CancellationToken ct = default)
    {
        options ??= new OsmReadOptions();
        var name = Path.GetFileName(path);
        CheckHeader(path, name);
        progress?.Report(0.05);
        var work = Directory.CreateTempSubdirectory("barrio-osm-");
        try
        {
            var filtered = Path.Combine(work.FullName, "filtered.osm.pbf");
            var filter = new List<string> { "tags-filter", "--no-progress", "--overwrite", "-F", "pbf", "-o", filtered, path, "w/highway", "nwr/amenity=police" };
            if (options.Buildings) filter.Add("wr/building");
            Run(options, filter, name, ct);
            progress?.Report(0.35);

            var config = Path.Combine(work.FullName, "export.json");
            File.WriteAllText(config, """
                {"attributes": {"type": true, "id": true}, "linear_tags": ["highway"], "area_tags": ["amenity=police", "building"],
                 "format_options": {"print_record_separator": false}}
                """);
            var seq = Path.Combine(work.FullName, "features.geojsonseq");
            Run(options, ["export", "--no-progress", "--overwrite", "-c", config, "-f", "geojsonseq", "-o", seq, filtered], name, ct);
            progress?.Report(0.7);

            var extract = Parse(seq, options.Buildings, ct);
            progress?.Report(1);
            return extract;
        }
        finally
        {
            try { work.Delete(true); } catch (IOException) { } // a temp folder left behind is no failure
        }
    }

    // A PBF begins with a 4-byte big-endian header length and a BlobHeader whose type is "OSMHeader".
    private static void CheckHeader(string path, string name)
    {
        Span<byte> head = stackalloc byte[15];
        int read;
        try
        {
            using var file = File.OpenRead(path);
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RefusalException(Note.Of("osm.unreadable", ("file", name), ("reason", e.Message)), "file");
        }
        var length = read >= 4 ? (head[0] << 24) | (head[1] << 16) | (head[2] << 8) | head[3] : -1;
        if (read < head.Length || length is <= 0 or > 64 * 1024 || head[4] != 0x0A || head[5] != 9 || !head[6..15].SequenceEqual("OSMHeader"u8))
            throw new RefusalException(Note.Of("osm.not_pbf", ("file", name)), "file");
    }

    private static void Run(OsmReadOptions options, IReadOnlyList<string> args, string name, CancellationToken ct)
    {
        var start = new ProcessStartInfo(options.Osmium)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false, CreateNoWindow = true,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("not started");
        }
        catch (Win32Exception e)
        {
            throw new OsmReaderUnavailableException(Note.Of("osm.reader_missing", ("tool", options.Osmium)), e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync(ct);
            var stdout = process.StandardOutput.ReadToEndAsync(ct);
            var timeout = options.Timeout ?? OsmReadOptions.DefaultTimeout;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                process.WaitForExitAsync(limit.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                ct.ThrowIfCancellationRequested();
                throw new OsmReaderUnavailableException(Note.Of("osm.reader_timeout", ("tool", options.Osmium), ("s", timeout.TotalSeconds)));
            }
            if (process.ExitCode != 0)
            {
                var said = (stderr.GetAwaiter().GetResult() + "\n" + stdout.GetAwaiter().GetResult())
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit code {process.ExitCode}";
                throw new RefusalException(Note.Of("osm.damaged", ("file", name), ("reason", said)), "file");
            }
        }
    }

    private static OsmExtract Parse(string seqPath, bool buildings, CancellationToken ct)
    {
        var factory = new GeometryFactory(new PrecisionModel(), Crs.Wgs84);
        var streets = new List<IFeature>();
        var stations = new List<IFeature>();
        var houses = new List<IFeature>();
        var xs = new List<double>();
        var ys = new List<double>();
        void Add(Geometry g)
        {
            foreach (var c in g.Coordinates) { xs.Add(c.X); ys.Add(c.Y); }
        }
        var areasLeftOut = 0;
        foreach (var line in File.ReadLines(seqPath, Encoding.UTF8))
        {
            ct.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(line)) continue;
            var json = JsonNode.Parse(line)!;
            var props = json["properties"]?.AsObject() ?? [];
            var type = props["@type"]?.GetValue<string>();
            var id = props["@id"]?.GetValue<long>() ?? 0;
            string? Tag(string key) => props[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var geometry = GeometryOf(json["geometry"], factory);
            if (geometry is null || geometry.IsEmpty) continue;

            if (type == "way" && Tag("highway") is not null && geometry is LineString line1)
            {
                if (line1.IsClosed && (Tag("area") == "yes" || Tag("highway") == "platform" || AreaKeys.Any(k => Tag(k) is not null)))
                {
                    areasLeftOut++;
                    continue;
                }
                var attributes = new AttributesTable { { "osm_id", id } };
                foreach (var key in StreetTags) if (Tag(key) is { } v) attributes.Add(key, v);
                streets.Add(new Feature(geometry, attributes));
                Add(geometry);
            }
            else if (Tag("amenity") == "police" && (type == "node" || geometry is IPolygonal))
            {
                var point = geometry as Point ?? factory.CreatePoint(geometry.InteriorPoint.Coordinate);
                var attributes = new AttributesTable { { "osm_id", id }, { "osm_type", type ?? "" } };
                if (Tag("name") is { } n) attributes.Add("name", n);
                if (Tag("operator") is { } o) attributes.Add("operator", o);
                stations.Add(new Feature(point, attributes));
                Add(point);
            }
            else if (buildings && Tag("building") is { } b && geometry is IPolygonal)
            {
                var attributes = new AttributesTable { { "osm_id", id }, { "building", b } };
                if (Tag("name") is { } n) attributes.Add("name", n);
                houses.Add(new Feature(geometry, attributes));
            }
        }
        return new OsmExtract(streets, stations, houses, Trimmed(xs, ys)) { AreasLeftOut = areasLeftOut };

        static Geometry? GeometryOf(JsonNode? node, GeometryFactory factory) => node is null ? null : Geometry(node, factory);
    }

    private static Envelope Trimmed(List<double> xs, List<double> ys)
    {
        if (xs.Count == 0) return new Envelope();
        xs.Sort();
        ys.Sort();
        var cut = (int)(xs.Count * TrimmedShare);
        return new Envelope(xs[cut], xs[^(cut + 1)], ys[cut], ys[^(cut + 1)]);
    }

    private static Geometry Geometry(JsonNode node, GeometryFactory f)
    {
        var coords = node["coordinates"]!;
        Coordinate C(JsonNode p) => new(p[0]!.GetValue<double>(), p[1]!.GetValue<double>());
        Coordinate[] Cs(JsonNode a) => a.AsArray().Select(p => C(p!)).ToArray();
        Polygon P(JsonNode rings)
        {
            var r = rings.AsArray().Select(x => f.CreateLinearRing(Cs(x!))).ToArray();
            return f.CreatePolygon(r[0], r[1..]);
        }
        return node["type"]!.GetValue<string>() switch
        {
            "Point" => f.CreatePoint(C(coords)),
            "LineString" => f.CreateLineString(Cs(coords)),
            "MultiLineString" => f.CreateMultiLineString(coords.AsArray().Select(l => f.CreateLineString(Cs(l!))).ToArray()),
            "Polygon" => P(coords),
            "MultiPolygon" => f.CreateMultiPolygon(coords.AsArray().Select(p => P(p!)).ToArray()),
            var t => throw new JsonException($"unexpected geometry {t}"),
        };
    }
}
