namespace NpuAdvisor.Analysis.Cost;

/// <summary>What limits an op's estimated time.</summary>
public enum CostBound { Compute, Memory, Cpu }

public static class CostBoundNames
{
    public static string Name(this CostBound b) => b switch
    {
        CostBound.Compute => "compute",
        CostBound.Memory => "memory",
        _ => "cpu",
    };
}

/// <summary>
/// One op's estimate. <see cref="Efficiency"/> is the share of the NPU's effective MAC rate the op
/// reaches (channel lanes × kernel shape × depthwise × quantization factors; 1 for non-MAC ops);
/// <see cref="DramBytes"/> the bytes its memory path moves, of which <see cref="StreamedParamBytes"/> are parameters
/// that did not fit on-chip.
/// </summary>
public sealed record OpEstimate(
    OpResult Op, double Ms, CostBound Bound, double ComputeMs, double MemoryMs, double OverheadMs,
    double Efficiency, long DramBytes, long StreamedParamBytes);

/// <summary>
/// A whole-model estimate: the total, a range reflecting the firmware spread of calibration.md, and where
/// the time goes (NPU ops, CPU ops, NPU↔CPU transitions).
/// </summary>
public sealed record Estimate(
    string TargetId,
    double TotalMs,
    double LowMs,
    double HighMs,
    double NpuMs,
    double CpuMs,
    double TransitionMs,
    int Transitions,
    long TransitionBytes,
    long DramBytes,
    long ParamBytes,
    long StreamedParamBytes,
    double InputAreaScale,
    IReadOnlyList<OpEstimate> Ops);
