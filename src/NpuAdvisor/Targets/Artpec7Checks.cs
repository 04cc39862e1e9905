using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using static NpuAdvisor.Targets.Artpec7Status;

namespace NpuAdvisor.Targets;

/// <summary>Shared tensor helpers for the ARTPEC targets.</summary>
internal static class ArtpecTensors
{
    /// <summary>Run-time tensors the op reads or writes (non-constant inputs, then outputs), with their role.</summary>
    public static IEnumerable<(string Role, Tensor Tensor)> Activations(Operator op) =>
        op.Inputs.Where(t => t is { IsConstant: false }).Select(t => ("input", t!))
          .Concat(op.Outputs.Select(t => ("output", t)));

    /// <summary>The data input: input 0 by IR convention, except SPLIT whose TFLite order puts the constant axis first.</summary>
    public static Tensor? Data(Operator op) =>
        op.Inputs.FirstOrDefault(t => t is { IsConstant: false }) ?? op.Input(0);

    /// <summary>
    /// Inputs that are compile-time parameters, not data or weights: a resize's output size (TFLite int32) or
    /// roi/scales/sizes (ONNX, float scales). The compiler folds them, so their type does not matter.
    /// </summary>
    public static bool IsParameter(Operator op, int input) =>
        input > 0 && op.Kind is OpKind.ResizeBilinear or OpKind.ResizeNearestNeighbor;

    public static int Normalize(int axis, int rank) => axis < 0 ? axis + rank : axis;

    public static string Dims(Tensor t) => t.Shape.ToString();
}

/// <summary>The Edge TPU's model requirements checked per op (§1.1): 8-bit data, static shapes, rank, constant parameters.</summary>
internal static class Artpec7Requirements
{
    /// <summary>8-bit data and static shapes; true when one failed (nothing else is checked).</summary>
    public static bool CheckData(OpContext ctx)
    {
        var op = ctx.Op;
        foreach (var (role, t) in ArtpecTensors.Activations(op))
            if ((!t.Type.Is8Bit() || !t.Quantization.IsQuantized) && !IsLstmState(op, t))
                return Fail(ctx, Artpec7Target.DataType,
                    $"{UnsupportedDataType}: {role} '{t.Name}' is {t.Type.Name()}{(t.Type.Is8Bit() ? " without quantization parameters" : "")}");
        if (op.Inputs.Where((t, i) => t is { IsConstant: true } && t.Type.IsFloat() && !ArtpecTensors.IsParameter(op, i)).FirstOrDefault() is { } f)
            return Fail(ctx, Artpec7Target.DataType, $"{UnsupportedDataType}: constant '{f.Name}' is {f.Type.Name()}");
        foreach (var (role, t) in ArtpecTensors.Activations(op))
            if (!t.Shape.IsFullyKnown)
                return Fail(ctx, Artpec7Target.DynamicShape, $"{role} '{t.Name}' has a dynamic shape {t.Shape}");
        return false;
    }

    /// <summary>
    /// A full-integer LSTM keeps its cell state as an int16 variable tensor; the 8-bit rule is for activations and
    /// weights: Coral's keras_lstm_mnist_ptq_edgetpu.tflite has the whole LSTM inside edgetpu-custom-op.
    /// </summary>
    private static bool IsLstmState(Operator op, Tensor t) =>
        op.Kind == OpKind.UnidirectionalSequenceLstm && t is { IsVariable: true, Type: DataType.Int16 } && t.Quantization.IsQuantized;

    /// <summary>Constant parameters and the rank rule, checked after the op's own limits (which name batch misuse more precisely).</summary>
    public static void CheckLayout(OpContext ctx)
    {
        var op = ctx.Op;
        if (Metrics.HasWeights(op.Kind))
        {
            if (op.Input(1) is { IsConstant: false } w)
            {
                Fail(ctx, Artpec7Target.ConstantParameters, $"{OtherwiseSupported}: weights '{w.Name}' are computed at run time");
                return;
            }
            if (op.Input(2) is { IsConstant: false } b)
            {
                Fail(ctx, Artpec7Target.ConstantParameters, $"{OtherwiseSupported}: bias '{b.Name}' is computed at run time");
                return;
            }
        }
        foreach (var (role, t) in ArtpecTensors.Activations(op))
        {
            var outer = t.Shape.Rank - MappedInnerDims;
            if (outer > 0 && t.Shape.Dims.Take(outer).Any(d => d != 1))
            {
                Fail(ctx, Artpec7Target.Rank,
                    $"{UnsupportedRank}: {role} '{t.Name}' is {t.Shape}; only the {MappedInnerDims} innermost dimensions may exceed 1");
                return;
            }
        }
    }

