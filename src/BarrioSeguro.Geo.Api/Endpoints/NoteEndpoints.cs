using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>The catalog the notes of every report are said from, for the viewer (and any client) to say them itself.</summary>
public static class NoteEndpoints
{
    public static IEndpointRouteBuilder MapNotes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/notes/catalog", () => Results.Text(NoteCatalog.Default.Json, "application/json; charset=utf-8"))
            .WithTags("Notes").Produces(StatusCodes.Status200OK, contentType: "application/json")
            .WithSummary("Every note code: the kind of each argument (unit, digits) and its sentence in Spanish (es-PE) and English.");
        return app;
    }
}
