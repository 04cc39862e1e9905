using System.Text.RegularExpressions;
using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Formats;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using NpuAdvisor.Tests.CrossFormat;
using Xunit;

namespace NpuAdvisor.Tests.Diff;

/// <summary>Which op of one version is which op of the other: by name, by type and position, by neighbourhood; across formats.</summary>
public partial class OpMatchingTests
{
    public static TheoryData<bool> Int8 => [false, true];

    private static Graph Twin(bool onnx, bool int8) => onnx ? CrossFormatNetwork.Onnx(qdq: int8) : CrossFormatNetwork.Tflite(int8);

    [Theory]
    [MemberData(nameof(Int8))]
    public void Tflite_and_onnx_twins_pair_by_name_and_show_no_placement_change(bool int8)
    {
        using var tflite = Twin(onnx: false, int8);
        using var onnx = Twin(onnx: true, int8);
        var diff = ModelDiff.Compare(tflite, onnx, TargetRegistry.All);
        diff.Matching.Pairs.Should().OnlyContain(p => p.By == MatchedBy.Name && p.Old.Name == p.New.Name);
        diff.Matching.Pairs.Select(p => p.Old.Name).Should().BeEquivalentTo(CrossFormatNetwork.SharedOps);
        diff.Matching.Removed.Should().BeEmpty();
        foreach (var t in diff.Targets)
            t.Placements.Should().BeEmpty($"{t.Target.Id} places corresponding ops alike (CrossFormatTests)");
    }

    [Theory]
    [MemberData(nameof(Int8))]
    public void Without_common_names_the_twins_pair_by_type_and_position_with_the_same_layers(bool int8)
    {
        using var tflite = Twin(onnx: false, int8);
        using var onnx = Twin(onnx: true, int8);
        var original = new Dictionary<Operator, string>();
        foreach (var (op, i) in onnx.Main.Operators.Select((o, i) => (o, i)))
        {
            original[op] = op.Name;
            op.Name = $"node_{i}";
        }
        var diff = ModelDiff.Compare(tflite, onnx, TargetRegistry.All);
        diff.Matching.Pairs.Should().HaveCount(CrossFormatNetwork.SharedOps.Length);
        diff.Matching.Pairs.Should().OnlyContain(p => p.By == MatchedBy.TypeAndPosition);
        foreach (var p in diff.Matching.Pairs) original[p.New].Should().Be(p.Old.Name);
        diff.Matching.Removed.Should().BeEmpty();
        // What only ONNX writes as its own node: the Clip after the float depthwise conv, QDQ's outer Q and DQ.
        diff.Matching.Added.Select(o => original[o]).Should().BeEquivalentTo(original.Values.Except(CrossFormatNetwork.SharedOps));
        diff.Matching.Added.Should().NotBeEmpty();
        foreach (var t in diff.Targets) t.Placements.Should().BeEmpty(t.Target.Id);
    }

    [GeneratedRegex(@"functional_1/((?:depthwise_)?conv2d(?:_\d+)?|max_pooling2d(?:_\d+)?|add(?:_\d+)?)/")]
    private static partial Regex KerasLayer();

    /// <summary>
    /// BlazeFace front as tf2onnx exported it and MediaPipe's short-range TFLite: the same Keras layers, no name in
    /// common, transposes and pads written differently, and branches the two execution orders visit in another order.
    /// </summary>
    [Fact]
    public void Blazeface_onnx_export_and_tflite_pair_the_same_keras_layers_and_keep_placements()
    {
        using var onnx = ModelLoader.Load(SharedModels.PathOf("onnx/blazeface/face_detection_front_128x128_barracuda.onnx"));
        using var tflite = ModelLoader.Load(SharedModels.PathOf("tflite/mediapipe/face_detection_short_range.tflite"));
        var diff = ModelDiff.Compare(onnx, tflite, TargetRegistry.All);
        var layers = diff.Matching.Pairs.Where(p => p.Old.Kind is OpKind.Conv2D or OpKind.DepthwiseConv2D or OpKind.MaxPool2D or OpKind.Add)
            .Select(p => (Layer: KerasLayer().Match(p.Old.Name), p.New.Name)).Where(x => x.Layer.Success).ToList();
        // 17 convolutions, 16 depthwise, 3 max pools and 16 adds in the backbone (the 4 head convs are conv2d_17…20).
        layers.Should().HaveCountGreaterThanOrEqualTo(52);
        foreach (var (layer, name) in layers.Where(x => !IsHead(x.Layer.Groups[1].Value)))
            name.Should().StartWith(layer.Groups[1].Value, "layer names end with the same Keras layer");
        diff.Matching.Pairs.Where(p => p.Old.Kind is OpKind.Conv2D or OpKind.DepthwiseConv2D).Should()
            .OnlyContain(p => p.Old.Output(0)!.Shape.ElementCount == p.New.Output(0)!.Shape.ElementCount);
        foreach (var t in diff.Targets) t.Placements.Should().BeEmpty(t.Target.Id);
        // The TFLite file's DEQUANTIZE ops of float16 weights run once at prepare time: not CPU ops at inference.
        tflite.Main.Operators.Count(o => o.Kind == OpKind.Dequantize).Should().BeGreaterThan(70);
        diff.Targets.Should().OnlyContain(t => !t.MoreCpuOps);
    }

