using BenchmarkDotNet.Attributes;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Benchmarks;

/// <summary>All five targets over a 700-op graph: the brief asks for milliseconds.</summary>
[MemoryDiagnoser]
public class CheckBenchmarks
{
    private Graph _graph = null!;

    [GlobalSetup]
    public void Setup() => _graph = SyntheticModels.InvertedResiduals(700);

    [Benchmark]
    public int CheckAllTargets700Ops() => Advisor.Check(_graph, TargetRegistry.All).Sum(r => r.Summary.NpuOps);
}
