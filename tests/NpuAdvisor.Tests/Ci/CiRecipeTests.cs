using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using NpuAdvisor.Tests.Baselines;
using NpuAdvisor.Tests.Cli;
using NpuAdvisor.Tests.Reports;
using Xunit;

namespace NpuAdvisor.Tests.Ci;

/// <summary>
/// The CI recipes the README publishes (docs/ci/*.yml): they parse, use only keys their platform documents, are what
/// the README shows, and their commands, run in order on a repository whose pull request changes the model, install
/// the packed tool, gate on new findings, produce valid reports and post the diff.
/// </summary>
public class CiRecipeTests(ToolFeed feed) : IClassFixture<ToolFeed>
{
    private static string Recipe(string name) => Path.Combine(SharedModels.RepoRoot, "docs", "ci", name);
    private static string Schema(string name) => Path.Combine(SharedModels.RepoRoot, "tests", "NpuAdvisor.Tests", "Ci", "Schemas", name);

    [Theory]
    [InlineData("github-actions.yml", "github-workflow.subset.schema.json")]
    [InlineData("gitlab-ci.yml", "gitlab-ci.subset.schema.json")]
    public void Recipe_parses_uses_only_documented_keys_and_is_the_one_the_readme_shows(string recipe, string schema)
    {
        var json = YamlJson.Load(Recipe(recipe));
        using var doc = JsonDocument.Parse(json.ToJsonString());
        JsonSchemaCheck.Errors(Schema(schema), doc.RootElement).Should().BeEmpty();
        var readme = File.ReadAllText(Path.Combine(SharedModels.RepoRoot, "README.md"));
        readme.Should().Contain("```yaml\n" + File.ReadAllText(Recipe(recipe)) + "```", "the README embeds the recipe verbatim");
    }

    [Fact]
    public void Subset_schemas_reject_a_misspelt_key()
    {
        var workflow = YamlJson.Load(Recipe("github-actions.yml"));
        workflow["jobs"]!.AsObject().Single().Value!["step"] = new JsonArray();
        using var doc = JsonDocument.Parse(workflow.ToJsonString());
        JsonSchemaCheck.Errors(Schema("github-workflow.subset.schema.json"), doc.RootElement).Should().NotBeEmpty();
    }

    private Dictionary<string, string> Expressions() => new()
    {
        ["vars.NPU_ADVISOR_FEED"] = feed.Dir,
        ["github.token"] = "test-token",
        ["github.event.pull_request.number"] = "42",
    };

    [Fact]
    public void GitHub_job_fails_on_a_new_unsupported_op_yet_uploads_sarif_and_comments_the_diff()
    {
        using var repo = new CiRepo(SampleVariants.WithExtraSoftmax());
        var steps = GitHubRunner.Run(YamlJson.Load(Recipe("github-actions.yml")), repo, Expressions());
        string Show() => string.Join("\n", steps.Select(s => $"--- {s.Name}: {s.ExitCode}\n{s.Output}"));

        steps.Select(s => s.ExitCode).Should().Equal([0, 0, 0, 1, 0, 0, 0], Show());
        using (var sarif = JsonDocument.Parse(repo.Read("npu-advisor.sarif")))
        {
            var results = sarif.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            results.Where(r => r.GetProperty("baselineState").GetString() == "new").Select(r => r.GetProperty("ruleId").GetString())
                .Should().ContainSingle(because: Show());
        }
        repo.PostedFile("gh.args").Split('\n').Should().StartWith(["pr", "comment", "42", "--body-file"]);
        repo.PostedFile("gh.token").Trim().Should().Be("test-token");
        repo.PostedFile("gh.body").Should().Be(repo.Read("npu-advisor-diff.md")).And.Contain("1 added").And.Contain("softmax");
    }

    [Fact]
    public void GitHub_job_passes_on_a_reexport_with_no_new_finding()
    {
        using var repo = new CiRepo(SampleVariants.Shuffled(seed: 11));
        var steps = GitHubRunner.Run(YamlJson.Load(Recipe("github-actions.yml")), repo, Expressions());
        steps.Should().OnlyContain(s => s.ExitCode == 0, string.Join("\n", steps.Select(s => $"--- {s.Name}: {s.ExitCode}\n{s.Output}")));
        repo.PostedFile("gh.body").Should().Contain("0 added");
    }

    [Fact]
    public void GitLab_job_comments_the_diff_writes_code_quality_and_sarif_and_fails_on_the_new_op()
    {
        using var repo = new CiRepo(SampleVariants.WithExtraSoftmax());
        var pipeline = YamlJson.Load(Recipe("gitlab-ci.yml"));
        var job = GitLabRunner.Run(pipeline, repo, new Dictionary<string, string>
        {
            ["CI_PIPELINE_SOURCE"] = "merge_request_event",
            ["CI_MERGE_REQUEST_TARGET_BRANCH_NAME"] = "main",
            ["CI_API_V4_URL"] = "https://gitlab.example/api/v4",
            ["CI_PROJECT_ID"] = "7",
            ["CI_MERGE_REQUEST_IID"] = "3",
            ["NPU_ADVISOR_GITLAB_TOKEN"] = "test-token",
            ["NPU_ADVISOR_FEED"] = feed.Dir,
        });
        job.ExitCode.Should().Be(1, job.Output);
        job.Output.Should().NotContain("error:", "only --fail-on ends the job");

        var artifacts = pipeline.AsObject().Single().Value!["artifacts"]!;
        foreach (var path in artifacts["paths"]!.AsArray()) File.Exists(Path.Combine(repo.Work, (string)path!)).Should().BeTrue((string?)path);
        JsonSchemaCheck.Errors(JsonSchemaCheck.SarifSchemaPath, repo.Read("npu-advisor.sarif")).Should().BeEmpty();
        using (var quality = JsonDocument.Parse(repo.Read((string)artifacts["reports"]!["codequality"]!)))
            quality.RootElement.EnumerateArray().Should().Contain(i => i.GetProperty("description").GetString()!.Contains("head/softmax_extra"));
        var curl = repo.PostedFile("curl.args").Split('\n');
        curl.Should().Contain("PRIVATE-TOKEN: test-token").And.Contain("https://gitlab.example/api/v4/projects/7/merge_requests/3/notes");
        repo.PostedFile("curl.body").Should().Be(repo.Read("npu-advisor-diff.md")).And.Contain("1 added").And.Contain("softmax");
    }
}
