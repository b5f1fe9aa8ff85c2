namespace BarrioSeguro.Geo.IO;

/// <summary>What a write produced: how many features, in which CRS, and the files now on disk.</summary>
/// <param name="FeatureCount">Features written.</param>
/// <param name="Epsg">EPSG code of the written coordinates.</param>
/// <param name="Files">Full paths of the files written (several for a shapefile set).</param>
public sealed record WriteSummary(int FeatureCount, int Epsg, IReadOnlyList<string> Files);
