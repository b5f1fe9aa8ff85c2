using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.FlatGeobuf;

/// <summary>FlatGeobuf written from the spec: GDAL's driver reads its types, CRS and index; we read GDAL's files; bad files get one note.</summary>
public partial class FlatGeobufFileTests
{
    private static readonly GeometryFactory Wgs84 = new(new PrecisionModel(), 4326);

    [Fact]
    public void GDAL_reports_the_column_types_CRS_and_mixed_geometry_type_we_wrote()
    {
        using var dir = new TempDir();
        var features = new List<IFeature>
        {
            new Feature(Wgs84.CreateLineString([new(-79.0312, -8.0421), new(-79.0301, -8.0410)]), new AttributesTable
                { { "nombre", "Jirón Los Álamos" }, { "carriles", 2L }, { "longitud_m", 152.5 }, { "principal", true }, { "ubigeo", 130101123456L },
                  { "revisado", new DateTime(2026, 3, 1, 14, 30, 0, DateTimeKind.Utc) } }),
            new Feature(Wgs84.CreatePolygon([new(-79.04, -8.05), new(-79.02, -8.05), new(-79.02, -8.03), new(-79.04, -8.05)]), new AttributesTable
                { { "nombre", "Manzana 12" }, { "carriles", null }, { "longitud_m", null }, { "principal", false }, { "ubigeo", null }, { "revisado", null } }),
        };
        var summary = VectorFile.Write(dir.File("capa.fgb"), features, 4326, 32717);
        Assert.Equal(32717, summary.Epsg);

        var info = Gdal.OgrInfo("-so", dir.File("capa.fgb"), "capa");
        Assert.Contains("Geometry: Unknown (any)", info);
        Assert.Contains("Feature Count: 2", info);
        Assert.Contains("ID[\"EPSG\",32717]", info);
        Assert.Equal("String", FieldType(info, "nombre"));
        Assert.Equal("Integer", FieldType(info, "carriles"));
        Assert.Equal("Real", FieldType(info, "longitud_m"));
        Assert.Equal("Integer(Boolean)", FieldType(info, "principal"));
        Assert.Equal("Integer64", FieldType(info, "ubigeo"));
        Assert.Equal("DateTime", FieldType(info, "revisado"));
        var values = Gdal.OgrInfo("-q", "-where", "nombre = 'Jirón Los Álamos'", dir.File("capa.fgb"), "capa");
        Assert.Contains("ubigeo (Integer64) = 130101123456", values);
        Assert.Contains("revisado (DateTime) = 2026/03/01 14:30:00", values);
    }

    [Fact]
    public void GDAL_finds_through_our_R_tree_exactly_the_features_in_a_box()
    {
        using var dir = new TempDir();
        // 500 points on a grid: leaves, two levels of nodes and the root.
        var features = new List<IFeature>();
        for (var i = 0; i < 500; i++)
            features.Add(new Feature(Wgs84.CreatePoint(new Coordinate(-79.05 + (i % 25) * 0.001, -8.06 + i / 25 * 0.001)), new AttributesTable { { "id", (long)i } }));
        VectorFile.Write(dir.File("puntos.fgb"), features, 4326, 4326);

        var (minX, minY, maxX, maxY) = (-79.0405, -8.0555, -79.0335, -8.0495);
        var expected = features.Where(f => f.Geometry.Coordinate is var c && c.X >= minX && c.X <= maxX && c.Y >= minY && c.Y <= maxY)
            .Select(f => (long)f.Attributes["id"]).Order().ToList();
        Assert.InRange(expected.Count, 20, 100);
        var found = Gdal.OgrInfo("-q", "-spat", $"{minX}", $"{minY}", $"{maxX}", $"{maxY}", dir.File("puntos.fgb"), "puntos");
        var ids = IdValue().Matches(found).Select(m => long.Parse(m.Groups[1].Value)).Order().ToList();
        Assert.Equal(expected, ids);
    }

