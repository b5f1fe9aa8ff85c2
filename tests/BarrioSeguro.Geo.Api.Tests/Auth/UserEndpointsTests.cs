using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Auth;

/// <summary>/api/users: the accounts for admins, through the same store as barrio user; audited, no hashes.</summary>
[Collection(ApiCollection.Name)]
public class UserEndpointsTests(ApiFixture api)
{
    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<int> UserCount()
    {
        await using var scope = api.Require().Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BarrioDbContext>().Users.CountAsync();
    }

    private async Task<string> UbigeoOfMilagro()
    {
        var milagro = await api.MilagroIdAsync();
        await using var scope = api.Require().Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<BarrioDbContext>().Neighborhoods.Where(n => n.Id == milagro).Select(n => n.DistrictUbigeo).SingleAsync())!;
    }

    [SkippableFact]
    public async Task An_admin_creates_lists_changes_and_disables_a_user_and_each_change_is_audited()
    {
        var admin = api.Client();
        var name = Unique("ana.");
        var ubigeo = await UbigeoOfMilagro();

        var created = await admin.PostAsJsonAsync("/api/users", new { name, password = "a long password", role = "planner", districts = new[] { ubigeo } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/users/{name}", created.Headers.Location!.ToString());
        var body = await ApiFixture.JsonOf(created);
        Assert.Equal("planner", body.GetProperty("role").GetString());
        Assert.Equal([ubigeo], body.GetProperty("districts").EnumerateArray().Select(d => d.GetString()));

        // The new account signs in with its password; its token carries its role.
        var token = await api.SignInAsync(name, "a long password");
        var me = await ApiFixture.JsonOf(await api.ClientWithToken(token).GetAsync("/api/auth/me"));
        Assert.Equal("planner", me.GetProperty("role").GetString());

        // Listed, never with its password hash (nor any other account's).
        var listText = await admin.GetStringAsync("/api/users");
        var list = JsonDocument.Parse(listText).RootElement;
        Assert.Contains(list.EnumerateArray(), u => u.GetProperty("name").GetString() == name && !u.GetProperty("disabled").GetBoolean());
        string hash;
        await using (var scope = api.Require().Services.CreateAsyncScope())
            hash = (await scope.ServiceProvider.GetRequiredService<AccountStore>().FindAsync(name))!.PasswordHash;
        Assert.DoesNotContain(hash, listText);
        Assert.DoesNotContain("hash", listText, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(hash, await admin.GetStringAsync($"/api/users/{name}"));

        // The CLI reads the same accounts.
        var stdout = new StringWriter();
        Assert.Equal(0, BarrioSeguro.Geo.Cli.Program.Run(["user", "list", "--db", api.ConnectionString], stdout, new StringWriter()));
        Assert.Contains(name, stdout.ToString());

        // A new role ends the older token.
        var role = await admin.PutAsJsonAsync($"/api/users/{name}/role", new { role = "chief" });
        Assert.Equal(HttpStatusCode.OK, role.StatusCode);
        var changed = await ApiFixture.JsonOf(role);
        Assert.Equal("chief", changed.GetProperty("role").GetString());
        Assert.Equal(0, changed.GetProperty("districts").GetArrayLength());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(token).GetAsync("/api/auth/me")).StatusCode);
        var token2 = await api.SignInAsync(name, "a long password");

        // Disabled: its token ends and it cannot sign in.
        var disabled = await admin.PostAsync($"/api/users/{name}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await ApiFixture.JsonOf(disabled)).GetProperty("disabled").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(token2).GetAsync("/api/auth/me")).StatusCode);
        using var anonymous = api.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/token", new { username = name, password = "a long password" })).StatusCode);

        // Every change names its author and the account in the audit trail.
        var audit = await ApiFixture.JsonOf(await admin.GetAsync($"/api/audit?resourceKind=users&resourceId={name}"));
        var actions = audit.GetProperty("entries").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), User: e.GetProperty("user").GetString(), Status: e.GetProperty("status").GetInt32())).ToList();
        Assert.Contains(("POST /api/users/", ApiFixture.AdminName, 201), actions); // the audit keeps a group root with its slash
        Assert.Contains(("PUT /api/users/{name}/role", ApiFixture.AdminName, 200), actions);
        Assert.Contains(("POST /api/users/{name}/disable", ApiFixture.AdminName, 200), actions);
    }

    // The reason is asked in English (lang=en); its note's code is the same in any language.
    public static TheoryData<string, string, string, string> BadBodies() => new()
    {
        { """{"password":"a long password","role":"viewer"}""", "name", "name", "api.body_needs" },
        { """{"name":"has space","password":"a long password","role":"viewer"}""", "name", "letters", "store.user_name" },
        { """{"name":"NAME","password":"short","role":"viewer"}""", "password", "at least 10", "store.password_short" },
        { """{"name":"NAME","password":"a long password","role":"sheriff"}""", "role", "sheriff", "store.unknown_role" },
        { """{"name":"NAME","password":"a long password","role":"viewer","districts":["13010"]}""", "district", "13010", "store.not_ubigeo" },
        { """{"name":"NAME","password":"a long password","role":"viewer","districts":["999999"]}""", "district", "999999", "store.unknown_ubigeo" },
        { """{"name":"NAME","password":"a long password","role":"viewer","districts":[null]}""", "district", "ubigeo", "store.district_null" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_account_is_refused_with_422_naming_the_member_and_nothing_is_written(string json, string parameter, string reason, string code)
    {
        var before = await UserCount();
        var response = await api.Client().PostAsync("/api/users?lang=en", new StringContent(json.Replace("NAME", Unique("bad.")), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ApiFixture.JsonOf(response);
        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
        Assert.Contains(reason, problem.GetProperty("detail").GetString());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.Equal(before, await UserCount());
    }

    [SkippableFact]
    public async Task A_taken_name_is_409_and_an_unknown_one_404_and_an_admin_cannot_lock_itself_out()
    {
        var admin = api.Client();
        var name = Unique("beto.");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/users", new { name, password = "a long password", role = "viewer" })).StatusCode);
        var again = await admin.PostAsJsonAsync("/api/users?lang=en", new { name, password = "another password", role = "admin" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("exists already", (await ApiFixture.JsonOf(again)).GetProperty("detail").GetString());
        Assert.Equal("store.user_exists", (await ApiFixture.JsonOf(again)).GetProperty("code").GetString());
        await using (var scope = api.Require().Services.CreateAsyncScope())
            Assert.Equal(Role.Viewer, (await scope.ServiceProvider.GetRequiredService<AccountStore>().FindAsync(name))!.Role);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/users/{Unique("nobody.")}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"/api/users/{Unique("nobody.")}/role", new { role = "chief" })).StatusCode);
        var unknownRole = await admin.PutAsJsonAsync($"/api/users/{name}/role", new { role = "5" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownRole.StatusCode);
        Assert.Equal("role", (await ApiFixture.JsonOf(unknownRole)).GetProperty("parameter").GetString());

        // An admin of its own: neither disabled nor demoted through the API.
        var self = Unique("root.");
        await api.AddUserAsync(self, Role.Admin, []);
        var own = api.ClientWithToken(await api.SignInAsync(self));
        Assert.Equal(HttpStatusCode.Conflict, (await own.PostAsync($"/api/users/{self}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await own.PutAsJsonAsync($"/api/users/{self}/role", new { role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync("/api/auth/me")).StatusCode);
    }
}
