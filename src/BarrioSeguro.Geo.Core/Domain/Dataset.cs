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
    /// <summary>The district the load is for; versions are counted per collection and district (null: no district).</summary>
    public string? DistrictUbigeo { get; set; }
    /// <summary>1 for the first load of the collection in the district, then one more for each newer extract.</summary>
    public int Version { get; set; } = 1;
    public string? ImportedBy { get; set; }
    /// <summary>The version whose features this load replaced (and a delete of this load puts back); null when none.</summary>
    public int? ReplacesId { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public string? DeletedBy { get; set; }
}
