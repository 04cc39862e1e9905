using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>
/// Per-layer roofline (the Vela model): an NPU op costs max(compute, memory) plus a fixed layer overhead;
/// compute is MACs over the effective rate scaled by the op's utilisation factors, memory is the DRAM
/// bytes it moves (feature maps where they live in DRAM, parameters that do not fit on-chip). CPU ops run
/// at the CPU rate; each NPU↔CPU transition costs a fixed time plus the crossing bytes at the copy rate.
/// </summary>
public sealed class CostModel
{
    public CostParameters Parameters { get; }

    public CostModel(CostParameters parameters) => Parameters = parameters;

    private static readonly Dictionary<string, CostModel> Cache = new(StringComparer.OrdinalIgnoreCase);

    public static CostModel Load(string targetId)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(targetId, out var m))
                Cache[targetId] = m = new CostModel(CostParameters.Load(targetId));
            return m;
        }
    }

    public static CostModel For(Target target) => Load(target.Id);

    /// <summary>
    /// Estimates the analysed model, writes <see cref="OpResult.EstimateMs"/>/<see cref="OpResult.Bound"/> and
    /// <see cref="TargetResult.EstimateMs"/>, and sets <see cref="Finding.SavesMs"/> on every finding whose
    /// rule names a fix the model can price.
    /// </summary>
    public Estimate Estimate(TargetResult result)
    {
        var pricing = new Pricing(this, result);
        var estimate = pricing.Run(CostPlan.Baseline);
        foreach (var op in estimate.Ops)
        {
            op.Op.EstimateMs = op.Ms;
            op.Op.Bound = op.Bound.Name();
        }
        result.EstimateMs = estimate.TotalMs;
        foreach (var r in result.Ops)
            foreach (var f in r.Findings)
                f.SavesMs = WhatIf.Saves(pricing, f, estimate);
        foreach (var f in result.ModelFindings)
            f.SavesMs = WhatIf.Saves(pricing, f, estimate);
        return estimate;
    }

    /// <summary>Estimates the model as the plan prices it; does not touch the result.</summary>
    public Estimate Run(TargetResult result, CostPlan plan) => new Pricing(this, result).Run(plan);

    /// <summary>Share of the effective MAC rate a work reaches on this target.</summary>
    public double Efficiency(OpWork w, int channelMultiple)
    {
        if (w.Macs == 0) return 1;
        var p = Parameters;
        double eff = 1;
        if (channelMultiple > 1 && w.OutChannels > 0)
        {
            // Output channels fill the cores' lanes in groups; a partial last group idles the rest.
            var groups = (w.OutChannels + channelMultiple - 1) / channelMultiple;
            eff *= (double)w.OutChannels / (groups * channelMultiple);
        }
        if (w.Class is WorkClass.Convolution or WorkClass.Depthwise && (w.KernelH > 1 || w.KernelW > 1))
        {
            var side = Math.Max(w.KernelH, w.KernelW);
            if (side != 3 && side != 1) eff *= p.OtherKernelEfficiency;
            if (w.KernelH != w.KernelW) eff *= p.NonSquareEfficiency;
        }
        if (w.Class == WorkClass.Depthwise) eff *= p.DepthwiseEfficiency;
        if (w.PerChannel) eff *= p.PerChannelEfficiency;
        return eff;
    }

    /// <summary>Area factor of padding every main input's H and W up to the target's multiple (1 when aligned or no rule).</summary>
    public static double InputPaddingScale(Graph graph, int multiple)
    {
        if (multiple <= 1 || graph.Subgraphs.Count == 0) return 1;
        double scale = 1;
        foreach (var t in graph.Main.Inputs)
        {
            if (FeatureMaps.Logical(graph, t) is not { H: > 0, W: > 0 } f) continue;
            scale = Math.Max(scale, (double)RoundUp(f.H, multiple) * RoundUp(f.W, multiple) / (f.H * f.W));
        }
        return scale;
    }

    internal static long RoundUp(long v, long m) => (v + m - 1) / m * m;
}
