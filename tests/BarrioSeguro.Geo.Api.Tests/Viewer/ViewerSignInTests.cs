using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>The sign-in form of the top bar, through the real page.</summary>
[Collection(ApiCollection.Name)]
public class ViewerSignInTests(ApiFixture api) : BrowserTest(api)
{
    [SkippableFact]
    public async Task An_anonymous_visitor_sees_base_layers_and_the_form_and_signing_in_and_out_changes_what_is_shown()
    {
        Api.Require();
        var page = await OpenViewer(anonymous: true);
        Assert.True(await page.IsVisibleAsync("#signin-form"));
        Assert.Equal("[]", await page.EvaluateAsync<string>("() => JSON.stringify(window.barrioViewer.errors)"));
        Assert.True(await page.EvaluateAsync<int>("() => window.barrioViewer.layers.districts.getSource().getFeatures().length") > 0);
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.barrioViewer.layers.neighborhoods.getSource().getFeatures().length"));

        // A wrong password: the server's reason, and still anonymous.
        await page.FillAsync("#signin-user", ApiFixture.AdminName);
        await page.FillAsync("#signin-password", "not the password");
        await page.ClickAsync("#signin-submit");
        await WaitFor(page, "() => document.getElementById('signin-error') !== null");
        Assert.Contains("401", await page.InnerTextAsync("#signin-error"));

        await SignIn(page, ApiFixture.AdminName, ApiFixture.Password);
        Assert.Contains("admin · administrador", await page.InnerTextAsync("#account-user"));
        Assert.True(await page.EvaluateAsync<int>("() => window.barrioViewer.layers.neighborhoods.getSource().getFeatures().length") > 0);
        Assert.Equal(0, await page.Locator("#signin-form").CountAsync());

        // Sign-out revokes every token of the account: a user of its own, not the fixture's admin.
        await Api.AddUserAsync("viewer-signout", BarrioSeguro.Geo.Data.Accounts.Role.Viewer, []);
        var other = await OpenViewer(anonymous: true);
        await SignIn(other, "viewer-signout", ApiFixture.Password);
        Assert.Contains("viewer-signout · consulta", await other.InnerTextAsync("#account-user"));
#pragma warning disable CS0612
        await other.RunAndWaitForNavigationAsync(() => other.ClickAsync("#signout"));
#pragma warning restore CS0612
        await WaitFor(other, "() => document.body.dataset.ready === 'true'");
        Assert.True(await other.IsVisibleAsync("#signin-form"));
        Assert.Equal(0, await other.EvaluateAsync<int>("() => window.barrioViewer.layers.neighborhoods.getSource().getFeatures().length"));
    }
}
