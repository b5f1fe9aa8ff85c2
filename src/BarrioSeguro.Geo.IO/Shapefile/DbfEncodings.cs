using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using System.Text;

namespace BarrioSeguro.Geo.IO.Shapefile;

/// <summary>The text encoding chosen for a DBF, and a one-line warning when it was a guess (null when it was stated).</summary>
public sealed record DbfEncodingChoice(Encoding Encoding, Note? Warning);

/// <summary>
/// Decides how a DBF's text is encoded: the caller's choice (<c>--encoding</c>) first, then the .cpg file, then the
/// language driver id (LDID, byte 29 of the DBF header), then a default.
/// <para>
/// The default, with no .cpg and no LDID (GDAL writes LDID 0 and puts the code page in the .cpg, so a lost .cpg leaves
/// nothing): UTF-8 when every non-ASCII byte of the DBF forms valid UTF-8 (text in a single-byte code page with accents
/// almost never does), else windows-1252, the code page of Spanish-language Windows, where ArcGIS and Excel-made DBFs
/// in Peru come from. windows-1252 agrees with ISO-8859-1 on every letter and adds “ ” – € and the like.
/// </para>
/// </summary>
public static class DbfEncodings
{
    static DbfEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The code page of the Windows "ANSI" LDIDs and of the default (see the class remarks).</summary>
    public const int Windows1252 = 1252;

    // dBase / Visual FoxPro language driver ids and their code pages, as Shapelib and GDAL read them
    // (0x57 "ANSI" is windows-1252: ArcGIS writes it for the Windows code page of Western-language systems).
    private static readonly Dictionary<byte, int> LdidCodePages = new()
    {
        [0x01] = 437, [0x02] = 850, [0x03] = 1252, [0x04] = 10000, [0x08] = 865, [0x09] = 437, [0x0A] = 850, [0x0B] = 437,
        [0x0D] = 437, [0x0E] = 850, [0x0F] = 437, [0x10] = 850, [0x11] = 437, [0x12] = 850, [0x13] = 932, [0x14] = 850,
        [0x15] = 437, [0x16] = 850, [0x17] = 865, [0x18] = 437, [0x19] = 437, [0x1A] = 850, [0x1B] = 437, [0x1C] = 863,
        [0x1D] = 850, [0x1F] = 852, [0x22] = 852, [0x23] = 852, [0x24] = 860, [0x25] = 850, [0x26] = 866, [0x37] = 850,
        [0x40] = 852, [0x4D] = 936, [0x4E] = 949, [0x4F] = 950, [0x50] = 874, [0x57] = 1252, [0x58] = 1252, [0x59] = 1252,
        [0x64] = 852, [0x65] = 866, [0x66] = 865, [0x67] = 861, [0x6A] = 737, [0x6B] = 857, [0x6C] = 863, [0x78] = 950,
        [0x79] = 949, [0x7A] = 936, [0x7B] = 932, [0x7C] = 874, [0x7D] = 1255, [0x7E] = 1256, [0x86] = 737, [0x87] = 852,
        [0x88] = 857, [0x96] = 10007, [0x97] = 10029, [0x98] = 10006, [0xC8] = 1250, [0xC9] = 1251, [0xCA] = 1254,
        [0xCB] = 1253, [0xCC] = 1257,
    };

