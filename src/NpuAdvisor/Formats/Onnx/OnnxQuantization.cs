using System.Collections.Immutable;
using NpuAdvisor.Model;

namespace NpuAdvisor.Formats.Onnx;

/// <summary>
/// Puts ONNX quantization parameters on the tensors they describe, so quantized ONNX reads like TFLite.
///
/// QDQ representation (a decision): QuantizeLinear/DequantizeLinear nodes stay in the graph as Quantize/
/// Dequantize operators, because they are real nodes of the user's file and runtimes place them. Their
/// (scale, zero point, axis) is set on the integer tensor (DQ input, Q output) exactly as TFLite stores it,
/// and also on the float tensor on the other side (DQ output, Q input): a float tensor that carries a
/// Quantization is a value already on that integer grid, which is what a QDQ-aware compiler fuses into
/// integer compute. So a Conv fed by DQ(int8 initializer) has weights whose stored tensor
/// (Metrics.StoredWeights follows Dequantize) is int8 per-tensor/per-channel, and its activations
/// carry the activation scale.
///
/// QOperator form: QLinearConv/QLinearMatMul inputs were reordered to [x, w, bias, x_scale, x_zp, w_scale,
/// w_zp, y_scale, y_zp]; x, w, y (and the int32 bias, scale x_scale·w_scale) get their parameters.
/// ONNX Runtime's contrib QLinearAdd/Mul/Concat/AveragePool/Sigmoid/LeakyRelu (reordered data first) likewise.
/// ConvInteger/MatMulInteger carry only zero points: their operands get scale 1 (the integer domain; any
/// real scale is a later Mul that stays in the graph).
/// Parameters given by non-constant tensors (e.g. graph inputs) are unknown and left unset.
/// </summary>
internal static class OnnxQuantization
{
    public static void Annotate(Graph graph, IReadOnlyDictionary<Operator, NodeInfo> nodes)
    {
        foreach (var op in graph.AllOperators)
        {
            switch (op.SourceType)
            {
                case "QuantizeLinear":
                {
                    var q = Params(op.Input(1), op.Input(2), AxisOf(op, nodes), op.Input(0)?.Shape);
                    Set(op.Output(0), q);
                    Set(op.Input(0), q);
                    break;
                }
                case "DequantizeLinear":
                {
                    var q = Params(op.Input(1), op.Input(2), AxisOf(op, nodes), op.Input(0)?.Shape);
                    Set(op.Input(0), q);
                    Set(op.Output(0), q);
                    break;
                }
                case "QLinearConv" or "QLinearMatMul":
                {
                    var x = Params(op.Input(3), op.Input(4), 0, null);
                    // Per-channel weight scales run along output channels: axis 0 of OIHW, the last axis of a MatMul B.
                    var wAxis = op.SourceType == "QLinearConv" ? 0 : Math.Max(0, (op.Input(1)?.Shape.Rank ?? 2) - 1);
                    var w = Params(op.Input(5), op.Input(6), wAxis, op.Input(1)?.Shape);
                    op.QuantizationParametersFrom = 3;
                    Set(op.Input(0), x);
                    Set(op.Input(1), w);
                    Set(op.Output(0), Params(op.Input(7), op.Input(8), 0, null));
                    if (x is not null && w is not null && op.Input(2) is { } bias)
                        Set(bias, new Quantization([.. w.Scales.Select(s => x.Scale * s)], [.. w.Scales.Select(_ => 0L)], wAxis));
                    break;
                }
                case "com.microsoft:QLinearAdd" or "com.microsoft:QLinearMul":
                    // Reordered to [A, B, A_scale, A_zp, B_scale, B_zp, C_scale, C_zp].
                    op.QuantizationParametersFrom = 2;
                    Set(op.Input(0), Params(op.Input(2), op.Input(3), 0, null));
                    Set(op.Input(1), Params(op.Input(4), op.Input(5), 0, null));
                    Set(op.Output(0), Params(op.Input(6), op.Input(7), 0, null));
                    break;
                case "com.microsoft:QLinearConcat":
                {
                    // Reordered to [X…, Y_scale, Y_zp, (X_scale, X_zp)…].
                    var n = (op.Inputs.Count - 2) / 3;
                    op.QuantizationParametersFrom = n;
                    Set(op.Output(0), Params(op.Input(n), op.Input(n + 1), 0, null));
                    for (var i = 0; i < n; i++) Set(op.Input(i), Params(op.Input(n + 2 + 2 * i), op.Input(n + 3 + 2 * i), 0, null));
                    break;
                }
                case "com.microsoft:QLinearGlobalAveragePool" or "com.microsoft:QLinearAveragePool"
                    or "com.microsoft:QLinearSigmoid" or "com.microsoft:QLinearLeakyRelu":
                    // [X, X_scale, X_zp, Y_scale, Y_zp]
                    op.QuantizationParametersFrom = 1;
                    Set(op.Input(0), Params(op.Input(1), op.Input(2), 0, null));
                    Set(op.Output(0), Params(op.Input(3), op.Input(4), 0, null));
                    break;
                case "ConvInteger" or "MatMulInteger":
                {
                    var wAxis = op.SourceType == "ConvInteger" ? 0 : Math.Max(0, (op.Input(1)?.Shape.Rank ?? 2) - 1);
                    op.QuantizationParametersFrom = 3;
                    Set(op.Input(0), ZeroPointOnly(op.Input(3), op.Input(0), 0));
                    Set(op.Input(1), ZeroPointOnly(op.Input(4), op.Input(1), wAxis));
                    break;
                }
            }
        }
        PropagateThroughDataMovement(graph);
    }

