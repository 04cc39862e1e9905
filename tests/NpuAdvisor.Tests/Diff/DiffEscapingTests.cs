using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Tests.Cli;
using Xunit;

namespace NpuAdvisor.Tests.Diff;

/// <summary>A layer whose name carries Markdown, HTML, Spectre markup, terminal escapes and a bidi override, changed between two versions.</summary>
public sealed class DiffEscapingTests : IDisposable
{
    private const string Evil = "fc|`*_[red]x[/](y)<b>#\u001b[31mred\u001b]8;;http://e\u0007\u202egnp.exe\n~$";

    private readonly DiffModels _models = new();
    private readonly string _old, _new;

    public DiffEscapingTests()
    {
        _old = _models.Write("evil_old.tflite", Model(shuffled: false));
        _new = _models.Write("evil_new.tflite", Model(shuffled: true));
    }

    public void Dispose() => _models.Dispose();

    /// <summary>conv → MEAN → FC named <see cref="Evil"/> → SOFTMAX; with shuffled weights the FC leaves the AMLNN NPU.</summary>
    private static Graph Model(bool shuffled)
    {
        var b = new GraphBuilder(9);
        var x = b.Conv2D(b.Input("input", 1, 16, 16, 3), 8, 3, 3, name: "conv");
        x = b.Mean(x, [1, 2], keepDims: false, name: "mean");
        x = b.FullyConnected(x, 4, name: Evil);
        b.Output(b.Softmax(x, "softmax"));
        var g = b.Build();
        var fc = g.Main.Operators.Single(o => o.Kind == OpKind.FullyConnected);
        fc.Attributes = fc.Attr<FullyConnectedAttributes>()! with { ShuffledWeights = shuffled };
        return g;
    }

    [Fact]
    public void Json_keeps_the_name_exactly_and_inert()
    {
        var run = CliRunner.Run("diff", _old, _new, "--target", "amlnn", "--format", "json");
        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().NotContainAny("<b>", "\u001b", "\u202e");
        using var doc = JsonDocument.Parse(run.Out);
        var moved = doc.RootElement.GetProperty("targets")[0].GetProperty("placement_changes").EnumerateArray().Should().ContainSingle().Subject;
        moved.GetProperty("new").GetProperty("name").GetString().Should().Be(Evil);
    }

    [Fact]
    public void Markdown_escapes_the_name_wherever_it_appears()
    {
        var run = CliRunner.Run("diff", _old, _new, "--target", "amlnn", "--format", "markdown");
        run.ExitCode.Should().Be(0, run.Err);
        var escaped = MarkdownReport.Escape(Evil);
        run.Out.Should().NotContainAny("<b>", "\u001b", "\u202e", "\u0007", "[red]x");
        // Placement change, findings added and removed, and the layer row.
        run.Out.Split(escaped).Length.Should().BeGreaterThanOrEqualTo(4);
        // Only the two tables' own pipes remain: 4 columns per layer row, 8 per summary row.
        run.Out.Split('\n').Where(l => l.StartsWith('|')).Select(l => l.Replace("\\|", "", StringComparison.Ordinal).Count(c => c == '|'))
            .Should().OnlyContain(n => n == 5 || n == 9);
    }

    [Fact]
    public void Table_shows_control_characters_as_escapes_and_markup_as_text()
    {
        var run = CliRunner.Run("diff", _old, _new, "--target", "amlnn");
        run.ExitCode.Should().Be(0, run.Err);
        run.Out.Should().NotContainAny("\u001b", "\u0007", "\u202e");
        run.Out.Should().Contain("[red]x[/]").And.Contain("\\x1B[31mred").And.Contain("\\u202E");
    }
}
