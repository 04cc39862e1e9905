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
                results.Add(new OpResult { Op = op, Macs = op.Macs(graph.Layout) });

        var result = new TargetResult { Target = target, Graph = graph, Options = options, Ops = results };
        foreach (var r in results)
        {
            checkOperator(new OpContext(graph, r.Op, r, options));
            if (r.Findings.Any(f => f.Kind == RuleKind.Unsupported)) r.Placement = Placement.Cpu;
        }
        partition(result);
        result.Segments = Segments.Compute(result);
        checkModel(result);
        return result;
    }
}

public static class Segments
{
    /// <summary>Splits the main subgraph, in topological order, into runs of NPU and non-NPU ops with the bytes crossing into and out of each.</summary>
    public static IReadOnlyList<Segment> Compute(TargetResult result)
    {
        var order = result.Graph.Main.TopologicalOrder();
        var segments = new List<Segment>();
        var segmentOf = new Dictionary<Operator, int>();
        var current = new List<Operator>();
        bool? side = null;
        foreach (var op in order)
        {
            var onNpu = result[op].Placement.OnNpu();
            if (side is { } s && s != onNpu)
            {
                Close();
            }
            side = onNpu;
            current.Add(op);
            segmentOf[op] = segments.Count;
        }
        if (current.Count > 0) Close();
        return segments.Select(s => s with { BytesIn = Crossing(s, true), BytesOut = Crossing(s, false) }).ToList();

        void Close()
        {
            segments.Add(new Segment(segments.Count, side!.Value, current.ToList(), 0, 0));
            current.Clear();
        }

        long Crossing(Segment s, bool inbound)
        {
            // Tensors read from (or written to) ops of the other side; graph inputs/outputs do not cross.
            var seen = new HashSet<Tensor>();
            long bytes = 0;
            foreach (var op in s.Ops)
            {
                var tensors = inbound ? op.Inputs.Where(t => t is { IsConstant: false }).Select(t => t!) : op.Outputs;
                foreach (var t in tensors)
                {
                    var crosses = inbound
                        ? t.Producer is { } p && segmentOf.TryGetValue(p, out var ps) && segments[ps].OnNpu != s.OnNpu
                        : t.Consumers.Any(c => segmentOf.TryGetValue(c, out var cs) && segments[cs].OnNpu != s.OnNpu);
                    if (crosses && seen.Add(t)) bytes += t.ByteSize ?? 0;
                }
            }
            return bytes;
        }
    }
}
