using System.Collections.Immutable;
using System.Globalization;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>
/// Builds the IR from a decoded ModelProto. Each ONNX graph (the main one and every If/Loop/Scan body)
/// becomes a Subgraph. Constant nodes become constant tensors, not operators (like initializers and like
/// TFLite buffers); their number is kept in Properties["constant_nodes"]. A body that reads a value of an
/// enclosing graph gets a local copy of that tensor, and the control-flow operator lists the outer tensor
/// as an extra input after its own so ordering and liveness see the dependency.
/// </summary>
internal sealed class OnnxModelReader
{
    private readonly ModelProto _model;
    private readonly string _path;
    private readonly string? _dir;
    private readonly long _fileSize;
    private readonly OnnxImportOptions _options;
    private List<Subgraph> _subgraphs = null!;
    internal Dictionary<string, long> Opsets { get; } = new(StringComparer.Ordinal);
    internal long AiOnnxOpset { get; private set; }
    internal int ConstantNodes { get; private set; }
    private int _nodesAll;

    public OnnxModelReader(ModelProto model, string path, long fileSize, OnnxImportOptions options)
    {
        _model = model;
        _path = path;
        _dir = string.IsNullOrEmpty(path) ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        _fileSize = fileSize;
        _options = options;
    }

    public Graph Read()
    {
        if (_model.Graph is null) throw new ModelFormatException("model has no graph", "ModelProto.graph");
        for (var i = 0; i < _model.OpsetImport.Count; i++)
        {
            var o = _model.OpsetImport[i];
            var domain = o.Domain is "" or "ai.onnx" ? "ai.onnx" : o.Domain;
            if (!Opsets.TryAdd(domain, o.Version))
                throw new ModelFormatException($"opset for domain '{domain}' imported twice", $"ModelProto.opset_import[{i}]");
        }
        // IR version 3+ requires opset_import; older files implicitly used opset 1.
        AiOnnxOpset = Opsets.GetValueOrDefault("ai.onnx", _model.OpsetImport.Count == 0 ? 1 : 0);

        var graph = new Graph
        {
            Format = "onnx",
            Path = _path,
            FileSize = _fileSize,
            Description = _model.DocString,
            Version = _model.IrVersion,
            Layout = TensorLayout.Nchw,
            PrescribedIndexType = DataType.Int64,
        };
        _subgraphs = graph.Subgraphs;
        var producer = (_model.ProducerName + " " + _model.ProducerVersion).Trim();
        graph.Properties["producer"] = producer;
        graph.Properties["opsets"] = string.Join(", ", Opsets.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"));
        graph.Properties["graph_name"] = _model.Graph.Name;
        graph.Properties["ir_version"] = _model.IrVersion.ToString(CultureInfo.InvariantCulture);
        if (_model.Domain.Length > 0) graph.Properties["domain"] = _model.Domain;
        if (_model.ModelVersion != 0) graph.Properties["model_version"] = _model.ModelVersion.ToString(CultureInfo.InvariantCulture);
        foreach (var kv in _model.MetadataProps)
            graph.Metadata.Add(new MetadataEntry(kv.Key, System.Text.Encoding.UTF8.GetBytes(kv.Value)));

        var main = ReadGraph(_model.Graph, "ModelProto.graph", null, isMain: true);
        var topNodes = _model.Graph.Node.Count;
        graph.Properties["nodes"] = topNodes.ToString(CultureInfo.InvariantCulture);
        graph.Properties["nodes_incl_subgraphs"] = _nodesAll.ToString(CultureInfo.InvariantCulture);
        graph.Properties["constant_nodes"] = ConstantNodes.ToString(CultureInfo.InvariantCulture);
        graph.Properties["initializers"] = _model.Graph.Initializer.Count.ToString(CultureInfo.InvariantCulture);

        new OnnxShapeInference(this, graph).InferSubgraph(main);
        var nodes = new Dictionary<Operator, NodeInfo>();
        var scopes = new Stack<GraphScope>([main]);
        while (scopes.TryPop(out var scope))
        {
            foreach (var (op, info) in scope.Nodes) nodes[op] = info;
            foreach (var body in scope.Bodies) scopes.Push(body);
        }
        OnnxQuantization.Annotate(graph, nodes);
        if (!_options.KeepQdqNodes)
        {
            OnnxQuantization.DropAppliedParameters(graph);
            OnnxQdqUnits.Fold(graph);
        }
        SubgraphCalls.Check(graph);
        SizeLimits.Check(graph);
        return graph;
    }

    /// <summary>Reads one graph into a new subgraph. Shapes are inferred afterwards (bodies when their owner is).</summary>
    internal GraphScope ReadGraph(GraphProto g, string field, GraphScope? outer, bool isMain)
    {
        var sg = new Subgraph { Index = _subgraphs.Count, Name = g.Name };
        _subgraphs.Add(sg);
        var scope = new GraphScope(sg, outer);
        if (outer is not null) outer.Bodies.Add(scope);
        _nodesAll += g.Node.Count;

        for (var i = 0; i < g.Initializer.Count; i++)
        {
            var init = g.Initializer[i];
            var f = $"{field}.initializer[{i}]";
            var t = ConstantTensor(scope, init, init.Name, f);
            scope.Define(init.Name, t, f);
        }
        for (var i = 0; i < g.SparseInitializer.Count; i++)
        {
            var sp = g.SparseInitializer[i];
            var f = $"{field}.sparse_initializer[{i}]";
            var name = sp.Values?.Name ?? "";
            scope.Define(name, SparseTensor(scope, sp, name, f), f);
        }

        for (var i = 0; i < g.Input.Count; i++)
        {
            var vi = g.Input[i];
            var f = $"{field}.input[{i}]";
            if (scope.Local(vi.Name) is { } existing)
            {
                // Before IR 4 initializers were also listed as inputs: they stay constants, not inputs.
                if (existing.IsConstant) continue;
                throw new ModelFormatException($"graph input '{vi.Name}' is declared twice", f);
            }
            Tensor t;
            if (isMain && _options.InputValues is { } values && values.TryGetValue(vi.Name, out var bound))
            {
                var proto = OnnxImporter.Parse(TensorProto.Parser, bound, $"bound value of input '{vi.Name}'");
                t = ConstantTensor(scope, proto, vi.Name, $"bound value of input '{vi.Name}'");
            }
            else
            {
                var (type, shape) = DeclaredType(vi, f);
                if (isMain && _options.InputShapes is { } shapes && shapes.TryGetValue(vi.Name, out var fixedDims))
                    shape = new Shape(ImmutableArray.Create(fixedDims));
                t = scope.NewTensor(vi.Name, type, shape);
                t.ShapeSignature = shape;
                sg.Inputs.Add(t);
            }
            scope.Define(vi.Name, t, f);
        }

        // Pass 1: every value a node produces exists before any input is resolved (nodes may be out of order).
        var pending = new List<(NodeProto Node, string Field)>();
        for (var i = 0; i < g.Node.Count; i++)
        {
            var node = g.Node[i];
            var f = $"{field}.node[{i}]";
            if (node.OpType == "Constant" && IsAiOnnx(node.Domain))
            {
                if (node.Output.Count != 1) throw new ModelFormatException($"Constant node has {node.Output.Count} outputs", f);
                var t = ConstantNode(scope, node, f);
                scope.Define(node.Output[0], t, f);
                if (isMain) ConstantNodes++; // MANIFEST counts the main graph's Constant nodes
                continue;
            }
            for (var o = 0; o < node.Output.Count; o++)
            {
                var name = node.Output[o];
                if (name.Length == 0) continue;
                scope.Define(name, scope.NewTensor(name, DataType.Unknown, Shape.UnknownRank), $"{f}.output[{o}]");
            }
            pending.Add((node, f));
        }

        foreach (var vi in g.ValueInfo) scope.Declared.TryAdd(vi.Name, vi);
        foreach (var vi in g.Output) scope.Declared.TryAdd(vi.Name, vi);

        // Pass 2: operators, with bodies read as further subgraphs.
        var ops = new List<Operator>(pending.Count);
        foreach (var (node, f) in pending)
            ops.Add(CreateOperator(scope, node, f, ops.Count));

        for (var i = 0; i < g.Output.Count; i++)
        {
            var name = g.Output[i].Name;
            var t = scope.Resolve(name) ?? throw new ModelFormatException($"graph output '{name}' is not produced by any node, initializer or input", $"{field}.output[{i}]");
            sg.Outputs.Add(t);
        }

        sg.Operators.AddRange(ops);
        sg.Link();
        var order = sg.TopologicalOrder();
        if (!order.SequenceEqual(sg.Operators))
        {
            // Keep the IR's promise that list order is an execution order: renumber in topological order.
            var renumbered = order.Select((op, i) => Renumber(op, i, scope)).ToList();
            sg.Operators.Clear();
            sg.Operators.AddRange(renumbered);
            sg.Link();
        }
        return scope;
    }

    private static Operator Renumber(Operator op, int index, GraphScope scope)
    {
        var copy = op.With(index, op.Inputs, op.Outputs, op.Attributes);
        scope.Nodes[copy] = scope.Nodes[op];
        scope.Nodes.Remove(op);
        return copy;
    }

    private Operator CreateOperator(GraphScope scope, NodeProto node, string field, int index)
    {
        var inputs = new List<Tensor?>(node.Input.Count);
        for (var i = 0; i < node.Input.Count; i++)
        {
            var name = node.Input[i];
            if (name.Length == 0) { inputs.Add(null); continue; }
            inputs.Add(scope.Resolve(name) ?? throw new ModelFormatException(
                $"input '{name}' of {node.OpType} node '{node.Name}' is not produced by any node, initializer or graph input", $"{field}.input[{i}]"));
        }
        var outputs = new List<Tensor>(node.Output.Count);
        for (var i = 0; i < node.Output.Count; i++)
        {
            var name = node.Output[i];
            // An omitted optional output still needs a slot so output positions keep their meaning.
            outputs.Add(name.Length > 0 ? scope.Local(name)! : scope.NewTensor($"{node.Name}:unused{i}", DataType.Unknown, Shape.UnknownRank));
        }

        var domain = IsAiOnnx(node.Domain) ? "ai.onnx" : node.Domain;
        var opset = domain == "ai.onnx" ? AiOnnxOpset : Opsets.GetValueOrDefault(domain);
        if (domain == "ai.onnx" && opset == 0 && _model.OpsetImport.Count > 0)
            throw new ModelFormatException($"node '{node.Name}' uses domain ai.onnx but the model imports no ai.onnx opset", field);
        var attrs = new OnnxAttributes(node, field);

        OpAttributes? opAttrs = null;
        if (domain == "ai.onnx" && node.OpType is "If" or "Loop" or "Scan")
        {
            var bodies = new List<int>();
            var captures = new List<Tensor>();
            var names = node.OpType == "If" ? new[] { "then_branch", "else_branch" } : new[] { "body" };
            foreach (var attrName in names)
            {
                var body = attrs.Graph(attrName) ?? throw new ModelFormatException($"{node.OpType} node '{node.Name}' has no '{attrName}' graph", $"{field}.attribute[{attrName}]");
                var bodyScope = ReadGraph(body, $"{field}.attribute[{attrName}].g", scope, isMain: false);
                bodies.Add(bodyScope.Subgraph.Index);
                foreach (var c in bodyScope.OuterReads)
                    if (!captures.Contains(c) && !inputs.Contains(c)) captures.Add(c);
            }
            inputs.AddRange(captures);
            opAttrs = new ControlFlowAttributes(bodies);
        }

        var sourceType = domain == "ai.onnx" ? node.OpType : $"{domain}:{node.OpType}";
        var op = new Operator
        {
            Index = index,
            SubgraphIndex = scope.Subgraph.Index,
            Kind = domain == "ai.onnx" ? OnnxOps.InitialKind(node.OpType) : domain == OnnxOps.ContribDomain ? OnnxOps.ContribKind(node.OpType) : OpKind.Unknown,
            SourceType = sourceType,
            Version = (int)Math.Clamp(opset, 1, int.MaxValue),
            Name = node.Name.Length > 0 ? node.Name : node.Output.FirstOrDefault(n => n.Length > 0) ?? node.OpType,
            Inputs = inputs,
            Outputs = outputs,
            Attributes = opAttrs,
        };
        scope.Nodes[op] = new NodeInfo(node, attrs, field, domain, opset);
        return op;
    }

    internal static bool IsAiOnnx(string domain) => domain is "" or "ai.onnx";

    private (DataType Type, Shape Shape) DeclaredType(ValueInfoProto vi, string field)
    {
        var tt = vi.Type?.TensorType;
        if (tt is null) return (DataType.Unknown, Shape.UnknownRank);
        return (OnnxTypes.ToIr(tt.ElemType), ShapeOf(tt.Shape, field));
    }

    internal static Shape ShapeOf(TensorShapeProto? shape, string field)
    {
        if (shape is null) return Shape.UnknownRank;
        var dims = ImmutableArray.CreateBuilder<long>(shape.Dim.Count);
        var names = ImmutableArray.CreateBuilder<string?>(shape.Dim.Count);
        var anyName = false;
        for (var i = 0; i < shape.Dim.Count; i++)
        {
            var d = shape.Dim[i];
            if (d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue)
            {
                if (d.DimValue < 0) throw new ModelFormatException($"negative dimension {d.DimValue}", $"{field}.type.shape.dim[{i}]");
                dims.Add(d.DimValue);
                names.Add(null);
            }
            else
            {
                dims.Add(-1);
                var name = d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : null;
                names.Add(name);
                anyName |= name is not null;
            }
        }
        return new Shape(dims.MoveToImmutable(), false, anyName ? names.MoveToImmutable() : default);
    }

    private Tensor ConstantTensor(GraphScope scope, TensorProto proto, string name, string field)
    {
        if (name.Length == 0) throw new ModelFormatException("constant tensor has no name", field);
        var dims = OnnxTensorData.Dims(proto, field);
        var data = OnnxTensorData.Read(proto, field, _dir);
        var t = scope.NewTensor(name, OnnxTypes.ToIr(proto.DataType), new Shape(ImmutableArray.Create(dims)));
        t.Data = data;
        t.IsConstant = true;
        return t;
    }

    private Tensor SparseTensor(GraphScope scope, SparseTensorProto sp, string name, string field)
    {
        if (name.Length == 0) throw new ModelFormatException("sparse tensor has no name", field);
        var dims = new long[sp.Dims.Count];
        for (var i = 0; i < dims.Length; i++)
            dims[i] = sp.Dims[i] >= 0 ? sp.Dims[i] : throw new ModelFormatException($"negative dimension {sp.Dims[i]}", $"{field}.dims[{i}]");
        OnnxTensorData.ElementCount(dims, field);
        var type = sp.Values is { } values ? OnnxTypes.ToIr(values.DataType) : DataType.Unknown;
        var t = scope.NewTensor(name, type, new Shape(ImmutableArray.Create(dims)));
        t.IsConstant = true;
        t.Sparsity = new SparsityInfo([], [], ["onnx-coo"]);
        return t;
    }

    private Tensor ConstantNode(GraphScope scope, NodeProto node, string field)
    {
        var attrs = new OnnxAttributes(node, field);
        var name = node.Output[0];
        if (attrs.Tensor("value") is { } tensor) return ConstantTensor(scope, tensor, name, $"{field}.attribute[value].t");
        if (attrs.Get("sparse_value") is { SparseTensor: { } sp }) return SparseTensor(scope, sp, name, $"{field}.attribute[sparse_value]");
        var proto = new TensorProto { Name = name };
        if (attrs.Has("value_float")) { proto.DataType = 1; proto.FloatData.Add(attrs.Float("value_float", 0)); }
        else if (attrs.Floats("value_floats") is { } fs) { proto.DataType = 1; proto.Dims.Add(fs.Length); proto.FloatData.Add(fs); }
        else if (attrs.Has("value_int")) { proto.DataType = 7; proto.Int64Data.Add(attrs.Int("value_int", 0)); }
        else if (attrs.Ints("value_ints") is { } xs) { proto.DataType = 7; proto.Dims.Add(xs.Length); proto.Int64Data.Add(xs); }
        else if (attrs.Has("value_string")) { proto.DataType = 8; }
        else if (attrs.Get("value_strings") is { } ss) { proto.DataType = 8; proto.Dims.Add(ss.Strings.Count); }
        else throw new ModelFormatException($"Constant node '{node.Name}' has no value attribute", field);
        return ConstantTensor(scope, proto, name, field);
    }
}

/// <summary>What the importer keeps about the ONNX node behind an operator.</summary>
internal sealed record NodeInfo(NodeProto Node, OnnxAttributes Attrs, string Field, string Domain, long Opset);

/// <summary>Name → tensor map of one graph, with lookup into the graphs that enclose it.</summary>
internal sealed class GraphScope(Subgraph subgraph, GraphScope? outer)
{
    public Subgraph Subgraph { get; } = subgraph;
    public GraphScope? Outer { get; } = outer;
    private readonly Dictionary<string, Tensor> _names = new(StringComparer.Ordinal);
    public Dictionary<string, ValueInfoProto> Declared { get; } = new(StringComparer.Ordinal);
    public Dictionary<Operator, NodeInfo> Nodes { get; } = [];
    public List<GraphScope> Bodies { get; } = [];

