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
    public static IReadOnlyList<TargetResult> Check(Graph graph, IEnumerable<Target> targets, TargetOptions? options = null)
    {
        options ??= new TargetOptions();
        return targets.Select(t => t.Analyze(graph, options)).ToList();
    }
}
