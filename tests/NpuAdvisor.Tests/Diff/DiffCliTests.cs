using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Tests.Cli;
using Xunit;

namespace NpuAdvisor.Tests.Diff;

/// <summary>`npu-advisor diff` on the sample and a copy whose fully-connected layer declares a weights format the NPUs do not map.</summary>
public sealed class DiffCliTests : IDisposable
{
    private readonly DiffModels _models = new();
    private readonly string _regressed;

    public DiffCliTests() => _regressed = _models.Regressed();

    public void Dispose() => _models.Dispose();

    private static JsonElement Json(CliRun run)
    {
        run.ExitCode.Should().BeOneOf([0, 1], run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.Clone();
    }

    private static JsonElement Target(JsonElement diff, string id) =>
        diff.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("target").GetString() == id);

    private static double EstimateMs(string model, string target)
    {
        var run = CliRunner.Run("estimate", model, "--target", target, "--format", "json");
        run.ExitCode.Should().Be(0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        return doc.RootElement.GetProperty("targets")[0].GetProperty("estimate_ms").GetDouble();
    }

    [Fact]
    public void The_changed_op_alone_moves_to_the_cpu_with_its_rule_and_the_segments_split()
    {
        var amlnn = Target(Json(CliRunner.Run("diff", CliRunner.Sample, _regressed, "--target", "amlnn", "--format", "json")), "amlnn");
        var moved = amlnn.GetProperty("placement_changes").EnumerateArray().Should().ContainSingle().Subject;
        moved.GetProperty("new").GetProperty("name").GetString().Should().Be(DiffModels.ChangedOp);
        moved.GetProperty("old").GetProperty("name").GetString().Should().Be(DiffModels.ChangedOp);
        moved.GetProperty("matched_by").GetString().Should().Be("name");
        (moved.GetProperty("from").GetString(), moved.GetProperty("to").GetString()).Should().Be(("npu", "cpu"));
        moved.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("rule").GetString()).Should().Equal("AML-VX-ATTRIBUTE");
        // MEAN → FC → SOFTMAX: the FC on the CPU cuts one NPU segment into NPU, CPU, NPU.
        (amlnn.GetProperty("segments").GetProperty("old").GetInt32(), amlnn.GetProperty("segments").GetProperty("new").GetInt32()).Should().Be((1, 3));
        (amlnn.GetProperty("transitions").GetProperty("old").GetInt32(), amlnn.GetProperty("transitions").GetProperty("new").GetInt32()).Should().Be((0, 2));
        (amlnn.GetProperty("cpu_ops").GetProperty("old").GetInt32(), amlnn.GetProperty("cpu_ops").GetProperty("new").GetInt32()).Should().Be((0, 1));
        amlnn.GetProperty("findings_added").EnumerateArray().Select(f => (f.GetProperty("rule").GetString(), f.GetProperty("op").GetProperty("name").GetString()))
            .Should().Equal(("AML-VX-ATTRIBUTE", DiffModels.ChangedOp));
    }

