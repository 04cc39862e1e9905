using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>
/// One analysis as the cost model prices it. Each op's own work, the main subgraph's execution order and the
/// run-time tensors that can cross the NPU/CPU boundary (<see cref="BoundaryTensors"/>) are gathered once, by the op's position in
/// <see cref="TargetResult.Ops"/>, so the baseline estimate and every what-if over it walk arrays instead
/// of the graph. Not thread-safe: it reuses scratch sets between what-if calls.
/// </summary>
internal sealed class Pricing
{
    public CostModel Model { get; private set; }
    public TargetResult Result { get; }
    public TensorLayout Layout { get; }

    /// <summary>Each op as it stands: its placement, its own work, and whether it runs only at prepare time.</summary>
    private readonly Placement[] _placements;
    private readonly OpWork[] _works;
    private readonly bool[] _prepared;
    /// <summary>Main-subgraph execution order, as positions.</summary>
    private readonly int[] _order;
    /// <summary>Position → index in <see cref="_order"/>; -1 for ops of other subgraphs.</summary>
    private readonly int[] _step;
    private readonly BoundaryTensors _tensors;
    private Rates _rates;

    /// <summary>Scratch list for the variants of the finding being priced.</summary>
    public List<CostPlan> Plans { get; } = [];

    // What-if scratch: the ops a plan moves, the step pairs and tensors next to them, each listed once per call
    // (a generation stamp per step and per tensor says whether this call has listed it already).
    private readonly List<int> _moved = [];
    private readonly List<int> _pairs = [];
    private readonly List<int> _touched = [];
    private int[]? _pairListed, _tensorListed;
    private int _generation;

    public Pricing(CostModel model, TargetResult result)
    {
        Model = model;
        Result = result;
        Layout = result.Graph.Layout;
        var ops = result.Ops;
        var n = ops.Count;
        _placements = new Placement[n];
        _works = new OpWork[n];
        for (var i = 0; i < n; i++)
        {
            if (ops[i].Position != i) throw new InvalidOperationException($"op result {i} records position {ops[i].Position}");
            _placements[i] = ops[i].Placement;
            _works[i] = OpWork.Of(ops[i], Layout);
        }
        var main = result.Graph.Subgraphs.Count == 0 ? [] : result.Graph.Main.Operators;
        var preparedOnce = _prepared = PreparedOnce();

        // The runtime executes the partition segment by segment, switching sides between segments; prepare-time ops never run.
        _step = new int[n];
        Array.Fill(_step, -1);
        var order = new List<Operator>(main.Count);
        void Add(Operator op)
        {
            var position = PositionOf(op);
            if (preparedOnce[position] || _step[position] >= 0) return;
            _step[position] = order.Count;
            order.Add(op);
        }
        foreach (var segment in result.Segments) foreach (var op in segment.Ops) Add(op);
        if (main.Count > 0) foreach (var op in result.Graph.Main.TopologicalOrder()) Add(op);
        _order = new int[order.Count];
        for (var s = 0; s < order.Count; s++) _order[s] = PositionOf(order[s]);

        _tensors = new BoundaryTensors(order, n, PositionOf, p => _step[p] >= 0);
        _rates = Rates.Of(model.Parameters, result, null);
    }

    /// <summary>Prices the same analysis with other parameters (the calibration fit): the works do not depend on them.</summary>
    public void Use(CostModel model)
    {
        Model = model;
        _rates = Rates.Of(model.Parameters, Result, null);
    }

    /// <summary>The analysis's prepare-time ops, by position: they run once when the model is prepared, so they cost no inference time.</summary>
    private bool[] PreparedOnce()
    {
        var folded = new bool[_works.Length];
        foreach (var op in Result.PrepareTimeOps) folded[PositionOf(op)] = true;
        return folded;
    }

    /// <summary>Main-subgraph ops sit at their own index; others are looked up.</summary>
    private int PositionOf(Operator op) =>
        (uint)op.Index < (uint)_works.Length && Result.Ops[op.Index].Op == op ? op.Index : Result[op].Position;

