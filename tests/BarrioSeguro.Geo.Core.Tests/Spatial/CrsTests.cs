using System.Diagnostics;
using System.Globalization;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using NetTopologySuite.Geometries;

using Xunit;

namespace BarrioSeguro.Geo.Core.Tests.Spatial;

public class CrsTests
{
    [Theory]
    [InlineData("EPSG:32717", 32717)]
    [InlineData("epsg:4326", 4326)]
    [InlineData("32718", 32718)]
    [InlineData("urn:ogc:def:crs:EPSG::32719", 32719)]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", 4326)]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/24877", 24877)]
    [InlineData(" EPSG:3857 ", 3857)]
    [InlineData("EPSG:31977", 31977)] // SIRGAS 2000 / UTM 17S
    [InlineData("EPSG:4248", 4248)] // PSAD56
    [InlineData("EPSG:5373", 5373)] // Peru96
    [InlineData("EPSG:5387", 5387)] // Peru96 / UTM 18S
    [InlineData("EPSG:2000", 2000)] // far from Peru, but PROJ knows it
    public void Parse_reads_the_usual_spellings(string text, int expected) => Assert.Equal(expected, Crs.Parse(text));

    [Theory]
    [InlineData("EPSG:9999")]
    [InlineData("EPSG:")]
    [InlineData("WGS84 please")]
    [InlineData("")]
    [InlineData("EPSG:7030")] // an ellipsoid, not a CRS
    public void Parse_refuses_unknown_systems(string text)
    {
        var ex = Assert.Throws<UnknownCrsException>(() => Crs.Parse(text));
        Assert.Contains("Unknown or unsupported CRS", ex.Message);
        Assert.Equal("crs.unknown", ex.Reason.Code);
        Assert.DoesNotContain("Supported:", ex.Message); // no hand-kept list of codes any more
    }

    [Fact]
    public void An_unknown_system_is_refused_in_Spanish_too()
    {
        var before = NoteLanguage.Current;
        NoteLanguage.Current = "es";
        try
        {
            var ex = Assert.Throws<UnknownCrsException>(() => Crs.Parse("EPSG:9999"));
            Assert.Contains("PROJ no lo conoce", ex.Message);
            Assert.Contains("EPSG:9999", ex.Message);
        }
        finally { NoteLanguage.Current = before; }
    }

    [Fact]
    public void A_vertical_system_is_known_to_PROJ_but_refused_for_positions()
    {
        var ex = Assert.Throws<UnknownCrsException>(() => Crs.Parse("EPSG:5703")); // NAVD88 height
        Assert.Equal("crs.not_horizontal", ex.Reason.Code);
        Assert.False(Crs.IsSupported(5703));
    }

    [Fact]
    public void A_point_PROJ_cannot_move_is_refused_with_its_place()
    {
        var ex = Assert.Throws<RefusalException>(() => Crs.Transform(1e30, 1e30, 32717, Crs.Wgs84));
        Assert.Equal("crs.out_of_reach", ex.Reason.Code);
        Assert.Equal("EPSG:32717", ex.Reason.Args["from"]);
    }

    [Fact]
    public void Threads_transforming_at_once_get_the_same_answers()
    {
        var points = ProjOracleTests.Peru;
        var expected = points.Select(p => Crs.Transform(p.Lon, p.Lat, Crs.Wgs84, 24878)).ToList();
        var results = new (double, double)[16][];
        Parallel.For(0, results.Length, i => results[i] = points.Select(p => Crs.Transform(p.Lon, p.Lat, Crs.Wgs84, 24878)).ToArray());
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory]
    [InlineData(-79.06, -8.03, 32717)] // El Milagro, Trujillo
    [InlineData(-77.03, -12.05, 32718)] // Lima
    [InlineData(-71.97, -13.52, 32719)] // Cusco
    [InlineData(-81.2, -4.6, 32717)] // Talara
    [InlineData(-69.5, -12.6, 32719)] // Puerto Maldonado
    [InlineData(2.35, 48.85, 32631)] // northern hemisphere
    public void UtmZoneFor_picks_the_zone_of_the_longitude(double lon, double lat, int epsg) =>
        Assert.Equal(epsg, Crs.UtmZoneFor(lon, lat));

    [Theory]
    [InlineData(32717, "WGS 84 / UTM zone 17S")]
    [InlineData(24878, "PSAD56 / UTM zone 18S")]
    [InlineData(4326, "WGS 84")]
    [InlineData(31977, "SIRGAS 2000 / UTM zone 17S")]
    [InlineData(4248, "PSAD56")]
    [InlineData(5387, "Peru96 / UTM zone 18S")]
    public void NameOf_names_the_system(int epsg, string name) => Assert.Equal(name, Crs.NameOf(epsg));

    [Fact]
    public void Transform_round_trips_and_does_not_touch_the_input()
    {
        var p = new Point(-79.0663893, -8.0233466) { SRID = 4326 };
        var utm = Crs.Transform(p, 4326, 32717);
        var back = Crs.Transform(utm, 32717, 4326);
        Assert.Equal(-79.0663893, p.X);
        Assert.Equal(32717, utm.SRID);
        Assert.Equal(p.X, back.X, 9);
        Assert.Equal(p.Y, back.Y, 9);
    }

    /// <summary>PROJ (through GDAL's gdaltransform) is the oracle for the projections.</summary>
    [Theory]
    [InlineData(32717, -79.0663893, -8.0233466)]
    [InlineData(32718, -77.0282, -12.0432)]
    [InlineData(32719, -71.9675, -13.5320)]
    [InlineData(24877, -79.0663893, -8.0233466)]
    [InlineData(3857, -79.0663893, -8.0233466)]
    public void Transform_agrees_with_PROJ(int epsg, double lon, double lat)
    {
        var (x, y) = Crs.Transform(lon, lat, 4326, epsg);
        var (px, py) = GdalTransform(epsg, lon, lat);
        // Both are PROJ now (ProjNet's PSAD56 was 9.25 m off here): 1 mm, PSAD56 included.
        const double tolerance = 0.001;
        Assert.InRange(Math.Abs(x - px), 0, tolerance);
        Assert.InRange(Math.Abs(y - py), 0, tolerance);
    }

    private static (double X, double Y) GdalTransform(int epsg, double lon, double lat)
    {
        var psi = new ProcessStartInfo("gdaltransform", ["-s_srs", "EPSG:4326", "-t_srs", $"EPSG:{epsg}", "-output_xy"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        psi.Environment["OGR_CT_FORCE_TRADITIONAL_GIS_ORDER"] = "YES"; // lon/lat order for EPSG:4326
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("gdaltransform (package gdal-bin) is needed for this test.");
        process.StandardInput.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{lon} {lat}"));
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd().Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        return (double.Parse(output[0], CultureInfo.InvariantCulture), double.Parse(output[1], CultureInfo.InvariantCulture));
    }
}
