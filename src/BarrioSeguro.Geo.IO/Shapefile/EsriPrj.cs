using System.Globalization;
using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.IO.Shapefile;

/// <summary>
/// The ESRI flavour of WKT that goes in a shapefile's .prj, and the way back from a .prj (ESRI or OGC WKT) to an EPSG code,
/// both through PROJ (see <see cref="Crs"/>). ArcGIS writes and expects the ESRI names (GCS_WGS_1984, D_WGS_1984);
/// GDAL and QGIS read both flavours.
/// </summary>
public static partial class EsriPrj
{
    /// <summary>The ESRI WKT for any EPSG code PROJ knows as a 2D system, as PROJ writes it (PJ_WKT1_ESRI).</summary>
    /// <exception cref="UnknownCrsException">A code PROJ does not know, or one without an ESRI form.</exception>
    public static string For(int epsg) => Crs.EsriWkt(epsg);

    /// <summary>
    /// The EPSG code of a .prj's WKT (ESRI or OGC flavour): an EPSG AUTHORITY on the outer system wins; then PROJ reads
    /// the text and identifies it in its database (proj_identify, at least 70 % confidence); then, for the partial
    /// texts some producers write, the system's name (WGS_1984_UTM_Zone_17S, "WGS 84 / UTM zone 17S", PSAD56 forms, Web
    /// Mercator, GCS_WGS_1984) or, for Transverse Mercator on WGS 84 or PSAD56, the central meridian and false northing.
    /// </summary>
    /// <returns>The code, or null when the WKT names no system PROJ knows.</returns>
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

        return Crs.Identify(text) ?? ByName(text);
    }

    // Partial texts PROJ cannot read (no parameters, no units): the name, then the UTM parameters.
    private static int? ByName(string text)
    {
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
