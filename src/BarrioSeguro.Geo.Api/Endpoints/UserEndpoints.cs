using System.Security.Claims;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Http;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BarrioSeguro.Geo.Api.Endpoints;

/// <summary>
/// The accounts, for admins: the same <see cref="AccountStore"/> use cases as <c>barrio user ...</c>. Password hashes
/// never leave the database; every change is audited (as every write under /api).
/// </summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/users").WithTags("Users");
        group.MapGet("/", List).WithSummary("Every account: name, role, districts (empty: all of Peru), disabled, locked until.");
        group.MapGet("/{name}", Get).WithSummary("One account.");
        group.MapPost("/", Create).WithSummary("Creates an account: {\"name\", \"password\", \"role\", \"districts\"}; 409 when the name is taken.");
        group.MapPut("/{name}/role", SetRole).WithSummary("Changes the role and districts ({\"role\", \"districts\"}); the user's older tokens stop working.");
        group.MapPost("/{name}/disable", Disable).WithSummary("Disables an account: it cannot sign in and its tokens stop working.");
        return app;
    }

    /// <summary>An account as the API shows it: never its password hash, failure count or token version.</summary>
    public sealed record UserView(int Id, string Name, string Role, IReadOnlyList<string> Districts, bool Disabled, DateTimeOffset CreatedAt, DateTimeOffset? LockedUntil);

    public sealed record NewUser(string? Name, string? Password, string? Role, IReadOnlyList<string>? Districts);

    public sealed record RoleChange(string? Role, IReadOnlyList<string>? Districts);

    public static UserView View(UserAccount u) =>
        new(u.Id, u.Name, u.Role.ToString().ToLowerInvariant(), u.Districts, u.Disabled, u.CreatedAt, u.LockedUntil > DateTimeOffset.UtcNow ? u.LockedUntil : null);

    public static async Task<Ok<List<UserView>>> List(AccountStore accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.ListAsync(ct)).Select(View).ToList());

    public static async Task<Results<Ok<UserView>, NotFoundProblem>> Get(string name, AccountStore accounts, CancellationToken ct) =>
        await accounts.FindAsync(name, ct) is { } u ? TypedResults.Ok(View(u)) : NoUser(name);

    public static async Task<Results<Created<UserView>, UnprocessableProblem, ConflictProblem>> Create(NewUser body, AccountStore accounts, CancellationToken ct)
    {
        if ((Missing(("name", body.Name), ("password", body.Password), ("role", body.Role)) ?? NullDistrict(body.Districts)) is { } missing) return missing;
        try
        {
            var role = AccountStore.ParseRole(body.Role!);
            var user = await accounts.AddAsync(body.Name!, body.Password!, role, body.Districts ?? [], ct);
            return TypedResults.Created($"/api/users/{Uri.EscapeDataString(user.Name)}", View(user));
        }
        catch (UserExistsException e)
        {
            return Problems.Conflict("Name taken", e.Reason, new Dictionary<string, object?> { ["parameter"] = "name" });
        }
        catch (RefusalException e)
        {
            return Refused(e);
        }
    }

    public static async Task<Results<Ok<UserView>, NotFoundProblem, UnprocessableProblem, ConflictProblem>> SetRole(
        string name, RoleChange body, ClaimsPrincipal me, AccountStore accounts, TokenStates states, CancellationToken ct)
    {
        if ((Missing(("role", body.Role)) ?? NullDistrict(body.Districts)) is { } missing) return missing;
        if (await accounts.FindAsync(name, ct) is null) return NoUser(name);
        try
        {
            var role = AccountStore.ParseRole(body.Role!);
            if (IsSelf(me, name) && (role != Role.Admin || body.Districts is { Count: > 0 }))
                return SelfLockout(Note.Of("auth.own_role"));
            var changed = await accounts.SetRoleAsync(name, role, body.Districts ?? [], ct);
            states.Forget(changed.Id);
            return TypedResults.Ok(View(changed));
        }
        catch (RefusalException e)
        {
            return Refused(e);
        }
    }

    public static async Task<Results<Ok<UserView>, NotFoundProblem, ConflictProblem>> Disable(
        string name, ClaimsPrincipal me, AccountStore accounts, TokenStates states, CancellationToken ct)
    {
        if (await accounts.FindAsync(name, ct) is null) return NoUser(name);
        if (IsSelf(me, name)) return SelfLockout(Note.Of("auth.own_disable"));
        var disabled = await accounts.DisableAsync(name, ct);
        states.Forget(disabled.Id);
        return TypedResults.Ok(View(disabled));
    }

    // An admin who demoted or disabled itself could leave nobody to manage the accounts: another admin (or the CLI) does it.
    private static bool IsSelf(ClaimsPrincipal me, string name) => string.Equals(me.FindFirst(BarrioClaims.Name)?.Value, name, StringComparison.Ordinal);

    private static ConflictProblem SelfLockout(Note what) => Problems.Conflict("Own account", what);

    private static NotFoundProblem NoUser(string name) => Problems.NotFound(Note.Of("api.no_user", ("name", name)));

    private static UnprocessableProblem? Missing(params (string Name, string? Value)[] members) =>
        members.FirstOrDefault(m => string.IsNullOrEmpty(m.Value)) is { Name: { } absent }
            ? Problems.Unprocessable("Refused", Note.Of("api.body_needs", ("member", absent)), new Dictionary<string, object?> { ["parameter"] = absent })
            : null;

    private static UnprocessableProblem? NullDistrict(IReadOnlyList<string>? districts) =>
        districts?.Any(d => d is null) == true
            ? Problems.Unprocessable("Refused", Note.Of("store.district_null"), new Dictionary<string, object?> { ["parameter"] = "district" })
            : null;

    private static UnprocessableProblem Refused(RefusalException e) =>
        Problems.Unprocessable("Refused", e.Reason, new Dictionary<string, object?> { ["parameter"] = e.ParamName });
}
