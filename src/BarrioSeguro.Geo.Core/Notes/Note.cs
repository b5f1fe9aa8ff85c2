using System.Collections;
using System.Globalization;
using System.Text.Json.Serialization;

namespace BarrioSeguro.Geo.Core.Notes;

/// <summary>
/// Something a result tells its reader, kept as a stable code and named arguments (numbers as numbers, in the unit the
/// catalog names for them; names as strings; lists of names as string arrays), so that the API, the viewer and the
/// field kit say it in the reader's language from one catalog (<see cref="NoteCatalog"/>, notes.json).
/// </summary>
/// <remarks>Make one with <see cref="Of"/>; every code needs a template in both languages of notes.json.</remarks>
[JsonConverter(typeof(NoteJsonConverter))]
public sealed record Note
{
    public string Code { get; }

    /// <summary>Values are <see cref="double"/>, <see cref="string"/> or <see cref="string"/>[].</summary>
    public IReadOnlyDictionary<string, object> Args { get; }

    public Note(string code, IReadOnlyDictionary<string, object> args)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
        Args = args.ToDictionary(a => a.Key, a => Normalize(a.Key, a.Value), StringComparer.Ordinal);
    }

    /// <summary>A note with its arguments: <c>Note.Of("blocks.slivers_merged", ("count", merged))</c>.</summary>
    public static Note Of(string code, params (string Name, object Value)[] args) =>
        new(code, args.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal));

    /// <summary>The note in a language of the catalog ("es" or "en").</summary>
    public string Text(string language) => NoteCatalog.Default.Format(this, language);

    /// <summary>The English sentence (logs, test messages).</summary>
    public string English => Text("en");

    /// <summary>The sentence in <see cref="NoteLanguage.Current"/> (the CLI's language, the API request's).</summary>
    public override string ToString() => Text(NoteLanguage.Current);

    public bool Equals(Note? other) =>
        other is not null && Code == other.Code && Args.Count == other.Args.Count &&
        Args.All(a => other.Args.TryGetValue(a.Key, out var v) && Key(a.Value) == Key(v));

    public override int GetHashCode() => HashCode.Combine(Code, Args.Count);

    private static string Key(object v) => v is string[] list ? "[" + string.Join("\u001f", list) + "]" : Convert.ToString(v, CultureInfo.InvariantCulture)!;

    private static object Normalize(string name, object? value) => value switch
    {
        string s => s,
        double or float or int or long or short or decimal or uint or ulong or byte => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        IEnumerable<string> list => list.ToArray(),
        IEnumerable list => list.Cast<object?>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "").ToArray(),
        _ => throw new ArgumentException($"note argument {name} is {value?.GetType().Name ?? "null"}: a number, a string or a list of strings is expected", nameof(value)),
    };
}
