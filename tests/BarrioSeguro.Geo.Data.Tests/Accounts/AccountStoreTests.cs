using BarrioSeguro.Geo.Core.Domain;
using BarrioSeguro.Geo.Core.Notes;
using BarrioSeguro.Geo.Data.Accounts;
using NetTopologySuite.Geometries;
using Xunit;

namespace BarrioSeguro.Geo.Data.Tests.Accounts;

[Collection(PostgisCollection.Name)]
public class AccountStoreTests(PostgisFixture postgis)
{
    private const string Password = "correct horse battery";

    private async Task<string> NewDatabase()
    {
        var cs = await postgis.CreateDatabaseAsync("accounts");
        await BarrioDatabase.MigrateAsync(cs);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        db.Districts.Add(new District
        {
            Ubigeo = "130101", Name = "Trujillo",
            Boundary = (MultiPolygon)TestGeometry.Wkt("MULTIPOLYGON(((-79.1 -8.2,-78.9 -8.2,-78.9 -8.0,-79.1 -8.0,-79.1 -8.2)))"),
        });
        await db.SaveChangesAsync();
        return cs;
    }

    [SkippableFact]
    public async Task A_user_signs_in_with_the_password_which_is_kept_only_as_a_hash()
    {
        var cs = await NewDatabase();
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store = new AccountStore(db);
        await store.AddAsync("ana", Password, Role.Planner, ["130101"]);

        await using var fresh = new BarrioDbContext(BarrioDatabase.Options(cs));
        var stored = await new AccountStore(fresh).FindAsync("ana");
        Assert.DoesNotContain(Password, stored!.PasswordHash);
        Assert.Equal(["130101"], stored.Districts);
        Assert.Equal(Role.Planner, stored.Role);
        Assert.Equal(SignInResult.Ok, (await new AccountStore(fresh).SignInAsync("ana", Password)).Result);
        Assert.Equal(SignInResult.BadCredentials, (await new AccountStore(fresh).SignInAsync("ana", "wrong password")).Result);
        Assert.Equal(SignInResult.BadCredentials, (await new AccountStore(fresh).SignInAsync("nobody", Password)).Result);
    }

    [SkippableFact]
    public async Task Repeated_failures_lock_the_account_even_against_the_right_password()
    {
        var cs = await NewDatabase();
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store = new AccountStore(db);
        await store.AddAsync("beto", Password, Role.Viewer, []);
        for (var i = 1; i < AccountStore.MaxFailedSignIns; i++)
            Assert.Equal(SignInResult.BadCredentials, (await store.SignInAsync("beto", "wrong password")).Result);

        Assert.Equal(SignInResult.LockedOut, (await store.SignInAsync("beto", "wrong password")).Result);
        Assert.Equal(SignInResult.LockedOut, (await store.SignInAsync("beto", Password)).Result);
    }

    [SkippableFact]
    public async Task Role_change_disable_and_revoke_bump_the_token_version()
    {
        var cs = await NewDatabase();
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store = new AccountStore(db);
        var user = await store.AddAsync("carla", Password, Role.Viewer, []);
        var first = user.TokenVersion;

        await store.SetRoleAsync("carla", Role.Chief, ["130101"]);
        await store.RevokeAsync(user.Id);
        await store.DisableAsync("carla");

        await using var fresh = new BarrioDbContext(BarrioDatabase.Options(cs));
        var stored = await new AccountStore(fresh).FindAsync("carla");
        Assert.Equal(first + 3, stored!.TokenVersion);
        Assert.Equal(Role.Chief, stored.Role);
        Assert.True(stored.Disabled);
        Assert.Equal(SignInResult.Disabled, (await new AccountStore(fresh).SignInAsync("carla", Password)).Result);
    }

    [SkippableFact]
    public async Task Bad_names_short_passwords_unknown_districts_and_taken_names_are_refused()
    {
        var cs = await NewDatabase();
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var store = new AccountStore(db);
        await store.AddAsync("dora", Password, Role.Gis, []);

        Assert.Contains("exists", (await Assert.ThrowsAsync<UserExistsException>(() => store.AddAsync("dora", Password, Role.Gis, []))).Message);
        // Refusals are notes (RefusalException, an ArgumentException): the API says them in the reader's language.
        var shortPassword = await Assert.ThrowsAsync<RefusalException>(() => store.AddAsync("eva", "short", Role.Gis, []));
        Assert.Contains("10 characters", shortPassword.Reason.English);
        Assert.Equal("store.password_short", shortPassword.Reason.Code);
        Assert.Contains("150101", (await Assert.ThrowsAsync<RefusalException>(() => store.AddAsync("eva", Password, Role.Gis, ["150101"]))).Message);
        Assert.Equal("store.user_name", (await Assert.ThrowsAsync<RefusalException>(() => store.AddAsync("eva; drop table users", Password, Role.Gis, []))).Reason.Code);
        Assert.Equal("store.unknown_role", Assert.Throws<RefusalException>(() => AccountStore.ParseRole("root")).Reason.Code);
        Assert.Throws<RefusalException>(() => AccountStore.ParseRole("3"));
        Assert.Equal(Role.Gis, AccountStore.ParseRole("GIS"));
    }
}
