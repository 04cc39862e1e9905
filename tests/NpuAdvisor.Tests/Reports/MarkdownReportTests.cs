using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using Xunit;

namespace NpuAdvisor.Tests.Reports;

public class MarkdownReportTests
{
    [Fact]
    public void One_row_per_target_then_top_findings_by_saving()
    {
        var g = ReportModels.Demo();
        var custom = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        var results = ReportModels.Analyze(g, custom.Index);
        results[1].EstimateMs = 3.5;
        var md = MarkdownReport.Render([("models/demo_model.tflite", results)]);
        Directory.CreateDirectory(HtmlBrowserFixture.ArtifactDir);
        File.WriteAllText(Path.Combine(HtmlBrowserFixture.ArtifactDir, "demo.md"), md);
        var lines = md.Split('\n');

        lines.Should().Contain("### models/demo\\_model.tflite", "the path as given tells same-named models apart");
        var rows = lines.Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| target", StringComparison.Ordinal)).ToList();
        rows.Should().HaveCount(results.Count);
        rows.Should().OnlyContain(r => r.Count(c => c == '|') == 10, "9 columns with the estimate");
        var s = results[1].Summary;
        rows[1].Should().StartWith($"| {results[1].Target.Name} | {s.NpuOps}/{s.Ops} (91.7%) | 100.0% | 3 | 1 | 0 | 0 | 0 | 3.50 ms |");
        rows[0].Should().EndWith("| — |");

        var findings = lines.Where(l => l.StartsWith("- ", StringComparison.Ordinal)).ToList();
        findings.Should().HaveCount(results.Sum(r => r.AllFindings.Count()));
        findings[0].Should().StartWith("- saves 1.50 ms — **" + results[1].Target.Name + "** unsupported `TEST-MOVE` op " + custom.Index);
        findings[1].Should().StartWith("- saves 0.25 ms");
        findings[^1].Should().Contain(" model: model-level note");
    }

    [Fact]
    public void Top_findings_are_capped()
    {
        var g = ReportModels.Demo();
        var results = ReportModels.Analyze(g, 0);
        var md = MarkdownReport.Render([("a.tflite", results)], topFindings: 1);
        md.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal)).Should().Be(1);
        md.Should().Contain("**Top findings** (1 of 3)");
    }

    [Fact]
    public void Model_strings_are_escaped_to_plain_text()
    {
        var g = ReportModels.Demo(opName: ReportModels.EvilMix);
        var custom = g.Main.Operators.Single(o => o.Kind == OpKind.Custom);
        var results = ReportModels.Analyze(g, custom.Index, ReportModels.Evil + " | [x](y) `z` *w*");
        var md = MarkdownReport.Render([("dir/<b>evil|name<b>.tflite", results)]);

        md.Should().NotContainAny("<script>", "<img", "<b>", "\u2028");
        md.Should().Contain("&lt;script&gt;alert\\(1\\)&lt;/script&gt;");
        md.Should().Contain("### dir/&lt;b&gt;evil\\|name&lt;b&gt;.tflite");
        var line = md.Split('\n').Single(l => l.Contains("TEST-MOVE", StringComparison.Ordinal));
        line.Should().Contain("\\| \\[x\\]\\(y\\) \\`z\\` \\*w\\*");
        line.Should().Contain("\\\"q'uo\\\"te </script>".Replace("</script>", "&lt;/script&gt;", StringComparison.Ordinal));
        // Unescaped backticks come only from the rule id's code span.
        line.Replace("\\`", "", StringComparison.Ordinal).Count(c => c == '`').Should().Be(2);
    }

    [Theory]
    [InlineData("a|b", "a\\|b")]
    [InlineData("x\ny\r\nz", "x y  z")]
    [InlineData("<&>", "&lt;&amp;&gt;")]
    [InlineData("[l](u)", "\\[l\\]\\(u\\)")]
    [InlineData("`c` *e* _u_ ~s~ $m$ #h !i \\", "\\`c\\` \\*e\\* \\_u\\_ \\~s\\~ \\$m\\$ \\#h \\!i \\\\")]
    [InlineData("conv 3×3 – ok", "conv 3×3 – ok")]
    public void Escape_neutralises_markdown_syntax(string raw, string escaped) =>
        MarkdownReport.Escape(raw).Should().Be(escaped);
}
