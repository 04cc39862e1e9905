using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Model;
using Xunit;
using static NpuAdvisor.Tests.Cost.CostTestGraphs;

namespace NpuAdvisor.Tests.Cost;

public sealed class WhatIfTests
{
    private static double Total(string target, Graph g) => CostModel.Load(target).Run(TargetOf(target).Analyze(g), CostPlan.Baseline).TotalMs;

    [Fact]
    public void Align_channels_prices_100_filters_as_the_better_of_96_and_102_and_matches_a_rebuilt_graph()
    {
        var r = TargetOf("artpec8").Analyze(Chain(56, 32, 100));
        var model = CostModel.Load("artpec8");
        var finding = FindingOn(Op(r, "under_test"), FixKind.AlignChannels);
        var saves = WhatIf.Saves(model, r, finding)!.Value;

        var baseline = model.Run(r, CostPlan.Baseline).TotalMs;
        var with96 = Total("artpec8", Chain(56, 32, 96));
        var with102 = Total("artpec8", Chain(56, 32, 102));
        saves.Should().BeApproximately(baseline - Math.Min(with96, with102), 1e-3 * baseline);
        saves.Should().BePositive();
        with96.Should().BeLessThan(with102, "rounding down drops MACs and fills every lane");
    }

    [Fact]
    public void Use_small_kernel_prices_5x5_as_two_3x3_like_the_rebuilt_graph()
    {
        var g = Chain(28, 64, 64, kernel: 5);
        var r = TargetOf("amlnn").Analyze(g);
        var model = CostModel.Load("amlnn");
        var saves = WhatIf.Saves(model, r, FindingOn(Op(r, "under_test"), FixKind.UseSmallKernel))!.Value;

        var b = new GraphBuilder(1);
        var x = b.Input("input", 1, 28, 28, 64);
        x = b.Conv2D(x, 64, 3, 3, activation: FusedActivation.Relu, name: "first");
        x = b.Conv2D(x, 64, 3, 3, activation: FusedActivation.Relu);
        x = b.Conv2D(x, 64, 3, 3, activation: FusedActivation.Relu);
        x = b.Conv2D(x, 16, 3, 3, activation: FusedActivation.Relu, name: "last");
        b.Output(x);
        var rebuilt = Total("amlnn", b.Build());
        var baseline = model.Run(r, CostPlan.Baseline).TotalMs;
        saves.Should().BeApproximately(baseline - rebuilt, 1e-3 * baseline);
        saves.Should().BePositive("25 MACs per pixel-channel at 5×5 efficiency versus 18 at 3×3");
    }

    [Fact]
    public void Fuse_activation_removes_the_standalone_relu()
    {
        Graph Build(bool standalone)
        {
            var b = new GraphBuilder(1);
            var x = b.Input("input", 1, 56, 56, 32);
            x = b.Conv2D(x, 48, 3, 3, activation: standalone ? FusedActivation.None : FusedActivation.Relu, name: "conv");
            if (standalone) x = b.Unary(OpKind.Relu, x, "relu");
            x = b.Conv2D(x, 48, 3, 3, name: "last");
            b.Output(x);
            return b.Build();
        }
        foreach (var id in TargetIds)
        {
            var r = TargetOf(id).Analyze(Build(true));
            var model = CostModel.Load(id);
            var saves = WhatIf.Saves(model, r, FindingOn(Op(r, "relu"), FixKind.FuseActivation))!.Value;
            saves.Should().BeApproximately(model.Run(r, CostPlan.Baseline).TotalMs - Total(id, Build(false)), 1e-9, id);
            saves.Should().BePositive(id);
            // Reported on the convolution instead, the fix fuses its only reader.
            WhatIf.Saves(model, r, FindingOn(Op(r, "conv"), FixKind.FuseActivation)).Should().BeApproximately(saves, 1e-12, id);
        }
    }

    [Fact]
    public void Fold_padding_removes_the_pad_pass()
    {
        var b = new GraphBuilder(1);
        var x = b.Input("input", 1, 56, 56, 32);
        x = b.Pad(x, 1, 1, 1, 1, "pad");
        x = b.Conv2D(x, 48, 3, 3, padding: PaddingKind.Valid, activation: FusedActivation.Relu, name: "conv");
        b.Output(x);
        var g = b.Build();
        var r = TargetOf("artpec9").Analyze(g);
        var model = CostModel.Load("artpec9");
        var viaConv = WhatIf.Saves(model, r, FindingOn(Op(r, "conv"), FixKind.FoldPadding))!.Value;
        var viaPad = WhatIf.Saves(model, r, FindingOn(Op(r, "pad"), FixKind.FoldPadding))!.Value;
        viaConv.Should().Be(viaPad);
        var padOp = model.Run(r, CostPlan.Baseline).Ops.Single(o => o.Op.Op.Name == "pad");
        viaPad.Should().BeApproximately(padOp.Ms, 1e-12, "the pad's own pass is what folding removes");
        viaPad.Should().BePositive();
        // The VeriSilicon NN core pads up to 7 per side for free (AMLNN tips): nothing to save there.
        var vs = TargetOf("amlnn").Analyze(g);
        WhatIf.Saves(CostModel.Load("amlnn"), vs, FindingOn(Op(vs, "pad"), FixKind.FoldPadding))!.Value.Should().Be(0);
    }

