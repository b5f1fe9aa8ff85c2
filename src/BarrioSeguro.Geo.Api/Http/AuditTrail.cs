using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Data.Audit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing.Patterns;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Every write under /api (POST, PUT, PATCH, DELETE), answered or refused, leaves one row in the audit trail: who,
/// when, the method and route pattern, the resource, the status, the client's address and the request's id. It is a
/// middleware around the whole pipeline (a startup filter), so a new endpoint is audited without code and a refusal
/// by authentication, the exception handler or a limit is kept as well. The row is written before the answer starts.
/// Every response carries X-Request-Id: the caller's (when it is a plain token) or the one the service made.
/// </summary>
public static partial class AuditTrail
{
    public const string RequestIdHeader = "X-Request-Id";

    /// <summary>Adds the audit middleware in front of every other one.</summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services) =>
        services.AddTransient<IStartupFilter, StartupFilter>();

    /// <summary>Whether a request is a write the trail keeps.</summary>
    public static bool Audits(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") && IsWrite(request.Method);

    public static bool IsWrite(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    /// <summary>The action an endpoint is kept under: <c>PUT /api/neighborhoods/{id}</c> (constraints left out).</summary>
    public static string Action(string method, RoutePattern pattern) =>
        $"{method} {Constraint().Replace("/" + pattern.RawText?.TrimStart('/'), "{$1}")}";

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)(?::[^}]*)?\??\}")]
    private static partial Regex Constraint();

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]{1,128}$")]
    private static partial Regex PlainToken();

    [GeneratedRegex(@"^/api/([^/?]+)/([^/?]+)")]
    private static partial Regex ApiResource();

    // OGC API - Features Part 4: a feature of /api/collections/{name}/items/{id} is kept as the resource {name} {id}.
    [GeneratedRegex(@"^/api/collections/([^/?]+)/items(?:/([^/?]+))?")]
    private static partial Regex CollectionItem();

    private sealed class StartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(Invoke);
            next(app);
        };
    }

    private static async Task Invoke(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Headers[RequestIdHeader].ToString() is { } given && PlainToken().IsMatch(given))
            http.TraceIdentifier = given;
        // Set as the answer starts: the exception handler clears the headers set before it writes its ProblemDetails.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[RequestIdHeader] = http.TraceIdentifier;
            return Task.CompletedTask;
        });
        if (!Audits(http.Request))
        {
            await next(http);
            return;
        }

        // The exception handler forgets the endpoint and route values before it answers: keep them as routing sets them.
        var route = new RouteMemory(http.Features.Get<IRouteValuesFeature>());
        http.Features.Set<IEndpointFeature>(route);
        http.Features.Set<IRouteValuesFeature>(route);
        var fromVersion = EditContext.From(http.Request).IfMatch;
        var written = 0;
        async Task Write(int status)
        {
            if (Interlocked.Exchange(ref written, 1) == 1) return;
            await AppendAsync(http, route, fromVersion, status);
        }
        http.Response.OnStarting(() => Write(http.Response.StatusCode));
        try
        {
            await next(http);
        }
        catch (Exception) when (!http.Response.HasStarted)
        {
            await Write(http.RequestAborted.IsCancellationRequested ? 499 : StatusCodes.Status500InternalServerError);
            throw;
        }
        // An answer without a body may not start before the pipeline returns.
        await Write(http.Response.StatusCode);
    }

    private static async Task AppendAsync(HttpContext http, RouteMemory route, int? fromVersion, int status)
    {
        var request = http.Request;
        var user = ActingUser.Of(http);
        var endpoint = route.Kept as RouteEndpoint;
        var values = route.Values;
        var action = endpoint is null ? $"{request.Method} {request.Path}" : Action(request.Method, endpoint.RoutePattern);

        // The resource: a created one where Location points, else the first collection and id of the path.
        string? kind = null, id = null;
        var location = http.Response.Headers.Location.ToString();
        var locationPath = Uri.TryCreate(location, UriKind.Absolute, out var absolute) ? absolute.AbsolutePath : location;
        if (status == StatusCodes.Status201Created && CollectionItem().Match(locationPath) is { Success: true } madeItem)
            (kind, id) = (madeItem.Groups[1].Value, madeItem.Groups[2].Success ? madeItem.Groups[2].Value : null);
        else if (CollectionItem().Match(request.Path.Value ?? "") is { Success: true } item)
            (kind, id) = (item.Groups[1].Value, item.Groups[2].Success ? item.Groups[2].Value : null);
        else if (status == StatusCodes.Status201Created && ApiResource().Match(location) is { Success: true } created)
            (kind, id) = (created.Groups[1].Value, created.Groups[2].Value);
        else if (endpoint is not null)
        {
            kind = endpoint.RoutePattern.PathSegments.Skip(1).FirstOrDefault()?.Parts.OfType<RoutePatternLiteralPart>().FirstOrDefault()?.Content;
            id = endpoint.RoutePattern.Parameters.Select(p => values[p.Name]?.ToString()).FirstOrDefault(v => v is not null);
        }
        else if (ApiResource().Match(request.Path.Value ?? "") is { Success: true } path)
            (kind, id) = (path.Groups[1].Value, path.Groups[2].Value);
        var etag = http.Response.Headers.ETag.ToString().Trim('"');
        int? toVersion = int.TryParse(etag, out var v) ? v : null;

        var entry = new AuditEntry
        {
            At = DateTimeOffset.UtcNow, UserName = user.Name, Role = user.Role, Action = action,
            ResourceKind = kind, ResourceId = id, Status = status,
            ClientAddress = http.Connection.RemoteIpAddress?.ToString(), RequestId = http.TraceIdentifier,
            Detail = AuditStore.Detail(("fromVersion", fromVersion), ("toVersion", toVersion),
                ("location", status == StatusCodes.Status201Created && location.Length > 0 ? location : null)),
        };
        try
        {
            await using var scope = http.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditStore>().AppendAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The answer stands (a database that is down has its own 503); the log keeps what the trail could not.
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AuditTrail))
                .LogError(e, "Audit entry not written: {User} {Action} {Kind} {Id} {Status} {RequestId}", entry.UserName, entry.Action, kind, id, status, entry.RequestId);
        }
    }

    /// <summary>The endpoint and route values routing chose, kept when the exception handler clears them.</summary>
    private sealed class RouteMemory(IRouteValuesFeature? values) : IEndpointFeature, IRouteValuesFeature
    {
        private Endpoint? _endpoint;
        private RouteValueDictionary? _kept;

        public Endpoint? Kept { get; private set; }

        public RouteValueDictionary Values => _kept ?? RouteValues;

        public Endpoint? Endpoint
        {
            get => _endpoint;
            set
            {
                // Cleared (by the exception handler, just before it clears the values): keep a copy of them first.
                if (value is null && Kept is not null) _kept ??= new RouteValueDictionary(RouteValues);
                Kept ??= value;
                _endpoint = value;
            }
        }

        public RouteValueDictionary RouteValues { get; set; } = values?.RouteValues ?? [];
    }
}
