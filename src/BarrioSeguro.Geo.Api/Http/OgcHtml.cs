using System.Globalization;
using System.Net;
using System.Text;
using NetTopologySuite.Features;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Plain HTML pages of the OGC API - Features endpoints for people with a browser: Spanish by default, English with
/// ?lang=en or Accept-Language; every value from the data is HTML-escaped.
/// </summary>
public static class OgcHtml
{
    private static readonly Dictionary<string, (string Es, string En)> Words = new()
    {
        ["collections"] = ("Colecciones", "Collections"),
        ["collection"] = ("Colección", "Collection"),
        ["items"] = ("Elementos", "Features"),
        ["links"] = ("Enlaces", "Links"),
        ["json"] = ("Esta página en JSON", "This page as JSON"),
        ["matched"] = ("Coinciden", "Matched"),
        ["returned"] = ("En esta página", "On this page"),
        ["next"] = ("Siguiente página", "Next page"),
        ["prev"] = ("Página anterior", "Previous page"),
        ["extent"] = ("Extensión (lon/lat, CRS84)", "Extent (lon/lat, CRS84)"),
        ["geometry"] = ("Geometría", "Geometry"),
        ["crs"] = ("Sistemas de referencia", "Reference systems"),
        ["storage"] = ("Sistema de almacenamiento", "Storage system"),
        ["time"] = ("Periodo", "Time"),
        ["id"] = ("Id", "Id"),
        ["conformance"] = ("Clases de conformidad", "Conformance classes"),
        ["api"] = ("Definición de la API (OpenAPI)", "API definition (OpenAPI)"),
        ["docs"] = ("Documentación interactiva", "Interactive documentation"),
        ["none"] = ("Ninguno", "None"),
    };

    private static string W(string key, string lang) => lang == "en" ? Words[key].En : Words[key].Es;

    private static string E(object? value) => WebUtility.HtmlEncode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");

