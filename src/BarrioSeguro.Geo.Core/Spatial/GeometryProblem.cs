using BarrioSeguro.Geo.Core.Notes;
using NetTopologySuite.Geometries;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>What is wrong with a geometry, and where (lon/lat), so that it can be shown on a map.</summary>
/// <param name="Kind">A stable machine-readable kind, e.g. "self-intersection".</param>
/// <param name="Note">The sentence for a person, as a code with arguments (notes.json), said in the reader's language.</param>
/// <param name="Location">The place of the problem, when there is one.</param>
public sealed record GeometryProblem(string Kind, Note Note, Coordinate? Location = null)
{
    /// <summary>A problem told by a sentence that has no code (said as written, in any language).</summary>
    public GeometryProblem(string kind, string message, Coordinate? location = null) : this(kind, Note.Of("text", ("text", message)), location) { }

    /// <summary>The sentence in <see cref="NoteLanguage.Current"/>.</summary>
    public string Message => Note.ToString();
}
