using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Formats.Tflite;
using Xunit;
using Xunit.Abstractions;
using static NpuAdvisor.Tests.Cost.CostTestGraphs;

namespace NpuAdvisor.Tests.Cost;

/// <summary>Estimates of every shared TFLite model on every target, with the targets' real findings priced.</summary>
public sealed class SharedModelEstimateTests(ITestOutputHelper output)
{
    public static IEnumerable<object[]> Models => SharedModels.Paths("tflite");

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_target_estimates_and_prices_its_own_findings(string path)
    {
        using var g = TfliteImporter.Load(SharedModels.PathOf(path));
        foreach (var id in TargetIds)
        {
            var r = TargetOf(id).Analyze(g);
            var model = CostModel.Load(id);
            var e = model.Estimate(r);
            output.WriteLine(FormattableString.Invariant(
                $"{path} {id}: {e.TotalMs:F2} ms [{e.LowMs:F2}–{e.HighMs:F2}] npu {e.NpuMs:F2} cpu {e.CpuMs:F2} transitions {e.Transitions} ({e.TransitionMs:F2} ms) streamed {e.StreamedParamBytes}"));
            double.IsFinite(e.TotalMs).Should().BeTrue();
            e.TotalMs.Should().BePositive($"{path} on {id}");
            r.Ops.Should().OnlyContain(o => o.EstimateMs >= 0 && o.Bound != null);
            foreach (var f in r.AllFindings.Where(f => f.Rule.FixKind != FixKind.None))
            {
                f.SavesMs.Should().NotBeNull(f.ToString());
                f.SavesMs!.Value.Should().BeGreaterThanOrEqualTo(0, f.ToString());
                var best = WhatIf.Best(model, r, f);
                f.SavesMs.Value.Should().BeApproximately(best is { } b ? e.TotalMs - b.Estimate.TotalMs : 0, 1e-9, f.ToString());
                if (f.SavesMs > 0.005) output.WriteLine(FormattableString.Invariant($"    saves {f.SavesMs:F3} ms  {f}"));
            }
        }
    }

    public static IEnumerable<object[]> AllModels => SharedModels.Paths("tflite").Concat(SharedModels.Paths("onnx"));

    [Theory]
    [MemberData(nameof(AllModels))]
    public void Transitions_are_the_switches_between_the_reported_segments(string path)
    {
        using var g = NpuAdvisor.Formats.ModelLoader.Load(SharedModels.PathOf(path));
        var prepared = Segments.PrepareTimeOps(g.Main.Operators);
        foreach (var id in TargetIds)
        {
            var r = TargetOf(id).Analyze(g);
            var e = CostModel.Load(id).Run(r, CostPlan.Baseline);
            e.Transitions.Should().Be(Math.Max(0, r.Segments.Count - 1), $"{path} on {id}: the runtime switches sides between segments");
            var crossing = r.Segments.Sum(s => s.BytesIn);
            e.TransitionBytes.Should().Be(crossing, $"{path} on {id}: each tensor read on the other side is copied once");
            e.Ops.Where(o => prepared.Contains(o.Op.Op) && o.Ms != 0).Should().BeEmpty("prepare-time ops do not run per inference");
        }
    }
}
