using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Cli;

public class CliReportTests
{
    [Fact]
    public void Check_json_carries_estimates_and_savings_that_are_never_negative()
    {
        var run = CliRunner.Run("check", CliRunner.Sample, "--format", "json");
        run.ExitCode.Should().Be(0, run.Err);
        using var doc = JsonDocument.Parse(run.Out);
        foreach (var t in doc.RootElement.GetProperty("models")[0].GetProperty("targets").EnumerateArray())
        {
            t.GetProperty("summary").GetProperty("estimate_ms").GetDouble().Should().BeGreaterThan(0);
            var ops = t.GetProperty("ops").EnumerateArray().ToList();
            ops.Should().OnlyContain(o => o.GetProperty("estimate_ms").ValueKind == JsonValueKind.Number);
            foreach (var f in ops.SelectMany(o => o.GetProperty("findings").EnumerateArray()))
                if (f.GetProperty("saves_ms").ValueKind == JsonValueKind.Number)
                    f.GetProperty("saves_ms").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        }
        // The sample's 100-filter conv is a real ARTPEC-8 finding with a priced fix.
        var a8 = doc.RootElement.GetProperty("models")[0].GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("target").GetString() == "artpec8");
        var filters = a8.GetProperty("ops").EnumerateArray().SelectMany(o => o.GetProperty("findings").EnumerateArray())
            .Where(f => f.GetProperty("rule").GetString() == "A8-FILTERS" && f.GetProperty("message").GetString()!.StartsWith("100 filters", StringComparison.Ordinal)).ToList();
        filters.Should().ContainSingle();
        filters[0].GetProperty("saves_ms").GetDouble().Should().BeGreaterThan(0);
    }

    [Fact]
    public void Estimate_lists_every_target_ranked_with_range_and_disclaimer()
    {
        var run = CliRunner.Run("estimate", CliRunner.Sample, "--top", "3");
        run.ExitCode.Should().Be(0, run.Err);
        foreach (var t in TargetRegistry.All) run.Out.Should().Contain(t.Name);
        run.Out.Should().Contain("Not measurements").And.Contain("slowest 3 layers");

        var json = CliRunner.Run("estimate", CliRunner.Sample, "--format", "json", "--target", "artpec8,amlnn", "--top", "2");
        json.ExitCode.Should().Be(0, json.Err);
        using var doc = JsonDocument.Parse(json.Out);
        var targets = doc.RootElement.GetProperty("targets").EnumerateArray().ToList();
        targets.Select(t => t.GetProperty("target").GetString()).Should().Equal("artpec8", "amlnn");
        foreach (var t in targets)
        {
            var est = t.GetProperty("estimate_ms").GetDouble();
            t.GetProperty("low_ms").GetDouble().Should().BeLessThan(est);
            t.GetProperty("high_ms").GetDouble().Should().BeGreaterThan(est);
            t.GetProperty("slowest_layers").GetArrayLength().Should().Be(2);
            t.GetProperty("slowest_layers")[0].GetProperty("bound").GetString().Should().BeOneOf("compute", "memory", "cpu");
        }
    }

    [Fact]
    public void Estimate_runs_on_every_shared_model_and_target()
    {
        foreach (var e in SharedModels.Entries("tflite").Concat(SharedModels.Entries("onnx")))
        {
            var run = CliRunner.Run("estimate", SharedModels.PathOf(e.GetProperty("path").GetString()!), "--format", "json", "--top", "1");
            run.ExitCode.Should().Be(0, run.Err);
            using var doc = JsonDocument.Parse(run.Out);
            doc.RootElement.GetProperty("targets").EnumerateArray()
                .Should().HaveCount(TargetRegistry.All.Count).And.OnlyContain(t => t.GetProperty("estimate_ms").GetDouble() >= 0);
        }
    }

    [Fact]
    public void Calibrate_reproduces_every_axis_row_within_10_percent()
    {
        var run = CliRunner.Run("calibrate", "--shared-models", SharedModels.Dir);
        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().Contain("refit reproduces the committed parameters");
        var axisRows = run.Out.Split('\n').Where(l => l.Contains("│ axis ", StringComparison.Ordinal)).ToList();
        axisRows.Should().HaveCount(10);
        foreach (var row in axisRows)
        {
            var error = double.Parse(row.Split('│', StringSplitOptions.TrimEntries)[^2].TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
            Math.Abs(error).Should().BeLessThanOrEqualTo(10, row);
        }
    }

    [Fact]
    public void Sarif_and_markdown_formats_come_from_check()
    {
        var sarif = CliRunner.Run("check", CliRunner.Sample, "--format", "sarif");
        sarif.ExitCode.Should().Be(0, sarif.Err);
        using var doc = JsonDocument.Parse(sarif.Out);
        doc.RootElement.GetProperty("version").GetString().Should().Be("2.1.0");
        var run = doc.RootElement.GetProperty("runs")[0];
        var ruleIds = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToHashSet();
        var results = run.GetProperty("results").EnumerateArray().ToList();
        results.Should().NotBeEmpty();
        results.Should().OnlyContain(r => ruleIds.Contains(r.GetProperty("ruleId").GetString()));

        var md = CliRunner.Run("check", CliRunner.Sample, "--format", "markdown");
        md.ExitCode.Should().Be(0, md.Err);
        md.Out.Should().Contain("| ARTPEC-8 |").And.Contain("A8-FILTERS");
    }

    [Fact]
    public void Report_writes_a_self_contained_html_file_and_never_over_the_input()
    {
        var dir = Directory.CreateTempSubdirectory("npu-advisor-report").FullName;
        try
        {
            var html = Path.Combine(dir, "r.html");
            var run = CliRunner.Run("report", CliRunner.Sample, "-o", html);
            run.ExitCode.Should().Be(0, run.Err);
            var text = File.ReadAllText(html);
            text.Should().StartWith("<!DOCTYPE html").And.Contain("block2/conv1x1_100").And.NotContain("src=\"http");
            CliRunner.Run("report", CliRunner.Sample, "-o", CliRunner.Sample).ExitCode.Should().Be(2);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void A_folder_of_all_shared_models_checks_on_every_target_and_ends_with_the_matrix()
    {
        var run = CliRunner.Run("check", SharedModels.Dir, "--recursive");
        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().Contain("models × targets");
        foreach (var e in SharedModels.Entries("tflite").Concat(SharedModels.Entries("onnx")))
            run.Out.Should().Contain(Path.GetFileName(e.GetProperty("path").GetString()!));
    }

    [Fact]
    public void Bad_cores_value_is_a_usage_error()
    {
        CliRunner.Run("check", CliRunner.Sample, "--cores", "3").ExitCode.Should().Be(2);
        CliRunner.Run("check", CliRunner.Sample, "--target", "amlnn", "--cores", "2").ExitCode.Should().Be(0);
    }
}
