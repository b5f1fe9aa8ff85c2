using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.Kml;

/// <summary>KML written by us and read back by GDAL (LIBKML, the driver QGIS uses first) and by our reader.</summary>
public class KmlFileTests
{
    [Fact]
    public void GDAL_reads_typed_attributes_accents_and_lon_lat_of_a_KML_written_from_UTM()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.StreetsAndStation));
        // From UTM: the writer must move the coordinates back to lon/lat.
        var summary = VectorFile.Write(dir.File("calles.kml"), Features.InUtm17S(source), 32717);
        Assert.Equal(4326, summary.Epsg);
        Assert.Equal(3, summary.FeatureCount);

        var info = Gdal.OgrInfo("-al", dir.File("calles.kml"));
        Assert.Contains("Feature Count: 3", info);
        Assert.Contains("WGS 84", info);
        Assert.Contains("carriles: Integer", info);
        Assert.Contains("longitud_m: Real", info);
        Assert.Contains("nombre (String) = Jirón Los Álamos", info);
        Assert.Contains("carriles (Integer) = 4", info);
        Assert.Contains("POINT (-79.0305 -8.0415", info);
        Assert.Contains("LINESTRING (-79.0312 -8.0421", info);
    }

    [Fact]
    public void A_polygon_with_a_hole_and_XML_characters_in_names_round_trip_through_our_reader_and_GDAL()
    {
        using var dir = new TempDir();
        var f = new GeometryFactory(new PrecisionModel(), 4326);
        var shell = f.CreateLinearRing([new(-79.04, -8.05), new(-79.02, -8.05), new(-79.02, -8.03), new(-79.04, -8.03), new(-79.04, -8.05)]);
        var hole = f.CreateLinearRing([new(-79.035, -8.045), new(-79.025, -8.045), new(-79.025, -8.035), new(-79.035, -8.035), new(-79.035, -8.045)]);
        var features = new List<IFeature>
        {
            new Feature(f.CreatePolygon(shell, [hole]), new AttributesTable { { "label", "S1 <norte> & \"sur\"" }, { "sector", 0 }, { "contiguous", true } }),
        };
        VectorFile.Write(dir.File("sectores.kml"), features, 4326);

        var back = VectorFile.Read(dir.File("sectores.kml"));
        var polygon = Assert.IsType<Polygon>(back.Features[0].Geometry);
        Assert.Equal(1, polygon.NumInteriorRings);
        Assert.Equal("S1 <norte> & \"sur\"", back.Features[0].Attributes["label"]);
        Assert.Equal(0L, back.Features[0].Attributes["sector"]);
        Assert.Equal(true, back.Features[0].Attributes["contiguous"]);
        Assert.Equal(f.CreatePolygon(shell).Area - f.CreatePolygon(hole).Area, polygon.Area, 9);

        var info = Gdal.OgrInfo("-al", dir.File("sectores.kml"));
        Assert.Contains("POLYGON ((-79.04 -8.05,", info); // LIBKML types a layer "Unknown": the geometry says it
        Assert.Contains("S1 <norte> & \"sur\"", info);
    }

    [Fact]
    public void KML_in_UTM_is_refused_naming_the_CRS_and_nothing_is_written()
    {
        using var dir = new TempDir();
        var source = VectorFile.Read(dir.Write("in.geojson", Samples.Streets));
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Write(dir.File("calles.kml"), source.Features, 4326, 32717));
        Assert.Contains("EPSG:32717", e.Message);
        Assert.False(File.Exists(dir.File("calles.kml")));
    }

    [Fact]
    public void A_file_that_is_not_KML_is_refused_with_its_reason()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write("x.kml", "<gpx></gpx>")));
        Assert.Contains("not a KML file", e.Message);
        e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write("y.kml", "<kml><Placemark>")));
        Assert.Contains("not well-formed XML", e.Message);
    }
}
