using System.Net;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Api.Hosting;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Auth;

/// <summary>
/// The token state kept between requests (issue 15.5): it is really kept, and a change made anywhere (here SQL on the
/// users table, as <c>barrio user disable</c> or psql would) ends the user's tokens on the next requests.
/// </summary>
[Collection(ApiCollection.Name)]
public class TokenStateTests(ApiFixture api)
{
    [SkippableFact]
    public async Task A_kept_state_is_dropped_when_the_account_changes_in_the_database()
    {
        var states = api.Factory!.Services.GetRequiredService<TokenStates>();
        await ApiFixture.UntilAsync(() => Task.FromResult(states.Listening), "the service never listened to the token state notices");
        var user = await api.AddUserAsync("kept-state-gis", Role.Gis, []);
        var client = api.ClientWithToken(await api.SignInAsync(user.Name));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
        Assert.True(states.TryGet(user.Id, out var kept), "the state read for the request was not kept");
        Assert.False(kept.Disabled);

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        // Disabled behind the notices' back (their triggers off for the statement): the kept state still lets it in...
        await ApiFixture.ExecuteAsync(connection, $"BEGIN; ALTER TABLE users DISABLE TRIGGER users_token_state_change; UPDATE users SET disabled = true WHERE id = {user.Id}; ALTER TABLE users ENABLE TRIGGER users_token_state_change; COMMIT;");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
        // ...and a change PostgreSQL announces ends the token: the token version bumped in SQL, as the CLI does.
        await ApiFixture.ExecuteAsync(connection, $"UPDATE users SET token_version = token_version + 1 WHERE id = {user.Id}");
        await ApiFixture.UntilAsync(async () => (await client.GetAsync("/api/auth/me")).StatusCode == HttpStatusCode.Unauthorized, "the revoked token still signs in");
        if (states.TryGet(user.Id, out var now)) Assert.NotEqual(kept.TokenVersion, now.TokenVersion);
    }

    [SkippableFact]
    public async Task A_sign_out_through_the_service_ends_the_token_at_once()
    {
        var user = await api.AddUserAsync("kept-state-chief", Role.Chief, []);
        var client = api.ClientWithToken(await api.SignInAsync(user.Name));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/auth/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public void Every_kept_state_is_heard_by_one_listener()
    {
        var services = new ServiceCollection().AddAnnounced<TokenStates>().AddAnnounced<DataVersions>().AddAnnounced<TokenStates>();
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(NoticeListener));
        Assert.Single(services, d => d.ServiceType == typeof(TokenStates));
        using var provider = services.BuildServiceProvider();
        var heard = provider.GetServices<IAnnounced>().ToList();
        Assert.Equal(2, heard.Count);
        Assert.Same(provider.GetRequiredService<TokenStates>(), heard.OfType<TokenStates>().Single());
        Assert.Same(provider.GetRequiredService<DataVersions>(), heard.OfType<DataVersions>().Single());
    }

    [Fact]
    public void A_read_begun_before_a_change_is_not_kept_after_it()
    {
        var states = new TokenStates();
        states.Keep(1, (false, 1), states.Generation);
        Assert.False(states.TryGet(1, out _)); // nothing is kept while no one listens
        states.SetListening(true);
        var before = states.Generation;
        states.Forget(1); // the change arrives while the read is on its way
        states.Keep(1, (false, 1), before);
        Assert.False(states.TryGet(1, out _));
        states.Keep(1, (false, 2), states.Generation);
        Assert.True(states.TryGet(1, out var kept));
        Assert.Equal(2, kept.TokenVersion);
        states.SetListening(false); // the listener lost: everything kept goes
        states.SetListening(true);
        Assert.False(states.TryGet(1, out _));
    }
}
