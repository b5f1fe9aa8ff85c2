namespace BarrioSeguro.Geo.Core.Domain;

/// <summary>
/// One load of a data file into a collection: what was loaded, its checksum and when. Plans name the datasets they
/// were computed from, so they can be reproduced; a load of the same file twice is recognised and skipped.
/// </summary>
public sealed class Dataset
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Collection { get; set; }
    /// <summary>SHA-256 of the file's bytes, lower-case hex.</summary>
    public required string Sha256 { get; set; }
    public int FeatureCount { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
}
