using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.Data.Import;

/// <summary>A problem with one feature of an import: which feature (0-based) and what is wrong.</summary>
public sealed record FeatureProblem(int FeatureIndex, GeometryProblem Problem);

/// <summary>An import refused as a whole: nothing was written.</summary>
public sealed class ImportException(string message, IReadOnlyList<FeatureProblem> problems) : Exception(message)
{
    public IReadOnlyList<FeatureProblem> Problems { get; } = problems;
}
