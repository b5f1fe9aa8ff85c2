using System.Security.Claims;

namespace BarrioSeguro.Geo.Api.Http;

/// <summary>
/// Who makes a request, one answer for the audit trail and the revision author: the signed-in user's name when there
/// is one, else the X-Barrio-User header, else "anonymous".
/// </summary>
public sealed record ActingUser(string Name, string? Role, bool SignedIn)
{
    public const string UserHeader = "X-Barrio-User";

    /// <summary>Who signs a change when nobody says.</summary>
    public const string Anonymous = "anonymous";

    public static ActingUser Of(HttpContext http)
    {
        if (http.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } signedIn })
        {
            var roles = http.User.FindAll(ClaimTypes.Role).Concat(http.User.FindAll("role")).Select(c => c.Value).Distinct().ToList();
            return new ActingUser(signedIn, roles.Count > 0 ? string.Join(",", roles) : null, true);
        }
        var header = http.Request.Headers[UserHeader].ToString().Trim();
        return new ActingUser(header.Length > 0 ? header : Anonymous, null, false);
    }
}
