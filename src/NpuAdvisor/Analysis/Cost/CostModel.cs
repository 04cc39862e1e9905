using System.Runtime.CompilerServices;
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
        var estimate = Run(result, CostPlan.Baseline);
        foreach (var op in estimate.Ops)
        {
            op.Op.EstimateMs = op.Ms;
            op.Op.Bound = op.Bound.Name();
        }
        result.EstimateMs = estimate.TotalMs;
        foreach (var f in result.AllFindings)
            f.SavesMs = WhatIf.Saves(this, result, f, estimate);
        return estimate;
    }

    /// <summary>Estimates the model as the plan prices it; does not touch the result.</summary>
    public Estimate Run(TargetResult result, CostPlan plan)
    {
        var p = Parameters;
        var layout = result.Graph.Layout;
        var cores = Math.Max(1, result.Options.Cores);
        var coreScale = p.ChannelMultiple == 0 ? (double)cores / p.ReferenceCores : 1.0;
        var channelMultiple = p.ChannelMultiple == 0 ? cores : p.ChannelMultiple;
        var areaScale = plan.InputAreaScale ?? InputPaddingScale(result.Graph, p.InputSizeMultiple);

        var macsPerMs = p.NpuGmacs * 1e6 * coreScale;
        var bytesPerMs = p.DramGBps * 1e6;
        var overheadMs = p.LayerOverheadUs / 1000;
        var cpuPerMs = p.CpuGmacs * 1e6;
        var cpuBytesPerMs = p.TransitionCopyGBps * 1e6;

        long cacheLeft = p.ParamCacheBytes;
        var ops = new List<OpEstimate>(result.Ops.Count);
        double npuMs = 0, cpuMs = 0;
        long dram = 0, paramTotal = 0, streamedTotal = 0;
        foreach (var r in result.Ops)
        {
            var opPlan = PlanOf(r, plan, layout);
            double ms = 0, computeMs = 0, memoryMs = 0, ovh = 0, effMin = 1;
            long opDram = 0, opStreamed = 0;
            var bound = opPlan.Placement.OnNpu() ? CostBound.Memory : CostBound.Cpu;
            double boundCompute = 0, boundMemory = 0;
            foreach (var w in opPlan.Works)
            {
                paramTotal += w.ParamBytes;
                if (!opPlan.Placement.OnNpu())
                {
                    // The CPU is bound by its arithmetic or by moving the op's bytes at its copy rate.
                    var cpuBytes = w.InBytes + w.OutBytes + w.ParamBytes;
                    var (tc, tm) = (w.CpuWork / cpuPerMs, cpuBytes / cpuBytesPerMs);
                    computeMs += tc;
                    memoryMs += tm;
                    ms += Math.Max(tc, tm);
                    opDram += cpuBytes;
                    continue;
                }
                if (w.Class == WorkClass.Layout) continue;
                long streamed;
                if (plan.NoParameterStreaming) streamed = 0;
                else
                {
                    var cached = Math.Min(cacheLeft, w.ParamBytes);
                    cacheLeft -= cached;
                    streamed = w.ParamBytes - cached;
                }
                var eff = Efficiency(w, channelMultiple);
                var rate = w.FloatCompute && p.FloatNpuGmacs > 0 ? p.FloatNpuGmacs * 1e6 : macsPerMs;
                var c = w.Macs > 0 ? w.Macs * areaScale / (rate * eff) : 0;
                var fmBytes = p.FeatureMapsInDram ? (long)((w.InBytes + w.OutBytes) * areaScale) : 0;
                var bytes = fmBytes + streamed;
                var m = bytes / bytesPerMs;
                var o = overheadMs;
                if (p.StrideReshuffle && (w.StrideH > 2 || w.StrideW > 2) && w.Class is WorkClass.Convolution or WorkClass.Depthwise)
                {
                    // The NN core only strides by 1 or 2: the tensor processor reshuffles the input first, one more layer.
                    var reshuffle = p.FeatureMapsInDram ? (long)(2 * w.InBytes * areaScale) : 0;
                    bytes += reshuffle;
                    m += reshuffle / bytesPerMs;
                    o += overheadMs;
                }
                ms += Math.Max(c, m) + o;
                computeMs += c;
                memoryMs += m;
                boundCompute += c;
                boundMemory += m;
                ovh += o;
                opDram += bytes;
                opStreamed += streamed;
                if (w.Macs > 0) effMin = Math.Min(effMin, eff);
            }
            if (opPlan.Placement.OnNpu())
            {
                bound = boundCompute >= boundMemory && boundCompute > 0 ? CostBound.Compute : CostBound.Memory;
                npuMs += ms;
            }
            else cpuMs += ms;
            dram += opDram;
            streamedTotal += opStreamed;
            ops.Add(new OpEstimate(r, ms, bound, computeMs, memoryMs, ovh, effMin, opDram, opStreamed));
        }

        var (transitions, crossingBytes) = Transitions(result, plan);
        var transitionMs = transitions * p.TransitionFixedUs / 1000 + crossingBytes / (p.TransitionCopyGBps * 1e6);
        var total = npuMs + cpuMs + transitionMs;
        return new Estimate(p.TargetId, total, total * (1 - p.FirmwareSpread), total * (1 + p.FirmwareSpread),
            npuMs, cpuMs, transitionMs, transitions, crossingBytes, dram, paramTotal, streamedTotal, areaScale, ops);
    }

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

    internal static OpPlan PlanOf(OpResult r, CostPlan plan, TensorLayout layout) =>
        plan.Overrides.TryGetValue(r, out var o) ? o : new OpPlan(r.Placement, [BaseWork(r, layout)]);

    // What-if re-runs the estimate many times over one analysis; an op's own work and the execution order do not change.
    private static readonly ConditionalWeakTable<OpResult, OpWork> Works = [];
    private static readonly ConditionalWeakTable<Subgraph, IReadOnlyList<Operator>> Orders = [];

    private static OpWork BaseWork(OpResult r, TensorLayout layout) => Works.GetValue(r, x => OpWork.Of(x, layout));

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

    /// <summary>Side switches along the main subgraph's execution order and the bytes of tensors that cross sides.</summary>
    private static (int Count, long Bytes) Transitions(TargetResult result, CostPlan plan)
    {
        bool OnNpu(Operator op) => plan.Overrides.TryGetValue(result[op], out var o) ? o.Placement.OnNpu() : result[op].Placement.OnNpu();
        var order = Orders.GetValue(result.Graph.Main, sg => sg.TopologicalOrder());
        int switches = 0;
        bool? side = null;
        long bytes = 0;
        var crossed = new HashSet<(Tensor, bool)>();
        foreach (var op in order)
        {
            var s = OnNpu(op);
            if (side is { } prev && prev != s) switches++;
            side = s;
            foreach (var t in op.Inputs)
                if (t is { IsConstant: false, Producer: { } producer } && producer.SubgraphIndex == op.SubgraphIndex
                    && OnNpu(producer) != s && crossed.Add((t, s)))
                    bytes += t.ByteSize ?? 0;
        }
        return (switches, bytes);
    }
}
