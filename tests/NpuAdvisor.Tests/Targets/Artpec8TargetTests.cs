using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;
using static NpuAdvisor.Tests.Targets.ResultQueries;

namespace NpuAdvisor.Tests.Targets;

public class Artpec8TargetTests
{
    private static readonly Artpec8Target A8 = new();

    private static TargetResult Run(GraphBuilder b) => A8.Analyze(b.BuildTflite());

    [Fact]
    public void Rules_have_unique_prefixed_ids_and_help_built_from_the_limits()
    {
        A8.Rules.Select(r => r.Id).Should().OnlyHaveUniqueItems().And.OnlyContain(id => id.StartsWith("A8-", StringComparison.Ordinal));
        A8.Rules.Should().OnlyContain(r => r.Summary.Length > 0 && r.Help.Length > 0 && r.Fix.Length > 0 && r.Source.Length > 0);
        A8.Filters.Summary.Should().Contain($"{Artpec8Target.FilterMultiple}");
        A8.Partitions.Summary.Should().Contain($"{Artpec8Target.MaxPartitions}");
        A8.Rules.Should().Contain(r => r.Id == "A8-VX-ATTRIBUTE").And.Contain(r => r.Id == "A8-CUSTOM-OP");
    }

    [Fact]
    public void Filters_multiple_of_six_96_passes_100_gets_the_nearest_multiples()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 16, 16, 8);
        b.Conv2D(x, 96, 3, 3, name: "c96");
        b.Conv2D(x, 100, 3, 3, name: "c100");
        var r = Run(b);

        var f = Of(r, "A8-FILTERS").Should().ContainSingle().Subject;
        f.Op!.Name.Should().Be("c100");
        f.Message.Should().Contain("100 filters").And.Contain("96 or 102");
        f.Rule.FixKind.Should().Be(FixKind.AlignChannels);
    }

    [Theory]
    [InlineData(8, 16, false)]
    [InlineData(9, 17, true)]
    public void More_than_16_partitions_do_not_load(int npuRuns, int partitions, bool refused)
    {
        var b = new GraphBuilder();
        Tensor t = b.Input("x", 1, 8, 8, 4);
        for (var i = 0; i < npuRuns; i++)
        {
            t = b.Unary(OpKind.Relu, t, $"relu{i}");
            if (i < 8) t = b.Custom("CpuOnly", t, [1, 8, 8, 4], $"cpu{i}");
        }
        b.Output(t);
        var r = Run(b);

        r.Segments.Should().HaveCount(partitions);
        var findings = Of(r, "A8-PARTITIONS");
        if (!refused) { findings.Should().BeEmpty(); return; }
        findings.Should().ContainSingle().Which.Message.Should()
            .Be("Model contains too many graph partitions (17 > 16) and 8 of the graph partitions can't be run on the device");
        findings[0].Op.Should().BeNull();
    }

    [Fact]
    public void Per_channel_weights_are_reported_per_op_and_for_the_model()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 16, 16, 6);
        b.Conv2D(x, 12, 3, 3, name: "pt");
        b.Conv2D(x, 12, 3, 3, name: "pc", perChannel: true);
        var r = Run(b);

        Of(r, "A8-PER-CHANNEL").Should().ContainSingle().Which.Op!.Name.Should().Be("pc");
        Of(r, "A8-PER-CHANNEL").Single().Message.Should().Contain("12 per-channel scales");
        Of(r, "A8-PER-CHANNEL-MODEL").Should().ContainSingle().Which.Message.Should().StartWith("1 of 2 weight tensors");
        OpNamed(r, "pc").Placement.Should().Be(Placement.Npu, "per-channel is slower, not refused");
    }

    [Fact]
    public void Per_tensor_model_has_no_per_channel_findings()
    {
        var b = new GraphBuilder();
        b.Conv2D(b.Input("x", 1, 8, 8, 6), 12, 3, 3);
        var r = Run(b);
        Of(r, "A8-PER-CHANNEL").Should().BeEmpty();
        Of(r, "A8-PER-CHANNEL-MODEL").Should().BeEmpty();
    }

    [Fact]
    public void Depthwise_is_reported_regular_conv_is_not()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 16, 16, 12);
        b.DepthwiseConv2D(x, 3, 3, name: "dw");
        b.Conv2D(x, 12, 3, 3, name: "conv");
        var r = Run(b);
        var f = Of(r, "A8-DEPTHWISE").Should().ContainSingle().Subject;
        f.Op!.Name.Should().Be("dw");
        f.Message.Should().Contain("depthwise 3×3 over 12 channels");
    }

    [Fact]
    public void Kernel_3x3_and_1x1_pass_5x5_is_not_optimal_1x3_is_not_square()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 16, 16, 6);
        b.Conv2D(x, 6, 3, 3, name: "k3");
        b.Conv2D(x, 6, 1, 1, name: "k1");
        b.Conv2D(x, 6, 5, 5, name: "k5");
        b.Conv2D(x, 6, 1, 3, name: "k13");
        var r = Run(b);
        Of(r, "A8-KERNEL").Should().ContainSingle().Which.Message.Should().StartWith("kernel 5×5");
        Of(r, "A8-KERNEL")[0].Op!.Name.Should().Be("k5");
        Of(r, "A8-NON-SQUARE").Should().ContainSingle().Which.Message.Should().StartWith("kernel 1×3 is not square");
        Of(r, "A8-NON-SQUARE")[0].Rule.FixKind.Should().Be(FixKind.SquareKernel);
    }

    [Fact]
    public void Stride_2_is_native_stride_3_is_reported()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 18, 18, 6);
        b.Conv2D(x, 6, 3, 3, stride: 2, name: "s2");
        b.Conv2D(x, 6, 3, 3, stride: 3, name: "s3");
        var r = Run(b);
        var f = Of(r, "A8-STRIDE").Should().ContainSingle().Subject;
        f.Op!.Name.Should().Be("s3");
        f.Message.Should().StartWith("stride 3×3");
        f.Rule.FixKind.Should().Be(FixKind.StrideViaPooling);
    }

    [Fact]
    public void Standalone_relu_after_an_unfused_conv_is_reported_only_when_it_could_fuse()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 6);
        b.Unary(OpKind.Relu, b.Conv2D(x, 6, 3, 3, name: "plain"), "relu_plain");
        b.Unary(OpKind.Relu6, b.Conv2D(x, 6, 3, 3, activation: FusedActivation.Relu, name: "fused"), "relu_fused");
        var shared = b.Conv2D(x, 6, 3, 3, name: "shared");
        b.Unary(OpKind.Relu, shared, "relu_shared");
        b.Output(shared);
        b.Op(OpKind.Add, [shared, shared], [b.Activation("other", 1, 8, 8, 6)], new ElementwiseAttributes(FusedActivation.None));
        var r = Run(b);

        var f = Of(r, "A8-RELU-FUSION").Should().ContainSingle().Subject;
        f.Op!.Name.Should().Be("relu_plain");
        f.Message.Should().Contain("CONV_2D 'plain'");
    }

    [Fact]
    public void Sparsity_is_measured_and_reported_below_half()
    {
        var dense = new GraphBuilder { WeightSparsity = 0.2 };
        var dc = dense.Conv2D(dense.Input("x", 1, 8, 8, 6), 24, 3, 3, name: "dense");
        var r = Run(dense);
        var w = dc.Producer!.Input(1)!;
        var zeros = w.Data.ToArray().Count(v => v == 0) / (double)w.Data.Length;
        zeros.Should().BeInRange(0.1, 0.3);
        Of(r, "A8-SPARSITY").Should().ContainSingle().Which.Message.Should().StartWith($"weights are {VeriSiliconTips.Percent(zeros)} zeros");

        var pruned = new GraphBuilder { WeightSparsity = 0.8 };
        pruned.Conv2D(pruned.Input("x", 1, 8, 8, 6), 24, 3, 3);
        Of(Run(pruned), "A8-SPARSITY").Should().BeEmpty();
    }

    [Fact]
    public void Leaky_relu_is_tied_to_zero_skipping_relu_is_not()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 6);
        b.Unary(OpKind.LeakyRelu, x, "leaky", new LeakyReluAttributes(0.1f));
        b.Unary(OpKind.Relu, x, "relu");
        var r = Run(b);
        var f = Of(r, "A8-ZERO-SKIPPING").Should().ContainSingle().Subject;
        f.Op!.Name.Should().Be("leaky");
        f.Message.Should().Contain("alpha 0.1");
    }

    [Fact]
    public void Ops_outside_the_table_and_the_delegate_fall_back_with_the_delegate_message()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 6);
        b.Binary(OpKind.SquaredDifference, x, x, "sqdiff");
        b.Unary(OpKind.Cast, x, "cast");
        var r = Run(b);

        OpNamed(r, "sqdiff").Placement.Should().Be(Placement.Cpu);
        OpNamed(r, "sqdiff").CpuReason!.Message.Should().Be("Fallback unsupported op 99 (SQUARED_DIFFERENCE) to TfLite: not in the ARTPEC-8 DLPU table");
        OpNamed(r, "cast").Placement.Should().Be(Placement.Npu, "CAST is in Axis's table");
    }

    [Fact]
    public void Ops_mapped_by_the_delegate_but_not_in_the_table_stay_on_the_dlpu_with_a_note()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 6);
        b.Unary(OpKind.Logistic, x, "sigmoid", outputQuantization: Quantization.PerTensor(1f / 256, -128));
        b.Unary(OpKind.Relu, x, "relu");
        var r = Run(b);
        OpNamed(r, "sigmoid").Placement.Should().Be(Placement.Npu);
        Of(r, "A8-OFF-TABLE").Should().ContainSingle().Which.Op!.Name.Should().Be("sigmoid");
    }

    [Fact]
    public void Float_ops_the_delegate_maps_stay_on_the_dlpu_with_an_int8_performance_finding()
    {
        // The vx-delegate decides placement (OpMapperBase::IsSupported refuses no float input); the int8 tip rides on top.
        var f = new GraphBuilder { ActivationType = DataType.Float32 };
        f.Conv2D(f.Input("x", 1, 8, 8, 6), 6, 3, 3, name: "fconv");
        var rf = Run(f);
        OpNamed(rf, "fconv").Placement.Should().Be(Placement.Npu);
        var tip = OpNamed(rf, "fconv").Findings.Single(x => x.Rule.Id == "A8-INT8-ONLY");
        tip.Kind.Should().Be(RuleKind.Performance);
        tip.Message.Should().Contain("float32");
        rf.ModelFindings.Should().Contain(m => m.Rule.Id == "A8-FLOAT-MODEL");

        var q = new GraphBuilder();
        q.Conv2D(q.Input("x", 1, 8, 8, 6), 6, 3, 3, name: "qconv");
        var rq = Run(q);
        OpNamed(rq, "qconv").Placement.Should().Be(Placement.Npu);
        OpNamed(rq, "qconv").NotFired("A8-INT8-ONLY");
    }

    [Fact]
    public void Int32_inputs_are_accepted_by_the_delegate_and_int32_arithmetic_is_a_performance_finding()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 6);
        var ids = b.Tensor("ids", DataType.Int32, new Shape(1, 4));
        b.Main.Inputs.Add(ids);
        b.Op(OpKind.Add, [ids, ids], [b.Tensor("int_add", DataType.Int32, new Shape(1, 4))], new ElementwiseAttributes(FusedActivation.None));
        b.Op(OpKind.Gather, [x, ids], [b.Activation("gathered", 1, 4, 8, 6)], new AxisAttributes(1));
        var r = Run(b);
        OpNamed(r, "int_add").Placement.Should().Be(Placement.Npu);
        OpNamed(r, "int_add").Fired("A8-INT8-ONLY").Message.Should().Be("'ids' is int32: the vx-delegate maps the op, but the DLPU is built for int8/uint8");
        OpNamed(r, "gathered").Placement.Should().Be(Placement.Npu);
        OpNamed(r, "gathered").NotFired("A8-INT8-ONLY");
    }

    [Fact]
    public void Delegate_refusals_apply_strided_slice_masks_and_constant_parameters()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 6);
        Tensor Slice(string name, int newAxisMask, Tensor begin)
        {
            var y = b.Activation(name, 1, 4, 8, 6);
            b.Op(OpKind.StridedSlice, [x, begin, b.Int32Constant(name + "/end", 1, 4, 8, 6), b.Int32Constant(name + "/strides", 1, 1, 1, 1)], [y],
                new StridedSliceAttributes(0, 0, 0, newAxisMask, 0, null, null, null));
            return y;
        }
        Slice("ok", 0, b.Int32Constant("ok/begin", 0, 0, 0, 0));
        Slice("newaxis", 2, b.Int32Constant("na/begin", 0, 0, 0, 0));
        var dynBegin = b.Tensor("dyn/begin", DataType.Int32, new Shape(4));
        b.Main.Inputs.Add(dynBegin);
        Slice("dynamic", 0, dynBegin);
        var r = Run(b);

        OpNamed(r, "ok").Placement.Should().Be(Placement.Npu);
        OpNamed(r, "newaxis").CpuReason!.Rule.Id.Should().Be("A8-VX-ATTRIBUTE");
        OpNamed(r, "newaxis").CpuReason!.Message.Should().Be("new_axis_mask = 2: only 0 is mapped");
        OpNamed(r, "dynamic").CpuReason!.Rule.Id.Should().Be("A8-VX-CONST-PARAM");
        OpNamed(r, "dynamic").CpuReason!.Message.Should().Contain("input 1 'dyn/begin'");
    }

    [Fact]
    public void Custom_ops_use_the_common_rules()
    {
        var b = new GraphBuilder();
        b.Custom("TFLite_Detection_PostProcess", b.Input("x", 1, 8, 8, 6), [1, 10, 4], "nms");
        var r = Run(b);
        OpNamed(r, "nms").CpuReason!.Rule.Id.Should().Be("A8-CUSTOM-OP");
    }
}
