using BarrioSeguro.Geo.Core.Notes;
using System.Globalization;
using System.Text.Json;

namespace BarrioSeguro.Geo.Core.Sectors;

/// <summary>One term of a block's workload: the value of a numeric attribute times a weight.</summary>
public sealed record WorkloadTerm(string Attribute, double Weight);

/// <summary>
/// The workload of a block: a weighted sum of numeric attributes of the block file, Σ weight × value.
/// Attribute names are matched case-insensitively. A block whose attribute is missing or null counts 0 for it; an
/// attribute no block has is an error.
/// </summary>
public static class Workload
{
    /// <summary>
    /// The documented default: incidents count 1 each, and every 100 m of street frontage counts like one incident
    /// (the time it takes to walk past it). Attributes "incidents" and "street_m".
    /// </summary>
    public static IReadOnlyList<WorkloadTerm> DefaultTerms { get; } = [new("incidents", 1), new("street_m", 0.01)];

    /// <summary>The workload of every block, in the order given.</summary>
    /// <param name="attributes">The attributes of each block (numbers, numeric strings in invariant culture, JSON numbers).</param>
    /// <param name="terms">The terms; <see cref="DefaultTerms"/> when null.</param>
    /// <exception cref="ArgumentException">No terms, a negative or non-finite weight, an attribute no block has (the known
    /// ones are listed), a value that is not a number (the block index is named), a negative workload, or zero total.</exception>
    public static IReadOnlyList<double> Compute(
        IReadOnlyList<IReadOnlyDictionary<string, object?>> attributes, IReadOnlyList<WorkloadTerm>? terms = null)
    {
        terms ??= DefaultTerms;
        if (terms.Count == 0) throw new RefusalException(Note.Of("workload.no_terms"));
        foreach (var t in terms)
        {
            if (!double.IsFinite(t.Weight)) throw new RefusalException(Note.Of("workload.weight_not_number", ("attribute", t.Attribute)));
            if (t.Weight < 0) throw new RefusalException(Note.Of("workload.weight_negative", ("attribute", t.Attribute), ("weight", t.Weight)));
        }
        var known = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in attributes) known.UnionWith(a.Keys);
        foreach (var t in terms)
            if (!known.Contains(t.Attribute))
                throw new RefusalException(known.Count == 0
                    ? Note.Of("workload.unknown_attribute_none", ("attribute", t.Attribute))
                    : Note.Of("workload.unknown_attribute", ("attribute", t.Attribute), ("known", known.ToList())));

        var result = new double[attributes.Count];
        for (var i = 0; i < attributes.Count; i++)
        {
            var lookup = new Dictionary<string, object?>(attributes[i], StringComparer.OrdinalIgnoreCase);
            var sum = 0.0;
            foreach (var t in terms)
            {
                if (!lookup.TryGetValue(t.Attribute, out var raw) || raw is null) continue;
                if (ToNumber(raw) is not { } value)
                    throw new RefusalException(Note.Of("workload.value_not_number", ("block", i), ("attribute", t.Attribute), ("value", Convert.ToString(raw, CultureInfo.InvariantCulture) ?? "")));
                sum += t.Weight * value;
            }
            if (sum < 0) throw new RefusalException(Note.Of("workload.block_negative", ("block", i), ("workload", sum)));
            result[i] = sum;
        }
        if (result.Sum() <= 0)
            throw new RefusalException(Note.Of("workload.total_zero"));
        return result;
    }

    private static double? ToNumber(object raw) => raw switch
    {
        double d => double.IsFinite(d) ? d : null,
        float f => double.IsFinite(f) ? f : null,
        int or long or short or byte or sbyte or uint or ulong or ushort or decimal => Convert.ToDouble(raw, CultureInfo.InvariantCulture),
        bool => null,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.String } e => double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null,
        _ => null,
    };
}
