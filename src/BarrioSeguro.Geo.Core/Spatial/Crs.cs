using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>
/// The coordinate reference systems the service knows, by EPSG code, and transformations between them, both as PROJ
/// (libproj, see <see cref="Proj"/>) defines them: every EPSG code PROJ knows for a geographic or projected system, with
/// PROJ's own choice of transformation, so PSAD56, SIRGAS 2000 and Peru96 land where cs2cs, GDAL and QGIS put them.
/// Storage is EPSG:4326 (x = longitude, y = latitude); metric work happens in the UTM zone of the data.
/// </summary>
public static partial class Crs
{
    public const int Wgs84 = 4326;
    public const int WebMercator = 3857;

    private static readonly ConcurrentDictionary<int, CrsInfo?> Infos = new();
    private static readonly ConcurrentDictionary<int, string> EsriTexts = new();

    /// <summary>True when PROJ knows the code as a geographic or projected system (positions in 2D).</summary>
    public static bool IsSupported(int epsg) => TryInfo(epsg) is { } i && (i.IsGeographic || i.IsProjected);

    /// <summary>The CRS measures in degrees (longitude, latitude), not metres.</summary>
    /// <exception cref="UnknownCrsException">The code is not supported.</exception>
    public static bool IsGeographic(int epsg) => Info(epsg).IsGeographic;

    /// <summary>What PROJ says of a supported system.</summary>
    /// <exception cref="UnknownCrsException">PROJ does not know the code, or not as a 2D geographic or projected system.</exception>
    public static CrsInfo Info(int epsg) => TryInfo(epsg) switch
    {
        null => throw new UnknownCrsException($"EPSG:{epsg}"),
        { IsGeographic: false, IsProjected: false } => throw new UnknownCrsException($"EPSG:{epsg}",
            Note.Of("crs.not_horizontal", ("crs", $"EPSG:{epsg}"))),
        var i => i,
    };

    /// <summary>PROJ's name of the system, e.g. "WGS 84 / UTM zone 17S", "PSAD56 / UTM zone 18S".</summary>
    /// <exception cref="UnknownCrsException">The code is not supported.</exception>
    public static string NameOf(int epsg) => Info(epsg).Name;

    /// <summary>The system in OGC WKT 1 as GDAL writes it (a GeoPackage's gpkg_spatial_ref_sys definition).</summary>
    /// <exception cref="UnknownCrsException">The code is not supported.</exception>
    public static string Wkt(int epsg)
    {
        Info(epsg);
        return Proj.With(w => w.Wkt(epsg, Proj.WktType.Wkt1Gdal)) ?? throw new UnknownCrsException($"EPSG:{epsg}");
    }

    /// <summary>The system in ESRI WKT (a shapefile's .prj), as PROJ writes it.</summary>
    /// <exception cref="UnknownCrsException">The code is not supported, or has no ESRI form.</exception>
    public static string EsriWkt(int epsg)
    {
        Info(epsg);
        return EsriTexts.GetOrAdd(epsg, code =>
            Proj.With(w => w.Wkt(code, Proj.WktType.Wkt1Esri)) ?? throw new UnknownCrsException($"EPSG:{code}"));
    }

    /// <summary>
    /// The EPSG code of a WKT (OGC WKT 1 or 2, or ESRI's dialect) as PROJ identifies it: its own EPSG identifier, else
    /// the best match in PROJ's database with at least 70 % confidence (the same definition under another name).
    /// Null when PROJ cannot read the text or finds no supported system for it.
    /// </summary>
    public static int? Identify(string wkt)
    {
        if (string.IsNullOrWhiteSpace(wkt)) return null;
        var code = Proj.With(w => w.Identify(wkt));
        return code is { } c && IsSupported(c) ? c : null;
    }

    /// <summary>The PROJ release this process uses, e.g. "9.1.1".</summary>
    public static string ProjVersion => Proj.Version;

    private static CrsInfo? TryInfo(int epsg) =>
        epsg <= 0 ? null : Infos.GetOrAdd(epsg, code => Proj.With(w => w.Info(code)));

