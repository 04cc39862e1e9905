using FluentAssertions;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;
using Xunit;
using static NpuAdvisor.Tests.Onnx.OnnxModel;

namespace NpuAdvisor.Tests.Onnx;

public class OnnxImportTests
{
    [Fact]
    public void Conv_attributes_padding_and_depthwise_detection()
    {
        var m = new OnnxModel(11).Input("x", 1, 8, 15, 15).Output("y").Output("z").Output("u");
        m.Init(Floats("w", [16, 8, 3, 3])).Init(Floats("dw", [8, 1, 5, 5])).Init(Floats("gw", [8, 4, 3, 3]));
        m.Node("Conv", ["x", "w"], ["y"], Ints("strides", 2, 2), Ints("pads", 1, 0, 1, 2), Ints("dilations", 1, 1));
        m.Node("Conv", ["x", "dw"], ["z"], Int("group", 8), Str("auto_pad", "SAME_UPPER"), Ints("strides", 2, 2));
        m.Node("Conv", ["x", "gw"], ["u"], Int("group", 2));
        using var g = m.Load();
        var ops = g.Main.Operators;

        ops[0].Kind.Should().Be(OpKind.Conv2D);
        // H: (15 + 1 + 1 - 3)/2 + 1 = 8; W: (15 + 0 + 2 - 3)/2 + 1 = 8.
        ops[0].Output(0)!.Shape.Should().Be(new Shape(1, 16, 8, 8));
        ops[0].Attr<ConvAttributes>().Should().Be(new ConvAttributes(3, 3, 2, 2, 1, 1, new Padding2D(PaddingKind.Explicit, 1, 1, 0, 2), FusedActivation.None, 1, 1));

        ops[1].Kind.Should().Be(OpKind.DepthwiseConv2D);
        // SAME_UPPER: out = ceil(15/2) = 8, total pad = 7·2 + 5 − 15 = 4 → 2/2.
        ops[1].Output(0)!.Shape.Should().Be(new Shape(1, 8, 8, 8));
        ops[1].Attr<ConvAttributes>()!.Padding.Should().Be(Padding2D.Same(2, 2, 2, 2));

        ops[2].Kind.Should().Be(OpKind.Conv2D);
        ops[2].Attr<ConvAttributes>()!.Groups.Should().Be(2);
        ops[2].Output(0)!.Shape.Should().Be(new Shape(1, 8, 13, 13));
        g.Macs(ops[2]).Should().Be(8L * 13 * 13 * 3 * 3 * 4);
    }

    [Fact]
    public void ConvTranspose_pools_gemm_and_matmul_shapes()
    {
        var m = new OnnxModel(13).Input("x", 1, 4, 7, 7).Input("a", 3, 5).Output("t").Output("p").Output("gp").Output("f").Output("bm").Output("ap");
        m.Init(Floats("tw", [4, 6, 3, 3])).Init(Floats("fc", [5, 10])).Init(Floats("fcb", [10]));
        m.Node("ConvTranspose", ["x", "tw"], ["t"], Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1), Ints("output_padding", 1, 1));
        m.Node("MaxPool", ["x"], ["p"], Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Int("ceil_mode", 1));
        m.Node("AveragePool", ["x"], ["ap"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2));
        m.Node("GlobalAveragePool", ["x"], ["gp"]);
        m.Node("Gemm", ["a", "fc", "fcb"], ["f"]);
        m.Node("MatMul", ["a", "a_t"], ["bm"]);
        m.Node("Transpose", ["a"], ["a_t"]);
        using var g = m.Load();
        var byName = g.Main.Operators.ToDictionary(o => o.Outputs[0].Name);

