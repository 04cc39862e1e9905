using NpuAdvisor.Model;
using NpuAdvisor.Targets;

namespace NpuAdvisor.Analysis;

/// <summary>Runs a target's checks over a graph: per-op findings → placement → partition pass → segments → model checks.</summary>
internal static class PlacementEngine
{
    public static TargetResult Run(Target target, Graph graph, TargetOptions options,
        Action<OpContext> checkOperator, Action<TargetResult> partition, Action<TargetResult> checkModel)
    {
        var results = new List<OpResult>();
        foreach (var sg in graph.Subgraphs)
            foreach (var op in sg.Operators)
                results.Add(new OpResult { Op = op, Macs = op.Macs(graph.Layout), Position = results.Count });

        var result = new TargetResult { Target = target, Graph = graph, Options = options, Ops = results };
        foreach (var r in results)
        {
            checkOperator(new OpContext(graph, r.Op, r, options));
            r.OperatorFindings = r.Findings.Count;
            if (r.Findings.Any(f => f.Kind == RuleKind.Unsupported)) r.Placement = Placement.Cpu;
        }
        partition(result);
        result.PrepareTimeOps = Segments.PrepareTimeOps(graph.Main.Operators);
        result.Segments = Segments.Compute(result);
        checkModel(result);
        return result;
    }

    /// <summary>
    /// The placement the analysis would reach with the <paramref name="resolved"/> findings gone: each op's own
    /// remaining findings decide its side, then the partition pass runs again. Segments and model checks are not redone.
    /// </summary>
    public static TargetResult Replay(TargetResult original, Func<Finding, bool> resolved, Action<TargetResult> partition)
    {
        var results = new List<OpResult>(original.Ops.Count);
        foreach (var o in original.Ops)
        {
            var r = new OpResult { Op = o.Op, Macs = o.Macs, Position = o.Position };
            for (var i = 0; i < o.OperatorFindings; i++)
                if (!resolved(o.Findings[i])) r.Findings.Add(o.Findings[i]);
            r.OperatorFindings = r.Findings.Count;
            if (r.Findings.Any(f => f.Kind == RuleKind.Unsupported)) r.Placement = Placement.Cpu;
            results.Add(r);
        }
        var replay = new TargetResult { Target = original.Target, Graph = original.Graph, Options = original.Options, Ops = results };
        partition(replay);
        return replay;
    }
}

/// <summary>
/// Partitions the main subgraph into NPU and CPU segments the way TFLite's delegate partitioner does:
/// grow a subset from every op of the current side whose producers are done, switch side when none is
/// left, repeat. Independent branches therefore join one segment whatever their order in the file, and
/// ops whose inputs are all constant (DEQUANTIZE/DENSIFY of weights) are left out: the runtime folds
/// them once when the model is prepared, so they cut no partition.
/// </summary>
public static class Segments
{
    public static IReadOnlyList<Segment> Compute(TargetResult result)
    {
        var ops = result.Graph.Main.Operators;
        var constant = result.PrepareTimeOps;
        var index = new Dictionary<Operator, int>(ops.Count);
        for (var i = 0; i < ops.Count; i++) index[ops[i]] = i;

        var pending = new int[ops.Count];
        var live = 0;
        for (var i = 0; i < ops.Count; i++)
        {
            if (constant.Contains(ops[i])) continue;
            live++;
            pending[i] = Producers(ops[i]).Count();
        }
        var ready = new[] { new SortedSet<int>(), new SortedSet<int>() }; // [0] NPU side, [1] CPU side
        for (var i = 0; i < ops.Count; i++)
            if (!constant.Contains(ops[i]) && pending[i] == 0) ready[Side(ops[i])].Add(i);

        var segments = new List<(bool OnNpu, List<Operator> Ops)>();
        var segmentOf = new Dictionary<Operator, int>();
        var side = ready[0].Count > 0 && (ready[1].Count == 0 || ready[0].Min < ready[1].Min) ? 0 : 1;
        var placed = 0;
        while (placed < live)
        {
            var members = new List<Operator>();
            while (ready[side].Count > 0)
            {
                var i = ready[side].Min;
                ready[side].Remove(i);
                var op = ops[i];
                members.Add(op);
                segmentOf[op] = segments.Count;
                placed++;
                foreach (var c in Consumers(op))
                    if (--pending[index[c]] == 0) ready[Side(c)].Add(index[c]);
            }
            if (members.Count > 0) segments.Add((side == 0, members));
            else if (ready[1 - side].Count == 0) break; // remaining ops wait on something outside the main subgraph
            side = 1 - side;
        }

        return segments.Select((s, i) => new Segment(i, s.OnNpu, s.Ops, Crossing(s.Ops, s.OnNpu, true), Crossing(s.Ops, s.OnNpu, false))).ToList();

        int Side(Operator op) => result[op].Placement.OnNpu() ? 0 : 1;

        IEnumerable<Operator> Producers(Operator op) => op.Inputs
            .Select(t => t?.Producer).Where(p => p is not null && p != op && index.ContainsKey(p) && !constant.Contains(p)).Distinct()!;

        IEnumerable<Operator> Consumers(Operator op) => op.Outputs
            .SelectMany(t => t.Consumers).Where(c => c != op && index.ContainsKey(c) && !constant.Contains(c)).Distinct();

        // Tensors read from (or written to) ops on the other side; graph inputs/outputs do not cross.
        long Crossing(List<Operator> members, bool onNpu, bool inbound)
        {
            var seen = new HashSet<Tensor>();
            long bytes = 0;
            foreach (var op in members)
            {
                var tensors = inbound ? op.Inputs.Where(t => t is { IsConstant: false }).Select(t => t!) : op.Outputs;
                foreach (var t in tensors)
                {
                    var crosses = inbound
                        ? t.Producer is { } p && segmentOf.TryGetValue(p, out var ps) && segments[ps].OnNpu != onNpu
                        : t.Consumers.Any(c => segmentOf.TryGetValue(c, out var cs) && segments[cs].OnNpu != onNpu);
                    if (crosses && seen.Add(t)) bytes += t.ByteSize ?? 0;
                }
            }
            return bytes;
        }
    }

    /// <summary>Ops computed only from constants (directly or through other such ops): folded at prepare time.</summary>
    public static HashSet<Operator> PrepareTimeOps(IReadOnlyList<Operator> ops)
    {
        var folded = new HashSet<Operator>();
        foreach (var op in ops) // stored order is topological in valid files; a later pass catches the rest
            if (op.Inputs.Count > 0 && op.Inputs.All(t => t is null || t.IsConstant || (t.Producer is { } p && folded.Contains(p))))
                folded.Add(op);
        return folded;
    }
}
