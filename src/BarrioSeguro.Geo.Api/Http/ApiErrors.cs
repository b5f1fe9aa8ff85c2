using BarrioSeguro.Geo.Core.Spatial;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

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
        services.AddProblemDetails();
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

    /// <summary>
    /// Whether <paramref name="exception"/> (or what it wraps: EF Core puts Npgsql's errors inside DbUpdateException and
    /// InvalidOperationException) says the database cannot be reached, rather than that it refused a statement.
    /// </summary>
    public static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // A server's answer: only connection, shutdown and too-many-connections states mean "not now".
                case PostgresException p:
                    return p.SqlState.StartsWith("08", StringComparison.Ordinal)
                           || p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                               or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections;
                // No answer at all: refused or broken socket, a pool with no free connection.
                case NpgsqlException:
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Whether <paramref name="exception"/> (or what it wraps) is a statement the server cancelled for running over the
    /// service's statement_timeout (SQLSTATE 57014; a cancellation by the caller going away is not one).
    /// </summary>
    public static bool IsQueryTimeout(Exception exception)
    {
        if (exception is OperationCanceledException) return false;
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException p) return p.SqlState == PostgresErrorCodes.QueryCanceled;
        return false;
    }

    /// <summary>The reason of an ArgumentException without .NET's " (Parameter 'x')" tail.</summary>
    public static string Reason(ArgumentException e) =>
        e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;

    /// <summary>Turns Core's refusals into ProblemDetails; every other exception is left to the 500 handler.</summary>
    public sealed class RefusalHandler(IProblemDetailsService problems, ILogger<RefusalHandler> log, Microsoft.Extensions.Options.IOptions<BarrioOptions> options) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
        {
            if (!http.Request.Path.StartsWithSegments("/api")) return false;
            var problem = exception switch
            {
                ArgumentException e => Refusal(e),
                UnknownCrsException e => new ProblemDetails { Status = StatusCodes.Status400BadRequest, Title = "Unknown CRS", Detail = e.Message },
                // A report kept by an earlier build in another shape: the plan is there but must be computed again.
                Data.Sectors.KeptInOlderShapeException e => new ProblemDetails { Status = StatusCodes.Status409Conflict, Title = "Kept in an older shape", Detail = e.Message },
                // A body that places a neighbourhood outside the signed-in user's districts.
                Auth.OutsideDistrictException e => new ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "Not allowed", Detail = e.Message },
                // A racing writer won (a unique key, a serialization failure): a conflict to retry, never a 500.
                Exception e when Data.DatabaseConflict.IsRace(e) => new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict, Title = "Conflict",
                    Detail = "Another change was saved at the same moment; nothing of this one was written. Reload and try again.",
                },
                // A query over the service's statement timeout: cancelled by PostgreSQL, named, never a 500.
                _ when IsQueryTimeout(exception) => new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable, Title = "Query too long",
                    Detail = $"The database query ran over the limit of {options.Value.StatementTimeoutSeconds} s (Barrio:StatementTimeoutSeconds) and was cancelled; nothing was written. Try again later or ask for less (a smaller area or page).",
                    Extensions = { ["limit"] = $"at most {options.Value.StatementTimeoutSeconds} s per database statement" },
                },
                _ when IsDatabaseUnavailable(exception) => new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable, Title = "Database unavailable",
                    Detail = $"The database does not answer right now; the service reconnects by itself. Try again in {DatabaseRetryAfterSeconds} s.",
                },
                _ => null,
            };
            if (problem is null) return false;
            problem.Instance = http.Request.Path;
            // A refusal is an answer, not a fault: one line in the log, no stack trace.
            log.LogInformation("{Method} {Path} refused ({Status}): {Reason}", http.Request.Method, http.Request.Path, problem.Status, problem.Detail);
            http.Response.StatusCode = problem.Status!.Value;
            if (problem.Status == StatusCodes.Status503ServiceUnavailable)
                http.Response.Headers.RetryAfter = DatabaseRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
        }

        private static ProblemDetails Refusal(ArgumentException e)
        {
            var problem = new ProblemDetails { Status = StatusCodes.Status422UnprocessableEntity, Title = "Refused", Detail = Reason(e) };
            if (e.ParamName is { } parameter) problem.Extensions["parameter"] = parameter;
            return problem;
        }
    }
}
