using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BarrioSeguro.Geo.Core.Notes;

/// <summary>
/// The one catalog of note templates (notes.json, embedded here; the service serves the same bytes to the viewer at
/// /api/notes/catalog and the field kit formats through it): per code, the kind of each argument and a sentence per
/// language; per kind, its unit and digits; per language, its decimal and group separators.
/// </summary>
public sealed partial class NoteCatalog
{
    /// <summary>One argument's kind: a number with digits and unit, a list of names, a value with words, or a name.</summary>
    public sealed record Kind(int? Digits, int? MaxDigits, string? Unit, bool List, bool And, int Max, bool Invariant,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? Values)
    {
        /// <summary>An area in m², said in km² (2 digits) from 0.1 km², in m² (whole) from 10 m², else in m² (1 digit).</summary>
        public bool Area { get; init; }
    }

    /// <summary>One code: the kind of each argument and a template per language.</summary>
    public sealed record Entry(IReadOnlyDictionary<string, string> Args, IReadOnlyDictionary<string, string> Templates);

    private sealed record Language(string Decimal, string Group, string More, string And);

    public static NoteCatalog Default { get; } = Load();

    /// <summary>The catalog's bytes, as served to the viewer.</summary>
    public string Json { get; }
    public IReadOnlyList<string> Languages { get; }
    public IReadOnlyDictionary<string, Kind> Kinds { get; }
    public IReadOnlyDictionary<string, Entry> Entries { get; }
    /// <summary>The service's fixed ProblemDetails titles, English to Spanish.</summary>
    public IReadOnlyDictionary<string, string> Titles { get; }
    private readonly Dictionary<string, Language> languages;

    private NoteCatalog(string json)
    {
        Json = json;
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        languages = root.GetProperty("languages").EnumerateObject().ToDictionary(p => p.Name,
            p => new Language(p.Value.GetProperty("decimal").GetString()!, p.Value.GetProperty("group").GetString()!, p.Value.GetProperty("more").GetString()!, p.Value.GetProperty("and").GetString()!));
        Languages = languages.Keys.ToList();
        Kinds = root.GetProperty("kinds").EnumerateObject().ToDictionary(p => p.Name, p => new Kind(
            p.Value.TryGetProperty("digits", out var d) ? d.GetInt32() : null,
            p.Value.TryGetProperty("maxDigits", out var md) ? md.GetInt32() : null,
            p.Value.TryGetProperty("unit", out var u) ? u.GetString() : null,
            p.Value.TryGetProperty("list", out var l) && l.GetBoolean(),
            p.Value.TryGetProperty("and", out var and) && and.GetBoolean(),
            p.Value.TryGetProperty("max", out var m) ? m.GetInt32() : int.MaxValue,
            p.Value.TryGetProperty("invariant", out var inv) && inv.GetBoolean(),
            p.Value.TryGetProperty("values", out var vs)
                ? vs.EnumerateObject().ToDictionary(v => v.Name, v => (IReadOnlyDictionary<string, string>)v.Value.EnumerateObject().ToDictionary(w => w.Name, w => w.Value.GetString()!))
                : null)
        {
            Area = p.Value.TryGetProperty("area", out var area) && area.GetBoolean(),
        });
        Titles = root.GetProperty("titles").EnumerateObject().Where(t => t.Name != "about").ToDictionary(t => t.Name, t => t.Value.GetString()!, StringComparer.Ordinal);
        Entries = root.GetProperty("notes").EnumerateObject().ToDictionary(p => p.Name, p => new Entry(
            p.Value.GetProperty("args").EnumerateObject().ToDictionary(a => a.Name, a => a.Value.GetString()!),
            p.Value.EnumerateObject().Where(t => t.Name != "args").ToDictionary(t => t.Name, t => t.Value.GetString()!)));
    }

    private static NoteCatalog Load()
    {
        using var stream = typeof(NoteCatalog).Assembly.GetManifestResourceStream("BarrioSeguro.Geo.Core.Notes.notes.json")
            ?? throw new InvalidOperationException("notes.json is not embedded in BarrioSeguro.Geo.Core");
        using var reader = new StreamReader(stream);
        return new NoteCatalog(reader.ReadToEnd());
    }

