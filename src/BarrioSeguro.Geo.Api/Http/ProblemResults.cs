using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using BarrioSeguro.Geo.Core.Notes;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// A ProblemDetails (RFC 9457) outcome whose status the type names, so that a handler returning
/// <c>Results&lt;Ok&lt;T&gt;, NotFoundProblem, ConflictProblem&gt;</c> lists its errors in the OpenAPI document. Written
/// exactly as <see cref="TypedResults.Problem(string?, string?, int?, string?, string?, IDictionary{string, object?}?)"/>.
/// </summary>
public abstract class ProblemResult : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>, IContentTypeHttpResult
{
    private readonly ProblemHttpResult _problem;
    private readonly Note? _reason;

    private protected ProblemResult(int status, string title, string? detail, IDictionary<string, object?>? extensions) =>
        _problem = TypedResults.Problem(detail, statusCode: status, title: title, extensions: extensions);

    /// <summary>A problem whose detail is a note: said in the request's language on the way out, with its code and args.</summary>
    private protected ProblemResult(int status, string title, Note reason, IDictionary<string, object?>? extensions)
        : this(status, title, reason.English, extensions)
    {
        _reason = reason;
        _problem.ProblemDetails.Extensions["code"] = reason.Code;
        _problem.ProblemDetails.Extensions["args"] = reason.Args;
    }

    /// <summary>The note the detail says, when it is one.</summary>
    public Note? Reason => _reason;

    public ProblemDetails ProblemDetails => _problem.ProblemDetails;
    public int? StatusCode => _problem.StatusCode;
    public string? ContentType => _problem.ContentType;
    object? IValueHttpResult.Value => _problem.ProblemDetails;
    ProblemDetails? IValueHttpResult<ProblemDetails>.Value => _problem.ProblemDetails;

    /// <summary>A version to send in the ETag header with the problem (a 412 names the current one).</summary>
    private protected int? TaggedVersion { get; set; }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (TaggedVersion is { } tagged) httpContext.Response.Headers.ETag = $"\"{tagged}\"";
        NoteLanguages.Localize(_problem.ProblemDetails, httpContext.Request);
        if (_reason is not null) _problem.ProblemDetails.Detail = _reason.Text(NoteLanguages.Of(httpContext.Request));
        return _problem.ExecuteAsync(httpContext);
    }

    private protected static void Declare(EndpointBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
    }
}

/// <summary>400: a parameter is malformed (a bbox, a format, a number out of its range).</summary>
public sealed class BadRequestProblem : ProblemResult, IEndpointMetadataProvider
{
    public BadRequestProblem(string title, string detail, IDictionary<string, object?>? extensions = null)
        : base(StatusCodes.Status400BadRequest, title, detail, extensions) { }

    public BadRequestProblem(string title, Note reason, IDictionary<string, object?>? extensions = null)
        : base(StatusCodes.Status400BadRequest, title, reason, extensions) { }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status400BadRequest);
}

/// <summary>404: what the path names does not exist.</summary>
public sealed class NotFoundProblem : ProblemResult, IEndpointMetadataProvider
{
    public NotFoundProblem(string detail) : base(StatusCodes.Status404NotFound, "Not found", detail, null) { }

    public NotFoundProblem(Note reason) : base(StatusCodes.Status404NotFound, "Not found", reason, null) { }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status404NotFound);
}

/// <summary>409: the change clashes with what is stored (a newer version, a name in use); nothing was written.</summary>
public sealed class ConflictProblem : ProblemResult, IEndpointMetadataProvider
{
    public ConflictProblem(string title, string? detail, IDictionary<string, object?>? extensions = null)
        : base(StatusCodes.Status409Conflict, title, detail, extensions) { }

    public ConflictProblem(string title, Note reason, IDictionary<string, object?>? extensions = null)
        : base(StatusCodes.Status409Conflict, title, reason, extensions) { }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status409Conflict);
}

/// <summary>422: the request is well formed but refused (Core's reason in the detail).</summary>
public sealed class UnprocessableProblem : ProblemResult, IEndpointMetadataProvider
{
    public UnprocessableProblem(string title, string? detail, IDictionary<string, object?>? extensions = null)
        : base(StatusCodes.Status422UnprocessableEntity, title, detail, extensions) { }

    public UnprocessableProblem(string title, Note reason, IDictionary<string, object?>? extensions = null)
        : base(StatusCodes.Status422UnprocessableEntity, title, reason, extensions) { }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status422UnprocessableEntity);
}