    public static async Task SendAsync(HttpContext http, string html)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(html, Encoding.UTF8, http.RequestAborted);
    }

    private const string Style = "body{font-family:sans-serif;margin:1.5rem;max-width:70rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}";

    private static string Page(HttpRequest request, string title, string body)
    {
        var lang = NoteLanguages.Of(request);
        var json = request.Path + QueryWith(request, "f", "json");
        return $"""
            <!DOCTYPE html>
            <html lang="{lang}"><head><meta charset="utf-8"><title>{E(title)} · BarrioSeguro.Geo</title>
            <style>{Style}</style>
            </head><body><h1>{E(title)}</h1>
            {body}
            <p><a href="{E(json)}" type="application/json">{W("json", lang)}</a></p>
            </body></html>
            """;
    }

    private static string QueryWith(HttpRequest request, string key, string value)
    {
        var parts = request.Query.Where(q => q.Key != key)
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"{key}={Uri.EscapeDataString(value)}");
        return "?" + string.Join('&', parts);
    }

    private static string Html(string url) => url + (url.Contains('?') ? "&" : "?") + "f=html";

    private static string LinkList(IEnumerable<GeoJson.Link> links) =>
        "<ul>" + string.Concat(links.Select(l =>
            $"<li><a href=\"{E(l.Type.Contains("json") && l.Rel is "self" or "data" or "conformance" or "items" or "next" or "prev" or "collection" ? Html(l.Href) : l.Href)}\">{E(l.Title ?? l.Rel)}</a> <small>({E(l.Rel)}, {E(l.Type)})</small></li>")) + "</ul>";

    public static string Landing(HttpRequest request, string title, string description, IReadOnlyList<GeoJson.Link> links) =>
        Page(request, title, $"<p>{E(description)}</p><h2>{W("links", NoteLanguages.Of(request))}</h2>{LinkList(links)}");

    public static string Conformance(HttpRequest request, IReadOnlyList<string> classes)
    {
        var lang = NoteLanguages.Of(request);
        return Page(request, W("conformance", lang), "<ul>" + string.Concat(classes.Select(c => $"<li>{E(c)}</li>")) + "</ul>");
    }

    public static string Collections(HttpRequest request, IEnumerable<(string Id, string Title, string Url)> collections)
    {
        var lang = NoteLanguages.Of(request);
        var rows = string.Concat(collections.Select(c =>
            $"<tr><td><a href=\"{E(Html(c.Url))}\">{E(c.Id)}</a></td><td>{E(c.Title)}</td><td><a href=\"{E(Html(c.Url + "/items"))}\">{W("items", lang)}</a></td></tr>"));
        return Page(request, W("collections", lang), $"<table><tr><th>{W("id", lang)}</th><th>{W("collection", lang)}</th><th></th></tr>{rows}</table>");
    }

    public static string Collection(HttpRequest request, string id, string title, string geometryType, double[]? bbox,
        string? interval, IReadOnlyList<string> crs, string storageCrs, string url)
    {
        var lang = NoteLanguages.Of(request);
        var body = new StringBuilder();
        body.Append($"<p>{E(title)} (<code>{E(id)}</code>)</p><table>");
        body.Append($"<tr><th>{W("geometry", lang)}</th><td>{E(geometryType)}</td></tr>");
        body.Append($"<tr><th>{W("extent", lang)}</th><td>{(bbox is null ? W("none", lang) : E(string.Join(", ", bbox.Select(v => v.ToString("0.######", CultureInfo.InvariantCulture)))))}</td></tr>");
        body.Append($"<tr><th>{W("time", lang)}</th><td>{(interval is null ? W("none", lang) : E(interval))}</td></tr>");
        body.Append($"<tr><th>{W("storage", lang)}</th><td>{E(storageCrs)}</td></tr>");
        body.Append($"<tr><th>{W("crs", lang)}</th><td>{string.Join("<br>", crs.Select(E))}</td></tr></table>");
        body.Append($"<p><a href=\"{E(Html(url + "/items"))}\">{W("items", lang)}</a></p>");
        return Page(request, $"{W("collection", lang)}: {title}", body.ToString());
    }

    public static string Items(HttpRequest request, string title, string collectionUrl, IReadOnlyList<IFeature> features,
        string idProperty, int? numberMatched, IReadOnlyList<GeoJson.Link> links)
    {
        var lang = NoteLanguages.Of(request);
        var names = features.SelectMany(f => f.Attributes?.GetNames() ?? []).Distinct().ToList();
        var body = new StringBuilder();
        body.Append($"<p><a href=\"{E(Html(collectionUrl))}\">{W("collection", lang)}: {E(title)}</a></p>");
        if (numberMatched is { } m)
            body.Append($"<p>{W("matched", lang)}: {m}; {W("returned", lang)}: {features.Count}</p>");
        foreach (var l in links.Where(l => l.Rel is "next" or "prev"))
            body.Append($"<p><a rel=\"{E(l.Rel)}\" href=\"{E(Html(l.Href))}\">{W(l.Rel, lang)}</a></p>");
        body.Append("<table><tr>");
        body.Append($"<th>{W("geometry", lang)}</th>");
        foreach (var n in names) body.Append($"<th>{E(n)}</th>");
        body.Append("</tr>");
        foreach (var f in features)
        {
            var id = OgcFeatureWriter.IdText(OgcFeatureWriter.IdOf(f, idProperty));
            body.Append($"<tr><td><a href=\"{E(Html($"{collectionUrl}/items/{Uri.EscapeDataString(id)}"))}\">{E(f.Geometry?.GeometryType)}</a></td>");
            foreach (var n in names) body.Append($"<td>{E(f.Attributes is { } a && a.Exists(n) ? a[n] : null)}</td>");
            body.Append("</tr>");
        }
        body.Append("</table>");
        return Page(request, $"{W("items", lang)}: {title}", body.ToString());
    }
}
