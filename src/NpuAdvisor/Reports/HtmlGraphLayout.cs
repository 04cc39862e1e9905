using NpuAdvisor.Model;

namespace NpuAdvisor.Reports;

/// <summary>
/// Layered top-down layout of a subgraph for the HTML report: one node per operator plus one per graph
/// input and output; constant tensors are not nodes. Layers by longest path, long edges routed through
/// virtual points, crossings reduced by barycentre sweeps, x placed by neighbour medians with spacing.
/// </summary>
internal sealed class HtmlGraphLayout
{
    /// <summary>Most virtual points all edges together may pass through (see the routing loop).</summary>
    public const int RoutedPointBudget = 200_000;

    public const double NodeWidth = 168, NodeHeight = 38, IoWidth = 120, LayerGap = 78, NodeGap = 26, VirtualGap = 14, Margin = 40;

    public enum NodeKind { Op, Input, Output }

    public sealed class Node(NodeKind kind, int index, double width)
    {
        public NodeKind Kind { get; } = kind;
        /// <summary>Operator index, or the position in the subgraph's Inputs/Outputs for I/O nodes; -1 for virtual points.</summary>
        public int Index { get; } = index;
        public double Width { get; } = width;
        public int Layer { get; set; }
        public double X { get; set; }
        public double Y { get; set; }
        internal double Order { get; set; }
        internal List<Node> Up { get; } = [];
        internal List<Node> Down { get; } = [];
        /// <summary>For a virtual point: the real nodes its long edge runs from and to.</summary>
        internal Node? ChainFrom { get; set; }
        internal Node? ChainTo { get; set; }
        public bool IsVirtual => Index < 0;
    }

    /// <summary>An edge carrying one tensor, as the points it passes through (source bottom, virtual points, target top).</summary>
    public sealed record Edge(Node From, Node To, Tensor Tensor, IReadOnlyList<(double X, double Y)> Points);

    public IReadOnlyList<Node> Ops { get; }
    public IReadOnlyList<Node> Inputs { get; }
    public IReadOnlyList<Node> Outputs { get; }
    public IReadOnlyList<Edge> Edges { get; }
    public double Width { get; }
    public double Height { get; }

    private HtmlGraphLayout(IReadOnlyList<Node> ops, IReadOnlyList<Node> inputs, IReadOnlyList<Node> outputs, IReadOnlyList<Edge> edges, double width, double height)
    {
        Ops = ops; Inputs = inputs; Outputs = outputs; Edges = edges; Width = width; Height = height;
    }