    public OpWork Work(OpResult r) => _works[r.Position];

    /// <summary>The op's work once the model is quantized (shared by the per-op and the whole-model what-if).</summary>
    public OpWork QuantizedWork(OpResult r) =>
        (_quantizedWorks ??= new OpWork[_works.Length])[r.Position] ??= OpWork.Quantized(r, _works[r.Position]);

    private OpWork[]? _quantizedWorks;

    /// <summary>Whether the op runs once at prepare time and costs nothing per inference.</summary>
    public bool PreparedOnce(OpResult r) => _prepared[r.Position];

    public OpPlan PlanOf(OpResult r, CostPlan plan) =>
        plan.Overrides.Count > 0 && plan.Overrides.TryGetValue(r, out var o) ? o
            : new OpPlan(_placements[r.Position], _prepared[r.Position] ? [] : [_works[r.Position]]);

    private bool BaseOnNpu(int position) => _placements[position].OnNpu();

    private bool OnNpu(int position, CostPlan plan) =>
        plan.Overrides.TryGetValue(Result.Ops[position], out var o) ? o.Placement.OnNpu() : BaseOnNpu(position);

    private long BaseParamBytes(int position) => _prepared[position] ? 0 : _works[position].ParamBytes;

    private static long ParamBytes(IReadOnlyList<OpWork> works)
    {
        long bytes = 0;
        for (var i = 0; i < works.Count; i++) bytes += works[i].ParamBytes;
        return bytes;
    }

    /// <summary>Estimates the model as the plan prices it; <paramref name="perOp"/> false leaves <see cref="Estimate.Ops"/> empty.</summary>
    public Estimate Run(CostPlan plan, bool perOp = true)
    {
        var p = Model.Parameters;
        var rates = plan.InputAreaScale is null ? _rates : Rates.Of(p, Result, plan.InputAreaScale);
        long cacheLeft = p.ParamCacheBytes;
        var n = _works.Length;
        var ops = perOp ? new OpEstimate[n] : [];
        var npu = new bool[n];
        double npuMs = 0, cpuMs = 0;
        long dram = 0, paramTotal = 0, streamedTotal = 0;
        for (var i = 0; i < n; i++)
        {
            var r = Result.Ops[i];
            OpCost c;
            if (plan.Overrides.Count > 0 && plan.Overrides.TryGetValue(r, out var o))
            {
                paramTotal += ParamBytes(o.Works);
                c = Price(o.Placement, o.Works, rates, plan.NoParameterStreaming, ref cacheLeft);
            }
            else
            {
                paramTotal += BaseParamBytes(i);
                c = new OpCost(_placements[i]);
                if (!_prepared[i]) Add(ref c, _works[i], rates, plan.NoParameterStreaming, ref cacheLeft);
            }
            if (perOp) ops[i] = new OpEstimate(r, c.Ms, c.Bound, c.ComputeMs, c.MemoryMs, c.OverheadMs, c.Efficiency, c.DramBytes, c.StreamedParamBytes);
            npu[i] = c.OnNpu;
            if (npu[i]) npuMs += c.Ms; else cpuMs += c.Ms;
            dram += c.DramBytes;
            streamedTotal += c.StreamedParamBytes;
        }

        var transitions = 0;
        for (var s = 1; s < _order.Length; s++)
            if (npu[_order[s - 1]] != npu[_order[s]]) transitions++;
        long crossingBytes = 0;
        for (var id = 0; id < _tensors.Count; id++)
        {
            var side = npu[_tensors.Producer(id)];
            foreach (var r in _tensors.Readers(id))
                if (npu[r] != side) { crossingBytes += _tensors.Bytes(id, plan.QuantizedTensors); break; }
        }

        var transitionMs = TransitionMs(transitions, crossingBytes);
        npuMs += p.InferenceOverheadUs / 1000;
        var total = npuMs + cpuMs + transitionMs;
        return new Estimate(p.TargetId, total, total * (1 - p.RangeSpread), total * (1 + p.RangeSpread),
            npuMs, cpuMs, transitionMs, transitions, crossingBytes, dram, paramTotal, streamedTotal, rates.AreaScale, ops);
    }

