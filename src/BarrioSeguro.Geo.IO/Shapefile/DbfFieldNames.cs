using System.Text;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.IO.Shapefile;

/// <summary>
/// Turns attribute names into DBF field names: at most 10 bytes in UTF-8 (not characters: "ubicación1" is 11 bytes),
/// never cutting a character in half, unique without regard to case (GDAL and ArcGIS look fields up case-insensitively).
/// </summary>
public static class DbfFieldNames
{
    /// <summary>The DBF limit on a field name, in bytes.</summary>
    public const int MaxBytes = 10;

    /// <summary>
    /// One field name per input name, same order. Names that already fit keep their name (first one wins on a
    /// case-insensitive tie); the others are cut to 10 bytes, and on a collision get a suffix "_1", "_2", ... with the
    /// stem cut shorter so the whole stays within 10 bytes. Deterministic: the same input gives the same output.
    /// Empty names become "field".
    /// </summary>
    public static IReadOnlyList<string> Make(IReadOnlyList<string> names)
    {
        var result = new string?[names.Count];
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        // First pass: names that fit keep them, so adding a long column never renames an existing short one.
        for (var i = 0; i < names.Count; i++)
        {
            var name = Clean(names[i]);
            if (Encoding.UTF8.GetByteCount(name) <= MaxBytes && used.Add(name)) result[i] = name;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (result[i] is not null) continue;
            var name = Clean(names[i]);
            var cut = Truncate(name, MaxBytes);
            if (used.Add(cut))
            {
                result[i] = cut;
                continue;
            }
            for (var n = 1; ; n++)
            {
                var suffix = "_" + n;
                var candidate = Truncate(name, MaxBytes - suffix.Length) + suffix;
                if (used.Add(candidate))
                {
                    result[i] = candidate;
                    break;
                }
            }
        }
        return result!;
    }

    /// <summary>
    /// The way back from <see cref="Make"/>: attributes of a set read from a DBF whose field name is what
    /// <see cref="Make"/> makes of one of <paramref name="knownNames"/> get that name back ("districtUb" becomes
    /// "districtUbigeo"). The same rule both ways, so nothing but the reader's own list of names is needed. A field that
    /// already has a known name, or whose full name is there too, keeps its name. Sets not read from a DBF are returned
    /// as they are.
    /// </summary>
    /// <param name="set">Features as read.</param>
    /// <param name="knownNames">The attribute names the reader knows, in the order it lists them (collisions between
    /// cut names are resolved in this order, as on writing).</param>
    public static FeatureSet Restore(FeatureSet set, IEnumerable<string> knownNames)
    {
        if (!set.FromDbf) return set;
        var known = knownNames.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var knownSet = new HashSet<string>(known, StringComparer.OrdinalIgnoreCase);
        var fields = Make(known);
        var back = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < known.Count; i++)
            if (!string.Equals(fields[i], known[i], StringComparison.OrdinalIgnoreCase) && !knownSet.Contains(fields[i]))
                back.TryAdd(fields[i], known[i]);
        if (back.Count == 0) return set;

        var features = set.Features.Select(f =>
        {
            if (f.Attributes is null || !f.Attributes.GetNames().Any(back.ContainsKey)) return f;
            var names = f.Attributes.GetNames();
            var present = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
            var table = new AttributesTable();
            foreach (var name in names)
                table.Add(back.TryGetValue(name, out var full) && !present.Contains(full) ? full : name, f.Attributes[name]);
            return (IFeature)new Feature(f.Geometry, table);
        }).ToList();
        return set with { Features = features };
    }

    /// <summary>The longest prefix of <paramref name="text"/> that fits in <paramref name="maxBytes"/> UTF-8 bytes.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        var bytes = 0;
        var sb = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes) break;
            bytes += rune.Utf8SequenceLength;
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }

    // NUL pads the name in the header, so it cannot be part of one.
    private static string Clean(string name)
    {
        var trimmed = name.Replace("\0", "", StringComparison.Ordinal).Trim();
        return trimmed.Length == 0 ? "field" : trimmed;
    }
}