    public static HtmlGraphLayout Of(Subgraph sg)
    {
        var ops = sg.Operators.Select(o => new Node(NodeKind.Op, o.Index, NodeWidth)).ToList();
        var inputs = new List<Node>();
        var inputNodeOf = new Dictionary<Tensor, Node>();
        foreach (var t in sg.Inputs)
        {
            if (t.IsConstant || inputNodeOf.ContainsKey(t)) continue;
            var n = new Node(NodeKind.Input, inputs.Count, IoWidth);
            inputs.Add(n);
            inputNodeOf[t] = n;
        }
        var outputs = sg.Outputs.Distinct().Select((_, i) => new Node(NodeKind.Output, i, IoWidth)).ToList();
        var outputTensors = sg.Outputs.Distinct().ToList();
        var position = new Dictionary<Operator, int>();
        for (var i = 0; i < sg.Operators.Count; i++) position[sg.Operators[i]] = i;

        // Logical edges: tensor from producer (op or graph input) to consumer (op or graph output).
        var logical = new List<(Node From, Node To, Tensor T)>();
        foreach (var op in sg.Operators)
        {
            var seen = new HashSet<Tensor>();
            foreach (var t in op.Inputs)
            {
                if (t is null || t.IsConstant || !seen.Add(t)) continue;
                Node? from = t.Producer is { } p && position.TryGetValue(p, out var pi) && p != op ? ops[pi]
                    : inputNodeOf.GetValueOrDefault(t);
                if (from is not null) logical.Add((from, ops[position[op]], t));
            }
        }
        for (var i = 0; i < outputTensors.Count; i++)
        {
            var t = outputTensors[i];
            Node? from = t.Producer is { } p && position.TryGetValue(p, out var pi) ? ops[pi] : inputNodeOf.GetValueOrDefault(t);
            if (from is not null) logical.Add((from, outputs[i], t));
        }

        // Longest-path layers in topological order.
        foreach (var n in inputs) n.Layer = 0;
        var firstOpLayer = inputs.Count > 0 ? 1 : 0;
        var incoming = logical.ToLookup(e => e.To);
        foreach (var op in sg.TopologicalOrder())
        {
            var n = ops[position[op]];
            n.Layer = incoming[n].Select(e => e.From.Layer + 1).DefaultIfEmpty(firstOpLayer).Max();
        }
        foreach (var n in outputs) n.Layer = incoming[n].Select(e => e.From.Layer + 1).DefaultIfEmpty(firstOpLayer).Max();

        var layerCount = ops.Concat(inputs).Concat(outputs).Select(n => n.Layer).DefaultIfEmpty(-1).Max() + 1;
        var layers = Enumerable.Range(0, layerCount).Select(_ => new List<Node>()).ToArray();
        foreach (var n in inputs.Concat(ops.OrderBy(o => o.Index)).Concat(outputs)) layers[n.Layer].Add(n);

        // Long edges run through virtual points, one per layer crossed; the consumers of one tensor share a chain.
        // Shortest edges are routed first, and routing stops at a budget of points, so a model built to fan one
        // tensor out across thousands of layers cannot make the layout or the page quadratic: the rest are drawn direct.
        var chainOf = new Dictionary<(Node, Tensor), List<Node>>();
        var routed = 0;
        var chains = new List<(Node From, Node To, Tensor T, List<Node> Via)>();
        foreach (var (from, to, t) in logical.OrderBy(e => e.To.Layer - e.From.Layer))
        {
            var span = to.Layer - from.Layer - 1;
            if (span > 0 && routed + span > RoutedPointBudget)
            {
                chains.Add((from, to, t, []));
                continue;
            }
            if (span <= 0)
            {
                Link(from, to);
                chains.Add((from, to, t, []));
                continue;
            }
            routed += span;
            if (!chainOf.TryGetValue((from, t), out var chain)) chainOf[(from, t)] = chain = [];
            while (chain.Count < span)
            {
                var v = new Node(NodeKind.Op, -1, 0) { Layer = from.Layer + 1 + chain.Count, ChainFrom = from, ChainTo = to };
                layers[v.Layer].Add(v);
                Link(chain.Count == 0 ? from : chain[^1], v);
                chain.Add(v);
            }
            Link(chain[span - 1], to);
            chains.Add((from, to, t, chain.GetRange(0, span)));
        }

        OrderLayers(layers);
        PlaceX(layers);

        foreach (var layer in layers)
            foreach (var n in layer)
                n.Y = Margin + n.Layer * LayerGap;
        var minX = layers.SelectMany(l => l).Select(n => n.X - n.Width / 2).DefaultIfEmpty(0).Min();
        foreach (var n in layers.SelectMany(l => l)) n.X += Margin - minX;
        var width = layers.SelectMany(l => l).Select(n => n.X + n.Width / 2).DefaultIfEmpty(0).Max() + Margin;
        var height = Margin * 2 + Math.Max(0, layerCount - 1) * LayerGap + NodeHeight;

        var edges = chains.Select(c =>
        {
            var points = new List<(double, double)> { (c.From.X, c.From.Y + NodeHeight / 2) };
            points.AddRange(c.Via.Select(v => (v.X, v.Y)));
            points.Add((c.To.X, c.To.Y - NodeHeight / 2));
            return new Edge(c.From, c.To, c.T, points);
        }).ToList();
        return new HtmlGraphLayout(ops, inputs, outputs, edges, width, height);

        static void Link(Node a, Node b) { a.Down.Add(b); b.Up.Add(a); }
    }