/// <summary>428: a change must name the version it started from (If-Match or a version member).</summary>
public sealed class PreconditionRequiredProblem : ProblemResult, IEndpointMetadataProvider
{
    public PreconditionRequiredProblem(string detail) : base(StatusCodes.Status428PreconditionRequired, "Version required", detail, null) { }

    public PreconditionRequiredProblem(Note reason) : base(StatusCodes.Status428PreconditionRequired, "Version required", reason, null) { }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status428PreconditionRequired);
}

/// <summary>412: If-Match names no current version (stale, or not a version at all); nothing was written.</summary>
public sealed class PreconditionFailedProblem : ProblemResult, IEndpointMetadataProvider
{
    public PreconditionFailedProblem(string detail, IDictionary<string, object?>? extensions = null)
        : base(StatusCodes.Status412PreconditionFailed, "Precondition failed", detail, extensions) { }

    public PreconditionFailedProblem(Note reason, IDictionary<string, object?>? extensions = null)
        : base(StatusCodes.Status412PreconditionFailed, "Precondition failed", reason, extensions) { }

    /// <summary>The current version, sent as the ETag header when known.</summary>
    public int? CurrentVersion { get => TaggedVersion; init => TaggedVersion = value; }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status412PreconditionFailed);
}

/// <summary>503: the service lacks something the answer needs (fonts to print with); the detail says what to install.</summary>
public sealed class ServiceUnavailableProblem : ProblemResult, IEndpointMetadataProvider
{
    public ServiceUnavailableProblem(string title, string? detail) : base(StatusCodes.Status503ServiceUnavailable, title, detail, null) { }

    public ServiceUnavailableProblem(string title, Note reason) : base(StatusCodes.Status503ServiceUnavailable, title, reason, null) { }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status503ServiceUnavailable);
}

/// <summary>
/// A request body that cannot be used: 400 when it is malformed (not GeoJSON, unknown CRS, a bad property), 413 when it
/// is over the limit, 415 when it is not sent as JSON, 422 when it is well formed but refused (invalid geometry, an
/// unknown district, over an <see cref="Core.Spatial.InputLimits"/> limit).
/// </summary>
public sealed class RequestProblem : ProblemResult, IEndpointMetadataProvider
{
    private RequestProblem(int status, string title, string? detail, IDictionary<string, object?>? extensions)
        : base(status, title, detail, extensions) { }

    public static RequestProblem Malformed(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status400BadRequest, title, detail, extensions);

    private RequestProblem(int status, string title, Note reason, IDictionary<string, object?>? extensions)
        : base(status, title, reason, extensions) { }

    /// <summary>400 whose detail is a note, said in the request's language.</summary>
    public static RequestProblem Malformed(string title, Note reason, IDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status400BadRequest, title, reason, extensions);

    /// <summary>422 whose detail is a note, said in the request's language.</summary>
    public static RequestProblem Refused(string title, Note reason, IDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status422UnprocessableEntity, title, reason, extensions);

    public static RequestProblem TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Body too large", detail, null);

    public static RequestProblem TooLarge(Note reason) => new(StatusCodes.Status413PayloadTooLarge, "Body too large", reason, null);

    public static RequestProblem UnsupportedMediaType(string detail) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail, null);

    public static RequestProblem UnsupportedMediaType(Note reason) => new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", reason, null);

    public static RequestProblem Refused(string title, string? detail, IDictionary<string, object?>? extensions = null) =>
        new(StatusCodes.Status422UnprocessableEntity, title, detail, extensions);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        Declare(builder, StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType,
            StatusCodes.Status422UnprocessableEntity);
}

/// <summary>401: no valid credentials (none, expired, revoked); the answer carries WWW-Authenticate: Bearer.</summary>
public sealed class UnauthorizedProblem : ProblemResult, IEndpointMetadataProvider
{
    public UnauthorizedProblem(string detail) : base(StatusCodes.Status401Unauthorized, "Sign-in required", detail, null) { }

    public UnauthorizedProblem(Note reason) : base(StatusCodes.Status401Unauthorized, "Sign-in required", reason, null) { }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status401Unauthorized);
}

/// <summary>403: signed in, but the role or the district scope does not allow it.</summary>
public sealed class ForbiddenProblem : ProblemResult, IEndpointMetadataProvider
{
    public ForbiddenProblem(string detail) : base(StatusCodes.Status403Forbidden, "Not allowed", detail, null) { }

    public ForbiddenProblem(Note reason) : base(StatusCodes.Status403Forbidden, "Not allowed", reason, null) { }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status403Forbidden);
}
