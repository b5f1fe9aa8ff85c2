using System.Globalization;
using System.Text;

namespace BarrioSeguro.Geo.IO.Shapefile;

/// <summary>
/// Decides how a DBF's text is encoded, the way GDAL does: the .cpg file first, then the language driver id (LDID,
/// byte 29 of the DBF header), and ISO-8859-1 when neither says anything. UTF-8 is assumed only when the .cpg says so.
/// </summary>
public static class DbfEncodings
{
    static DbfEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding for a DBF, from its .cpg text (may be null) and its LDID byte.</summary>
    public static Encoding Detect(string? cpg, byte languageDriverId) =>
        FromCpg(cpg) ?? FromLdid(languageDriverId) ?? Encoding.Latin1;

    /// <summary>The encoding named in a .cpg ("UTF-8", "1252", "ANSI 1252", "ISO-8859-1", "88591", ...), or null.</summary>
    public static Encoding? FromCpg(string? cpg)
    {
        if (string.IsNullOrWhiteSpace(cpg)) return null;
        var text = cpg.Trim().ToUpperInvariant();
        if (text is "UTF-8" or "UTF8" or "65001") return new UTF8Encoding(false);
        if (text.StartsWith("ANSI ", StringComparison.Ordinal)) text = text[5..].Trim();
        if (text.StartsWith("CP", StringComparison.Ordinal)) text = text[2..];
        if (text is "88591" or "8859_1" or "ISO88591" or "LATIN1") return Encoding.Latin1;
        if (text.StartsWith("8859", StringComparison.Ordinal) && text.Length > 4)
            text = "ISO-8859-" + text[4..].TrimStart('_', '-');
        try
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var codePage)
                ? Encoding.GetEncoding(codePage)
                : Encoding.GetEncoding(text);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The encoding of the common language driver ids, or null for 0 and unknown ids.</summary>
    public static Encoding? FromLdid(byte ldid) => ldid switch
    {
        0x01 => Encoding.GetEncoding(437),
        0x02 => Encoding.GetEncoding(850),
        0x03 => Encoding.GetEncoding(1252),
        0x57 => Encoding.Latin1, // "ANSI": GDAL reads it as ISO-8859-1
        0x64 => Encoding.GetEncoding(852),
        0x65 => Encoding.GetEncoding(866),
        0x7D => Encoding.GetEncoding(1255),
        0x7E => Encoding.GetEncoding(1256),
        0xC8 => Encoding.GetEncoding(1250),
        0xC9 => Encoding.GetEncoding(1251),
        0xCA => Encoding.GetEncoding(1254),
        0xCB => Encoding.GetEncoding(1253),
        _ => null,
    };
}
