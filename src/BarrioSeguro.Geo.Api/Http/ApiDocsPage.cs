using Scalar.AspNetCore;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// The interactive documentation page (the landing page's service-doc link): Scalar's API reference at /api/docs,
/// reading /openapi/v1.json. Its scripts and styles are the ones embedded in Scalar.AspNetCore, served from here: no
/// CDN, no web fonts, no telemetry, no AI agent, so the page works on a network without internet.
/// </summary>
public static class ApiDocsPage
{
    public const string Path = "/api/docs";

    /// <summary>Set on the request when the page is sent: the Content-Security-Policy it needs (see SecurityHeaders).</summary>
    public const string PolicyItem = "barrio.docs-policy";

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapScalarApiReference(Path, (options, http) =>
        {
            options.WithTitle("BarrioSeguro.Geo API")
                .WithOpenApiRoutePattern("/openapi/{documentName}.json")
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .HideDeveloperTools()
                .WithNonce();
            // The nonce is made as the page is written: the policy reads it when the answer starts.
            http.Items[PolicyItem] = (Func<string>)(() => Policy(http.Items[ScalarOptions.NonceHttpContextItemKey] as string));
        });
        return app;
    }

    /// <summary>
    /// The page's policy: its own inline start-up script by nonce, Scalar's bundle from here, styles it inserts at run
    /// time (a Vue app: 'unsafe-inline' styles, no inline script), requests to this service only.
    /// </summary>
    public static string Policy(string? nonce) =>
        $"default-src 'self'; script-src 'self'{(nonce is null ? "" : $" 'nonce-{nonce}'")}; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; " +
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
}
