using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Who makes a change and from which version, as the request's headers say: <c>If-Match: "3"</c> and
/// <c>X-Barrio-User</c>. Bound once for every handler that edits (a parameter of this type); values in the body win, except
/// If-Match: when present it must name the current version (else 412); a body's version counts only without it (409).
/// </summary>
/// <param name="IfMatch">The version named by If-Match (<c>"3"</c>, <c>W/"3"</c> or <c>3</c>); null when absent or not a version.</param>
/// <param name="User">The X-Barrio-User header; null when absent or blank.</param>
public sealed record EditContext(int? IfMatch, string? User) : IEndpointParameterMetadataProvider
{
    /// <summary>Marks a route that reads these headers, so the OpenAPI document lists them.</summary>
    public sealed class Headers;

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => builder.Metadata.Add(new Headers());

    public const string UserHeader = "X-Barrio-User";

    /// <summary>Who signs a change when nobody says (there is no sign-in yet).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Minimal APIs call this to bind a parameter of this type.</summary>
    public static ValueTask<EditContext?> BindAsync(HttpContext http) => ValueTask.FromResult<EditContext?>(From(http.Request));

    public static EditContext From(HttpRequest request)
    {
        var tag = request.Headers.IfMatch.ToString().Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        tag = tag.Trim('"');
        int? version = int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        var user = request.Headers[UserHeader].ToString().Trim();
        return new EditContext(version, user.Length > 0 ? user : null) { IfMatchGiven = request.Headers.IfMatch.Count > 0 };
    }

    /// <summary>The request has an If-Match header, whether or not it names a version.</summary>
    public bool IfMatchGiven { get; init; }

    /// <summary>
    /// 412 when If-Match is there but names no version (<c>"stale-0"</c>, <c>*</c>): a precondition that cannot hold
    /// must never let the change through, whatever the body says.
    /// </summary>
    public PreconditionFailedProblem? UnusableIfMatch() => IfMatchGiven && IfMatch is null
        ? new PreconditionFailedProblem("If-Match must name the current version as \"<version>\" (e.g. \"3\"); it names none.")
        : null;

    /// <summary>The version the change started from: If-Match, else the one the body names; null when neither does.</summary>
    public int? ExpectedVersion(int? fromBody = null) => IfMatch ?? fromBody;

    /// <summary>412 for a change whose If-Match named an old version (HTTP's precondition).</summary>
    public static PreconditionFailedProblem StalePrecondition(string? detail, int? currentVersion) =>
        new(detail ?? "If-Match names no current version.", new Dictionary<string, object?> { ["currentVersion"] = currentVersion });

    /// <summary>The author: the body's, else the X-Barrio-User header, else "anonymous".</summary>
    public string Author(string? fromBody = null) =>
        !string.IsNullOrWhiteSpace(fromBody) ? fromBody : User ?? Anonymous;
}