    private static bool IsHead(string layer) => layer is "conv2d_17" or "conv2d_18" or "conv2d_19" or "conv2d_20";

    [Fact]
    public void Renamed_ops_pair_by_type_preferring_the_same_output_size_and_a_dropped_layer_is_removed()
    {
        Graph Chain(bool dropMiddle, string[] names)
        {
            var b = new GraphBuilder(3);
            var x = b.Input("input", 1, 8, 8, 4);
            x = b.Conv2D(x, 16, 3, 3, name: names[0]);
            if (!dropMiddle) x = b.Conv2D(x, 24, 3, 3, name: "b");
            x = b.Conv2D(x, 32, 3, 3, name: names[1]);
            b.Output(b.Unary(OpKind.Relu, x, "r"));
            return b.Build();
        }
        using var old = Chain(dropMiddle: false, ["a", "c"]);
        using var @new = Chain(dropMiddle: true, ["x", "z"]);
        var m = OpMatching.Match(old, @new);
        m.Pairs.Select(p => (p.Old.Name, p.New.Name, p.By)).Should().BeEquivalentTo(
            [("a", "x", MatchedBy.TypeAndPosition), ("c", "z", MatchedBy.TypeAndPosition), ("r", "r", MatchedBy.Name)]);
        m.Removed.Select(o => o.Name).Should().Equal("b");
        m.Added.Should().BeEmpty();
    }

    [Fact]
    public void A_renamed_branch_stored_in_the_other_order_still_pairs_through_its_neighbours()
    {
        Graph Branches(bool convFirst, string conv, string pool)
        {
            var b = new GraphBuilder(5);
            var x = b.Unary(OpKind.Relu, b.Input("input", 1, 8, 8, 4), "relu");
            Tensor c, p;
            if (convFirst) { c = b.Conv2D(x, 4, 1, 1, name: conv); p = b.Pool(OpKind.MaxPool2D, x, 3, 1, PaddingKind.Same, pool); }
            else { p = b.Pool(OpKind.MaxPool2D, x, 3, 1, PaddingKind.Same, pool); c = b.Conv2D(x, 4, 1, 1, name: conv); }
            b.Output(b.Binary(OpKind.Add, c, p, "sum"));
            return b.Build();
        }
        using var old = Branches(convFirst: true, "conv", "pool");
        using var @new = Branches(convFirst: false, "conv_renamed", "pool_renamed");
        var m = OpMatching.Match(old, @new);
        m.Pairs.Select(p => (p.Old.Name, p.New.Name)).Should().BeEquivalentTo(
            [("relu", "relu"), ("conv", "conv_renamed"), ("pool", "pool_renamed"), ("sum", "sum")]);
        m.Added.Should().BeEmpty();
        m.Removed.Should().BeEmpty();
    }

    [Fact]
    public void Repeated_names_pair_in_order()
    {
        Graph Repeated(int count)
        {
            var b = new GraphBuilder(7);
            var x = b.Input("input", 1, 4, 4, 2);
            for (var i = 0; i < count; i++) x = b.Unary(OpKind.Relu, x, "same");
            b.Output(x);
            return b.Build();
        }
        using var old = Repeated(2);
        using var @new = Repeated(3);
        var m = OpMatching.Match(old, @new);
        m.Pairs.Select(p => (p.Old.Index, p.New.Index)).Should().Equal((0, 0), (1, 1));
        m.Added.Select(o => o.Index).Should().Equal(2);
    }
}