    private static void OrderLayers(List<Node>[] layers)
    {
        foreach (var layer in layers) Renumber(layer);
        for (var sweep = 0; sweep < 6; sweep++)
        {
            var down = sweep % 2 == 0;
            if (down)
                for (var l = 1; l < layers.Length; l++) Sort(layers[l], n => n.Up);
            else
                for (var l = layers.Length - 2; l >= 0; l--) Sort(layers[l], n => n.Down);
        }

        static void Sort(List<Node> layer, Func<Node, List<Node>> neighbours)
        {
            var keyed = layer.Select(n =>
            {
                var ns = neighbours(n);
                return (Node: n, Key: ns.Count == 0 ? n.Order : ns.Average(m => m.Order));
            }).ToList();
            // Stable sort keeps the previous order among ties.
            var sorted = keyed.Select((k, i) => (k, i)).OrderBy(p => p.k.Key).ThenBy(p => p.i).Select(p => p.k.Node).ToList();
            layer.Clear();
            layer.AddRange(sorted);
            Renumber(layer);
        }

        static void Renumber(List<Node> layer)
        {
            for (var i = 0; i < layer.Count; i++) layer[i].Order = i;
        }
    }

    private static double Gap(Node a, Node b) => a.Width / 2 + b.Width / 2 + (a.IsVirtual || b.IsVirtual ? VirtualGap : NodeGap);

    private static void PlaceX(List<Node>[] layers)
    {
        foreach (var layer in layers)
        {
            double x = 0;
            for (var i = 0; i < layer.Count; i++)
            {
                if (i > 0) x += Gap(layer[i - 1], layer[i]);
                layer[i].X = x;
            }
        }
        for (var pass = 0; pass < 8; pass++)
        {
            var down = pass % 2 == 0;
            if (down)
                for (var l = 1; l < layers.Length; l++) Align(layers[l], n => n.Up, true);
            else
                for (var l = layers.Length - 2; l >= 0; l--) Align(layers[l], n => n.Down, false);
        }

        // Each node moves toward the median of its neighbours, then spacing is restored from both sides and averaged.
        static void Align(List<Node> layer, Func<Node, List<Node>> neighbours, bool down)
        {
            if (layer.Count == 0) return;
            var desired = layer.Select(n =>
            {
                // A real node lines up with the real node at the far end of a long edge, not with the edge's bend,
                // so skip connections route around chains instead of pulling them sideways.
                var xs = neighbours(n).Select(m => n.IsVirtual || !m.IsVirtual ? m.X : (down ? m.ChainFrom! : m.ChainTo!).X).Order().ToList();
                return xs.Count == 0 ? n.X : xs.Count % 2 == 1 ? xs[xs.Count / 2] : (xs[xs.Count / 2 - 1] + xs[xs.Count / 2]) / 2;
            }).ToArray();
            var left = new double[layer.Count];
            var right = new double[layer.Count];
            for (var i = 0; i < layer.Count; i++)
                left[i] = i == 0 ? desired[i] : Math.Max(desired[i], left[i - 1] + Gap(layer[i - 1], layer[i]));
            for (var i = layer.Count - 1; i >= 0; i--)
                right[i] = i == layer.Count - 1 ? desired[i] : Math.Min(desired[i], right[i + 1] - Gap(layer[i], layer[i + 1]));
            for (var i = 0; i < layer.Count; i++)
            {
                var x = (left[i] + right[i]) / 2;
                layer[i].X = i == 0 ? x : Math.Max(x, layer[i - 1].X + Gap(layer[i - 1], layer[i]));
            }
            // Spreading siblings apart leaves the layer off-centre when bends share it; shifting the whole layer
            // so real nodes sit on average where they want keeps chains from drifting sideways layer by layer.
            var pulled = Enumerable.Range(0, layer.Count).Where(i => !layer[i].IsVirtual && neighbours(layer[i]).Count > 0).ToList();
            if (pulled.Count > 0)
            {
                var shift = pulled.Average(i => desired[i] - layer[i].X);
                foreach (var n in layer) n.X += shift;
            }
        }
    }
}
