using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>
/// Reads a QDQ graph the way QDQ-aware runtimes and NPU compilers do: each DequantizeLinear(s) → op →
/// QuantizeLinear group becomes one quantized operator whose inputs are the DQ inputs and whose outputs are
/// the Q outputs (integer tensors with their scale, zero point and axis, set by <see cref="OnnxQuantization"/>).
/// A Relu or Clip between the op and its Q is fused into the op when the op can carry a fused activation.
/// Q/DQ nodes no unit consumed (at the model boundary, around an op with no quantized form) stay as
/// Quantize/Dequantize ops; an op whose inputs are not all dequantized stays a float op.
///
/// Which groups count follows ONNX Runtime's QDQ selectors (onnxruntime/core/optimizer/qdq_transformer/
/// selectors_actions/qdq_selectors.cc and shared/utils.cc, rel-1.20): the op type picks the selector; every
/// input the selector names comes from a DQ and no other does; every output has exactly one consumer, a Q,
/// and is not a graph output; data input and output share one integer type; a conv's bias is int32 and an
/// int8 conv has int8 weights; the "drop QDQ" ops (data movement) need equal Q and DQ parameters.
/// </summary>
internal static class OnnxQdqUnits
{
    private enum Selector
    {
        /// <summary>Data-movement ops: one DQ input (the data), one Q per output, equal Q and DQ parameters.</summary>
        DropQdq,
        /// <summary>One DQ input (the data; other inputs are constant parameters), one Q per output.</summary>
        Unary,
        /// <summary>Every input through a DQ, all of one integer type (Add, Mul, Concat…).</summary>
        AllInputs,
        /// <summary>Conv/ConvTranspose/MatMul/Gemm: data and weights through DQ, an optional int32 bias through DQ.</summary>
        Weighted,
    }

    private static Selector? SelectorOf(string opType) => opType switch
    {
        "Expand" or "Flatten" or "Gather" or "GatherElements" or "MaxPool" or "Reshape" or "Resize" or "Squeeze"
            or "Tile" or "Transpose" or "Unsqueeze" or "Split" => Selector.DropQdq,
        // Pad is quantized by ONNX Runtime's QDQ quantizer (a DQ data input, constant pads) and has an int8 kernel in TFLite.
        "Abs" or "AveragePool" or "Ceil" or "Clip" or "DepthToSpace" or "Elu" or "Exp" or "Floor" or "Gelu"
            or "GlobalAveragePool" or "GlobalMaxPool" or "HardSigmoid" or "HardSwish" or "LRN" or "LeakyRelu" or "Log"
            or "LogSoftmax" or "LpNormalization" or "Neg" or "Pad" or "ReduceMax" or "ReduceMean" or "ReduceMin"
            or "ReduceProd" or "ReduceSum" or "Relu" or "Round" or "Sigmoid" or "Sign" or "Slice" or "Softmax"
            or "SpaceToDepth" or "Sqrt" or "Tanh" => Selector.Unary,
        "Add" or "Div" or "Mul" or "Pow" or "Sub" or "PRelu" or "Concat" or "Max" or "Min" => Selector.AllInputs,
        "Conv" or "ConvTranspose" or "MatMul" or "Gemm" => Selector.Weighted,
        _ => null,
    };

    /// <summary>One accepted group: the op, the Relu/Clip fused into it (if any), and its Q nodes in output order.</summary>
    private sealed record Unit(Operator Target, Operator? Clip, FusedActivation Activation, IReadOnlyList<Operator> Quantizes);

    public static void Fold(Graph graph)
    {
        foreach (var sg in graph.Subgraphs) Fold(sg);
    }

    private static void Fold(Subgraph sg)
    {
        sg.Link();
        var outputs = new HashSet<Tensor>(sg.Outputs);
        var units = new Dictionary<Operator, Unit>();
        foreach (var op in sg.Operators)
            if (Select(op, outputs) is { } unit) units[op] = unit;
        if (units.Count == 0) return;

        var dropped = new HashSet<Operator>();
        foreach (var u in units.Values)
        {
            if (u.Clip is not null) dropped.Add(u.Clip);
            dropped.UnionWith(u.Quantizes);
        }
        // A DQ goes when every reader of its output is a unit that took its integer input instead
        // (runtimes give each consumer its own copy of a shared DQ before grouping).
        foreach (var op in sg.Operators)
            if (IsDq(op) && op.Output(0) is { } y && !outputs.Contains(y) && y.Consumers.Count > 0 && y.Consumers.All(units.ContainsKey))
                dropped.Add(op);

        var kept = new List<Operator>(sg.Operators.Count);
        foreach (var op in sg.Operators)
        {
            if (dropped.Contains(op)) continue;
            kept.Add(units.TryGetValue(op, out var u) ? Quantized(u, kept.Count) : Renumbered(op, kept.Count));
        }
        sg.Operators.Clear();
        sg.Operators.AddRange(kept);
        sg.Link();
    }

