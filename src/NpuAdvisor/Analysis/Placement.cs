using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis;

public enum Placement
{
    Npu,
    Cpu,
    /// <summary>ARTPEC-9's Arm NN CpuAcc backend: CPU, but with NEON kernels.</summary>
    CpuAccelerated,
}

public static class PlacementNames
{
    public static string Name(this Placement p) => p switch
    {
        Placement.Npu => "npu",
        Placement.Cpu => "cpu",
        _ => "cpu-accelerated",
    };

    public static bool OnNpu(this Placement p) => p == Placement.Npu;
}

/// <summary>Where one operator runs on a target and every finding on it.</summary>
public sealed class OpResult
{
    public required Operator Op { get; init; }
    public Placement Placement { get; set; } = Placement.Npu;
    public List<Finding> Findings { get; } = [];
    public long Macs { get; init; }

    /// <summary>Index of this entry in <see cref="TargetResult.Ops"/>.</summary>
    public int Position { get; init; }

    /// <summary>How many of <see cref="Findings"/> the op's own check made (the rest come from partitioning and model checks).</summary>
    internal int OperatorFindings { get; set; }

    /// <summary>Estimated time on the target (ms) and what bounds it; set by the cost model.</summary>
    public double? EstimateMs { get; set; }
    public string? Bound { get; set; }

    /// <summary>The first unsupported finding: why the op is not on the NPU.</summary>
    public Finding? CpuReason => Findings.FirstOrDefault(f => f.Kind == RuleKind.Unsupported);
}

/// <summary>A maximal run of main-subgraph ops, in execution order, on the same side of the NPU/CPU boundary.</summary>
public sealed record Segment(int Index, bool OnNpu, IReadOnlyList<Operator> Ops, long BytesIn, long BytesOut);
