using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Targets;

/// <summary>Each ARTPEC-7 rule with a tiny model just inside and just outside its limit.</summary>
public class Artpec7RuleTests
{
    private static readonly Artpec7Target T = new();

    [Fact]
    public void Rules_have_ids_and_text() => ArtpecTiny.AllRulesHaveText(T, "A7");

    [Fact]
    public void Float_activations_are_an_unsupported_data_type_and_a_model_finding()
    {
        var f = new GraphBuilder { ActivationType = DataType.Float32 };
        f.Conv2D(f.Input("x", 1, 8, 8, 4), 8, 3, 3, name: "c");
        var rf = T.Run(f);
        rf.Op("c").OffNpuBy("A7-DATA-TYPE", "Operation is working on an unsupported data type: input 'x' is float32");
        rf.ModelFinding("A7-FLOAT-MODEL").Message.Should().StartWith("1 of 1 ops");

        var q = new GraphBuilder();
        q.Conv2D(q.Input("x", 1, 8, 8, 4), 8, 3, 3, name: "c");
        var rq = T.Run(q);
        rq.Op("c").OnNpu();
        rq.NoModelFinding("A7-FLOAT-MODEL");
    }

    [Fact]
    public void A_float_dequantize_reports_the_data_type_like_the_compiler()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        b.Op(OpKind.Dequantize, [x], [b.Tensor("deq", DataType.Float32, new Shape(1, 4, 4, 8))]);
        b.Op(OpKind.Dequantize, [x], [b.Activation("deq8", 1, 4, 4, 8)]);
        var r = T.Run(b);
        r.Op("deq").OffNpuBy("A7-DATA-TYPE", "output 'deq' is float32");
        r.Op("deq8").OffNpuBy("A7-OP-NOT-SUPPORTED", "Operation not supported: DEQUANTIZE");
    }

    [Fact]
    public void Int32_activation_is_an_unsupported_data_type_but_int32_constants_are_fine()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        var idx = b.Tensor("idx", DataType.Int32, new Shape(1, 4, 4, 8));
        b.Op(OpKind.Add, [x, idx], [b.Activation("add", 1, 4, 4, 8)], new ElementwiseAttributes(FusedActivation.None));
        b.Conv2D(x, 8, 1, 1, name: "c"); // int32 bias constant
        var r = T.Run(b);
        r.Op("add").OffNpuBy("A7-DATA-TYPE", "input 'idx' is int32");
        r.Op("c").OnNpu();
    }

    [Fact]
    public void Dynamic_shapes_do_not_map()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, -1, 8, 4);
        b.Unary(OpKind.Relu, x, "dyn");
        b.Unary(OpKind.Relu, b.Input("y", 1, 8, 8, 4), "fixed");
        var r = T.Run(b);
        r.Op("dyn").OffNpuBy("A7-DYNAMIC-SHAPE", "'x' has a dynamic shape 1×?×8×4");
        r.Op("fixed").OnNpu();
    }

    [Fact]
    public void Only_the_three_innermost_dimensions_may_exceed_one()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 2, 4, 8);
        b.Reshape(x, [2, 1, 4, 8], "batch2");
        b.Reshape(x, [1, 1, 2, 4, 8], "rank5ok");
        var r = T.Run(b);
        r.Op("batch2").OffNpuBy("A7-RANK", "Tensor has unsupported rank (up to 3 innermost dimensions mapped): output 'batch2' is 2×1×4×8");
        r.Op("rank5ok").OnNpu();
    }

    [Fact]
    public void Weights_must_be_constant()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        var w = b.Input("w", 8, 1, 1, 8);
        var attrs = new ConvAttributes(1, 1, 1, 1, 1, 1, Padding2D.Valid, FusedActivation.None);
        b.Op(OpKind.Conv2D, [x, w, null], [b.Activation("runtime_w", 1, 4, 4, 8)], attrs);
        b.Conv2D(x, 8, 1, 1, name: "const_w");
        var r = T.Run(b);
        r.Op("runtime_w").OffNpuBy("A7-CONSTANT-PARAMETERS", "weights 'w' are computed at run time");
        r.Op("const_w").OnNpu();
    }

    [Fact]
    public void Ops_outside_the_table_do_not_map_and_unverified_rows_count_as_supported()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        b.Unary(OpKind.HardSwish, x, "hs");
        b.Unary(OpKind.Relu6, x, "r6");
        b.Apply(OpKind.Transpose, "tr", [x], [1, 4, 8, 4], new TransposeAttributes([0, 1, 3, 2]));
        b.Custom("MyOp", x, [1, 4, 4, 8], "custom");
        var r = T.Run(b);
        r.Op("hs").OffNpuBy("A7-OP-NOT-SUPPORTED", "Operation not supported: HARD_SWISH");
        r.Op("r6").OnNpu();
        r.Op("tr").OnNpu();
        r.Op("custom").OffNpuBy("A7-CUSTOM-OP", "'MyOp'");
    }

    [Fact]
    public void Pooling_takes_no_fused_activation()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 8);
        b.Pool(OpKind.MaxPool2D, x, 2, 2, name: "relu_pool", activation: FusedActivation.Relu);
        b.Pool(OpKind.AveragePool2D, x, 2, 2, name: "plain_pool");
        var r = T.Run(b);
        r.Op("relu_pool").OffNpuBy("A7-POOL-FUSED-ACTIVATION", "Operation is otherwise supported, but not mapped due to some unspecified limitation: fused Relu");
        r.Op("plain_pool").OnNpu();
    }

    [Fact]
    public void Concatenation_takes_no_fused_activation_and_only_a_zero_constant_with_two_inputs()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        b.Apply(OpKind.Concatenation, "act", [x, x], [1, 4, 4, 16], new AxisAttributes(3, FusedActivation.Relu6));
        var zeros = b.Constant("zeros", DataType.Int8, [1, 4, 4, 8], new byte[128], Quantization.PerTensor(1f / 32, 0));
        var ones = b.Constant("ones", DataType.Int8, [1, 4, 4, 8], Enumerable.Repeat((byte)1, 128).ToArray(), Quantization.PerTensor(1f / 32, 0));
        b.Apply(OpKind.Concatenation, "zero_pad", [x, zeros], [1, 4, 4, 16], new AxisAttributes(3));
        b.Apply(OpKind.Concatenation, "nonzero", [x, ones], [1, 4, 4, 16], new AxisAttributes(3));
        b.Apply(OpKind.Concatenation, "three", [x, x, zeros], [1, 4, 4, 24], new AxisAttributes(3));
        var r = T.Run(b);
        r.Op("act").OffNpuBy("A7-CONCAT-FUSED-ACTIVATION", "fused Relu6");
        r.Op("zero_pad").OnNpu();
        r.Op("nonzero").OffNpuBy("A7-CONCAT-CONSTANT", "'ones' is not all zeros");
        r.Op("three").OffNpuBy("A7-CONCAT-CONSTANT", "3 inputs with constant 'zeros'");
    }

    [Fact]
    public void Convolution_dilation_must_match_in_x_and_y()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 16, 16, 8);
        var odd = b.Conv2D(x, 8, 3, 3, name: "odd", dilation: 2);
        b.Patch(odd, a => ((ConvAttributes)a!) with { DilationW = 1 });
        b.Conv2D(x, 8, 3, 3, name: "even", dilation: 2);
        var r = T.Run(b);
        r.Op("odd").OffNpuBy("A7-CONV-DILATION", "dilation 2×1");
        r.Op("even").OnNpu();
    }

    [Fact]
    public void Fully_connected_needs_a_one_dimensional_output_and_default_weights()
    {
        var b = new GraphBuilder();
        b.FullyConnected(b.Input("x1", 1, 16), 10, name: "fc1");
        b.FullyConnected(b.Input("x2", 2, 16), 10, name: "fc2");
        var shuffled = b.FullyConnected(b.Input("x3", 1, 16), 10, name: "fc3");
        b.Patch(shuffled, a => ((FullyConnectedAttributes)a!) with { ShuffledWeights = true });
        var r = T.Run(b);
        r.Op("fc1").OnNpu();
        r.Op("fc2").OffNpuBy("A7-FULLY-CONNECTED", "output 'fc2' is 2×10");
        r.Op("fc3").OffNpuBy("A7-FULLY-CONNECTED", "SHUFFLED4x16INT8");
    }

    [Fact]
    public void Lstm_must_be_unidirectional()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 28, 28);
        b.Apply(OpKind.UnidirectionalSequenceLstm, "uni", [x], [1, 28, 20], new LstmAttributes(FusedActivation.Tanh, 0, 0, false));
        b.Apply(OpKind.BidirectionalSequenceLstm, "bi", [x], [1, 28, 40], new LstmAttributes(FusedActivation.Tanh, 0, 0, false, Bidirectional: true));
        var r = T.Run(b);
        r.Op("uni").OnNpu();
        r.Op("bi").OffNpuBy("A7-LSTM-UNIDIRECTIONAL", "bidirectional");
    }

    [Fact]
    public void Mean_needs_constant_axes_no_batch_and_depth_multiple_of_four_for_z()
    {
        var b = new GraphBuilder();
        var x8 = b.Input("x8", 1, 4, 4, 8);
        var x6 = b.Input("x6", 1, 4, 4, 6);
        b.Mean(x8, [1, 2], name: "hw");
        b.Mean(x8, [3], name: "z8");
        b.Mean(x6, [3], name: "z6");
        b.Mean(x8, [0], name: "batch");
        b.Apply(OpKind.Mean, "dynamic_axes", [x8, b.Input("axes", 2)], [1, 1, 1, 8], new ReduceAttributes(null, true));
        var r = T.Run(b);
        r.Op("hw").OnNpu();
        r.Op("z8").OnNpu();
        r.Op("z6").OffNpuBy("A7-MEAN", "z-reduction over 6 channels");
        r.Op("batch").OffNpuBy("A7-MEAN", "include the batch dimension");
        r.Op("dynamic_axes").OffNpuBy("A7-MEAN", "the reduction axes are not constant");
    }

    [Fact]
    public void Pack_pad_reduce_and_split_may_not_work_on_the_batch_dimension()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        b.Apply(OpKind.Pad, "pad_hw", [x, b.Int32Constant("p1", 0, 0, 1, 1, 1, 1, 0, 0)], [1, 6, 6, 8], new PadAttributes([(0, 0), (1, 1), (1, 1), (0, 0)]));
        b.Apply(OpKind.Pad, "pad_n", [x, b.Int32Constant("p2", 1, 0, 0, 0, 0, 0, 0, 0)], [2, 4, 4, 8], new PadAttributes([(1, 0), (0, 0), (0, 0), (0, 0)]));
        b.Apply(OpKind.ReduceMax, "max_h", [x, b.Int32Constant("a1", 1)], [1, 1, 4, 8], new ReduceAttributes([1], true));
        b.Apply(OpKind.ReduceMax, "max_n", [x, b.Int32Constant("a2", 0)], [1, 4, 4, 8], new ReduceAttributes([0], true));
        var p = b.Input("p", 1, 4, 8);
        b.Apply(OpKind.Pack, "pack_c", [p, p], [1, 4, 8, 2], new AxisAttributes(3, Count: 2));
        b.Apply(OpKind.Pack, "pack_n", [p, p], [2, 1, 4, 8], new AxisAttributes(0, Count: 2));
        b.Split(x, 2, 3, "split_c");
        var r = T.Run(b);
        r.Op("pad_hw").OnNpu();
        r.Op("pad_n").Fired("A7-BATCH-AXIS").Message.Should().Contain("pads the batch dimension by (1, 0)");
        r.Op("max_h").OnNpu();
        r.Op("max_n").OffNpuBy("A7-BATCH-AXIS", "axes [0]");
        r.Op("pack_c").OnNpu();
        r.Op("pack_n").OffNpuBy("A7-BATCH-AXIS", "along the batch dimension");
        r.Op("split_c:0").OnNpu();

        var s = new GraphBuilder();
        s.Split(s.Input("x", 2, 4, 4, 8), 2, 0, "split_n");
        T.Run(s).Op("split_n:0").OffNpuBy("A7-BATCH-AXIS", "splits 2×4×4×8 along the batch dimension");

        var n = new GraphBuilder();
        n.Reshape(n.Input("x", 1, 4, 4, 8), [2, 2, 4, 8], "batch2");
        T.Run(n).Op("batch2").OffNpuBy("A7-RANK", "output 'batch2' is 2×2×4×8");
    }

    [Fact]
    public void Prelu_alpha_may_only_vary_innermost()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 8);
        b.Apply(OpKind.PRelu, "shared", [x, b.Weights("a1", [1, 1, 8])], [1, 4, 4, 8]);
        b.Apply(OpKind.PRelu, "full", [x, b.Weights("a2", [4, 4, 8])], [1, 4, 4, 8]);
        var r = T.Run(b);
        r.Op("shared").OnNpu();
        r.Op("full").OffNpuBy("A7-PRELU-ALPHA", "alpha 'a2' is 4×4×8");
    }

    [Fact]
    public void Softmax_maps_a_one_dimensional_input_of_at_most_16000_elements()
    {
        var b = new GraphBuilder();
        b.Softmax(b.Input("a", 1, 16000), "ok");
        b.Softmax(b.Input("c", 1, 16001), "big");
        b.Softmax(b.Input("d", 1, 2, 10), "two_d");
        var r = T.Run(b);
        r.Op("ok").OnNpu();
        r.Op("big").OffNpuBy("A7-SOFTMAX", "16001 elements; at most 16000");
        r.Op("two_d").OffNpuBy("A7-SOFTMAX", "1×2×10");
    }

    [Fact]
    public void Strided_slice_maps_only_as_a_plain_slice()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 8);
        StridedSliceAttributes S(long stride, int ellipsis = 0) => new(0, 0, ellipsis, 0, 0, [0, 0, 0, 0], [1, 8, 8, 8], [1, stride, stride, 1]);
        Tensor?[] In(string name, int stride) =>
            [x, b.Int32Constant(name + "/begin", 0, 0, 0, 0), b.Int32Constant(name + "/end", 1, 8, 8, 8), b.Int32Constant(name + "/strides", 1, stride, stride, 1)];
        b.Apply(OpKind.StridedSlice, "unit", In("unit", 1), [1, 8, 8, 8], S(1));
        b.Apply(OpKind.StridedSlice, "strided", In("strided", 2), [1, 4, 4, 8], S(2));
        b.Apply(OpKind.StridedSlice, "ellipsis", In("ellipsis", 1), [1, 8, 8, 8], S(1, ellipsis: 1));
        var r = T.Run(b);
        r.Op("unit").OnNpu();
        r.Op("strided").OffNpuBy("A7-STRIDED-SLICE", "strides [1,2,2,1]");
        r.Op("ellipsis").OffNpuBy("A7-STRIDED-SLICE", "ellipsis_mask 1");
    }

    [Fact]
    public void One_subgraph_ops_depending_on_a_cpu_op_fed_by_the_tpu_go_to_the_cpu_side_branches_stay()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 8);
        var c1 = b.Conv2D(x, 8, 3, 3, name: "c1");
        var hs = b.Unary(OpKind.HardSwish, c1, "hs");          // CPU, consumes Edge TPU output
        var c2 = b.Conv2D(hs, 8, 3, 3, name: "c2");             // depends on it
        var c3 = b.Conv2D(c2, 8, 3, 3, name: "c3");             // transitively
        var side = b.Conv2D(c1, 8, 3, 3, name: "side");         // independent branch, written after the CPU op
        b.Output(c3);
        b.Output(side);
        var r = T.Run(b);
        r.Op("c1").OnNpu();
        r.Op("hs").OffNpuBy("A7-OP-NOT-SUPPORTED", "HARD_SWISH");
        r.Op("c2").OffNpuBy("A7-SINGLE-SUBGRAPH", "More than one subgraph is not supported: depends on HARD_SWISH 'hs'");
        r.Op("c3").OffNpuBy("A7-SINGLE-SUBGRAPH", "depends on HARD_SWISH 'hs'");
        r.Op("side").OnNpu();
        var m = r.ModelFinding("A7-PARTITION-BREAKER");
        m.Op!.Name.Should().Be("hs");
        m.Message.Should().Contain("2 supported op(s)");
    }

    [Fact]
    public void A_cpu_op_that_only_feeds_the_subgraph_inputs_leaves_the_rest_mapped()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 8);
        var hs = b.Unary(OpKind.HardSwish, x, "head");          // CPU, but before any Edge TPU op
        var c1 = b.Conv2D(hs, 8, 3, 3, name: "c1");
        b.Conv2D(c1, 8, 3, 3, name: "c2");
        var r = T.Run(b);
        r.Op("head").Placement.Should().Be(Placement.Cpu);
        r.Op("c1").OnNpu();
        r.Op("c2").OnNpu();
        r.NoModelFinding("A7-PARTITION-BREAKER");
    }

    [Fact]
    public void Parameters_beyond_the_cache_are_streamed()
    {
        const long cache = 7235174; // 6.9 MiB
        var inside = new GraphBuilder();
        inside.Conv2D(inside.Input("x", 1, 1, 1, 2048), 3000, 1, 1, name: "c"); // 6,144,000 + 12,000 bytes
        T.Run(inside).NoModelFinding("A7-PARAMETER-CACHE");

        var outside = new GraphBuilder();
        outside.Conv2D(outside.Input("x", 1, 1, 1, 2048), 3600, 1, 1, name: "c"); // 7,372,800 + 14,400 bytes
        var f = T.Run(outside).ModelFinding("A7-PARAMETER-CACHE");
        f.Kind.Should().Be(RuleKind.Performance);
        const long total = 2048L * 3600 + 4 * 3600;
        f.Message.Should().Contain($"{total} bytes of parameters").And.Contain($"{total - cache} bytes are streamed");
    }

    [Fact]
    public void Per_tensor_models_get_the_per_channel_accuracy_tip()
    {
        var pt = new GraphBuilder();
        pt.Conv2D(pt.Input("x", 1, 8, 8, 8), 8, 3, 3, name: "c");
        var f = T.Run(pt).ModelFinding("A7-PER-CHANNEL");
        f.Kind.Should().Be(RuleKind.Accuracy);
        f.Message.Should().StartWith("1 of 1 weight tensors");

        var pc = new GraphBuilder();
        pc.Conv2D(pc.Input("x", 1, 8, 8, 8), 8, 3, 3, name: "c", perChannel: true);
        T.Run(pc).NoModelFinding("A7-PER-CHANNEL");
    }
}
