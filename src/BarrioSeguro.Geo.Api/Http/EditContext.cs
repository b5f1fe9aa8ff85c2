using System.Globalization;
using System.Reflection;
using BarrioSeguro.Geo.Core.Notes;
using Microsoft.AspNetCore.Http.Metadata;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Who makes a change and from which version: <c>If-Match: "3"</c>, and the signed-in user (else <c>X-Barrio-User</c>)
/// as <see cref="ActingUser"/> says, the same name the audit trail keeps. Bound once for every handler that edits (a
/// parameter of this type). If-Match, when present, must name the current version (else 412); a body's version counts
/// only without it (409); an author in the body only when nobody is signed in.
/// </summary>
/// <param name="IfMatch">The version named by If-Match (<c>"3"</c>, <c>W/"3"</c> or <c>3</c>); null when absent or not a version.</param>
/// <param name="User">The signed-in user's name, else the X-Barrio-User header; null when neither.</param>
/// <param name="SignedIn">Whether <paramref name="User"/> is a signed-in user (whose name no body can replace).</param>
public sealed record EditContext(int? IfMatch, string? User, bool SignedIn = false) : IEndpointParameterMetadataProvider
{
    /// <summary>Marks a route that reads these headers, so the OpenAPI document lists them.</summary>
    public sealed class Headers;

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => builder.Metadata.Add(new Headers());

    public const string UserHeader = ActingUser.UserHeader;

    /// <summary>Who signs a change when nobody says.</summary>
    public const string Anonymous = ActingUser.Anonymous;

    /// <summary>Minimal APIs call this to bind a parameter of this type.</summary>
    /// <remarks>Signed in, the author is the account's name (<see cref="ActingUser"/>), whatever X-Barrio-User or the body say.</remarks>
    public static ValueTask<EditContext?> BindAsync(HttpContext http) => ValueTask.FromResult<EditContext?>(From(http.Request));

    public static EditContext From(HttpRequest request)
    {
        var tag = request.Headers.IfMatch.ToString().Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        tag = tag.Trim('"');
        int? version = int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        var user = ActingUser.Of(request.HttpContext);
        return new EditContext(version, user.SignedIn || user.Name != Anonymous ? user.Name : null, user.SignedIn)
        {
            IfMatchGiven = request.Headers.IfMatch.Count > 0,
        };
    }

    /// <summary>The request has an If-Match header, whether or not it names a version.</summary>
    public bool IfMatchGiven { get; init; }

    /// <summary>
    /// 412 when If-Match is there but names no version (<c>"stale-0"</c>, <c>*</c>): a precondition that cannot hold
    /// must never let the change through, whatever the body says.
    /// </summary>
    public PreconditionFailedProblem? UnusableIfMatch() => IfMatchGiven && IfMatch is null
        ? new PreconditionFailedProblem(Note.Of("api.if_match_unusable"))
        : null;

    /// <summary>The version the change started from: If-Match, else the one the body names; null when neither does.</summary>
    public int? ExpectedVersion(int? fromBody = null) => IfMatch ?? fromBody;

    /// <summary>412 for a change whose If-Match named an old version (HTTP's precondition).</summary>
    /// <remarks>With the current ETag as a member (and in the ETag header, when the version is known) and who changed it last.</remarks>
    public static PreconditionFailedProblem StalePrecondition(Note? reason, int? currentVersion, string? changedBy = null, DateTimeOffset? changedAt = null) =>
        new(reason ?? Note.Of("api.if_match_not_current"), new Dictionary<string, object?>
        {
            ["currentVersion"] = currentVersion, ["currentETag"] = currentVersion is { } v ? $"\"{v}\"" : null,
            ["changedBy"] = changedBy, ["changedAt"] = changedAt,
        })
        { CurrentVersion = currentVersion };

    /// <summary>The author: the signed-in user; else the body's, else the X-Barrio-User header, else "anonymous".</summary>
    public string Author(string? fromBody = null) =>
        SignedIn ? User! : !string.IsNullOrWhiteSpace(fromBody) ? fromBody : User ?? Anonymous;
}