    private double TransitionMs(int transitions, long bytes) =>
        transitions * Model.Parameters.TransitionFixedUs / 1000 + bytes / (Model.Parameters.TransitionCopyGBps * 1e6);

    /// <summary>A tensor crosses when some reader runs on the other side of its producer.</summary>
    /// <summary>Whether tensor <paramref name="id"/> has a reader on the other side of its producer, under the plan (null = as placed).</summary>
    private bool Crosses(int id, CostPlan? plan)
    {
        var side = Side(_tensors.Producer(id), plan);
        foreach (var r in _tensors.Readers(id)) if (Side(r, plan) != side) return true;
        return false;
    }

    private bool Side(int position, CostPlan? plan) => plan is null ? BaseOnNpu(position) : OnNpu(position, plan);

    /// <summary>
    /// The plan's total when it can be had without re-pricing the whole model: the input area and the tensor
    /// sizes are the model's and parameter streaming cannot move (no cache to fill, or everything fits before and after). Then only
    /// the overridden ops' costs change, and when a fix moves ops between NPU and CPU, only the transitions next
    /// to them. The result equals <see cref="Run"/>'s total up to float rounding; null when the conditions fail.
    /// </summary>
    public double? TotalByDelta(CostPlan plan, Estimate baseline)
    {
        var p = Model.Parameters;
        if (plan.InputAreaScale is not null || plan.NoParameterStreaming || plan.QuantizedTensors || baseline.Ops.Count != _works.Length) return null;
        var cacheFree = p.ParamCacheBytes == 0;
        if (!cacheFree && baseline.StreamedParamBytes > 0) return null;
        long paramDelta = 0;
        _moved.Clear();
        var total = baseline.TotalMs;
        if (plan.Overrides is SingleOverride one) // most plans: spare the interface enumerator
        {
            if (!Change(one.Key, one.Plan)) return null;
        }
        else
            foreach (var (r, o) in plan.Overrides)
                if (!Change(r, o)) return null;
        if (!cacheFree && baseline.ParamBytes + paramDelta > p.ParamCacheBytes) return null;
        if (_moved.Count > 0)
        {
            var (switches, bytes) = TransitionDelta(plan, baseline);
            total += TransitionMs(switches, bytes) - baseline.TransitionMs;
        }
        return total;

        bool Change(OpResult r, OpPlan o)
        {
            if (baseline.Ops[r.Position].Op != r) return false;
            if (o.Placement.OnNpu() != BaseOnNpu(r.Position)) _moved.Add(r.Position);
            paramDelta += ParamBytes(o.Works) - BaseParamBytes(r.Position);
            long cacheLeft = cacheFree ? 0 : long.MaxValue;
            total += Price(o.Placement, o.Works, _rates, false, ref cacheLeft).Ms - baseline.Ops[r.Position].Ms;
            return true;
        }
    }

    /// <summary>Transitions after moving the ops in <see cref="_moved"/>: the baseline's, corrected at their neighbours and tensors.</summary>
    private (int Switches, long Bytes) TransitionDelta(CostPlan plan, Estimate baseline)
    {
        _pairs.Clear();
        _touched.Clear();
        var pairListed = _pairListed ??= new int[_order.Length + 1];
        var tensorListed = _tensorListed ??= new int[_tensors.Count];
        var generation = ++_generation;
        foreach (var position in _moved)
        {
            var s = _step[position];
            if (s < 0) continue;
            // pair s = (_order[s-1], _order[s])
            if (s > 0 && pairListed[s] != generation) { pairListed[s] = generation; _pairs.Add(s); }
            if (s + 1 < _order.Length && pairListed[s + 1] != generation) { pairListed[s + 1] = generation; _pairs.Add(s + 1); }
            foreach (var id in _tensors.Touching(position))
                if (tensorListed[id] != generation) { tensorListed[id] = generation; _touched.Add(id); }
        }
        var switches = baseline.Transitions;
        foreach (var s in _pairs)
        {
            int a = _order[s - 1], b = _order[s];
            switches += (OnNpu(a, plan) != OnNpu(b, plan) ? 1 : 0) - (BaseOnNpu(a) != BaseOnNpu(b) ? 1 : 0);
        }
        var bytes = baseline.TransitionBytes;
        foreach (var id in _touched)
            bytes += ((Crosses(id, plan) ? 1 : 0) - (Crosses(id, null) ? 1 : 0)) * _tensors.Bytes(id, quantized: false);
        return (switches, bytes);
    }

