using Microsoft.Playwright;

namespace Horizon.Observability.Tests.Fleet;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium) driven headless by Playwright, with a fresh profile and no
/// network beyond loopback use; no browser is downloaded. Screenshots go to
/// <c>TestResults/console/</c>, beside the suite's other results.
/// </summary>
public sealed class ConsoleBrowser : IAsyncDisposable
{
    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowserContext _context;
    private readonly TempDirectory _profile;

    private ConsoleBrowser(IPlaywright playwright, IBrowserContext context, TempDirectory profile, IPage page)
    {
        _playwright = playwright;
        _context = context;
        _profile = profile;
        Page = page;
    }

    public IPage Page { get; }

    public static string ScreenshotFolder => Directory.CreateDirectory(Path.Combine(RepositoryRoot.Path, "TestResults", "console")).FullName;

    /// <exception cref="PrerequisiteMissingException">chromium is not installed.</exception>
    public static async Task<ConsoleBrowser> StartAsync()
    {
        var chromium = Prerequisites.RequireExecutable("chromium (tools/setup.sh installs Debian's chromium)", "/usr/bin/chromium");
        var profile = new TempDirectory("hzn-chromium");
        var playwright = await Playwright.CreateAsync();
        try
        {
            // A persistent context is how Playwright takes a --user-data-dir: a fresh folder per browser.
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile.Path, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = Flags,
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            return new ConsoleBrowser(playwright, context, profile, page);
        }
        catch
        {
            playwright.Dispose();
            profile.Dispose();
            throw;
        }
    }

    /// <summary>Saves a full-page screenshot as <c>TestResults/console/&lt;name&gt;.png</c> and returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async Task SignInAsync(string consoleUrl, string org, string user, string password)
    {
        await Page.GotoAsync(consoleUrl);
        await Page.GetByLabel("Organization").FillAsync(org);
        await Page.GetByLabel("User").FillAsync(user);
        await Page.GetByLabel("Password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _context.DisposeAsync();
        _playwright.Dispose();
        _profile.Dispose();
    }
}
