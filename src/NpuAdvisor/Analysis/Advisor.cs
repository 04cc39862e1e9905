using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Analysis;

/// <summary>One model checked on several targets; <see cref="Error"/> is set instead when the file could not be read.</summary>
public sealed class ModelAnalysis : IDisposable
{
    public required string Path { get; init; }
    public Graph? Graph { get; init; }
    public ModelFormatException? Error { get; init; }
    public IReadOnlyList<TargetResult> Results { get; init; } = [];

    public void Dispose() => Graph?.Dispose();
}

/// <summary>The main job: run every requested target over a graph.</summary>
public static class Advisor
{
    /// <summary>Places and checks every op on each target, then estimates latency and what each finding's fix saves.</summary>
    public static IReadOnlyList<TargetResult> Check(Graph graph, IEnumerable<Target> targets, TargetOptions? options = null, bool estimate = true)
    {
        options ??= new TargetOptions();
        return targets.Select(t =>
        {
            var r = t.Analyze(graph, options);
            if (estimate) r.Estimate = Cost.CostModel.For(t).Estimate(r);
            return r;
        }).ToList();
    }
}
