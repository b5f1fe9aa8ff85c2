using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.Gpx;

/// <summary>GPX read with NetTopologySuite.IO.GPX: waypoints, routes and tracks as GDAL's GPX driver shows them.</summary>
public class GpxFileTests
{
    private const string Gpx = """
        <?xml version="1.0" encoding="UTF-8"?>
        <gpx version="1.1" creator="Garmin" xmlns="http://www.topografix.com/GPX/1/1">
          <wpt lat="-8.0415" lon="-79.0305"><ele>31.5</ele><time>2026-03-01T14:30:00Z</time><name>Comisaría El Milagro</name><sym>Flag</sym><type>station</type></wpt>
          <rte><name>Ronda norte</name><number>3</number>
            <rtept lat="-8.0421" lon="-79.0312"/><rtept lat="-8.0410" lon="-79.0301"/></rte>
          <trk><name>Patrullaje mañana</name><desc>Sector S1</desc>
            <trkseg><trkpt lat="-8.0421" lon="-79.0312"/><trkpt lat="-8.0410" lon="-79.0301"/></trkseg>
            <trkseg><trkpt lat="-8.0400" lon="-79.0290"/><trkpt lat="-8.0390" lon="-79.0280"/><trkpt lat="-8.0380" lon="-79.0270"/></trkseg>
          </trk>
        </gpx>
        """;

    [Fact]
    public void Waypoints_routes_and_tracks_are_points_lines_and_multi_lines_with_GDALs_field_names()
    {
        using var dir = new TempDir();
        var set = VectorFile.Read(dir.Write("salida.gpx", Gpx));
        Assert.Equal(4326, set.Epsg);
        Assert.Equal(3, set.Count);

        var station = set.Features[0];
        Assert.Equal(-79.0305, Assert.IsType<Point>(station.Geometry).X);
        Assert.Equal(-8.0415, station.Geometry.Coordinate.Y);
        Assert.Equal(31.5, station.Geometry.Coordinate.Z);
        Assert.Equal("Comisaría El Milagro", station.Attributes["name"]);
        Assert.Equal("Flag", station.Attributes["sym"]);
        Assert.Equal("station", station.Attributes["type"]);
        Assert.Equal(new DateTime(2026, 3, 1, 14, 30, 0, DateTimeKind.Utc), station.Attributes["time"]);

        var route = set.Features[1];
        Assert.IsType<LineString>(route.Geometry);
        Assert.Equal(2, route.Geometry.NumPoints);
        Assert.Equal("Ronda norte", route.Attributes["name"]);
        Assert.Equal(3L, route.Attributes["number"]);

        var track = Assert.IsType<MultiLineString>(set.Features[2].Geometry);
        Assert.Equal(2, track.NumGeometries);
        Assert.Equal(5, track.NumPoints);
        Assert.Equal("Sector S1", set.Features[2].Attributes["desc"]);
    }

    [Fact]
    public void What_we_wrote_comes_back_with_its_attributes_typed()
    {
        using var dir = new TempDir();
        var f = new GeometryFactory(new PrecisionModel(), 4326);
        var features = new List<IFeature>
        {
            new Feature(f.CreateLineString([new(-79.0312, -8.0421), new(-79.0301, -8.0410)]),
                new AttributesTable { { "kind", "track" }, { "name", "Sector S1" }, { "lengthKm", 0.25 }, { "stops", 4L }, { "closed", false }, { "code", "007" } }),
        };
        VectorFile.Write(dir.File("rutas.gpx"), features, 4326);
        var back = VectorFile.Read(dir.File("rutas.gpx")).Features.Single();
        Assert.Equal(0.25, back.Attributes["lengthKm"]);
        Assert.Equal(4L, back.Attributes["stops"]);
        Assert.Equal(false, back.Attributes["closed"]);
        Assert.Equal("007", back.Attributes["code"]);
        Assert.Equal("Sector S1", back.Attributes["name"]);
    }

    [Fact]
    public void GDAL_s_waypoints_and_routes_read_with_their_ogr_extension_fields()
    {
        using var dir = new TempDir();
        var geojson = dir.Write("in.geojson", Samples.StreetsAndStation);
        Ogr2Ogr.Run("-f", "GPX", dir.File("gdal.gpx"), geojson, "-dsco", "GPX_USE_EXTENSIONS=YES",
            "-sql", "SELECT nombre AS name, carriles FROM \"in\" WHERE carriles = 2", "-nlt", "LINESTRING", "-nln", "routes");
        var set = VectorFile.Read(dir.File("gdal.gpx"));
        var route = Assert.Single(set.Features);
        Assert.IsType<LineString>(route.Geometry);
        Assert.Equal("Jirón Los Álamos", route.Attributes["name"]);
        Assert.Equal(2L, route.Attributes["carriles"]);
    }

    [Theory]
    [InlineData("notxml", "io.gpx_unreadable", "not xml at all")]
    [InlineData("truncated", "io.gpx_unreadable", "<gpx version=\"1.1\" creator=\"x\" xmlns=\"http://www.topografix.com/GPX/1/1\"><wpt lat=\"-8\" lon=\"-79\">")]
    [InlineData("badlat", "io.gpx_unreadable", "<gpx version=\"1.1\" creator=\"x\" xmlns=\"http://www.topografix.com/GPX/1/1\"><wpt lat=\"-98\" lon=\"-79\"/></gpx>")]
    [InlineData("oneroute", "io.gpx_short_route", "<gpx version=\"1.1\" creator=\"x\" xmlns=\"http://www.topografix.com/GPX/1/1\"><rte><rtept lat=\"-8\" lon=\"-79\"/></rte></gpx>")]
    [InlineData("onetrack", "io.gpx_short_segment", "<gpx version=\"1.1\" creator=\"x\" xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><trkseg><trkpt lat=\"-8\" lon=\"-79\"/></trkseg></trk></gpx>")]
    public void A_bad_GPX_gets_one_note(string name, string code, string text)
    {
        using var dir = new TempDir();
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Read(dir.Write(name + ".gpx", text)));
        Assert.Equal(code, e.Note.Code);
        Assert.DoesNotContain("\n", e.Message);
    }
}
