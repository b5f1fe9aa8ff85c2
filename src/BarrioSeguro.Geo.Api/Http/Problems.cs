using BarrioSeguro.Geo.Core.Spatial;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>ProblemDetails (RFC 9457) for the service's errors, with the place of geometry problems.</summary>
public static class Problems
{
    public static IResult BadRequest(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: extensions);

    public static IResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>422 with each problem and, where known, its location as [lon, lat].</summary>
    public static IResult InvalidGeometry(IEnumerable<(int? Feature, GeometryProblem Problem)> problems)
    {
        var list = problems.Select(p => new Dictionary<string, object?>
        {
            ["feature"] = p.Feature,
            ["kind"] = p.Problem.Kind,
            ["message"] = p.Problem.Message,
            ["location"] = p.Problem.Location is { } c ? new[] { c.X, c.Y } : null,
        }).ToList();
        return TypedResults.Problem(
            detail: string.Join(" ", list.Take(5).Select(p => p["message"])),
            statusCode: StatusCodes.Status422UnprocessableEntity,
            title: "Invalid geometry",
            extensions: new Dictionary<string, object?> { ["problems"] = list });
    }
}
