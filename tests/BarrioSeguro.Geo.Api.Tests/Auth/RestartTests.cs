using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Auth;

/// <summary>
/// The service restarted on the same data, as <c>./barrio up</c> runs it on an external database (BARRIO_DB): the
/// signing key kept in the private data folder lets tokens live on, revocations stay, and the first admin is made once.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RestartTests(ApiFixture api) : IDisposable
{
    private readonly string _secrets = Path.Combine(Path.GetTempPath(), "barrio-secrets-" + Guid.NewGuid().ToString("N")[..8]);

    private WebApplicationFactory<Program> Service(string connectionString, string secrets, bool firstAdmin = false) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("Barrio:ConnectionString", connectionString);
            web.UseSetting("Barrio:LoadSampleData", "false");
            web.UseSetting("Barrio:Auth:SecretsDirectory", secrets);
            web.UseSetting("Barrio:Auth:CreateFirstAdmin", firstAdmin ? "true" : "false");
        });

    private static async Task<string> SignIn(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = name, password = ApiFixture.Password });
        response.EnsureSuccessStatusCode();
        return (await ApiFixture.JsonOf(response)).GetProperty("access_token").GetString()!;
    }

    private static async Task<HttpResponseMessage> Me(WebApplicationFactory<Program> service, string token)
    {
        var client = service.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.GetAsync("/api/auth/me");
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task After_a_restart_on_the_same_data_a_token_still_works_and_a_revoked_one_still_fails()
    {
        api.Require();
        var kept = $"kept-{Guid.NewGuid().ToString("N")[..6]}";
        var revoked = $"revoked-{Guid.NewGuid().ToString("N")[..6]}";
        await api.AddUserAsync(kept, Role.Viewer, []);
        await api.AddUserAsync(revoked, Role.Viewer, []);

        string keptToken, revokedToken;
        await using (var first = Service(api.ConnectionString, _secrets))
        {
            keptToken = await SignIn(first.CreateClient(), kept);
            revokedToken = await SignIn(first.CreateClient(), revoked);
            var client = first.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", revokedToken);
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/revoke", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Me(first, keptToken)).StatusCode);
        }
        var keyFile = Path.Combine(_secrets, SigningKey.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));

        await using (var second = Service(api.ConnectionString, _secrets))
        {
            var me = await Me(second, keptToken);
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            Assert.Equal(kept, (await ApiFixture.JsonOf(me)).GetProperty("name").GetString());
            var refused = await Me(second, revokedToken);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("auth.token_revoked", (await ApiFixture.JsonOf(refused)).GetProperty("code").GetString());
        }

        // The key is what carries them: a service with another secrets folder knows none of these tokens.
        await using var other = Service(api.ConnectionString, _secrets + "-other");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Me(other, keptToken)).StatusCode);
    }

    [SkippableFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_key_file_readable_by_others_is_made_0600_before_use()
    {
        api.Require();
        Directory.CreateDirectory(_secrets);
        var keyFile = Path.Combine(_secrets, SigningKey.FileName);
        await File.WriteAllTextAsync(keyFile, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using var service = Service(api.ConnectionString, _secrets);
        var name = $"mode-{Guid.NewGuid().ToString("N")[..6]}";
        await api.AddUserAsync(name, Role.Viewer, []);
        Assert.Equal(HttpStatusCode.OK, (await Me(service, await SignIn(service.CreateClient(), name))).StatusCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
    }

    [SkippableFact]
    public async Task An_external_database_with_no_user_gets_the_first_admin_once_as_barrio_up_asks()
    {
        api.Require();
        var cs = await api.Postgis.CreateDatabaseAsync("firstadminexternal");
        async Task<List<UserAccount>> Users()
        {
            await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
            return await db.Users.AsNoTracking().ToListAsync();
        }

        await using (var up = Service(cs, _secrets, firstAdmin: true))
            Assert.Equal(HttpStatusCode.OK, (await up.CreateClient().GetAsync("/api")).StatusCode);
        var users = await Users();
        Assert.Equal([(FirstAdmin.Name, Role.Admin)], users.Select(u => (u.Name, u.Role)));

        // Started again: nobody new, the admin's password unchanged.
        await using (var again = Service(cs, _secrets, firstAdmin: true))
            Assert.Equal(HttpStatusCode.OK, (await again.CreateClient().GetAsync("/api")).StatusCode);
        Assert.Equal([(users[0].Id, users[0].PasswordHash)], (await Users()).Select(u => (u.Id, u.PasswordHash)));

        // Without the setting (a database configured by hand or for tests), no account is made.
        var bare = await api.Postgis.CreateDatabaseAsync("nofirstadmin");
        await using (var plain = Service(bare, _secrets))
            Assert.Equal(HttpStatusCode.OK, (await plain.CreateClient().GetAsync("/api")).StatusCode);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(bare));
        Assert.Equal(0, await db.Users.CountAsync());
    }

    public void Dispose()
    {
        foreach (var folder in new[] { _secrets, _secrets + "-other" })
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