    /// <summary>
    /// The encoding for a DBF. <paramref name="given"/> (the user's choice) wins; then <paramref name="cpg"/> (the .cpg
    /// text, null when there is none); then the LDID; then the default, judged from <paramref name="dbfBytes"/>.
    /// Every choice but the first two comes with a warning naming the guess.
    /// </summary>
    public static DbfEncodingChoice Choose(Encoding? given, string? cpg, byte languageDriverId, ReadOnlySpan<byte> dbfBytes)
    {
        if (given is not null) return new DbfEncodingChoice(given, null);
        string? badCpg = null;
        if (cpg is not null)
        {
            if (FromCpg(cpg) is { } stated) return new DbfEncodingChoice(stated, null);
            badCpg = Shorten(cpg);
        }
        var hex = $"0x{languageDriverId:X2}";
        if (FromLdid(languageDriverId) is { } fromByte)
            return new DbfEncodingChoice(fromByte, badCpg is null
                ? Note.Of("io.dbf_ldid", ("encoding", fromByte.WebName), ("ldid", hex))
                : Note.Of("io.dbf_ldid_bad_cpg", ("cpg", badCpg!), ("encoding", fromByte.WebName), ("ldid", hex)));
        var unknownByte = languageDriverId != 0;
        if (LooksUtf8(dbfBytes, out var hasNonAscii) && hasNonAscii)
            return new DbfEncodingChoice(new UTF8Encoding(false), (badCpg, unknownByte) switch
            {
                (null, false) => Note.Of("io.dbf_utf8"),
                (null, true) => Note.Of("io.dbf_utf8_byte", ("ldid", hex)),
                (_, false) => Note.Of("io.dbf_utf8_bad_cpg", ("cpg", badCpg!)),
                _ => Note.Of("io.dbf_utf8_bad_cpg_byte", ("cpg", badCpg!), ("ldid", hex)),
            });
        var cp1252 = Encoding.GetEncoding(Windows1252);
        // Plain ASCII reads the same in every code page: nothing was guessed.
        if (!hasNonAscii) return new DbfEncodingChoice(cp1252, null);
        return new DbfEncodingChoice(cp1252, (badCpg, unknownByte) switch
        {
            (null, false) => Note.Of("io.dbf_cp1252"),
            (null, true) => Note.Of("io.dbf_cp1252_byte", ("ldid", hex)),
            (_, false) => Note.Of("io.dbf_cp1252_bad_cpg", ("cpg", badCpg!)),
            _ => Note.Of("io.dbf_cp1252_bad_cpg_byte", ("cpg", badCpg!), ("ldid", hex)),
        });
    }

    /// <summary>
    /// An encoding named by a user or a .cpg: "UTF-8", "1252", "cp1252", "windows-1252", "ANSI 1252", "ISO-8859-1",
    /// "88591", "latin1", "850", ...; null when unknown.
    /// </summary>
    public static Encoding? FromCpg(string? cpg)
    {
        if (string.IsNullOrWhiteSpace(cpg)) return null;
        var text = cpg.Trim().ToUpperInvariant();
        if (text is "UTF-8" or "UTF8" or "65001") return new UTF8Encoding(false);
        if (text.StartsWith("ANSI ", StringComparison.Ordinal)) text = text[5..].Trim();
        if (text.StartsWith("CP", StringComparison.Ordinal)) text = text[2..].TrimStart('-', '_', ' ');
        if (text.StartsWith("WINDOWS-", StringComparison.Ordinal) || text.StartsWith("WINDOWS_", StringComparison.Ordinal)) text = text[8..];
        if (text is "88591" or "8859_1" or "ISO88591" or "LATIN1") return Encoding.Latin1;
        if (text.StartsWith("8859", StringComparison.Ordinal) && text.Length > 4)
            text = "ISO-8859-" + text[4..].TrimStart('_', '-');
        try
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var codePage)
                ? Encoding.GetEncoding(codePage)
                : Encoding.GetEncoding(text);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The encoding of a language driver id, or null for 0 and ids without a code page .NET knows.</summary>
    public static Encoding? FromLdid(byte ldid)
    {
        if (!LdidCodePages.TryGetValue(ldid, out var codePage)) return null;
        try { return Encoding.GetEncoding(codePage); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException) { return null; }
    }

    /// <summary>The language driver id of a DBF header (byte 29), 0 when the header is too short.</summary>
    public static byte LanguageDriverId(ReadOnlySpan<byte> dbfBytes) => dbfBytes.Length >= 32 ? dbfBytes[29] : (byte)0;

    // The field descriptors and records, after the 32-byte file header: valid UTF-8 throughout?
    private static bool LooksUtf8(ReadOnlySpan<byte> dbf, out bool hasNonAscii)
    {
        var body = dbf.Length > 32 ? dbf[32..] : [];
        hasNonAscii = body.ContainsAnyExceptInRange((byte)0, (byte)0x7F);
        if (!hasNonAscii) return true;
        return System.Text.Unicode.Utf8.IsValid(body);
    }

    private static string Shorten(string text)
    {
        var t = text.ReplaceLineEndings(" ").Trim();
        return t.Length > 40 ? t[..40] + "..." : t;
    }
}
