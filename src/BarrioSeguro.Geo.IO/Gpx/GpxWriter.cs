using System.Globalization;
using System.Text;
using System.Xml;
using BarrioSeguro.Geo.Core.Routes;
using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.IO.Gpx;

/// <summary>
/// GPX 1.1 (http://www.topografix.com/GPX/1/1) for patrol routes, as GPS units, phone apps and GDAL read it: a
/// <c>&lt;wpt&gt;</c> per hot-spot stop (name, desc with the minutes and the arrival time), then one <c>&lt;trk&gt;</c>
/// per route with one <c>&lt;trkseg&gt;</c> of timed points (ISO 8601 UTC). Coordinates are moved to WGS84
/// longitude/latitude with 7 decimals (about 1 cm). UTF-8 without BOM, so "Sector S1 · turno mañana" stays readable.
/// </summary>
public static class GpxWriter
{
    private const string Ns = "http://www.topografix.com/GPX/1/1";

    /// <summary>Writes one route.</summary>
    public static void Write(Stream output, PatrolRoute route) => Write(output, [route]);

    /// <summary>Writes several routes (e.g. one per unit of a shift) in one file: all stops first, as GPX 1.1 orders them, then a track per route.</summary>
    public static void Write(Stream output, IReadOnlyList<PatrolRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(routes);
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false };
        using var w = XmlWriter.Create(output, settings);
        w.WriteStartDocument();
        w.WriteStartElement("gpx", Ns);
        w.WriteAttributeString("version", "1.1");
        w.WriteAttributeString("creator", "BarrioSeguro.Geo");
        w.WriteAttributeString("xmlns", "xsi", null, "http://www.w3.org/2001/XMLSchema-instance");
        w.WriteAttributeString("xsi", "schemaLocation", "http://www.w3.org/2001/XMLSchema-instance", Ns + " http://www.topografix.com/GPX/1/1/gpx.xsd");
        w.WriteStartElement("metadata", Ns);
        w.WriteElementString("name", Ns, routes.Count == 1 ? routes[0].Name : "Rutas de patrullaje");
        if (routes.Count > 0) w.WriteElementString("time", Ns, Iso(routes[0].Start, 0));
        w.WriteEndElement();

        foreach (var route in routes)
            foreach (var stop in route.Stops)
            {
                var (lon, lat) = LonLat(route, stop.Position.X, stop.Position.Y);
                w.WriteStartElement("wpt", Ns);
                WriteLatLon(w, lat, lon);
                w.WriteElementString("time", Ns, Iso(route.Start, stop.ArriveSeconds));
                w.WriteElementString("name", Ns, stop.Name);
                var arrive = route.Start.AddSeconds(stop.ArriveSeconds).ToUniversalTime();
                w.WriteElementString("desc", Ns,
                    $"Parada {stop.Minutes} min · llegada {arrive:HH:mm} UTC{(stop.Detour ? " · desvío" : "")} · {route.Name}");
                w.WriteElementString("type", Ns, "parada");
                w.WriteEndElement();
            }

        foreach (var route in routes)
        {
            w.WriteStartElement("trk", Ns);
            w.WriteElementString("name", Ns, route.Name);
            var f = route.Figures;
            w.WriteElementString("desc", Ns, string.Create(CultureInfo.InvariantCulture,
                $"{f.LengthKm:0.00} km · {f.DurationMin:0} min · {f.Rounds} vuelta(s) · recorrido en vacío {f.DeadheadPct:0.#} % · calles cubiertas {f.StreetsCoveredPct:0.#} % · {route.Stops.Count} paradas"));
            w.WriteStartElement("trkseg", Ns);
            foreach (var p in route.Track)
            {
                var (lon, lat) = LonLat(route, p.Position.X, p.Position.Y);
                w.WriteStartElement("trkpt", Ns);
                WriteLatLon(w, lat, lon);
                w.WriteElementString("time", Ns, Iso(route.Start, p.Seconds));
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    private static void WriteLatLon(XmlWriter w, double lat, double lon)
    {
        w.WriteAttributeString("lat", lat.ToString("0.0000000", CultureInfo.InvariantCulture));
        w.WriteAttributeString("lon", lon.ToString("0.0000000", CultureInfo.InvariantCulture));
    }

    private static (double Lon, double Lat) LonLat(PatrolRoute route, double x, double y) =>
        route.Epsg == Crs.Wgs84 ? (x, y) : Crs.Transform(x, y, route.Epsg, Crs.Wgs84);

    /// <summary>ISO 8601 UTC to the second, e.g. 2025-01-01T12:00:00Z.</summary>
    private static string Iso(DateTimeOffset start, double seconds) =>
        start.AddSeconds(Math.Round(seconds)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
