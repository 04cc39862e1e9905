using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Targets;

/// <summary>Each ARTPEC-9 rule with a tiny model just inside and just outside its limit.</summary>
public class Artpec9RuleTests
{
    private static readonly Artpec9Target T = new();

    [Fact]
    public void Rules_have_ids_and_text() => ArtpecTiny.AllRulesHaveText(T, "A9");

    [Fact]
    public void Tensors_up_to_four_dimensions()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 16);
        b.Reshape(x, [1, 2, 2, 4, 16], "r5");
        b.Reshape(x, [1, 16, 16], "r3");
        var r = T.Run(b);
        r.Op("r5").OffNpuBy("A9-RANK", "output 'r5' is 1×2×2×4×16 (5-D)");
        r.Op("r3").OnNpu();
    }

    [Fact]
    public void Batch_must_be_one()
    {
        var b = new GraphBuilder();
        b.Conv2D(b.Input("x2", 2, 8, 8, 16), 16, 3, 3, name: "n2");
        b.Conv2D(b.Input("x1", 1, 8, 8, 16), 16, 3, 3, name: "n1");
        var r = T.Run(b);
        r.Op("n2").OffNpuBy("A9-BATCH", "Batch size must be 1: input 'x2' is 2×8×8×16");
        r.Op("n1").OnNpu();
    }

    [Fact]
    public void Float_ops_must_be_8_bit_quantized_and_leave_for_the_accelerated_cpu()
    {
        var f = new GraphBuilder { ActivationType = DataType.Float32 };
        f.Conv2D(f.Input("x", 1, 8, 8, 16), 16, 3, 3, name: "c");
        var rf = T.Run(f);
        rf.Op("c").OffNpuBy("A9-DATA-TYPE", "Input 'x' (float32, not quantized) must be UINT8_QUANTIZED or INT8_QUANTIZED");
        rf.Op("c").Placement.Should().Be(Placement.CpuAccelerated);

        rf.ModelFinding("A9-FLOAT-MODEL").Message.Should().StartWith("1 of 1 ops");

        var q = new GraphBuilder();
        q.Conv2D(q.Input("x", 1, 8, 8, 16), 16, 3, 3, name: "c");
        var rq = T.Run(q);
        rq.Op("c").OnNpu();
        rq.NoModelFinding("A9-FLOAT-MODEL");
    }

    [Fact]
    public void Per_channel_scales_only_on_weights_along_output_channels()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        b.Conv2D(x, 16, 3, 3, name: "conv_pc", perChannel: true);
        b.DepthwiseConv2D(x, 3, 3, name: "dw_pc", perChannel: true);
        var pcAct = b.Tensor("pc_act", DataType.Int8, new Shape(1, 8, 8, 16), Quantization.PerAxis(Enumerable.Repeat(0.1f, 16), Enumerable.Repeat(0L, 16), 3));
        b.Op(OpKind.Relu, [x], [pcAct]);
        var fc = b.FullyConnected(b.Input("v", 1, 16), 16, name: "fc_pc");
        var fcOp = b.Main.Operators.Single(o => o.Outputs.Contains(fc));
        var w = fcOp.Input(1)!;
        w.Quantization = Quantization.PerAxis(Enumerable.Repeat(0.01f, 16), Enumerable.Repeat(0L, 16), 0);
        var bad = b.Conv2D(x, 16, 3, 3, name: "conv_axis3", perChannel: true);
        var badW = b.Main.Operators.Single(o => o.Outputs.Contains(bad)).Input(1)!;
        badW.Quantization = Quantization.PerAxis(Enumerable.Repeat(0.01f, 16), Enumerable.Repeat(0L, 16), 3);
        var r = T.Run(b);
        r.Op("conv_pc").OnNpu();
        r.Op("dw_pc").OnNpu();
        r.Op("pc_act").OffNpuBy("A9-QUANT-AXIS", "Quantization Dim should not be used on Output");
        r.Op("fc_pc").OffNpuBy("A9-QUANT-AXIS", "Multiple quantization scales is not supported for FullyConnected operation");
        r.Op("conv_axis3").OffNpuBy("A9-QUANT-AXIS", "per channel quantization axis is 3; it must be the output-channel axis 0");
    }

    [Fact]
    public void Tensor_depth_must_fit_the_sram()
    {
        var b = new GraphBuilder();
        b.Unary(OpKind.Relu, b.Input("ok", 1, 2, 2, 16384), "deep_ok");
        b.Unary(OpKind.Relu, b.Input("no", 1, 2, 2, 16385), "too_deep");
        b.Unary(OpKind.Relu, b.Input("w1", 1, 2, 1, 16385), "width1");
        var r = T.Run(b);
        r.Op("deep_ok").OnNpu();
        r.Op("too_deep").OffNpuBy("A9-TENSOR-DEPTH", "Tensor max depth cannot fit in SRAM (1048640 / 1048576)");
        r.Op("width1").OnNpu();
    }

    [Fact]
    public void Ops_outside_the_table_run_on_the_cpu_or_accelerated_cpu()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 16);
        b.Unary(OpKind.HardSwish, x, "hs");
        b.Binary(OpKind.Sub, x, x, "sub");
        b.Custom("MyOp", x, [1, 4, 4, 16], "custom");
        b.Unary(OpKind.Relu6, x, "r6");
        var r = T.Run(b);
        r.Op("hs").OffNpuBy("A9-OP-NOT-SUPPORTED", "HARD_SWISH is not in the ARTPEC-9 DLPU operator table");
        r.Op("hs").Placement.Should().Be(Placement.Cpu);
        r.Op("sub").OffNpuBy("A9-OP-NOT-SUPPORTED", "SUB");
        r.Op("sub").Placement.Should().Be(Placement.CpuAccelerated);
        r.Op("custom").Placement.Should().Be(Placement.Cpu);
        r.Op("r6").OnNpu();
    }

    [Fact]
    public void Add_is_element_by_element()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        b.Binary(OpKind.Add, x, x, "same");
        b.Binary(OpKind.Add, x, b.Input("c", 1, 1, 1, 16), "broadcast");
        var r = T.Run(b);
        r.Op("same").OnNpu();
        r.Op("broadcast").OffNpuBy("A9-ADD", "Cannot stretch along the requested dimensions: 1×8×8×16 + 1×1×1×16");
    }

    [Fact]
    public void Average_pool_3x3_stride1_same_or_mean_over_7_or_8()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 9, 9, 16);
        b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same, "s1same");
        b.Pool(OpKind.AveragePool2D, x, 3, 2, PaddingKind.Same, "s2same");
        b.Pool(OpKind.AveragePool2D, b.Input("x7", 1, 7, 7, 16), 7, 1, name: "mean7");
        b.Pool(OpKind.AveragePool2D, x, 7, 1, name: "mean7on9");
        b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same, "nonsquare", filterW: 1);
        var explicit1 = b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same, "explicit1");
        b.Patch(explicit1, a => ((PoolAttributes)a!) with { Padding = new Padding2D(PaddingKind.Explicit, 1, 1, 1, 1) });
        var explicit2 = b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same, "explicit2");
        b.Patch(explicit2, a => ((PoolAttributes)a!) with { Padding = new Padding2D(PaddingKind.Explicit, 2, 0, 1, 1) });
        var r = T.RunUnwritten(b);
        r.Op("s1same").OnNpu();
        r.Op("s2same").OffNpuBy("A9-AVGPOOL", "Unsupported configuration in AVG pooling: pool 3×3 stride 2,2");
        r.Op("mean7").OnNpu();
        r.Op("mean7on9").OffNpuBy("A9-AVGPOOL", "pool 7×7 stride 1,1 padding Valid on 9×9 input");
        r.Op("nonsquare").OffNpuBy("A9-AVGPOOL", "must be square");
        r.Op("explicit1").OnNpu();
        r.Op("explicit2").OffNpuBy("A9-AVGPOOL", "padding Explicit");
    }

    [Fact]
    public void Concat_along_channels_needs_multiples_of_16_and_sane_scales()
    {
        var b = new GraphBuilder();
        var a = b.Input("a", 1, 4, 4, 16);
        var c = b.Input("c", 1, 4, 4, 24);
        b.Concat([a, a], 3, "c16_16");
        b.Concat([a, c], 3, "c16_24");
        b.Concat([c, c], 1, "c_h");
        b.Apply(OpKind.Concatenation, "c_batch", [a, a], [2, 4, 4, 16], new AxisAttributes(0));
        b.Apply(OpKind.Concatenation, "c_scale", [a, a], [1, 4, 4, 32], new AxisAttributes(3), Quantization.PerTensor(1f / 32 / 128, 0));
        b.Apply(OpKind.Concatenation, "c_scale_ok", [a, a], [1, 4, 4, 32], new AxisAttributes(3), Quantization.PerTensor(1f / 32 / 127, 0));
        var r = T.Run(b);
        r.Op("c16_16").OnNpu();
        r.Op("c16_24").OffNpuBy("A9-CONCAT-CHANNELS", "inputs have 16 + 24");
        r.Op("c_h").OnNpu();
        r.Op("c_batch").OffNpuBy("A9-BATCH", "Batch size must be 1");
        r.Op("c_scale").OffNpuBy("A9-CONCAT-SCALE", "Output scales must be bigger than input scale / 128");
        r.Op("c_scale_ok").OnNpu();
    }

    [Fact]
    public void Concat_along_the_batch_axis_is_refused()
    {
        var b = new GraphBuilder();
        var a = b.Input("a", 1, 4, 4, 16);
        b.Apply(OpKind.Concatenation, "c_batch", [a], [1, 4, 4, 16], new AxisAttributes(0));
        T.Run(b).Op("c_batch").OffNpuBy("A9-CONCAT-AXIS", "Concatenation cannot be performed along batch axis (axis 0)");
    }

    [Fact]
    public void Conv_kernel_sizes_and_strides()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 32, 32, 16);
        b.Conv2D(x, 16, 9, 9, 1, name: "k9s1");
        b.Conv2D(x, 16, 9, 9, 2, name: "k9s2");
        b.Conv2D(x, 16, 7, 7, 2, name: "k7s2");
        b.Conv2D(x, 16, 4, 4, name: "k4");
        b.Conv2D(x, 16, 5, 2, name: "k5x2");
        b.Conv2D(x, 16, 5, 5, 3, name: "s3");
        b.Conv2D(x, 16, 3, 3, 2, name: "s2x1", strideW: 1);
        var r = T.Run(b);
        r.Op("k9s1").OnNpu();
        r.Op("k9s2").OffNpuBy("A9-CONV-LARGE-KERNEL-STRIDE", "Stride X and Y must be 1: kernel 9×9 stride 2,2");
        r.Op("k7s2").OnNpu();
        r.Op("k4").OffNpuBy("A9-CONV-KERNEL", "Unsupported kernel size. Width(4)/height(4) must be in { 1, 2, 3, 5, 7, 9 }");
        r.Op("k5x2").OnNpu();
        r.Op("s3").OffNpuBy("A9-CONV-STRIDE", "kernel 5×5 stride 3,3");
        r.Op("s2x1").OffNpuBy("A9-CONV-STRIDE", "Stride X and Y must be equal and in { 1, 2 }: kernel 3×3 stride 2,1");
    }

    [Fact]
    public void Conv_explicit_padding_up_to_7()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 16, 16, 16);
        var p7 = b.Conv2D(x, 16, 3, 3, name: "p7");
        b.Patch(p7, a => ((ConvAttributes)a!) with { Padding = new Padding2D(PaddingKind.Explicit, 7, 7, 7, 7) });
        var p8 = b.Conv2D(x, 16, 3, 3, name: "p8");
        b.Patch(p8, a => ((ConvAttributes)a!) with { Padding = new Padding2D(PaddingKind.Explicit, 8, 0, 0, 0) });
        var r = T.RunUnwritten(b);
        r.Op("p7").OnNpu();
        r.Op("p8").OffNpuBy("A9-CONV-PADDING", "explicit padding 8,0,0,0 exceeds 7");
    }

    [Fact]
    public void Overall_scale_must_stay_below_65536()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        var ok = b.Conv2D(x, 16, 3, 3, name: "ok");
        var bad = b.Conv2D(x, 16, 3, 3, name: "bad");
        // I·W/O = (1/32 · 0.01) / O: O = 1e-9 gives 312500
        bad.Quantization = Quantization.PerTensor(1e-9f, 0);
        var r = T.Run(b);
        r.Op("ok").OnNpu();
        r.Op("bad").OffNpuBy("A9-OVERALL-SCALE", "I*W/O ranges 3.125E+05..3.125E+05");
        ok.Should().NotBeNull();
    }

    [Fact]
    public void Depth_to_space_block_2_and_depth_multiple_of_4()
    {
        var b = new GraphBuilder();
        b.Apply(OpKind.DepthToSpace, "ok", [b.Input("a", 1, 4, 4, 16)], [1, 8, 8, 4], new BlockAttributes(2));
        b.Apply(OpKind.DepthToSpace, "block3", [b.Input("c", 1, 4, 4, 18)], [1, 12, 12, 2], new BlockAttributes(3));
        b.Apply(OpKind.DepthToSpace, "depth6", [b.Input("d", 1, 4, 4, 6)], [1, 8, 8, 1], new BlockAttributes(2));
        var r = T.Run(b);
        r.Op("ok").OnNpu();
        r.Op("block3").OffNpuBy("A9-DEPTH-TO-SPACE", "Only block size of 2 is supported: block size 3");
        r.Op("depth6").OffNpuBy("A9-DEPTH-TO-SPACE", "6 channels, block 2");
    }

    [Fact]
    public void Depthwise_follows_the_support_library_code()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 32, 32, 16);
        b.DepthwiseConv2D(x, 9, 9, 2, name: "k9s2");            // no >7 ⇒ stride 1 check in code
        b.DepthwiseConv2D(x, 3, 5, name: "k3x5");
        b.DepthwiseConv2D(x, 1, 1, 2, name: "k1s2");
        b.DepthwiseConv2D(x, 1, 1, 1, name: "k1s1");
        b.DepthwiseConv2D(x, 3, 3, name: "m2", depthMultiplier: 2);
        b.DepthwiseConv2D(b.Input("g", 1, 8, 8, 1), 3, 3, name: "m16c1", depthMultiplier: 16);
        var r = T.Run(b);
        r.Op("k9s2").OnNpu();
        r.Op("k3x5").OffNpuBy("A9-DW-SQUARE-KERNEL", "kernel 3×5");
        r.Op("k1s2").OffNpuBy("A9-DW-1X1-STRIDE", "Unsupported stride >1 with kernel size 1x1");
        r.Op("k1s1").OnNpu();
        r.Op("m2").OffNpuBy("A9-DW-MULTIPLIER", "channel multiplier 2 with 16 input channels");
        r.Op("m16c1").OnNpu();
    }

    [Fact]
    public void Transpose_conv_stride_2_and_same_padding_for_large_kernels()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        b.TransposeConv(x, 16, 3, 2, name: "s2");
        b.TransposeConv(x, 16, 3, 1, name: "s1");
        b.TransposeConv(x, 16, 9, 2, PaddingKind.Same, "k9same");
        b.TransposeConv(x, 16, 9, 2, PaddingKind.Valid, "k9valid");
        b.TransposeConv(x, 16, 4, 2, name: "k4");
        var r = T.Run(b);
        r.Op("s2").OnNpu();
        r.Op("s1").OffNpuBy("A9-TCONV-STRIDE", "Stride X and Y must be equal to 2");
        r.Op("k9same").OnNpu();
        r.Op("k9valid").OffNpuBy("A9-TCONV-PADDING", "Padding must be SAME for kernel > 7x7");
        r.Op("k4").OffNpuBy("A9-CONV-KERNEL", "Width(4)/height(4)");
    }

    [Fact]
    public void Leaky_relu_alpha_between_0_and_1()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 16);
        b.Unary(OpKind.LeakyRelu, x, "a01", new LeakyReluAttributes(0.1f));
        b.Unary(OpKind.LeakyRelu, x, "a1", new LeakyReluAttributes(1f));
        var r = T.Run(b);
        r.Op("a01").OnNpu();
        r.Op("a1").OffNpuBy("A9-LEAKY-RELU-ALPHA", "alpha is 1");
    }

    [Theory]
    [InlineData(3, PaddingKind.Valid, 9, true)]   // code: unpadded 3×3/2 needs odd inputs
    [InlineData(3, PaddingKind.Valid, 8, false)]
    [InlineData(3, PaddingKind.Same, 8, true)]    // TFLite SAME pads (0,1) on even inputs
    [InlineData(3, PaddingKind.Same, 9, false)]   // and (1,1) on odd ones
    [InlineData(2, PaddingKind.Valid, 8, true)]
    [InlineData(2, PaddingKind.Valid, 9, false)]
    [InlineData(2, PaddingKind.Same, 9, true)]
    [InlineData(1, PaddingKind.Valid, 9, true)]
    public void Max_pool_stride_2_configurations_and_parity(int pool, PaddingKind padding, int size, bool npu)
    {
        var b = new GraphBuilder();
        b.Pool(OpKind.MaxPool2D, b.Input("x", 1, size, size, 16), pool, 2, padding, "mp");
        var r = T.Run(b).Op("mp");
        if (npu) r.OnNpu();
        else r.OffNpuBy("A9-MAXPOOL", $"pool {pool}×{pool} stride 2,2");
    }

    [Fact]
    public void Max_pool_width_stride_1_sizes_and_input_size()
    {
        var b = new GraphBuilder();
        b.Pool(OpKind.MaxPool2D, b.Input("w417", 1, 9, 417, 16), 3, 2, name: "w417");
        b.Pool(OpKind.MaxPool2D, b.Input("w419", 1, 9, 419, 16), 3, 2, name: "w419");
        var x = b.Input("x", 1, 20, 20, 16);
        b.Pool(OpKind.MaxPool2D, x, 9, 1, name: "v9");
        b.Pool(OpKind.MaxPool2D, x, 10, 1, name: "v10");
        b.Pool(OpKind.MaxPool2D, x, 17, 1, PaddingKind.Same, "s17");
        b.Pool(OpKind.MaxPool2D, x, 3, 3, name: "stride3");
        b.Pool(OpKind.MaxPool2D, b.Input("small", 1, 2, 2, 16), 3, 1, PaddingKind.Same, "small");
        var r = T.Run(b);
        r.Op("w417").OnNpu();
        r.Op("w419").OffNpuBy("A9-MAXPOOL", "maximum input width (419) exceeded (417)");
        r.Op("v9").OnNpu();
        r.Op("v10").OffNpuBy("A9-MAXPOOL", "must be VALID with size <= 9 or SAME with size <= 17");
        r.Op("s17").OnNpu();
        r.Op("stride3").OffNpuBy("A9-MAXPOOL", "must be 1,1 or 2,2");
        r.Op("small").OffNpuBy("A9-MAXPOOL", "Input size must not be smaller than the pooling size");
    }

    [Fact]
    public void Mean_over_7x7_or_8x8_only_and_keeps_quantization()
    {
        var b = new GraphBuilder();
        b.Mean(b.Input("x7", 1, 7, 7, 16), [1, 2], name: "m7");
        b.Mean(b.Input("x8", 1, 8, 8, 16), [1, 2], name: "m8");
        b.Mean(b.Input("x6", 1, 6, 6, 16), [1, 2], name: "m6");
        b.Mean(b.Input("xc", 1, 7, 7, 16), [3], name: "mc");
        b.Apply(OpKind.Mean, "requant", [b.Input("xq", 1, 7, 7, 16), b.Int32Constant("ax", 1, 2)], [1, 1, 1, 16],
            new ReduceAttributes([1, 2], true), Quantization.PerTensor(0.5f, 0));
        var r = T.Run(b);
        r.Op("m7").OnNpu();
        r.Op("m8").OnNpu();
        r.Op("m6").OffNpuBy("A9-MEAN", "MeanXy is supported for 7x7 and 8x8 as HeightxWidth only");
        r.Op("mc").OffNpuBy("A9-MEAN", "axes [C]");
        r.Op("requant").OffNpuBy("A9-SAME-QUANTIZATION", "MEAN changes quantization");
    }

    [Fact]
    public void Mul_by_a_per_channel_constant_or_a_coherent_scalar()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        var q = Quantization.PerTensor(0.5f, 0);
        b.Apply(OpKind.Mul, "per_c", [x, b.Constant("k", DataType.Int8, [1, 1, 1, 16], new byte[16], q)], [1, 8, 8, 16]);
        b.Apply(OpKind.Mul, "full", [x, b.Constant("kf", DataType.Int8, [1, 8, 8, 16], new byte[1024], q)], [1, 8, 8, 16]);
        b.Binary(OpKind.Mul, x, b.Unary(OpKind.Logistic, x, "sig", outputQuantization: Quantization.PerTensor(1f / 256, -128)), "silu");
        var two = b.Constant("two", DataType.Int8, [1], [4], q); // real 2.0
        b.Apply(OpKind.Mul, "scalar_ok", [x, two], [1, 8, 8, 16], q: Quantization.PerTensor(1f / 16, 0));
        b.Apply(OpKind.Mul, "scalar_bad", [x, two], [1, 8, 8, 16], q: Quantization.PerTensor(1f / 32, 0));
        var r = T.Run(b);
        r.Op("per_c").OnNpu();
        r.Op("full").OffNpuBy("A9-MUL", "constant 'kf' is 1×8×8×16; only 1×1×1×16 or a scalar");
        r.Op("silu").OffNpuBy("A9-MUL", "multiplies two run-time tensors");
        r.Op("silu").Placement.Should().Be(Placement.CpuAccelerated);
        r.Op("sig").OnNpu();
        r.Op("scalar_ok").OnNpu();
        r.Op("scalar_bad").OffNpuBy("A9-MUL", "Quantization info for input, scalar and output are not coherent");
    }

    [Fact]
    public void Pad_zero_spatial_up_to_7_and_always_a_performance_finding()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        b.Pad(x, 7, 0, 1, 3, "p7");
        b.Pad(x, 0, 8, 0, 0, "p8");
        b.Apply(OpKind.Pad, "pc", [x, b.Int32Constant("pcp", 0, 0, 0, 0, 0, 0, 0, 16)], [1, 8, 8, 32], new PadAttributes([(0, 0), (0, 0), (0, 0), (0, 16)]));
        b.Apply(OpKind.Pad, "pq", [x, b.Int32Constant("pqp", 0, 0, 1, 1, 1, 1, 0, 0)], [1, 10, 10, 16], new PadAttributes([(0, 0), (1, 1), (1, 1), (0, 0)]), Quantization.PerTensor(0.5f, 3));
        var r = T.Run(b);
        r.Op("p7").OnNpu();
        r.Op("p7").Fired("A9-EXPLICIT-PADDING").Message.Should().Contain("(0,0), (7,0), (1,3), (0,0)");
        r.Op("p8").OffNpuBy("A9-PAD", "at most 7 per side");
        r.Op("p8").Fired("A9-EXPLICIT-PADDING").Kind.Should().Be(RuleKind.Performance);
        r.Op("pc").OffNpuBy("A9-PAD", "only H and W may be padded");
        r.Op("pq").OffNpuBy("A9-PAD", "input quantization");
    }

    [Fact]
    public void Relu_bounds_and_quantization()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 16);
        b.Unary(OpKind.Relu6, x, "ok");
        b.Unary(OpKind.Relu6, x, "negative_scale", outputQuantization: Quantization.PerTensor(-0.1f, 0));
        b.Unary(OpKind.Relu, x, "requant", outputQuantization: Quantization.PerTensor(0.5f, 0));
        var r = T.Run(b);
        r.Op("ok").OnNpu();
        r.Op("negative_scale").OffNpuBy("A9-RELU-BOUNDS", "Relu has lower bound > upper bound: quantized bounds 0 > -60");
        r.Op("requant").OffNpuBy("A9-SAME-QUANTIZATION", "RELU changes quantization");
    }

    [Fact]
    public void Requantize_output_scale_above_input_over_128()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 16);
        b.Apply(OpKind.Quantize, "ok", [x], [1, 4, 4, 16], q: Quantization.PerTensor(1f / 32 / 127, 0));
        b.Apply(OpKind.Quantize, "bad", [x], [1, 4, 4, 16], q: Quantization.PerTensor(1f / 32 / 128, 0));
        var r = T.Run(b);
        r.Op("ok").OnNpu();
        r.Op("bad").OffNpuBy("A9-REQUANTIZE", "Output scale must be bigger than input scale / 128");
    }

    [Fact]
    public void Resize_to_2n_or_2n_minus_1_and_mixed_parity_is_an_accuracy_warning()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        b.Resize(x, 16, 16, name: "r2n");
        b.Resize(x, 15, 15, ResizeMode.Bilinear, "r2n1");
        b.Resize(x, 17, 17, name: "r2n+1");
        b.Resize(x, 16, 20, name: "w20");
        b.Resize(x, 16, 15, name: "mixed");
        var r = T.Run(b);
        r.Op("r2n").OnNpu();
        r.Op("r2n1").OnNpu();
        r.Op("r2n+1").OffNpuBy("A9-RESIZE-SIZE", "Requested height isn't supported: 8 → 17; must be 16 or 15");
        r.Op("w20").OffNpuBy("A9-RESIZE-SIZE", "Requested width isn't supported: 8 → 20");
        r.Op("mixed").OnNpu();
        r.Op("mixed").Fired("A9-RESIZE-ACCURACY").Kind.Should().Be(RuleKind.Accuracy);
        r.Op("r2n").NotFired("A9-RESIZE-ACCURACY");
    }

    [Fact]
    public void Sigmoid_and_tanh_have_fixed_output_quantization()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 4, 4, 16);
        b.Unary(OpKind.Logistic, x, "sig_ok", outputQuantization: Quantization.PerTensor(1f / 256, -128));
        b.Unary(OpKind.Logistic, x, "sig_bad", outputQuantization: Quantization.PerTensor(1f / 128, 0));
        b.Unary(OpKind.Tanh, x, "tanh_ok", outputQuantization: Quantization.PerTensor(1f / 128, 0));
        b.Unary(OpKind.Tanh, x, "tanh_bad", outputQuantization: Quantization.PerTensor(1f / 256, 0));
        var r = T.Run(b);
        r.Op("sig_ok").OnNpu();
        r.Op("sig_bad").OffNpuBy("A9-SIGMOID-QUANT", "Provided outputInfo is incorrect");
        r.Op("tanh_ok").OnNpu();
        r.Op("tanh_bad").OffNpuBy("A9-TANH-QUANT", "must be scale 0.0078125 zp 0");
    }

    [Fact]
    public void Split_along_channels_into_multiples_of_16()
    {
        var b = new GraphBuilder();
        b.Split(b.Input("a", 1, 4, 4, 32), 2, 3, "s16");
        b.Split(b.Input("c", 1, 4, 4, 48), 2, 3, "s24");
        b.Split(b.Input("d", 1, 4, 6, 24), 2, 2, "sw");
        var r = T.Run(b);
        r.Op("s16:0").OnNpu();
        r.Op("s24:0").OffNpuBy("A9-SPLIT-CHANNELS", "into 24 + 24");
        r.Op("sw:0").OnNpu();
    }

    [Fact]
    public void Tip_prefer_relu6()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        b.Conv2D(x, 16, 3, 3, activation: FusedActivation.Relu, name: "relu");
        b.Conv2D(x, 16, 3, 3, activation: FusedActivation.Relu6, name: "relu6");
        b.Unary(OpKind.LeakyRelu, x, "leaky", new LeakyReluAttributes(0.1f));
        var r = T.Run(b);
        r.Op("relu").Fired("A9-PREFER-RELU6").Message.Should().Contain("fused Relu");
        r.Op("relu6").NotFired("A9-PREFER-RELU6");
        r.Op("leaky").Fired("A9-PREFER-RELU6").Kind.Should().Be(RuleKind.Performance);
    }

    [Fact]
    public void Tip_filters_divisible_by_16()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 16);
        b.Conv2D(x, 24, 3, 3, name: "f24");
        b.Conv2D(x, 8, 3, 3, name: "f8");
        b.Conv2D(x, 32, 3, 3, name: "f32");
        var r = T.Run(b);
        var f = r.Op("f24").Fired("A9-FILTERS-16");
        f.Message.Should().Be("24 filters is not a multiple of 16; nearest aligned: 16 or 32");
        f.Rule.FixKind.Should().Be(FixKind.AlignChannels);
        r.Op("f8").Fired("A9-FILTERS-16").Message.Should().EndWith("nearest aligned: 16");
        r.Op("f32").NotFired("A9-FILTERS-16");
    }
}
