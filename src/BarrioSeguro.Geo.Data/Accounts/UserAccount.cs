namespace BarrioSeguro.Geo.Data.Accounts;

/// <summary>What a signed-in user may do; each role includes the reads of <see cref="Viewer"/>.</summary>
public enum Role
{
    /// <summary>Reads everything of its districts.</summary>
    Viewer,

    /// <summary>Draws neighbourhood boundaries: create, update, repair, revert, blocks.</summary>
    Planner,

    /// <summary>Contingents, sector plans, coverage, routes and field kits.</summary>
    Chief,

    /// <summary>Imports and exports of the collections.</summary>
    Gis,

    /// <summary>Users, and everything the others may do.</summary>
    Admin,
}

/// <summary>
/// A person who signs in. The password is kept only as the hash of ASP.NET Core Identity's
/// <see cref="Microsoft.AspNetCore.Identity.PasswordHasher{TUser}"/>.
/// </summary>
public sealed class UserAccount
{
    public int Id { get; set; }

    /// <summary>The sign-in name; also the author of the user's changes.</summary>
    public required string Name { get; set; }

    public string PasswordHash { get; set; } = "";

    public Role Role { get; set; }

    /// <summary>The ubigeos the user may see and change; empty for all of Peru.</summary>
    public string[] Districts { get; set; } = [];

    public bool Disabled { get; set; }

    /// <summary>Failed sign-ins in a row; reset by a good one.</summary>
    public int FailedSignIns { get; set; }

    /// <summary>Until when sign-in is refused after too many failures.</summary>
    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Named in every token; bumped by disable, role change and sign-out, so older tokens stop working.</summary>
    public int TokenVersion { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>True when the user may act on the district (always for a user of all of Peru).</summary>
    public bool Covers(string ubigeo) => Districts.Length == 0 || Districts.Contains(ubigeo, StringComparer.Ordinal);
}
