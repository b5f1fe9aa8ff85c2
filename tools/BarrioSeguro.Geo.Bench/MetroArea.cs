using System.Globalization;
using System.Text;
using BarrioSeguro.Geo.Cli.Commands;
using BarrioSeguro.Geo.IO;
using BarrioSeguro.Geo.IO.Osm;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using Npgsql;

namespace BarrioSeguro.Geo.Bench;

/// <summary>
/// The city-scale case of the benchmarks. Our data holds no street extract of a whole metro area (the Trujillo
/// metro, 19,884 ways, is not here), so the closest real thing is built: the 6,056 real highway ways of the OSM extract
/// of Huanchaco and El Milagro (geodata/osm/huanchaco_el_milagro_extract.osm.pbf), laid <see cref="DefaultCopies"/> times
/// side by side, each copy moved east by the extract's width plus a gap (real streets, real shapes; the copies do not
/// touch, so a graph or a block of one copy never reaches another). 3 copies: 18,168 ways, about the metro's size (the 19,884).
/// Read once per process through osmium (Debian's osmium-tool), as <c>barrio import-osm</c> reads it.
/// </summary>
public static class MetroArea
{
    public const string ExtractFile = "osm/huanchaco_el_milagro_extract.osm.pbf";
    public const int DefaultCopies = 3;

    private static readonly Lock Gate = new();
    private static OsmExtract? extract;

    /// <summary>The extract's streets and stations, read once.</summary>
    public static OsmExtract Extract()
    {
        lock (Gate)
        {
            if (extract is not null) return extract;
            var path = BenchTiming.Geodata(ExtractFile) ?? throw new CommandFailedException($"geodata/{ExtractFile} not found: run from the repository");
            return extract = OsmPbf.Read(path);
        }
    }

    /// <summary>The metro streets in EPSG:4326: the extract's <paramref name="copies"/> times, copy i moved east by i
    /// times the streets' box width plus 0.01° (about 1.1 km). osm_id stays unique: copy i adds i × 10^11.</summary>
    public static FeatureSet Streets(int copies = DefaultCopies) => new(Copy(Extract().Streets, copies), 4326);

    /// <summary>The extract's police stations, copied as <see cref="Streets"/>: units for coverage at metro scale.</summary>
    public static FeatureSet Stations(int copies = DefaultCopies) => new(Copy(Extract().Stations, copies), 4326);

    /// <summary>The box of copy 0's streets; copy i lies <see cref="Shift"/> × i east of it.</summary>
    public static Envelope StreetBox()
    {
        var box = new Envelope();
        foreach (var f in Extract().Streets) box.ExpandToInclude(f.Geometry.EnvelopeInternal);
        return box;
    }

    /// <summary>Degrees east between one copy and the next.</summary>
    public static double Shift => StreetBox().Width + 0.01;

    /// <summary>Writes the metro streets (or stations) to a GeoJSON file in <paramref name="folder"/> for the
    /// end-to-end runs of the CLI and of ogr2ogr, once per folder and copy count; returns its path.</summary>
    public static string WriteStreets(string folder, int copies = DefaultCopies) =>
        WriteOnce(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"metro_streets_x{copies}.geojson")), () => Streets(copies));

    public static string WriteStations(string folder, int copies = DefaultCopies) =>
        WriteOnce(Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"metro_stations_x{copies}.geojson")), () => Stations(copies));

    private static string WriteOnce(string path, Func<FeatureSet> features)
    {
        if (File.Exists(path)) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var set = features();
        VectorFile.Write(path, set.Features, set.Epsg);
        return path;
    }

    private static List<IFeature> Copy(IReadOnlyList<IFeature> source, int copies)
    {
        if (copies < 1) throw new ArgumentOutOfRangeException(nameof(copies), copies, "at least one copy");
        var shift = Shift;
        var result = new List<IFeature>(source.Count * copies);
        for (var i = 0; i < copies; i++)
        {
            var dx = shift * i;
            foreach (var f in source)
            {
                var g = f.Geometry.Copy();
                if (i > 0)
                {
                    g.Apply(new MoveFilter(dx));
                    g.GeometryChanged();
                }
                var attributes = new AttributesTable();
                foreach (var name in f.Attributes.GetNames())
                {
                    var value = f.Attributes[name];
                    if (name == "osm_id" && i > 0 && value is long id) value = id + i * 100_000_000_000L;
                    attributes.Add(name, value);
                }
                result.Add(new Feature(g, attributes));
            }
        }
        return result;
    }

    private sealed class MoveFilter(double dx) : ICoordinateSequenceFilter
    {
        public void Filter(CoordinateSequence seq, int i) => seq.SetX(i, seq.GetX(i) + dx);
        public bool Done => false;
        public bool GeometryChanged => true;
    }

    /// <summary>
    /// The streets in the streets table as the service keeps them (class from highway, oneway, layer, bridge, tunnel,
    /// a MultiLineString in EPSG:4326), by COPY, then ANALYZE; a previous run's rows (the same OSM ids) go first.
    /// </summary>
    public static async Task CopyStreetsAsync(NpgsqlConnection connection, FeatureSet streets, CancellationToken ct)
    {
        var ids = streets.Features.Select(f => f.Attributes["osm_id"] is long id ? id : 0).ToArray();
        await using (var delete = new NpgsqlCommand("DELETE FROM streets WHERE osm_id = ANY($1)", connection))
        {
            delete.Parameters.Add(new NpgsqlParameter { Value = ids });
            await delete.ExecuteNonQueryAsync(ct);
        }
        var wkb = new WKBWriter(ByteOrder.LittleEndian, handleSRID: true, emitZ: false);
        await using (var writer = await connection.BeginTextImportAsync("COPY streets (osm_id, name, class, oneway, layer, bridge, tunnel, geometry) FROM STDIN", ct))
        {
            var line = new StringBuilder();
            foreach (var f in streets.Features)
            {
                string? Tag(string key) => f.Attributes.Exists(key) ? f.Attributes[key]?.ToString() : null;
                var g = f.Geometry is LineString l ? l.Factory.CreateMultiLineString([l]) : f.Geometry;
                g.SRID = 4326;
                line.Clear()
                    .Append(f.Attributes["osm_id"]).Append('\t')
                    .Append(Tag("name") is { } name ? Escape(name) : "\\N").Append('\t')
                    .Append(Escape(Tag("highway") ?? "road")).Append('\t')
                    .Append(Tag("oneway") is "yes" or "1" or "true" or "-1" ? "t" : "f").Append('\t')
                    .Append(int.TryParse(Tag("layer"), CultureInfo.InvariantCulture, out var layer) ? layer : 0).Append('\t')
                    .Append(Tag("bridge") is { } b && b != "no" ? "t" : "f").Append('\t')
                    .Append(Tag("tunnel") is { } t && t != "no" ? "t" : "f").Append('\t')
                    .Append(Convert.ToHexString(wkb.Write(g)));
                await writer.WriteLineAsync(line.ToString());
            }
        }
        await using var analyze = new NpgsqlCommand("ANALYZE streets", connection);
        await analyze.ExecuteNonQueryAsync(ct);
    }

    // COPY's text format: backslash, tab and line ends escaped.
    private static string Escape(string text) => text.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");
}
