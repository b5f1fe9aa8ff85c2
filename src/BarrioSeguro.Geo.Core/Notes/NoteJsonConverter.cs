using System.Text.Json;
using System.Text.Json.Serialization;

namespace BarrioSeguro.Geo.Core.Notes;

/// <summary>
/// A note in JSON: {"code": "...", "args": {...}, "text": "..."}, the text in <see cref="NoteLanguage.Current"/> for
/// clients that only show text. Read back from code and args (the text is said again on the way out); a bare string
/// (reports kept before notes had codes) reads as the code "text" with that sentence.
/// </summary>
public sealed class NoteJsonConverter : JsonConverter<Note>
{
    public override Note Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String) return Note.Of("text", ("text", reader.GetString()!));
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("code", out var code) || code.ValueKind != JsonValueKind.String)
            throw new JsonException("a note is an object with a code");
        var args = new Dictionary<string, object>(StringComparer.Ordinal);
        if (root.TryGetProperty("args", out var a) && a.ValueKind == JsonValueKind.Object)
            foreach (var p in a.EnumerateObject())
                args[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.Number => p.Value.GetDouble(),
                    JsonValueKind.String => p.Value.GetString()!,
                    JsonValueKind.Array => p.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToArray(),
                    _ => p.Value.GetRawText(),
                };
        return new Note(code.GetString()!, args);
    }

    public override void Write(Utf8JsonWriter writer, Note value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("code", value.Code);
        writer.WriteStartObject("args");
        // In the catalog's order, so a report reads the same after a jsonb column reordered its keys.
        var declared = NoteCatalog.Default.Entries.TryGetValue(value.Code, out var entry) ? entry.Args.Keys.ToList() : [];
        foreach (var (name, arg) in value.Args.OrderBy(a => declared.IndexOf(a.Key) is var i and >= 0 ? i : int.MaxValue).ThenBy(a => a.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(name);
            switch (arg)
            {
                case double d when double.IsFinite(d): writer.WriteNumberValue(Math.Round(d, 6)); break;
                case double: writer.WriteNullValue(); break;
                case string[] list:
                    writer.WriteStartArray();
                    foreach (var s in list) writer.WriteStringValue(s);
                    writer.WriteEndArray();
                    break;
                default: writer.WriteStringValue(Convert.ToString(arg, System.Globalization.CultureInfo.InvariantCulture)); break;
            }
        }
        writer.WriteEndObject();
        writer.WriteString("text", value.Text(NoteLanguage.Current));
        writer.WriteEndObject();
    }
}
