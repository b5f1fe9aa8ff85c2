using System.Text.RegularExpressions;
using BarrioSeguro.Geo.IO.Tests.Support;
using NetTopologySuite.Features;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.IO.Tests.Shapefile;

/// <summary>DBF field types as GDAL writes and reads them: 64-bit integers as N(18), booleans as logical (L) fields.</summary>
public class ShapefileTypesTests
{
    private const string Lines = """
        { "type": "FeatureCollection", "features": [
          { "type": "Feature", "properties": { "nombre": "Jirón Los Álamos", "carriles": 2, "longitud_m": 152.5, "ubigeo": 130101123456, "principal": true },
            "geometry": { "type": "LineString", "coordinates": [[-79.0312, -8.0421], [-79.0301, -8.0410]] } },
          { "type": "Feature", "properties": { "nombre": "Avenida Perú", "carriles": 4, "longitud_m": 410, "ubigeo": 130101123457, "principal": false },
            "geometry": { "type": "LineString", "coordinates": [[-79.0330, -8.0440], [-79.0290, -8.0400]] } }
        ] }
        """;

    [Fact]
    public void Integers_and_64_bit_integers_are_typed_as_in_the_shapefile_GDAL_writes_from_the_same_data()
    {
        using var dir = new TempDir();
        var geojson = dir.Write("calles.geojson", Lines);
        var set = VectorFile.Read(geojson);
        VectorFile.Write(dir.File("nuestro.shp"), set.Features, 4326, 4326);
        Ogr2Ogr.Run(dir.File("gdal.shp"), geojson);

        var ours = Gdal.OgrInfo("-so", dir.File("nuestro.shp"), "nuestro");
        var theirs = Gdal.OgrInfo("-so", dir.File("gdal.shp"), "gdal");
        foreach (var field in new[] { "nombre", "carriles", "longitud_m", "ubigeo" })
            Assert.Equal(Type(theirs, field).Split(' ')[0], Type(ours, field).Split(' ')[0]);
        Assert.Equal("Integer64 (18.0)", Type(ours, "ubigeo"));
        Assert.Contains("ubigeo (Integer64) = 130101123456", Gdal.OgrInfo("-q", dir.File("nuestro.shp"), "nuestro"));
    }

    [Fact]
    public void Booleans_are_DBF_logical_fields_and_read_back_as_bool_and_64_bit_integers_as_long()
    {
        using var dir = new TempDir();
        var set = VectorFile.Read(dir.Write("calles.geojson", Lines));
        VectorFile.Write(dir.File("calles.shp"), set.Features, 4326, 4326);

        Assert.Equal(('L', 1), Field(dir.File("calles.dbf"), "principal"));
        Assert.Equal(('N', 18), Field(dir.File("calles.dbf"), "ubigeo"));
        // GDAL reads a logical field as Integer(Boolean) (3.7 and later) or as T/F text (before).
        var values = Gdal.OgrInfo("-q", "-where", "nombre = 'Avenida Perú'", dir.File("calles.shp"), "calles");
        Assert.Matches(@"principal \((Integer\(Boolean\)\) = 0|String\) = F)", values);

        var back = VectorFile.Read(dir.File("calles.shp"));
        var street = back.Features.Single(f => (string)f.Attributes["nombre"] == "Jirón Los Álamos");
        Assert.Equal(true, street.Attributes["principal"]);
        Assert.Equal(130101123456L, street.Attributes["ubigeo"]);
        Assert.Equal(2L, street.Attributes["carriles"]);
    }

    private static string Type(string ogrinfo, string field) =>
        Regex.Match(ogrinfo, $@"^{Regex.Escape(field)}: (.+)$", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value.Trim() : $"(no field {field})";

    // The DBF header's descriptor of a field: its type letter and width.
    private static (char Type, int Width) Field(string dbf, string name)
    {
        var bytes = File.ReadAllBytes(dbf);
        for (var at = 32; bytes[at] != 0x0D; at += 32)
        {
            var fieldName = System.Text.Encoding.ASCII.GetString(bytes, at, 11).TrimEnd('\0');
            if (fieldName == name) return ((char)bytes[at + 11], bytes[at + 16]);
        }
        return ('?', 0);
    }
}