    /// <summary>
    /// QOperator graphs run data-movement ops (MaxPool, Resize, Reshape, Transpose…) straight on the integer
    /// tensors; their outputs are on the input's grid, which the file does not restate. Walks producers first.
    /// </summary>
    private static void PropagateThroughDataMovement(Graph graph)
    {
        foreach (var sg in graph.Subgraphs)
        {
            sg.Link();
            foreach (var op in sg.TopologicalOrder())
            {
                if (!KeepsGrid(op.Kind) || op.Input(0) is not { Quantization.IsQuantized: true } x || !x.Type.Is8Bit()) continue;
                foreach (var y in op.Outputs)
                    if (y.Type == x.Type) Set(y, x.Quantization);
            }
        }
    }

    private static bool KeepsGrid(OpKind k) => k is OpKind.MaxPool2D or OpKind.ResizeNearestNeighbor or OpKind.ResizeBilinear
        or OpKind.Reshape or OpKind.Transpose or OpKind.Squeeze or OpKind.ExpandDims or OpKind.Flatten or OpKind.Gather
        or OpKind.Slice or OpKind.StridedSlice or OpKind.Split or OpKind.DepthToSpace or OpKind.SpaceToDepth or OpKind.Identity
        or OpKind.Tile or OpKind.BroadcastTo;

    /// <summary>
    /// For the analysis view: a QOperator op whose scales and zero points are all constants has them on its tensors
    /// already, so they stop being operands, and the op reads like its TFLite twin ([x, w, bias], [a, b], [x…]).
    /// Parameters computed at run time stay, so ordering and liveness still see them.
    /// </summary>
    public static void DropAppliedParameters(Graph graph)
    {
        foreach (var op in graph.AllOperators)
        {
            if (op.QuantizationParametersFrom is not { } from || from > op.Inputs.Count) continue;
            if (op.Inputs.Skip(from).Any(t => t is { IsConstant: false })) continue;
            op.Inputs = [.. op.Inputs.Take(from)];
            op.QuantizationParametersFrom = null;
        }
        foreach (var sg in graph.Subgraphs) sg.Link();
    }

    private static int AxisOf(Operator op, IReadOnlyDictionary<Operator, NodeInfo> nodes) =>
        nodes.TryGetValue(op, out var info) ? (int)Math.Clamp(info.Attrs.Int("axis", 1), -64, 64) : 1;

    private static void Set(Tensor? t, Quantization? q)
    {
        if (t is null || q is null || t.Quantization.IsQuantized) return;
        t.Quantization = q;
    }

    private static Quantization? Params(Tensor? scale, Tensor? zeroPoint, int axis, Shape? shape)
    {
        if (scale is null || !scale.IsConstant) return null;
        var scales = OnnxTensorData.AsDoubles(scale.Type, scale.Data.Span, 1 << 16);
        if (scales is null || scales.Length == 0) return null;
        long[] zps;
        if (zeroPoint is null) zps = new long[scales.Length];
        else
        {
            if (!zeroPoint.IsConstant) return null;
            var z = OnnxTensorData.AsLongs(zeroPoint.Type, zeroPoint.Data.Span, 1 << 16);
            if (z is null || z.Length != scales.Length) return null;
            zps = z;
        }
        if (scales.Length == 1) return Quantization.PerTensor((float)scales[0], zps[0]);
        var rank = shape is { IsUnknownRank: false } s ? s.Rank : 0;
        var normalized = axis < 0 && rank > 0 ? axis + rank : axis;
        return new Quantization([.. scales.Select(v => (float)v)], ImmutableArray.Create(zps), normalized);
    }

    private static Quantization? ZeroPointOnly(Tensor? zeroPoint, Tensor? operand, int axis)
    {
        if (operand is null) return null;
        if (zeroPoint is null) return Quantization.PerTensor(1f, 0);
        if (!zeroPoint.IsConstant) return null;
        var z = OnnxTensorData.AsLongs(zeroPoint.Type, zeroPoint.Data.Span, 1 << 16);
        if (z is null || z.Length == 0) return null;
        return z.Length == 1 ? Quantization.PerTensor(1f, z[0]) : new Quantization([.. z.Select(_ => 1f)], ImmutableArray.Create(z), axis);
    }
}
