namespace BarrioSeguro.Geo.IO.Tests.Support;

/// <summary>Small inputs around El Milagro (Trujillo, UTM zone 17S), with the accents that break badly written files.</summary>
public static class Samples
{
    /// <summary>Two streets and a police station: lines and a point, accented values and an 11-byte attribute name.</summary>
    public const string StreetsAndStation = """
        {
          "type": "FeatureCollection",
          "features": [
            { "type": "Feature",
              "properties": { "nombre": "Jirón Los Álamos", "ubicación1": "El Milagro", "carriles": 2, "longitud_m": 152.5, "principal": true },
              "geometry": { "type": "LineString", "coordinates": [[-79.0312, -8.0421], [-79.0301, -8.0410]] } },
            { "type": "Feature",
              "properties": { "nombre": "Avenida Perú", "ubicación1": "Huanchaco", "carriles": 4, "longitud_m": 410, "principal": false },
              "geometry": { "type": "MultiLineString", "coordinates": [[[-79.0330, -8.0440], [-79.0290, -8.0400]]] } },
            { "type": "Feature",
              "properties": { "nombre": "Comisaría El Milagro", "ubicación1": null, "carriles": null, "longitud_m": null, "principal": null },
              "geometry": { "type": "Point", "coordinates": [-79.0305, -8.0415] } }
          ]
        }
        """;

    /// <summary>Two lines only, with accented values.</summary>
    public const string Streets = """
        {
          "type": "FeatureCollection",
          "features": [
            { "type": "Feature", "properties": { "nombre": "Jirón Los Álamos", "tipo": "residential", "carriles": 2 },
              "geometry": { "type": "LineString", "coordinates": [[-79.0312, -8.0421], [-79.0301, -8.0410]] } },
            { "type": "Feature", "properties": { "nombre": "Comisaría", "tipo": "service", "carriles": 1 },
              "geometry": { "type": "LineString", "coordinates": [[-79.0330, -8.0440], [-79.0290, -8.0400]] } }
          ]
        }
        """;
}
