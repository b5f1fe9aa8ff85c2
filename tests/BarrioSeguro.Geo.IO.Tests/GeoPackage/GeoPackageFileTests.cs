using BarrioSeguro.Geo.IO.GeoPackage;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.GeoPackage;

public class GeoPackageFileTests
{
    [Fact]
    public void Round_trip_keeps_values_types_and_crs()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));

        var summary = VectorFile.Write(dir.File("barrio.gpkg"), source.Features, source.Epsg, 32717);

        Assert.Equal(3, summary.FeatureCount);
        var back = VectorFile.Read(dir.File("barrio.gpkg"));
        Assert.Equal(32717, back.Epsg);
        Assert.Equal(["Jirón Los Álamos", "Avenida Perú", "Comisaría El Milagro"], back.Features.Select(f => f.Attributes["nombre"]));
        Assert.Equal("El Milagro", back.Features[0].Attributes["ubicación1"]); // no 10-byte limit here
        Assert.Equal(2L, back.Features[0].Attributes["carriles"]);
        Assert.Equal(152.5, back.Features[0].Attributes["longitud_m"]);
        Assert.Equal(true, back.Features[0].Attributes["principal"]);
        Assert.Null(back.Features[2].Attributes["carriles"]);
        Assert.IsType<MultiLineString>(back.Features[1].Geometry);
        Assert.Equal(32717, back.Features[2].Geometry.SRID);
    }

    [Fact]
    public void Default_target_is_the_UTM_zone_of_the_data()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        Assert.Equal(32717, VectorFile.Write(dir.File("calles.gpkg"), source.Features, source.Epsg).Epsg);
        Assert.Equal(32717, VectorFile.Read(dir.File("calles.gpkg")).Epsg);
    }

    [Fact]
    public void GDAL_reads_it_as_UTM_17S_with_accents_intact()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));
        VectorFile.Write(dir.File("barrio.gpkg"), source.Features, source.Epsg, 32717);

        var summary = Gdal.OgrInfo("-so", "-al", dir.File("barrio.gpkg"));
        Assert.Contains("Layer name: barrio", summary);
        Assert.Contains("WGS 84 / UTM zone 17S", summary);
        Assert.Contains("ID[\"EPSG\",32717]", summary);
        Assert.Contains("Feature Count: 3", summary);
        Assert.Contains("principal: Integer(Boolean)", summary);

        var values = Gdal.OgrInfo("-al", "-q", dir.File("barrio.gpkg"));
        Assert.Contains("nombre (String) = Comisaría El Milagro", values);
        Assert.Contains("ubicación1 (String) = El Milagro", values);
    }

    [Fact]
    public void Reads_a_GeoPackage_written_by_GDAL()
    {
        using var dir = new TempDir();
        var input = dir.Write("in.geojson", Samples.Streets);
        RunOgr2Ogr("-f", "GPKG", "-t_srs", "EPSG:32718", dir.File("gdal.gpkg"), input);

        var back = GeoPackageFile.Read(dir.File("gdal.gpkg"));
        Assert.Equal(32718, back.Epsg);
        Assert.Equal(["Jirón Los Álamos", "Comisaría"], back.Features.Select(f => f.Attributes["nombre"]));
        Assert.Equal(2L, back.Features[0].Attributes["carriles"]);
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("this is not sqlite, just some text", "not a GeoPackage")]
    public void Bad_files(string content, string reason)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write("bad.gpkg", content)));
        Assert.StartsWith("bad.gpkg: " + reason, e.Message);
    }

    private static void RunOgr2Ogr(params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("/usr/bin/ogr2ogr") { RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, "ogr2ogr failed: " + err);
    }
}