    private static Unit? Select(Operator op, HashSet<Tensor> graphOutputs)
    {
        if (SelectorOf(op.SourceType) is not { } selector) return null;

        // The inputs the selector wants dequantized, and no others.
        for (var i = 0; i < op.Inputs.Count; i++)
        {
            var wanted = op.Inputs[i] is not null && (selector is Selector.AllInputs or Selector.Weighted || i == 0);
            if (wanted != DqInput(op, i) is not null) return null;
        }
        if (DqInput(op, 0) is not { } x || !IsInteger(x.Type) || !x.Quantization.IsQuantized) return null;

        var (clip, activation) = FusableClip(op, graphOutputs);
        var last = clip ?? op;
        var quantizes = new List<Operator>(last.Outputs.Count);
        foreach (var o in last.Outputs)
        {
            if (graphOutputs.Contains(o) || o.Consumers is not [{ } q] || !IsQ(q) || q.Input(0) != o) return null;
            if (q.Output(0) is not { } qy || qy.Type != x.Type || !qy.Quantization.IsQuantized) return null;
            quantizes.Add(q);
        }
        if (quantizes.Count == 0) return null;

        switch (selector)
        {
            case Selector.DropQdq:
                if (quantizes.Any(q => !q.Output(0)!.Quantization.SameAs(x.Quantization))) return null;
                break;
            case Selector.AllInputs:
                for (var i = 1; i < op.Inputs.Count; i++)
                    if (op.Inputs[i] is not null && DqInput(op, i)!.Type != x.Type) return null;
                break;
            case Selector.Weighted:
                if (DqInput(op, 1) is not { } w || !IsInteger(w.Type)) return null;
                if (x.Type == DataType.Int8 && w.Type != DataType.Int8) return null;
                if (op.Input(2) is not null && DqInput(op, 2)?.Type != DataType.Int32) return null;
                break;
        }
        return new Unit(op, clip, activation, quantizes);
    }

    /// <summary>A Relu/Relu6/Clip(-1, 1) that is the op's only reader, has one reader itself, and can be fused into the op.</summary>
    private static (Operator? Clip, FusedActivation Activation) FusableClip(Operator op, HashSet<Tensor> graphOutputs)
    {
        if (op.Outputs is not [{ } y] || graphOutputs.Contains(y) || y.Consumers is not [{ } c] || c.Input(0) != y) return (null, FusedActivation.None);
        var activation = c.Kind switch
        {
            OpKind.Relu => FusedActivation.Relu,
            OpKind.Relu6 => FusedActivation.Relu6,
            OpKind.Clip when c.Attr<ClipAttributes>() is { Min: -1, Max: 1 } => FusedActivation.ReluN1To1,
            _ => FusedActivation.None,
        };
        if (activation == FusedActivation.None || c.Outputs is not [{ } cy] || graphOutputs.Contains(cy) || cy.Consumers.Count != 1) return (null, FusedActivation.None);
        return WithActivation(op, activation) is null ? (null, FusedActivation.None) : (c, activation);
    }

    private static OpAttributes? WithActivation(Operator op, FusedActivation a) => op.Attributes switch
    {
        ConvAttributes { Activation: FusedActivation.None } c => c with { Activation = a },
        FullyConnectedAttributes { Activation: FusedActivation.None } f => f with { Activation = a },
        PoolAttributes { Activation: FusedActivation.None } p => p with { Activation = a },
        ElementwiseAttributes { Activation: FusedActivation.None } => new ElementwiseAttributes(a),
        AxisAttributes { Activation: FusedActivation.None } x when op.Kind == OpKind.Concatenation => x with { Activation = a },
        _ => null,
    };

    private static Operator Quantized(Unit u, int index)
    {
        var op = u.Target;
        var inputs = op.Inputs.Select((t, i) => t is null ? null : DqInput(op, i) ?? t).ToList();
        return op.With(index, inputs, [.. u.Quantizes.Select(q => q.Output(0)!)], u.Clip is null ? op.Attributes : WithActivation(op, u.Activation));
    }

    private static Operator Renumbered(Operator op, int index) => op.With(index, op.Inputs, op.Outputs, op.Attributes);

    /// <summary>The integer tensor behind input <paramref name="i"/> when a DequantizeLinear produces that input.</summary>
    private static Tensor? DqInput(Operator op, int i) =>
        op.Input(i)?.Producer is { } p && IsDq(p) && p.Input(0) is { } q ? q : null;

    private static bool IsDq(Operator op) => op.SourceType == "DequantizeLinear";

    private static bool IsQ(Operator op) => op.SourceType == "QuantizeLinear";

    private static bool IsInteger(DataType t) => t is DataType.Int8 or DataType.UInt8 or DataType.Int16 or DataType.UInt16;
}