    [Fact]
    public void Stride_via_pooling_is_never_negative_and_is_the_difference_of_two_estimates()
    {
        foreach (var filters in new[] { 8, 64 })
        {
            var r = TargetOf("amlnn").Analyze(Chain(60, 16, filters, kernel: 3, stride: 3));
            var model = CostModel.Load("amlnn");
            var f = FindingOn(Op(r, "under_test"), FixKind.StrideViaPooling);
            var saves = WhatIf.Saves(model, r, f)!.Value;
            saves.Should().BeGreaterThanOrEqualTo(0);
            var best = WhatIf.Best(model, r, f);
            var baseline = model.Run(r, CostPlan.Baseline).TotalMs;
            saves.Should().Be(best is { } b ? baseline - b.Estimate.TotalMs : 0);
            WhatIf.Variants(model, r, f).Should().HaveCount(1, "stride 3 is odd: only the stride-1 + 3×3 pool form exists");
        }
    }

    [Fact]
    public void Per_tensor_quantization_saves_on_ARTPEC_8_only_where_per_channel_costs()
    {
        var g = Chain(56, 32, 48, perChannel: true);
        var a8 = TargetOf("artpec8").Analyze(g);
        WhatIf.Saves(CostModel.Load("artpec8"), a8, FindingOn(Op(a8, "under_test"), FixKind.PerTensorQuantization))!.Value.Should().BePositive();
        var a7 = TargetOf("artpec7").Analyze(g);
        WhatIf.Saves(CostModel.Load("artpec7"), a7, FindingOn(Op(a7, "under_test"), FixKind.PerTensorQuantization)).Should().Be(0,
            "per-channel and per-tensor offer similar performance on ARTPEC-7");
    }

    [Fact]
    public void Move_to_npu_brings_a_cpu_op_back_and_saves_its_cpu_time_and_transitions()
    {
        foreach (var id in TargetIds)
        {
            var r = TargetOf(id).Analyze(Chain(56, 32, 48));
            var op = Op(r, "under_test");
            op.Placement = Placement.Cpu;
            var model = CostModel.Load(id);
            var f = FindingOn(op, FixKind.MoveToNpu, RuleKind.Unsupported);
            var before = model.Run(r, CostPlan.Baseline);
            before.Transitions.Should().Be(2, id);
            var saves = WhatIf.Saves(model, r, f)!.Value;
            op.Placement = Placement.Npu;
            saves.Should().BeApproximately(before.TotalMs - model.Run(r, CostPlan.Baseline).TotalMs, 1e-9, id);
            saves.Should().BePositive(id);
        }
    }

    [Fact]
    public void Partition_breaker_fix_brings_the_displaced_ops_back()
    {
        var r = TargetOf("artpec8").Analyze(Chain(28, 16, 32));
        var ops = r.Ops.ToList();
        var displaced = new Rule("TEST-PARTITION", RuleKind.Unsupported, "s", "h", "f", "t", FixKind.MoveToNpu);
        var own = new Rule("TEST-OWN", RuleKind.Unsupported, "s", "h", "f", "t", FixKind.MoveToNpu);
        ops[1].Placement = ops[2].Placement = Placement.Cpu;
        ops[1].Findings.Add(new Finding { Rule = own, Op = ops[1].Op, Message = "m", Fix = "f" });
        ops[2].Findings.Add(new Finding { Rule = displaced, Op = ops[2].Op, Message = "m", Fix = "f" });
        var breaker = new Finding { Rule = new Rule("TEST-BREAKER", RuleKind.Model, "s", "h", "f", "t", FixKind.MoveToNpu), Op = ops[1].Op, Message = "m", Fix = "f" };
        var model = CostModel.Load("artpec8");
        var saves = WhatIf.Saves(model, r, breaker)!.Value;
        var before = model.Run(r, CostPlan.Baseline).TotalMs;
        ops[1].Placement = ops[2].Placement = Placement.Npu;
        saves.Should().BeApproximately(before - model.Run(r, CostPlan.Baseline).TotalMs, 1e-9);
    }

    [Fact]
    public void Estimate_fills_ops_totals_and_savings()
    {
        var r = TargetOf("artpec9").Analyze(ReferenceGraphs.MobileNetV2());
        var none = new Finding { Rule = new Rule("TEST-NONE", RuleKind.Performance, "s", "h", "f", "t"), Op = r.Ops[0].Op, Message = "m", Fix = "f" };
        r.Ops[0].Findings.Add(none);
        var e = CostModel.Load("artpec9").Estimate(r);
        r.EstimateMs.Should().Be(e.TotalMs);
        e.TotalMs.Should().BeApproximately(e.NpuMs + e.CpuMs + e.TransitionMs, 1e-9);
        var perInference = CostModel.Load("artpec9").Parameters.InferenceOverheadUs / 1000;
        e.TotalMs.Should().BeApproximately(r.Ops.Sum(o => o.EstimateMs!.Value) + e.TransitionMs + perInference, 1e-9);
        e.LowMs.Should().BeLessThan(e.TotalMs);
        e.HighMs.Should().BeGreaterThan(e.TotalMs);
        r.Ops.Should().OnlyContain(o => o.Bound == "compute" || o.Bound == "memory" || o.Bound == "cpu");
        r.Ops.Where(o => !o.Placement.OnNpu()).Should().OnlyContain(o => o.Bound == "cpu");
        none.SavesMs.Should().BeNull("a rule without a fix kind has nothing to price");
        r.AllFindings.Where(f => f.Rule.FixKind != FixKind.None).Should().OnlyContain(f => f.SavesMs >= 0);
    }

