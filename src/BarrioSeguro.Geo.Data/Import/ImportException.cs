using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.Data.Import;

/// <summary>A problem with one feature of an import: which feature (0-based) and what is wrong.</summary>
public sealed record FeatureProblem(int FeatureIndex, GeometryProblem Problem);

/// <summary>An import refused as a whole: nothing was written. <see cref="Reason"/> says why in the reader's language;
/// the message is its English, for logs.</summary>
public sealed class ImportException(Note reason, IReadOnlyList<FeatureProblem> problems) : Exception(reason.English)
{
    public Note Reason { get; } = reason;

    /// <summary>The reason in <see cref="NoteLanguage.Current"/>.</summary>
    public string Local => Reason.ToString();

    public IReadOnlyList<FeatureProblem> Problems { get; } = problems;
}
