using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Targets;

/// <summary>ARTPEC-9 (and ARTPEC-7 for robustness) on the shared real models.</summary>
public class Artpec9RealModelTests
{
    private static readonly Artpec9Target T = new();

    public static IEnumerable<object[]> TflitePaths => SharedModels.Paths("tflite");

    [Theory]
    [MemberData(nameof(TflitePaths))]
    public void Every_shared_tflite_model_analyses_on_artpec7_and_artpec9(string path)
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));
        foreach (var target in new Target[] { new Artpec7Target(), T })
        {
            var r = target.Analyze(g);
            r.Ops.Should().HaveCount(g.AllOperators.Count());
            r.Ops.Where(o => !o.Placement.OnNpu()).Should().NotContain(o => o.CpuReason == null, $"{target.Id} must say why each op leaves the NPU");
            r.AllFindings.Select(f => f.Rule).Should().NotContain(rule => !target.Rules.Contains(rule), "every fired rule is listed");
        }
    }

    [Fact]
    public void Mobilenet_v2_maps_except_softmax_which_goes_to_the_accelerated_cpu()
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf("tflite/coral/mobilenet_v2_1.0_224_quant.tflite"));
        var r = T.Analyze(g);
        r.Ops.Where(o => !o.Placement.OnNpu()).Should().ContainSingle().Which.Op.Kind.Should().Be(OpKind.Softmax);
        r.Ops.Single(o => o.Op.Kind == OpKind.Softmax).Placement.Should().Be(Placement.CpuAccelerated);
        r.Ops.Where(o => o.Findings.Any(f => f.Rule.Id == "A9-FILTERS-16")).Should().HaveCount(3); // the three 24-filter 1×1 convs
    }

    [Fact]
    public void Per_channel_weights_are_accepted()
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf("tflite/coral/tf2_mobilenet_v2_1.0_224_ptq.tflite"));
        var r = T.Analyze(g);
        r.AllFindings.Should().NotContain(f => f.Rule.Id == "A9-QUANT-AXIS");
        r.Ops.Where(o => o.Op.Kind is OpKind.Conv2D or OpKind.DepthwiseConv2D).Should().OnlyContain(o => o.Placement == Placement.Npu);
    }

    [Fact]
    public void Yolov5n_stem_conv_6x6_is_refused_and_explicit_pads_are_flagged()
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf("tflite/axis/yolov5n_artpec8_coco_640.tflite"));
        var r = T.Analyze(g);
        var stem = r.Ops.Single(o => o.Findings.Any(f => f.Rule.Id == "A9-CONV-KERNEL"));
        stem.CpuReason!.Message.Should().Be("Unsupported kernel size. Width(6)/height(6) must be in { 1, 2, 3, 5, 7, 9 }");
        r.Ops.Count(o => o.Findings.Any(f => f.Rule.Id == "A9-EXPLICIT-PADDING")).Should().Be(r.Ops.Count(o => o.Op.Kind == OpKind.Pad));
    }

    [Theory]
    [InlineData("tflite/mediapipe/face_detection_short_range.tflite")]
    [InlineData("tflite/mediapipe/hand_recrop.tflite")]
    [InlineData("tflite/mediapipe/selfie_segmentation.tflite")]
    public void Float_models_leave_the_dlpu_with_the_data_type_reason(string path)
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));
        var r = T.Analyze(g);
        r.Ops.Should().OnlyContain(o => !o.Placement.OnNpu());
        r.Ops.Where(o => o.Op.Kind == OpKind.Conv2D).Should().OnlyContain(o =>
            o.CpuReason!.Rule.Id == "A9-DATA-TYPE" && o.CpuReason.Message.EndsWith("must be UINT8_QUANTIZED or INT8_QUANTIZED")
            && o.Placement == Placement.CpuAccelerated);
        r.ModelFindings.Should().Contain(f => f.Rule.Id == "A9-FLOAT-MODEL");
    }

    [Fact]
    public void Selfie_segmentation_custom_op_runs_on_the_plain_cpu_with_a_reason()
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf("tflite/mediapipe/selfie_segmentation.tflite"));
        var custom = T.Analyze(g).Ops.Single(o => o.Op.Kind == OpKind.Custom);
        custom.Placement.Should().Be(Placement.Cpu);
        custom.CpuReason!.Rule.Id.Should().Be("A9-CUSTOM-OP");
    }
}
