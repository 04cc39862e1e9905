using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;
using static NpuAdvisor.Tests.Targets.ResultQueries;

namespace NpuAdvisor.Tests.Targets;

public class AmlnnTargetTests
{
    private static readonly AmlnnTarget Aml = new();

    // For graphs TFLite cannot express (ONNX-only ops and inputs, sparse storage): analysed as built, not written.
    private static TargetResult RunUnwritten(GraphBuilder b) => Aml.Analyze(b.Build());

    private static TargetResult Run(GraphBuilder b, int cores = TargetOptions.DefaultCores) =>
        Aml.Analyze(b.BuildTflite(), new TargetOptions { Cores = cores });

    [Fact]
    public void Rules_have_unique_prefixed_ids_and_the_vx_table_is_shared()
    {
        Aml.Rules.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.OnlyContain(id => id.StartsWith("AML-", StringComparison.Ordinal));
        Aml.Rules.Select(r => r.Id).Should().Contain(["AML-VX-NO-MAPPER", "AML-VX-TENSOR", "AML-VX-HYBRID", "AML-VX-CONST-PARAM", "AML-VX-ATTRIBUTE", "AML-VX-TYPES"]);
        Aml.KernelRange.Summary.Should().Contain($"{AmlnnTarget.KernelStrideFactor}");
        Aml.PadLimit.Summary.Should().Contain($"{AmlnnTarget.MaxFreePad}");
        Aml.CoreAlignment.Help.Should().Contain($"default, {TargetOptions.DefaultCores}");
        TargetOptions.DefaultCores.Should().Be(4);
    }

