using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

public sealed record TargetOptions
{
    /// <summary>AMLNN convolution cores (1, 2 or 4).</summary>
    public int Cores { get; init; } = TargetOptions.DefaultCores;
    public const int DefaultCores = 4;
}

/// <summary>Per-op check context: the op, its graph, and a sink for findings.</summary>
public sealed class OpContext(Graph graph, Operator op, OpResult result, TargetOptions options)
{
    public Graph Graph { get; } = graph;
    public Operator Op { get; } = op;
    public OpResult Result { get; } = result;
    public TargetOptions Options { get; } = options;

    public void Report(Rule rule, string message, string? fix = null) =>
        Result.Findings.Add(new Finding { Rule = rule, Op = Op, Message = message, Fix = fix ?? rule.Fix });
}

/// <summary>
/// One accelerator. A target lists its rules, checks each operator (the engine places an op on the CPU
/// when any unsupported-kind rule fires), may then revise placement for partitioning, and checks the
/// model as a whole.
/// </summary>
public abstract class Target
{
    /// <summary>CLI id: artpec7, artpec8, artpec9, cv25, amlnn.</summary>
    public abstract string Id { get; }
    /// <summary>Display name: ARTPEC-7…</summary>
    public abstract string Name { get; }
    public abstract string Description { get; }

    /// <summary>Every rule this target checks, in the order its vendor table lists them.</summary>
    public abstract IReadOnlyList<Rule> Rules { get; }

    protected abstract void CheckOperator(OpContext ctx);

    /// <summary>Revises placement after all ops are checked (e.g. the Edge TPU's single-subgraph rule).</summary>
    protected virtual void Partition(TargetResult result) { }

    /// <summary>Model-level findings; segments are known by then.</summary>
    protected virtual void CheckModel(TargetResult result) { }

    public TargetResult Analyze(Graph graph, TargetOptions? options = null) =>
        PlacementEngine.Run(this, graph, options ?? new TargetOptions(), CheckOperator, Partition, CheckModel);

    /// <summary>The analysis's placement redone without the <paramref name="resolved"/> findings (for what-if).</summary>
    internal TargetResult Replay(TargetResult result, Func<Finding, bool> resolved) =>
        PlacementEngine.Replay(result, resolved, Partition);

    public override string ToString() => Id;
}
