using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Tests.Baselines;
using NpuAdvisor.Tests.Reports;
using Xunit;

namespace NpuAdvisor.Tests.Cli;

public class CliBaselineTests
{
    /// <summary>new / unchanged / absent counts summed over every target of every model of a `check --format json` run.</summary>
    private static (int New, int Unchanged, int Absent) States(CliRun run)
    {
        using var doc = JsonDocument.Parse(run.Out);
        var baselines = doc.RootElement.GetProperty("models").EnumerateArray()
            .SelectMany(m => m.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("summary").GetProperty("baseline")).ToList();
        return (baselines.Sum(b => b.GetProperty("new").GetInt32()), baselines.Sum(b => b.GetProperty("unchanged").GetInt32()),
                baselines.Sum(b => b.GetProperty("absent").GetInt32()));
    }

    [Fact]
    public void A_baseline_read_back_on_the_same_model_has_nothing_new_and_fail_on_passes()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        var baseline = ws["baseline.json"];
        var write = CliRunner.Run("check", model, "--write-baseline", baseline, "--fail-on", "any");
        write.ExitCode.Should().Be(1, "writing a baseline does not change what --fail-on says of this run");
        write.Err.Should().Contain($"wrote baseline {baseline}").And.Contain("of 1 model");
        File.Exists(baseline).Should().BeTrue();
        Directory.GetFiles(ws.Root).Should().BeEquivalentTo([model, baseline], "the temporary file is renamed, not left behind");

        var read = CliRunner.Run("check", model, "--baseline", baseline, "--fail-on", "any", "-f", "json");
        read.ExitCode.Should().Be(0, read.Err);
        var (fresh, unchanged, absent) = States(read);
        (fresh, absent).Should().Be((0, 0));
        unchanged.Should().BeGreaterThan(20);

