using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.IO;

/// <summary>What a write produced: how many features, in which CRS, and the files now on disk.</summary>
/// <param name="FeatureCount">Features written.</param>
/// <param name="Epsg">EPSG code of the written coordinates.</param>
/// <param name="Files">Full paths of the files written (several for a shapefile set).</param>
public sealed record WriteSummary(int FeatureCount, int Epsg, IReadOnlyList<string> Files)
{
    /// <summary>
    /// A note for each thing the format could not hold as given, e.g. "description of feature #12 (id 7) cut from
    /// 300 to 254 bytes (a DBF text field holds 254)" (io.text_cut) or "field names cut to 10 bytes: districtUbigeo →
    /// districtUb" (io.fields_renamed).
    /// </summary>
    public IReadOnlyList<Note> Notes { get; init; } = [];

    /// <summary><see cref="Notes"/> as one line each in <see cref="NoteLanguage.Current"/>.</summary>
    public IReadOnlyList<string> Warnings => Notes.Select(n => n.ToString()).ToList();
}
