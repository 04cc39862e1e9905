using System.Text.RegularExpressions;
using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.CrossFormat;

/// <summary>
/// The same network as TFLite and as ONNX must get the same advice: per corresponding op the same
/// placement, the same rule ids and the same numbers in each message. Float32 is compared on every
/// target; int8 TFLite vs QDQ ONNX on the targets that read QDQ (the ARTPEC ones are skipped with the
/// reason). Where the formats genuinely differ (the fused RELU6 that ONNX writes as its own Clip node,
/// per-axis amounts printed in the file's own axis order) the difference is asserted, not skipped.
/// </summary>
public partial class CrossFormatTests
{
    private static readonly Graph TfliteGraph = CrossFormatNetwork.Tflite(int8: false);
    private static readonly Graph OnnxGraph = CrossFormatNetwork.Onnx(qdq: false);
    private static readonly Graph TfliteInt8Graph = CrossFormatNetwork.Tflite(int8: true);
    private static readonly Graph OnnxInt8Graph = CrossFormatNetwork.Onnx(qdq: true);

    public static TheoryData<string> TargetIds => [.. TargetRegistry.All.Select(t => t.Id)];

    [Fact]
    public void Both_graphs_hold_the_corresponding_ops_with_the_same_kinds_and_logical_shapes()
    {
        TfliteGraph.Layout.Should().Be(TensorLayout.Nhwc);
        OnnxGraph.Layout.Should().Be(TensorLayout.Nchw);
        TfliteGraph.Main.Operators.Select(o => o.Name).Should().Equal(CrossFormatNetwork.SharedOps);
        OnnxGraph.Main.Operators.Select(o => o.Name).Should().BeEquivalentTo([.. CrossFormatNetwork.SharedOps, CrossFormatNetwork.DepthwiseClip]);
        foreach (var name in CrossFormatNetwork.SharedOps)
        {
            var (t, o) = (Op(TfliteGraph, name), Op(OnnxGraph, name));
            o.Kind.Should().Be(t.Kind, name);
            // dw's TFLite output is after the fused RELU6; the ONNX conv's own output is the pre-activation tensor of the same shape.
            (OnnxGraph.Logical(o.Output(0)) ?? default).Should().Be(TfliteGraph.Logical(t.Output(0)) ?? default, name);
            var d = t.Output(0)!.Shape.Dims.ToArray();
            o.Output(0)!.Shape.Dims.Should().Equal(d.Length == 4 ? [d[0], d[3], d[1], d[2]] : d, name);
        }
        Op(OnnxGraph, CrossFormatNetwork.DepthwiseClip).Kind.Should().Be(OpKind.Relu6, "Clip(0, 6) reads as RELU6");
        Op(TfliteGraph, "dw").Attr<ConvAttributes>()!.Activation.Should().Be(FusedActivation.Relu6);
        Op(OnnxGraph, "dw").Attr<ConvAttributes>()!.Activation.Should().Be(FusedActivation.None);
    }

    [Theory]
    [MemberData(nameof(TargetIds))]
    public void Corresponding_ops_get_the_same_placement_rules_and_numbers(string targetId) =>
        AssertSameAdvicePerOp(targetId, TfliteGraph, OnnxGraph);

    [Fact]
    public void Int8_tflite_and_qdq_onnx_hold_the_same_ops_shapes_and_quantization()
    {
        // Every DQ → op → Q group reads as one quantized op; the Clip(0, 6) between dw and its Q is fused into dw as in TFLite.
        OnnxInt8Graph.Main.Operators.Where(o => o.Kind is not (OpKind.Quantize or OpKind.Dequantize)).Select(o => o.Name)
            .Should().BeEquivalentTo(CrossFormatNetwork.SharedOps);
        Op(OnnxInt8Graph, "dw").Attr<ConvAttributes>()!.Activation.Should().Be(FusedActivation.Relu6);
        foreach (var name in CrossFormatNetwork.SharedOps)
        {
            var (t, o) = (Op(TfliteInt8Graph, name), Op(OnnxInt8Graph, name));
            o.Kind.Should().Be(t.Kind, name);
            (OnnxInt8Graph.Logical(o.Output(0)) ?? default).Should().Be(TfliteInt8Graph.Logical(t.Output(0)) ?? default, name);
            // QDQ: the unit reads and writes the integer tensors, with the scale TFLite stores on its int8 tensors.
            (o.Output(0)!.Type, o.Output(0)!.Quantization.Scale).Should().Be((t.Output(0)!.Type, t.Output(0)!.Quantization.Scale), name);
            (o.Input(0)!.Type, o.Input(0)!.Quantization.Scale).Should().Be((t.Input(0)!.Type, t.Input(0)!.Quantization.Scale), name);
            if (Metrics.StoredWeights(t.Weights()) is { } tw)
            {
                var ow = Metrics.StoredWeights(o.Weights())!;
                (ow.Type, ow.Quantization.Kind, ow.Quantization.Scale).Should().Be((tw.Type, tw.Quantization.Kind, tw.Quantization.Scale), name);
            }
        }
        TfliteInt8Graph.Scheme().Should().Be(OnnxInt8Graph.Scheme());
    }

    /// <summary>Every target gives a QDQ model the same per-op advice as the int8 TFLite model.</summary>
    [Theory]
    [MemberData(nameof(TargetIds))]
    public void Int8_tflite_and_qdq_onnx_get_the_same_placement_rules_and_numbers(string targetId) =>
        AssertSameAdvicePerOp(targetId, TfliteInt8Graph, OnnxInt8Graph);

