using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Tests.Baselines;
using Xunit;

namespace NpuAdvisor.Tests.Cli;

public class CliCodeQualityTests
{
    private static List<JsonElement> Issues(CliRun run)
    {
        run.ExitCode.Should().Be(0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        doc.RootElement.ValueKind.Should().Be(JsonValueKind.Array);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    [Fact]
    public void Every_finding_is_a_GitLab_issue_with_a_unique_fingerprint_at_line_one_of_the_model()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("models/m.tflite");
        var json = CliRunner.Run("check", model, "--target", "artpec9", "-f", "json");
        using var doc = JsonDocument.Parse(json.Out);
        var findings = doc.RootElement.GetProperty("models")[0].GetProperty("targets")[0].GetProperty("summary")
            .GetProperty("findings_by_kind").EnumerateObject().Sum(k => k.Value.GetInt32());

        var issues = Issues(CliRunner.Run("check", model, "--target", "artpec9", "-f", "codequality"));
        issues.Should().HaveCount(findings).And.NotBeEmpty();
        issues.Select(i => i.GetProperty("fingerprint").GetString()).Should().OnlyHaveUniqueItems();
        foreach (var i in issues)
        {
            i.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(["description", "check_name", "fingerprint", "severity", "location"]);
            i.GetProperty("location").GetProperty("path").GetString().Should().Be(model.Replace('\\', '/'));
            i.GetProperty("location").GetProperty("lines").GetProperty("begin").GetInt32().Should().Be(1);
            i.GetProperty("severity").GetString().Should().BeOneOf("info", "minor", "major");
        }
        var stride = issues.Single(i => i.GetProperty("check_name").GetString() == "A9-CONV-STRIDE");
        stride.GetProperty("severity").GetString().Should().Be("major");
        stride.GetProperty("description").GetString().Should().Contain("'stem/conv5x5_s3'");
    }

    [Fact]
    public void Fingerprints_survive_a_reexport_with_shuffled_op_indices_but_not_a_new_finding()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("models/model.tflite");
        string[] Prints() => Issues(CliRunner.Run("check", model, "-f", "codequality"))
            .Select(i => i.GetProperty("fingerprint").GetString()!).Order(StringComparer.Ordinal).ToArray();
        var before = Prints();
        ws.Write("models/model.tflite", SampleVariants.Shuffled(seed: 5));
        Prints().Should().Equal(before, "GitLab matches issues across commits by fingerprint; op indices are not part of it");
        ws.Write("models/model.tflite", SampleVariants.WithExtraSoftmax());
        Prints().Except(before).Should().NotBeEmpty().And.HaveCount(Prints().Length - before.Length);
    }
}
