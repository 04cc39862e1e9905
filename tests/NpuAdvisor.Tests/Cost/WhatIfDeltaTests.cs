using FluentAssertions;
using NpuAdvisor.Analysis.Cost;
using NpuAdvisor.Formats;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.Cost;

/// <summary>The incremental what-if path must give exactly what full re-estimates give.</summary>
public class WhatIfDeltaTests
{
    public static IEnumerable<object[]> Models() =>
        SharedModels.Paths("tflite").Concat(SharedModels.Paths("onnx")).Append(["sample"]);

    [Theory]
    [MemberData(nameof(Models))]
    public void Every_finding_saving_equals_the_difference_of_two_full_estimates(string relative)
    {
        using var g = relative == "sample"
            ? ModelLoader.Load(Path.Combine(SharedModels.RepoRoot, "samples", "sample_int8.tflite"))
            : ModelLoader.Load(SharedModels.PathOf(relative));
        foreach (var target in TargetRegistry.All)
        {
            var result = target.Analyze(g);
            var model = CostModel.For(target);
            var baseline = model.Run(result, CostPlan.Baseline);
            foreach (var f in result.AllFindings.Where(f => f.Rule.FixKind != NpuAdvisor.Analysis.FixKind.None))
            {
                var plans = WhatIf.Variants(model, result, f).ToList();
                var expected = plans.Count == 0 ? 0 : Math.Max(0, baseline.TotalMs - plans.Min(p => model.Run(result, p).TotalMs));
                WhatIf.Saves(model, result, f, baseline)!.Value.Should().BeApproximately(expected, 1e-9 * Math.Max(1, baseline.TotalMs),
                    $"{target.Id} {f}");
            }
        }
    }

    [Fact]
    public void Five_targets_with_estimates_on_a_700_op_model_stay_fast()
    {
        var g = SyntheticModels.InvertedResiduals(700);
        NpuAdvisor.Analysis.Advisor.Check(g, TargetRegistry.All); // warm-up (JIT, weight scans)
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var results = NpuAdvisor.Analysis.Advisor.Check(g, TargetRegistry.All);
        sw.Stop();
        results.Should().OnlyContain(r => r.EstimateMs > 0);
        // Generous bound for a loaded 2-core CI machine; BenchmarkDotNet figures are in the notes.
        sw.Elapsed.TotalMilliseconds.Should().BeLessThan(1000);
    }
}
