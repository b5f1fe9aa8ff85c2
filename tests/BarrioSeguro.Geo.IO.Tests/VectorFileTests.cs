using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests;

public class VectorFileTests
{
    [Fact]
    public void Loose_shapefile_of_one_type_keeps_its_name()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        var summary = VectorFile.Write(dir.File("out/calles.shp"), source.Features, source.Epsg);

        Assert.Equal(32717, summary.Epsg); // default: the UTM zone of the data
        Assert.Equal(["calles.cpg", "calles.dbf", "calles.prj", "calles.shp", "calles.shx"], summary.Files.Select(Path.GetFileName));
        Assert.Equal(["calles.cpg", "calles.dbf", "calles.prj", "calles.shp", "calles.shx"], Directory.GetFiles(dir.File("out")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Loose_shapefile_of_lines_and_points_is_two_shapefiles_GDAL_reads()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));
        var summary = VectorFile.Write(dir.File("streets.shp"), source.Features, source.Epsg, 32717);

        Assert.Contains(dir.File("streets_lines.shp"), summary.Files);
        Assert.Contains(dir.File("streets_points.shp"), summary.Files);
        Assert.False(File.Exists(dir.File("streets.shp")));
        Assert.Contains("Geometry: Line String", Gdal.OgrInfo("-so", "-al", dir.File("streets_lines.shp")));
        var points = Gdal.OgrInfo("-al", "-q", dir.File("streets_points.shp"));
        Assert.Contains("nombre (String) = Comisaría El Milagro", points);
        Assert.Contains("ubicación (String)", points); // the 11-byte name, cut to 10 bytes, still readable
    }

    [Fact]
    public void Reads_a_Latin1_shapefile_without_cpg_like_GDAL()
    {
        using var dir = new TempDir();
        var input = dir.Write("in.geojson", Samples.Streets);
        Ogr2Ogr("-f", "ESRI Shapefile", "-lco", "ENCODING=ISO-8859-1", dir.File("latin1.shp"), input);
        File.Delete(dir.File("latin1.cpg"));

        var back = VectorFile.Read(dir.File("latin1.shp"));
        Assert.Equal(4326, back.Epsg);
        Assert.Equal("Jirón Los Álamos", back.Features[0].Attributes["nombre"]);
    }

    [Fact]
    public void Reads_a_UTF8_shapefile_written_by_GDAL_in_UTM()
    {
        using var dir = new TempDir();
        var input = dir.Write("in.geojson", Samples.Streets);
        Ogr2Ogr("-f", "ESRI Shapefile", "-t_srs", "EPSG:32717", "-lco", "ENCODING=UTF-8", dir.File("gdal.shp"), input);

        var back = VectorFile.Read(dir.File("gdal.shp"));
        Assert.Equal(32717, back.Epsg);
        Assert.Equal("Comisaría", back.Features[1].Attributes["nombre"]);
    }

    [Theory]
    [InlineData("shx", "calles.shp: missing calles.shx")]
    [InlineData("dbf", "calles.shp: missing calles.dbf")]
    public void Missing_parts_of_a_shapefile(string missing, string message)
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        VectorFile.Write(dir.File("calles.shp"), source.Features, source.Epsg);
        File.Delete(dir.File("calles." + missing));

        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.File("calles.shp")));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void Unknown_crs_in_prj()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        VectorFile.Write(dir.File("calles.shp"), source.Features, source.Epsg);
        File.WriteAllText(dir.File("calles.prj"), "GEOGCS[\"GCS_North_American_1983\",DATUM[\"D_North_American_1983\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]]]");

        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.File("calles.shp")));
        Assert.StartsWith("calles.shp: unknown CRS in calles.prj: GEOGCS[\"GCS_North_American_1983\"", e.Message);
    }

    [Theory]
    [InlineData("datos.dwg", "datos.dwg: unknown file type '.dwg'")]
    [InlineData("datos", "datos: unknown file type '(no extension)'")]
    public void Unknown_extension(string name, string message)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write(name, "x")));
        Assert.StartsWith(message, e.Message);
        Assert.Throws<InvalidVectorFileException>(() => VectorFile.Write(dir.File(name), [], 4326, 4326));
    }

    [Theory]
    [InlineData("calles.shp")]
    [InlineData("calles.zip")]
    [InlineData("calles.geojson")]
    [InlineData("calles.gpkg")]
    public void Empty_file(string name)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write(name, "")));
        Assert.Equal($"{name}: empty file", e.Message);
    }

    [Fact]
    public void Missing_file()
    {
        using var dir = new TempDir();
        Assert.Equal("nada.geojson: file not found",
            Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.File("nada.geojson"))).Message);
    }

    [Theory]
    [InlineData("calles.shp")]
    [InlineData("calles.zip")]
    public void A_failed_write_leaves_no_files_and_keeps_the_old_output(string name)
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        var old = VectorFile.Write(dir.File(name), source.Features, source.Epsg);
        var before = dir.Listing().ToDictionary(f => f, f => File.ReadAllBytes(dir.File(f)));

        // A valid street, then something no shapefile can hold.
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var collection = factory.CreateGeometryCollection([factory.CreatePoint(new Coordinate(-79.03, -8.04))]);
        var bad = source.Features.Append(new Feature(collection, new AttributesTable { { "nombre", "Jirón roto" } }));

        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Write(dir.File(name), bad, source.Epsg, 32717));
        Assert.Contains("feature #3 is a GeometryCollection", e.Message);
        Assert.Equal(before.Keys, dir.Listing());                      // no scratch folder, no new files
        Assert.All(before, kv => Assert.Equal(kv.Value, File.ReadAllBytes(dir.File(kv.Key)))); // old output untouched
        Assert.NotEmpty(old.Files);
    }

    [Fact]
    public void Write_does_not_touch_the_callers_geometries()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        var before = source.Features[0].Geometry.Copy();
        VectorFile.Write(dir.File("calles.zip"), source.Features, source.Epsg, 32717);
        Assert.True(before.EqualsExact(source.Features[0].Geometry));
        Assert.Equal(4326, source.Features[0].Geometry.SRID);
    }

    [Fact]
    public void Dates_and_text_types_survive_a_shapefile()
    {
        using var dir = new TempDir();
        var factory = new GeometryFactory(new PrecisionModel(), 4326);
        var features = new List<IFeature>
        {
            new Feature(factory.CreatePoint(new Coordinate(-79.03, -8.04)),
                new AttributesTable { { "fecha", new DateTime(2024, 3, 15) }, { "hora", new DateTime(2024, 3, 15, 22, 30, 0) }, { "mixto", 1L } }),
            new Feature(factory.CreatePoint(new Coordinate(-79.02, -8.03)),
                new AttributesTable { { "fecha", null }, { "hora", null }, { "mixto", "uno" } }),
        };
        VectorFile.Write(dir.File("denuncias.zip"), features, 4326);
        var back = VectorFile.Read(dir.File("denuncias.zip"));
        Assert.Equal(new DateTime(2024, 3, 15), back.Features[0].Attributes["fecha"]);
        Assert.Equal("2024-03-15T22:30:00", back.Features[0].Attributes["hora"]); // DBF has no date-time: ISO text
        Assert.Equal(["1", "uno"], back.Features.Select(f => f.Attributes["mixto"]));
    }

    private static void Ogr2Ogr(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/ogr2ogr") { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "ogr2ogr failed: " + err);
    }
}

