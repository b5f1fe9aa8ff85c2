using Microsoft.Playwright;
using Xunit;

namespace BarrioSeguro.Geo.Api.Tests.Viewer;

/// <summary>
/// A real browser for the viewer tests: Debian's Chromium driven by Playwright, headless, with the flags a root
/// sandbox without internet needs. One browser per test class; each test opens its own page.
/// </summary>
public abstract class BrowserTest(ApiFixture api) : IAsyncLifetime
{
    /// <summary>How long a condition may take to become true, in milliseconds: generous, because a loaded 2-core
    /// machine can take minutes to plan routes; a wrong page still fails, only later.</summary>
    protected const int Timeout = 300_000;

    private IPlaywright? _playwright;

    protected ApiFixture Api => api;

    protected IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>
    /// Opens the viewer and waits until its first layers are loaded and the map is fitted; fails when the page asked
    /// anything of another host.
    /// </summary>
    /// <summary>The viewer signed in as the fixture's admin through the page's own sign-in form; anonymous when asked.</summary>
    protected async Task<IPage> OpenViewer(string query = "", int width = 1280, int height = 800, bool downloads = false, bool anonymous = false, bool touch = false, bool mobile = false)
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height }, AcceptDownloads = downloads, HasTouch = touch || mobile, IsMobile = mobile,
        });
        var external = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(api.BaseAddress.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
                external.Add(request.Url);
        };
        Logs.Add(page, new PageLog(page));
        await page.GotoAsync(new Uri(api.BaseAddress, "/" + query).ToString());
        await WaitFor(page, "() => document.body.dataset.ready === 'true'");
        if (!anonymous) await SignIn(page, ApiFixture.AdminName, ApiFixture.Password);
        Assert.Empty(external); // no internet basemap, no CDN: field offices may have no connection
        return page;
    }

    /// <summary>Waits until a JavaScript condition holds on the page (never a fixed sleep).</summary>
    /// <summary>Fills the sign-in form and waits for the page to load again signed in.</summary>
    protected static async Task SignIn(IPage page, string user, string password)
    {
        await page.FillAsync("#signin-user", user);
        await page.FillAsync("#signin-password", password);
        // The page reloads itself once signed in; wait for that load (the newer WaitForURL cannot see a reload).
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(() => page.ClickAsync("#signin-submit"), new PageRunAndWaitForNavigationOptions { Timeout = Timeout });
#pragma warning restore CS0612
        await WaitFor(page, "(u) => document.body.dataset.ready === 'true' && document.body.dataset.user === u", user);
    }

    protected static async Task WaitFor(IPage page, string condition, object? arg = null)
    {
        try
        {
            await page.WaitForFunctionAsync(condition, arg, new PageWaitForFunctionOptions { Timeout = Timeout });
        }
        catch (TimeoutException e)
        {
            // Say what the page showed and what it was still waiting for: a bare timeout tells nothing.
            throw new TimeoutException($"{e.Message} Waiting for: {condition}. {await DescribeAsync(page)}", e);
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, PageLog> Logs = new();

    /// <summary>The requests still open and the console errors of one page, for the message of a failed wait.</summary>
    private sealed class PageLog
    {
        private readonly Dictionary<IRequest, DateTime> _open = [];
        private readonly List<string> _errors = [];

        public PageLog(IPage page)
        {
            page.Request += (_, r) => { lock (_open) _open[r] = DateTime.UtcNow; };
            page.RequestFinished += (_, r) => { lock (_open) _open.Remove(r); };
            page.RequestFailed += (_, r) => { lock (_open) { _open.Remove(r); _errors.Add($"failed {r.Method} {r.Url}: {r.Failure}"); } };
            page.Console += (_, m) => { if (m.Type is "error" or "warning") lock (_open) _errors.Add($"{m.Type}: {m.Text}"); };
            page.PageError += (_, m) => { lock (_open) _errors.Add($"page error: {m}"); };
        }

        public override string ToString()
        {
            lock (_open)
            {
                var now = DateTime.UtcNow;
                var open = _open.Select(kv => $"{kv.Key.Method} {kv.Key.Url} ({(now - kv.Value).TotalSeconds:F0} s)");
                return $"Open requests: [{string.Join("; ", open)}]. Console: [{string.Join("; ", _errors.TakeLast(20))}].";
            }
        }
    }

    private static async Task<string> DescribeAsync(IPage page)
    {
        string shown;
        try
        {
            shown = await page.EvaluateAsync<string>("""
                () => JSON.stringify({
                  body: { ...document.body.dataset },
                  states: [...document.querySelectorAll('[data-state]')].map((e) => `${e.id || e.className}=${e.dataset.state}`),
                  alerts: [...document.querySelectorAll('[role=alert], .is-error')].map((e) => e.innerText.trim()).filter(Boolean),
                })
                """);
        }
        catch (PlaywrightException e)
        {
            shown = $"(the page could not be read: {e.Message})";
        }
        return $"The page: {shown}. {(Logs.TryGetValue(page, out var log) ? log.ToString() : "")}";
    }

    /// <summary>Saves a screenshot under .barrio/ (gitignored) to look at after a run.</summary>
    protected static Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(Path.Combine(ApiFixture.RepositoryRoot, ".barrio"));
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ApiFixture.RepositoryRoot, ".barrio", name) });
    }
}