    /// <summary>Per-estimate constants: rates after core scaling, the channel multiple, the input-area factor.</summary>
    private sealed record Rates(double MacsPerMs, double BytesPerMs, double OverheadMs, double CpuPerMs, double CpuBytesPerMs,
        int ChannelMultiple, double AreaScale, double VectorPerMs, double ActivationPerMs, double MoveBytesPerMs,
        double CpuTranscendentalPerMs, double PostProcessMsPerUnit)
    {
        public static Rates Of(CostParameters p, TargetResult result, double? areaScale)
        {
            var cores = Math.Max(1, result.Options.Cores);
            var coreScale = p.ChannelMultiple == 0 ? (double)cores / p.ReferenceCores : 1.0;
            return new Rates(p.NpuGmacs * 1e6 * coreScale, p.DramGBps * 1e6, p.LayerOverheadUs / 1000, p.CpuGmacs * 1e6,
                p.TransitionCopyGBps * 1e6, p.ChannelMultiple == 0 ? cores : p.ChannelMultiple,
                areaScale ?? CostModel.InputPaddingScale(result.Graph, p.InputSizeMultiple),
                p.NpuVectorGelems * 1e6 * coreScale, p.NpuActivationGelems * 1e6 * coreScale, p.NpuMoveGBps * 1e6 * coreScale,
                p.CpuTranscendentalGelems * 1e6, p.CpuPostProcessNs * 1e-6);
        }
    }

    /// <summary>One op's cost as its plan prices it; NPU parameters fill <paramref name="cacheLeft"/> in execution order.</summary>
    private OpCost Price(Placement placement, IReadOnlyList<OpWork> works, Rates k, bool noStreaming, ref long cacheLeft)
    {
        var cost = new OpCost(placement);
        for (var i = 0; i < works.Count; i++) Add(ref cost, works[i], k, noStreaming, ref cacheLeft);
        return cost;
    }