public class VectorFileValueTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    [Theory]
    [InlineData("calles.zip")]
    [InlineData("calles.gpkg")]
    [InlineData("calles.geojson")]
    public void Three_dimensional_points_keep_their_height(string name)
    {
        using var dir = new TempDir();
        var features = new List<IFeature> { new Feature(Factory.CreatePoint(new CoordinateZ(-79.03, -8.04, 31.5)), new AttributesTable { { "n", 1L } }) };
        VectorFile.Write(dir.File(name), features, 4326, 4326);
        var back = Assert.Single(VectorFile.Read(dir.File(name)).Features);
        Assert.Equal(31.5, back.Geometry.Coordinate.Z, 6);
    }

    [Fact]
    public void Text_longer_than_254_bytes_is_cut_at_a_character_boundary()
    {
        using var dir = new TempDir();
        var longText = string.Concat(Enumerable.Repeat("Comisaría ", 40)); // 440 bytes
        var features = new List<IFeature> { new Feature(Factory.CreatePoint(new Coordinate(-79.03, -8.04)), new AttributesTable { { "nota", longText } }) };
        VectorFile.Write(dir.File("notas.zip"), features, 4326);
        var back = (string)Assert.Single(VectorFile.Read(dir.File("notas.zip")).Features).Attributes["nota"];
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(back) <= 254);
        Assert.StartsWith(back.TrimEnd(), longText);
        Assert.DoesNotContain('\uFFFD', back);
    }
}

public class VectorFileNumberTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(-7L)]
    [InlineData(9_876_543_210L)]
    [InlineData(123456.789)]
    [InlineData(-0.000123)]
    public void Numbers_survive_a_shapefile(object value)
    {
        using var dir = new TempDir();
        var features = new List<IFeature> { new Feature(Factory.CreatePoint(new Coordinate(-79.03, -8.04)), new AttributesTable { { "valor", value } }) };
        VectorFile.Write(dir.File("numeros.zip"), features, 4326);
        var back = Assert.Single(VectorFile.Read(dir.File("numeros.zip")).Features).Attributes["valor"];
        Assert.Equal(Convert.ToDouble(value), Convert.ToDouble(back), 9);
    }
}
