using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Who makes a change and from which version, as the request's headers say: <c>If-Match: "3"</c> and
/// <c>X-Barrio-User</c>. Bound once for every handler that edits (a parameter of this type); values in the body win.
/// </summary>
/// <param name="IfMatch">The version named by If-Match (<c>"3"</c>, <c>W/"3"</c> or <c>3</c>); null when absent or not a version.</param>
/// <param name="User">The X-Barrio-User header; null when absent or blank.</param>
/// <param name="SignedIn">The user is the signed-in one: neither the header nor the body can name another author.</param>
public sealed record EditContext(int? IfMatch, string? User, bool SignedIn = false) : IEndpointParameterMetadataProvider
{
    /// <summary>Marks a route that reads these headers, so the OpenAPI document lists them.</summary>
    public sealed class Headers;

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) => builder.Metadata.Add(new Headers());

    public const string UserHeader = "X-Barrio-User";

    /// <summary>Who signs a change when nobody says (there is no sign-in yet).</summary>
    public const string Anonymous = "anonymous";

    /// <summary>Minimal APIs call this to bind a parameter of this type.</summary>
    public static ValueTask<EditContext?> BindAsync(HttpContext http)
    {
        var context = From(http.Request);
        // Signed in: the author is the account's name, whatever X-Barrio-User or the body say.
        if (http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name }) context = context with { User = name, SignedIn = true };
        return ValueTask.FromResult<EditContext?>(context);
    }

    public static EditContext From(HttpRequest request)
    {
        var tag = request.Headers.IfMatch.ToString().Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        tag = tag.Trim('"');
        int? version = int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
        var user = request.Headers[UserHeader].ToString().Trim();
        return new EditContext(version, user.Length > 0 ? user : null);
    }

    /// <summary>The version the change started from: If-Match, else the one the body names; null when neither does.</summary>
    public int? ExpectedVersion(int? fromBody = null) => IfMatch ?? fromBody;

    /// <summary>The author: the signed-in user; else the body's, else the X-Barrio-User header, else "anonymous".</summary>
    public string Author(string? fromBody = null) =>
        SignedIn ? User! : !string.IsNullOrWhiteSpace(fromBody) ? fromBody : User ?? Anonymous;
}
