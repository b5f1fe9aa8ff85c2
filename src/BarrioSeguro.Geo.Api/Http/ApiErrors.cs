using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using BarrioSeguro.Geo.Data;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Every error of the service as a ProblemDetails (RFC 9457): a refusal thrown by Core (ArgumentException, an unknown
/// CRS) in any /api handler becomes 422 (400 for the CRS) with its reason and place; a report kept in an older shape
/// is a 409 that says to compute it again; a body over the limit keeps its
/// 413; a database that does not answer (stopped, restarting, no free connection) is a 503 with Retry-After;
/// anything else is a 500 that names no internals.
/// </summary>
public static class ApiErrors
{
    public static IServiceCollection AddApiErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = SayFrameworkProblem);
        services.AddExceptionHandler<RefusalHandler>();
        return services;
    }

    public static IApplicationBuilder UseApiErrors(this IApplicationBuilder app)
    {
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // A request body over Kestrel's limit arrives as BadHttpRequestException: keep its status (413) in the ProblemDetails.
            StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
        });
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>
    /// Declares in the OpenAPI document the 422 that a refusal thrown by Core inside the handler becomes (see
    /// <see cref="RefusalHandler"/>): for handlers that pass their input on to Core without catching.
    /// </summary>
    public static TBuilder MayRefuse<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// Declares in the OpenAPI document the 409 that a report kept in an older shape becomes (see
    /// <see cref="RefusalHandler"/>): for handlers that read kept plan, coverage or route reports back.
    /// </summary>
    public static TBuilder ReadsKeptReports<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status409Conflict);

    /// <summary>Seconds a client is told to wait (Retry-After) while the database does not answer: about the time the
    /// service's watch needs to notice a stopped private server and start it again.</summary>
    public const int DatabaseRetryAfterSeconds = 5;

    /// <summary>Whether <paramref name="exception"/> (or what it wraps) says the database cannot be reached, rather than that it refused a statement.</summary>
    public static bool IsDatabaseUnavailable(Exception exception) => Data.DatabaseConflict.Fault(exception) == Data.DatabaseFault.Unavailable;

    /// <summary>Whether <paramref name="exception"/> (or what it wraps) is a statement the server cancelled for running over the service's statement_timeout.</summary>
    public static bool IsQueryTimeout(Exception exception) => Data.DatabaseConflict.Fault(exception) == Data.DatabaseFault.QueryTimeout;

    /// <summary>
    /// A problem ASP.NET Core writes by itself (no route, a method or content type routing refuses, a fault) has no
    /// detail: it gets a note's, in the request's language, with its code and args, and a title in that language.
    /// </summary>
    private static void SayFrameworkProblem(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Detail is not null || problem.Extensions.ContainsKey("code")) return;
        var request = context.HttpContext.Request;
        var reason = problem.Status switch
        {
            StatusCodes.Status404NotFound => Note.Of("api.no_such_route", ("method", request.Method), ("path", request.Path.ToString())),
            StatusCodes.Status405MethodNotAllowed => Note.Of("api.method_not_allowed", ("method", request.Method), ("path", request.Path.ToString())),
            StatusCodes.Status415UnsupportedMediaType => string.IsNullOrEmpty(request.ContentType)
                ? Note.Of("api.media_type_none") : Note.Of("api.media_type_unsupported", ("type", request.ContentType)),
            StatusCodes.Status500InternalServerError => Note.Of("api.internal_error"),
            _ => null,
        };
        if (reason is null) return;
        problem.Detail = reason.Text(NoteLanguages.Of(request));
        problem.Extensions["code"] = reason.Code;
        problem.Extensions["args"] = reason.Args;
        NoteLanguages.Localize(problem, request);
    }

    /// <summary>An unknown CRS as a note (UnknownCrsException's own message is English).</summary>
    public static Note UnknownCrs(UnknownCrsException e) => e.Reason;

    /// <summary>The reason of an ArgumentException without .NET's " (Parameter 'x')" tail.</summary>
    public static string Reason(ArgumentException e) =>
        e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;

    /// <summary>Turns Core's refusals into ProblemDetails; every other exception is left to the 500 handler.</summary>
    public sealed class RefusalHandler(IProblemDetailsService problems, ILogger<RefusalHandler> log, Microsoft.Extensions.Options.IOptions<BarrioOptions> options) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (!http.Request.Path.StartsWithSegments("/api")) return false;
            // The handler runs outside UseNoteLanguage, whose language does not flow back out: set it again for the reason.
            NoteLanguage.Current = NoteLanguages.Of(http.Request);
            var rule = Answers.FirstOrDefault(r => r.When(exception));
            if (rule is null) return false;
            // A note is said in the request's language and sent with its code and arguments too.
            var reason = rule.Reason?.Invoke(exception, options.Value);
            var problem = new ProblemDetails { Status = rule.Status, Title = rule.Title, Detail = reason?.ToString() ?? rule.Detail(exception, options.Value) };
            if (reason is not null) { problem.Extensions["code"] = reason.Code; problem.Extensions["args"] = reason.Args; }
            foreach (var (key, value) in rule.Extensions(exception, options.Value)) problem.Extensions[key] = value;
            problem.Instance = http.Request.Path;
            NoteLanguages.Localize(problem, http.Request);
            // A refusal is an answer, not a fault: one line in the log, no stack trace.
            log.LogInformation("{Method} {Path} refused ({Status}): {Reason}", http.Request.Method, http.Request.Path, problem.Status, problem.Detail);
            http.Response.StatusCode = problem.Status!.Value;
            if (problem.Status == StatusCodes.Status503ServiceUnavailable)
                http.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
        }

        private static readonly IReadOnlyDictionary<string, object?> None = new Dictionary<string, object?>();

        /// <summary>One exception the service answers, and how; the first that matches answers.</summary>
        private sealed record Answer(Func<Exception, bool> When, int Status, string Title, Func<Exception, BarrioOptions, string> Detail,
            Func<Exception, BarrioOptions, IReadOnlyDictionary<string, object?>> Extensions)
        {
            /// <summary>The detail as a note (preferred to <see cref="Detail"/>): said in the request's language.</summary>
            public Func<Exception, BarrioOptions, Note>? Reason { get; init; }
        }

        private static Answer Of<T>(int status, string title, Func<T, BarrioOptions, string> detail,
            Func<T, BarrioOptions, IReadOnlyDictionary<string, object?>>? extensions = null) where T : Exception =>
            new(e => e is T, status, title, (e, o) => detail((T)e, o), (e, o) => extensions?.Invoke((T)e, o) ?? None);

        private static Answer Said<T>(int status, string title, Func<T, BarrioOptions, Note> reason,
            Func<T, BarrioOptions, IReadOnlyDictionary<string, object?>>? extensions = null) where T : Exception =>
            new(e => e is T, status, title, (e, o) => reason((T)e, o).English, (e, o) => extensions?.Invoke((T)e, o) ?? None)
            {
                Reason = (e, o) => reason((T)e, o),
            };

        private static Answer Of(DatabaseFault fault, int status, string title, Func<BarrioOptions, Note> reason,
            Func<BarrioOptions, IReadOnlyDictionary<string, object?>>? extensions = null) =>
            new(e => DatabaseConflict.Fault(e) == fault, status, title, (_, o) => reason(o).English, (_, o) => extensions?.Invoke(o) ?? None)
            {
                Reason = (_, o) => reason(o),
            };

        /// <summary>The table of what each refusal becomes; anything else is left to the 500 handler.</summary>
        private static readonly Answer[] Answers =
        [
            // A refusal thrown by Core with a note: its reason in the request's language, with its code and arguments.
            Said<RefusalException>(StatusCodes.Status422UnprocessableEntity, "Refused", (e, _) => e.Reason,
                (e, _) => new Dictionary<string, object?> { ["parameter"] = e.ParamName }),
            // A refusal thrown by Core: its reason, and the parameter when it names one.
            Of<ArgumentException>(StatusCodes.Status422UnprocessableEntity, "Refused", (e, _) => Reason(e),
                (e, _) => e.ParamName is { } p ? new Dictionary<string, object?> { ["parameter"] = p } : None),
            Said<UnknownCrsException>(StatusCodes.Status400BadRequest, "Unknown CRS", (e, _) => UnknownCrs(e)),
            // A report kept by an earlier build in another shape: the plan is there but must be computed again.
            Said<Data.Sectors.KeptInOlderShapeException>(StatusCodes.Status409Conflict, "Kept in an older shape", (e, _) => e.Reason),
            // A body that places a neighbourhood outside the signed-in user's districts.
            Said<Auth.OutsideDistrictException>(StatusCodes.Status403Forbidden, "Not allowed", (e, _) => e.Reason),
            // A racing writer won (a unique key, a serialization failure): a conflict to retry, never a 500.
            Of(DatabaseFault.Race, StatusCodes.Status409Conflict, "Conflict",
                _ => Note.Of("api.race")),
            // A query over the service's statement timeout: cancelled by PostgreSQL, named, never a 500.
            Of(DatabaseFault.QueryTimeout, StatusCodes.Status503ServiceUnavailable, "Query too long",
                o => Note.Of("api.query_timeout", ("seconds", o.StatementTimeoutSeconds)),
                o => new Dictionary<string, object?> { ["limit"] = $"at most {o.StatementTimeoutSeconds} s per database statement" }),
            Of(DatabaseFault.Unavailable, StatusCodes.Status503ServiceUnavailable, "Database unavailable",
                _ => Note.Of("api.database_down", ("seconds", DatabaseRetryAfterSeconds))),
        ];
    }
}
