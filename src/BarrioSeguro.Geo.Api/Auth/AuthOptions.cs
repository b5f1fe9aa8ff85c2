namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>Settings of sign-in, section "Barrio:Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Barrio:Auth";

    /// <summary>
    /// The key tokens are signed with, base64 (at least 32 bytes). When empty: a key generated once and kept in
    /// <see cref="SecretsDirectory"/>, else one for the life of the process.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>
    /// The private data folder where the generated signing key is kept (mode 0600), so tokens outlive a restart of the
    /// service. Default: the folder above Barrio:LocalDatabaseDirectory (<c>.barrio/</c>); <c>./barrio up</c> sets it
    /// to <c>.barrio/</c> for an external database (BARRIO_DB) too.
    /// </summary>
    public string? SecretsDirectory { get; set; }

    /// <summary>
    /// Create the admin account when the database has no user at all, and print how to sign in. Default: only on the
    /// private server; <c>./barrio up</c> turns it on for an external database too.
    /// </summary>
    public bool? CreateFirstAdmin { get; set; }

    /// <summary>How long a token is valid, in minutes.</summary>
    public int TokenMinutes { get; set; } = 60;
}
