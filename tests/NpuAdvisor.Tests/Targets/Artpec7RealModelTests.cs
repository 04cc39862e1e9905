using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Targets;

/// <summary>ARTPEC-7 on the shared real models, checked against what the real edgetpu_compiler did.</summary>
public class Artpec7RealModelTests
{
    private static readonly Artpec7Target T = new();

    public static IEnumerable<object[]> EdgeTpuPairs =>
    [
        ["tflite/coral/mobilenet_v1_0.25_128_quant.tflite", "tflite/coral/mobilenet_v1_0.25_128_quant_edgetpu.tflite"],
        ["tflite/coral/split_concat.tflite", "tflite/coral/split_concat_edgetpu.tflite"],
    ];

    [Theory]
    [MemberData(nameof(EdgeTpuPairs))]
    public void Cpu_ops_are_exactly_those_the_compiler_left_outside_edgetpu_custom_op(string source, string compiled)
    {
        using var compiledGraph = TfliteImporter.Load(SharedModels.PathOf(compiled));
        compiledGraph.Main.Operators.Should().Contain(o => o.Kind == OpKind.Custom && o.CustomCode == "edgetpu-custom-op");
        var leftOnCpu = compiledGraph.Main.Operators.Where(o => o.CustomCode != "edgetpu-custom-op")
            .SelectMany(o => o.Outputs).Select(t => t.Name).ToHashSet();

        using var g = TfliteImporter.Load(SharedModels.PathOf(source));
        var r = T.Analyze(g);
        var ourCpu = r.Ops.Where(o => !o.Placement.OnNpu()).SelectMany(o => o.Op.Outputs).Select(t => t.Name).ToHashSet();

        ourCpu.Should().BeEquivalentTo(leftOnCpu);
        r.Ops.Count(o => o.Placement.OnNpu()).Should().Be(g.Main.Operators.Count - r.Ops.Count(o => !o.Placement.OnNpu()));
        r.Segments.Should().HaveCount(1);
    }

    [Fact]
    public void Selfie_segmentation_custom_op_runs_on_the_cpu_with_a_reason()
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf("tflite/mediapipe/selfie_segmentation.tflite"));
        var r = T.Analyze(g);
        var custom = r.Ops.Single(o => o.Op.Kind == OpKind.Custom);
        custom.Placement.Should().Be(Placement.Cpu);
        custom.CpuReason!.Rule.Id.Should().Be("A7-CUSTOM-OP");
        custom.CpuReason.Message.Should().Contain("Convolution2DTransposeBias");
    }

    [Theory]
    [InlineData("tflite/mediapipe/face_detection_short_range.tflite")]
    [InlineData("tflite/mediapipe/hand_recrop.tflite")]
    [InlineData("tflite/mediapipe/selfie_segmentation.tflite")]
    [InlineData("tflite/mediapipe/face_detection_full_range_sparse.tflite")]
    public void Float_models_stay_on_the_cpu_with_the_data_type_reason(string path)
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));
        var r = T.Analyze(g);
        r.Ops.Should().OnlyContain(o => o.Placement == Placement.Cpu);
        var convs = r.Ops.Where(o => o.Op.Kind is OpKind.Conv2D or OpKind.DepthwiseConv2D).ToList();
        convs.Should().NotBeEmpty();
        convs.Should().OnlyContain(o => o.CpuReason!.Rule.Id == "A7-DATA-TYPE"
                                        && o.CpuReason.Message.StartsWith("Operation is working on an unsupported data type"));
        r.ModelFindings.Should().Contain(f => f.Rule.Id == "A7-FLOAT-MODEL");
    }

    [Fact]
    public void Per_tensor_and_per_channel_models_get_the_accuracy_tip_only_when_per_tensor()
    {
        using var pt = TfliteImporter.Load(SharedModels.PathOf("tflite/coral/mobilenet_v2_1.0_224_quant.tflite"));
        using var pc = TfliteImporter.Load(SharedModels.PathOf("tflite/coral/tf2_mobilenet_v2_1.0_224_ptq.tflite"));
        var rpt = T.Analyze(pt);
        rpt.ModelFindings.Should().Contain(f => f.Rule.Id == "A7-PER-CHANNEL" && f.Message.StartsWith("53 of 53"));
        rpt.Ops.Should().OnlyContain(o => o.Placement == Placement.Npu);
        rpt.ModelFindings.Should().NotContain(f => f.Rule.Id == "A7-PARAMETER-CACHE"); // 3.5 M parameters fit
        var rpc = T.Analyze(pc);
        rpc.ModelFindings.Should().NotContain(f => f.Rule.Id == "A7-PER-CHANNEL");
        rpc.Ops.Should().OnlyContain(o => o.Placement == Placement.Npu);
    }

    [Fact]
    public void Lstm_with_a_16_bit_cell_state_maps_with_the_whole_model_as_in_corals_compiled_twin()
    {
        // google-coral/test_data keras_lstm_mnist_ptq_edgetpu.tflite is one edgetpu-custom-op: the int16 cell state does not
        // keep the LSTM off the Edge TPU.
        using var g = TfliteImporter.Load(SharedModels.PathOf("tflite/coral/keras_lstm_mnist_ptq.tflite"));
        var r = T.Analyze(g);
        r.Ops.Should().OnlyContain(o => o.Placement == Placement.Npu);
        r.Segments.Should().ContainSingle();
        r.ModelFindings.Should().NotContain(f => f.Rule.Id == "A7-PARTITION-BREAKER");
    }
}
