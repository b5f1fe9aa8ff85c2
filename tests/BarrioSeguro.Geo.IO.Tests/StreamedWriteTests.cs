using System.IO.Compression;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests;

/// <summary>
/// issue 15.2: a stream of features (read once, as rows from PostGIS are) is written as the same file as the same
/// features given as a list: the spool gathers what a format needs before its first byte (DBF widths, shape types,
/// the GeoPackage's declared type, FlatGeobuf's index) without holding the layer. GDAL reads each streamed file back.
/// </summary>
public class StreamedWriteTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    // Lines, a point, a feature without geometry (not for shapefiles: the NTS writer refuses a null shape, with a list
    // as with a stream), a text over 254 bytes, a name over 10 bytes, and values of each kind.
    private static List<IFeature> Mixed(bool withoutGeometry = true) => All().Where(f => withoutGeometry || f.Geometry is not null).ToList();

    private static List<IFeature> All() =>
    [
        Feature(Factory.CreateMultiLineString([Factory.CreateLineString([new(-79.03, -8.11), new(-79.02, -8.10)])]), 1, "Jirón Pizarro", 3_000_000_000L, 12.5, true),
        Feature(Factory.CreatePoint(new Coordinate(-79.025, -8.105)), 2, new string('á', 200), 7L, null, false),
        Feature(null, 3, null, null, 1.25, null),
        Feature(Factory.CreateMultiLineString([Factory.CreateLineString([new(-79.01, -8.12), new(-79.00, -8.11), new(-78.99, -8.115)])]), 4, "Av. España", 9L, -3.0, true),
    ];

    private static List<IFeature> Lines() =>
        Enumerable.Range(0, 60).Select(i => Feature(Factory.CreateLineString([new(-79.05 + i * 0.001, -8.1), new(-79.049 + i * 0.001, -8.09 - i * 0.0005)]),
            i + 1, $"calle {i}", i * 1000L, i / 3.0, i % 2 == 0)).ToList();

    private static IFeature Feature(Geometry? g, int id, string? name, long? osmId, double? length, bool? oneway) => new NetTopologySuite.Features.Feature(g, new AttributesTable
    {
        { "id", id }, { "name", name }, { "osmId", osmId }, { "lengthMeters", length }, { "oneway", oneway },
        { "surveyedOn", new DateTime(2026, 11, id % 28 + 1, 0, 0, 0) },
    });

    // Not a list: the writer can only read it once, in order.
    private static IEnumerable<IFeature> Once(IEnumerable<IFeature> features)
    {
        foreach (var f in features) yield return f;
    }

    [Theory]
    [InlineData("capa.shp")]
    [InlineData("capa.csv")]
    [InlineData("capa.kml")]
    [InlineData("capa.geojson")]
    public void A_stream_is_written_as_the_same_files_as_a_list(string name)
    {
        using var dir = new TempDir();
        var shapefile = name.EndsWith(".shp", StringComparison.Ordinal);
        var fromList = VectorFile.Write(dir.File("list/" + name), Mixed(!shapefile), 4326);
        var fromStream = VectorFile.Write(dir.File("stream/" + name), Once(Mixed(!shapefile)), 4326);

        Assert.Equal(fromList.Epsg, fromStream.Epsg);
        Assert.Equal(shapefile ? 3 : 4, fromStream.FeatureCount);
        Assert.Equal(fromList.Warnings, fromStream.Warnings);
        Assert.Equal(fromList.Files.Select(Path.GetFileName), fromStream.Files.Select(Path.GetFileName));
        foreach (var (a, b) in fromList.Files.Zip(fromStream.Files)) Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        // Only the written files are left: the spool went with the scratch folder.
        Assert.Equal(fromStream.Files.Order(), Directory.GetFiles(dir.File("stream"), "*", SearchOption.AllDirectories).Order());
    }

    [Fact]
    public void A_streamed_zipped_shapefile_holds_the_entries_of_a_listed_one_and_GDAL_reads_it()
    {
        using var dir = new TempDir();
        var fromList = VectorFile.Write(dir.File("list/capa.zip"), Mixed(false), 4326);
        var fromStream = VectorFile.Write(dir.File("stream/capa.zip"), Once(Mixed(false)), 4326);

        Assert.Equal(32717, fromStream.Epsg); // the UTM zone of the data, found while spooling
        Assert.Equal(fromList.Warnings, fromStream.Warnings);
        Assert.Contains(fromStream.Warnings, w => w.Contains("lengthMete", StringComparison.Ordinal)); // the 10-byte name
        using (var a = ZipFile.OpenRead(fromList.Files[0]))
        using (var b = ZipFile.OpenRead(fromStream.Files[0]))
        {
            Assert.Equal(a.Entries.Select(e => e.FullName), b.Entries.Select(e => e.FullName));
            foreach (var (x, y) in a.Entries.Zip(b.Entries)) Assert.Equal(Bytes(x), Bytes(y));
        }
        var lines = Gdal.OgrInfo("-al", "-so", "/vsizip/" + dir.File("stream/capa.zip") + "/capa_lines.shp");
        Assert.Contains("Feature Count: 2", lines);
        Assert.Contains("Feature Count: 1", Gdal.OgrInfo("-al", "-so", "/vsizip/" + dir.File("stream/capa.zip") + "/capa_points.shp"));
    }

    [Fact]
    public void A_streamed_GeoPackage_reads_back_in_GDAL_as_the_listed_one()
    {
        using var dir = new TempDir();
        VectorFile.Write(dir.File("list/capa.gpkg"), Mixed(), 4326, 32717);
        VectorFile.Write(dir.File("stream/capa.gpkg"), Once(Mixed()), 4326, 32717);

        var listed = Gdal.OgrInfo("-al", "-q", dir.File("list/capa.gpkg"));
        var streamed = Gdal.OgrInfo("-al", "-q", dir.File("stream/capa.gpkg"));
        Assert.Equal(listed.Replace(dir.File("list"), ""), streamed.Replace(dir.File("stream"), ""));
        var summary = Gdal.OgrInfo("-al", "-so", dir.File("stream/capa.gpkg"));
        Assert.Contains("Feature Count: 4", summary);
        Assert.Contains("Extent: (", summary); // set when the last row was in
    }

    [Fact]
    public void A_streamed_FlatGeobuf_is_the_listed_one_with_its_index()
    {
        using var dir = new TempDir();
        var fromList = VectorFile.Write(dir.File("list/calles.fgb"), Lines(), 4326, 32717);
        var fromStream = VectorFile.Write(dir.File("stream/calles.fgb"), Once(Lines()), 4326, 32717);

        Assert.Equal(File.ReadAllBytes(fromList.Files[0]), File.ReadAllBytes(fromStream.Files[0]));
        Assert.Contains("Feature Count: 60", Gdal.OgrInfo("-al", "-so", fromStream.Files[0]));
        Assert.Equal(60, VectorFile.Read(fromStream.Files[0]).Count);
    }

    [Fact]
    public void A_stream_that_fails_halfway_leaves_no_file()
    {
        using var dir = new TempDir();
        IEnumerable<IFeature> Failing()
        {
            foreach (var f in Lines().Take(10)) yield return f;
            throw new IOException("the database went away");
        }

        foreach (var name in new[] { "capa.zip", "capa.shp", "capa.geojson", "capa.gpkg", "capa.fgb" })
            Assert.Throws<IOException>(() => VectorFile.Write(dir.File("out/" + name), Failing(), 4326));
        Assert.Empty(Directory.GetFileSystemEntries(dir.File("out")));
    }

    private static byte[] Bytes(ZipArchiveEntry entry)
    {
        using var s = entry.Open();
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }
}