        var table = CliRunner.Run("check", model, "--baseline", baseline, "--target", "artpec9");
        table.Out.Should().Contain("baseline: 0 new, 11 unchanged, 0 absent").And.Contain("1 unchanged");
    }

    [Fact]
    public void A_renamed_reexport_with_shuffled_op_indices_keeps_its_baseline()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("v1/sample_int8.tflite");
        var baseline = ws["baseline.json"];
        CliRunner.Run("check", model, "--write-baseline", baseline).ExitCode.Should().Be(0);
        var reexport = ws.Write("v2/classifier-reexported.tflite", SampleVariants.Shuffled(seed: 3));
        var run = CliRunner.Run("check", reexport, "--baseline", baseline, "--fail-on", "any", "-f", "json");
        run.ExitCode.Should().Be(0, run.Err);
        States(run).Should().Match<(int New, int Unchanged, int Absent)>(s => s.New == 0 && s.Absent == 0 && s.Unchanged > 20);
    }

    [Fact]
    public void One_more_unsupported_op_gives_exactly_one_new_finding_and_only_it_fails()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        var baseline = ws["b.json"];
        CliRunner.Run("check", model, "--target", "artpec9", "--write-baseline", baseline).ExitCode.Should().Be(0);
        var grown = ws.Write("m2.tflite", SampleVariants.WithExtraSoftmax());
        var run = CliRunner.Run("check", grown, "--target", "artpec9", "--baseline", baseline, "--fail-on", "unsupported", "-f", "json");
        run.ExitCode.Should().Be(1, "the new SOFTMAX is unsupported and not in the baseline");
        States(run).Should().Match<(int New, int Unchanged, int Absent)>(s => s.New == 1 && s.Absent == 0);
        using (var doc = JsonDocument.Parse(run.Out))
        {
            var op = doc.RootElement.GetProperty("models")[0].GetProperty("targets")[0].GetProperty("ops").EnumerateArray()
                .Single(o => o.GetProperty("findings").EnumerateArray().Any(f => f.GetProperty("baseline_state").GetString() == "new"));
            op.GetProperty("name").GetString().Should().Be("head/softmax_extra");
        }
        CliRunner.Run("check", model, "--target", "artpec9", "--baseline", baseline, "--fail-on", "unsupported").ExitCode.Should().Be(0);

        var md = CliRunner.Run("check", grown, "--target", "artpec9", "--baseline", baseline, "-f", "markdown").Out;
        md.Should().Contain("Against the baseline: **1 new**");
        md.Split("**Top findings**")[1].Split('\n').First(l => l.StartsWith("- ", StringComparison.Ordinal)).Should().Contain("softmax\\_extra").And.Contain("(new)");
    }

    [Fact]
    public void Findings_gone_since_the_baseline_are_absent_in_json_table_and_sarif_which_validates()
    {
        using var ws = new TempWorkspace();
        var grown = ws.Write("m.tflite", SampleVariants.WithExtraSoftmax());
        var baseline = ws["b.json"];
        CliRunner.Run("check", grown, "--write-baseline", baseline).ExitCode.Should().Be(0);
        var model = ws.CopySample("fixed.tflite");
        ws.Write("npu-advisor.json", """
            { "suppressions": [ { "rule": "A9-CONV-STRIDE", "target": "artpec9", "reason": "stem kept" },
                                { "rule": "A9-MEAN", "op": "nothing", "reason": "stale" } ] }
            """);

        var json = CliRunner.Run("check", model, "--baseline", baseline, "-f", "json");
        States(json).Absent.Should().BeGreaterThanOrEqualTo(1);
        using (var doc = JsonDocument.Parse(json.Out))
        {
            var a9 = doc.RootElement.GetProperty("models")[0].GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("target").GetString() == "artpec9");
            var absent = a9.GetProperty("absent_findings").EnumerateArray().ToList();
            absent.Should().ContainSingle();
            absent[0].GetProperty("op").GetString().Should().Be("head/softmax_extra");
            absent[0].GetProperty("rule").GetString().Should().Be("A9-OP-NOT-SUPPORTED");
        }

        CliRunner.Run("check", model, "--baseline", baseline, "--target", "artpec9").Out
            .Should().Contain("absent since the baseline").And.Contain("head/softmax_extra").And.Contain("1 absent");

        var sarif = CliRunner.Run("check", model, "--baseline", baseline, "-f", "sarif");
        JsonSchemaCheck.Errors(JsonSchemaCheck.SarifSchemaPath, sarif.Out).Should().BeEmpty();
        using (var doc = JsonDocument.Parse(sarif.Out))
        {
            var run = doc.RootElement.GetProperty("runs")[0];
            var results = run.GetProperty("results").EnumerateArray().ToList();
            results.Should().OnlyContain(r => Has(r, "baselineState"), "against a baseline every result has a state");
            results.Select(r => r.GetProperty("baselineState").GetString()).Distinct().Should().BeEquivalentTo("unchanged", "absent");
            var gone = results.Where(r => r.GetProperty("baselineState").GetString() == "absent").ToList();
            gone.Should().Contain(r => r.GetProperty("ruleId").GetString() == "A9-OP-NOT-SUPPORTED"
                && r.GetProperty("locations")[0].GetProperty("logicalLocations")[0].GetProperty("name").GetString() == "head/softmax_extra");
            results.Should().Contain(r => Has(r, "suppressions"));
            run.GetProperty("invocations")[0].GetProperty("toolConfigurationNotifications").GetArrayLength().Should().Be(1);
        }
    }

    [Fact]
    public void The_baseline_is_never_written_over_an_input_model_nor_over_the_report()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        var before = File.ReadAllBytes(model);
        var run = CliRunner.Run("check", model, "--write-baseline", model);
        run.ExitCode.Should().Be(2);
        run.Err.Should().Contain("refusing to write over the input model");
        File.ReadAllBytes(model).Should().Equal(before);
        CliRunner.Run("check", model, "--write-baseline", ws["x.json"], "-o", ws["x.json"]).ExitCode.Should().Be(2);
        Directory.GetFiles(ws.Root).Should().Equal(model);
    }

    [Fact]
    public void A_missing_or_broken_baseline_is_a_usage_error()
    {
        using var ws = new TempWorkspace();
        var model = ws.CopySample("m.tflite");
        var missing = CliRunner.Run("check", model, "--baseline", ws["none.json"]);
        missing.ExitCode.Should().Be(2);
        missing.Err.Should().Contain("none.json: no such file");
        var config = ws.Write("c.json", """{ "targets": ["cv25"] }""");
        var wrong = CliRunner.Run("check", model, "--baseline", config);
        wrong.ExitCode.Should().Be(2);
        wrong.Err.Should().Contain("unknown key 'targets'");
    }

    private static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out _);
}
