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
        var rates = Rates.Of(p, result, plan);
        long cacheLeft = p.ParamCacheBytes;
        var ops = new List<OpEstimate>(result.Ops.Count);
        double npuMs = 0, cpuMs = 0;
        long dram = 0, paramTotal = 0, streamedTotal = 0;
        foreach (var r in result.Ops)
        {
            var opPlan = PlanOf(r, plan, result.Graph.Layout);
            foreach (var w in opPlan.Works) paramTotal += w.ParamBytes;
            var e = Price(r, opPlan, rates, plan.NoParameterStreaming, ref cacheLeft);
            if (opPlan.Placement.OnNpu()) npuMs += e.Ms; else cpuMs += e.Ms;
            dram += e.DramBytes;
            streamedTotal += e.StreamedParamBytes;
            ops.Add(e);
        }

        var (transitions, crossingBytes) = Transitions(result, plan);
        var transitionMs = transitions * p.TransitionFixedUs / 1000 + crossingBytes / (p.TransitionCopyGBps * 1e6);
        var total = npuMs + cpuMs + transitionMs;
        return new Estimate(p.TargetId, total, total * (1 - p.FirmwareSpread), total * (1 + p.FirmwareSpread),
            npuMs, cpuMs, transitionMs, transitions, crossingBytes, dram, paramTotal, streamedTotal, rates.AreaScale, ops);
    }

    /// <summary>
    /// The plan's total when it can be had without re-pricing the whole model: the input area is the model's
    /// and parameter streaming cannot move (no cache to fill, or everything fits before and after). Then only
    /// the overridden ops' costs change, and when a fix moves ops between NPU and CPU, only the transitions next
    /// to them. The result equals <see cref="Run"/>'s total up to float rounding; null when the conditions fail.
    /// </summary>
    internal double? TotalByDelta(TargetResult result, CostPlan plan, Estimate baseline)
    {
        var p = Parameters;
        if (plan.InputAreaScale is not null || plan.NoParameterStreaming) return null;
        long paramDelta = 0;
        var moved = new List<OpResult>();
        foreach (var (r, o) in plan.Overrides)
        {
            if (o.Placement.OnNpu() != r.Placement.OnNpu()) moved.Add(r);
            paramDelta += o.Works.Sum(w => w.ParamBytes) - BaseWork(r, result.Graph.Layout).ParamBytes;
        }
        var cacheFree = p.ParamCacheBytes == 0;
        if (!cacheFree && (baseline.StreamedParamBytes > 0 || baseline.ParamBytes + paramDelta > p.ParamCacheBytes)) return null;

        var rates = Rates.Of(p, result, plan);
        var total = baseline.TotalMs;
        var index = BaselineIndex(baseline);
        foreach (var (r, o) in plan.Overrides)
        {
            long cacheLeft = cacheFree ? 0 : long.MaxValue;
            total += Price(r, o, rates, false, ref cacheLeft).Ms - index[r].Ms;
        }
        if (moved.Count > 0)
        {
            var (switches, bytes) = TransitionDelta(result, plan, moved, baseline);
            var transitionMs = switches * p.TransitionFixedUs / 1000 + bytes / (p.TransitionCopyGBps * 1e6);
            total += transitionMs - baseline.TransitionMs;
        }
        return total;
    }

    /// <summary>Transitions after moving <paramref name="moved"/>: the baseline's, corrected at the moved ops' neighbours and tensors.</summary>
    private static (int Switches, long Bytes) TransitionDelta(TargetResult result, CostPlan plan, List<OpResult> moved, Estimate baseline)
    {
        var order = Orders.GetValue(result.Graph.Main, sg => sg.TopologicalOrder());
        var position = Positions.GetValue(result.Graph.Main, _ =>
        {
            var map = new Dictionary<Operator, int>(order.Count);
            for (var i = 0; i < order.Count; i++) map[order[i]] = i;
            return map;
        });
        bool Old(Operator op) => result[op].Placement.OnNpu();
        bool New(Operator op) => plan.Overrides.TryGetValue(result[op], out var o) ? o.Placement.OnNpu() : Old(op);

        var switches = baseline.Transitions;
        var pairs = new HashSet<int>(); // pair i = (order[i-1], order[i])
        var tensors = new HashSet<Tensor>();
        foreach (var r in moved)
        {
            if (!position.TryGetValue(r.Op, out var i)) continue;
            if (i > 0) pairs.Add(i);
            if (i + 1 < order.Count) pairs.Add(i + 1);
            foreach (var t in r.Op.Inputs) if (t is not null) tensors.Add(t);
            foreach (var t in r.Op.Outputs) tensors.Add(t);
        }
        foreach (var i in pairs)
            switches += (New(order[i - 1]) != New(order[i]) ? 1 : 0) - (Old(order[i - 1]) != Old(order[i]) ? 1 : 0);

        var bytes = baseline.TransitionBytes;
        foreach (var t in tensors)
            bytes += ((Crosses(t, New) ? 1 : 0) - (Crosses(t, Old) ? 1 : 0)) * (t.ByteSize ?? 0);
        return (switches, bytes);

        // As Transitions counts it: a run-time tensor of the main subgraph read on the other side of its producer.
        bool Crosses(Tensor t, Func<Operator, bool> onNpu) =>
            !t.IsConstant && t.Producer is { } producer && position.ContainsKey(producer)
            && t.Consumers.Any(c => c.SubgraphIndex == producer.SubgraphIndex && position.ContainsKey(c) && onNpu(c) != onNpu(producer));
    }

    private static readonly ConditionalWeakTable<Subgraph, Dictionary<Operator, int>> Positions = [];

    private static readonly ConditionalWeakTable<Estimate, Dictionary<OpResult, OpEstimate>> Indexes = [];

    private static Dictionary<OpResult, OpEstimate> BaselineIndex(Estimate e) => Indexes.GetValue(e, x => x.Ops.ToDictionary(o => o.Op));

    /// <summary>Per-estimate constants: rates after core scaling, the channel multiple, the input-area factor.</summary>
    private sealed record Rates(double MacsPerMs, double BytesPerMs, double OverheadMs, double CpuPerMs, double CpuBytesPerMs,
        int ChannelMultiple, double AreaScale, CostParameters P)
    {
        public static Rates Of(CostParameters p, TargetResult result, CostPlan plan)
        {
            var cores = Math.Max(1, result.Options.Cores);
            var coreScale = p.ChannelMultiple == 0 ? (double)cores / p.ReferenceCores : 1.0;
            return new Rates(p.NpuGmacs * 1e6 * coreScale, p.DramGBps * 1e6, p.LayerOverheadUs / 1000, p.CpuGmacs * 1e6,
                p.TransitionCopyGBps * 1e6, p.ChannelMultiple == 0 ? cores : p.ChannelMultiple,
                plan.InputAreaScale ?? InputPaddingScale(result.Graph, p.InputSizeMultiple), p);
        }
    }

    /// <summary>One op's cost as its plan prices it; NPU parameters fill <paramref name="cacheLeft"/> in execution order.</summary>
    private OpEstimate Price(OpResult r, OpPlan opPlan, Rates k, bool noStreaming, ref long cacheLeft)
    {
        var p = k.P;
        double ms = 0, computeMs = 0, memoryMs = 0, ovh = 0, effMin = 1;
        long opDram = 0, opStreamed = 0;
        var bound = opPlan.Placement.OnNpu() ? CostBound.Memory : CostBound.Cpu;
        double boundCompute = 0, boundMemory = 0;
        foreach (var w in opPlan.Works)
        {
            if (!opPlan.Placement.OnNpu())
            {
                // The CPU is bound by its arithmetic or by moving the op's bytes at its copy rate.
                var cpuBytes = w.InBytes + w.OutBytes + w.ParamBytes;
                var (tc, tm) = (w.CpuWork / k.CpuPerMs, cpuBytes / k.CpuBytesPerMs);
                computeMs += tc;
                memoryMs += tm;
                ms += Math.Max(tc, tm);
                opDram += cpuBytes;
                continue;
            }
            if (w.Class == WorkClass.Layout) continue;
            long streamed;
            if (noStreaming) streamed = 0;
            else
            {
                var cached = Math.Min(cacheLeft, w.ParamBytes);
                cacheLeft -= cached;
                streamed = w.ParamBytes - cached;
            }
            var eff = Efficiency(w, k.ChannelMultiple);
            var rate = w.FloatCompute && p.FloatNpuGmacs > 0 ? p.FloatNpuGmacs * 1e6 : k.MacsPerMs;
            var c = w.Macs > 0 ? w.Macs * k.AreaScale / (rate * eff) : 0;
            var fmBytes = p.FeatureMapsInDram ? (long)((w.InBytes + w.OutBytes) * k.AreaScale) : 0;
            var bytes = fmBytes + streamed;
            var m = bytes / k.BytesPerMs;
            var o = k.OverheadMs;
            if (p.StrideReshuffle && (w.StrideH > 2 || w.StrideW > 2) && w.Class is WorkClass.Convolution or WorkClass.Depthwise)
            {
                // The NN core only strides by 1 or 2: the tensor processor reshuffles the input first, one more layer.
                var reshuffle = p.FeatureMapsInDram ? (long)(2 * w.InBytes * k.AreaScale) : 0;
                bytes += reshuffle;
                m += reshuffle / k.BytesPerMs;
                o += k.OverheadMs;
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
            bound = boundCompute >= boundMemory && boundCompute > 0 ? CostBound.Compute : CostBound.Memory;
        return new OpEstimate(r, ms, bound, computeMs, memoryMs, ovh, effMin, opDram, opStreamed);
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
