using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Cli;
using Xunit;

namespace NpuAdvisor.Tests.Cli;

/// <summary>The `fix` verb: exit codes, never over the input, dry run agreeing with the real run, idempotence.</summary>
public sealed class CliFixTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("npu-advisor-fix-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Out(string name) => Path.Combine(_dir.FullName, name);

    private static string Shared(string rel) => SharedModels.PathOf(rel);

    private static JsonElement Json(CliRun run) => JsonDocument.Parse(run.Out).RootElement;

    [Fact]
    public void Fix_writes_the_sample_rewritten_and_reports_what_it_resolved()
    {
        var o = Out("fixed.tflite");
        var run = CliRunner.Run("fix", CliRunner.Sample, "-t", "artpec9", "-o", o);
        run.ExitCode.Should().Be(Commands.Ok, run.Err);
        File.Exists(o).Should().BeTrue();
        run.Out.Should().Contain("fold-pad").And.Contain("#2 PAD 'block1/pad' + #3 CONV_2D 'block1/conv3x3_valid'")
            .And.Contain("A9-EXPLICIT-PADDING").And.Contain("fuse-activation").And.Contain("before → after");
        Directory.GetFiles(_dir.FullName).Should().ContainSingle("the write is atomic and leaves no temporary file");
    }

    [Fact]
    public void Dry_run_and_fix_agree_and_fix_on_its_own_output_applies_nothing()
    {
        var o = Out("fixed.tflite");
        var dry = CliRunner.Run("fix", CliRunner.Sample, "-t", "amlnn", "-o", o, "--dry-run", "-f", "json");
        dry.ExitCode.Should().Be(Commands.Ok, dry.Err);
        File.Exists(o).Should().BeFalse("--dry-run writes nothing");
        var real = CliRunner.Run("fix", CliRunner.Sample, "-t", "amlnn", "-o", o, "-f", "json");
        real.ExitCode.Should().Be(Commands.Ok, real.Err);
        foreach (var field in new[] { "applied", "not_applied", "before", "after" })
            Json(real).GetProperty(field).GetRawText().Should().Be(Json(dry).GetProperty(field).GetRawText(), field);
        Json(real).GetProperty("applied").GetArrayLength().Should().Be(2);

        var again = CliRunner.Run("fix", o, "-t", "amlnn", "-o", Out("again.tflite"));
        again.ExitCode.Should().Be(Commands.FailOnMet, again.Out + again.Err);
        File.Exists(Out("again.tflite")).Should().BeFalse();
    }

    [Fact]
    public void Nothing_to_fix_exits_1_and_writes_nothing()
    {
        var o = Out("never.tflite");
        var run = CliRunner.Run("fix", Shared("tflite/coral/mobilenet_v1_0.25_128_quant.tflite"), "-t", "artpec8", "-o", o);
        run.ExitCode.Should().Be(Commands.FailOnMet, run.Err);
        run.Out.Should().Contain("nothing to fix");
        File.Exists(o).Should().BeFalse();
    }

    [Fact]
    public void Output_over_the_input_or_a_link_to_it_is_refused()
    {
        var copy = Out("model.tflite");
        File.Copy(CliRunner.Sample, copy);
        var before = File.ReadAllBytes(copy);
        CliRunner.Run("fix", copy, "-t", "amlnn", "-o", copy).ExitCode.Should().Be(Commands.Usage);
        var sym = Out("sym.tflite");
        File.CreateSymbolicLink(sym, copy);
        CliRunner.Run("fix", copy, "-t", "amlnn", "-o", sym).ExitCode.Should().Be(Commands.Usage);
        if (OperatingSystem.IsLinux())
        {
            var hard = Out("hard.tflite");
            using (var ln = System.Diagnostics.Process.Start("ln", [copy, hard])) ln.WaitForExit();
            CliRunner.Run("fix", copy, "-t", "amlnn", "-o", hard).ExitCode.Should().Be(Commands.Usage);
        }
        File.ReadAllBytes(copy).Should().Equal(before);
    }

    [Theory]
    [InlineData("all")]
    [InlineData("artpec8,amlnn")]
    public void Several_targets_are_refused(string target) =>
        CliRunner.Run("fix", CliRunner.Sample, "-t", target, "-o", Path.Combine(Path.GetTempPath(), "unused.tflite")).ExitCode.Should().Be(Commands.Usage);

    [Fact]
    public void A_bad_model_exits_3_and_an_unknown_pass_2()
    {
        var bad = Out("bad.tflite");
        File.WriteAllBytes(bad, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        CliRunner.Run("fix", bad, "-t", "amlnn", "-o", Out("x.tflite")).ExitCode.Should().Be(Commands.BadModel);
        CliRunner.Run("fix", CliRunner.Sample, "-t", "amlnn", "-o", Out("x.tflite"), "--only", "no-such-pass").ExitCode.Should().Be(Commands.Usage);
        File.Exists(Out("x.tflite")).Should().BeFalse();
    }

    [Fact]
    public void An_output_folder_that_does_not_exist_is_an_error_not_a_crash()
    {
        var run = CliRunner.Run("fix", CliRunner.Sample, "-t", "amlnn", "-o", Path.Combine(_dir.FullName, "missing", "x.tflite"));
        run.ExitCode.Should().Be(Commands.Usage);
        run.Err.Should().StartWith("error: cannot write");
    }

    [Fact]
    public void Only_runs_the_named_passes()
    {
        var run = CliRunner.Run("fix", CliRunner.Sample, "-t", "artpec8", "--dry-run", "--only", "fuse-activation", "-f", "json");
        run.ExitCode.Should().Be(Commands.Ok, run.Err);
        Json(run).GetProperty("applied").EnumerateArray().Select(a => a.GetProperty("pass").GetString()).Should().Equal("fuse-activation");
    }
}
