using System.Text.Encodings.Web;
using System.Text.Json;

namespace BarrioSeguro.Geo.Planning;

/// <summary>
/// The one JSON contract of the reports: camelCase (web defaults), written by the CLI's --report files, kept by Data
/// in jsonb columns and returned by the API.
/// </summary>
public static class PlanningJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The same contract, indented, for files people read.</summary>
    public static JsonSerializerOptions Indented { get; } = new(Options) { WriteIndented = true };

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <exception cref="JsonException">The text is not a <typeparamref name="T"/>.</exception>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"null where a {typeof(T).Name} was expected");
}
