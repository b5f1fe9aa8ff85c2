using System.Globalization;
using System.Text;
using System.Text.Json;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.IO;

/// <summary>The column types the writers know; inferred from values, never declared by the caller.</summary>
internal enum AttributeKind { Null, Int32, Int64, Double, Bool, Date, DateTime, Text }

/// <summary>One attribute column: its name in the features, its inferred kind and its longest value as UTF-8 text.</summary>
internal sealed record AttributeColumn(string Name, AttributeKind Kind, int MaxBytes);

/// <summary>
/// Infers the columns of a set of features from the values of every feature, in first-seen order.
/// Integers widen to Int64 then Double; dates with a time of day become DateTime; any other mix becomes text.
/// </summary>
internal static class AttributeSchema
{
    public static IReadOnlyList<AttributeColumn> Infer(IEnumerable<IFeature> features) => LayerStats.Of(features).Columns;

    /// <summary>A column's kind and longest UTF-8 text widened by one more value.</summary>
    public static (AttributeKind Kind, int Bytes) Widen((AttributeKind Kind, int Bytes) column, object? value) =>
        (Merge(column.Kind, KindOf(value)), value is null ? column.Bytes : Math.Max(column.Bytes, Encoding.UTF8.GetByteCount(AsText(value))));

    /// <summary>The value as invariant text: ISO 8601 for dates, "true"/"false", raw JSON for JSON values.</summary>
    public static string AsText(object value) => value switch
    {
        string s => s,
        DateTime t => t.TimeOfDay == TimeSpan.Zero && t.Kind != DateTimeKind.Utc
            ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : t.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture) + (t.Kind == DateTimeKind.Utc ? "Z" : ""),
        DateTimeOffset o => o.ToString("o", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        JsonElement e => e.GetRawText(),
        _ => value.ToString() ?? "",
    };

    /// <summary>A date or date-time value as a <see cref="DateTime"/>.</summary>
    public static DateTime AsDateTime(object value) => value switch
    {
        DateOnly d => d.ToDateTime(TimeOnly.MinValue),
        DateTimeOffset o => o.UtcDateTime,
        DateTime t => t,
        _ => throw new InvalidCastException($"{value.GetType().Name} is not a date"),
    };

    private static AttributeKind KindOf(object? value) => value switch
    {
        null => AttributeKind.Null,
        byte or sbyte or short or ushort or int => AttributeKind.Int32,
        // GeoJSON readers give every integer as long: small ones still make a compact 32-bit column.
        long l => l is >= int.MinValue and <= int.MaxValue ? AttributeKind.Int32 : AttributeKind.Int64,
        uint u => u <= int.MaxValue ? AttributeKind.Int32 : AttributeKind.Int64,
        ulong u => u <= long.MaxValue ? AttributeKind.Int64 : AttributeKind.Double,
        float or double or decimal => AttributeKind.Double,
        bool => AttributeKind.Bool,
        DateOnly => AttributeKind.Date,
        DateTime or DateTimeOffset => AsDateTime(value).TimeOfDay == TimeSpan.Zero ? AttributeKind.Date : AttributeKind.DateTime,
        _ => AttributeKind.Text,
    };

    private static AttributeKind Merge(AttributeKind a, AttributeKind b)
    {
        if (a == b || b == AttributeKind.Null) return a;
        if (a == AttributeKind.Null) return b;
        if (IsNumber(a) && IsNumber(b)) return (AttributeKind)Math.Max((int)a, (int)b);
        if (a is AttributeKind.Date or AttributeKind.DateTime && b is AttributeKind.Date or AttributeKind.DateTime)
            return AttributeKind.DateTime;
        return AttributeKind.Text;
    }

    private static bool IsNumber(AttributeKind k) => k is AttributeKind.Int32 or AttributeKind.Int64 or AttributeKind.Double;
}