    private static void AssertSameAdvicePerOp(string targetId, Graph tflite, Graph onnx)
    {
        var target = TargetRegistry.Find(targetId)!;
        var (t, o) = (target.Analyze(tflite), target.Analyze(onnx));

        foreach (var name in CrossFormatNetwork.SharedOps)
        {
            var (tr, or) = (Result(t, name), Result(o, name));
            or.Placement.Should().Be(tr.Placement, $"{targetId} places '{name}' the same whatever the format");
            or.Macs.Should().Be(tr.Macs, $"'{name}' does the same work");
            Ids(or).Should().Equal(Ids(tr), $"{targetId} '{name}' rules");
            foreach (var id in Ids(tr))
            {
                var (tm, om) = (Message(tr, id), Message(or, id));
                if (LayoutOrderedMessages.Contains(id))
                    Numbers(om).Order().Should().Equal(Numbers(tm).Order(), $"{id} on '{name}' lists the same amounts, in the source layout's axis order");
                else if (!(id == "AML-DW-RELU6" && name == "dw"))
                    Numbers(om).Should().Equal(Numbers(tm), $"{id} on '{name}': '{tm}' vs '{om}'");
            }
        }
    }

    /// <summary>Messages that list per-axis amounts as the model stores them: NHWC in TFLite, NCHW in ONNX.</summary>
    private static readonly HashSet<string> LayoutOrderedMessages = ["A9-EXPLICIT-PADDING"];

    [Fact]
    public void Explicit_padding_is_reported_in_the_axis_order_of_the_users_file()
    {
        var target = TargetRegistry.Find("artpec9")!;
        Message(Result(target.Analyze(TfliteGraph), "padded"), "A9-EXPLICIT-PADDING").Should().Be("explicit PAD by (0,0), (1,1), (1,1), (0,0): an extra pass over the feature map");
        Message(Result(target.Analyze(OnnxGraph), "padded"), "A9-EXPLICIT-PADDING").Should().Be("explicit PAD by (0,0), (0,0), (1,1), (1,1): an extra pass over the feature map");
    }

    [Fact]
    public void Amlnn_depthwise_relu6_tip_names_the_fused_activation_in_tflite_and_the_clip_node_in_onnx()
    {
        var target = TargetRegistry.Find("amlnn")!;
        // Same rule, same op; the message says where the RELU6 is, because the fix differs in wording only.
        Message(Result(target.Analyze(TfliteGraph), "dw"), "AML-DW-RELU6").Should().StartWith("fused RELU6 on a depthwise convolution");
        Message(Result(target.Analyze(OnnxGraph), "dw"), "AML-DW-RELU6").Should().StartWith("standalone RELU6 'dwclip' after a depthwise convolution");
    }

    [Theory]
    [MemberData(nameof(TargetIds))]
    public void The_onnx_clip_node_is_treated_like_the_standalone_relu_and_placed_with_its_convolution(string targetId)
    {
        var target = TargetRegistry.Find(targetId)!;
        var o = target.Analyze(OnnxGraph);
        var clip = Result(o, CrossFormatNetwork.DepthwiseClip);
        // The clip exists only in ONNX (TFLite fuses it into dw). It is a float activation like 'bodyrelu', so it
        // gets the same data-type/placement verdict; no rule may treat it differently from a standalone RELU.
        clip.Placement.Should().Be(Result(o, "bodyrelu").Placement);
        clip.Placement.Should().Be(Result(o, "dw").Placement);
        Ids(clip).Should().Equal(Ids(Result(o, "bodyrelu")));
    }

    [Theory]
    [MemberData(nameof(TargetIds))]
    public void Model_findings_agree_except_for_the_op_count_of_the_extra_clip(string targetId)
    {
        var target = TargetRegistry.Find(targetId)!;
        var (t, o) = (target.Analyze(TfliteGraph), target.Analyze(OnnxGraph));
        o.ModelFindings.Select(f => f.Rule.Id).Should().Equal(t.ModelFindings.Select(f => f.Rule.Id));
        foreach (var (tf, of) in t.ModelFindings.Zip(o.ModelFindings))
        {
            var (tn, on) = (Numbers(tf.Message), Numbers(of.Message));
            if (tf.Rule.Id.EndsWith("-FLOAT-MODEL", StringComparison.Ordinal))
            {
                // "N of M ops compute on float": the float Clip is one op more in ONNX (TFLite fused it into dw), so both counts are one higher.
                on.Should().Equal(tn.Take(2).Select(n => n + 1).Concat(tn.Skip(2)), $"'{tf.Message}' vs '{of.Message}'");
            }
            else on.Should().Equal(tn, $"'{tf.Message}' vs '{of.Message}'");
        }
        o.Segments.Count.Should().Be(t.Segments.Count);
        o.Summary.TotalMacs.Should().Be(t.Summary.TotalMacs);
    }

    private static Operator Op(Graph g, string name) => g.Main.Operators.Single(o => o.Name == name);

    private static OpResult Result(TargetResult r, string name) => r.Ops.Single(o => o.Op.Name == name);

    private static List<string> Ids(OpResult r) => [.. r.Findings.Select(f => f.Rule.Id).Distinct().Order(StringComparer.Ordinal)];

    private static string Message(OpResult r, string id) => r.Findings.Single(f => f.Rule.Id == id).Message;

    /// <summary>The numbers of a message, in order, once quoted tensor/op names are removed (names differ between formats).</summary>
    internal static List<long> Numbers(string message) =>
        [.. NumberPattern().Matches(QuotedPattern().Replace(message, "")).Select(m => long.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture))];

    [GeneratedRegex("'[^']*'")]
    private static partial Regex QuotedPattern();

    [GeneratedRegex(@"\d+")]
    private static partial Regex NumberPattern();
}