    /// <summary>A ProblemDetails title in the language: its Spanish for "es" when the catalog has it, else as written.</summary>
    public string Title(string english, string language) =>
        language == "es" && Titles.TryGetValue(english, out var spanish) ? spanish : english;

    /// <summary>The placeholders of a template, in order.</summary>
    public static IReadOnlyList<string> Placeholders(string template) => Placeholder().Matches(template).Select(m => m.Groups[1].Value).Distinct().ToList();

    /// <summary>The note in the language (English when the language is not in the catalog).</summary>
    public string Format(Note note, string language)
    {
        if (!languages.ContainsKey(language)) language = "en";
        if (!Entries.TryGetValue(note.Code, out var entry))
            return note.Code + (note.Args.Count == 0 ? "" : " (" + string.Join(", ", note.Args.Select(a => $"{a.Key}: {Raw(a.Value)}")) + ")");
        var template = entry.Templates.TryGetValue(language, out var t) ? t : entry.Templates["en"];
        return Placeholder().Replace(template, m =>
        {
            var name = m.Groups[1].Value;
            if (!note.Args.TryGetValue(name, out var value)) return m.Value;
            // {n:one|many}: the word for one or for any other number.
            if (m.Groups[2].Success) return value is double d && d == 1 ? m.Groups[2].Value : m.Groups[3].Value;
            var kind = entry.Args.TryGetValue(name, out var k) && Kinds.TryGetValue(k, out var kk) ? kk : null;
            return FormatValue(value, kind, language);
        });
    }

    /// <summary>One argument as the language writes it, with its unit.</summary>
    public string FormatValue(object value, Kind? kind, string language)
    {
        var lang = languages[language];
        switch (value)
        {
            case string[] list:
                var shown = list.Take(kind?.Max ?? int.MaxValue).ToList();
                var text = kind?.And == true && shown.Count > 1 && shown.Count == list.Length
                    ? string.Join(", ", shown[..^1]) + " " + lang.And + " " + shown[^1]
                    : string.Join(", ", shown);
                return list.Length > shown.Count ? text + " " + lang.More.Replace("{count}", Number(list.Length - shown.Count, 0, null, lang)) : text;
            case string s:
                return kind?.Values is { } words && words.TryGetValue(s, out var w) && w.TryGetValue(language, out var said) ? said : s;
            case double d:
                if (kind is null) return Number(d, null, 6, lang);
                if (kind.Area)
                    return d >= 100_000 ? Number(d / 1e6, 2, null, lang) + " km²" : d >= 10 ? Number(d, 0, null, lang) + " m²" : Number(d, null, 1, lang) + " m²";
                var number = kind.Invariant
                    ? d.ToString("0." + new string('#', kind.MaxDigits ?? kind.Digits ?? 6), CultureInfo.InvariantCulture)
                    : Number(d, kind.Digits, kind.MaxDigits, lang);
                return kind.Unit is { } unit ? number + " " + unit : number;
            default:
                return Raw(value);
        }
    }

    private static string Number(double d, int? digits, int? maxDigits, Language lang)
    {
        if (!double.IsFinite(d)) return "—";
        var invariant = digits is { } fixedDigits
            ? d.ToString("N" + fixedDigits, CultureInfo.InvariantCulture)
            : d.ToString("#,0." + new string('#', maxDigits ?? 0), CultureInfo.InvariantCulture);
        return string.Concat(invariant.Select(c => c switch { ',' => lang.Group, '.' => lang.Decimal, _ => c.ToString() }));
    }

    private static string Raw(object v) => v is string[] l ? string.Join(", ", l) : Convert.ToString(v, CultureInfo.InvariantCulture)!;

    [GeneratedRegex(@"\{(\w+)(?::([^{}|]*)\|([^{}]*))?\}")]
    private static partial Regex Placeholder();
}
