using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>
/// A report kept by an earlier build in a shape the typed reports no longer read: the row is there, but its plan,
/// coverage or route must be computed again. The API answers 409 with its <see cref="Reason"/>.
/// </summary>
public sealed class KeptInOlderShapeException(string what, int id, Exception inner)
    : Exception($"{what} {id} was kept in an older report shape; compute it again.", inner)
{
    /// <summary>The same in the reader's language (<c>what</c> is Plan, Route or Coverage: one code each).</summary>
    public Note Reason { get; } = what switch
    {
        "Plan" => Note.Of("store.kept_older_plan", ("id", id)),
        "Coverage" => Note.Of("store.kept_older_coverage", ("id", id)),
        _ => Note.Of("store.kept_older_route", ("id", id)),
    };
}
