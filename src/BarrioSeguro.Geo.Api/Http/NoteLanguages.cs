using BarrioSeguro.Geo.Core.Notes;
using Microsoft.AspNetCore.Mvc;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// The language of the notes in every answer: ?lang=es|en, else the first of es or en in Accept-Language, else Spanish
/// (the viewer's default). Notes carry their code and arguments too, so a client may say them in its own language.
/// </summary>
public static class NoteLanguages
{
    public const string Default = "es";

    public static string Of(HttpRequest request) => Asked(request) ?? Default;

    /// <summary>The language the request names (?lang=, Accept-Language), or null when it names neither es nor en.</summary>
    public static string? Asked(HttpRequest request)
    {
        var asked = request.Query["lang"].ToString().Trim().ToLowerInvariant();
        if (NoteCatalog.Default.Languages.Contains(asked)) return asked;
        return NoteLanguage.Pick(request.Headers.AcceptLanguage.ToString());
    }

    /// <summary>
    /// A ProblemDetails title said in the language the request asks for; English when it asks for none, since scripts
    /// match on titles (the detail, mostly Core's own reason, stays as written).
    /// </summary>
    public static void Localize(ProblemDetails problem, HttpRequest request)
    {
        if (problem.Title is { } title && Asked(request) is { } lang) problem.Title = NoteCatalog.Default.Title(title, lang);
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
