using System.Globalization;
using System.Threading.RateLimiting;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Core.Notes;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>Settings of the rate limits, section "Barrio:Limits": how many of each per window.</summary>
public sealed class LimitsOptions
{
    public const string Section = "Barrio:Limits";

    /// <summary>Sector plans computed (POST /api/neighborhoods/{id}/plans) per user.</summary>
    public int PlansPerWindow { get; set; } = 12;

    /// <summary>Patrol route computations (POST /api/plans/{id}/routes) per user.</summary>
    public int RoutesPerWindow { get; set; } = 12;

    /// <summary>Coverage computations (POST /api/plans/{id}/coverage) per user.</summary>
    public int CoveragePerWindow { get; set; } = 20;

    /// <summary>Sign-in attempts (POST /api/auth/token) per client address.</summary>
    public int SignInsPerWindow { get; set; } = 30;

    /// <summary>The window the counts above are for.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Rate limits on the expensive computations (per signed-in user) and on sign-in (per client address), with ASP.NET
/// Core's rate limiter. One table from endpoint to limit, as the access table: the endpoints need no code. A refusal is
/// a 429 ProblemDetails naming the limit ("at most 12 sector plan computations per minute per user"), with Retry-After.
/// </summary>
public static partial class RateLimits
{
    /// <summary>One limit: what it counts, and whom (a user or a client address).</summary>
    public sealed record Limit(string Name, string What, bool PerUser, Func<LimitsOptions, int> Count);

    public static readonly IReadOnlyDictionary<string, Limit> Table = new Dictionary<string, Limit>(StringComparer.Ordinal)
    {
        ["POST /api/neighborhoods/{id:int}/plans"] = new("plans", "sector plan computations", true, o => o.PlansPerWindow),
        ["POST /api/plans/{planId:int}/routes"] = new("routes", "patrol route computations", true, o => o.RoutesPerWindow),
        ["POST /api/plans/{planId:int}/coverage"] = new("coverage", "coverage computations", true, o => o.CoveragePerWindow),
        ["POST /api/auth/token"] = new("sign-ins", "sign-in attempts", false, o => o.SignInsPerWindow),
    };

    private const string LimitItem = "barrio.limit";

    public static IServiceCollection AddBarrioLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LimitsOptions>().Bind(configuration.GetSection(LimitsOptions.Section))
            .Validate(o => o.PlansPerWindow >= 1 && o.RoutesPerWindow >= 1 && o.CoveragePerWindow >= 1 && o.SignInsPerWindow >= 1,
                "Barrio:Limits: each count must be at least 1.")
            .Validate(o => o.Window >= TimeSpan.FromSeconds(1) && o.Window <= TimeSpan.FromDays(1), "Barrio:Limits:Window must be 1 s to 1 day.")
            .ValidateOnStart();
        services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(Partition);
            o.OnRejected = RefuseAsync;
        });
        return services;
    }

    /// <summary>After the access gate: a caller refused there spends nothing of a user's limit.</summary>
    public static IApplicationBuilder UseBarrioLimits(this IApplicationBuilder app) => app.UseRateLimiter();

    public static string Describe(Limit limit, LimitsOptions o) =>
        $"at most {limit.Count(o).ToString("N0", CultureInfo.InvariantCulture)} {limit.What} per {Window(o.Window)} per {(limit.PerUser ? "user" : "client address")}";

    /// <summary>The refusal as a note, so it reads in the request's language.</summary>
    public static Note Refusal(Limit limit, LimitsOptions o, int seconds)
    {
        var (count, window) = (limit.Count(o), o.Window.TotalMinutes);
        return limit.Name switch
        {
            "plans" => Note.Of("limits.plans", ("count", count), ("window", window), ("seconds", seconds)),
            "routes" => Note.Of("limits.routes", ("count", count), ("window", window), ("seconds", seconds)),
            "coverage" => Note.Of("limits.coverage", ("count", count), ("window", window), ("seconds", seconds)),
            _ => Note.Of("limits.sign_ins", ("count", count), ("window", window), ("seconds", seconds)),
        };
    }

    /// <summary>Lists the 429 (with Retry-After) on the routes a limit counts, in the OpenAPI document.</summary>
    public static Task ListRefusal(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var key = Constraint().Replace($"{context.Description.HttpMethod} /{context.Description.RelativePath}", "}");
        if (!Table.Keys.Any(k => string.Equals(Constraint().Replace(k, "}"), key, StringComparison.OrdinalIgnoreCase))) return Task.CompletedTask;
        operation.Responses ??= [];
        var problem = operation.Responses.Values.OfType<OpenApiResponse>()
            .Select(r => r.Content is { } c && c.TryGetValue("application/problem+json", out var m) ? m : null).FirstOrDefault(m => m is not null);
        operation.Responses["429"] = new OpenApiResponse
        {
            Description = "Too many requests: a rate limit of Barrio:Limits (named in the detail and in \"limit\").",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = problem ?? new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.Object } },
            },
            Headers = new Dictionary<string, IOpenApiHeader>
            {
                ["Retry-After"] = new OpenApiHeader { Description = "Whole seconds until the window has room again.", Schema = new OpenApiSchema { Type = JsonSchemaType.Integer } },
            },
        };
        return Task.CompletedTask;
    }

    [System.Text.RegularExpressions.GeneratedRegex(":[^}]*}")]
    private static partial System.Text.RegularExpressions.Regex Constraint();

    private static string Window(TimeSpan w) =>
        w == TimeSpan.FromMinutes(1) ? "minute"
        : w == TimeSpan.FromHours(1) ? "hour"
        : w.TotalMinutes >= 1 && w.TotalMinutes == Math.Floor(w.TotalMinutes) ? $"{w.TotalMinutes.ToString(CultureInfo.InvariantCulture)} minutes"
        : $"{w.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";

    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint
            || !Table.TryGetValue(AccessTable.Key(http.Request.Method, endpoint.RoutePattern.RawText ?? ""), out var limit))
            return RateLimitPartition.GetNoLimiter("");
        var options = http.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
        http.Items[LimitItem] = limit;
        var who = limit.PerUser && http.User.FindFirst(BarrioClaims.Name)?.Value is { Length: > 0 } name
            ? "user:" + name
            : "address:" + http.Connection.RemoteIpAddress;
        return RateLimitPartition.GetFixedWindowLimiter($"{limit.Name}/{who}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.Count(options),
            Window = options.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RefuseAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var options = http.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value;
        var limit = http.Items[LimitItem] as Limit;
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : options.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var described = limit is null ? "a rate limit" : Describe(limit, options);
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status429TooManyRequests,
            Title = "Too many requests",
            Detail = limit is null ? $"Refused: a rate limit. Try again in {seconds} s." : Refusal(limit, options, seconds).Text(NoteLanguages.Of(http.Request)),
            Instance = http.Request.Path,
        };
        problem.Extensions["limit"] = described;
        if (limit is not null) problem.Extensions["limitName"] = limit.Name;
        NoteLanguages.Localize(problem, http.Request);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }
}
