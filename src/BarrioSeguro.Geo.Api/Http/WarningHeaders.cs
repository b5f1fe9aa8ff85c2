using System.Globalization;
using System.Text;
using System.Text.Json;
using BarrioSeguro.Geo.Core.Notes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// What a file answer could not hold as asked (a shapefile's field names cut to 10 bytes, text cut to 254 bytes), sent
/// with the download so nothing is cut silently: one <c>X-Barrio-Warning</c> header per warning, the total in
/// <c>X-Barrio-Warning-Count</c>. Each warning is a note: said in the request's language in <c>X-Barrio-Warning</c>, and
/// as <c>{"code", "args"}</c> JSON in <c>X-Barrio-Warning-Note</c> (one per warning, in the same order). Header values are
/// ASCII: UTF-8 with every byte outside printable ASCII, and '%', percent-encoded (%XX), so JavaScript's
/// <c>decodeURIComponent</c> reads it back.
/// </summary>
public static class WarningHeaders
{
    public const string Name = "X-Barrio-Warning";
    public const string NoteName = "X-Barrio-Warning-Note";
    public const string CountName = "X-Barrio-Warning-Count";

    /// <summary>At most this many warnings go out as headers (proxies limit header size); the last one says how many more.</summary>
    public const int MaxHeaders = 50;

    public const string Description =
        "One per thing the file could not hold as asked (e.g. \"description of feature #12 (id 7) cut from 300 to 254 bytes "
        + "(a DBF text field holds 254)\", \"field names cut to 10 bytes: districtUbigeo → districtUb\"). UTF-8, "
        + "percent-encoded outside printable ASCII and for '%' (decodeURIComponent reads it). In the request's language (?lang=, "
        + "Accept-Language); its note as {\"code\", \"args\"} JSON in X-Barrio-Warning-Note, same order, same encoding. At most 50; then one saying how many more.";

    public const string NoteDescription =
        "One per X-Barrio-Warning, in the same order: the warning as a note, {\"code\": \"io.text_cut\", \"args\": {...}} JSON, "
        + "percent-encoded like X-Barrio-Warning (the viewer says it with notes.js in its language).";

    /// <summary>The warnings of a write (IO's notes), in the language of the request.</summary>
    public static void Add(HttpResponse response, IReadOnlyList<Note> warnings) =>
        Add(response, warnings, NoteLanguages.Of(response.HttpContext.Request));

    public static void Add(HttpResponse response, IReadOnlyList<Note> warnings, string language)
    {
        if (warnings.Count == 0) return;
        response.Headers[CountName] = warnings.Count.ToString(CultureInfo.InvariantCulture);
        var listed = warnings.Count <= MaxHeaders ? warnings : warnings.Take(MaxHeaders - 1).ToList();
        if (listed.Count < warnings.Count)
            listed = [.. listed, Note.Of("export.more_warnings", ("count", warnings.Count - listed.Count), ("max", MaxHeaders))];
        foreach (var w in listed)
        {
            response.Headers.Append(Name, Encode(w.Text(language)));
            response.Headers.Append(NoteName, Encode(JsonSerializer.Serialize(new { code = w.Code, args = w.Args })));
        }
    }

    /// <summary>UTF-8, with bytes outside 0x20-0x7E and '%' as %XX.</summary>
    public static string Encode(string warning)
    {
        var sb = new StringBuilder(warning.Length);
        foreach (var b in Encoding.UTF8.GetBytes(warning.ReplaceLineEndings(" ")))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%') sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Lists the warning headers on the route's 200 answer in the OpenAPI document.</summary>
    public static RouteHandlerBuilder MayWarn(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, context, ct) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse response)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers[Name] = new OpenApiHeader { Description = Description, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                response.Headers[NoteName] = new OpenApiHeader { Description = NoteDescription, Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
                response.Headers[CountName] = new OpenApiHeader
                {
                    Description = "How many warnings there are in all (absent when none).", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }
            return Task.CompletedTask;
        });
}
