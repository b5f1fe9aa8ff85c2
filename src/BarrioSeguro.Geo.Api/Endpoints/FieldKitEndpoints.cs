using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Printing;
using BarrioSeguro.Geo.Printing;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>The printed field kit of a kept plan: a cover and a page per sector with map, route, stops, figures and a QR code.</summary>
public static class FieldKitEndpoints
{
    public static IEndpointRouteBuilder MapFieldKit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/plans/{planId:int}/fieldkit.pdf", FieldKitPdf).WithTags("Sector plans")
            .WithSummary("The plan as an A4 PDF to print for the officers: ?shift=mañana (the kept routes of that shift), ?lang=es|en.");
        return app;
    }

    /// <summary>Gathers the kit (<see cref="FieldKitSource"/>, computes nothing) and streams it as a PDF.</summary>
    public static async Task<IResult> FieldKitPdf(
        int planId, string? shift, string? lang, HttpRequest http, BarrioDbContext db, CancellationToken ct)
    {
        var text = FieldKitText.For(lang);
        var kit = await FieldKitSource.LoadAsync(db, planId, shift, text, $"{http.Scheme}://{http.Host}", DateTimeOffset.UtcNow, ct);
        if (kit is null) return Problems.NotFound($"No plan {planId}.");
        MapStyle style;
        try
        {
            style = MapStyle.Default();
        }
        catch (FontsMissingException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Fonts missing");
        }
        using var pdf = new MemoryStream();
        FieldKitRenderer.Render(kit, style, pdf);
        return TypedResults.File(pdf.ToArray(), "application/pdf", $"{text.FileStem}_plan{planId}_{kit.Cover.Shift}.pdf");
    }
}
