using System.Diagnostics;
using Microsoft.Playwright;
using Xunit;

namespace NpuAdvisor.Tests.Reports;

/// <summary>
/// One headless Debian Chromium per test class, driven by Playwright with the system browser (Playwright's
/// own browser download is never used). Installs the chromium package when the machine lacks it.
/// </summary>
public sealed class HtmlBrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public static string ArtifactDir { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "reports");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) InstallChromium();
        Directory.CreateDirectory(ArtifactDir);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    private static void InstallChromium()
    {
        Run("apt-get", "update");
        Run("apt-get", "install -y chromium");
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"apt-get install chromium did not provide {ChromiumPath}");
    }

    private static void Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args} exited {p.ExitCode}: {stderr}\n{stdout.Result}");
    }
}
