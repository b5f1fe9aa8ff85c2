using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.IO;

/// <summary>
/// Features read from a file, with the CRS their coordinates are in.
/// Attribute values are plain CLR values: string, long, double, bool, DateTime or null.
/// </summary>
/// <param name="Features">The features, in file order (layers concatenated in file order).</param>
/// <param name="Epsg">EPSG code of the coordinates, e.g. 4326 or 32717.</param>
public sealed record FeatureSet(IReadOnlyList<IFeature> Features, int Epsg)
{
    /// <summary>Number of features.</summary>
    public int Count => Features.Count;

    /// <summary>What the read guessed that the user should see (e.g. how a DBF's text encoding was chosen), as notes.</summary>
    public IReadOnlyList<Note> Notes { get; init; } = [];

    /// <summary><see cref="Notes"/> as one line each in <see cref="NoteLanguage.Current"/>.</summary>
    public IReadOnlyList<string> Warnings => Notes.Select(n => n.ToString()).ToList();

    /// <summary>
    /// True when the attribute names are DBF field names (shapefiles): names over 10 bytes were cut on writing, and
    /// <see cref="Shapefile.DbfFieldNames.Restore"/> maps them back to names the reader knows.
    /// </summary>
    public bool FromDbf { get; init; }
}
