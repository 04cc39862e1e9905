namespace NpuAdvisor.Model;

/// <summary>A subgraph: tensors, operators, inputs and outputs. Subgraph 0 of a graph is the main one.</summary>
public sealed class Subgraph
{
    public required int Index { get; init; }
    public string Name { get; set; } = "";
    public List<Tensor> Tensors { get; } = [];
    public List<Operator> Operators { get; } = [];
    public List<Tensor> Inputs { get; } = [];
    public List<Tensor> Outputs { get; } = [];

    /// <summary>Recomputes producers and consumers from the operators' inputs and outputs.</summary>
    public void Link()
    {
        _order = null;
        foreach (var t in Tensors) t.ClearLinks();
        foreach (var op in Operators)
        {
            foreach (var t in op.Inputs)
                t?.AddConsumer(op);
            foreach (var t in op.Outputs)
                t.Producer ??= op;
        }
    }

    /// <summary>
    /// Operators ordered so every producer precedes its consumers; ties keep file order.
    /// Throws <see cref="ModelFormatException"/> when the operators form a cycle.
    /// </summary>
    public IReadOnlyList<Operator> TopologicalOrder()
    {
        // Every analysis pass walks this order; cache it until the graph is re-linked or its op list changes.
        if (_order is { } cached && cached.Count == Operators.Count) return cached;
        return _order = ComputeTopologicalOrder();
    }

    private IReadOnlyList<Operator>? _order;

    private IReadOnlyList<Operator> ComputeTopologicalOrder()
    {
        var n = Operators.Count;
        var pending = new int[n];
        var position = new Dictionary<Operator, int>(n);
        for (var i = 0; i < n; i++) position[Operators[i]] = i;
        for (var i = 0; i < n; i++)
        {
            var seen = new HashSet<Operator>();
            foreach (var t in Operators[i].Inputs)
                if (t?.Producer is { } p && p != Operators[i] && position.ContainsKey(p) && seen.Add(p))
                    pending[i]++;
        }
        var ready = new PriorityQueue<Operator, int>();
        for (var i = 0; i < n; i++) if (pending[i] == 0) ready.Enqueue(Operators[i], i);
        var order = new List<Operator>(n);
        while (ready.TryDequeue(out var op, out _))
        {
            order.Add(op);
            var released = new HashSet<Operator>();
            foreach (var t in op.Outputs)
                foreach (var c in t.Consumers)
                    if (c != op && released.Add(c) && --pending[position[c]] == 0)
                        ready.Enqueue(c, position[c]);
        }
        if (order.Count != n)
        {
            var stuck = Operators.First(o => pending[position[o]] > 0);
            throw new ModelFormatException($"operators form a cycle through '{stuck.Name}'", $"subgraph {Index} operator {stuck.Index}");
        }
        return order;
    }
}