    [Theory]
    [InlineData("YES")]
    [InlineData("NO")]
    public void A_file_GDAL_wrote_with_or_without_index_reads_with_its_types_and_CRS(string spatialIndex)
    {
        using var dir = new TempDir();
        var geojson = dir.Write("in.geojson", Samples.StreetsAndStation);
        Ogr2Ogr.Run("-f", "FlatGeobuf", dir.File("gdal.fgb"), geojson, "-t_srs", "EPSG:32717", "-lco", "SPATIAL_INDEX=" + spatialIndex);

        var set = VectorFile.Read(dir.File("gdal.fgb"));
        Assert.Equal(32717, set.Epsg);
        Assert.Equal(3, set.Count);
        var street = set.Features.Single(f => (string)f.Attributes["nombre"] == "Jirón Los Álamos");
        Assert.Equal(2L, street.Attributes["carriles"]);
        Assert.Equal(152.5, street.Attributes["longitud_m"]);
        Assert.Equal(true, street.Attributes["principal"]);
        Assert.Equal("El Milagro", street.Attributes["ubicación1"]);
        var expected = Crs.Transform(Wgs84.CreateLineString([new(-79.0312, -8.0421), new(-79.0301, -8.0410)]), 4326, 32717);
        Assert.True(street.Geometry.EqualsExact(expected, 1e-3), street.Geometry.ToText());
        Assert.IsType<Point>(set.Features.Single(f => (string)f.Attributes["nombre"] == "Comisaría El Milagro").Geometry);
        Assert.IsType<MultiLineString>(set.Features.Single(f => (string)f.Attributes["nombre"] == "Avenida Perú").Geometry);
    }

    [Fact]
    public void Not_FlatGeobuf_another_version_and_truncated_files_get_one_note_each()
    {
        using var dir = new TempDir();
        VectorFile.Write(dir.File("ok.fgb"), VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation)).Features, 4326, 4326);
        var bytes = File.ReadAllBytes(dir.File("ok.fgb"));
        var headerEnd = 12 + (int)BitConverter.ToUInt32(bytes, 8);

        Assert.Equal("io.fgb_not_flatgeobuf", Refusal(dir.Write("json.fgb", Samples.Streets)));
        var v2 = (byte[])bytes.Clone();
        v2[3] = 2;
        Assert.Equal("io.fgb_version", Refusal(Save(dir, "v2.fgb", v2)));
        Assert.Equal("io.fgb_corrupt_header", Refusal(Save(dir, "header.fgb", bytes[..20])));
        Assert.Equal("io.fgb_corrupt_index", Refusal(Save(dir, "index.fgb", bytes[..(headerEnd + 10)])));
        Assert.Equal("io.fgb_corrupt_feature", Refusal(Save(dir, "feature.fgb", bytes[..^5])));
        var garbage = (byte[])bytes.Clone();
        for (var i = headerEnd; i < garbage.Length; i++) garbage[i] = 0xFF;
        Assert.StartsWith("io.fgb_", Refusal(Save(dir, "garbage.fgb", garbage)));
    }

    [Fact]
    public void A_CRS_we_do_not_know_is_refused_with_its_name()
    {
        using var dir = new TempDir();
        var geojson = dir.Write("in.geojson", Samples.Streets);
        Ogr2Ogr.Run("-f", "FlatGeobuf", dir.File("custom.fgb"), geojson, "-t_srs",
            "+proj=tmerc +lat_0=0 +lon_0=-76 +k=0.9996 +x_0=500000 +y_0=10000000 +ellps=intl +units=m +no_defs");
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.File("custom.fgb")));
        Assert.Equal("io.fgb_unknown_crs", e.Note.Code);
    }

    [Fact]
    public void Nothing_to_write_leaves_no_file()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Write(dir.File("vacio.fgb"), [], 4326));
        Assert.Equal("io.no_features_to_write", e.Note.Code);
        Assert.Empty(dir.Listing());
    }

    [Fact]
    public void What_we_write_we_read_back_with_the_same_values_and_geometries()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));
        VectorFile.Write(dir.File("ida.fgb"), source.Features, 4326, 4326);
        var back = VectorFile.Read(dir.File("ida.fgb"));
        Assert.Equal(4326, back.Epsg);
        foreach (var f in source.Features)
        {
            var g = back.Features.Single(b => Equals(b.Attributes["nombre"], f.Attributes["nombre"]));
            Assert.True(g.Geometry.EqualsExact(f.Geometry, 1e-12), g.Geometry.ToText());
            // A column of whole and fractional numbers is Double: 410 comes back as 410.0.
            foreach (var name in f.Attributes.GetNames())
                if (f.Attributes[name] is long l && g.Attributes[name] is double d) Assert.Equal(l, d);
                else Assert.Equal(f.Attributes[name], g.Attributes[name]);
        }
    }

    private static string Save(TempDir dir, string name, byte[] bytes)
    {
        File.WriteAllBytes(dir.File(name), bytes);
        return dir.File(name);
    }

    private static string Refusal(string path) => Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(path)).Note.Code;

    private static string FieldType(string ogrinfo, string field) =>
        Regex.Match(ogrinfo, $@"^{Regex.Escape(field)}: ([A-Za-z0-9()]+) ", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : $"(no field {field})";

    [GeneratedRegex(@"id \(Integer\) = (\d+)")]
    private static partial Regex IdValue();
}
