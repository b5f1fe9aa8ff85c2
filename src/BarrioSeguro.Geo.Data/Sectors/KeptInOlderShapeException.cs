namespace BarrioSeguro.Geo.Data.Sectors;

/// <summary>
/// A report kept by an earlier build in a shape the typed reports no longer read: the row is there, but its plan,
/// coverage or route must be computed again. The API answers 409 with this message.
/// </summary>
public sealed class KeptInOlderShapeException(string what, int id, Exception inner)
    : Exception($"{what} {id} was kept in an older report shape; compute it again.", inner);
