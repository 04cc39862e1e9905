using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>
/// Prices a finding's fix: the model is re-estimated with that one fix applied as per-op overrides (the
/// graph is never mutated), for each way the fix can be made (e.g. 100 filters → 96 or 102), and the
/// saving is the baseline total minus the best variant's total. A variant that would be slower than
/// leaving the model alone is not taken, so the saving is never negative; it is always the difference of
/// two full estimates.
/// </summary>
public static class WhatIf
{
    /// <summary>Milliseconds the finding's fix saves; null when its rule names no fix (FixKind.None), 0 when the fix does not apply here.</summary>
    public static double? Saves(CostModel model, TargetResult result, Finding finding, Estimate? baseline = null)
    {
        var pricing = new Pricing(model, result);
        return Saves(pricing, finding, baseline ?? pricing.Run(CostPlan.Baseline));
    }

    internal static double? Saves(Pricing pricing, Finding finding, Estimate baseline)
    {
        if (finding.Rule.FixKind == FixKind.None) return null;
        var best = double.PositiveInfinity;
        var plans = pricing.Plans;
        plans.Clear();
        Variants(pricing, finding, plans);
        // Most fixes change a few ops in place; pricing only those keeps what-if linear in the findings.
        foreach (var plan in plans)
            best = Math.Min(best, pricing.TotalByDelta(plan, baseline) ?? pricing.Run(plan, perOp: false).TotalMs);
        return best < baseline.TotalMs ? baseline.TotalMs - best : 0;
    }

    /// <summary>The best-priced variant of the fix, or null when none is faster than the baseline or none applies.</summary>
    public static (CostPlan Plan, Estimate Estimate)? Best(CostModel model, TargetResult result, Finding finding)
    {
        var pricing = new Pricing(model, result);
        var baseline = pricing.Run(CostPlan.Baseline);
        (CostPlan, Estimate)? best = null;
        foreach (var plan in Variants(pricing, finding))
        {
            var e = pricing.Run(plan);
            if (e.TotalMs < (best?.Item2.TotalMs ?? baseline.TotalMs)) best = (plan, e);
        }
        return best;
    }

    /// <summary>
    /// The ways the finding's fix can be applied, as cost plans. When the finding is what keeps its op off the
    /// NPU (the op's only unsupported reason), the fixed op also runs on the NPU; a partition breaker's fix
    /// brings back the downstream ops the partition pushed to the CPU.
    /// </summary>
    public static IEnumerable<CostPlan> Variants(CostModel model, TargetResult result, Finding finding) =>
        Variants(new Pricing(model, result), finding);

    private static List<CostPlan> Variants(Pricing pricing, Finding finding)
    {
        var plans = new List<CostPlan>();
        Variants(pricing, finding, plans);
        return plans;
    }

    private static void Variants(Pricing pricing, Finding finding, List<CostPlan> plans)
    {
        var result = pricing.Result;
        var target = finding.Op is { } op ? result[op] : null;
        var back = target is null ? [] : BackOnNpu(result, target, finding);
        var start = plans.Count;
        OpVariants(pricing, finding, back, plans);
        if (back.Count == 0) return;
        for (var i = start; i < plans.Count; i++) plans[i] = WithPlacement(pricing, plans[i], back);
        if (plans.Count == start) plans.Add(WithPlacement(pricing, CostPlan.Baseline, back));
    }

    /// <summary>Ops the fix brings back to the NPU.</summary>
    private static IReadOnlyList<OpResult> BackOnNpu(TargetResult result, OpResult target, Finding finding)
    {
        if (target.Placement.OnNpu()) return [];
        if (finding.Rule.FixKind == FixKind.Quantize)
        {
            // Quantizing the op helps its placement only when data type is all that keeps it off the NPU.
            foreach (var f in target.Findings)
                if (f.Kind == RuleKind.Unsupported && f.Rule.FixKind != FixKind.Quantize) return [];
            return [target];
        }
        Rule? only = null;
        var several = false;
        foreach (var f in target.Findings)
            if (f.Kind == RuleKind.Unsupported)
            {
                if (only is null) only = f.Rule;
                else if (only != f.Rule) several = true;
            }
        var fixesOwnReason = finding.Kind == RuleKind.Unsupported && !several && only == finding.Rule;
        var itself = fixesOwnReason || finding.Rule.FixKind == FixKind.MoveToNpu;
        var breaker = finding.Kind == RuleKind.Model && finding.Rule.FixKind == FixKind.MoveToNpu;
        if (!breaker) return itself ? [target] : [];
        var back = new List<OpResult>();
        if (itself) back.Add(target);
        back.AddRange(Displaced(result, target));
        return back;
    }

