using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Core.Filters;

/// <summary>
/// A filter, sort or property list that cannot be used: a syntax error (its note names the character position for the
/// text encoding, the JSON pointer for the JSON one), a limit passed, or a property or type the collection does not have.
/// The API answers 400 with the note; the message is the note in English, for logs.
/// </summary>
public sealed class Cql2Exception(Note reason) : Exception(reason.English)
{
    /// <summary>Why, as a code with arguments (cql.*).</summary>
    public Note Note { get; } = reason;
}