    /// <summary>Local copy → the enclosing graph's tensor it stands for.</summary>
    public Dictionary<Tensor, Tensor> Captured { get; } = [];

    /// <summary>Tensors of the directly enclosing graph this body (or its own bodies) reads.</summary>
    public List<Tensor> OuterReads { get; } = [];

    public Tensor NewTensor(string name, DataType type, Shape shape)
    {
        var t = new Tensor { Index = Subgraph.Tensors.Count, Name = name, Type = type, Shape = shape };
        Subgraph.Tensors.Add(t);
        return t;
    }

    public void Define(string name, Tensor t, string field)
    {
        if (name.Length == 0) throw new ModelFormatException("value has an empty name", field);
        if (!_names.TryAdd(name, t)) throw new ModelFormatException($"value '{name}' is defined more than once", field);
    }

    public Tensor? Local(string name) => _names.GetValueOrDefault(name);

    /// <summary>The tensor a name refers to here, copying it in from an enclosing graph when needed.</summary>
    public Tensor? Resolve(string name)
    {
        if (_names.TryGetValue(name, out var t)) return t;
        if (Outer?.Resolve(name) is not { } outerTensor) return null;
        var copy = NewTensor(name, outerTensor.Type, outerTensor.Shape);
        copy.Data = outerTensor.Data;
        copy.IsConstant = outerTensor.IsConstant;
        _names[name] = copy;
        Captured[copy] = outerTensor;
        if (!outerTensor.IsConstant) OuterReads.Add(outerTensor);
        return copy;
    }
}
