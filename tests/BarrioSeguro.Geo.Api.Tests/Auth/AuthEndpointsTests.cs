using System.Net;
using System.Net.Http.Json;
using BarrioSeguro.Geo.Data.Accounts;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Auth;

[Collection(ApiCollection.Name)]
public class AuthEndpointsTests(ApiFixture api)
{
    [SkippableFact]
    public async Task A_token_is_a_bearer_token_that_expires_and_names_the_user()
    {
        api.Require();
        var response = await api.AnonymousClient().PostAsJsonAsync("/api/auth/token", new { username = ApiFixture.AdminName, password = ApiFixture.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await ApiFixture.JsonOf(response);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.True(body.GetProperty("expires_in").GetInt32() > 0);
        var me = await ApiFixture.JsonOf(await api.ClientWithToken(body.GetProperty("access_token").GetString()!).GetAsync("/api/auth/me"));
        Assert.Equal(ApiFixture.AdminName, me.GetProperty("name").GetString());
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [SkippableFact]
    public async Task A_wrong_password_is_a_401_problem_and_repeated_failures_lock_the_account()
    {
        api.Require();
        await api.AddUserAsync("lockme", Role.Viewer, []);
        var client = api.AnonymousClient();
        for (var i = 1; i < AccountStore.MaxFailedSignIns; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/auth/token", new { username = "lockme", password = "not the password" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        }
        var locked = await client.PostAsJsonAsync("/api/auth/token", new { username = "lockme", password = "not the password" });
        // The detail is said in the request's language (Spanish by default): its note's code says which refusal it is.
        Assert.Equal("auth.locked_out", (await ApiFixture.JsonOf(locked)).GetProperty("code").GetString());
        Assert.Contains("bloqueada", (await ApiFixture.JsonOf(locked)).GetProperty("detail").GetString());
        var right = await client.PostAsJsonAsync("/api/auth/token", new { username = "lockme", password = ApiFixture.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
    }

    [SkippableFact]
    public async Task Without_a_token_incidents_are_a_401_problem_but_base_layers_and_the_viewer_are_open()
    {
        api.Require();
        var anonymous = api.AnonymousClient();
        var incidents = await anonymous.GetAsync("/api/collections/incidents/items?limit=1");
        Assert.Equal(HttpStatusCode.Unauthorized, incidents.StatusCode);
        Assert.Equal("Bearer", incidents.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Contains("/api/auth/token", (await ApiFixture.JsonOf(incidents)).GetProperty("detail").GetString());
        Assert.Equal("auth.sign_in", (await ApiFixture.JsonOf(incidents)).GetProperty("code").GetString());
        foreach (var open in new[] { "/", "/js/main.js", "/api", "/api/collections", "/api/collections/streets/items?limit=1", "/api/collections/districts/items", "/api/collections/stations/items" })
            Assert.True((await anonymous.GetAsync(open)).StatusCode == HttpStatusCode.OK, open);
        Assert.Equal(HttpStatusCode.OK, (await api.Client().GetAsync("/api/collections/incidents/items?limit=1")).StatusCode);
    }

    [SkippableFact]
    public async Task A_revoked_token_and_the_tokens_of_a_changed_role_stop_working()
    {
        api.Require();
        await api.AddUserAsync("signout", Role.Chief, []);
        var token = await api.SignInAsync("signout");
        var other = await api.SignInAsync("signout");
        var client = api.ClientWithToken(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/revoke", null)).StatusCode);

        var after = await client.GetAsync("/api/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("auth.token_revoked", (await ApiFixture.JsonOf(after)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(other).GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(await api.ExpiredTokenAsync("signout")).GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.ClientWithToken(await api.SignInAsync("signout")).GetAsync("/api/auth/me")).StatusCode);
    }

    [SkippableFact]
    public async Task An_expired_or_forged_token_is_a_401_that_says_so()
    {
        api.Require();
        var expired = await api.ClientWithToken(await api.ExpiredTokenAsync(ApiFixture.AdminName)).GetAsync("/api/collections/incidents/items?limit=1");
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("auth.token_expired", (await ApiFixture.JsonOf(expired)).GetProperty("code").GetString());
        var token = await api.SignInAsync(ApiFixture.AdminName);
        var forged = token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.ClientWithToken(forged).GetAsync("/api/collections/incidents/items?limit=1")).StatusCode);
    }
}
