using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>
/// The coordinate reference systems the service knows, by EPSG code, and transformations between them.
/// Storage is EPSG:4326 (x = longitude, y = latitude); metric work happens in the UTM zone of the data.
/// </summary>
public static partial class Crs
{
    public const int Wgs84 = 4326;
    public const int WebMercator = 3857;

    private static readonly CoordinateSystemFactory Factory = new();
    private static readonly CoordinateTransformationFactory TransformFactory = new();
    private static readonly ConcurrentDictionary<int, CoordinateSystem> Systems = new();
    private static readonly ConcurrentDictionary<(int, int), MathTransform> Transforms = new();

    // PSAD56 to WGS 84 for Peru, as PROJ's default for EPSG:24877-24879 (about 5 m accuracy).
    private const string Psad56Geogcs =
        "GEOGCS[\"PSAD56\",DATUM[\"Provisional_South_American_Datum_1956\",SPHEROID[\"International 1924\",6378388,297]," +
        "TOWGS84[-288,175,-376,0,0,0,0]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4248\"]]";

    /// <summary>True when the code names a system this service can transform.</summary>
    public static bool IsSupported(int epsg) => TryCreate(epsg) is not null;

    /// <summary>The CRS measures in degrees (longitude, latitude), not metres.</summary>
    public static bool IsGeographic(int epsg) => Get(epsg) is ProjNet.CoordinateSystems.GeographicCoordinateSystem;

    /// <summary>The ProjNet coordinate system for an EPSG code.</summary>
    /// <exception cref="UnknownCrsException">The code is not supported.</exception>
    public static CoordinateSystem Get(int epsg) =>
        Systems.GetOrAdd(epsg, code => TryCreate(code) ?? throw new UnknownCrsException($"EPSG:{code}"));

    /// <summary>A human name for the system, e.g. "WGS 84 / UTM zone 17S".</summary>
    public static string NameOf(int epsg) => epsg switch
    {
        Wgs84 => "WGS 84",
        WebMercator => "WGS 84 / Pseudo-Mercator",
        _ when Utm(epsg) is { } u => $"{(u.Psad56 ? "PSAD56" : "WGS 84")} / UTM zone {u.Zone}{(u.North ? "N" : "S")}",
        _ => throw new UnknownCrsException($"EPSG:{epsg}"),
    };

    /// <summary>
    /// Reads "EPSG:32717", "32717", "urn:ogc:def:crs:EPSG::32717", "http://www.opengis.net/def/crs/EPSG/0/32717" or CRS84.
    /// </summary>
    /// <exception cref="UnknownCrsException">The text names no supported system.</exception>
    public static int Parse(string text)
    {
        var t = text.Trim();
        if (t.EndsWith("CRS84", StringComparison.OrdinalIgnoreCase)) return Wgs84;
        var m = EpsgPattern().Match(t);
        if (m.Success && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            && IsSupported(code))
            return code;
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
    public static TGeometry Transform<TGeometry>(TGeometry geometry, int fromEpsg, int toEpsg)
        where TGeometry : Geometry
    {
        var copy = (TGeometry)geometry.Copy();
        if (fromEpsg == toEpsg)
        {
            copy.SRID = toEpsg;
            return copy;
        }
        var transform = Transforms.GetOrAdd((fromEpsg, toEpsg),
            k => TransformFactory.CreateFromCoordinateSystems(Get(k.Item1), Get(k.Item2)).MathTransform);
        copy.Apply(new TransformFilter(transform));
        copy.GeometryChanged();
        copy.SRID = toEpsg;
        return copy;
    }

    /// <summary>Transforms one coordinate pair.</summary>
    public static (double X, double Y) Transform(double x, double y, int fromEpsg, int toEpsg)
    {
        if (fromEpsg == toEpsg) return (x, y);
        var transform = Transforms.GetOrAdd((fromEpsg, toEpsg),
            k => TransformFactory.CreateFromCoordinateSystems(Get(k.Item1), Get(k.Item2)).MathTransform);
        transform.Transform(ref x, ref y);
        return (x, y);
    }

    private static CoordinateSystem? TryCreate(int epsg)
    {
        if (epsg == Wgs84) return GeographicCoordinateSystem.WGS84;
        if (epsg == WebMercator) return ProjectedCoordinateSystem.WebMercator;
        if (Utm(epsg) is not { } u) return null;
        if (!u.Psad56) return ProjectedCoordinateSystem.WGS84_UTM(u.Zone, u.North);
        var cm = (-183 + 6 * u.Zone).ToString(CultureInfo.InvariantCulture);
        var wkt = $"PROJCS[\"PSAD56 / UTM zone {u.Zone}S\",{Psad56Geogcs},PROJECTION[\"Transverse_Mercator\"]," +
                  $"PARAMETER[\"latitude_of_origin\",0],PARAMETER[\"central_meridian\",{cm}]," +
                  "PARAMETER[\"scale_factor\",0.9996],PARAMETER[\"false_easting\",500000],PARAMETER[\"false_northing\",10000000]," +
                  $"UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"{epsg}\"]]";
        return (CoordinateSystem)Factory.CreateFromWkt(wkt);
    }

    private readonly record struct UtmInfo(int Zone, bool North, bool Psad56);

    private static UtmInfo? Utm(int epsg) => epsg switch
    {
        >= 32601 and <= 32660 => new UtmInfo(epsg - 32600, true, false),
        >= 32701 and <= 32760 => new UtmInfo(epsg - 32700, false, false),
        >= 24877 and <= 24879 => new UtmInfo(epsg - 24860, false, true),
        _ => null,
    };

    /// <summary>True for the projected UTM systems (WGS 84 or PSAD56).</summary>
    public static bool IsUtm(int epsg) => Utm(epsg) is not null;

    [GeneratedRegex(@"^(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[0-9.]*:|https?://www\.opengis\.net/def/crs/EPSG/[0-9.]+/)?(\d{4,5})$",
        RegexOptions.IgnoreCase)]
    private static partial Regex EpsgPattern();

    private sealed class TransformFilter(MathTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;
        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            double x = seq.GetX(i), y = seq.GetY(i);
            transform.Transform(ref x, ref y);
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
