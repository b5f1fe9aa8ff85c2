using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace BarrioSeguro.Geo.Printing;

/// <summary>A file carried inside a PDF (an embedded file of the document's Names/EmbeddedFiles tree).</summary>
/// <param name="FileName">The name a reader saves it under; ASCII letters, digits, '_', '-' and '.' only.</param>
public sealed record PdfAttachment(string FileName, byte[] Content, string MimeType, string Description, DateTimeOffset Modified)
{
    /// <summary>Where a paperclip (a FileAttachment annotation) opens the file on a page too; null: only in the document's list.</summary>
    public PdfPlace? Place { get; init; }
}

/// <summary>A rectangle on a page (0-based), in points from the page's top left corner, as the renderer draws.</summary>
public sealed record PdfPlace(int Page, float Left, float Top, float Right, float Bottom);

/// <summary>
/// What SkiaSharp's PDF backend cannot write, added as a PDF incremental update (ISO 32000-1 §7.5.6): the original bytes
/// stay as they are, followed by new objects (embedded files, their file specifications, a name tree), a new catalog
/// under the same object number with <c>/Lang</c>, <c>/Names /EmbeddedFiles</c> and <c>/PageMode /UseAttachments</c>,
/// a FileAttachment annotation (a paperclip) on a page where the attachment has a <see cref="PdfAttachment.Place"/>
/// (that page rewritten under its own number with the annotation added to <c>/Annots</c>),
/// a cross-reference section for just those objects and a trailer whose <c>/Prev</c> points at the original one.
/// Reads only what Skia writes: a classic cross-reference table (no xref streams) and an uncompressed catalog.
/// </summary>
public static class PdfUpdate
{
    /// <summary>The PDF <paramref name="pdf"/> with its document language set and <paramref name="attachments"/> embedded.</summary>
    /// <exception cref="FormatException">Not a PDF this reader understands (no classic xref table or trailer).</exception>
    public static byte[] Apply(byte[] pdf, string language, IReadOnlyList<PdfAttachment> attachments)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var startxref = text.LastIndexOf("startxref", StringComparison.Ordinal);
        if (startxref < 0) throw new FormatException("No startxref: not a complete PDF.");
        var prev = long.Parse(ReadToken(text, startxref + "startxref".Length, out _), CultureInfo.InvariantCulture);
        if (string.CompareOrdinal(text, (int)prev, "xref", 0, 4) != 0)
            throw new FormatException("The cross-reference section is not a classic xref table (an xref stream?).");
        var trailerAt = text.IndexOf("trailer", (int)prev, StringComparison.Ordinal);
        if (trailerAt < 0) throw new FormatException("No trailer after the xref table.");
        var trailer = Dictionary(text, text.IndexOf("<<", trailerAt, StringComparison.Ordinal), out _);
        var size = int.Parse(trailer["/Size"], CultureInfo.InvariantCulture);
        var root = RefNumber(trailer["/Root"]);
        var rootOffset = XrefOffset(text, (int)prev, root);
        var rootDictAt = text.IndexOf("<<", rootOffset, StringComparison.Ordinal);
        var catalog = Dictionary(text, rootDictAt, out _);

        var output = new MemoryStream();
        output.Write(pdf);
        if (pdf.Length > 0 && pdf[^1] != '\n') output.WriteByte((byte)'\n');
        var offsets = new SortedDictionary<int, long>();
        void Obj(int number, byte[] head, byte[]? stream = null)
        {
            offsets[number] = output.Position;
            output.Write(Latin1($"{number} 0 obj\n"));
            output.Write(head);
            if (stream is not null)
            {
                output.Write(Latin1("\nstream\n"));
                output.Write(stream);
                output.Write(Latin1("\nendstream"));
            }
            output.Write(Latin1("\nendobj\n"));
        }

