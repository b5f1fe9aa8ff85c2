namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>Settings of sign-in, section "Barrio:Auth".</summary>
public sealed class AuthOptions
{
    public const string Section = "Barrio:Auth";

    /// <summary>
    /// The key tokens are signed with, base64 (at least 32 bytes). When empty: a key generated once and kept in the
    /// private data folder (next to Barrio:LocalDatabaseDirectory), else one for the life of the process.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long a token is valid, in minutes.</summary>
    public int TokenMinutes { get; set; } = 60;
}
