using BarrioSeguro.Geo.Core.Notes;
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
    public readonly record struct Positions(long Count, int MaxDimension, Note? Issue)
    {
        /// <summary><see cref="Issue"/> in English.</summary>
        public string? Problem => Issue?.English;
    }

    /// <summary>Counts the positions of a GeoJSON geometry object (GeometryCollections included).</summary>
    public static Positions Count(JsonElement geometry)
    {
        long count = 0;
        var dimension = 0;
        Note? problem = null;
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
                        problem = Note.Of("io.coordinate_not_finite", ("value", Short(n.GetRawText())));
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
    public static string? InvalidUtf8(ReadOnlySpan<byte> bytes) => InvalidUtf8At(bytes) switch
    {
        null => null,
        0 => "an unknown byte",
        var at => string.Create(CultureInfo.InvariantCulture, $"byte {at:N0}"),
    };

    /// <summary>Null when the bytes are valid UTF-8, else the first byte that is not (from 1; 0 when the decoder cannot tell).</summary>
    public static long? InvalidUtf8At(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return null;
        try { new UTF8Encoding(false, true).GetCharCount(bytes); }
        catch (DecoderFallbackException e) { return e.Index + 1; }
        return 0;
    }

    /// <summary>Options that bound the nesting of a document (deep nesting is refused, not recursed into).</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = Core.Spatial.InputLimits.JsonDepth };

    private static string Short(string text) => text.Length <= 24 ? text : text[..24] + "…";
}
