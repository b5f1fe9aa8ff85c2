using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.Csv;

/// <summary>CSV written by us and read back by GDAL's CSV driver (types detected) and by our reader.</summary>
public class CsvFileTests
{
    [Fact]
    public void Lines_go_in_a_WKT_column_GDAL_takes_as_the_geometry_with_typed_values()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));
        var summary = VectorFile.Write(dir.File("calles.csv"), source.Features, source.Epsg);
        Assert.Equal(4326, summary.Epsg);
        Assert.StartsWith("WKT,nombre,", File.ReadAllLines(dir.File("calles.csv"))[0]);

        var info = Gdal.OgrInfo("-al", "-oo", "AUTODETECT_TYPE=YES", dir.File("calles.csv"));
        Assert.Contains("Feature Count: 3", info);
        Assert.Contains("carriles: Integer", info);
        Assert.Contains("longitud_m: Real", info);
        Assert.Contains("nombre (String) = Avenida Perú", info);
        Assert.Contains("MULTILINESTRING ((-79.033 -8.044,-79.029 -8.04))", info);
        Assert.Contains("POINT (-79.0305 -8.0415)", info);
    }

    [Fact]
    public void Points_in_UTM_go_in_x_y_columns_that_match_the_projection()
    {
        using var dir = new TempDir();
        var f = new GeometryFactory(new PrecisionModel(), 4326);
        var features = new List<IFeature>
        {
            new Feature(f.CreatePoint(new Coordinate(-79.0305, -8.0415)), new AttributesTable { { "name", "Comisaría, \"El Milagro\"" }, { "id", 7L } }),
        };
        VectorFile.Write(dir.File("comisarias.csv"), features, 4326, 32717);
        var lines = File.ReadAllLines(dir.File("comisarias.csv"));
        Assert.Equal("x,y,name,id", lines[0]);
        var (x, y) = Crs.Transform(-79.0305, -8.0415, 4326, 32717);
        var info = Gdal.OgrInfo("-al", "-oo", "X_POSSIBLE_NAMES=x", "-oo", "Y_POSSIBLE_NAMES=y", "-oo", "AUTODETECT_TYPE=YES", dir.File("comisarias.csv"));
        Assert.Contains("name (String) = Comisaría, \"El Milagro\"", info);
        var point = info.Split('\n').Single(l => l.TrimStart().StartsWith("POINT (", StringComparison.Ordinal)).Trim();
        var parts = point["POINT (".Length..^1].Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(x, parts[0], 0.001);
        Assert.Equal(y, parts[1], 0.001);
    }

    [Fact]
    public void Reads_lon_lat_and_WKT_files_with_typed_columns()
    {
        using var dir = new TempDir();
        var points = VectorFile.Read(dir.Write("incidentes.csv", "id;Longitud;Latitud;tipo;grave\n1;-79.03;-8.04;robo;true\n2;-79.031;-8.041;\"hurto; menor\";false\n"));
        Assert.Equal(2, points.Count);
        Assert.Equal(4326, points.Epsg);
        Assert.Equal(new Coordinate(-79.031, -8.041), points.Features[1].Geometry.Coordinate);
        Assert.Equal(2L, points.Features[1].Attributes["id"]);
        Assert.Equal("hurto; menor", points.Features[1].Attributes["tipo"]);
        Assert.Equal(false, points.Features[1].Attributes["grave"]);

        var lines = VectorFile.Read(dir.Write("calles.csv", "WKT,nombre,largo\n\"LINESTRING (-79.03 -8.04, -79.02 -8.03)\",Jirón Unión,12.5\n"));
        Assert.IsType<LineString>(lines.Features[0].Geometry);
        Assert.Equal(12.5, lines.Features[0].Attributes["largo"]);
    }

    [Fact]
    public void A_CSV_without_geometry_columns_or_with_bad_coordinates_is_refused_naming_the_row()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write("a.csv", "id,nombre\n1,x\n")));
        Assert.Contains("no geometry column", e.Message);
        e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write("b.csv", "lon,lat\n-79.03,-8.04\n-79.03,abc\n")));
        Assert.Contains("row 3", e.Message);
        e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write("c.csv", "WKT\nLINESTRING (1 2\n")));
        Assert.Contains("not WKT", e.Message);
    }
}
