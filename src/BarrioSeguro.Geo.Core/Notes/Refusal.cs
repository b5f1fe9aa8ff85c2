namespace BarrioSeguro.Geo.Core.Notes;

/// <summary>
/// A refusal whose reason is a <see cref="Note"/>: its message is said in <see cref="NoteLanguage.Current"/> (the API
/// request's language, the CLI's), and the API adds its code and arguments to the ProblemDetails, so no English reaches
/// a Spanish reader. Throw it where Core refuses input: a <c>new RefusalException(note, "parameter")</c> with the note made by Note.Of and its code in notes.json.
/// </summary>
public sealed class RefusalException(Note reason, string? paramName = null) : ArgumentException(reason.English, paramName)
{
    public Note Reason { get; } = reason;

    /// <summary>The reason in the current language, with the parameter named after it as ArgumentException does.</summary>
    public override string Message => ParamName is { } p ? $"{Reason} (Parameter '{p}')" : Reason.ToString();
}