    /// <summary>
    /// The CPU ops a partition breaker's fix brings back: the target's placement and partition pass are redone
    /// without the breaker's unsupported findings, and every op that lands on the NPU then comes back.
    /// </summary>
    private static List<OpResult> Displaced(TargetResult result, OpResult target)
    {
        var placed = result.Target.Replay(result, f => f.Op == target.Op && f.Kind == RuleKind.Unsupported);
        var back = new List<OpResult>();
        foreach (var r in result.Ops)
            if (r != target && !r.Placement.OnNpu() && placed.Ops[r.Position].Placement.OnNpu()) back.Add(r);
        return back;
    }

    private static CostPlan WithPlacement(Pricing pricing, CostPlan plan, IReadOnlyList<OpResult> back)
    {
        if (back.Count == 1 && plan.Overrides is SingleOverride { Plan.Placement: Placement.Npu } done && done.Key == back[0]) return plan;
        if (back.Count == 1 && plan.Overrides is SingleOverride single && single.Key == back[0])
            return plan with { Overrides = new SingleOverride(single.Key, single.Plan with { Placement = Placement.Npu }) };
        if (back.Count == 1 && plan.Overrides.Count == 0)
            return plan with { Overrides = new SingleOverride(back[0], pricing.PlanOf(back[0], CostPlan.Baseline) with { Placement = Placement.Npu }) };
        var overrides = new Dictionary<OpResult, OpPlan>(plan.Overrides);
        foreach (var r in back)
            overrides[r] = (overrides.TryGetValue(r, out var o) ? o : pricing.PlanOf(r, CostPlan.Baseline)) with { Placement = Placement.Npu };
        return plan with { Overrides = overrides };
    }

    private static void OpVariants(Pricing pricing, Finding finding, IReadOnlyList<OpResult> back, List<CostPlan> plans)
    {
        var (model, result, layout) = (pricing.Model, pricing.Result, pricing.Layout);
        var target = finding.Op is { } op ? result[op] : null;
        var kind = finding.Rule.FixKind;
        switch (kind)
        {
            case FixKind.PerTensorQuantization:
                plans.Add(Override(pricing, target is null ? result.Ops : [target], r => r with { PerChannel = false }));
                return;
            case FixKind.FitParameterCache:
                plans.Add(new CostPlan { NoParameterStreaming = true });
                return;
            case FixKind.AlignInputSize:
                if (AlignedInputScale(result.Graph, model.Parameters.InputSizeMultiple) is { } scale)
                    plans.Add(new CostPlan { InputAreaScale = scale });
                return;
            case FixKind.QuantizeModel:
                plans.Add(QuantizedModel(pricing));
                return;
        }
        if (target is null || pricing.PreparedOnce(target)) return;
        var work = pricing.Work(target);
        switch (kind)
        {
            case FixKind.Quantize:
                plans.Add(Single(target, new OpPlan(back.Contains(target) ? Placement.Npu : target.Placement, [pricing.QuantizedWork(target)])));
                return;
            case FixKind.AlignChannels:
            {
                var m = model.Parameters.ChannelMultiple == 0 ? Math.Max(1, result.Options.Cores) : model.Parameters.ChannelMultiple;
                var c = work.OutChannels;
                if (m <= 1 || c <= 0) return;
                var down = c / m * m;
                if (down > 0 && down != c) plans.Add(Rechannel(pricing, target, down));
                var up = CostModel.RoundUp(c, m);
                if (up != c) plans.Add(Rechannel(pricing, target, up));
                return;
            }
            case FixKind.UseSmallKernel:
            case FixKind.SquareKernel:
                foreach (var works in SmallKernels(work, target.Op, layout, kind == FixKind.SquareKernel))
                    plans.Add(Single(target, new OpPlan(target.Placement, works)));
                return;
            case FixKind.StrideViaPooling:
                foreach (var works in StrideThenPool(work))
                    plans.Add(Single(target, new OpPlan(target.Placement, works)));
                return;
            case FixKind.FuseActivation:
                if (work.Class == WorkClass.Activation) plans.Add(Single(target, new OpPlan(target.Placement, [])));
                else if (SoleConsumer(result, target.Op) is { } act && OpWork.ClassOf(act.Op.Kind) == WorkClass.Activation)
                    plans.Add(Single(act, new OpPlan(act.Placement, [])));
                return;
            case FixKind.FoldPadding:
                if (work.Class == WorkClass.Pad) plans.Add(Single(target, new OpPlan(target.Placement, [])));
                else if (target.Op.Input(0)?.Producer is { } prod && result[prod] is var pad && OpWork.ClassOf(prod.Kind) == WorkClass.Pad)
                    plans.Add(Single(pad, new OpPlan(pad.Placement, [])));
                return;
            case FixKind.RegularConvolution:
                if (RegularInsteadOfDepthwise(pricing, target, work) is { } plan) plans.Add(plan);
                return;
        }
    }