    [Fact]
    public void Padding_up_to_7_per_side_is_free_8_is_reported()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 32, 32, 4);
        b.Conv2D(x, 4, 15, 15, stride: 2, name: "pad7");   // SAME: 13 rows of padding → 6/7
        b.Conv2D(x, 4, 17, 17, stride: 2, name: "pad8");   // SAME: 15 → 7/8
        var r = Run(b);
        Names(r, "AML-PAD-LIMIT").Should().Equal("pad8");
        Of(r, "AML-PAD-LIMIT")[0].Message.Should().Contain("bottom 8");
    }

    [Fact]
    public void Explicit_pad_before_a_conv_folds_when_the_total_stays_within_7()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 32, 32, 4);
        b.Conv2D(b.Pad(x, 7, 7, 7, 7, "pad7"), 4, 3, 3, padding: PaddingKind.Valid);
        b.Conv2D(b.Pad(x, 8, 8, 8, 8, "pad8"), 4, 3, 3, padding: PaddingKind.Valid);
        var r = Run(b);
        Names(r, "AML-PAD-FOLD").Should().Equal("pad7");
        Of(r, "AML-PAD-FOLD")[0].Rule.FixKind.Should().Be(FixKind.FoldPadding);
    }

    [Fact]
    public void Stride_2_is_native_stride_3_costs_a_reshuffle()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 18, 18, 4);
        b.Conv2D(x, 4, 3, 3, stride: 2, name: "s2");
        b.Conv2D(x, 4, 3, 3, stride: 3, name: "s3");
        var r = Run(b);
        Names(r, "AML-STRIDE").Should().Equal("s3");
    }

    [Fact]
    public void Output_channels_align_to_the_core_count()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 4);
        b.Conv2D(x, 32, 3, 3, name: "c32");
        b.Conv2D(x, 30, 3, 3, name: "c30");
        var build = b.BuildTflite();

        var quad = Aml.Analyze(build, new TargetOptions { Cores = 4 });
        Of(quad, "AML-CORE-ALIGNMENT").Should().ContainSingle().Which.Message.Should()
            .Be("30 output channels on 4 convolution cores: 2 core(s) idle in the last pass (nearest multiples: 28 or 32)");
        Of(Aml.Analyze(build, new TargetOptions { Cores = 2 }), "AML-CORE-ALIGNMENT").Should().BeEmpty();
        Of(Aml.Analyze(build, new TargetOptions { Cores = 1 }), "AML-CORE-ALIGNMENT").Should().BeEmpty();
        var three = () => Aml.Analyze(build, new TargetOptions { Cores = 3 });
        three.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(1, 10, false)]
    [InlineData(1, 11, true)]
    [InlineData(2, 21, false)]
    [InlineData(2, 22, true)]
    public void Kernel_max_is_11_times_stride_minus_1(int stride, int kernel, bool beyond)
    {
        var b = new GraphBuilder();
        b.Conv2D(b.Input("x", 1, 48, 48, 4), 4, kernel, kernel, stride: stride, padding: PaddingKind.Valid, name: "k");
        var r = Run(b);
        var f = Of(r, "AML-KERNEL-RANGE");
        if (!beyond) { f.Should().BeEmpty(); Of(r, "AML-KERNEL").Should().ContainSingle(); return; }
        f.Should().ContainSingle().Which.Message.Should().Contain($"at most {11 * stride - 1}×{11 * stride - 1}");
        Of(r, "AML-KERNEL").Should().BeEmpty("the range finding already covers it");
        OpNamed(r, "k").Placement.Should().Be(Placement.Npu, "the delegate has no kernel check");
    }

    [Fact]
    public void Kernel_limit_does_not_overflow_on_absurd_strides()
    {
        AmlnnTarget.MaxKernel(int.MaxValue).Should().Be(11L * int.MaxValue - 1);
        AmlnnTarget.MaxKernel(1).Should().Be(10);
    }

    [Fact]
    public void Kernel_3x3_is_optimal_and_non_square_has_overhead()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 16, 16, 4);
        b.Conv2D(x, 4, 3, 3, name: "k3");
        b.Conv2D(x, 4, 1, 1, name: "k1");
        b.Conv2D(x, 4, 5, 5, name: "k5");
        b.Conv2D(x, 4, 1, 3, name: "k13");
        var r = Run(b);
        Names(r, "AML-KERNEL").Should().Equal("k5");
        Names(r, "AML-NON-SQUARE").Should().Equal("k13");
        Of(r, "AML-NON-SQUARE")[0].Message.Should().StartWith("kernel 1×3");
    }

    [Fact]
    public void Only_a_fusible_relu_after_a_conv_is_silent()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 4);
        b.Unary(OpKind.Relu, b.Conv2D(x, 4, 3, 3, name: "c_relu"), "relu_ok");
        b.Unary(OpKind.Logistic, b.Conv2D(x, 4, 3, 3, name: "c_sig"), "sigmoid", outputQuantization: Quantization.PerTensor(1f / 256, -128));
        b.Unary(OpKind.Relu, b.Conv2D(x, 4, 3, 3, activation: FusedActivation.Relu6, name: "c_fused"), "relu_after_fused");
        var shared = b.Conv2D(x, 4, 3, 3, name: "c_shared");
        b.Unary(OpKind.Relu, shared, "relu_shared");
        b.Output(shared);
        b.Binary(OpKind.Add, shared, x, "other_reader");
        var r = Run(b);

        Names(r, "AML-ACTIVATION-FUSION").Should().BeEquivalentTo("sigmoid", "relu_after_fused", "relu_shared");
        Of(r, "AML-ACTIVATION-FUSION").Single(f => f.Op!.Name == "sigmoid").Message.Should().Contain("fuses only ReLU, not LOGISTIC");
        Of(r, "AML-ACTIVATION-FUSION").Single(f => f.Op!.Name == "relu_shared").Message.Should().Contain("2 readers");
    }

    [Theory]
    [InlineData(16, 2, PaddingKind.Valid, 2, null)]
    [InlineData(15, 2, PaddingKind.Valid, 2, "not even")]
    [InlineData(15, 3, PaddingKind.Valid, 2, null)]
    [InlineData(16, 3, PaddingKind.Valid, 2, "not odd")]
    [InlineData(63, 3, PaddingKind.Valid, 2, null)]
    [InlineData(65, 3, PaddingKind.Valid, 2, "width 65 is not below 64 (8-bit mode)")]
    [InlineData(15, 2, PaddingKind.Same, 2, "padding 0/1/0/1")]
    [InlineData(16, 2, PaddingKind.Valid, 1, "stride 1×1")]
    [InlineData(16, 4, PaddingKind.Valid, 2, "pool 4×4")]
    public void Max_pool_after_a_conv_fuses_only_under_the_listed_conditions(int size, int pool, PaddingKind padding, int stride, string? miss)
    {
        var b = new GraphBuilder();
        var c = b.Conv2D(b.Input("x", 1, size, size, 4), 4, 3, 3, name: "conv");
        b.Pool(OpKind.MaxPool2D, c, pool, stride, padding, "pool");
        var r = Run(b);
        var f = Of(r, "AML-MAXPOOL-FUSION");
        if (miss is null) { f.Should().BeEmpty(); return; }
        f.Should().ContainSingle().Which.Message.Should().StartWith("MAX_POOL_2D after CONV_2D 'conv' is not fused:").And.Contain(miss);
    }

    [Theory]
    [InlineData(31, false)]
    [InlineData(33, true)]
    public void Max_pool_3x3_width_limit_is_32_in_16_bit_and_wider_modes(int width, bool reported)
    {
        var b = new GraphBuilder { ActivationType = DataType.Float32 };
        var c = b.Conv2D(b.Input("x", 1, width, width, 4), 4, 3, 3, name: "conv");
        b.Pool(OpKind.MaxPool2D, c, 3, 2, PaddingKind.Valid, "pool");
        var f = Of(Run(b), "AML-MAXPOOL-FUSION");
        if (!reported) f.Should().BeEmpty();
        else f.Should().ContainSingle().Which.Message.Should().Contain($"width {width} is not below 32 (16-bit mode)");
    }

    [Fact]
    public void Max_pool_not_after_a_conv_is_not_a_fusion_candidate()
    {
        var b = new GraphBuilder();
        b.Pool(OpKind.MaxPool2D, b.Input("x", 1, 15, 15, 4), 2, 2, PaddingKind.Valid, "pool");
        Of(Run(b), "AML-MAXPOOL-FUSION").Should().BeEmpty();
    }

    [Fact]
    public void Depthwise_gets_the_performance_tip_and_accuracy_findings_for_relu6_bn_and_activation()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 8);
        b.DepthwiseConv2D(x, 3, 3, activation: FusedActivation.Relu6, name: "dw_relu6");
        b.DepthwiseConv2D(x, 3, 3, activation: FusedActivation.Relu, name: "dw_relu");
        var plain = b.DepthwiseConv2D(x, 3, 3, name: "dw_bn");
        var scale = b.Constant("bn/scale", DataType.Int8, [8], new byte[8], Quantization.PerTensor(0.01f, 0));
        b.Binary(OpKind.Mul, plain, scale, "bn_mul");
        var clean = b.DepthwiseConv2D(x, 3, 3, name: "dw_clean");
        b.Conv2D(clean, 8, 1, 1, activation: FusedActivation.Relu, name: "pw");
        var r = Run(b);

        Names(r, "AML-DEPTHWISE").Should().BeEquivalentTo("dw_relu6", "dw_relu", "dw_bn", "dw_clean");
        Names(r, "AML-DW-RELU6").Should().Equal("dw_relu6");
        Names(r, "AML-DW-BN-ACTIVATION").Should().BeEquivalentTo("dw_relu", "dw_bn");
        Of(r, "AML-DW-BN-ACTIVATION").Single(f => f.Op!.Name == "dw_bn").Message.Should().Contain("MUL 'bn_mul'");
        Of(r, "AML-DW-RELU6").Concat(Of(r, "AML-DW-BN-ACTIVATION")).Should().OnlyContain(f => f.Kind == RuleKind.Accuracy);
    }

    [Fact]
    public void Sparsity_is_reported_below_half()
    {
        var dense = new GraphBuilder { WeightSparsity = 0.3 };
        dense.Conv2D(dense.Input("x", 1, 8, 8, 4), 8, 3, 3);
        Of(Run(dense), "AML-SPARSITY").Should().ContainSingle().Which.Message.Should().EndWith("pruning this layer would make it faster");
        var pruned = new GraphBuilder { WeightSparsity = 0.7 };
        pruned.Conv2D(pruned.Input("x", 1, 8, 8, 4), 8, 3, 3);
        Of(Run(pruned), "AML-SPARSITY").Should().BeEmpty();
    }

    [Fact]
    public void Sparse_stored_weights_densify_on_the_cpu_and_report_their_zeros()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 2);
        var values = Enumerable.Range(1, 18).Select(i => (byte)i).ToArray();    // 18 stored values of a 4×3×3×2 = 72-element kernel
        var stored = b.Constant("w/sparse", DataType.Int8, [4, 3, 3, 2], values, Quantization.PerTensor(0.01f, 0));
        stored.Sparsity = new SparsityInfo([0, 1, 2, 3], [], ["DENSE", "SPARSE_CSR", "DENSE", "DENSE"]);
        var dense = b.Tensor("w", DataType.Int8, new Shape(4, 3, 3, 2), Quantization.PerTensor(0.01f, 0));
        b.Op(OpKind.Densify, [stored], [dense]);
        b.Op(OpKind.Conv2D, [x, dense, null], [b.Activation("conv", 1, 8, 8, 4)],
            new ConvAttributes(3, 3, 1, 1, 1, 1, Padding2D.Same(1, 1, 1, 1), FusedActivation.None));
        var r = RunUnwritten(b);

        OpNamed(r, "w").CpuReason!.Rule.Id.Should().Be("AML-SPARSE-WEIGHTS");
        Of(r, "AML-SPARSE-STORAGE").Should().ContainSingle().Which.Message.Should().StartWith("'w/sparse' is stored sparse with 75% zeros");
        Of(r, "AML-SPARSITY").Should().BeEmpty("75% zeros is pruned enough");
        VeriSiliconTips.WeightSparsity(r.Ops.Single(o => o.Op.Kind == OpKind.Conv2D).Op).Should().BeApproximately(0.75, 1e-12);
        Of(new Artpec8Target().Analyze(b.Build()), "A8-SPARSE-STORAGE").Should().ContainSingle().Which.Message.Should().Contain("75% zeros");
    }

    [Fact]
    public void Float_model_stays_on_the_npu_but_is_reported_as_cpu_speed()
    {
        var f = new GraphBuilder { ActivationType = DataType.Float32 };
        f.Conv2D(f.Input("x", 1, 8, 8, 4), 8, 3, 3, name: "conv");
        var r = Run(f);
        OpNamed(r, "conv").Placement.Should().Be(Placement.Npu);
        Of(r, "AML-FLOAT-MODEL").Should().ContainSingle().Which.Message.Should().StartWith("1 of 1 NPU ops compute in float");

        var q = new GraphBuilder();
        q.Conv2D(q.Input("x", 1, 8, 8, 4), 8, 3, 3);
        Of(Run(q), "AML-FLOAT-MODEL").Should().BeEmpty();
    }

    [Fact]
    public void Vx_delegate_no_mapper_uses_the_fallback_message()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 4);
        b.Binary(OpKind.SquaredDifference, x, x, "sqdiff");
        b.Binary(OpKind.Add, x, x, "add");
        var r = Run(b);
        OpNamed(r, "sqdiff").CpuReason!.Message.Should().Be("Fallback unsupported op 99 (SQUARED_DIFFERENCE) to TfLite: the vx-delegate has no mapper for it");
        OpNamed(r, "add").Placement.Should().Be(Placement.Npu);
    }

    [Fact]
    public void Onnx_only_ops_follow_the_vsinpu_registry()
    {
        var b = new GraphBuilder { ActivationType = DataType.Float32 };
        var x = b.Input("x", 1, 8, 8, 4);
        b.Unary(OpKind.HardSigmoid, x, "hsig");
        b.Unary(OpKind.ConstantOfShape, x, "cos");
        var r = RunUnwritten(b);
        OpNamed(r, "hsig").Placement.Should().Be(Placement.Npu);
        OpNamed(r, "cos").CpuReason!.Message.Should().Be("Fallback unsupported op CONSTANT_OF_SHAPE to cpu: neither the vx-delegate nor the VSINPU execution provider maps it");
    }

    [Fact]
    public void Vx_delegate_refuses_hybrid_convolutions()
    {
        var b = new GraphBuilder { ActivationType = DataType.Float32 };
        var x = b.Input("x", 1, 8, 8, 3);
        b.ActivationType = DataType.Int8;
        var w = b.Weights("w", [4, 3, 3, 3]);
        b.ActivationType = DataType.Float32;
        b.Op(OpKind.Conv2D, [x, w, null], [b.Activation("hybrid", 1, 8, 8, 4)],
            new ConvAttributes(3, 3, 1, 1, 1, 1, Padding2D.Same(1, 1, 1, 1), FusedActivation.None));
        b.Conv2D(x, 4, 3, 3, name: "float");
        var r = Run(b);
        OpNamed(r, "hybrid").CpuReason!.Rule.Id.Should().Be("AML-VX-HYBRID");
        OpNamed(r, "hybrid").CpuReason!.Message.Should().Be("input 'x' is float32 but weights 'w' are int8: hybrid CONV_2D is not mapped");
        OpNamed(r, "float").Placement.Should().Be(Placement.Npu);
    }

    [Fact]
    public void Vx_delegate_tensor_and_type_checks()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 4);
        var deep = b.Input("deep", 1, 1, 2, 2, 2, 2, 2);
        b.Op(OpKind.Reshape, [deep], [b.Activation("rank7", 1, 2, 2, 2, 2, 2, 2)]);
        b.Op(OpKind.Reshape, [b.Input("six", 1, 2, 2, 2, 2, 2)], [b.Activation("rank6", 1, 2, 2, 2, 2, 2)]);
        b.Op(OpKind.ArgMax, [x, b.Int32Constant("axis", 3)], [b.Tensor("argmax", DataType.Int32, new Shape(1, 8, 8))]);
        b.Op(OpKind.ArgMax, [x, b.Int32Constant("axis2", 3)], [b.Tensor("argmax_u8", DataType.UInt8, new Shape(1, 8, 8))]);
        var r = Run(b);

        OpNamed(r, "rank7").CpuReason!.Message.Should().Be("input 'deep' has rank 7: the delegate maps tensors of rank ≤ 6");
        OpNamed(r, "rank6").Placement.Should().Be(Placement.Npu);
        OpNamed(r, "argmax").CpuReason!.Rule.Id.Should().Be("AML-VX-TYPES");
        OpNamed(r, "argmax").CpuReason!.Message.Should().Be("int8 input with int32 output");
        OpNamed(r, "argmax_u8").Placement.Should().Be(Placement.Npu);
    }

    [Fact]
    public void Vx_delegate_dequantize_and_quantize_type_rules()
    {
        var b = new GraphBuilder();
        var perChannel = b.Constant("pc", DataType.Int8, [4], [1, 2, 3, 4], Quantization.PerAxis([0.1f, 0.2f, 0.3f, 0.4f], [0, 0, 0, 0], 0));
        var perTensor = b.Constant("pt", DataType.Int8, [4], [1, 2, 3, 4], Quantization.PerTensor(0.1f, 0));
        b.Op(OpKind.Dequantize, [perChannel], [b.Tensor("deq_pc", DataType.Float32, new Shape(4))]);
        b.Op(OpKind.Dequantize, [perTensor], [b.Tensor("deq_pt", DataType.Float32, new Shape(4))]);
        var f = b.Tensor("f", DataType.Float32, new Shape(1, 4));
        b.Main.Inputs.Add(f);
        b.Op(OpKind.Quantize, [f], [b.Tensor("q_pc", DataType.Int8, new Shape(1, 4), Quantization.PerAxis([0.1f, 0.2f, 0.3f, 0.4f], [0, 0, 0, 0], 1))]);
        b.Op(OpKind.Quantize, [f], [b.Tensor("q_pt", DataType.Int8, new Shape(1, 4), Quantization.PerTensor(0.1f, 0))]);
        var r = Run(b);

        OpNamed(r, "deq_pc").CpuReason!.Message.Should().Be("per-channel int8 (4 scales) to float32");
        OpNamed(r, "deq_pt").Placement.Should().Be(Placement.Npu);
        OpNamed(r, "q_pc").CpuReason!.Message.Should().Be("float32 input to per-channel int8 output");
        OpNamed(r, "q_pt").Placement.Should().Be(Placement.Npu);
    }

    [Fact]
    public void Vx_delegate_refuses_int64_inputs_and_dimensions_beyond_65535()
    {
        var b = new GraphBuilder();
        b.Op(OpKind.Reshape, [b.Input("wide", 1, 65536)], [b.Activation("too_wide", 1, 65536)]);
        b.Op(OpKind.Reshape, [b.Input("ok", 1, 65535)], [b.Activation("max_wide", 1, 65535)]);
        var ids = b.Tensor("ids", DataType.Int64, new Shape(1, 4));
        b.Main.Inputs.Add(ids);
        b.Op(OpKind.Cast, [ids], [b.Tensor("cast64", DataType.Int32, new Shape(1, 4))]);
        var r = Run(b);

        OpNamed(r, "too_wide").CpuReason!.Message.Should().Be("input 'wide' has dimension 1 = 65536: the delegate refuses dimensions > 65535");
        OpNamed(r, "max_wide").Placement.Should().Be(Placement.Npu);
        OpNamed(r, "cast64").CpuReason!.Rule.Id.Should().Be("AML-VX-NO-MAPPER", "CAST has no vx mapper, checked before the tensor rules");
    }

    [Fact]
    public void Empty_constants_are_omitted_inputs_but_empty_activations_are_refused()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 4);
        var roi = b.Tensor("roi", DataType.Float32, new Shape(0));
        roi.IsConstant = true;
        b.Op(OpKind.ResizeNearestNeighbor, [x, roi, b.Int32Constant("size", 16, 16)], [b.Activation("resized", 1, 16, 16, 4)],
            new ResizeAttributes(ResizeMode.NearestNeighbor, false, false, 16, 16));
        var empty = b.Input("empty", 1, 0, 8, 4);
        b.Op(OpKind.Reshape, [empty], [b.Activation("from_empty", 1, 0)]);
        var r = RunUnwritten(b);
        OpNamed(r, "resized").Placement.Should().Be(Placement.Npu);
        OpNamed(r, "from_empty").CpuReason!.Message.Should().Be("input 'empty' [1×0×8×4] has a dimension of 0");
    }

    [Fact]
    public void Vx_delegate_needs_a_static_reshape_output()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 4);
        b.Op(OpKind.Reshape, [x], [b.Tensor("dynamic", DataType.Int8, Shape.UnknownRank, Quantization.PerTensor(0.1f, 0))]);
        b.Op(OpKind.Reshape, [x], [b.Activation("static", 1, 256)]);
        var r = Run(b);
        OpNamed(r, "dynamic").CpuReason!.Rule.Id.Should().Be("AML-VX-TENSOR");
        OpNamed(r, "dynamic").CpuReason!.Message.Should().Be("output 'dynamic' has a run-time shape [?]: RESHAPE needs a static output shape");
        OpNamed(r, "static").Placement.Should().Be(Placement.Npu);
    }
}