    private static bool Fail(OpContext ctx, Rule rule, string message)
    {
        ctx.Report(rule, message);
        return true;
    }
}

/// <summary>Per-op known limitations of the Edge TPU operator table (§1.2), in table order.</summary>
internal static class Artpec7OpLimits
{
    private const int BatchDim = 0;

    public static void Check(OpContext ctx)
    {
        var op = ctx.Op;
        switch (op.Kind)
        {
            case OpKind.AveragePool2D or OpKind.MaxPool2D when op.Attributes is PoolAttributes { Activation: not FusedActivation.None } p:
                Limit(ctx, Artpec7Target.PoolActivation, $"fused {p.Activation} activation");
                break;
            case OpKind.Concatenation:
                Concatenation(ctx);
                break;
            case OpKind.Conv2D or OpKind.DepthwiseConv2D when op.Attributes is ConvAttributes c && c.DilationH != c.DilationW:
                Limit(ctx, Artpec7Target.ConvDilation, $"dilation {c.DilationH}×{c.DilationW} (y×x): x and y must match");
                break;
            case OpKind.FullyConnected:
                FullyConnected(ctx);
                break;
            case OpKind.BidirectionalSequenceLstm:
            case OpKind.Lstm or OpKind.UnidirectionalSequenceLstm when op.Attributes is LstmAttributes { Bidirectional: true }:
                Limit(ctx, Artpec7Target.Lstm, "bidirectional LSTM");
                break;
            case OpKind.Mean:
                Mean(ctx);
                break;
            case OpKind.Pack when op.Attributes is AxisAttributes a && op.Output(0) is { Shape.Rank: 4 } o
                                  && ArtpecTensors.Normalize(a.Axis, 4) == BatchDim:
                Limit(ctx, Artpec7Target.BatchAxis, $"packs {op.Inputs.Count} tensors along the batch dimension (axis {a.Axis} of {o.Shape})");
                break;
            case OpKind.Pad:
                Pad(ctx);
                break;
            case OpKind.ResizeBilinear or OpKind.ResizeNearestNeighbor:
                Resize(ctx);
                break;
            case OpKind.PRelu when op.Input(1) is { } alpha && alpha.Shape.Dims.Take(Math.Max(0, alpha.Shape.Rank - 1)).Any(d => d != 1):
                Limit(ctx, Artpec7Target.PRelu, $"alpha '{alpha.Name}' is {alpha.Shape}; only its innermost dimension may exceed 1");
                break;
            case OpKind.ReduceMax or OpKind.ReduceMin or OpKind.Sum:
                ReduceAxes(ctx, "reduces");
                break;
            case OpKind.Softmax:
                Softmax(ctx);
                break;
            case OpKind.Split when op.Attributes is AxisAttributes a && ArtpecTensors.Data(op) is { Shape.Rank: 4 } x
                                   && ArtpecTensors.Normalize(a.Axis, 4) == BatchDim:
                Limit(ctx, Artpec7Target.BatchAxis, $"splits {x.Shape} along the batch dimension (axis {a.Axis})");
                break;
            case OpKind.StridedSlice:
                StridedSlice(ctx);
                break;
        }
    }

    private static void Limit(OpContext ctx, Rule rule, string detail) => ctx.Report(rule, $"{OtherwiseSupported}: {detail}");

