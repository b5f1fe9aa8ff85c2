using System.Security.Claims;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>The claims of a token and the signed-in user they describe.</summary>
public static class BarrioClaims
{
    public const string Id = "sub";
    public const string Name = "name";
    public const string Role = "role";
    /// <summary>One claim per ubigeo; none for all of Peru.</summary>
    public const string District = "district";
    public const string TokenVersion = "ver";
    public const string Issuer = "barrioseguro-geo";

    public static bool IsSignedIn(this ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;

    public static Role? RoleOf(this ClaimsPrincipal user) =>
        user.IsSignedIn() && Enum.TryParse<Role>(user.FindFirst(Role)?.Value, ignoreCase: true, out var r) ? r : null;

    public static IReadOnlyList<string> DistrictsOf(this ClaimsPrincipal user) =>
        user.FindAll(District).Select(c => c.Value).ToList();

    /// <summary>True when the user may act on the district (always for a user of all of Peru).</summary>
    public static bool Covers(this ClaimsPrincipal user, string ubigeo)
    {
        var districts = user.DistrictsOf();
        return districts.Count == 0 || districts.Contains(ubigeo, StringComparer.Ordinal);
    }
}

/// <summary>Issues the signed bearer tokens of <c>POST /api/auth/token</c>.</summary>
public sealed class TokenIssuer(SigningKey key, IOptions<AuthOptions> options, TimeProvider clock)
{
    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.TokenMinutes);

    /// <summary>A token for the user, valid for <paramref name="lifetime"/> (default: the configured one).</summary>
    public string Issue(UserAccount user, TimeSpan? lifetime = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var valid = lifetime ?? Lifetime;
        var claims = new List<Claim>
        {
            new(BarrioClaims.Id, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(BarrioClaims.Name, user.Name),
            new(BarrioClaims.Role, user.Role.ToString().ToLowerInvariant()),
            new(BarrioClaims.TokenVersion, user.TokenVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        claims.AddRange(user.Districts.Select(d => new Claim(BarrioClaims.District, d)));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = BarrioClaims.Issuer,
            Audience = BarrioClaims.Issuer,
            Subject = new ClaimsIdentity(claims),
            // A token issued already expired (tests) must still have nbf before exp.
            NotBefore = valid > TimeSpan.Zero ? now : now + valid - TimeSpan.FromMinutes(1),
            IssuedAt = valid > TimeSpan.Zero ? now : now + valid - TimeSpan.FromMinutes(1),
            Expires = now + valid,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }
}