    /// <summary>Every op quantized, placed where the target puts it once no finding that quantization fixes is left.</summary>
    private static CostPlan QuantizedModel(Pricing pricing)
    {
        var result = pricing.Result;
        // Without a finding that quantizing fixes, placement stays as it is: no need to redo it.
        var fixes = result.Ops.Any(r => r.Findings.Any(f => f.Rule.FixKind == FixKind.Quantize));
        var placed = fixes ? result.Target.Replay(result, f => f.Rule.FixKind == FixKind.Quantize) : result;
        var plans = new OpPlan[result.Ops.Count];
        foreach (var r in result.Ops)
            plans[r.Position] = new OpPlan(placed.Ops[r.Position].Placement, [pricing.QuantizedWork(r)]);
        return new CostPlan { Overrides = new PositionalOverrides(result.Ops, plans), QuantizedTensors = true };
    }

    private static CostPlan Single(OpResult r, OpPlan plan) => new() { Overrides = new SingleOverride(r, plan) };

    private static CostPlan Override(Pricing pricing, IEnumerable<OpResult> ops, Func<OpWork, OpWork> change)
    {
        var overrides = new Dictionary<OpResult, OpPlan>();
        foreach (var r in ops) overrides[r] = new OpPlan(r.Placement, [change(pricing.Work(r))]);
        return new CostPlan { Overrides = overrides };
    }

    private static OpResult? SoleConsumer(TargetResult result, Operator op) =>
        op.Outputs.Count == 1 && op.Outputs[0].Consumers.Count == 1 ? result[op.Outputs[0].Consumers[0]] : null;

    private static double Scale(long value, double f) => Math.Round(value * f);

    /// <summary>A priced figure as a long, held at long.MaxValue rather than wrapped: the variant then only looks slower.</summary>
    private static long Saturated(double v) => v >= long.MaxValue ? long.MaxValue : v <= 0 ? 0 : (long)v;

    /// <summary>
    /// The op with <paramref name="channels"/> output channels: its MACs, output and parameters scale; the
    /// change carries through channel-preserving consumers (depthwise, activations, pads, pools, element-wise)
    /// to the next convolutions, whose input (MACs, parameters) scales too.
    /// </summary>
    private static CostPlan Rechannel(Pricing pricing, OpResult target, long channels)
    {
        var result = pricing.Result;
        var w = pricing.Work(target);
        var f = (double)channels / w.OutChannels;
        var overrides = new Dictionary<OpResult, OpPlan>
        {
            [target] = new(target.Placement, [w with
            {
                OutChannels = channels, Macs = (long)Scale(w.Macs, f), OutBytes = (long)Scale(w.OutBytes, f),
                OutMaxTensorBytes = (long)Scale(w.OutMaxTensorBytes, f), Elements = (long)Scale(w.Elements, f),
                ParamBytes = (long)Scale(w.ParamBytes, f), CpuWork = (long)Scale(w.CpuWork, f),
            }]),
        };
        var frontier = new Queue<Operator>(target.Op.Outputs.SelectMany(t => t.Consumers));
        while (frontier.TryDequeue(out var op))
        {
            var r = result[op];
            if (overrides.ContainsKey(r)) continue;
            var c = pricing.Work(r);
            if (c.Class == WorkClass.Convolution)
            {
                overrides[r] = new(r.Placement, [c with
                {
                    Macs = (long)Scale(c.Macs, f), InBytes = (long)Scale(c.InBytes, f), InMaxTensorBytes = (long)Scale(c.InMaxTensorBytes, f),
                    ParamBytes = (long)Scale(c.ParamBytes, f), CpuWork = (long)Scale(c.CpuWork, f),
                }]);
                continue;
            }
            if (c.Class == WorkClass.Layout) { overrides[r] = new(r.Placement, [c]); }
            else
            {
                overrides[r] = new(r.Placement, [c with
                {
                    OutChannels = c.OutChannels > 0 ? (long)Scale(c.OutChannels, f) : 0,
                    Macs = (long)Scale(c.Macs, f), InBytes = (long)Scale(c.InBytes, f), OutBytes = (long)Scale(c.OutBytes, f),
                    InMaxTensorBytes = (long)Scale(c.InMaxTensorBytes, f), OutMaxTensorBytes = (long)Scale(c.OutMaxTensorBytes, f),
                    Elements = (long)Scale(c.Elements, f),
                    ParamBytes = (long)Scale(c.ParamBytes, f), CpuWork = (long)Scale(c.CpuWork, f),
                }]);
                // Residual adds and concatenations take other inputs at the old width: the change stops there.
                if (op.Kind is OpKind.Add or OpKind.Concatenation or OpKind.Mul or OpKind.Sub) continue;
            }
            foreach (var t in op.Outputs) foreach (var next in t.Consumers) frontier.Enqueue(next);
        }
        return new CostPlan { Overrides = overrides };
    }