    [Fact]
    public void Align_input_size_on_CV25_prices_the_padding()
    {
        var model = CostModel.Load("cv25");
        var r = TargetOf("cv25").Analyze(ReferenceGraphs.EfficientNetLite0(300));
        var f = new Finding { Rule = new Rule("TEST-INPUT", RuleKind.Performance, "s", "h", "f", "t", FixKind.AlignInputSize), Message = "m", Fix = "f" };
        r.ModelFindings.Add(f);
        model.Run(r, CostPlan.Baseline).InputAreaScale.Should().BeApproximately(320.0 * 320 / (300 * 300), 1e-12);
        var saves = WhatIf.Saves(model, r, f)!.Value;
        saves.Should().BePositive("300 rounds to 288, smaller than the padded 320");
    }

    [Theory]
    [InlineData("artpec7", "A7-FLOAT-MODEL")]
    [InlineData("artpec8", "A8-FLOAT-MODEL")]
    [InlineData("artpec9", "A9-FLOAT-MODEL")]
    [InlineData("amlnn", "AML-FLOAT-MODEL")]
    public void Quantize_model_prices_a_float_model_as_its_int8_twin(string id, string rule)
    {
        Graph Build(DataType type)
        {
            var b = new GraphBuilder(3) { ActivationType = type };
            var x = b.Input("input", 1, 56, 56, 16);
            x = b.Conv2D(x, 32, 3, 3, stride: 2, activation: FusedActivation.Relu6, name: "stem");
            x = b.DepthwiseConv2D(x, 3, 3, activation: FusedActivation.Relu6, name: "dw");
            x = b.Conv2D(x, 64, 1, 1, name: "project");
            b.Output(x);
            return b.Build();
        }
        var model = CostModel.Load(id);
        var r = TargetOf(id).Analyze(Build(DataType.Float32));
        var e = model.Estimate(r);
        var f = r.ModelFindings.Single(m => m.Rule.Id == rule);
        f.Rule.FixKind.Should().Be(FixKind.QuantizeModel);

        var twin = Total(id, Build(DataType.Int8));
        f.SavesMs!.Value.Should().BeApproximately(e.TotalMs - twin, 1e-9 * e.TotalMs, "quantizing is the int8 build of the same layers");
        f.SavesMs.Value.Should().BePositive();
        var best = WhatIf.Best(model, r, f)!.Value;
        best.Plan.Overrides.Values.Should().OnlyContain(o => o.Placement == Placement.Npu, "data type was every op's only obstacle");
    }

    [Fact]
    public void Fixing_one_partition_breaker_brings_back_only_what_the_edge_tpu_compiler_would_map()
    {
        // c1 → hs1 → c2 → hs2 → c3: both HARD_SWISH ops are CPU ops fed by the Edge TPU, each one a breaker.
        Graph Build(bool firstFixed)
        {
            var b = new GraphBuilder();
            var x = b.Conv2D(b.Input("x", 1, 64, 64, 32), 32, 3, 3, name: "c1");
            x = b.Unary(firstFixed ? OpKind.Relu : OpKind.HardSwish, x, "hs1");
            x = b.Conv2D(x, 32, 3, 3, name: "c2");
            x = b.Unary(OpKind.HardSwish, x, "hs2");
            b.Output(b.Conv2D(x, 32, 3, 3, name: "c3"));
            return NpuAdvisor.Tests.Targets.TinyTflite.BuildTflite(b);
        }
        var target = TargetOf("artpec7");
        var r = target.Analyze(Build(firstFixed: false));
        var breaker = r.ModelFindings.Single(f => f.Rule.Id == "A7-PARTITION-BREAKER" && f.Op!.Name == "hs1");
        var plan = WhatIf.Best(CostModel.Load("artpec7"), r, breaker)!.Value.Plan;

        var fixedGraph = target.Analyze(Build(firstFixed: true));
        string[] OnNpuAfterFix() => [.. r.Ops.Where(o => (plan.Overrides.TryGetValue(o, out var p) ? p.Placement : o.Placement).OnNpu()).Select(o => o.Op.Name)];
        OnNpuAfterFix().Should().Equal(fixedGraph.Ops.Where(o => o.Placement.OnNpu()).Select(o => o.Op.Name),
            "hs2 still breaks the graph, so c3 stays on the CPU");
        OnNpuAfterFix().Should().NotContain("c3");
    }
}
