using System.Security.Claims;
using System.Text.Json.Serialization;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>Sign-in for the viewer, scripts, GDAL and QGIS: a bearer token for a user name and password.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("Sign-in");
        group.MapPost("/token", Token)
            .WithSummary("A bearer token for {\"username\", \"password\"}: send it as Authorization: Bearer TOKEN. Locked for 15 minutes after 5 failures in a row.");
        group.MapPost("/revoke", Revoke).WithSummary("Signs out: every token of the signed-in user stops working.");
        group.MapGet("/me", Me).WithSummary("The signed-in user: name, role and districts (empty: all of Peru).");
        return app;
    }

    public sealed record TokenRequest(string? Username, string? Password);

    public sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("username")] string Username,
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("districts")] IReadOnlyList<string> Districts);

    public sealed record SignedInUser(string Name, string Role, IReadOnlyList<string> Districts);

    public static async Task<Results<Ok<TokenResponse>, BadRequestProblem, UnauthorizedProblem>> Token(
        TokenRequest request, AccountStore accounts, TokenIssuer tokens, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Username) || string.IsNullOrEmpty(request.Password))
            return new BadRequestProblem("Missing credentials", Note.Of("auth.credentials_missing"));
        if (request.Username.Length > 64 || request.Password.Length > 1024)
            return new UnauthorizedProblem(Note.Of("auth.wrong_password"));
        var (result, user) = await accounts.SignInAsync(request.Username, request.Password, ct);
        return result switch
        {
            SignInResult.Ok => TypedResults.Ok(new TokenResponse(tokens.Issue(user!), "Bearer", (int)tokens.Lifetime.TotalSeconds,
                user!.Name, user.Role.ToString().ToLowerInvariant(), user.Districts)),
            SignInResult.LockedOut => new UnauthorizedProblem(Note.Of("auth.locked_out", ("minutes", AccountStore.LockoutTime.TotalMinutes))),
            // A disabled account is answered like a wrong password: the answer does not tell which accounts exist.
            _ => new UnauthorizedProblem(Note.Of("auth.wrong_password")),
        };
    }

    public static async Task<NoContent> Revoke(ClaimsPrincipal user, AccountStore accounts, TokenStates states, CancellationToken ct)
    {
        if (int.TryParse(user.FindFirst(BarrioClaims.Id)?.Value, System.Globalization.CultureInfo.InvariantCulture, out var id))
        {
            await accounts.RevokeAsync(id, ct);
            states.Forget(id); // at once here; other services hear it from PostgreSQL
        }
        return TypedResults.NoContent();
    }

    public static Ok<SignedInUser> Me(ClaimsPrincipal user) => TypedResults.Ok(new SignedInUser(
        user.FindFirst(BarrioClaims.Name)?.Value ?? "", user.FindFirst(BarrioClaims.Role)?.Value ?? "", user.DistrictsOf()));
}
