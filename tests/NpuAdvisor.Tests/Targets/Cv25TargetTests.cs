using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;
using static NpuAdvisor.Tests.Targets.ResultQueries;

namespace NpuAdvisor.Tests.Targets;

public class Cv25TargetTests
{
    private static readonly Cv25Target Cv25 = new();

    private static TargetResult Image(long h, long w, long c = 3, DataType type = DataType.Float32)
    {
        var b = new GraphBuilder { ActivationType = type };
        b.Conv2D(b.Input("image", 1, h, w, c), 8, 3, 3);
        return Cv25.Analyze(b.BuildTflite());
    }

    [Fact]
    public void Rules_have_unique_prefixed_ids()
    {
        Cv25.Rules.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.OnlyContain(id => id.StartsWith("CV25-", StringComparison.Ordinal));
        Cv25.InputSize.Summary.Should().Contain($"{Cv25Target.InputMultiple}");
        Cv25.Description.Should().Contain("assumes its compiler maps every builtin");
    }

    [Fact]
    public void Input_224_is_aligned_225_pads_to_256()
    {
        Of(Image(224, 224), "CV25-INPUT-SIZE").Should().BeEmpty();
        var f = Of(Image(225, 225), "CV25-INPUT-SIZE").Should().ContainSingle().Subject;
        f.Message.Should().Be("input 'image' is 225×225: not a multiple of 32, so it is padded to 256×256 (29.5% more pixels)");
        f.Op.Should().BeNull();
        f.Rule.FixKind.Should().Be(FixKind.AlignInputSize);
    }

    [Fact]
    public void Only_the_unaligned_axis_matters()
    {
        Of(Image(256, 320), "CV25-INPUT-SIZE").Should().BeEmpty();
        Of(Image(256, 321), "CV25-INPUT-SIZE").Should().ContainSingle().Which.Message.Should().Contain("padded to 256×352");
    }

    [Fact]
    public void Float_model_is_fine_a_prequantized_model_is_told_the_compiler_quantizes()
    {
        Of(Image(224, 224), "CV25-PREQUANTIZED").Should().BeEmpty();
        Image(224, 224).AllFindings.Should().BeEmpty("a float, aligned, RGB model has nothing to fix on CV25");
        Of(Image(224, 224, type: DataType.Int8), "CV25-PREQUANTIZED").Should().ContainSingle()
            .Which.Message.Should().Contain($"already quantized ({QuantizationScheme.PerTensor.Describe()})");
    }

    [Fact]
    public void Input_must_be_three_channel_rgb()
    {
        Of(Image(224, 224, 3), "CV25-RGB-PLANAR").Should().BeEmpty();
        Of(Image(224, 224, 1), "CV25-RGB-PLANAR").Should().ContainSingle().Which.Message.Should().Contain("has 1 channel(s)");
    }

    [Fact]
    public void Every_builtin_maps_only_custom_ops_go_to_the_cpu()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 32, 32, 3);
        b.Binary(OpKind.SquaredDifference, x, x, "sqdiff");
        b.Custom("MyOp", x, [1, 32, 32, 3], "custom");
        var r = Cv25.Analyze(b.BuildTflite());
        r.Ops.Single(o => o.Op.Name == "sqdiff").Placement.Should().Be(Placement.Npu);
        r.Ops.Single(o => o.Op.Name == "custom").CpuReason!.Rule.Id.Should().Be("CV25-CUSTOM-OP");
    }
}
