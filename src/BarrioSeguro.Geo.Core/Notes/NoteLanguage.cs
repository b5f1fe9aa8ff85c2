namespace BarrioSeguro.Geo.Core.Notes;

/// <summary>
/// The language notes are written in when a report is turned into JSON: the API sets it per request (?lang=,
/// Accept-Language, Spanish by default), the CLI once (BARRIO_LANG or LANG, English by default). English when unset.
/// </summary>
public static class NoteLanguage
{
    private static readonly AsyncLocal<string?> current = new();

    public static string Current
    {
        get => current.Value ?? "en";
        set => current.Value = NoteCatalog.Default.Languages.Contains(value) ? value : throw new ArgumentException($"no notes in language '{value}'", nameof(value));
    }

    /// <summary>"es" or "en" from a tag such as es-PE, en_GB.UTF-8 or an Accept-Language header; null when neither.</summary>
    public static string? Pick(string? tags)
    {
        if (string.IsNullOrWhiteSpace(tags)) return null;
        var ranked = tags.Split(',').Select((part, i) =>
        {
            var bits = part.Split(';');
            var q = bits.Skip(1).Select(b => b.Trim()).Where(b => b.StartsWith("q=", StringComparison.Ordinal))
                .Select(b => double.TryParse(b[2..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0)
                .DefaultIfEmpty(1).First();
            return (Tag: bits[0].Trim().ToLowerInvariant(), Q: q, Order: i);
        });
        foreach (var (tag, q, _) in ranked.OrderByDescending(r => r.Q).ThenBy(r => r.Order))
        {
            if (q <= 0) continue;
            var primary = tag.Split('-', '_', '.')[0];
            if (NoteCatalog.Default.Languages.Contains(primary)) return primary;
        }
        return null;
    }
}
