using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>ProblemDetails (RFC 9457) for the service's errors, with the place of geometry problems.</summary>
public static class Problems
{
    /// <summary>404 whose detail is a note, said in the request's language (with <c>code</c> and <c>args</c>).</summary>
    public static NotFoundProblem NotFound(Note reason) => new(reason);

    /// <summary>400 whose detail is a note, said in the request's language (with <c>code</c> and <c>args</c>).</summary>
    public static BadRequestProblem BadRequest(string title, Note reason, IDictionary<string, object?>? extensions = null) =>
        new(title, reason, extensions);

    /// <summary>422 whose detail is a note, said in the request's language (with <c>code</c> and <c>args</c>).</summary>
    public static UnprocessableProblem Unprocessable(string title, Note reason, IDictionary<string, object?>? extensions = null) =>
        new(title, reason, extensions);

    /// <summary>409 whose detail is a note, said in the request's language (with <c>code</c> and <c>args</c>).</summary>
    public static ConflictProblem Conflict(string title, Note reason, IDictionary<string, object?>? extensions = null) =>
        new(title, reason, extensions);

    /// <summary>428 whose detail is a note, said in the request's language (with <c>code</c> and <c>args</c>).</summary>
    public static PreconditionRequiredProblem VersionRequired(Note reason) => new(reason);

    /// <summary>422 with each problem and, where known, its location as [lon, lat].</summary>
    public static RequestProblem InvalidGeometry(IEnumerable<(int? Feature, GeometryProblem Problem)> problems)
    {
        var list = problems.Select(p => new Dictionary<string, object?>
        {
            ["feature"] = p.Feature,
            ["kind"] = p.Problem.Kind,
            ["message"] = p.Problem.Message,
            ["code"] = p.Problem.Note.Code,
            ["args"] = p.Problem.Note.Args,
            ["location"] = p.Problem.Location is { } c ? new[] { c.X, c.Y } : null,
        }).ToList();
        return RequestProblem.Refused("Invalid geometry", string.Join(" ", list.Take(5).Select(p => p["message"])),
            new Dictionary<string, object?> { ["problems"] = list });
    }
}
