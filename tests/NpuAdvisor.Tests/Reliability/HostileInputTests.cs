using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Reports;
using NpuAdvisor.Tests.Cli;
using Xunit;

namespace NpuAdvisor.Tests.Reliability;

/// <summary>Hand-built hostile models that random mutation rarely produces: sizes that overflow 64 bits, names that drive a terminal.</summary>
public class HostileInputTests
{
    private const long Max32 = int.MaxValue;

    private static byte[] Written(Action<GraphBuilder> build)
    {
        var b = new GraphBuilder();
        build(b);
        return TfliteExporter.Write(b.Build());
    }

    [Fact]
    public void A_feature_map_of_more_than_2_to_the_63_bits_is_refused_not_reported_with_wrapped_macs()
    {
        // 1×(2^31−1)×(2^31−1)×8 int8: 3.7·10^19 elements. Before, check printed negative MACs and an estimate of 7.8·10^11 ms.
        var bytes = Written(b => b.Output(b.Conv2D(b.Input("huge", 1, Max32, Max32, 8), 8, 1, 1, name: "conv")));
        var act = () => TfliteImporter.Load(bytes);
        act.Should().Throw<ModelFormatException>().WithMessage("tensor 'huge' of shape 1×2147483647×2147483647×8 (int8) is larger than 2^63 bits*");
    }

    [Fact]
    public void Macs_past_64_bits_are_refused_even_when_every_tensor_fits()
    {
        // 2^52 output elements (2^55 bits each tensor) × 1×1 × 2^12 input channels = 2^64 MACs.
        var bytes = Written(b => b.Output(b.Conv2D(b.Input("wide", 1, 1 << 20, 1 << 20, 1 << 12), 1 << 12, 1, 1, name: "conv")));
        var act = () => TfliteImporter.Load(bytes);
        act.Should().Throw<ModelFormatException>().WithMessage("CONV_2D 'conv' needs more than 2^63 multiply-accumulates*");
    }

    [Fact]
    public void Macs_never_go_negative_on_large_but_valid_shapes()
    {
        using var g = TfliteImporter.Load(Written(b => b.Output(b.Conv2D(b.Input("big", 1, 1 << 15, 1 << 15, 16), 16, 3, 3, name: "conv"))));
        g.Macs(g.Main.Operators[0]).Should().Be((1L << 30) * 16 * 9 * 16);
    }

    [Theory]
    [InlineData("\u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\", "\\x1B]8;;https://evil.example\\x1B\\click")]
    [InlineData("\u001b[31mred\u001b[0m", "\\x1B[31mred\\x1B[0m")]
    [InlineData("bell\u0007back\bspace\rret", "bell\\x07back\\x08space\\x0Dret")]
    [InlineData("c1\u009b31m", "c1\\x9B31m")]
    [InlineData("abc\u202egnp.exe", "abc\\u202Egnp.exe")]
    [InlineData("two\nlines", "two⏎lines")]
    public void Terminal_text_shows_control_characters_escaped(string name, string shown)
    {
        TerminalText.Escape(name).Should().StartWith(shown);
        TerminalText.Escape(name).Should().NotContainAny("\u001b", "\u0007", "\b", "\r", "\u009b", "\u202e", "\n");
    }

    [Fact]
    public void A_tensor_name_with_an_osc_8_hyperlink_reaches_the_table_escaped()
    {
        const string hostile = "img\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\|[red]x[/]";
        var path = Path.Combine(Path.GetTempPath(), $"hostile-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(path, Written(b =>
        {
            var x = b.Input(hostile, 1, 8, 8, 3);
            b.Output(b.Custom(hostile, b.Conv2D(x, 8, 3, 3, name: hostile + "/conv"), [1, 8, 8, 8], name: hostile + "/out"));
        }));
        try
        {
            foreach (var verb in new[] { "check", "inspect", "estimate" })
            {
                var run = CliRunner.Run(verb, path, "--target", "artpec8", "--all-ops");
                if (verb != "check") run = CliRunner.Run(verb, path);
                (run.Out + run.Err).Should().NotContainAny(["\u001b", "\u0007"], verb);
                run.Out.Should().Contain("\\x1B]8;;https://evil.example", verb);
            }
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void The_error_line_escapes_the_path_it_names()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad\u001b]0;title\u0007-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        try
        {
            var run = CliRunner.Run("check", path);
            run.ExitCode.Should().Be(3);
            run.Err.Should().NotContainAny("\u001b", "\u0007").And.Contain("\\x1B]0;title\\x07");
        }
        finally { File.Delete(path); }
    }
}