    [Theory]
    [InlineData("amlnn")]
    [InlineData("artpec7")]
    [InlineData("artpec8")]
    public void The_estimate_delta_is_the_difference_of_the_two_estimates_and_the_layers_explain_it(string target)
    {
        var t = Target(Json(CliRunner.Run("diff", CliRunner.Sample, _regressed, "--target", target, "--format", "json")), target);
        var e = t.GetProperty("estimate");
        var (before, after) = (EstimateMs(CliRunner.Sample, target), EstimateMs(_regressed, target));
        after.Should().BeGreaterThan(before, "moving the FC to the CPU adds transitions");
        // estimate prints 3 decimals, diff 4.
        e.GetProperty("old_ms").GetDouble().Should().BeApproximately(before, 0.0006);
        e.GetProperty("new_ms").GetDouble().Should().BeApproximately(after, 0.0006);
        e.GetProperty("delta_ms").GetDouble().Should().BeApproximately(after - before, 0.0011);
        var layers = e.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("delta_ms").GetDouble());
        (layers + e.GetProperty("transition_delta_ms").GetDouble()).Should().BeApproximately(e.GetProperty("delta_ms").GetDouble(), 0.001);
        e.GetProperty("other_delta_ms").GetDouble().Should().BeApproximately(0, 1e-4, "only the changed layers and the transitions moved");
        e.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("new").GetProperty("name").GetString()).Should().Contain(DiffModels.ChangedOp);
    }

    [Fact]
    public void On_artpec7_the_ops_behind_the_changed_one_follow_it_with_the_single_subgraph_rule()
    {
        var t = Target(Json(CliRunner.Run("diff", CliRunner.Sample, _regressed, "--target", "artpec7", "--format", "json")), "artpec7");
        t.GetProperty("placement_changes").EnumerateArray()
            .Select(p => (p.GetProperty("new").GetProperty("name").GetString(), p.GetProperty("rules")[0].GetProperty("rule").GetString()))
            .Should().Equal((DiffModels.ChangedOp, "A7-FULLY-CONNECTED"), ("head/softmax", "A7-SINGLE-SUBGRAPH"));
    }

    [Fact]
    public void Back_to_the_npu_names_the_rule_that_had_held_the_op_on_the_cpu_and_is_no_regression()
    {
        var run = CliRunner.Run("diff", _regressed, CliRunner.Sample, "--target", "amlnn", "--format", "json", "--fail-on", "regression");
        run.ExitCode.Should().Be(0, run.Err);
        var t = Target(Json(run), "amlnn");
        var moved = t.GetProperty("placement_changes").EnumerateArray().Should().ContainSingle().Subject;
        (moved.GetProperty("from").GetString(), moved.GetProperty("to").GetString()).Should().Be(("cpu", "npu"));
        moved.GetProperty("rules")[0].GetProperty("rule").GetString().Should().Be("AML-VX-ATTRIBUTE");
        t.GetProperty("findings_removed").EnumerateArray().Select(f => f.GetProperty("rule").GetString()).Should().Contain("AML-VX-ATTRIBUTE");
        t.GetProperty("estimate").GetProperty("delta_ms").GetDouble().Should().BeNegative();
        t.GetProperty("regression").GetBoolean().Should().BeFalse();
    }

    [Fact]
    public void Fail_on_regression_exits_1_on_the_regressed_copy_and_0_without_the_option()
    {
        CliRunner.Run("diff", CliRunner.Sample, _regressed, "--fail-on", "regression").ExitCode.Should().Be(1);
        CliRunner.Run("diff", CliRunner.Sample, _regressed, "--target", "amlnn", "--fail-on", "regression", "--format", "markdown").ExitCode.Should().Be(1);
        CliRunner.Run("diff", CliRunner.Sample, _regressed).ExitCode.Should().Be(0);
        // CV25 maps the shuffled weights format: nothing regresses there.
        CliRunner.Run("diff", CliRunner.Sample, _regressed, "--target", "cv25", "--fail-on", "regression").ExitCode.Should().Be(0);
    }

    [Theory]
    [InlineData("table")]
    [InlineData("json")]
    [InlineData("markdown")]
    public void A_model_against_itself_shows_no_change_and_exits_0_even_failing_on_regression(string format)
    {
        var run = CliRunner.Run("diff", CliRunner.Sample, CliRunner.Sample, "--format", format, "--fail-on", "regression");
        run.ExitCode.Should().Be(0, run.Err);
        run.Err.Should().BeEmpty();
        switch (format)
        {
            case "json":
                var d = Json(run);
                d.GetProperty("unchanged").GetBoolean().Should().BeTrue();
                d.GetProperty("regression").GetBoolean().Should().BeFalse();
                d.GetProperty("matching").GetProperty("by_name").GetInt32().Should().Be(12);
                d.GetProperty("targets").GetArrayLength().Should().Be(5);
                foreach (var t in d.GetProperty("targets").EnumerateArray())
                {
                    t.GetProperty("estimate").GetProperty("delta_ms").GetDouble().Should().Be(0);
                    t.GetProperty("estimate").GetProperty("layers").GetArrayLength().Should().Be(0);
                    t.GetProperty("placement_changes").GetArrayLength().Should().Be(0);
                    (t.GetProperty("findings_added").GetArrayLength() + t.GetProperty("findings_removed").GetArrayLength()).Should().Be(0);
                }
                break;
            case "markdown":
                run.Out.Should().Contain("No change on any target.").And.NotContain("regression");
                break;
            default:
                run.Out.Should().Contain("no change").And.NotContain("regression").And.NotContain("placement changes");
                break;
        }
    }

    [Fact]
    public void Table_and_markdown_name_the_moved_op_its_rule_and_the_segments()
    {
        var table = CliRunner.Run("diff", CliRunner.Sample, _regressed, "--target", "amlnn");
        table.ExitCode.Should().Be(0, table.Err);
        table.Out.Should().Contain("placement changes").And.Contain(DiffModels.ChangedOp).And.Contain("npu → cpu")
            .And.Contain("AML-VX-ATTRIBUTE").And.Contain("1 → 3").And.Contain("regression: slower, more CPU ops");
        var md = CliRunner.Run("diff", CliRunner.Sample, _regressed, "--target", "amlnn", "--format", "markdown");
        md.ExitCode.Should().Be(0, md.Err);
        md.Out.Should().StartWith("## npu-advisor diff").And.Contain("| AMLNN |").And.Contain("| 1 → 3 |")
            .And.Contain("`AML-VX-ATTRIBUTE`").And.Contain("head/fc").And.Contain("npu → cpu");
    }

    [Fact]
    public void Output_file_is_written_and_never_over_an_input()
    {
        var report = Path.Combine(_models.Dir, "diff.md");
        var run = CliRunner.Run("diff", CliRunner.Sample, _regressed, "--format", "markdown", "-o", report);
        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().BeEmpty();
        File.ReadAllText(report).Should().Be(CliRunner.Run("diff", CliRunner.Sample, _regressed, "--format", "markdown").Out);
        var before = File.ReadAllBytes(_regressed);
        CliRunner.Run("diff", CliRunner.Sample, _regressed, "-o", _regressed).ExitCode.Should().Be(2);
        File.ReadAllBytes(_regressed).Should().Equal(before);
    }

    [Fact]
    public void Unreadable_model_exits_3_and_bad_options_exit_2()
    {
        var bad = _models.WriteBytes("bad.tflite", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var run = CliRunner.Run("diff", CliRunner.Sample, bad);
        run.ExitCode.Should().Be(3);
        run.Err.Should().Contain(bad).And.NotContain(" at NpuAdvisor.");
        CliRunner.Run("diff", bad, CliRunner.Sample, "--fail-on", "regression").ExitCode.Should().Be(3);
        CliRunner.Run("diff", CliRunner.Sample, bad + ".missing").ExitCode.Should().Be(3);
        CliRunner.Run("diff", CliRunner.Sample, _regressed, "--target", "artpec6").ExitCode.Should().Be(2);
        CliRunner.Run("diff", CliRunner.Sample, _regressed, "--fail-on", "slower").ExitCode.Should().Be(2);
        CliRunner.Run("diff", CliRunner.Sample, _regressed, "--top", "-1").ExitCode.Should().Be(2);
        CliRunner.Run("diff", CliRunner.Sample).ExitCode.Should().Be(2);
    }
}
