using System.Text;
using BarrioSeguro.Geo.IO.Shapefile;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.Shapefile;

/// <summary>A layer with long attribute names and long text through a shapefile and back.</summary>
public class DbfRoundTripTests
{
    private static readonly GeometryFactory Factory = new(new PrecisionModel(), 4326);

    private static readonly string[] Known = ["name", "districtUbigeo", "status", "isIllustrative", "description"];

    private static IFeature Barrio(int id, string description) => new Feature(
        Factory.CreatePolygon([new(-79.07, -8.03), new(-79.06, -8.03), new(-79.06, -8.02), new(-79.07, -8.02), new(-79.07, -8.03)]),
        new AttributesTable
        {
            { "id", (long)id }, { "name", "El Milagro" }, { "districtUbigeo", "130104" }, { "status", "Active" },
            { "isIllustrative", true }, { "description", description },
        });

    [Fact]
    public void Long_names_come_back_under_their_names_and_every_cut_value_is_named()
    {
        using var dir = new TempDir();
        var longText = new string('a', 253) + new string('é', 23) + "a"; // 300 bytes: é is 2
        Assert.Equal(300, Encoding.UTF8.GetByteCount(longText));
        var features = new[] { Barrio(7, "corto"), Barrio(12, longText) };

        var summary = VectorFile.Write(dir.File("barrios.zip"), features, 4326);

        Assert.Equal(
            ["field names cut to 10 bytes: districtUbigeo → districtUb, isIllustrative → isIllustra, description → descriptio",
             // 254 would split an é: the cut stops before it.
             "description of feature #2 (id 12) cut from 300 to 253 bytes (a DBF text field holds 254)"],
            summary.Warnings);

        // GDAL reads the export: the cut names, the text of 254 bytes at most.
        var info = Gdal.OgrInfo("-al", "/vsizip/" + dir.File("barrios.zip"));
        Assert.Contains("districtUb: String", info);
        Assert.Contains("isIllustra: ", info);
        Assert.Contains("descriptio: String (254.0)", info);
        Assert.Contains("Feature Count: 2", info);

        var read = VectorFile.Read(dir.File("barrios.zip"));
        Assert.True(read.FromDbf);
        Assert.Contains("districtUb", read.Features[0].Attributes.GetNames());
        var back = DbfFieldNames.Restore(read, Known);
        Assert.Equal(["id", "name", "districtUbigeo", "status", "isIllustrative", "description"], back.Features[0].Attributes.GetNames());
        Assert.Equal("130104", back.Features[1].Attributes["districtUbigeo"]);
        Assert.Equal(DbfFieldNames.Truncate(longText, 254), back.Features[1].Attributes["description"]);
    }

    [Fact]
    public void Names_cut_to_the_same_stem_come_back_each_to_its_own()
    {
        using var dir = new TempDir();
        string[] names = ["observacion_campo", "observacion_oficina", "observa"];
        var attributes = new AttributesTable();
        foreach (var n in names) attributes.Add(n, n.ToUpperInvariant());
        VectorFile.Write(dir.File("notas.shp"), [new Feature(Factory.CreatePoint(new Coordinate(-79.06, -8.02)), attributes)], 4326);
        var read = VectorFile.Read(dir.File("notas.shp"));
        Assert.Equal(DbfFieldNames.Make(names), read.Features[0].Attributes.GetNames());

        var back = DbfFieldNames.Restore(read, names);

        foreach (var n in names) Assert.Equal(n.ToUpperInvariant(), back.Features[0].Attributes[n]);
    }

    [Fact]
    public void Only_DBF_names_are_restored_and_a_full_name_present_is_left_alone()
    {
        using var dir = new TempDir();
        var geojson = VectorFile.Read(dir.Write("b.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"districtUb":"x"},"geometry":{"type":"Point","coordinates":[-79.06,-8.02]}}]}
            """));
        Assert.Same(geojson, DbfFieldNames.Restore(geojson, Known));

        var both = new AttributesTable { { "districtUbigeo", "130104" }, { "districtUb", "otro" } };
        var set = new FeatureSet([new Feature(Factory.CreatePoint(new Coordinate(-79.06, -8.02)), both)], 4326) { FromDbf = true };
        Assert.Equal(["districtUbigeo", "districtUb"], DbfFieldNames.Restore(set, Known).Features[0].Attributes.GetNames());
    }

    [Fact]
    public void Text_that_fits_is_not_named()
    {
        using var dir = new TempDir();
        var exactly = new string('a', 254);
        var summary = VectorFile.Write(dir.File("b.zip"), [Barrio(1, exactly)], 4326);
        Assert.DoesNotContain(summary.Warnings, w => w.Contains("cut from", StringComparison.Ordinal));
        Assert.Equal(exactly, DbfFieldNames.Restore(VectorFile.Read(dir.File("b.zip")), Known).Features[0].Attributes["description"]);
    }
}