        var next = size;
        var specs = new List<(string Name, int Spec)>();
        var placed = new List<(PdfPlace Place, int Spec, string Description)>();
        foreach (var a in attachments.OrderBy(a => a.FileName, StringComparer.Ordinal))
        {
            if (a.FileName.Length == 0 || a.FileName.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.')))
                throw new ArgumentException($"Attachment name '{a.FileName}': use ASCII letters, digits, '_', '-' and '.'.", nameof(attachments));
            var file = next++;
            var spec = next++;
            var md5 = Convert.ToHexString(MD5.HashData(a.Content));
            Obj(file, Latin1(
                $"<< /Type /EmbeddedFile /Subtype {Name(a.MimeType)} /Length {a.Content.Length} " +
                $"/Params << /Size {a.Content.Length} /ModDate {TextString(Date(a.Modified))} /CheckSum <{md5}> >> >>"), a.Content);
            Obj(spec, Latin1(
                $"<< /Type /Filespec /F ({a.FileName}) /UF {TextString(a.FileName)} /EF << /F {file} 0 R /UF {file} 0 R >> " +
                $"/Desc {TextString(a.Description)} /AFRelationship /Supplement >>"));
            specs.Add((a.FileName, spec));
            if (a.Place is { } place) placed.Add((place, spec, a.Description));
        }
        if (placed.Count > 0)
        {
            var pages = Pages(text, (int)prev, RefNumber(catalog["/Pages"]));
            foreach (var group in placed.GroupBy(p => p.Place.Page))
            {
                if (group.Key < 0 || group.Key >= pages.Count)
                    throw new ArgumentException($"No page {group.Key + 1} for an attachment (the PDF has {pages.Count}).", nameof(attachments));
                var pageNumber = pages[group.Key];
                var page = Dictionary(text, text.IndexOf("<<", XrefOffset(text, (int)prev, pageNumber), StringComparison.Ordinal), out _);
                var box = MediaBox(text, (int)prev, page);
                var height = box.Length == 4 ? double.Parse(box[3], CultureInfo.InvariantCulture) : throw new FormatException($"Page {group.Key + 1} has no /MediaBox.");
                var annots = new List<string>();
                if (page.TryGetValue("/Annots", out var existing))
                {
                    if (!existing.StartsWith('[')) throw new FormatException("A page's /Annots is not an array written in place.");
                    annots.Add(existing.Trim('[', ']').Trim());
                }
                foreach (var (place, spec, description) in group)
                {
                    var annot = next++;
                    var rect = string.Create(CultureInfo.InvariantCulture,
                        $"[{place.Left:0.##} {height - place.Bottom:0.##} {place.Right:0.##} {height - place.Top:0.##}]");
                    Obj(annot, Latin1($"<< /Type /Annot /Subtype /FileAttachment /Rect {rect} /FS {spec} 0 R /Contents {TextString(description)} " +
                                      $"/Name /Paperclip /F 4 /P {pageNumber} 0 R >>"));
                    annots.Add($"{annot} 0 R");
                }
                page["/Annots"] = $"[{string.Join(" ", annots.Where(x => x.Length > 0))}]";
                Obj(pageNumber, Latin1("<< " + string.Join(" ", page.Select(p => $"{p.Key} {p.Value}")) + " >>"));
            }
        }
        if (language.Length == 0 || language.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch == '-')))
            throw new ArgumentException($"'{language}' is not a BCP 47 language tag such as es-PE.", nameof(language));
        catalog["/Lang"] = $"({language})";
        if (specs.Count > 0)
        {
            var tree = next++;
            Obj(tree, Latin1($"<< /Names [{string.Join(" ", specs.Select(s => $"({s.Name}) {s.Spec} 0 R"))}] >>"));
            if (catalog.ContainsKey("/Names"))
                throw new FormatException("The catalog already has a /Names dictionary; this update does not merge name trees.");
            catalog["/Names"] = $"<< /EmbeddedFiles {tree} 0 R >>";
            catalog["/AF"] = $"[{string.Join(" ", specs.Select(s => $"{s.Spec} 0 R"))}]";
            catalog["/PageMode"] = "/UseAttachments";
        }
        Obj(root, Latin1("<< " + string.Join(" ", catalog.Select(p => $"{p.Key} {p.Value}")) + " >>"));

        // The cross-reference section of the update: the free head, then one subsection per run of consecutive numbers.
        var xref = output.Position;
        var sb = new StringBuilder("xref\n0 1\n0000000000 65535 f \n");
        var numbers = offsets.Keys.ToList();
        for (var i = 0; i < numbers.Count;)
        {
            var j = i;
            while (j + 1 < numbers.Count && numbers[j + 1] == numbers[j] + 1) j++;
            sb.Append(CultureInfo.InvariantCulture, $"{numbers[i]} {j - i + 1}\n");
            for (var k = i; k <= j; k++) sb.Append(CultureInfo.InvariantCulture, $"{offsets[numbers[k]]:D10} 00000 n \n");
            i = j + 1;
        }
        trailer["/Size"] = next.ToString(CultureInfo.InvariantCulture);
        trailer["/Prev"] = prev.ToString(CultureInfo.InvariantCulture);
        sb.Append("trailer\n<< ").Append(string.Join(" ", trailer.Select(p => $"{p.Key} {p.Value}"))).Append(" >>\n");
        sb.Append(CultureInfo.InvariantCulture, $"startxref\n{xref}\n%%EOF\n");
        output.Write(Latin1(sb.ToString()));
        return output.ToArray();
    }

    private static byte[] Latin1(string s) => Encoding.Latin1.GetBytes(s);

    /// <summary>A PDF name, with every byte outside the regular characters written as #xx.</summary>
    private static string Name(string value)
    {
        var sb = new StringBuilder("/");
        foreach (var b in Encoding.UTF8.GetBytes(value))
            sb.Append(b is > 0x20 and < 0x7f && !"#/()<>[]{}%".Contains((char)b) ? ((char)b).ToString() : $"#{b:X2}");
        return sb.ToString();
    }

    /// <summary>A PDF text string: UTF-16BE with its byte order mark, as hex (any language, no escaping).</summary>
    private static string TextString(string value) => "<FEFF" + Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(value)) + ">";

    private static string Date(DateTimeOffset at)
    {
        var off = at.Offset;
        var sign = off < TimeSpan.Zero ? '-' : '+';
        return at.ToString("'D:'yyyyMMddHHmmss", CultureInfo.InvariantCulture) + $"{sign}{Math.Abs(off.Hours):00}'{Math.Abs(off.Minutes):00}'";
    }

    /// <summary>A page's /MediaBox numbers, its own or inherited from its parents.</summary>
    private static string[] MediaBox(string text, int xref, Dictionary<string, string> node)
    {
        for (var depth = 0; depth < 64; depth++)
        {
            if (node.TryGetValue("/MediaBox", out var mb)) return mb.Trim('[', ']').Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (!node.TryGetValue("/Parent", out var parent)) break;
            node = Dictionary(text, text.IndexOf("<<", XrefOffset(text, xref, RefNumber(parent)), StringComparison.Ordinal), out _);
        }
        return [];
    }

    /// <summary>The object numbers of the pages in order, walking the page tree from <paramref name="node"/>.</summary>
    private static List<int> Pages(string text, int xref, int node)
    {
        var dict = Dictionary(text, text.IndexOf("<<", XrefOffset(text, xref, node), StringComparison.Ordinal), out _);
        if (!dict.TryGetValue("/Kids", out var kids)) return [node];
        var pages = new List<int>();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(kids, @"(\d+)\s+\d+\s+R"))
            pages.AddRange(Pages(text, xref, int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        return pages;
    }

    private static int RefNumber(string reference) =>
        int.Parse(reference.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);

    /// <summary>The byte offset of object <paramref name="number"/> in the classic xref table at <paramref name="at"/>.</summary>
    private static int XrefOffset(string text, int at, int number)
    {
        var pos = at + 4;
        while (true)
        {
            var first = ReadToken(text, pos, out pos);
            if (first == "trailer") throw new FormatException($"Object {number} is not in the xref table.");
            var count = int.Parse(ReadToken(text, pos, out pos), CultureInfo.InvariantCulture);
            var start = int.Parse(first, CultureInfo.InvariantCulture);
            for (var i = 0; i < count; i++)
            {
                var offset = ReadToken(text, pos, out pos);
                ReadToken(text, pos, out pos);
                var kind = ReadToken(text, pos, out pos);
                if (start + i == number && kind == "n") return int.Parse(offset, CultureInfo.InvariantCulture);
            }
        }
    }

    private static string ReadToken(string text, int pos, out int end)
    {
        while (pos < text.Length && char.IsWhiteSpace(text[pos])) pos++;
        var start = pos;
        while (pos < text.Length && !char.IsWhiteSpace(text[pos])) pos++;
        end = pos;
        return text[start..pos];
    }

    /// <summary>The top-level entries of the dictionary starting at <paramref name="at"/> ("&lt;&lt;"), values as written.</summary>
    private static Dictionary<string, string> Dictionary(string text, int at, out int end)
    {
        if (at < 0 || string.CompareOrdinal(text, at, "<<", 0, 2) != 0) throw new FormatException("Expected a dictionary.");
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        var pos = at + 2;
        while (true)
        {
            pos = SkipSpace(text, pos);
            if (string.CompareOrdinal(text, pos, ">>", 0, 2) == 0) { end = pos + 2; return entries; }
            if (text[pos] != '/') throw new FormatException($"Expected a name at byte {pos}.");
            var keyEnd = SkipObject(text, pos);
            var key = text[pos..keyEnd];
            var valueStart = SkipSpace(text, keyEnd);
            var valueEnd = SkipObject(text, valueStart);
            // An indirect reference "12 0 R" is three tokens.
            var after = SkipSpace(text, valueEnd);
            if (char.IsAsciiDigit(text[valueStart]) && after < text.Length && char.IsAsciiDigit(text[after]))
            {
                var genEnd = SkipObject(text, after);
                var r = SkipSpace(text, genEnd);
                if (r < text.Length && text[r] == 'R' && (r + 1 >= text.Length || !char.IsAsciiLetterOrDigit(text[r + 1]))) valueEnd = r + 1;
            }
            entries[key] = text[valueStart..valueEnd];
            pos = valueEnd;
        }
    }

    private static int SkipSpace(string text, int pos)
    {
        while (pos < text.Length)
        {
            if (char.IsWhiteSpace(text[pos]) || text[pos] == '\0') pos++;
            else if (text[pos] == '%') { while (pos < text.Length && text[pos] is not ('\n' or '\r')) pos++; }
            else break;
        }
        return pos;
    }

    /// <summary>The end of the object starting at <paramref name="pos"/> (a name, number, string, array or dictionary).</summary>
    private static int SkipObject(string text, int pos)
    {
        switch (text[pos])
        {
            case '<' when pos + 1 < text.Length && text[pos + 1] == '<':
                Dictionary(text, pos, out var end);
                return end;
            case '<':
                return text.IndexOf('>', pos) + 1;
            case '[':
                pos++;
                while (true)
                {
                    pos = SkipSpace(text, pos);
                    if (text[pos] == ']') return pos + 1;
                    pos = SkipObject(text, pos);
                }
            case '(':
                var depth = 0;
                for (; pos < text.Length; pos++)
                {
                    if (text[pos] == '\\') { pos++; continue; }
                    if (text[pos] == '(') depth++;
                    else if (text[pos] == ')' && --depth == 0) return pos + 1;
                }
                throw new FormatException("An unterminated string.");
            default:
                var start = pos;
                pos++;
                while (pos < text.Length && !char.IsWhiteSpace(text[pos]) && "/<>[]()%".IndexOf(text[pos]) < 0) pos++;
                if (pos == start) throw new FormatException($"Unexpected byte at {start}.");
                return pos;
        }
    }
}