    /// <summary>The deepest stack of 3×3 layers a large kernel is priced as (a 65×65 kernel).</summary>
    internal const int MaxStackedLayers = 32;

    /// <summary>
    /// A kH×kW kernel as stacked 3×3 kernels covering the same receptive field (the first carries the
    /// stride); for regular convolutions the intermediate width is either the output or the input width.
    /// A non-square kernel may also be squared up to its longer side.
    /// </summary>
    private static IEnumerable<IReadOnlyList<OpWork>> SmallKernels(OpWork w, Operator op, TensorLayout layout, bool square)
    {
        if (w.Class is not (WorkClass.Convolution or WorkClass.Depthwise) || op.Kind == OpKind.FullyConnected) yield break;
        var side = Math.Max(w.KernelH, w.KernelW);
        var window = (double)w.KernelH * w.KernelW;
        if (square && w.KernelH != w.KernelW)
            yield return [w with
            {
                KernelH = side, KernelW = side, Macs = (long)Scale(w.Macs, side * side / window),
                ParamBytes = (long)Scale(w.ParamBytes, side * side / window), CpuWork = (long)Scale(w.CpuWork, side * side / window),
            }];
        var n = side / 2; // n stacked 3×3 layers see 2n+1 pixels
        // A kernel this wide is a corrupt or absurd file, not a design to price layer by layer (and n is file-controlled).
        if (side <= 3 || n > MaxStackedLayers) yield break;
        var inC = FeatureMaps.Logical(layout, op.Input(0))?.C ?? 0;
        var outC = w.OutChannels;
        var outPixels = outC > 0 ? w.Macs / Math.Max(1, w.Class == WorkClass.Depthwise ? outC * (long)window : outC * (long)window * Math.Max(1, inC)) : 0;
        if (outPixels <= 0) yield break;
        var bytesPerParam = w.ParamBytes / Math.Max(1.0, w.Class == WorkClass.Depthwise ? outC * window : outC * window * Math.Max(1, inC));
        // In double, saturating: a 1×5 kernel's 3×3 layers need 9/5 of its MACs, which can pass 2^63 on a hostile shape.
        OpWork Layer(long cin, long cout, long inBytes, long outBytes, bool first)
        {
            var macs = (double)outPixels * 9 * cout * (w.Class == WorkClass.Depthwise ? 1 : cin);
            return w with
            {
                KernelH = 3, KernelW = 3,
                StrideH = first ? w.StrideH : 1, StrideW = first ? w.StrideW : 1,
                OutChannels = cout,
                Macs = Saturated(macs),
                CpuWork = Saturated(macs),
                ParamBytes = Saturated(9.0 * cout * (w.Class == WorkClass.Depthwise ? 1 : cin) * bytesPerParam),
                InBytes = inBytes, OutBytes = outBytes, InMaxTensorBytes = inBytes, OutMaxTensorBytes = outBytes,
                Elements = Saturated((double)outPixels * cout),
            };
        }
        if (w.Class == WorkClass.Depthwise || inC <= 0)
        {
            yield return Enumerable.Range(0, n).Select(i => Layer(outC, outC, i == 0 ? w.InBytes : w.OutBytes, w.OutBytes, i == 0)).ToList();
            yield break;
        }
        // Intermediate width = output width: the first layer carries the channel change.
        yield return Enumerable.Range(0, n).Select(i => Layer(i == 0 ? inC : outC, outC, i == 0 ? w.InBytes : w.OutBytes, w.OutBytes, i == 0)).ToList();
        // Intermediate width = input width: the last layer carries it.
        var midBytes = (long)Scale(w.OutBytes, (double)inC / outC);
        yield return Enumerable.Range(0, n).Select(i => Layer(inC, i == n - 1 ? outC : inC, i == 0 ? w.InBytes : midBytes, i == n - 1 ? w.OutBytes : midBytes, i == 0)).ToList();
    }

