namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// The headers a security review expects on every answer, the viewer's and the API's: a Content-Security-Policy that
/// allows only the service itself, no MIME sniffing, no referrer sent elsewhere, no framing.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The viewer's policy. Scripts, styles, data and images come from the service only. Two allowances, both for
    /// OpenLayers and nothing of ours: <c>style-src-attr 'unsafe-inline'</c> because its ScaleLine bar writes its
    /// segments as HTML with style="width: ..." attributes (style attributes only: no &lt;style&gt; element, no script);
    /// <c>img-src data:</c> for the comisaría symbol, an SVG the viewer builds itself as a data: URI.
    /// </summary>
    public const string ViewerPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; " +
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The API's answers are data, never a page: nothing may run or load from them.</summary>
    public const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        // Set when the answer starts, so error pages (whose headers the exception handler clears) carry them too.
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            var api = http.Request.Path.StartsWithSegments("/api") || http.Request.Path.StartsWithSegments("/openapi");
            // The documentation page (ApiDocsPage) is the one page under /api: its own policy, with its script's nonce.
            headers.ContentSecurityPolicy = http.Items[ApiDocsPage.PolicyItem] is Func<string> docs ? docs() : api ? ApiPolicy : ViewerPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(http);
    });
}
