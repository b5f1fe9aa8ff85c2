using System.Globalization;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.IO.Shapefile;

/// <summary>
/// The ESRI flavour of WKT that goes in a shapefile's .prj, and the way back from a .prj (ESRI or OGC WKT) to an EPSG code.
/// ArcGIS writes and expects the ESRI names (GCS_WGS_1984, D_WGS_1984); GDAL and QGIS read both flavours.
/// </summary>
public static partial class EsriPrj
{
    private const string GcsWgs84 =
        "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]]," +
        "PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

    private const string GcsPsad56 =
        "GEOGCS[\"GCS_Provisional_S_American_1956\",DATUM[\"D_Provisional_S_American_1956\"," +
        "SPHEROID[\"International_1924\",6378388.0,297.0]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

    /// <summary>
    /// The ESRI WKT for an EPSG code: 4326, 3857, WGS 84 UTM zones (32601-32660, 32701-32760),
    /// PSAD56 UTM 17S-19S (24877-24879).
    /// </summary>
    /// <exception cref="UnknownCrsException">Any other code.</exception>
    public static string For(int epsg)
    {
        if (epsg == Crs.Wgs84) return GcsWgs84;
        if (epsg == Crs.WebMercator)
            return "PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\"," + GcsWgs84 +
                   ",PROJECTION[\"Mercator_Auxiliary_Sphere\"],PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0]," +
                   "PARAMETER[\"Central_Meridian\",0.0],PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER[\"Auxiliary_Sphere_Type\",0.0]," +
                   "UNIT[\"Meter\",1.0]]";
        var (zone, north, psad) = epsg switch
        {
            >= 32601 and <= 32660 => (epsg - 32600, true, false),
            >= 32701 and <= 32760 => (epsg - 32700, false, false),
            >= 24877 and <= 24879 => (epsg - 24860, false, true),
            _ => throw new UnknownCrsException($"EPSG:{epsg}"),
        };
        var name = $"{(psad ? "PSAD_1956" : "WGS_1984")}_UTM_Zone_{zone}{(north ? "N" : "S")}";
        return $"PROJCS[\"{name}\",{(psad ? GcsPsad56 : GcsWgs84)},PROJECTION[\"Transverse_Mercator\"]," +
               "PARAMETER[\"False_Easting\",500000.0]," +
               $"PARAMETER[\"False_Northing\",{(north ? "0.0" : "10000000.0")}]," +
               $"PARAMETER[\"Central_Meridian\",{Number(-183 + 6 * zone)}]," +
               "PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
    }

    /// <summary>
    /// The EPSG code of a .prj's WKT (ESRI or OGC flavour): an EPSG AUTHORITY on the outer system wins, then the
    /// system's name (WGS_1984_UTM_Zone_17S, "WGS 84 / UTM zone 17S", PSAD56 forms, Web Mercator, GCS_WGS_1984),
    /// then, for Transverse Mercator on WGS 84 or PSAD56, the central meridian and false northing.
    /// </summary>
    /// <returns>The code, or null when the WKT names no system this service supports.</returns>
    public static int? ToEpsg(string wkt)
    {
        var text = wkt.Trim();
        if (text.Length == 0) return null;

        // The outer system's AUTHORITY is the last one in the text (inner ones belong to datum, unit, ...).
        var authorities = AuthorityPattern().Matches(text);
        if (authorities.Count > 0 && IsOuterAuthority(text, authorities[^1]))
        {
            var code = int.Parse(authorities[^1].Groups[1].Value, CultureInfo.InvariantCulture);
            if (Crs.IsSupported(code)) return code;
        }

        var head = HeadPattern().Match(text);
        if (!head.Success) return null;
        var kind = head.Groups[1].Value.ToUpperInvariant();
        var name = Normalise(head.Groups[2].Value);

        if (kind == "GEOGCS")
            return name is "gcswgs1984" or "wgs84" or "wgs1984" ? Crs.Wgs84 : null;

        if (name is "wgs1984webmercatorauxiliarysphere" or "wgs84pseudomercator" or "wgs1984webmercator" or "popularvisualisationcrsmercator")
            return Crs.WebMercator;

        var utm = UtmNamePattern().Match(name);
        if (utm.Success)
        {
            var zone = int.Parse(utm.Groups[2].Value, CultureInfo.InvariantCulture);
            var north = utm.Groups[3].Value == "n";
            return Utm(utm.Groups[1].Value.StartsWith("psad", StringComparison.Ordinal), zone, north);
        }

        // Last resort: a Transverse Mercator whose parameters say UTM (names vary between producers).
        if (!text.Contains("Transverse_Mercator", StringComparison.OrdinalIgnoreCase)) return null;
        var cm = Parameter(text, "central_meridian");
        var fn = Parameter(text, "false_northing");
        var k = Parameter(text, "scale_factor");
        var fe = Parameter(text, "false_easting");
        if (cm is null || fn is null || k is not 0.9996 || fe is not 500000) return null;
        var z = (cm.Value + 183) / 6;
        if (z != Math.Floor(z) || z < 1 || z > 60) return null;
        var datum = Normalise(DatumPattern().Match(text).Groups[1].Value);
        bool psad56 = datum.Contains("provisional") || datum.Contains("psad");
        bool wgs84 = datum.Contains("wgs1984") || datum.Contains("wgs84");
        if (!psad56 && !wgs84) return null;
        return Utm(psad56, (int)z, fn == 0);
    }

    private static int? Utm(bool psad56, int zone, bool north)
    {
        if (!psad56) return (north ? 32600 : 32700) + zone;
        return !north && zone is >= 17 and <= 19 ? 24860 + zone : null;
    }

    // An AUTHORITY directly inside the outer brackets closes at depth 1 before the final bracket.
    private static bool IsOuterAuthority(string text, Match authority)
    {
        var depth = 0;
        for (var i = 0; i < authority.Index; i++)
        {
            if (text[i] is '[' or '(') depth++;
            else if (text[i] is ']' or ')') depth--;
        }
        return depth == 1;
    }

    private static double? Parameter(string text, string name)
    {
        var m = Regex.Match(text, $"PARAMETER\\[\"{name}\",\\s*([-+0-9.eE]+)\\s*\\]", RegexOptions.IgnoreCase);
        return m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    private static string Normalise(string name) =>
        new(name.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).ToArray());

    private static string Number(double value) =>
        value == Math.Floor(value) ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex("AUTHORITY\\[\"EPSG\",\\s*\"?(\\d+)\"?\\s*\\]", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorityPattern();

    [GeneratedRegex("^\\s*(PROJCS|GEOGCS)\\[\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HeadPattern();

    [GeneratedRegex("DATUM\\[\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex DatumPattern();

    // Normalised names: wgs1984utmzone17s, wgs84utmzone17s, psad1956utmzone17s, psad56utmzone17s.
    [GeneratedRegex("^(wgs1984|wgs84|psad1956|psad56)utmzone(\\d{1,2})([ns])$")]
    private static partial Regex UtmNamePattern();
}
