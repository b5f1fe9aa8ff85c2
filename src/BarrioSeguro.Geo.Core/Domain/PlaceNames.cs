using System.Globalization;
using System.Text;

namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>
/// Peruvian place names as INEI writes them ("FLORENCIA DE MORA", "la libertad") made fit to show ("Florencia de
/// Mora"), and the folded form they are searched by ("florencia de mora", "ñ" and accents folded: "nunoa").
/// </summary>
public static class PlaceNames
{
    // Spanish keeps prepositions, conjunctions and articles after them in lower case inside a name ("San Juan de la
    // Frontera"); "El" stays a capital ("Villa El Salvador", as the district writes itself).
    public static readonly IReadOnlyList<string> Particles = ["de", "del", "la", "las", "los", "y", "e", "en"];
    private static readonly HashSet<string> ParticleSet = new(Particles, StringComparer.Ordinal);

    private static readonly TextInfo Spanish = CultureInfo.GetCultureInfo("es-PE").TextInfo;

    /// <summary>
    /// Title case in Spanish: every word capitalised but the particles after the first word; accents and "ñ" kept as the
    /// source has them; INEI's underscores ("ANCO_HUALLO") read as spaces.
    /// </summary>
    public static string? Display(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        var words = name.Replace('_', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = new StringBuilder();
        for (var i = 0; i < words.Length; i++)
        {
            var lower = words[i].ToLower(CultureInfo.GetCultureInfo("es-PE"));
            if (i > 0) result.Append(' ');
            result.Append(i > 0 && ParticleSet.Contains(lower) ? lower : Capitalise(lower));
        }
        return result.ToString();
    }

    // "mariscal" -> "Mariscal"; "d'onofrio"-style apostrophes and hyphens start a new capital too.
    private static string Capitalise(string word)
    {
        var chars = word.ToCharArray();
        var start = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (start && char.IsLetter(chars[i])) { chars[i] = Spanish.ToUpper(chars[i]); start = false; }
            else if (chars[i] is '-' or '\'' or '(' or '.') start = true;
        }
        return new string(chars);
    }

    /// <summary>
    /// The form a name is compared in: lower case, accents and the tilde of "ñ" dropped, runs of spaces as one.
    /// The database's <c>search_name</c> columns hold the same fold (see <see cref="SqlFold"/>).
    /// </summary>
    public static string Fold(string text)
    {
        var decomposed = text.Trim().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsWhiteSpace(c) || c == '_') { space = true; continue; }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <summary>
    /// The letters <see cref="SqlFold"/> folds, and what they become: every accented letter of Spanish and Portuguese
    /// names, both cases, so the fold needs no locale of the database (lower() of a "C" database leaves "Ñ" alone).
    /// </summary>
    public const string FoldFrom = "ÁÀÂÄÃÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇáàâäãéèêëíìîïóòôöõúùûüñç";
    public const string FoldTo = "AAAAAEEEEIIIIOOOOOUUUUNCaaaaaeeeeiiiiooooouuuunc";

    /// <summary>The SQL expression of <see cref="Fold"/> over a column (without the space folding: stored names have single spaces).</summary>
    public static string SqlFold(string column) => $"lower(translate({column}, '{FoldFrom}', '{FoldTo}'))";
}
