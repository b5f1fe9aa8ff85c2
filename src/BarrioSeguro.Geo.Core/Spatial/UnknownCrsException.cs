using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Spatial;

/// <summary>
/// A coordinate reference system PROJ does not know (or not as a 2D geographic or projected system). Its message is
/// its <see cref="Reason"/> in <see cref="NoteLanguage.Current"/>.
/// </summary>
public sealed class UnknownCrsException(string crs, Note? reason = null) : Exception(null)
{
    public string Crs { get; } = crs;

    /// <summary>The note that says why: crs.unknown or crs.not_horizontal, with the CRS as given.</summary>
    public Note Reason { get; } = reason ?? Note.Of("crs.unknown", ("crs", crs));

    public override string Message => Reason.ToString();
}
