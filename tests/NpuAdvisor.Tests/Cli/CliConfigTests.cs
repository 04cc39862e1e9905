using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Tests.Reports;
using Xunit;

namespace NpuAdvisor.Tests.Cli;

public class CliConfigTests
{
    private const string StemReason = "stem stride 3 kept <for> accuracy";
    private const string ReluReason = "ReLU6 retraining planned for v3";

    /// <summary>ARTPEC-9 only, failing on unsupported; the stem's stride and the block ReLUs accepted; one entry matches nothing.</summary>
    private const string Config = $$"""
        {
          "targets": ["artpec9"],
          "fail_on": "unsupported",
          "suppressions": [
            { "rule": "A9-CONV-STRIDE", "op": "stem/*", "reason": "{{StemReason}}" },
            { "rule": "A9-PREFER-RELU6", "target": "artpec9", "op": "block?/conv*", "reason": "{{ReluReason}}" },
            { "rule": "A9-MEAN", "op": "no/such/*", "reason": "left over from v1" }
          ]
        }
        """;

    /// <summary>Everything ARTPEC-9 finds unsupported on the sample is accepted here, so --fail-on unsupported passes.</summary>
    private const string AllUnsupportedAccepted = """
        {
          "targets": ["artpec9"],
          "suppressions": [
            { "rule": "A9-CONV-STRIDE", "reason": "stem kept" },
            { "rule": "A9-OP-NOT-SUPPORTED", "op": "head/softmax", "reason": "softmax on the CPU by design" },
            { "rule": "A9-CONCAT-CHANNELS", "op": "block2/*", "reason": "branch widths fixed" },
            { "rule": "A9-MEAN", "op": "head/mean", "reason": "pooling head kept" }
          ]
        }
        """;

    [Fact]
    public void The_nearest_config_above_the_model_sets_targets_and_fail_on_and_flags_win_over_it()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("project/models/v2/m.tflite");
        ws.Write("project/npu-advisor.json", """{ "targets": ["cv25"] }""");
        Targets(CliRunner.Run("check", model, "-f", "json")).Should().Equal("cv25");

        ws.Write("project/models/npu-advisor.json", """{ "targets": ["artpec8", "amlnn"], "fail_on": "performance" }""");
        var nearer = CliRunner.Run("check", model, "-f", "json");
        Targets(nearer).Should().Equal("artpec8", "amlnn");
        nearer.ExitCode.Should().Be(1, "fail_on performance from the config, and the sample has performance findings");

