using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// The language of the notes in every answer: ?lang=es|en, else the first of es or en in Accept-Language, else Spanish
/// (the viewer's default). Notes carry their code and arguments too, so a client may say them in its own language.
/// </summary>
public static class NoteLanguages
{
    public const string Default = "es";

    public static string Of(HttpRequest request)
    {
        var asked = request.Query["lang"].ToString().Trim().ToLowerInvariant();
        if (NoteCatalog.Default.Languages.Contains(asked)) return asked;
        return NoteLanguage.Pick(request.Headers.AcceptLanguage.ToString()) ?? Default;
    }

    public static IApplicationBuilder UseNoteLanguage(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        var lang = Of(http.Request);
        NoteLanguage.Current = lang;
        http.Response.OnStarting(() =>
        {
            http.Response.Headers.ContentLanguage = lang;
            http.Response.Headers.Append("Vary", "Accept-Language");
            return Task.CompletedTask;
        });
        return next(http);
    });
}