        // 2·(7−1) + 1 + 3 − 1 − 1 = 14
        byName["t"].Output(0)!.Shape.Should().Be(new Shape(1, 6, 14, 14));
        byName["t"].Kind.Should().Be(OpKind.TransposeConv);
        // ceil((7 − 3)/2) + 1 = 3
        byName["p"].Output(0)!.Shape.Should().Be(new Shape(1, 4, 3, 3));
        byName["ap"].Output(0)!.Shape.Should().Be(new Shape(1, 4, 3, 3));
        byName["gp"].Output(0)!.Shape.Should().Be(new Shape(1, 4, 1, 1));
        byName["gp"].Attr<PoolAttributes>()!.IsGlobal.Should().BeTrue();
        byName["gp"].Attr<PoolAttributes>()!.FilterH.Should().Be(7);
        byName["f"].Kind.Should().Be(OpKind.FullyConnected);
        byName["f"].Output(0)!.Shape.Should().Be(new Shape(3, 10));
        byName["bm"].Kind.Should().Be(OpKind.BatchMatMul);
        byName["bm"].Output(0)!.Shape.Should().Be(new Shape(3, 3));
        // Nodes were out of order (MatMul before the Transpose feeding it): the IR order is topological.
        g.Main.Operators.Select(o => o.Index).Should().Equal(Enumerable.Range(0, g.Main.Operators.Count));
        g.Main.Operators.IndexOf(byName["a_t"]).Should().BeLessThan(g.Main.Operators.IndexOf(byName["bm"]));
    }

    [Fact]
    public void Clip_forms_by_opset_and_activation_patterns_after_conv()
    {
        var m = new OnnxModel(11).Input("x", 1, 3, 8, 8).Output("r6").Output("r").Output("c").Output("bn").Output("pc").Output("mul");
        m.Init(Floats("w", [4, 3, 1, 1])).Init(Scalar("zero", 1, 0)).Init(Scalar("six", 1, 6)).Init(Scalar("one", 1, 1));
        m.Init(Floats("scale", [4])).Init(Floats("bias", [4])).Init(Floats("mean", [4])).Init(Floats("var", [4]));
        m.Init(Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1)).Init(Floats("perc", [1, 4, 1, 1]));
        m.Node("Conv", ["x", "w"], ["conv"]);
        m.Node("Clip", ["conv", "zero", "six"], ["r6"]);
        m.Node("Clip", ["conv", "zero", ""], ["r"]);
        m.Node("Clip", ["conv", "zero", "one"], ["c"]);
        m.Node("BatchNormalization", ["conv", "scale", "bias", "mean", "var"], ["bn"]);
        m.Node("Pad", ["x", "pads"], ["padded"]);
        m.Node("Conv", ["padded", "w"], ["pc"]);
        m.Node("Mul", ["conv", "perc"], ["mul"]);
        using var g = m.Load();
        var byOut = g.Main.Operators.ToDictionary(o => o.Outputs[0].Name);

        byOut["r6"].Kind.Should().Be(OpKind.Relu6);
        byOut["r6"].Input(0)!.Producer!.Kind.Should().Be(OpKind.Conv2D);
        byOut["r"].Kind.Should().Be(OpKind.Relu);
        byOut["c"].Kind.Should().Be(OpKind.Clip);
        byOut["c"].Attr<ClipAttributes>().Should().Be(new ClipAttributes(0, 1));
        byOut["bn"].Kind.Should().Be(OpKind.BatchNormalization);
        byOut["bn"].Input(0)!.Producer!.Kind.Should().Be(OpKind.Conv2D);
        var pad = byOut["padded"];
        pad.Kind.Should().Be(OpKind.Pad);
        pad.Attr<PadAttributes>()!.Paddings.Should().Equal((0L, 0L), (0L, 0L), (1L, 1L), (1L, 1L));
        pad.Output(0)!.Shape.Should().Be(new Shape(1, 3, 10, 10));
        pad.Output(0)!.Consumers.Single().Kind.Should().Be(OpKind.Conv2D);
        var mul = byOut["mul"];
        mul.Kind.Should().Be(OpKind.Mul);
        mul.Input(1)!.IsConstant.Should().BeTrue();
        // In NCHW a per-channel constant is 1×C×1×1; FeatureMaps.Logical turns it into 1×1×1×C.
        FeatureMaps.Logical(g, mul.Input(1)).Should().Be(new Nhwc(1, 1, 1, 4));
        FeatureMaps.Logical(g, mul.Output(0)).Should().Be(new Nhwc(1, 8, 8, 4));

        var old = new OnnxModel(6).Input("x", 1, 3, 8, 8).Output("y").Output("z");
        old.Node("Clip", ["x"], ["y"], Float("min", 0), Float("max", 6));
        old.Node("Clip", ["x"], ["z"], Float("min", 0));
        using var g6 = old.Load();
        g6.Main.Operators.Select(o => o.Kind).Should().Equal(OpKind.Relu6, OpKind.Relu);
    }

    [Fact]
    public void Shape_computations_fold_into_a_known_reshape()
    {
        // The Paddle2ONNX pattern: Shape → Gather → Unsqueeze → Concat → Reshape.
        var m = new OnnxModel(11).Input("x", 2, 3, 4, 5).Output("y").Output("c");
        m.Init(Int64s("zero", 0)).Init(Int64s("minus1", -1)).Init(Int64s("cshape", 2, 3));
        m.Node("Shape", ["x"], ["s"]);
        m.Node("Gather", ["s", "zero"], ["n"], Int("axis", 0));
        m.Node("Concat", ["n", "minus1"], ["target"], Int("axis", 0));
        m.Node("Reshape", ["x", "target"], ["y"]);
        m.Node("ConstantOfShape", ["cshape"], ["c"], Tensor("value", Scalar("v", 7, 3)));
        using var g = m.Load();
        g.Main.Outputs[0].Shape.Should().Be(new Shape(2, 60));
        g.Main.Outputs[1].Shape.Should().Be(new Shape(2, 3));
        g.Main.Outputs[1].Type.Should().Be(DataType.Int64);
    }

    [Fact]
    public void Squeeze_unsqueeze_split_and_slice_follow_their_opset()
    {
        var v11 = new OnnxModel(11).Input("x", 1, 6, 1, 4).Output("sq").Output("un").Output("s0").Output("s1").Output("sl");
        v11.Node("Squeeze", ["x"], ["sq"], Ints("axes", 0, 2));
        v11.Node("Unsqueeze", ["x"], ["un"], Ints("axes", 0, -1));
        v11.Node("Split", ["x"], ["s0", "s1"], Int("axis", 1), Ints("split", 2, 4));
        v11.Init(Int64s("st", 1)).Init(Int64s("en", -1)).Init(Int64s("ax", 1)).Init(Int64s("stp", 2));
        v11.Node("Slice", ["x", "st", "en", "ax", "stp"], ["sl"]);
        using var g11 = v11.Load();
        g11.Main.Outputs.Select(o => o.Shape).Should().Equal(new Shape(6, 4), new Shape(1, 1, 6, 1, 4, 1), new Shape(1, 2, 1, 4), new Shape(1, 4, 1, 4), new Shape(1, 2, 1, 4)); // slice 1..5 step 2 → 2

        var v13 = new OnnxModel(13).Input("x", 1, 6, 1, 4).Output("sq").Output("un").Output("s0").Output("s1");
        v13.Init(Int64s("axes", 2)).Init(Int64s("sizes", 3, 3));
        v13.Node("Squeeze", ["x", "axes"], ["sq"]);
        v13.Node("Unsqueeze", ["x", "axes"], ["un"]);
        v13.Node("Split", ["x", "sizes"], ["s0", "s1"], Int("axis", 1));
        using var g13 = v13.Load();
        g13.Main.Outputs.Select(o => o.Shape).Should().Equal(new Shape(1, 6, 4), new Shape(1, 6, 1, 1, 4), new Shape(1, 3, 1, 4), new Shape(1, 3, 1, 4));

        var v9 = new OnnxModel(9).Input("x", 4, 10).Output("sl").Output("up");
        v9.Node("Slice", ["x"], ["sl"], Ints("starts", 1), Ints("ends", 100), Ints("axes", 1));
        v9.Init(new TensorProto { Name = "sc", DataType = 1, Dims = { 2 }, FloatData = { 2f, 3f } });
        v9.Node("Upsample", ["x", "sc"], ["up"]);
        using var g9 = v9.Load();
        g9.Main.Outputs.Select(o => o.Shape).Should().Equal(new Shape(4, 9), new Shape(8, 30));
    }

    [Fact]
    public void Dynamic_dims_keep_their_names_and_unknown_stays_unknown()
    {
        var m = new OnnxModel(13).Input("x", -1, 3, 16, 16).Output("y").Output("z");
        m.Init(Floats("w", [8, 3, 3, 3]));
        m.Node("Conv", ["x", "w"], ["y"], Ints("pads", 1, 1, 1, 1));
        m.Node("com.example.Unknown", ["y"], ["z"]);
        using var g = m.Load();
        var y = g.Main.Outputs[0].Shape;
        y.Dims.Should().Equal(-1, 8, 16, 16);
        y.DimNames[0].Should().Be("N");
        g.Main.Outputs[1].Shape.IsUnknownRank.Should().BeTrue();
        g.Main.Operators[1].Kind.Should().Be(OpKind.Unknown);
    }

    [Fact]
    public void Custom_domain_ops_are_unknown_with_a_qualified_source_type()
    {
        var m = new OnnxModel(13).Input("x", 1, 4).Output("y");
        m.Model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
        m.Node("FusedGemm", ["x"], ["y"]).Domain = "com.microsoft";
        using var g = m.Load();
        g.Main.Operators[0].Kind.Should().Be(OpKind.Unknown);
        g.Main.Operators[0].SourceType.Should().Be("com.microsoft:FusedGemm");
        g.Main.Operators[0].TypeName.Should().Be("com.microsoft:FusedGemm");
        g.Properties["opsets"].Should().Be("ai.onnx 13, com.microsoft 1");
    }

    [Fact]
    public void Typed_initializer_fields_are_materialised_for_every_type()
    {
        var m = new OnnxModel(13).Input("x", 2).Output("y");
        var h = BitConverter.HalfToUInt16Bits((Half)1.5);
        m.Init(new TensorProto { Name = "f16", DataType = 10, Dims = { 2 }, Int32Data = { h, h } });
        m.Init(new TensorProto { Name = "bf16", DataType = 16, Dims = { 1 }, Int32Data = { 0x3FC0 } });
        m.Init(new TensorProto { Name = "i8", DataType = 3, Dims = { 3 }, Int32Data = { -1, 2, -128 } });
        m.Init(new TensorProto { Name = "u64", DataType = 13, Dims = { 1 }, Uint64Data = { ulong.MaxValue } });
        m.Init(new TensorProto { Name = "f64", DataType = 11, Dims = { 1 }, DoubleData = { 2.5 } });
        m.Init(new TensorProto { Name = "b", DataType = 9, Dims = { 2 }, Int32Data = { 1, 0 } });
        m.Init(Raw("raw", 1, [2], [0, 0, 128, 63, 0, 0, 0, 64]));
        m.Node("Relu", ["x"], ["y"]);
        using var g = m.Load();
        Tensor T(string n) => g.Main.Tensors.Single(t => t.Name == n);
        T("f16").Type.Should().Be(DataType.Float16);
        BitConverter.ToHalf(T("f16").Data.Span[2..]).Should().Be((Half)1.5);
        T("bf16").Type.Should().Be(DataType.BFloat16);
        T("bf16").Data.ToArray().Should().Equal(0xC0, 0x3F);
        T("i8").Data.ToArray().Should().Equal(0xFF, 2, 0x80);
        T("u64").Data.ToArray().Should().Equal(Enumerable.Repeat((byte)0xFF, 8));
        BitConverter.ToDouble(T("f64").Data.Span).Should().Be(2.5);
        T("b").Data.ToArray().Should().Equal(1, 0);
        T("raw").Data.ToArray().Should().Equal(0, 0, 128, 63, 0, 0, 0, 64);
        T("raw").IsConstant.Should().BeTrue();
    }

    [Fact]
    public void Input_shape_override_fixes_dynamic_dims()
    {
        var m = new OnnxModel(13).Input("x", -1, 3, -1, -1).Output("y");
        m.Init(Floats("w", [8, 3, 3, 3]));
        m.Node("Conv", ["x", "w"], ["y"], Ints("strides", 2, 2));
        using var g = m.Load(options: new OnnxImportOptions { InputShapes = new Dictionary<string, long[]> { ["x"] = [1, 3, 33, 17] } });
        g.Main.Outputs[0].Shape.Should().Be(new Shape(1, 8, 16, 8));
    }
}

