using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Rewrite;
using Xunit;

namespace NpuAdvisor.Tests.TfliteWrite;

/// <summary>
/// The committed samples/sample_int8.tflite must be exactly what <see cref="SampleModel"/> builds.
/// To regenerate it after changing the builder: NPU_ADVISOR_REGENERATE_SAMPLE=1 dotnet test --filter SampleModel
/// </summary>
public class SampleModelTests
{
    private static string CommittedPath => Path.Combine(SharedModels.RepoRoot, "samples", SampleModel.FileName);

    [Fact]
    public void Committed_sample_is_byte_identical_to_a_fresh_build()
    {
        if (Environment.GetEnvironmentVariable("NPU_ADVISOR_REGENERATE_SAMPLE") == "1")
            SampleModel.Write(CommittedPath);
        File.Exists(CommittedPath).Should().BeTrue("samples/sample_int8.tflite is committed");
        SampleModel.Bytes().Should().Equal(File.ReadAllBytes(CommittedPath));
    }

    [Fact]
    public void Write_replaces_the_file_atomically_and_leaves_no_temporary_file()
    {
        var dir = Directory.CreateTempSubdirectory("npu-advisor-sample-");
        try
        {
            var path = Path.Combine(dir.FullName, "nested", SampleModel.FileName);
            SampleModel.Write(path);
            File.WriteAllText(path, "stale");
            SampleModel.Write(path);
            File.ReadAllBytes(path).Should().Equal(SampleModel.Bytes());
            Directory.GetFiles(Path.GetDirectoryName(path)!).Should().ContainSingle();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Builder_graph_has_the_layers_the_findings_need()
    {
        using var g = SampleModel.Build();
        var ops = g.Main.Operators;
        ops.Select(o => o.Kind).Should().Equal(
            OpKind.Conv2D, OpKind.Relu, OpKind.Pad, OpKind.Conv2D, OpKind.DepthwiseConv2D, OpKind.MaxPool2D,
            OpKind.Conv2D, OpKind.Conv2D, OpKind.Concatenation, OpKind.Mean, OpKind.FullyConnected, OpKind.Softmax);
        ops.Select(o => o.Name).Should().Equal(
            "stem/conv5x5_s3", "stem/relu", "block1/pad", "block1/conv3x3_valid", "block1/dwconv3x3_relu6", "block1/maxpool3x3_s2",
            "block2/conv1x1_100", "block2/conv3x3_28", "block2/concat", "head/mean", "head/fc", "head/softmax");
        ops[0].Attr<ConvAttributes>().Should().Match<ConvAttributes>(c => c.KernelH == 5 && c.KernelW == 5 && c.StrideH == 3 && c.StrideW == 3 && c.Activation == FusedActivation.None);
        ops[1].Inputs[0].Should().BeSameAs(ops[0].Outputs[0], "the RELU stands alone right after the stem conv");
        ops[2].Attr<PadAttributes>()!.Paddings.Should().Equal((0L, 0L), (1L, 1L), (1L, 1L), (0L, 0L));
        ops[4].Attr<ConvAttributes>()!.Activation.Should().Be(FusedActivation.Relu6);
        ops[5].Attr<PoolAttributes>().Should().Match<PoolAttributes>(p => p.FilterH == 3 && p.StrideH == 2);
        ops[6].Outputs[0].Shape.Should().Be(new Shape(1, 16, 16, 100));
        ops[8].Outputs[0].Shape.Should().Be(new Shape(1, 16, 16, 128));
        g.Main.Outputs.Single().Shape.Should().Be(new Shape(1, 10));
        g.AllOperators.Should().NotContain(o => o.Kind == OpKind.Custom);
        g.Main.Tensors.Where(t => t.IsConstant && t.Type != DataType.Int32).Should().OnlyContain(t => t.Type == DataType.Int8);
    }

    [Fact]
    public void Importer_reads_back_exactly_what_the_builder_meant()
    {
        using var built = SampleModel.Build();
        using var read = TfliteImporter.Load(CommittedPath);
        GraphAssert.Same(read, built);
        read.Main.Operators.Select(o => o.SourceType).Should().Equal(built.Main.Operators.Select(o => o.SourceType));
        read.Main.Tensors.Where(t => t.Quantization.Kind == QuantizationKind.PerAxis)
            .Should().HaveCount(10, "5 convolutions with per-channel weights and biases");
    }
}
