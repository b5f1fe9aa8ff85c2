using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BarrioSeguro.Geo.IO.GeoJson;

/// <summary>
/// Looks at GeoJSON before any geometry is built, so that a million vertices or a coordinate of 1e400 is refused for
/// the price of reading the text: positions counted, numbers checked finite, the UTF-8 checked.
/// </summary>
public static class GeoJsonScan
{
    /// <summary>What a geometry holds: its positions, the most numbers in one (3: Z, 4: Z and M), a problem if any.</summary>
    public readonly record struct Positions(long Count, int MaxDimension, string? Problem);

    /// <summary>Counts the positions of a GeoJSON geometry object (GeometryCollections included).</summary>
    public static Positions Count(JsonElement geometry)
    {
        long count = 0;
        var dimension = 0;
        string? problem = null;
        void Walk(JsonElement e)
        {
            if (problem is not null) return;
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("coordinates", out var c)) Walk(c);
                if (e.TryGetProperty("geometries", out var g) && g.ValueKind == JsonValueKind.Array)
                    foreach (var child in g.EnumerateArray()) Walk(child);
                return;
            }
            if (e.ValueKind != JsonValueKind.Array) return;
            var length = e.GetArrayLength();
            if (length > 0 && e[0].ValueKind == JsonValueKind.Number)
            {
                count++;
                dimension = Math.Max(dimension, length);
                foreach (var n in e.EnumerateArray())
                    if (n.ValueKind == JsonValueKind.Number && (!n.TryGetDouble(out var v) || !double.IsFinite(v)))
                    {
                        problem = $"the coordinate {Short(n.GetRawText())} is not a finite number";
                        return;
                    }
                return;
            }
            foreach (var child in e.EnumerateArray()) Walk(child);
        }
        Walk(geometry);
        return new Positions(count, dimension, problem);
    }

    /// <summary>Null when the bytes are valid UTF-8, else where they are not ("byte 1,234").</summary>
    public static string? InvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        try { new UTF8Encoding(false, true).GetCharCount(bytes); }
        catch (DecoderFallbackException e) { return string.Create(CultureInfo.InvariantCulture, $"byte {e.Index + 1:N0}"); }
        return "an unknown byte";
    }

    /// <summary>Options that bound the nesting of a document (deep nesting is refused, not recursed into).</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = Core.Spatial.InputLimits.JsonDepth };

    private static string Short(string text) => text.Length <= 24 ? text : text[..24] + "…";
}