public class OnnxOpInferenceTests
{
    [Fact]
    public void Resize_reduce_softmax_flatten_and_gather()
    {
        var m = new OnnxModel(13).Input("x", 1, 3, 10, 20).Output("rs").Output("rl").Output("mean").Output("sm").Output("fl").Output("ga").Output("lr");
        m.Init(new Formats.Onnx.Proto.TensorProto { Name = "sizes", DataType = 7, Dims = { 4 }, Int64Data = { 1, 3, 5, 7 } });
        m.Init(new Formats.Onnx.Proto.TensorProto { Name = "scales", DataType = 1, Dims = { 4 }, FloatData = { 1, 1, 2.5f, 0.5f } });
        m.Init(OnnxModel.Int64s("idx", 2, 0));
        m.Node("Resize", ["x", "", "", "sizes"], ["rs"], OnnxModel.Str("mode", "nearest"));
        m.Node("Resize", ["x", "", "scales"], ["rl"], OnnxModel.Str("mode", "linear"), OnnxModel.Str("coordinate_transformation_mode", "align_corners"));
        m.Node("ReduceMean", ["x"], ["mean"], OnnxModel.Ints("axes", 2, 3), OnnxModel.Int("keepdims", 0));
        m.Node("Softmax", ["x"], ["sm"]);
        m.Node("Flatten", ["x"], ["fl"], OnnxModel.Int("axis", 2));
        m.Node("Gather", ["x", "idx"], ["ga"], OnnxModel.Int("axis", 1));
        m.Node("LeakyRelu", ["x"], ["lr"], OnnxModel.Float("alpha", 0.2f));
        using var g = m.Load();
        var ops = g.Main.Operators.ToDictionary(o => o.Outputs[0].Name);

        ops["rs"].Kind.Should().Be(OpKind.ResizeNearestNeighbor);
        ops["rs"].Output(0)!.Shape.Should().Be(new Shape(1, 3, 5, 7));
        ops["rs"].Attr<ResizeAttributes>()!.OutH.Should().Be(5);
        ops["rl"].Kind.Should().Be(OpKind.ResizeBilinear);
        ops["rl"].Output(0)!.Shape.Should().Be(new Shape(1, 3, 25, 10));
        ops["rl"].Attr<ResizeAttributes>()!.AlignCorners.Should().BeTrue();
        ops["mean"].Kind.Should().Be(OpKind.Mean);
        ops["mean"].Attr<ReduceAttributes>().Should().BeEquivalentTo(new ReduceAttributes([2, 3], false));
        ops["mean"].Output(0)!.Shape.Should().Be(new Shape(1, 3));
        ops["sm"].Attr<SoftmaxAttributes>()!.Axis.Should().Be(-1, "opset 13 defaults to the last axis");
        ops["fl"].Output(0)!.Shape.Should().Be(new Shape(3, 200));
        ops["ga"].Output(0)!.Shape.Should().Be(new Shape(1, 2, 10, 20));
        ops["lr"].Attr<LeakyReluAttributes>()!.Alpha.Should().Be(0.2f);

        var old = new OnnxModel(11).Input("x", 2, 5).Output("sm");
        old.Node("Softmax", ["x"], ["sm"]);
        using var g11 = old.Load();
        g11.Main.Operators[0].Attr<SoftmaxAttributes>()!.Axis.Should().Be(1, "before opset 13 Softmax flattens from axis 1");
    }
}
