using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.Gpx;

/// <summary>Features as GPX (a plan's routes layer): GDAL reads the tracks and waypoints.</summary>
public class GpxFeaturesTests
{
    [Fact]
    public void Tracks_and_stops_from_UTM_become_GPX_tracks_and_waypoints_in_lon_lat()
    {
        using var dir = new TempDir();
        var f = new GeometryFactory(new PrecisionModel(), 4326);
        var features = new List<IFeature>
        {
            new Feature(f.CreateLineString([new(-79.0312, -8.0421), new(-79.0301, -8.0410), new(-79.0290, -8.0400)]),
                new AttributesTable { { "kind", "track" }, { "name", "Sector S1 · turno mañana" }, { "lengthKm", 0.3 } }),
            new Feature(f.CreatePoint(new Coordinate(-79.0305, -8.0415)), new AttributesTable { { "kind", "stop" }, { "stop", 1 } }),
        };
        var utm = features.Select(x => (IFeature)new Feature(Core.Spatial.Crs.Transform(x.Geometry, 4326, 32717), x.Attributes)).ToList();
        var summary = VectorFile.Write(dir.File("rutas.gpx"), utm, 32717);
        Assert.Equal(4326, summary.Epsg);

        var tracks = Gdal.OgrInfo("-q", dir.File("rutas.gpx"), "tracks");
        Assert.Contains("name (String) = Sector S1 · turno mañana", tracks);
        Assert.Contains("MULTILINESTRING ((-79.0312 -8.0421,-79.0301 -8.041,-79.029 -8.04))", tracks);
        var points = Gdal.OgrInfo("-so", dir.File("rutas.gpx"), "waypoints");
        Assert.Contains("Feature Count: 1", points);
    }

    [Fact]
    public void A_polygon_is_refused_GPX_holds_points_and_lines()
    {
        using var dir = new TempDir();
        var f = new GeometryFactory(new PrecisionModel(), 4326);
        var square = f.CreatePolygon([new(-79.04, -8.05), new(-79.02, -8.05), new(-79.02, -8.03), new(-79.04, -8.05)]);
        var e = Assert.Throws<InvalidVectorFileException>(() => VectorFile.Write(dir.File("s.gpx"), [new Feature(square, new AttributesTable())], 4326));
        Assert.Contains("points (waypoints) and lines (tracks) only", e.Message);
        Assert.False(File.Exists(dir.File("s.gpx")));
    }
}
