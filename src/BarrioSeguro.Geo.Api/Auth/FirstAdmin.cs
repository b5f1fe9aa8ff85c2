using System.Security.Cryptography;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.Extensions.Options;

namespace BarrioSeguro.Geo.Api.Auth;

/// <summary>
/// <c>./barrio up</c> on a fresh machine: the private database has no user yet, so an admin is created once, with the
/// password of BARRIO_ADMIN_PASSWORD or a random one printed once, and the console says how to sign in.
/// </summary>
public static class FirstAdmin
{
    public const string Name = "admin";
    public const string PasswordVariable = "BARRIO_ADMIN_PASSWORD";

    public static async Task CreateFirstAdminAsync(this WebApplication app, CancellationToken ct = default)
    {
        if (!Wanted(app.Services.GetRequiredService<IOptions<AuthOptions>>().Value, app.Services.GetRequiredService<IOptions<BarrioOptions>>().Value)) return;
        await using var scope = app.Services.CreateAsyncScope();
        await EnsureAsync(scope.ServiceProvider.GetRequiredService<AccountStore>(), Environment.GetEnvironmentVariable(PasswordVariable), Console.Out, ct);
    }

    /// <summary>
    /// Whether to create it: as Barrio:Auth:CreateFirstAdmin says (./barrio up: always), else only for the private
    /// server; a database configured for tests or by hand gets its users from <c>barrio user add</c>.
    /// </summary>
    public static bool Wanted(AuthOptions auth, BarrioOptions barrio) =>
        auth.CreateFirstAdmin ?? !string.IsNullOrEmpty(barrio.LocalDatabaseDirectory);

    /// <summary>Creates the admin when there is no user at all; says how to sign in. False when users exist already.</summary>
    public static async Task<bool> EnsureAsync(AccountStore accounts, string? given, TextWriter output, CancellationToken ct = default)
    {
        if (await accounts.AnyAsync(ct)) return false;
        var password = string.IsNullOrEmpty(given) ? RandomPassword() : given;
        try
        {
            await accounts.AddAsync(Name, password, Role.Admin, [], ct);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"{PasswordVariable}: {e.Message.Split(" (Parameter")[0]}", e);
        }
        output.WriteLine(string.IsNullOrEmpty(given)
            ? $"Created the admin account '{Name}' with the password  {password}  (shown only this once: keep it, or set {PasswordVariable} before the first ./barrio up)."
            : $"Created the admin account '{Name}' with the password of {PasswordVariable}.");
        output.WriteLine($"Sign in on the viewer's top bar, or: curl -X POST -H 'Content-Type: application/json' -d '{{\"username\":\"{Name}\",\"password\":\"...\"}}' http://127.0.0.1:5080/api/auth/token");
        output.WriteLine("More users: ./barrio user add NAME --role viewer|planner|chief|gis|admin [--district UBIGEO] --password-stdin");
        return true;
    }

    private static string RandomPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        return string.Create(16, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }
}