    /// <summary>
    /// Reads "EPSG:32717", "32717", "urn:ogc:def:crs:EPSG::32717", "http://www.opengis.net/def/crs/EPSG/0/32717" or CRS84.
    /// </summary>
    /// <exception cref="UnknownCrsException">The text names no system PROJ knows.</exception>
    public static int Parse(string text)
    {
        var t = text.Trim();
        if (t.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase)) return Wgs84;
        var m = EpsgPattern().Match(t);
        if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            Info(code); // refuses with its reason: unknown to PROJ, or not a 2D system
            return code;
        }
        throw new UnknownCrsException(text);
    }

    /// <summary>The WGS 84 UTM zone (EPSG:326zz north, 327zz south) that contains a longitude/latitude.</summary>
    public static int UtmZoneFor(double longitude, double latitude)
    {
        var zone = (int)Math.Floor((longitude + 180) / 6) + 1;
        zone = Math.Clamp(zone, 1, 60);
        return (latitude < 0 ? 32700 : 32600) + zone;
    }

    /// <summary>The UTM zone of a lon/lat geometry, chosen from the centre of its envelope.</summary>
    public static int UtmZoneFor(Geometry wgs84)
    {
        var c = wgs84.EnvelopeInternal.Centre;
        return UtmZoneFor(c.X, c.Y);
    }

    /// <summary>Central meridian of a UTM system, in degrees.</summary>
    public static double CentralMeridian(int utmEpsg) =>
        Utm(utmEpsg) is { } u ? -183 + 6 * u.Zone : throw new ArgumentException($"EPSG:{utmEpsg} is not UTM");

    /// <summary>A new geometry with every coordinate moved from one system to another; the input is not touched.</summary>
    /// <exception cref="UnknownCrsException">Either code is not supported.</exception>
    /// <exception cref="RefusalException">A coordinate PROJ cannot move (far outside the systems' reach).</exception>
    public static TGeometry Transform<TGeometry>(TGeometry geometry, int fromEpsg, int toEpsg)
        where TGeometry : Geometry
    {
        var copy = (TGeometry)geometry.Copy();
        if (fromEpsg != toEpsg && !copy.IsEmpty)
        {
            Check(fromEpsg, toEpsg);
            Proj.With(w =>
            {
                copy.Apply(new TransformFilter(w, fromEpsg, toEpsg));
                return 0;
            });
            copy.GeometryChanged();
        }
        copy.SRID = toEpsg;
        return copy;
    }

    /// <summary>Transforms one coordinate pair.</summary>
    /// <exception cref="UnknownCrsException">Either code is not supported.</exception>
    /// <exception cref="RefusalException">PROJ cannot move the point.</exception>
    public static (double X, double Y) Transform(double x, double y, int fromEpsg, int toEpsg)
    {
        if (fromEpsg == toEpsg) return (x, y);
        double[] xs = [x], ys = [y];
        Transform(xs, ys, fromEpsg, toEpsg);
        return (xs[0], ys[0]);
    }

    /// <summary>Transforms many points in place (x: longitude or easting) in one call into PROJ.</summary>
    /// <exception cref="UnknownCrsException">Either code is not supported.</exception>
    /// <exception cref="RefusalException">PROJ cannot move a point; the arrays are then left partly moved.</exception>
    public static void Transform(double[] xs, double[] ys, int fromEpsg, int toEpsg)
    {
        if (xs.Length != ys.Length) throw new ArgumentException("as many x as y are needed", nameof(ys));
        if (fromEpsg == toEpsg || xs.Length == 0) return;
        Check(fromEpsg, toEpsg);
        var failed = Proj.With(w => w.Transform(fromEpsg, toEpsg, xs, ys, xs.Length));
        if (failed >= 0) throw OutOfReach(failed, fromEpsg, toEpsg);
    }

    private static void Check(int fromEpsg, int toEpsg)
    {
        Info(fromEpsg);
        Info(toEpsg);
    }

    private static RefusalException OutOfReach(int index, int fromEpsg, int toEpsg) => new(
        Note.Of("crs.out_of_reach", ("index", index + 1), ("from", $"EPSG:{fromEpsg}"), ("to", $"EPSG:{toEpsg}")), "geometry");

    private readonly record struct UtmInfo(int Zone, bool North);

    private static UtmInfo? Utm(int epsg) => epsg switch
    {
        >= 32601 and <= 32660 => new UtmInfo(epsg - 32600, true),
        >= 32701 and <= 32760 => new UtmInfo(epsg - 32700, false),
        >= 24877 and <= 24879 => new UtmInfo(epsg - 24860, false), // PSAD56 / UTM 17S-19S
        >= 31977 and <= 31979 => new UtmInfo(epsg - 31960, false), // SIRGAS 2000 / UTM 17S-19S
        _ => null,
    };

    /// <summary>True for the UTM systems of WGS 84 (every zone), and of PSAD56 and SIRGAS 2000 over Peru (17S-19S).</summary>
    public static bool IsUtm(int epsg) => Utm(epsg) is not null;

    [GeneratedRegex(@"^(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)?(\d{1,6})$",
        RegexOptions.IgnoreCase)]
    private static partial Regex EpsgPattern();

    // Moves a whole coordinate sequence in one PROJ call when the filter reaches its first coordinate.
    private sealed class TransformFilter(Proj.Worker worker, int fromEpsg, int toEpsg) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            if (i != 0) return;
            var n = seq.Count;
            var xs = new double[n];
            var ys = new double[n];
            for (var k = 0; k < n; k++)
            {
                xs[k] = seq.GetX(k);
                ys[k] = seq.GetY(k);
            }
            var failed = worker.Transform(fromEpsg, toEpsg, xs, ys, n);
            if (failed >= 0) throw OutOfReach(failed, fromEpsg, toEpsg);
            for (var k = 0; k < n; k++)
            {
                seq.SetX(k, xs[k]);
                seq.SetY(k, ys[k]);
            }
        }
    }
}
