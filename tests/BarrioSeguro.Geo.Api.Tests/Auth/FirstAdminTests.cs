using System.Text.RegularExpressions;
using BarrioSeguro.Geo.Api.Auth;
using BarrioSeguro.Geo.Data;
using BarrioSeguro.Geo.Data.Accounts;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Auth;

[Collection(ApiCollection.Name)]
public class FirstAdminTests(ApiFixture api)
{
    [SkippableFact]
    public async Task A_fresh_database_gets_one_admin_whose_random_password_is_printed_once()
    {
        api.Require();
        var cs = await api.Postgis.CreateDatabaseAsync("firstadmin");
        await BarrioDatabase.MigrateAsync(cs);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var accounts = new AccountStore(db);
        var first = new StringWriter();

        Assert.True(await FirstAdmin.EnsureAsync(accounts, null, first));
        var password = Regex.Match(first.ToString(), @"password  (\S+)  ").Groups[1].Value;
        Assert.True(password.Length >= AccountStore.MinPasswordLength, first.ToString());
        Assert.Contains("/api/auth/token", first.ToString());
        Assert.Equal(SignInResult.Ok, (await accounts.SignInAsync(FirstAdmin.Name, password)).Result);

        var second = new StringWriter();
        Assert.False(await FirstAdmin.EnsureAsync(accounts, "another password", second));
        Assert.Equal("", second.ToString());
        Assert.Single(await accounts.ListAsync());
    }

    [SkippableFact]
    public async Task The_password_can_come_from_the_environment_and_is_then_not_printed()
    {
        api.Require();
        var cs = await api.Postgis.CreateDatabaseAsync("firstadmin");
        await BarrioDatabase.MigrateAsync(cs);
        await using var db = new BarrioDbContext(BarrioDatabase.Options(cs));
        var accounts = new AccountStore(db);
        var output = new StringWriter();
        Assert.True(await FirstAdmin.EnsureAsync(accounts, "from the environment", output));
        Assert.DoesNotContain("from the environment", output.ToString());
        Assert.Equal(SignInResult.Ok, (await accounts.SignInAsync(FirstAdmin.Name, "from the environment")).Result);
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var db2 = new BarrioDbContext(BarrioDatabase.Options(await api.Postgis.CreateDatabaseAsync("firstadmin")));
            await db2.Database.MigrateAsync();
            await FirstAdmin.EnsureAsync(new AccountStore(db2), "short", TextWriter.Null);
        });
    }
}
