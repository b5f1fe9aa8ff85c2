using BarrioSeguro.Geo.Core.Notes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace BarrioSeguro.Geo.Data.Accounts;

/// <summary>The outcome of a sign-in: the user, or why not.</summary>
public enum SignInResult
{
    Ok,
    /// <summary>Unknown name or wrong password (the answer does not say which).</summary>
    BadCredentials,
    /// <summary>Too many failures in a row: refused until <see cref="UserAccount.LockedUntil"/>.</summary>
    LockedOut,
    Disabled,
}

/// <summary>A user name that is taken (the service answers 409; the CLI, like any bad argument, exit 1).</summary>
public sealed class UserExistsException(string name) : ArgumentException(Note.Of("store.user_exists", ("name", name)).ToString(), nameof(name))
{
    /// <summary>The same in the reader's language (the API's 409 detail).</summary>
    public Note Reason { get; } = Note.Of("store.user_exists", ("name", name));
}

/// <summary>Accounts: create, check a password with lockout, change role, disable, revoke tokens.</summary>
public sealed partial class AccountStore(BarrioDbContext db)
{
    /// <summary>Failed sign-ins in a row that lock an account.</summary>
    public const int MaxFailedSignIns = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public static readonly TimeSpan LockoutTime = TimeSpan.FromMinutes(15);

    /// <summary>Shortest password accepted, in characters.</summary>
    public const int MinPasswordLength = 10;

    private static readonly PasswordHasher<UserAccount> Hasher = new();

    [GeneratedRegex("^[A-Za-z0-9._@-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex UbigeoPattern();

    public Task<UserAccount?> FindAsync(string name, CancellationToken ct = default) =>
        db.Users.FirstOrDefaultAsync(u => u.Name == name, ct);

    public Task<UserAccount?> FindAsync(int id, CancellationToken ct = default) =>
        db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);

    /// <summary>What every signed-in request checks of its token's user: disabled, and the token version (null: no such
    /// user). Two columns through a query compiled once, not the whole account: it runs on every request.</summary>
    public async Task<(bool Disabled, int TokenVersion)?> TokenStateAsync(int id, CancellationToken ct = default) =>
        await TokenState(db, id, ct) is { } s ? (s.Disabled, s.TokenVersion) : null;

    private sealed record TokenRow(bool Disabled, int TokenVersion);

    private static readonly Func<BarrioDbContext, int, CancellationToken, Task<TokenRow?>> TokenState =
        EF.CompileAsyncQuery((BarrioDbContext db, int id, CancellationToken ct) =>
            db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => new TokenRow(u.Disabled, u.TokenVersion)).FirstOrDefault());

    public Task<List<UserAccount>> ListAsync(CancellationToken ct = default) =>
        db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync(ct);

    public Task<bool> AnyAsync(CancellationToken ct = default) => db.Users.AnyAsync(ct);

    /// <summary>Creates a user.</summary>
    /// <exception cref="ArgumentException">A bad name, a short password, an unknown ubigeo, or the name is taken.</exception>
    public async Task<UserAccount> AddAsync(string name, string password, Role role, IReadOnlyCollection<string> districts, CancellationToken ct = default)
    {
        if (!NamePattern().IsMatch(name))
            throw new RefusalException(Note.Of("store.user_name"), nameof(name));
        CheckPassword(password);
        var ubigeos = await CheckDistrictsAsync(districts, ct);
        if (await db.Users.AnyAsync(u => u.Name == name, ct))
            throw new UserExistsException(name);
        var user = new UserAccount { Name = name, Role = role, Districts = ubigeos, CreatedAt = DateTimeOffset.UtcNow };
        user.PasswordHash = Hasher.HashPassword(user, password);
        db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>Checks a password; counts failures and locks the account after <see cref="MaxFailedSignIns"/>.</summary>
    public async Task<(SignInResult Result, UserAccount? User)> SignInAsync(string name, string password, CancellationToken ct = default)
    {
        var user = await FindAsync(name, ct);
        if (user is null)
        {
            // Same work as for a known name, so the time does not tell which names exist.
            Hasher.VerifyHashedPassword(new UserAccount { Name = name }, DummyHash, password);
            return (SignInResult.BadCredentials, null);
        }
        if (user.Disabled) return (SignInResult.Disabled, user);
        var now = DateTimeOffset.UtcNow;
        if (user.LockedUntil > now) return (SignInResult.LockedOut, user);
        var verdict = Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= MaxFailedSignIns)
            {
                user.LockedUntil = now + LockoutTime;
                user.FailedSignIns = 0;
            }
            await db.SaveChangesAsync(ct);
            return (user.LockedUntil > now ? SignInResult.LockedOut : SignInResult.BadCredentials, user);
        }
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = Hasher.HashPassword(user, password);
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);
        return (SignInResult.Ok, user);
    }

    /// <summary>Changes role and districts; tokens issued before stop working.</summary>
    public async Task<UserAccount> SetRoleAsync(string name, Role role, IReadOnlyCollection<string> districts, CancellationToken ct = default)
    {
        var user = await Existing(name, ct);
        user.Districts = await CheckDistrictsAsync(districts, ct);
        user.Role = role;
        user.TokenVersion++;
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>Disables an account; its tokens stop working and it cannot sign in.</summary>
    public async Task<UserAccount> DisableAsync(string name, CancellationToken ct = default)
    {
        var user = await Existing(name, ct);
        user.Disabled = true;
        user.TokenVersion++;
        await db.SaveChangesAsync(ct);
        return user;
    }

    /// <summary>Revokes every token of the user (sign-out everywhere).</summary>
    public async Task RevokeAsync(int id, CancellationToken ct = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return;
        user.TokenVersion++;
        await db.SaveChangesAsync(ct);
    }

    public static void CheckPassword(string password)
    {
        if (password.Length < MinPasswordLength)
            throw new RefusalException(Note.Of("store.password_short", ("min", MinPasswordLength)), nameof(password));
    }

    private async Task<UserAccount> Existing(string name, CancellationToken ct) =>
        await FindAsync(name, ct) ?? throw new RefusalException(Note.Of("store.no_user", ("name", name)), nameof(name));

    private async Task<string[]> CheckDistrictsAsync(IReadOnlyCollection<string> districts, CancellationToken ct)
    {
        var ubigeos = districts.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (var u in ubigeos)
            if (!UbigeoPattern().IsMatch(u)) throw new RefusalException(Note.Of("store.not_ubigeo", ("value", u)), "district");
        var known = await db.Districts.Where(d => ubigeos.Contains(d.Ubigeo)).Select(d => d.Ubigeo).ToListAsync(ct);
        var unknown = ubigeos.Except(known).FirstOrDefault();
        if (unknown is not null) throw new RefusalException(Note.Of("store.unknown_ubigeo", ("ubigeo", unknown)), "district");
        return ubigeos;
    }

    private static readonly string DummyHash = Hasher.HashPassword(new UserAccount { Name = "-" }, Guid.NewGuid().ToString());

    /// <summary>Parses a role name (viewer, planner, chief, gis, admin).</summary>
    public static Role ParseRole(string text) =>
        Enum.TryParse<Role>(text, ignoreCase: true, out var role) && Enum.IsDefined(role) && !int.TryParse(text, out _)
            ? role
            : throw new RefusalException(Note.Of("store.unknown_role", ("role", text)), "role");
}