        Targets(CliRunner.Run("check", model, "-f", "json", "--target", "artpec7")).Should().Equal("artpec7");
        CliRunner.Run("check", model, "-f", "json", "--fail-on", "none").ExitCode.Should().Be(0);
        var given = ws.Write("other.json", """{ "targets": ["artpec9"] }""");
        Targets(CliRunner.Run("check", model, "-f", "json", "--config", given)).Should().Equal("artpec9");
    }

    [Fact]
    public void Estimate_and_report_take_their_default_targets_from_the_config()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        ws.Write("npu-advisor.json", """{ "targets": ["cv25", "artpec9"] }""");
        var est = CliRunner.Run("estimate", model, "-f", "json");
        est.ExitCode.Should().Be(0, est.Err);
        using (var doc = JsonDocument.Parse(est.Out))
            doc.RootElement.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("target").GetString()).Should().Equal("cv25", "artpec9");
        var html = ws["r.html"];
        var report = CliRunner.Run("report", model, "-o", html);
        report.ExitCode.Should().Be(0, report.Err);
        report.Out.Should().Contain("(2 targets");
        var bad = ws.Write("bad.json", """{ "targets": ["cv52"] }""");
        CliRunner.Run("estimate", model, "--config", bad).ExitCode.Should().Be(2);
    }

    [Fact]
    public void Suppressed_findings_do_not_fail_fail_on_but_show_in_every_format_with_their_reason()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        ws.Write("npu-advisor.json", AllUnsupportedAccepted);
        CliRunner.Run("check", model, "--fail-on", "unsupported", "--config", ws.Write("none.json", """{ "targets": ["artpec9"] }"""))
            .ExitCode.Should().Be(1, "without the suppressions ARTPEC-9 has unsupported findings");

        var table = CliRunner.Run("check", model, "--fail-on", "unsupported");
        table.ExitCode.Should().Be(0, table.Err);
        table.Out.Should().Contain("suppressed: softmax on the CPU by design").And.Contain("4 suppressed").And.Contain("A9-OP-NOT-SUPPORTED");

        var json = CliRunner.Run("check", model, "--fail-on", "unsupported", "-f", "json");
        json.ExitCode.Should().Be(0, json.Err);
        using (var doc = JsonDocument.Parse(json.Out))
        {
            var target = doc.RootElement.GetProperty("models")[0].GetProperty("targets")[0];
            var findings = target.GetProperty("ops").EnumerateArray().SelectMany(o => o.GetProperty("findings").EnumerateArray()).ToList();
            var softmax = findings.Single(f => f.GetProperty("rule").GetString() == "A9-OP-NOT-SUPPORTED");
            softmax.GetProperty("suppressed").GetBoolean().Should().BeTrue();
            softmax.GetProperty("suppression_reason").GetString().Should().Be("softmax on the CPU by design");
            softmax.GetProperty("baseline_state").ValueKind.Should().Be(JsonValueKind.Null);
            findings.Where(f => f.GetProperty("kind").GetString() == "unsupported").Should().OnlyContain(f => f.GetProperty("suppressed").GetBoolean());
            findings.Where(f => f.GetProperty("kind").GetString() == "performance").Should().OnlyContain(f => !f.GetProperty("suppressed").GetBoolean());
            var summary = target.GetProperty("summary");
            summary.GetProperty("suppressed").GetInt32().Should().Be(4);
            summary.GetProperty("findings_by_kind").GetProperty("unsupported").GetInt32().Should().Be(0);
            summary.GetProperty("cpu_ops").GetInt32().Should().Be(4, "a suppression does not move an op back to the NPU");
        }

        var md = CliRunner.Run("check", model, "--fail-on", "unsupported", "-f", "markdown");
        md.ExitCode.Should().Be(0, md.Err);
        md.Out.Should().Contain("**Suppressed** (4, not counted for --fail-on)").And.Contain("`A9-OP-NOT-SUPPORTED` “head/softmax”: suppressed — softmax on the CPU by design");
        md.Out.Split("**Top findings**")[1].Should().NotContain("A9-OP-NOT-SUPPORTED", "top findings are the open ones");

        var sarif = CliRunner.Run("check", model, "--fail-on", "unsupported", "-f", "sarif");
        sarif.ExitCode.Should().Be(0, sarif.Err);
        JsonSchemaCheck.Errors(JsonSchemaCheck.SarifSchemaPath, sarif.Out).Should().BeEmpty();
        using (var doc = JsonDocument.Parse(sarif.Out))
        {
            var results = doc.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
            var suppressed = results.Where(r => Has(r, "suppressions")).ToList();
            suppressed.Should().HaveCount(4).And.OnlyContain(r => r.GetProperty("level").GetString() == "error");
            var s = suppressed.Single(r => r.GetProperty("ruleId").GetString() == "A9-OP-NOT-SUPPORTED").GetProperty("suppressions")[0];
            s.GetProperty("kind").GetString().Should().Be("external");
            s.GetProperty("justification").GetString().Should().Be("softmax on the CPU by design");
            s.GetProperty("location").GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString().Should().EndWith("npu-advisor.json");
        }
    }

    [Fact]
    public void Globs_and_targets_limit_what_a_suppression_accepts()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        ws.Write("npu-advisor.json", Config);
        var run = CliRunner.Run("check", model, "-f", "json", "--target", "artpec9,amlnn");
        using var doc = JsonDocument.Parse(run.Out);
        var byTarget = doc.RootElement.GetProperty("models")[0].GetProperty("targets").EnumerateArray()
            .ToDictionary(t => t.GetProperty("target").GetString()!, t => t.GetProperty("ops").EnumerateArray()
                .SelectMany(o => o.GetProperty("findings").EnumerateArray().Select(f => (Op: o.GetProperty("name").GetString()!, Finding: f))).ToList());
        var relu = byTarget["artpec9"].Where(x => x.Finding.GetProperty("rule").GetString() == "A9-PREFER-RELU6").ToList();
        relu.Where(x => x.Finding.GetProperty("suppressed").GetBoolean()).Select(x => x.Op)
            .Should().BeEquivalentTo("block1/conv3x3_valid", "block2/conv1x1_100", "block2/conv3x3_28");
        relu.Where(x => !x.Finding.GetProperty("suppressed").GetBoolean()).Select(x => x.Op).Should().Equal("stem/relu");
        byTarget["artpec9"].Single(x => x.Finding.GetProperty("rule").GetString() == "A9-CONV-STRIDE").Finding
            .GetProperty("suppression_reason").GetString().Should().Be(StemReason);
        byTarget["amlnn"].Should().OnlyContain(x => !x.Finding.GetProperty("suppressed").GetBoolean(), "no suppression names an AMLNN rule");
    }

    [Fact]
    public void A_suppression_that_matches_nothing_is_reported_stale_in_every_format()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        ws.Write("npu-advisor.json", Config);

        var table = CliRunner.Run("check", model);
        table.Err.Should().Contain($"warning: {ws["npu-advisor.json"]}: suppressions[2] (rule A9-MEAN, op 'no/such/*')")
            .And.Contain("matches no finding").And.Contain("left over from v1");
        table.Err.Split('\n').Count(l => l.StartsWith("warning:", StringComparison.Ordinal)).Should().Be(1);

        using (var doc = JsonDocument.Parse(CliRunner.Run("check", model, "-f", "json").Out))
        {
            var stale = doc.RootElement.GetProperty("stale_suppressions").EnumerateArray().ToList();
            stale.Should().ContainSingle();
            stale[0].GetProperty("index").GetInt32().Should().Be(2);
            stale[0].GetProperty("rule").GetString().Should().Be("A9-MEAN");
            stale[0].GetProperty("op").GetString().Should().Be("no/such/*");
            stale[0].GetProperty("config").GetString().Should().EndWith("npu-advisor.json");
        }

        CliRunner.Run("check", model, "-f", "markdown").Out.Should().Contain("**Stale suppressions**").And.Contain("suppressions\\[2\\]");

        var sarif = CliRunner.Run("check", model, "-f", "sarif").Out;
        JsonSchemaCheck.Errors(JsonSchemaCheck.SarifSchemaPath, sarif).Should().BeEmpty();
        using (var doc = JsonDocument.Parse(sarif))
        {
            var n = doc.RootElement.GetProperty("runs")[0].GetProperty("invocations")[0].GetProperty("toolConfigurationNotifications").EnumerateArray().ToList();
            n.Should().ContainSingle();
            n[0].GetProperty("descriptor").GetProperty("id").GetString().Should().Be("stale-suppression");
            n[0].GetProperty("message").GetProperty("text").GetString().Should().Contain("suppressions[2]");
        }

        CliRunner.Run("check", model, "--target", "cv25").Err.Should().NotContain("warning", "an ARTPEC-9 rule is not evaluated when only CV25 is checked");
    }

    [Fact]
    public void A_suppression_without_a_reason_is_a_usage_error_naming_the_file_and_entry()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        ws.Write("npu-advisor.json", """
            { "suppressions": [
                { "rule": "A9-CONV-STRIDE" } ] }
            """);
        var run = CliRunner.Run("check", model);
        run.ExitCode.Should().Be(2);
        run.Out.Should().BeEmpty();
        run.Err.Should().Contain("npu-advisor.json:2:5: suppressions[0]: a suppression needs a \"reason\"");
    }

    [Fact]
    public void Unknown_keys_and_rule_ids_are_usage_errors_naming_the_nearest_valid_one()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        var key = ws.Write("key.json", """{ "fail-on": "any" }""");
        var run = CliRunner.Run("check", model, "--config", key);
        run.ExitCode.Should().Be(2);
        run.Err.Should().Contain($"{key}:1:3: fail-on: unknown key 'fail-on'; did you mean 'fail_on'?");

        var rule = ws.Write("rule.json", """{ "suppressions": [ { "rule": "A9-FILTER-16", "reason": "x" } ] }""");
        CliRunner.Run("check", model, "--config", rule).Err.Should().Contain("unknown rule id 'A9-FILTER-16'; did you mean 'A9-FILTERS-16'?");

        var broken = ws.Write("broken.json", "{ \"targets\": [\"cv25\"\n");
        var bad = CliRunner.Run("check", model, "--config", broken);
        bad.ExitCode.Should().Be(2);
        bad.Err.Should().Contain($"{broken}:2:").And.Contain("not valid JSON");

        var evil = ws.Write("evil.json", "{ \"\\u001b[31mred\": 1 }");
        var escaped = CliRunner.Run("check", model, "--config", evil);
        escaped.ExitCode.Should().Be(2);
        escaped.Err.Should().NotContain("\u001b").And.Contain("red");
    }

    private static List<string> Targets(CliRun run)
    {
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.GetProperty("models")[0].GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("target").GetString()!).ToList();
    }

    private static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out _);
}