    /// <summary>Stride s as a convolution at stride 1 (or 2 when s is even) followed by an s×s (or s/2) max pool.</summary>
    private static IEnumerable<IReadOnlyList<OpWork>> StrideThenPool(OpWork w)
    {
        if (w.Class is not (WorkClass.Convolution or WorkClass.Depthwise) || (w.StrideH <= 2 && w.StrideW <= 2)) yield break;
        foreach (var convStride in new[] { 1, 2 })
        {
            if (w.StrideH % convStride != 0 || w.StrideW % convStride != 0) continue;
            int ph = w.StrideH / convStride, pw = w.StrideW / convStride;
            double f = (double)ph * pw;
            var conv = w with
            {
                StrideH = convStride, StrideW = convStride,
                Macs = (long)Scale(w.Macs, f), CpuWork = (long)Scale(w.CpuWork, f), OutBytes = (long)Scale(w.OutBytes, f),
                OutMaxTensorBytes = (long)Scale(w.OutMaxTensorBytes, f), Elements = (long)Scale(w.Elements, f),
            };
            var pool = new OpWork
            {
                Class = WorkClass.Vector, KernelH = ph, KernelW = pw, StrideH = ph, StrideW = pw,
                InBytes = conv.OutBytes, OutBytes = w.OutBytes, InMaxTensorBytes = conv.OutMaxTensorBytes, OutMaxTensorBytes = w.OutMaxTensorBytes,
                CpuWork = conv.OutBytes, Elements = conv.Elements,
            };
            yield return [conv, pool];
        }
    }

    /// <summary>A depthwise k×k followed by a 1×1 convolution as one regular k×k convolution (the RegNet/fused-MBConv form).</summary>
    private static CostPlan? RegularInsteadOfDepthwise(Pricing pricing, OpResult target, OpWork dw)
    {
        if (dw.Class != WorkClass.Depthwise || SoleConsumer(pricing.Result, target.Op) is not { } next) return null;
        var pw = pricing.Work(next);
        if (pw.Class != WorkClass.Convolution || next.Op.Kind != OpKind.Conv2D || pw.KernelH != 1 || pw.KernelW != 1 || pw.StrideH != 1 || pw.StrideW != 1)
            return null;
        var f = (double)pw.OutChannels; // each depthwise MAC becomes one per output channel
        var regular = dw with
        {
            Class = WorkClass.Convolution, OutChannels = pw.OutChannels,
            Macs = (long)Scale(dw.Macs, f), CpuWork = (long)Scale(dw.CpuWork, f),
            OutBytes = pw.OutBytes, OutMaxTensorBytes = pw.OutMaxTensorBytes, Elements = pw.Elements, ParamBytes = (long)Scale(dw.ParamBytes, f),
        };
        return new CostPlan
        {
            Overrides = new Dictionary<OpResult, OpPlan>
            {
                [target] = new(target.Placement, [regular]),
                [next] = new(next.Placement, []),
            },
        };
    }

    /// <summary>Area factor of resizing the input to the nearest multiple (down or up, whichever is nearer) instead of padding it.</summary>
    private static double? AlignedInputScale(Graph graph, int multiple)
    {
        if (multiple <= 1) return null;
        double? scale = null;
        foreach (var t in graph.Main.Inputs)
        {
            if (FeatureMaps.Logical(graph, t) is not { H: > 0, W: > 0 } f) continue;
            long Near(long v) => Math.Max(multiple, (long)Math.Round((double)v / multiple, MidpointRounding.AwayFromZero) * multiple);
            var s = (double)Near(f.H) * Near(f.W) / (f.H * f.W);
            scale = Math.Max(scale ?? 0, s);
        }
        return scale;
    }
}
