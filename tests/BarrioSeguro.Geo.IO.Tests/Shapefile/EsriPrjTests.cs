using BarrioSeguro.Geo.Core.Spatial;
using BarrioSeguro.Geo.IO.Shapefile;

namespace BarrioSeguro.Geo.IO.Tests.Shapefile;

public class EsriPrjTests
{
    [Fact]
    public void Utm_17S_is_the_exact_esri_text() => Assert.Equal(
        "PROJCS[\"WGS_1984_UTM_Zone_17S\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]]," +
        "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0]," +
        "PARAMETER[\"False_Northing\",10000000.0],PARAMETER[\"Central_Meridian\",-81.0],PARAMETER[\"Scale_Factor\",0.9996]," +
        "PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]",
        EsriPrj.For(32717));

    [Theory]
    [InlineData(4326, "GEOGCS[\"GCS_WGS_1984\",")]
    [InlineData(3857, "PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",")]
    [InlineData(32718, "PROJCS[\"WGS_1984_UTM_Zone_18S\",")]
    [InlineData(32619, "PROJCS[\"WGS_1984_UTM_Zone_19N\",")]
    [InlineData(24877, "PROJCS[\"PSAD_1956_UTM_Zone_17S\",GEOGCS[\"GCS_Provisional_S_American_1956\",DATUM[\"D_Provisional_S_American_1956\",SPHEROID[\"International_1924\",6378388.0,297.0]]")]
    [InlineData(24879, "PROJCS[\"PSAD_1956_UTM_Zone_19S\",")]
    public void Starts_with(int epsg, string start) => Assert.StartsWith(start, EsriPrj.For(epsg));

    [Theory]
    [InlineData(32619, "PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",-69.0]")]
    [InlineData(32718, "PARAMETER[\"False_Northing\",10000000.0],PARAMETER[\"Central_Meridian\",-75.0]")]
    [InlineData(32601, "PARAMETER[\"Central_Meridian\",-177.0]")]
    [InlineData(32760, "PARAMETER[\"Central_Meridian\",177.0]")]
    public void Utm_parameters(int epsg, string fragment) => Assert.Contains(fragment, EsriPrj.For(epsg));

    // Codes PROJ does not know (9999, 1), a non-CRS object's code (7030, an ellipsoid), a vertical system (5703).
    [Theory]
    [InlineData(9999)]
    [InlineData(1)]
    [InlineData(7030)]
    [InlineData(5703)]
    public void Unsupported_codes_throw(int epsg) => Assert.Throws<UnknownCrsException>(() => EsriPrj.For(epsg));

    // Written by PROJ: SIRGAS 2000 / UTM, PSAD56 and Peru96 geographic and UTM, and any other code PROJ knows.
    [Theory]
    [InlineData(31977, "PROJCS[\"SIRGAS_2000_UTM_Zone_17S\",GEOGCS[\"GCS_SIRGAS_2000\"")]
    [InlineData(31979, "PROJCS[\"SIRGAS_2000_UTM_Zone_19S\",")]
    [InlineData(4248, "GEOGCS[\"GCS_Provisional_S_American_1956\",")]
    [InlineData(5373, "GEOGCS[\"GCS_Peru96\",")]
    [InlineData(5387, "PROJCS[\"Peru96_UTM_Zone_18S\",")]
    [InlineData(24880, "PROJCS[\"PSAD_1956_UTM_Zone_20S\",")]
    public void Codes_PROJ_knows_have_their_esri_text(int epsg, string start) => Assert.StartsWith(start, EsriPrj.For(epsg));

    public static TheoryData<int> Supported => new()
    {
        4326, 3857, 32601, 32617, 32660, 32701, 32717, 32718, 32719, 32760, 24877, 24878, 24879,
        31977, 31978, 31979, 4248, 5373, 5387, 5389, 5839, // 5388 (Peru96 / UTM 17S) is deprecated for 5839
    };

    [Theory]
    [MemberData(nameof(Supported))]
    public void Esri_text_reads_back_to_its_code(int epsg) => Assert.Equal(epsg, EsriPrj.ToEpsg(EsriPrj.For(epsg)));

    [Theory]
    [MemberData(nameof(Supported))]
    public void Ogc_wkt_reads_back_to_its_code(int epsg) => Assert.Equal(epsg, EsriPrj.ToEpsg(Crs.Wkt(epsg)));

    [Theory]
    // GDAL's OGC WKT1 with authority
    [InlineData("PROJCS[\"WGS 84 / UTM zone 17S\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4326\"]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",-81],PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",10000000],UNIT[\"metre\",1],AXIS[\"Easting\",EAST],AXIS[\"Northing\",NORTH],AUTHORITY[\"EPSG\",\"32717\"]]", 32717)]
    // OGC name, no authority
    [InlineData("PROJCS[\"WGS 84 / UTM zone 18S\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"]]", 32718)]
    [InlineData("PROJCS[\"PSAD56 / UTM zone 18S\",GEOGCS[\"PSAD56\",DATUM[\"Provisional_South_American_Datum_1956\",SPHEROID[\"International 1924\",6378388,297]]]]", 24878)]
    // An odd name, but the parameters say UTM 17S on WGS 84
    [InlineData("PROJCS[\"Trujillo_UTM\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",10000000.0],PARAMETER[\"Central_Meridian\",-81.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]", 32717)]
    [InlineData("GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]]", 4326)]
    public void Other_flavours(string wkt, int epsg) => Assert.Equal(epsg, EsriPrj.ToEpsg(wkt));

    // Systems the old hand-written reader refused: PROJ identifies them.
    [Theory]
    [InlineData("PROJCS[\"SAD69 / UTM zone 17S\",GEOGCS[\"SAD69\",DATUM[\"South_American_Datum_1969\",SPHEROID[\"GRS 1967 Modified\",6378160,298.25]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",-81],PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",10000000],UNIT[\"metre\",1]]", 29187)]
    [InlineData("GEOGCS[\"GCS_North_American_1983\",DATUM[\"D_North_American_1983\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]", 4269)]
    [InlineData("PROJCS[\"SIRGAS_2000_UTM_Zone_18S\",GEOGCS[\"GCS_SIRGAS_2000\",DATUM[\"D_SIRGAS_2000\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",10000000.0],PARAMETER[\"Central_Meridian\",-75.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]", 31978)]
    public void PROJ_identifies_other_systems(string wkt, int epsg) => Assert.Equal(epsg, EsriPrj.ToEpsg(wkt));

    [Theory]
    [InlineData("")]
    [InlineData("not a WKT at all")]
    // A Transverse Mercator of someone's own (central meridian -80.5, scale 1): no EPSG system is that.
    [InlineData("PROJCS[\"Trujillo_local\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",250000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",-80.5],PARAMETER[\"Scale_Factor\",1.0],PARAMETER[\"Latitude_Of_Origin\",-8.0],UNIT[\"Meter\",1.0]]")]
    public void Unknown_systems_give_null(string wkt) => Assert.Null(EsriPrj.ToEpsg(wkt));
}
