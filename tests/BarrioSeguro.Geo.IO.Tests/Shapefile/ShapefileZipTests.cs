using System.IO.Compression;
using System.Text;
using BarrioSeguro.Geo.IO.Shapefile;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.Shapefile;

public class ShapefileZipTests
{
    [Fact]
    public void GeoJson_to_zip_and_back_keeps_values_and_accents()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("streets.geojson", Samples.Streets));
        var summary = VectorFile.Write(dir.File("streets.zip"), source.Features, source.Epsg, 32717);

        Assert.Equal(2, summary.FeatureCount);
        Assert.Equal(32717, summary.Epsg);
        var back = VectorFile.Read(dir.File("streets.zip"));
        Assert.Equal(32717, back.Epsg);
        Assert.Equal(["Jirón Los Álamos", "Comisaría"], back.Features.Select(f => f.Attributes["nombre"]));
        Assert.Equal(["residential", "service"], back.Features.Select(f => f.Attributes["tipo"]));
        Assert.Equal(["Int64:2", "Int64:1"], back.Features.Select(f => $"{f.Attributes["carriles"].GetType().Name}:{f.Attributes["carriles"]}"));

        // Same place: back to lon/lat within a millimetre or so.
        var there = BarrioSeguro.Geo.Core.Spatial.Crs.Transform(back.Features[0].Geometry, 32717, 4326);
        Assert.Equal(-79.0312, there.Coordinates[0].X, 7);
        Assert.Equal(-8.0421, there.Coordinates[0].Y, 7);
    }

    [Fact]
    public void Zip_holds_prj_and_utf8_cpg_for_each_shapefile()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        using var ms = new MemoryStream();
        ShapefileZip.Write(ms, "calles", source.Features, source.Epsg, 32717);

        ms.Position = 0;
        using var zip = new ZipArchive(ms);
        Assert.Equal(["calles.cpg", "calles.dbf", "calles.prj", "calles.shp", "calles.shx"], zip.Entries.Select(e => e.FullName).Order());
        Assert.Equal("UTF-8", Text(zip, "calles.cpg"));
        Assert.Equal(EsriPrj.For(32717), Text(zip, "calles.prj"));
    }

    [Fact]
    public void Mixed_layer_is_split_by_geometry_type_and_read_back_whole()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));
        using (var s = File.Create(dir.File("streets.zip")))
            ShapefileZip.Write(s, "streets", source.Features, source.Epsg, 32717);

        using (var zip = ZipFile.OpenRead(dir.File("streets.zip")))
            Assert.Equal(
                ["streets_lines.cpg", "streets_lines.dbf", "streets_lines.prj", "streets_lines.shp", "streets_lines.shx",
                 "streets_points.cpg", "streets_points.dbf", "streets_points.prj", "streets_points.shp", "streets_points.shx"],
                zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        var back = VectorFile.Read(dir.File("streets.zip"));
        Assert.Equal(3, back.Count);
        Assert.Equal(["Jirón Los Álamos", "Avenida Perú", "Comisaría El Milagro"], back.Features.Select(f => f.Attributes["nombre"]));
        // 11-byte "ubicación1" is stored as the 10-byte "ubicación".
        Assert.Equal("El Milagro", back.Features[0].Attributes["ubicación"]);
        Assert.Equal(152.5, back.Features[0].Attributes["longitud_m"]);
        Assert.Equal(true, back.Features[0].Attributes["principal"]);
        Assert.IsType<Point>(back.Features[2].Geometry);
    }

    [Fact]
    public void GDAL_reads_the_zip_as_UTM_17S_with_accents_intact()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        VectorFile.Write(dir.File("calles.zip"), source.Features, source.Epsg, 32717);

        var summary = Gdal.OgrInfo("-so", "-al", "/vsizip/" + dir.File("calles.zip"));
        Assert.Contains("WGS 84 / UTM zone 17S", summary);
        Assert.Contains("ID[\"EPSG\",32717]", summary);
        Assert.Contains("Feature Count: 2", summary);

        Assert.Contains("carriles: Integer (9.0)", summary);

        var values = Gdal.OgrInfo("-al", "-q", "/vsizip/" + dir.File("calles.zip"));
        Assert.Contains("nombre (String) = Jirón Los Álamos", values);
        Assert.Contains("nombre (String) = Comisaría", values);
    }

    [Fact]
    public void GDAL_identifies_PSAD56_output()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        VectorFile.Write(dir.File("psad.zip"), source.Features, source.Epsg, 24877);
        Assert.Contains("PSAD56 / UTM zone 17S", Gdal.OgrInfo("-so", "-al", "/vsizip/" + dir.File("psad.zip")));
    }

    [Fact]
    public void Reads_a_zip_with_shapefiles_in_a_folder()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        VectorFile.Write(dir.File("calles.shp"), source.Features, source.Epsg, 32717);
        using (var zip = ZipFile.Open(dir.File("nested.zip"), ZipArchiveMode.Create))
            foreach (var ext in new[] { "shp", "shx", "dbf", "prj", "cpg" })
                zip.CreateEntryFromFile(dir.File("calles." + ext), "datos/calles." + ext);

        var back = VectorFile.Read(dir.File("nested.zip"));
        Assert.Equal(2, back.Count);
        Assert.Equal(32717, back.Epsg);
    }

    [Fact]
    public void Zip_without_shapefile_is_refused()
    {
        using var dir = new TempDir();
        using (var zip = ZipFile.Open(dir.File("empty.zip"), ZipArchiveMode.Create))
            using (var w = new StreamWriter(zip.CreateEntry("readme.txt").Open())) w.Write("nada");
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.File("empty.zip")));
        Assert.Equal("empty.zip: no .shp file inside the zip", e.Message);
    }

    [Fact]
    public void Zip_with_a_shapefile_missing_its_dbf_names_it()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        VectorFile.Write(dir.File("calles.shp"), source.Features, source.Epsg, 32717);
        using (var zip = ZipFile.Open(dir.File("broken.zip"), ZipArchiveMode.Create))
            foreach (var ext in new[] { "shp", "shx", "prj" })
                zip.CreateEntryFromFile(dir.File("calles." + ext), "calles." + ext);
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.File("broken.zip")));
        Assert.StartsWith("broken.zip: calles.shp: missing calles.dbf", e.Message);
    }

    private static string Text(ZipArchive zip, string name)
    {
        using var r = new StreamReader(zip.GetEntry(name)!.Open(), Encoding.UTF8);
        return r.ReadToEnd();
    }
}
