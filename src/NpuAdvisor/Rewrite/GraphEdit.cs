using NpuAdvisor.Model;

namespace NpuAdvisor.Rewrite;

/// <summary>Edits of the main subgraph shared by the passes, and a snapshot to undo a rejected edit.</summary>
internal static class GraphEdit
{
    public static bool IsGraphOutput(Subgraph sg, Tensor t) => sg.Outputs.Contains(t);

    public static bool IsGraphInput(Subgraph sg, Tensor t) => sg.Inputs.Contains(t);

    /// <summary>The tensor's only reader when it has exactly one consumer (counting repeated uses by that op once) and is not a graph output.</summary>
    public static Operator? SoleConsumer(Subgraph sg, Tensor t)
    {
        if (IsGraphOutput(sg, t)) return null;
        var consumers = t.Consumers.Distinct().ToList();
        return consumers.Count == 1 ? consumers[0] : null;
    }

    /// <summary>Makes every op of the subgraph read <paramref name="replacement"/> where it read <paramref name="old"/>.</summary>
    public static void ReplaceUses(Subgraph sg, Tensor old, Tensor replacement)
    {
        foreach (var op in sg.Operators)
            if (op.Inputs.Contains(old))
                op.Inputs = op.Inputs.Select(t => ReferenceEquals(t, old) ? replacement : t).ToArray();
    }

    /// <summary>Removes the ops, then every tensor among <paramref name="maybeOrphans"/> nothing reads or writes any more.</summary>
    public static void Remove(Graph graph, IEnumerable<Operator> ops, IEnumerable<Tensor?> maybeOrphans)
    {
        var sg = graph.Main;
        foreach (var op in ops) sg.Operators.Remove(op);
        var used = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var op in sg.Operators)
        {
            foreach (var t in op.Inputs) if (t is not null) used.Add(t);
            foreach (var t in op.Outputs) used.Add(t);
            foreach (var t in op.Intermediates) used.Add(t);
        }
        foreach (var t in sg.Inputs) used.Add(t);
        foreach (var t in sg.Outputs) used.Add(t);
        foreach (var t in maybeOrphans.OfType<Tensor>().Distinct())
            if (!used.Contains(t)) RemoveTensor(graph, t);
        sg.Link();
    }

    /// <summary>Drops a tensor of the main subgraph and renumbers the signature entries that point past it.</summary>
    private static void RemoveTensor(Graph graph, Tensor t)
    {
        var sg = graph.Main;
        var index = sg.Tensors.IndexOf(t);
        if (index < 0) return;
        sg.Tensors.RemoveAt(index);
        for (var i = 0; i < graph.Signatures.Count; i++)
        {
            var s = graph.Signatures[i];
            if (s.SubgraphIndex != 0) continue;
            graph.Signatures[i] = s with { Inputs = Shift(s.Inputs, index), Outputs = Shift(s.Outputs, index) };
        }
    }

    private static List<(string Name, int Tensor)> Shift(IReadOnlyList<(string Name, int Tensor)> entries, int removed) =>
        entries.Select(e => (e.Name, e.Tensor > removed ? e.Tensor - 1 : e.Tensor)).ToList();
}

/// <summary>Everything a pass may change in the main subgraph, captured so a rejected edit can be undone exactly.</summary>
internal sealed class GraphSnapshot
{
    private readonly Graph _graph;
    private readonly List<Operator> _ops;
    private readonly List<Tensor> _tensors;
    private readonly List<SignatureDef> _signatures;
    private readonly List<(Operator Op, OpKind Kind, IReadOnlyList<Tensor?> Inputs, IReadOnlyList<Tensor> Outputs, OpAttributes? Attributes, string Name)> _opState;
    private readonly List<(Tensor T, ReadOnlyMemory<byte> Data, bool IsConstant, Shape Shape, DataType Type, Quantization Q)> _tensorState;

    public GraphSnapshot(Graph graph)
    {
        _graph = graph;
        var sg = graph.Main;
        _ops = [.. sg.Operators];
        _tensors = [.. sg.Tensors];
        _signatures = [.. graph.Signatures];
        _opState = sg.Operators.Select(o => (o, o.Kind, o.Inputs, o.Outputs, o.Attributes, o.Name)).ToList();
        _tensorState = sg.Tensors.Select(t => (t, t.Data, t.IsConstant, t.Shape, t.Type, t.Quantization)).ToList();
    }

    public void Restore()
    {
        var sg = _graph.Main;
        sg.Operators.Clear();
        sg.Operators.AddRange(_ops);
        sg.Tensors.Clear();
        sg.Tensors.AddRange(_tensors);
        _graph.Signatures.Clear();
        _graph.Signatures.AddRange(_signatures);
        foreach (var s in _opState)
        {
            s.Op.Kind = s.Kind;
            s.Op.Inputs = s.Inputs;
            s.Op.Outputs = s.Outputs;
            s.Op.Attributes = s.Attributes;
            s.Op.Name = s.Name;
        }
        foreach (var s in _tensorState)
        {
            if (!s.T.Data.Equals(s.Data)) s.T.Data = s.Data;
            s.T.IsConstant = s.IsConstant;
            s.T.Shape = s.Shape;
            s.T.Type = s.Type;
            s.T.Quantization = s.Q;
        }
        sg.Link();
    }
}
