using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;
using static NpuAdvisor.Tests.Cost.CostTestGraphs;

namespace NpuAdvisor.Tests.Cost;

/// <summary>Monotonicity properties of the cost model, swept over sizes, channels and every target.</summary>
public sealed class CostPropertyTests
{
    /// <summary>What-if prices changed ops incrementally; sums taken in another order differ by float rounding only.</summary>
    private const double RoundingMs = 1e-9;

    public static IEnumerable<object[]> Targets => TargetIds.Select(t => new object[] { t });

    private static double Total(string id, Graph g) => CostModel.Load(id).Run(TargetOf(id).Analyze(g), CostPlan.Baseline).TotalMs;

    [Theory]
    [MemberData(nameof(Targets))]
    public void More_MACs_never_estimate_faster(string id)
    {
        // Same op, same output channels: more MACs through more input channels, a larger map or a larger kernel.
        foreach (var size in new[] { 7, 14, 28 })
        {
            double? previous = null;
            for (var inC = 8; inC <= 72; inC += 8)
            {
                var t = Total(id, Chain(size, inC, 48, seed: inC));
                if (previous is { } p) t.Should().BeGreaterThanOrEqualTo(p, $"{id} size {size} in {inC}");
                previous = t;
            }
        }
        foreach (var filters in new[] { 16, 48, 96 })
        {
            var bySize = new[] { 8, 16, 32, 64 }.Select(s => Total(id, Chain(s, 16, filters))).ToList();
            bySize.Should().BeInAscendingOrder($"{id} filters {filters}");
            var byKernel = new[] { 1, 3, 5, 7 }.Select(k => Total(id, Chain(16, 16, filters, kernel: k))).ToList();
            byKernel.Should().BeInAscendingOrder($"{id} filters {filters}");
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Aligned_channels_are_never_slower_than_the_next_misaligned_counts(string id)
    {
        var p = CostModel.Load(id).Parameters;
        var multiple = p.ChannelMultiple == 0 ? TargetOptions.DefaultCores : p.ChannelMultiple;
        foreach (var size in new[] { 14, 56 })
            for (var aligned = multiple; aligned <= 8 * Math.Max(multiple, 6); aligned += multiple)
            {
                var a = Total(id, Chain(size, 24, aligned));
                for (var more = aligned + 1; more < aligned + Math.Max(2, multiple); more++)
                    Total(id, Chain(size, 24, more)).Should().BeGreaterThanOrEqualTo(a, $"{id}: {more} filters vs {aligned}");
            }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Moving_an_op_from_NPU_to_CPU_never_makes_the_model_faster(string id)
    {
        var model = CostModel.Load(id);
        foreach (var g in new[] { ReferenceGraphs.MobileNetV2(96), Chain(28, 16, 40), ReferenceGraphs.EfficientNetLite0(64) })
        {
            var r = TargetOf(id).Analyze(g);
            var all = AllOnNpu(r);
            var baseline = model.Run(r, all).TotalMs;
            foreach (var op in r.Ops)
            {
                var overrides = new Dictionary<OpResult, OpPlan>(all.Overrides) { [op] = all.Overrides[op] with { Placement = Placement.Cpu } };
                model.Run(r, all with { Overrides = overrides }).TotalMs.Should().BeGreaterThan(baseline, $"{id}: {op.Op} on the CPU");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Savings_are_never_negative_and_are_the_difference_of_two_full_estimates(string id)
    {
        var model = CostModel.Load(id);
        var kinds = Enum.GetValues<FixKind>().Where(k => k != FixKind.None).ToList();
        var graphs = new[]
        {
            Chain(30, 20, 100, kernel: 5, stride: 3, perChannel: true),
            Chain(28, 16, 50, kernel: 7, stride: 2),
            ReferenceGraphs.MobileNetV2(96, tf2: true),
        };
        var checkedFindings = 0;
        foreach (var g in graphs)
        {
            var r = TargetOf(id).Analyze(g);
            var baseline = model.Run(r, CostPlan.Baseline).TotalMs;
            foreach (var op in r.Ops.Where((_, i) => i % 3 == 0))
                foreach (var kind in kinds)
                {
                    var f = FindingOn(op, kind);
                    var saves = WhatIf.Saves(model, r, f);
                    op.Findings.Remove(f);
                    saves.Should().NotBeNull();
                    saves!.Value.Should().BeGreaterThanOrEqualTo(0, $"{id} {kind} on {op.Op}");
                    var best = WhatIf.Best(model, r, f);
                    saves.Value.Should().BeApproximately(best is { } b ? baseline - b.Estimate.TotalMs : 0, RoundingMs, $"{id} {kind} on {op.Op}");
                    checkedFindings++;
                }
            // The real target's own findings too.
            foreach (var f in r.AllFindings.Where(f => f.Rule.FixKind != FixKind.None))
            {
                var saves = WhatIf.Saves(model, r, f)!.Value;
                saves.Should().BeGreaterThanOrEqualTo(0, f.ToString());
                saves.Should().BeApproximately(WhatIf.Best(model, r, f) is { } b ? baseline - b.Estimate.TotalMs : 0, RoundingMs, f.ToString());
            }
        }
        checkedFindings.Should().BeGreaterThan(50);
    }
}