    private void Add(ref OpCost cost, OpWork w, Rates k, bool noStreaming, ref long cacheLeft)
    {
        var p = Model.Parameters;
        if (!cost.OnNpu)
        {
            AddCpu(ref cost, w, k);
            return;
        }
        if (w.Class == WorkClass.Layout || (w.FoldablePad && p.PadFolded)) return;
        long streamed;
        if (noStreaming) streamed = 0;
        else
        {
            var cached = Math.Min(cacheLeft, w.ParamBytes);
            cacheLeft -= cached;
            streamed = w.ParamBytes - cached;
        }
        var eff = Model.Efficiency(w, k.ChannelMultiple);
        double c;
        switch (w.Class)
        {
            case WorkClass.Convolution or WorkClass.Depthwise:
                var rate = w.FloatCompute && p.FloatNpuGmacs > 0 ? p.FloatNpuGmacs * 1e6 : k.MacsPerMs;
                c = w.Macs > 0 ? w.Macs * k.AreaScale / (rate * eff) : 0;
                break;
            case WorkClass.Move or WorkClass.Pad:
                // A copy reads what it writes: twice the output through the move engine, in whole lane groups.
                c = 2.0 * w.OutBytes * Lanes(w, p) * k.AreaScale / k.MoveBytesPerMs;
                break;
            default:
                c = w.Elements * Lanes(w, p) * k.AreaScale / (w.Transcendental ? k.ActivationPerMs : k.VectorPerMs);
                if (w.Macs > 0) c = Math.Max(c, w.Macs * k.AreaScale / (k.MacsPerMs * eff));
                break;
        }
        // Feature maps that do not fit the on-chip buffer stream through DRAM; the rest stay on chip.
        var fmBytes = (long)((Spilled(w.InBytes, w.InMaxTensorBytes) + Spilled(w.OutBytes, w.OutMaxTensorBytes)) * k.AreaScale);
        var bytes = fmBytes + streamed;
        var m = bytes / k.BytesPerMs;
        var o = k.OverheadMs;
        if (p.StrideReshuffle && (w.StrideH > 2 || w.StrideW > 2) && w.Class is WorkClass.Convolution or WorkClass.Depthwise)
        {
            // The NN core only strides by 1 or 2: the tensor processor reshuffles the input first, one more layer.
            var reshuffle = (long)(2 * w.InBytes * k.AreaScale);
            c += reshuffle / k.MoveBytesPerMs;
            var spilled = (long)(2 * Spilled(w.InBytes, w.InMaxTensorBytes) * k.AreaScale);
            bytes += spilled;
            m += spilled / k.BytesPerMs;
            o += k.OverheadMs;
        }
        cost.Ms += Math.Max(c, m) + o;
        cost.ComputeMs += c;
        cost.MemoryMs += m;
        cost.OverheadMs += o;
        cost.DramBytes += bytes;
        cost.StreamedParamBytes += streamed;
        if (w.Macs > 0) cost.Efficiency = Math.Min(cost.Efficiency, eff);
    }

    /// <summary>Lane overhead of a vector op: the innermost dimension fills the vector unit in whole groups of lanes.</summary>
    private static double Lanes(OpWork w, CostParameters p) =>
        p.VectorLanes <= 1 || w.Innermost <= 0 ? 1 : (double)CostModel.RoundUp(w.Innermost, p.VectorLanes) / w.Innermost;

    /// <summary>Bytes of a side (inputs or outputs) that go through DRAM: all of it when its largest tensor does not fit on chip.</summary>
    private long Spilled(long bytes, long largestTensor)
    {
        var onChip = Model.Parameters.OnChipBytes;
        return onChip == 0 || largestTensor > onChip ? bytes : 0;
    }

    /// <summary>
    /// A CPU op: convolutions at the CPU's MAC rate, transcendental functions at its per-element rate, a detection
    /// post-process per work unit, and everything else (element-wise, moves) at memory speed; never faster than moving its bytes.
    /// </summary>
    private static void AddCpu(ref OpCost cost, OpWork w, Rates k)
    {
        var cpuBytes = w.InBytes + w.OutBytes + w.ParamBytes;
        var tm = cpuBytes / k.CpuBytesPerMs;
        var tc = w.Class switch
        {
            WorkClass.Convolution or WorkClass.Depthwise => Math.Max(w.Macs, w.CpuWork) / k.CpuPerMs,
            WorkClass.PostProcess => w.PostProcessUnits * k.PostProcessMsPerUnit,
            _ when w.Transcendental => w.Elements / k.CpuTranscendentalPerMs,
            _ => 0,
        };
        cost.ComputeMs += tc;
        cost.MemoryMs += tm;
        cost.Ms += Math.Max(tc, tm);
        cost.DramBytes += cpuBytes;
    }

    /// <summary>One op's cost, summed over its works.</summary>
    private struct OpCost(Placement placement)
    {
        public readonly bool OnNpu = placement.OnNpu();
        public double Ms, ComputeMs, MemoryMs, OverheadMs;
        public double Efficiency = 1;
        public long DramBytes, StreamedParamBytes;

        public readonly CostBound Bound =>
            !OnNpu ? CostBound.Cpu : ComputeMs >= MemoryMs && ComputeMs > 0 ? CostBound.Compute : CostBound.Memory;
    }
}
