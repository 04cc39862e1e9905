using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Model;
using Xunit;
using static NpuAdvisor.Tests.Cost.CostTestGraphs;

namespace NpuAdvisor.Tests.Cost;

public sealed class CostModelTests
{
    [Fact]
    public void Wide_thin_layers_are_memory_bound_and_deep_small_ones_compute_bound()
    {
        var b = new GraphBuilder(1);
        // 448×448×8 = 1.6 MB: larger than the 1 MiB on-chip buffer, so the thin layer streams through DRAM.
        var x = b.Input("input", 1, 448, 448, 8);
        var thin = b.Conv2D(x, 8, 1, 1, name: "thin");
        var pooled = b.Pool(OpKind.MaxPool2D, thin, 16, 16);
        b.Conv2D(pooled, 512, 3, 3, name: "deep");
        var r = TargetOf("artpec8").Analyze(b.Build());
        var e = CostModel.Load("artpec8").Estimate(r);
        Op(r, "thin").Bound.Should().Be("memory");
        Op(r, "deep").Bound.Should().Be("compute");
        e.Ops.Single(o => o.Op.Op.Name == "thin").MemoryMs.Should().BeGreaterThan(e.Ops.Single(o => o.Op.Op.Name == "thin").ComputeMs);
    }

    [Fact]
    public void A_tensor_that_fits_on_chip_never_touches_DRAM()
    {
        var model = CostModel.Load("artpec8");
        double DramOf(int size)
        {
            var b = new GraphBuilder(1);
            b.Output(b.Conv2D(b.Input("input", 1, size, size, 16), 16, 1, 1, name: "c"));
            var e = model.Run(TargetOf("artpec8").Analyze(b.Build()), CostPlan.Baseline);
            return e.Ops.Single().DramBytes - e.ParamBytes;
        }
        DramOf(128).Should().Be(0, "128×128×16 = 256 KiB fits the on-chip buffer");
        DramOf(512).Should().Be(2L * 512 * 512 * 16, "4 MiB in and out stream through DRAM");
    }

    [Fact]
    public void Small_innermost_dimensions_pay_for_whole_lane_groups()
    {
        var model = CostModel.Load("artpec8");
        double Logistic(long c)
        {
            var b = new GraphBuilder(1);
            b.Output(b.Unary(OpKind.Logistic, b.Input("input", 1, 3200, 1, c)));
            return model.Run(TargetOf("artpec8").Analyze(b.Build()), CostPlan.Baseline).Ops.Single().ComputeMs;
        }
        Logistic(2).Should().BeApproximately(Logistic(16), 1e-12, "2 values still occupy a 16-lane group");
        Logistic(32).Should().BeApproximately(2 * Logistic(16), 1e-12);
    }

    [Fact]
    public void Utilisation_reports_the_lane_and_depthwise_factors()
    {
        var model = CostModel.Load("artpec9");
        var dw = new OpWork { Class = WorkClass.Depthwise, Macs = 1000, OutChannels = 24, KernelH = 3, KernelW = 3 };
        model.Efficiency(dw, 16).Should().BeApproximately(24.0 / 32 * model.Parameters.DepthwiseEfficiency, 1e-12);
        var conv = dw with { Class = WorkClass.Convolution, OutChannels = 32 };
        model.Efficiency(conv, 16).Should().Be(1);
        var a8 = CostModel.Load("artpec8");
        a8.Efficiency(conv with { KernelH = 1, KernelW = 5, OutChannels = 30, PerChannel = true }, 6)
            .Should().BeApproximately(a8.Parameters.OtherKernelEfficiency * a8.Parameters.NonSquareEfficiency * a8.Parameters.PerChannelEfficiency, 1e-12);
    }

    [Fact]
    public void Edge_TPU_streams_only_the_parameters_beyond_its_cache()
    {
        // 5 convolutions of 512×3×3×512 int8 weights (2.36 MB each): 11.8 MB against a 6.91 MiB cache, the 5th wholly beyond it.
        var b = new GraphBuilder(1);
        var x = b.Input("input", 1, 8, 8, 512);
        for (var i = 0; i < 5; i++) x = b.Conv2D(x, 512, 3, 3, activation: FusedActivation.Relu);
        b.Output(x);
        var r = TargetOf("artpec7").Analyze(b.Build());
        var model = CostModel.Load("artpec7");
        var e = model.Run(r, CostPlan.Baseline);
        e.StreamedParamBytes.Should().Be(e.ParamBytes - model.Parameters.ParamCacheBytes);
        e.Ops.First().StreamedParamBytes.Should().Be(0, "the first layers' parameters are cached");
        e.Ops.Last().StreamedParamBytes.Should().Be(e.Ops.Last().Op.Op.ParameterBytes());
        var fit = model.Run(r, new CostPlan { NoParameterStreaming = true });
        fit.TotalMs.Should().BeLessThan(e.TotalMs);
        fit.StreamedParamBytes.Should().Be(0);
    }

    [Fact]
    public void AMLNN_rate_scales_with_the_core_count_and_alignment_follows_it()
    {
        var g = Chain(28, 32, 64);
        var four = CostModel.Load("amlnn").Run(TargetOf("amlnn").Analyze(g), CostPlan.Baseline).TotalMs;
        var one = CostModel.Load("amlnn").Run(TargetOf("amlnn").Analyze(g, new NpuAdvisor.Targets.TargetOptions { Cores = 1 }), CostPlan.Baseline).TotalMs;
        one.Should().BeGreaterThan(four);
    }

    [Fact]
    public void Transitions_count_side_switches_and_crossing_bytes()
    {
        var r = TargetOf("artpec8").Analyze(Chain(28, 16, 32));
        var mid = Op(r, "under_test");
        mid.Placement = Placement.Cpu;
        var e = CostModel.Load("artpec8").Run(r, CostPlan.Baseline);
        e.Transitions.Should().Be(2);
        e.TransitionBytes.Should().Be(mid.Op.Input(0)!.ByteSize!.Value + mid.Op.Output(0)!.ByteSize!.Value);
        var p = CostModel.Load("artpec8").Parameters;
        e.TransitionMs.Should().BeApproximately(2 * p.TransitionFixedUs / 1000 + e.TransitionBytes / (p.TransitionCopyGBps * 1e6), 1e-12);
        e.Ops.Single(o => o.Op == mid).Bound.Should().Be(CostBound.Cpu);
    }
}
