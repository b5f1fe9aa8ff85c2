using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data.Sectors;
using BarrioSeguro.Geo.Printing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>The printed field kit of a kept plan: a cover and a page per sector with map, route, stops, figures and a QR code.</summary>
public static class FieldKitEndpoints
{
    public static IEndpointRouteBuilder MapFieldKit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/plans/{planId:int}/fieldkit.pdf", FieldKitPdf).WithTags("Sector plans").ReadsKeptReports()
            .Produces(StatusCodes.Status200OK, contentType: "application/pdf")
            .WithSummary("The plan as an A4 PDF to print for the officers: ?shift=mañana (the kept routes of that shift), ?lang=es|en. " +
                         "QR codes point at Barrio:PublicBaseUrl (none when unset); each route's GPX is attached inside the PDF.");
        return app;
    }

    /// <summary>Loads the kit (<see cref="FieldKitSource"/>, computes nothing), lays it out and streams it as a PDF.</summary>
    public static async Task<Results<FileContentHttpResult, NotFoundProblem, ServiceUnavailableProblem>> FieldKitPdf(
        int planId, string? shift, string? lang, IOptions<BarrioOptions> options, FieldKitSource source, ILoggerFactory logs, CancellationToken ct)
    {
        var text = FieldKitText.For(lang);
        var input = await source.LoadAsync(planId, shift, ct);
        if (input is null) return Problems.NotFound(Note.Of("api.no_plan", ("plan", planId)));
        // The QR codes point at the configured public address, never at the request's host (often 127.0.0.1 or a proxy's).
        var publicBase = string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? null : PublicBaseUrl.Parse(options.Value.PublicBaseUrl, out _);
        var kit = FieldKitBuilder.Build(input, text, publicBase, DateTimeOffset.UtcNow);
        MapStyle style;
        try
        {
            style = MapStyle.Default();
        }
        catch (FontsMissingException e)
        {
            // Printing's message (English, with the path) is for the log; the reader is told what to install.
            logs.CreateLogger(typeof(FieldKitEndpoints)).LogWarning("Field kit refused: {Reason}", e.Message);
            return new ServiceUnavailableProblem("Fonts missing", Note.Of("api.fonts_missing"));
        }
        using var pdf = new MemoryStream();
        FieldKitRenderer.Render(kit, style, pdf);
        return TypedResults.File(pdf.ToArray(), "application/pdf", $"{text.FileStem}_plan{planId}_{kit.Cover.Shift}.pdf");
    }
}
