using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Data.Import;

/// <summary>
/// One feature of an import as it was loaded, kept with the import: what a diff between two versions of a dataset
/// compares, and what a delete of the newer version puts back.
/// </summary>
public sealed class ImportFeature
{
    public long Id { get; set; }
    public int DatasetId { get; set; }
    /// <summary>Order in the file, from 0.</summary>
    public int Ordinal { get; set; }
    public long? OsmId { get; set; }
    public string? Name { get; set; }
    public required Geometry Geometry { get; set; }
    /// <summary>The other columns of the row, as attributes the importer reads back (class, oneway, layer, operator).</summary>
    public required string PropertiesJson { get; set; }
}
