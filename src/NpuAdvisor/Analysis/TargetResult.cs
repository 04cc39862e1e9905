using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Analysis;

/// <summary>Counts of one result; <see cref="FindingsByKind"/> leaves suppressed findings out, <see cref="Suppressed"/> counts them.</summary>
public sealed record TargetSummary(
    int Ops, int NpuOps, int CpuOps, int Segments, int? FirstCpuOp, double NpuMacFraction, long TotalMacs,
    IReadOnlyDictionary<RuleKind, int> FindingsByKind, int Suppressed = 0);

/// <summary>Everything one target says about one model.</summary>
public sealed class TargetResult
{
    public required Target Target { get; init; }
    public required Graph Graph { get; init; }
    public required TargetOptions Options { get; init; }

    /// <summary>One entry per operator of every subgraph, subgraph by subgraph, in stored order.</summary>
    public required IReadOnlyList<OpResult> Ops { get; init; }
    public List<Finding> ModelFindings { get; } = [];
    public IReadOnlyList<Segment> Segments { get; set; } = [];

    /// <summary>Main-subgraph ops computed from constants only: folded when the model is prepared, outside the partition and free per inference.</summary>
    public IReadOnlySet<Operator> PrepareTimeOps { get; set; } = new HashSet<Operator>();

    /// <summary>Estimated total latency (ms), set by the cost model.</summary>
    public double? EstimateMs { get; set; }

    /// <summary>The cost model's full estimate (range, NPU/CPU/transition split, per-op figures) when one was run.</summary>
    public Cost.Estimate? Estimate { get; set; }

    public OpResult this[Operator op] => (_byOp ??= Ops.ToDictionary(r => r.Op))[op];
    private Dictionary<Operator, OpResult>? _byOp;

    public IEnumerable<Finding> AllFindings => Ops.SelectMany(o => o.Findings).Concat(ModelFindings);

    /// <summary>Baseline findings of this target no finding of the run matches (fixed since); null when no baseline was compared.</summary>
    public IReadOnlyList<Baselines.BaselineEntry>? Absent { get; set; }

    public TargetSummary Summary
    {
        get
        {
            var all = Ops;
            var npu = all.Count(o => o.Placement.OnNpu());
            var totalMacs = all.Sum(o => o.Macs);
            var npuMacs = all.Where(o => o.Placement.OnNpu()).Sum(o => o.Macs);
            var firstCpu = Graph.Main.TopologicalOrder().Select(op => this[op]).FirstOrDefault(o => !o.Placement.OnNpu());
            var byKind = Enum.GetValues<RuleKind>().ToDictionary(k => k, k => AllFindings.Count(f => f.Kind == k && f.Suppression is null));
            return new TargetSummary(all.Count, npu, all.Count - npu, Segments.Count, firstCpu?.Op.Index,
                totalMacs == 0 ? (npu == all.Count && all.Count > 0 ? 1.0 : 0.0) : (double)npuMacs / totalMacs, totalMacs, byKind,
                AllFindings.Count(f => f.Suppression is not null));
        }
    }
}