    private static void Concatenation(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Attributes is AxisAttributes { Activation: not FusedActivation.None } a)
        {
            Limit(ctx, Artpec7Target.ConcatActivation, $"fused {a.Activation} activation");
            return;
        }
        var constants = op.Inputs.Where(t => t is { IsConstant: true }).Select(t => t!).ToList();
        if (constants.Count == 0) return;
        if (op.Inputs.Count != ConcatWithConstantInputs)
            Limit(ctx, Artpec7Target.ConcatConstant, $"{op.Inputs.Count} inputs with constant '{constants[0].Name}'; a constant is allowed only with exactly {ConcatWithConstantInputs} inputs");
        else if (constants.FirstOrDefault(t => !AllZero(t)) is { } c)
            Limit(ctx, Artpec7Target.ConcatConstant, $"constant input '{c.Name}' is not all zeros");
    }

    /// <summary>True when every stored value of a constant is real zero (its zero point for 8-bit data).</summary>
    private static bool AllZero(Tensor t)
    {
        var zp = t.Quantization.ZeroPoint;
        foreach (var b in t.Data.Span)
        {
            var offset = t.Type switch { DataType.Int8 => (sbyte)b - zp, DataType.UInt8 => b - zp, _ => b };
            if (offset != 0) return false;
        }
        return true;
    }

    private static void FullyConnected(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Attributes is FullyConnectedAttributes { ShuffledWeights: true })
        {
            Limit(ctx, Artpec7Target.FullyConnected, "weights use the SHUFFLED4x16INT8 format");
            return;
        }
        if (op.Output(0) is { } o && o.Shape.Dims.Count(d => d > 1) > 1)
            Limit(ctx, Artpec7Target.FullyConnected, $"output '{o.Name}' is {o.Shape}; it must be one-dimensional");
    }

    private static void Mean(OpContext ctx)
    {
        var op = ctx.Op;
        if (ReduceAxes(ctx, "averages")) return;
        if (op.Attributes is not ReduceAttributes { Axes: { } axes } || ArtpecTensors.Data(op) is not { Shape.Rank: 4 } x) return;
        var z = ctx.Graph.ChannelAxis();
        if (axes.Any(a => ArtpecTensors.Normalize(a, 4) == z) && x.Shape[z] % MeanDepthMultiple != 0)
            Limit(ctx, Artpec7Target.Mean, $"z-reduction over {x.Shape[z]} channels; the depth must be a multiple of {MeanDepthMultiple}");
    }

    /// <summary>Axes must be constant and avoid the batch dimension; true when it reported.</summary>
    private static bool ReduceAxes(OpContext ctx, string verb)
    {
        var op = ctx.Op;
        var rule = op.Kind == OpKind.Mean ? Artpec7Target.Mean : Artpec7Target.BatchAxis;
        if (op.Attributes is not ReduceAttributes { Axes: { } axes })
        {
            Limit(ctx, rule, "the reduction axes are not constant");
            return true;
        }
        if (ArtpecTensors.Data(op) is { Shape.Rank: 4 } x && axes.Any(a => ArtpecTensors.Normalize(a, 4) == BatchDim))
        {
            Limit(ctx, rule, $"{verb} {x.Shape} over axes [{string.Join(",", axes)}], which include the batch dimension");
            return true;
        }
        return false;
    }

    private static void Pad(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Attributes is not PadAttributes { Paddings: { } p })
        {
            Limit(ctx, Artpec7Target.BatchAxis, "the paddings are not constant");
            return;
        }
        if (p.Count == 4 && (p[BatchDim].Before != 0 || p[BatchDim].After != 0))
            Limit(ctx, Artpec7Target.BatchAxis, $"pads the batch dimension by ({p[BatchDim].Before}, {p[BatchDim].After})");
    }

    /// <summary>The compiler keeps a resize whose output is large relative to its input on the CPU "to avoid loss in precision".</summary>
    private static void Resize(OpContext ctx)
    {
        var op = ctx.Op;
        if (ctx.Graph.Logical(ArtpecTensors.Data(op)) is not { H: > 0, W: > 0 } x || ctx.Graph.Logical(op.Output(0)) is not { } y) return;
        var (fh, fw) = ((double)y.H / x.H, (double)y.W / x.W);
        if (fh > MaxMappedUpsample || fw > MaxMappedUpsample)
            Limit(ctx, Artpec7Target.ResizeSize, FormattableString.Invariant(
                $"{x.H}×{x.W} → {y.H}×{y.W} upsamples {fh:0.##}×{fw:0.##}; beyond {MaxMappedUpsample}× per axis the compiler may keep it on the CPU to avoid loss in precision (no exact limit is public)"));
    }

    private static void Softmax(OpContext ctx)
    {
        if (ArtpecTensors.Data(ctx.Op) is not { } x || x.Shape.ElementCount is not { } n) return;
        var outer = x.Shape.Dims.Take(Math.Max(0, x.Shape.Rank - 1)).Any(d => d != 1);
        if (outer)
            Limit(ctx, Artpec7Target.Softmax, $"input '{x.Name}' is {x.Shape}; only a 1-D input (innermost dimension) maps");
        else if (n > SoftmaxMaxElements)
            Limit(ctx, Artpec7Target.Softmax, $"input '{x.Name}' has {n} elements; at most {SoftmaxMaxElements}");
    }

    private static void StridedSlice(OpContext ctx)
    {
        if (ctx.Op.Attributes is not StridedSliceAttributes s || s.Strides is null)
        {
            Limit(ctx, Artpec7Target.StridedSlice, "the strides are not constant");
            return;
        }
        if (s.Strides.Any(v => v != 1))
            Limit(ctx, Artpec7Target.StridedSlice, $"strides [{string.Join(",", s.Strides)}]; all must be 1");
        else if (s.EllipsisMask != 0 || s.NewAxisMask != 0)
            Limit(ctx, Artpec7Target.StridedSlice, $"ellipsis_mask {s.EllipsisMask}, new_axis_mask {s.NewAxisMask}; both must be 0");
    }
}
