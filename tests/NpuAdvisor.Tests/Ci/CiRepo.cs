using NpuAdvisor.Tests.Cli;

namespace NpuAdvisor.Tests.Ci;

/// <summary>
/// A user's repository as a CI runner sees it: a bare `origin` whose main branch has the model and a baseline written on
/// it, and a clone checked out on a pull-request branch that changes the model. Fake `gh` and `curl` record what the
/// recipes would post instead of reaching GitHub or GitLab; HOME is fresh, so the tool install is the recipe's own.
/// </summary>
internal sealed class CiRepo : IDisposable
{
    public const string Model = "models/detector.tflite";
    private readonly string root = Directory.CreateTempSubdirectory("npu-advisor-ci").FullName;

    public string Work => Path.Combine(root, "repo");
    public string Home => Path.Combine(root, "home");
    public string Temp => Path.Combine(root, "tmp");
    public string Posted => Path.Combine(root, "posted");
    private string FakeBin => Path.Combine(root, "bin");

    public CiRepo(byte[] prModel)
    {
        foreach (var d in new[] { Home, Temp, Posted, FakeBin }) Directory.CreateDirectory(d);
        Git(root, "-c", "init.defaultBranch=main", "init", "--quiet", "--bare", "origin.git");
        Git(root, "clone", "--quiet", "origin.git", "repo");
        Git(Work, "checkout", "--quiet", "-b", "main");
        Directory.CreateDirectory(Path.Combine(Work, "models"));
        File.Copy(CliRunner.Sample, Path.Combine(Work, Model));
        var baseline = CliRunner.Run("check", Path.Combine(Work, "models"), "--recursive", "--write-baseline", Path.Combine(Work, "npu-advisor.baseline.json"));
        if (baseline.ExitCode != 0) throw new InvalidOperationException(baseline.Err);
        Commit("model and its baseline");
        Git(Work, "push", "--quiet", "origin", "main");
        Git(Work, "checkout", "--quiet", "-b", "pr");
        File.WriteAllBytes(Path.Combine(Work, Model), prModel);
        Commit("retrained model");

        Fake("gh", """printf '%s\n' "$@" > "$POSTED/gh.args"; echo "$GH_TOKEN" > "$POSTED/gh.token"; while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "$POSTED/gh.body"; shift; done""");
        Fake("curl", """printf '%s\n' "$@" > "$POSTED/curl.args"; while [ $# -gt 0 ]; do case "$1" in body@*) cp "${1#body@}" "$POSTED/curl.body";; esac; shift; done""");
    }

    /// <summary>The runner's environment: this machine's, with a fresh HOME and the fakes first on PATH.</summary>
    public Dictionary<string, string> Environment(IEnumerable<string> extraPath)
    {
        var env = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        foreach (var k in new[] { "DOTNET_CLI_HOME", "NUGET_PACKAGES", "GITHUB_PATH" }) env.Remove(k);
        env["HOME"] = Home;
        env["TMPDIR"] = Temp;
        env["POSTED"] = Posted;
        env["CI"] = "true";
        env["PATH"] = string.Join(':', extraPath.Append(FakeBin).Append(env.GetValueOrDefault("PATH", "/usr/bin:/bin")));
        return env;
    }

    public string Read(string relative) => File.ReadAllText(Path.Combine(Work, relative));

    public string PostedFile(string name) => File.ReadAllText(Path.Combine(Posted, name));

    private void Fake(string name, string body)
    {
        var path = Path.Combine(FakeBin, name);
        File.WriteAllText(path, "#!/usr/bin/env bash\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private void Commit(string message)
    {
        Git(Work, "add", "-A");
        Git(Work, "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "--quiet", "-m", message);
    }

    private static void Git(string cwd, params string[] args)
    {
        var (code, output) = Shell.Run("git", args, cwd);
        if (code != 0) throw new InvalidOperationException($"git {string.Join(' ', args)}: {output}");
    }

    public void Dispose() => Directory.Delete(root, true);
}
