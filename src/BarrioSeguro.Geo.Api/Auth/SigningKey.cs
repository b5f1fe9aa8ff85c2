using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>The HMAC key tokens are signed with: configured, or generated once and kept in the private data folder.</summary>
public sealed class SigningKey
{
    public const string FileName = "token-signing.key";

    public SigningKey(IOptions<AuthOptions> auth, IOptions<BarrioOptions> barrio, ILogger<SigningKey> log)
    {
        byte[] bytes;
        if (auth.Value.SigningKey is { Length: > 0 } configured)
        {
            bytes = Convert.FromBase64String(configured);
            if (bytes.Length < 32) throw new InvalidOperationException("Barrio:Auth:SigningKey must be at least 32 bytes (base64).");
        }
        else if (Folder(auth.Value, barrio.Value) is { } folder)
        {
            bytes = LoadOrCreate(Path.Combine(folder, FileName), log);
        }
        else
        {
            // No place to keep it: tokens end with the process.
            log.LogInformation("No Barrio:Auth:SigningKey and no private data folder: tokens are valid until the service stops.");
            bytes = RandomNumberGenerator.GetBytes(32);
        }
        Key = new SymmetricSecurityKey(bytes);
    }

    public SymmetricSecurityKey Key { get; }

    /// <summary>Where the generated key is kept: Barrio:Auth:SecretsDirectory, else the folder above the private server's.</summary>
    public static string? Folder(AuthOptions auth, BarrioOptions barrio) =>
        auth.SecretsDirectory is { Length: > 0 } secrets ? Path.GetFullPath(secrets)
        : barrio.LocalDatabaseDirectory is { Length: > 0 } pgdata ? Path.GetDirectoryName(Path.GetFullPath(pgdata.TrimEnd('/')))
        : null;

    private static byte[] LoadOrCreate(string path, ILogger log)
    {
        if (File.Exists(path))
        {
            // Whoever reads the key can sign tokens as anyone: readable by the service's account alone.
            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & ~(UnixFileMode.UserRead | UnixFileMode.UserWrite)) != 0)
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                log.LogWarning("{Path} was readable by other accounts: now 0600.", path);
            }
            var kept = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (kept.Length < 32) throw new InvalidOperationException($"{path} holds a key under 32 bytes: remove it to make a new one.");
            return kept;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = RandomNumberGenerator.GetBytes(32);
        // Readable by the service's account alone.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
            writer.Write(Convert.ToBase64String(bytes));
        return bytes;
    }
}
