using System.Diagnostics;

namespace NpuAdvisor.Tests.Ci;

/// <summary>
/// The npu-advisor dotnet tool package, packed once from the build these tests run on (no rebuild), in a folder that
/// stands for the team's package feed.
/// </summary>
public sealed class ToolFeed : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("npu-advisor-feed").FullName;

    public ToolFeed()
    {
        var configuration = AppContext.BaseDirectory.Replace('\\', '/').Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var project = Path.Combine(SharedModels.RepoRoot, "src", "NpuAdvisor.Cli", "NpuAdvisor.Cli.csproj");
        var (code, output) = Shell.Run("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", Dir, "--nologo"], SharedModels.RepoRoot);
        if (code != 0 || !Directory.EnumerateFiles(Dir, "npu-advisor.*.nupkg").Any())
            throw new InvalidOperationException($"dotnet pack failed ({code}):\n{output}");
    }

    public void Dispose() => Directory.Delete(Dir, true);
}

internal static class Shell
{
    /// <summary>Runs a program to its end; stdout and stderr interleaved as they came.</summary>
    public static (int Code, string Output) Run(string file, IEnumerable<string> args, string cwd, IReadOnlyDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
        {
            psi.Environment.Clear();
            foreach (var (k, v) in env) psi.Environment[k] = v;
        }
        using var p = Process.Start(psi)!;
        var output = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(TimeSpan.FromMinutes(5))) { p.Kill(true); throw new TimeoutException($"{file} {string.Join(' ', args)}"); }
        p.WaitForExit();
        return (p.ExitCode, output.ToString());
    }
}
