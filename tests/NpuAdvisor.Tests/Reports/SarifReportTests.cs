using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Baselines;
using NpuAdvisor.Config;
using NpuAdvisor.Rewrite;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Reports;

public class SarifReportTests
{
    private static JsonElement Write(IReadOnlyList<(string, IReadOnlyList<TargetResult>)> models, IReadOnlyList<Target> targets,
        IReadOnlyList<Suppression>? stale = null)
    {
        using var stream = new MemoryStream();
        SarifReport.Write(models, targets, stream, stale);
        Directory.CreateDirectory(HtmlBrowserFixture.ArtifactDir);
        File.WriteAllBytes(Path.Combine(HtmlBrowserFixture.ArtifactDir, "demo.sarif"), stream.ToArray());
        return JsonDocument.Parse(stream.ToArray()).RootElement;
    }

    [Fact]
    public void Log_has_the_required_sarif_2_1_0_structure_and_every_result_names_a_listed_rule()
    {
        var g = ReportModels.Demo();
        var custom = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        // Real targets: every rule of every real target must make a valid SARIF rule entry.
        var results = ReportModels.Analyze(g, custom.Index, targets: TargetRegistry.All);
        var other = ReportModels.Demo();
        var otherResults = ReportModels.Analyze(other, 0, targets: TargetRegistry.All);
        var sarif = Write([("models/demo model.tflite", results), ("/abs/dir/second#1.tflite", otherResults)], TargetRegistry.All);

        sarif.GetProperty("$schema").GetString().Should().Be(SarifReport.SchemaUri);
        sarif.GetProperty("version").GetString().Should().Be("2.1.0");
        JsonSchemaCheck.Errors(JsonSchemaCheck.SarifSchemaPath, sarif).Should().BeEmpty();
        var runs = sarif.GetProperty("runs");
        runs.GetArrayLength().Should().Be(1);
        var run = runs[0];
        var driver = run.GetProperty("tool").GetProperty("driver");
        driver.GetProperty("name").GetString().Should().Be("npu-advisor");
        driver.GetProperty("version").GetString().Should().NotBeNullOrEmpty();

        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        var ids = rules.Select(r => r.GetProperty("id").GetString()).ToList();
        ids.Should().OnlyHaveUniqueItems();
        ids.Should().Contain([ReportModels.HandRule.Id, ReportModels.HandPerfRule.Id], "rules a finding names are listed even when no target lists them");
        foreach (var r in rules)
        {
            r.GetProperty("shortDescription").GetProperty("text").GetString().Should().NotBeNullOrEmpty();
            r.GetProperty("fullDescription").GetProperty("text").GetString().Should().NotBeNullOrEmpty();
            r.GetProperty("help").GetProperty("text").GetString().Should().Contain("Fix: ").And.Contain("Source: ");
            r.GetProperty("defaultConfiguration").GetProperty("level").GetString().Should().BeOneOf("error", "warning", "note");
        }
        var hand = rules.Single(r => r.GetProperty("id").GetString() == ReportModels.HandRule.Id);
        hand.GetProperty("defaultConfiguration").GetProperty("level").GetString().Should().Be("error");
        hand.GetProperty("shortDescription").GetProperty("text").GetString().Should().Be(ReportModels.HandRule.Summary);

        var artifacts = run.GetProperty("artifacts").EnumerateArray().Select(a => a.GetProperty("location").GetProperty("uri").GetString()).ToList();
        artifacts.Should().Equal("models/demo%20model.tflite", "file:///abs/dir/second%231.tflite");

        var expected = results.Sum(r => r.AllFindings.Count()) + otherResults.Sum(r => r.AllFindings.Count());
        var sarifResults = run.GetProperty("results").EnumerateArray().ToList();
        sarifResults.Should().HaveCount(expected).And.NotBeEmpty();
        foreach (var res in sarifResults)
        {
            var ruleId = res.GetProperty("ruleId").GetString();
            var index = res.GetProperty("ruleIndex").GetInt32();
            ids[index].Should().Be(ruleId);
            res.GetProperty("level").GetString().Should().BeOneOf("error", "warning", "note");
            res.GetProperty("message").GetProperty("text").GetString().Should().NotBeNullOrEmpty();
            var loc = res.GetProperty("locations")[0];
            var artifact = loc.GetProperty("physicalLocation").GetProperty("artifactLocation");
            artifacts[artifact.GetProperty("index").GetInt32()].Should().Be(artifact.GetProperty("uri").GetString());
            loc.GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32().Should().Be(1);
            res.GetProperty("properties").GetProperty("target").GetString().Should().BeOneOf(TargetRegistry.All.Select(t => t.Id));
        }

        var moved = sarifResults.First(r => r.GetProperty("ruleId").GetString() == ReportModels.HandRule.Id);
        moved.GetProperty("properties").GetProperty("target").GetString().Should().Be(results[1].Target.Id);
        moved.GetProperty("properties").GetProperty("savesMs").GetDouble().Should().Be(1.5);
        moved.GetProperty("properties").GetProperty("placement").GetString().Should().Be("cpu");
        var logical = moved.GetProperty("locations")[0].GetProperty("logicalLocations")[0];
        logical.GetProperty("fullyQualifiedName").GetString().Should().Be($"main/{custom.Index}/{custom.Name}");
        logical.GetProperty("kind").GetString().Should().Be("function");
        var modelLevel = sarifResults.First(r => r.GetProperty("message").GetProperty("text").GetString()!.Contains(": model-level note.", StringComparison.Ordinal));
        modelLevel.GetProperty("locations")[0].TryGetProperty("logicalLocations", out _).Should().BeFalse();
        modelLevel.GetProperty("level").GetString().Should().Be("warning");
        sarifResults.Select(r => r.GetProperty("partialFingerprints").GetProperty(SarifReport.FingerprintName).GetString()).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Levels_follow_the_rule_kind()
    {
        SarifReport.Level(RuleKind.Unsupported).Should().Be("error");
        SarifReport.Level(RuleKind.Performance).Should().Be("warning");
        SarifReport.Level(RuleKind.Accuracy).Should().Be("warning");
        SarifReport.Level(RuleKind.Model).Should().Be("note");
    }

    [Fact]
    public void Model_strings_survive_as_exact_json_strings()
    {
        var g = ReportModels.Demo(opName: ReportModels.EvilMix);
        var custom = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        var results = ReportModels.Analyze(g, custom.Index, ReportModels.Evil);
        using var stream = new MemoryStream();
        SarifReport.Write([("m.tflite", results)], QuietTarget.Three, stream);
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        text.Should().NotContain("<script>").And.NotContain("\u2028");

        var res = JsonDocument.Parse(text).RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray()
            .First(r => r.GetProperty("ruleId").GetString() == ReportModels.HandRule.Id);
        res.GetProperty("message").GetProperty("text").GetString().Should().Contain(ReportModels.Evil).And.Contain(ReportModels.EvilMix);
        var logical = res.GetProperty("locations")[0].GetProperty("logicalLocations")[0];
        logical.GetProperty("name").GetString().Should().Be(ReportModels.EvilMix);
        logical.GetProperty("fullyQualifiedName").GetString().Should().Be($"main/{custom.Index}/{ReportModels.EvilMix}");
    }

    [Fact]
    public void Suppressions_baseline_states_absent_results_and_stale_notifications_validate_against_the_sarif_2_1_0_schema()
    {
        var results = Advisor.Check(SampleModel.Build(), TargetRegistry.All, estimate: false);
        var config = new AdvisorConfig
        {
            Path = "cfg/npu-advisor.json",
            Suppressions =
            [
                new Suppression { ConfigPath = "cfg/npu-advisor.json", Index = 0, Rule = "A9-CONV-STRIDE", Op = "stem/*", Reason = ReportModels.EvilMix },
                new Suppression { ConfigPath = "cfg/npu-advisor.json", Index = 1, Rule = "A9-MEAN", Op = "nothing*", Reason = "left over" },
            ],
        };
        var stale = SuppressionMatcher.Apply([(config, results)]);
        stale.Should().ContainSingle().Which.Index.Should().Be(1);

        var written = Baseline.From([("old.tflite", results)]).Models[0].Findings;
        var dropped = written.First(e => e.Target == "artpec9" && e.Op == "head/softmax");
        var gone = new BaselineEntry("artpec9", "A9-FILTERS-16", RuleKind.Performance, "CONV_2D", "old/conv", "old message", 2);
        var retired = new BaselineEntry("artpec9", "A9-RETIRED-RULE", RuleKind.Model, null, null, "a rule this version no longer has", 1);
        new Baseline { Models = [new BaselineModel("old.tflite", [.. written.Where(e => e != dropped), gone, retired])] }
            .Compare([("new name.tflite", results)]);

        var sarif = Write([("new name.tflite", results)], TargetRegistry.All, stale);
        JsonSchemaCheck.Errors(JsonSchemaCheck.SarifSchemaPath, sarif).Should().BeEmpty();

        var run = sarif.GetProperty("runs")[0];
        var all = run.GetProperty("results").EnumerateArray().ToList();
        all.Should().HaveCount(results.Sum(r => r.AllFindings.Count()) + 3);
        all.Should().OnlyContain(r => Has(r, "baselineState"));
        all.Count(r => r.GetProperty("baselineState").GetString() == "new").Should().Be(1);
        var absent = all.Where(r => r.GetProperty("baselineState").GetString() == "absent").ToList();
        absent.Select(r => r.GetProperty("ruleId").GetString()).Should().BeEquivalentTo("A9-FILTERS-16", "A9-FILTERS-16", "A9-RETIRED-RULE");
        absent.Single(r => r.GetProperty("ruleId").GetString() == "A9-RETIRED-RULE").TryGetProperty("ruleIndex", out _)
            .Should().BeFalse("a rule no target lists any more has no rule entry to point at");

        var suppressed = all.Single(r => Has(r, "suppressions"));
        suppressed.GetProperty("ruleId").GetString().Should().Be("A9-CONV-STRIDE");
        var s = suppressed.GetProperty("suppressions")[0];
        s.GetProperty("kind").GetString().Should().Be("external");
        s.GetProperty("justification").GetString().Should().Be(ReportModels.EvilMix, "model and config text survive as exact JSON strings");

        var note = run.GetProperty("invocations")[0].GetProperty("toolConfigurationNotifications")[0];
        note.GetProperty("level").GetString().Should().Be("warning");
        note.GetProperty("message").GetProperty("text").GetString().Should().Contain("suppressions[1] (rule A9-MEAN, op 'nothing*')");
    }

    private static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out _);
}
