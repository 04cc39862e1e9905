using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Reports;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Cli;

public class CliTests
{
    [Fact]
    public void Docs_targets_md_is_generated_from_the_rules_and_not_stale()
    {
        var run = CliRunner.Run("targets", "--markdown");
        run.ExitCode.Should().Be(0);
        var committed = File.ReadAllText(Path.Combine(SharedModels.RepoRoot, "docs", "targets.md"));
        run.Out.Should().Be(committed, "docs/targets.md must be regenerated with `npu-advisor targets --markdown > docs/targets.md`");
        foreach (var t in TargetRegistry.All)
            foreach (var r in t.Rules)
                committed.Should().Contain($"`{r.Id}`");
    }

    [Fact]
    public void Unknown_target_is_a_usage_error_that_lists_the_targets()
    {
        var run = CliRunner.Run("check", CliRunner.Sample, "--target", "artpec6");
        run.ExitCode.Should().Be(2);
        run.Err.Should().Contain("artpec6").And.Contain("artpec7").And.Contain("amlnn");
    }

    [Fact]
    public void Missing_argument_is_a_usage_error()
    {
        CliRunner.Run("check").ExitCode.Should().Be(2);
        CliRunner.Run("frobnicate").ExitCode.Should().Be(2);
    }

    [Fact]
    public void Unreadable_model_exits_3_with_one_message_and_no_stack_trace()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"npu-advisor-bad-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        try
        {
            var run = CliRunner.Run("inspect", bad);
            run.ExitCode.Should().Be(3);
            run.Err.Should().Contain(bad).And.NotContain(" at NpuAdvisor.");
            CliRunner.Run("inspect", bad + ".missing").ExitCode.Should().Be(3);
        }
        finally { File.Delete(bad); }
    }

    [Fact]
    public void Inspect_json_reports_the_sample()
    {
        var run = CliRunner.Run("inspect", CliRunner.Sample, "--format", "json");
        run.ExitCode.Should().Be(0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        root.GetProperty("format").GetString().Should().Be("tflite");
        root.GetProperty("quantization_scheme").GetString().Should().Be("8-bit per-channel");
        root.GetProperty("ops").GetArrayLength().Should().Be(root.GetProperty("operators").GetInt32());
        root.GetProperty("macs").GetInt64().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Inspect_table_names_layers()
    {
        var run = CliRunner.Run("inspect", SharedModels.PathOf("tflite/coral/mobilenet_v1_0.25_128_quant.tflite"));
        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().Contain("DEPTHWISE_CONV_2D").And.Contain("13,570,304");
    }

    [Fact]
    public void Check_json_has_the_documented_shape_and_every_op()
    {
        var run = CliRunner.Run("check", CliRunner.Sample, "--format", "json");
        run.ExitCode.Should().Be(0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        root.GetProperty("tool").GetString().Should().Be("npu-advisor");
        root.GetProperty("version").GetString().Should().Be(ToolInfo.Version);
        var model = root.GetProperty("models")[0];
        model.GetProperty("format").GetString().Should().Be("tflite");
        var targets = model.GetProperty("targets").EnumerateArray().ToList();
        targets.Select(t => t.GetProperty("target").GetString()).Should().Equal(TargetRegistry.All.Select(t => t.Id));
        foreach (var t in targets)
        {
            var s = t.GetProperty("summary");
            foreach (var key in new[] { "ops", "npu_ops", "cpu_ops", "segments", "first_cpu_op", "npu_mac_fraction" })
                s.TryGetProperty(key, out _).Should().BeTrue(key);
            var ops = t.GetProperty("ops").EnumerateArray().ToList();
            ops.Count.Should().Be(s.GetProperty("ops").GetInt32());
            foreach (var op in ops)
            {
                foreach (var key in new[] { "index", "subgraph", "type", "name", "outputs", "placement", "findings" })
                    op.TryGetProperty(key, out _).Should().BeTrue(key);
                op.GetProperty("placement").GetString().Should().BeOneOf("npu", "cpu", "cpu-accelerated");
                foreach (var f in op.GetProperty("findings").EnumerateArray())
                    foreach (var key in new[] { "rule", "kind", "message", "fix" })
                        f.TryGetProperty(key, out _).Should().BeTrue(key);
            }
            t.GetProperty("findings").ValueKind.Should().Be(JsonValueKind.Array);
        }
    }

    [Fact]
    public void Check_fail_on_sets_exit_code_1_only_when_met()
    {
        var perf = CliRunner.Run("check", CliRunner.Sample, "--target", "artpec8", "--fail-on", "performance");
        perf.ExitCode.Should().Be(1, "the sample has a 100-filter conv, which ARTPEC-8 flags");
        CliRunner.Run("check", CliRunner.Sample, "--target", "artpec8").ExitCode.Should().Be(0);
    }

    [Fact]
    public void One_bad_model_does_not_stop_the_others()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"npu-advisor-bad-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(bad, [0x08, 0x07, 0xFF, 0xFF, 0xFF]);
        try
        {
            var run = CliRunner.Run("check", bad, CliRunner.Sample, "--format", "json", "--target", "cv25");
            run.ExitCode.Should().Be(3);
            using var doc = JsonDocument.Parse(run.Out);
            var models = doc.RootElement.GetProperty("models");
            models[0].GetProperty("error").GetString().Should().NotBeNullOrEmpty();
            models[1].GetProperty("targets").GetArrayLength().Should().Be(1);
        }
        finally { File.Delete(bad); }
    }

    [Fact]
    public void Output_file_is_written_atomically_and_never_over_an_input()
    {
        var dir = Directory.CreateTempSubdirectory("npu-advisor-out").FullName;
        try
        {
            var copy = Path.Combine(dir, "m.tflite");
            File.Copy(CliRunner.Sample, copy);
            var before = File.ReadAllBytes(copy);
            CliRunner.Run("check", copy, "-o", copy).ExitCode.Should().Be(2);
            File.ReadAllBytes(copy).Should().Equal(before);

            var outFile = Path.Combine(dir, "report.json");
            CliRunner.Run("check", copy, "--format", "json", "-o", outFile).ExitCode.Should().Be(0);
            JsonDocument.Parse(File.ReadAllText(outFile)).RootElement.GetProperty("models").GetArrayLength().Should().Be(1);
            Directory.GetFiles(dir).Should().BeEquivalentTo([copy, outFile]);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Check_table_shows_summary_findings_and_matrix()
    {
        var run = CliRunner.Run("check", CliRunner.Sample);
        run.ExitCode.Should().Be(0, run.Err);
        foreach (var t in TargetRegistry.All) run.Out.Should().Contain(t.Name);
        run.Out.Should().Contain("target comparison").And.Contain("ops on NPU");
    }
}
