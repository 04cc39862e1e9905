using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FluentAssertions;
using NpuAdvisor.Tests.Reports;

namespace NpuAdvisor.Tests.Ci;

/// <summary>One step or job as the runner ran it: its name, exit code and output.</summary>
internal sealed record StepRun(string Name, int? ExitCode, string Output);

/// <summary>
/// Runs a GitHub Actions job the way the runner does for the features the recipe uses: `run` steps in
/// `bash --noprofile --norc -eo pipefail`, `${{ }}` expressions from a fixed table (an unknown one fails the test), job
/// and step `env`, `$GITHUB_PATH` carried to later steps, a step skipped after a failure unless `if: always()`. Of the
/// actions, checkout and setup-dotnet are what the test repository and this machine already are; upload-sarif validates
/// the file against the SARIF 2.1.0 schema, as code scanning would refuse an invalid one.
/// </summary>
internal static partial class GitHubRunner
{
    public static List<StepRun> Run(JsonNode workflow, CiRepo repo, IReadOnlyDictionary<string, string> expressions)
    {
        var job = workflow["jobs"]!.AsObject().Single().Value!;
        var githubPath = Path.Combine(repo.Temp, "github_path");
        File.WriteAllText(githubPath, "");
        var runs = new List<StepRun>();
        var failed = false;
        foreach (var step in job["steps"]!.AsArray().Select(s => s!))
        {
            var name = (string?)step["name"] ?? (string?)step["uses"] ?? "run";
            var condition = (string?)step["if"];
            condition.Should().BeOneOf(null, "always()", $"step '{name}': only always() is emulated");
            if (failed && condition is null) { runs.Add(new StepRun(name, null, "skipped")); continue; }

            var env = repo.Environment(File.ReadAllLines(githubPath).Where(l => l.Length > 0).Reverse());
            env["GITHUB_PATH"] = githubPath;
            env["GITHUB_BASE_REF"] = "main";
            env["GITHUB_WORKSPACE"] = repo.Work;
            env["RUNNER_TEMP"] = repo.Temp;
            foreach (var scope in new[] { job["env"], step["env"] })
                foreach (var (k, v) in scope?.AsObject() ?? [])
                    env[k] = Substitute(v!.ToString(), expressions);

            StepRun result;
            if ((string?)step["uses"] is { } uses) result = new StepRun(name, Action(uses, step["with"]?.AsObject(), repo), "");
            else
            {
                var script = Path.Combine(repo.Temp, $"step{runs.Count}.sh");
                File.WriteAllText(script, Substitute((string)step["run"]!, expressions));
                var (code, output) = Shell.Run("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], repo.Work, env);
                result = new StepRun(name, code, output);
            }
            runs.Add(result);
            failed |= result.ExitCode != 0;
        }
        return runs;
    }

    private static int Action(string uses, JsonObject? with, CiRepo repo)
    {
        var action = uses[..uses.IndexOf('@')];
        switch (action)
        {
            case "actions/checkout":
                ((long?)with?["fetch-depth"]).Should().Be(0, "the diff step reads the base branch from the clone");
                return 0;
            case "actions/setup-dotnet":
                ((string?)with?["dotnet-version"]).Should().StartWith("10.", "the tool targets .NET 10");
                return 0;
            case "github/codeql-action/upload-sarif":
                var sarif = Path.Combine(repo.Work, (string)with!["sarif_file"]!);
                if (!File.Exists(sarif)) return 1;
                JsonSchemaCheck.Errors(JsonSchemaCheck.SarifSchemaPath, File.ReadAllText(sarif)).Should().BeEmpty();
                return 0;
            default:
                throw new InvalidOperationException($"action {uses} is not emulated");
        }
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> expressions) =>
        Expression().Replace(text, m => expressions.TryGetValue(m.Groups[1].Value, out var v) ? v
            : throw new InvalidOperationException($"expression ${{{{ {m.Groups[1].Value} }}}} is not emulated"));

    [GeneratedRegex(@"\$\{\{\s*(.+?)\s*\}\}")]
    private static partial Regex Expression();
}

/// <summary>
/// Runs a GitLab CI job the way a shell runner does for the features the recipe uses: `rules: if` of the form
/// `$VAR == "value"`, `variables`, before_script and script lines in one `bash -eo pipefail` shell (the first failing
/// line ends the job), and artifacts collected afterwards.
/// </summary>
internal static partial class GitLabRunner
{
    public static StepRun Run(JsonNode pipeline, CiRepo repo, IReadOnlyDictionary<string, string> ciVariables)
    {
        var (name, job) = pipeline.AsObject().Single();
        var env = repo.Environment([]);
        foreach (var (k, v) in ciVariables) env[k] = v;
        foreach (var (k, v) in job!["variables"]?.AsObject() ?? []) env[k] = v!.ToString();
        foreach (var rule in job["rules"]?.AsArray() ?? [])
        {
            var m = Rule().Match((string)rule!["if"]!);
            m.Success.Should().BeTrue("only `$VAR == \"value\"` rules are emulated");
            if (env.GetValueOrDefault(m.Groups[1].Value) != m.Groups[2].Value) return new StepRun(name, null, "not run: rules");
        }
        var lines = (job["before_script"]?.AsArray() ?? []).Concat(job["script"]!.AsArray()).Select(l => (string)l!);
        var script = Path.Combine(repo.Temp, "job.sh");
        File.WriteAllText(script, string.Join('\n', lines) + "\n");
        var (code, output) = Shell.Run("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], repo.Work, env);
        return new StepRun(name, code, output);
    }

    [GeneratedRegex("""^\$([A-Z_][A-Z0-9_]*) == "([^"]*)"$""")]
    private static partial Regex Rule();
}
