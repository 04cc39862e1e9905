namespace NpuAdvisor.Model;

public enum QuantizationScheme
{
    /// <summary>No convolution or fully connected weights to classify.</summary>
    NoWeights,
    Float,
    /// <summary>fp16 constants expanded by DEQUANTIZE, compute in float.</summary>
    Float16Weights,
    /// <summary>8-bit integer, one scale per weight tensor.</summary>
    PerTensor,
    /// <summary>8-bit integer, per-output-channel weight scales.</summary>
    PerChannel,
    /// <summary>Integer weights with float activations (dynamic range), or a mix of the above.</summary>
    Mixed,
}

public enum WeightQuantization { NotQuantized, PerTensor, PerChannel }

/// <summary>
/// Derived per-op figures. MAC conventions (as MANIFEST.json): CONV_2D out_h·out_w·out_c·k_h·k_w·in_c/groups;
/// DEPTHWISE out_h·out_w·out_c·k_h·k_w; TRANSPOSE_CONV in_h·in_w·in_c·k_h·k_w·out_c/groups;
/// FULLY_CONNECTED batch·in·out = numel(input)·out; BATCH_MATMUL numel(output)·K.
/// </summary>
public static class Metrics
{
    public static bool IsConvLike(OpKind k) =>
        k is OpKind.Conv2D or OpKind.DepthwiseConv2D or OpKind.TransposeConv or OpKind.Conv3D;

    public static bool HasWeights(OpKind k) => IsConvLike(k) || k == OpKind.FullyConnected;

    /// <summary>Weight tensor (input 1 of conv-like and fully connected ops; the IR puts data first for every op).</summary>
    public static Tensor? Weights(this Operator op) => HasWeights(op.Kind) ? op.Input(1) : null;

    /// <summary>MACs of one op; the importers refuse a model whose MACs do not fit (see <see cref="SizeLimits"/>).</summary>
    public static long Macs(this Operator op, TensorLayout layout)
    {
        var exact = ExactMacs(op, layout);
        return exact > long.MaxValue ? long.MaxValue : (long)exact;
    }

    /// <summary>MACs in 128-bit arithmetic, so a hostile shape cannot wrap them negative.</summary>
    public static Int128 ExactMacs(this Operator op, TensorLayout layout)
    {
        var output = op.Output(0);
        var outElems = ExactElements(output);
        switch (op.Kind)
        {
            case OpKind.Conv2D when op.Attributes is ConvAttributes c && outElems is { } o:
            {
                var inC = FeatureMaps.Logical(layout, op.Input(0))?.C ?? -1;
                if (inC < 0) return 0;
                return SizeLimits.Product(o, c.KernelH, c.KernelW, inC / Math.Max(1, c.Groups));
            }
            case OpKind.DepthwiseConv2D when op.Attributes is ConvAttributes c && outElems is { } o:
                return SizeLimits.Product(o, c.KernelH, c.KernelW);
            case OpKind.TransposeConv when op.Attributes is ConvAttributes c && ExactElements(op.Input(0)) is { } i:
            {
                var outC = FeatureMaps.Logical(layout, output)?.C ?? -1;
                if (outC < 0) return 0;
                return SizeLimits.Product(i, c.KernelH, c.KernelW, outC / Math.Max(1, c.Groups));
            }
            case OpKind.FullyConnected when ExactElements(op.Input(0)) is { } i && output is { Shape.Rank: > 0 }:
            {
                var outF = output.Shape.FromEnd(1);
                return outF < 0 ? 0 : SizeLimits.Product(i, outF);
            }
            case OpKind.BatchMatMul when outElems is { } o && op.Input(0) is { Shape.Rank: >= 2 } a:
            {
                var adj = op.Attributes is BatchMatMulAttributes { AdjX: true };
                var k = adj ? a.Shape.FromEnd(2) : a.Shape.FromEnd(1);
                return k < 0 ? 0 : SizeLimits.Product(o, k);
            }
            default:
                return 0;
        }
    }

    /// <summary>Element count in 128 bits (saturating at <see cref="SizeLimits.Huge"/>); null when a dimension is unknown.</summary>
    public static Int128? ExactElements(Tensor? t)
    {
        if (t is null || !t.Shape.IsFullyKnown) return null;
        Int128 n = 1;
        foreach (var d in t.Shape.Dims) n = SizeLimits.Product(n, d);
        return n;
    }

    public static long Macs(this Graph g, Operator op) => op.Macs(g.Layout);

    /// <summary>Bytes of constant inputs (weights, bias, constant operands).</summary>
    public static long ParameterBytes(this Operator op) =>
        op.Inputs.Where(t => t is { IsConstant: true }).Sum(t => (long)t!.Data.Length is > 0 and var n ? n : t!.ByteSize ?? 0);

    /// <summary>Bytes of non-constant inputs plus outputs: the feature maps the op reads and writes.</summary>
    public static long ActivationBytes(this Operator op) =>
        op.Inputs.Where(t => t is { IsConstant: false }).Sum(t => t!.ByteSize ?? 0) + op.Outputs.Sum(t => t.ByteSize ?? 0);

    public static WeightQuantization Classify(Tensor? weights) => weights?.Quantization.Kind switch
    {
        QuantizationKind.PerAxis => WeightQuantization.PerChannel,
        QuantizationKind.PerTensor => WeightQuantization.PerTensor,
        _ => WeightQuantization.NotQuantized,
    };

    /// <summary>Follows DEQUANTIZE/DENSIFY chains back to the stored constant (fp16 or sparse weights).</summary>
    public static Tensor? StoredWeights(Tensor? weights)
    {
        var t = weights;
        for (var hops = 0; t?.Producer is { Kind: OpKind.Dequantize or OpKind.Densify } p && hops < 4; hops++)
            t = p.Input(0);
        return t;
    }

    public static QuantizationScheme Scheme(this Graph g)
    {
        bool perTensor = false, perChannel = false, fp16 = false, fp32 = false, floatActivations = false;
        foreach (var op in g.AllOperators.Where(o => HasWeights(o.Kind)))
        {
            var w = op.Weights();
            var stored = StoredWeights(w);
            // A float activation that carries a Quantization sits between ONNX Q/DQ nodes: integer compute once fused.
            if (op.Input(0) is { } x && x.Type.IsFloat() && !x.Quantization.IsQuantized) floatActivations = true;
            switch (Classify(stored))
            {
                case WeightQuantization.PerChannel when stored!.Type.IsInteger(): perChannel = true; break;
                case WeightQuantization.PerTensor when stored!.Type.IsInteger(): perTensor = true; break;
                default:
                    if (stored?.Type == DataType.Float16) fp16 = true; else fp32 = true;
                    break;
            }
        }
        var integer = perTensor || perChannel;
        if (!integer && !fp16 && !fp32) return QuantizationScheme.NoWeights;
        if (integer && (fp16 || fp32 || floatActivations)) return QuantizationScheme.Mixed;
        if (integer) return perChannel ? QuantizationScheme.PerChannel : QuantizationScheme.PerTensor;
        return fp16 && !fp32 ? QuantizationScheme.Float16Weights : fp32 && !fp16 ? QuantizationScheme.Float : QuantizationScheme.Mixed;
    }

    public static string Describe(this QuantizationScheme s) => s switch
    {
        QuantizationScheme.NoWeights => "no weights",
        QuantizationScheme.Float => "float",
        QuantizationScheme.Float16Weights => "fp16 weights",
        QuantizationScheme.PerTensor => "8-bit per-tensor",
        QuantizationScheme.PerChannel => "8-bit per-channel",
        _ => "mixed",
    };

    /// <summary>Share of exact zeros among the quantized values of a constant (zero point counts as zero); null when no data.</summary>
    public static double? Sparsity(Tensor? t)
    {
        if (t is null || t.Data.IsEmpty) return null;
        var zp = t.Quantization.ZeroPoint;
        if (t.ZeroFraction is { } cached && cached.ZeroPoint == zp) return cached.Value;
        var value = CountZeros(t, zp);
        t.ZeroFraction = (value, zp);
        return value;
    }

    private static double? CountZeros(Tensor t, long zp)
    {
        var span = t.Data.Span;
        long zeros = 0, count = 0;
        switch (t.Type)
        {
            // Vectorised counts: sparsity is reported per layer, so this must stay cheap on large weights.
            case DataType.Int8 when zp is >= sbyte.MinValue and <= sbyte.MaxValue:
                count = span.Length;
                zeros = span.Count((byte)(sbyte)zp);
                break;
            case DataType.UInt8 when zp is >= 0 and <= byte.MaxValue:
                count = span.Length;
                zeros = span.Count((byte)zp);
                break;
            case DataType.Int8 or DataType.UInt8:
                count = span.Length;
                break;
            case DataType.Float32:
            {
                var words = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(span[..(span.Length / 4 * 4)]);
                count = words.Length;
                zeros = words.Count(0u) + words.Count(0x8000_0000u);
                break;
            }
            case DataType.Float16:
            {
                var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(span[..(span.Length / 2 * 2)]);
                count = halves.Length;
                zeros = halves.Count((ushort)0) + halves.Count((ushort)0x8000);
                break;
            }
            default:
                return null;
        }
        return count == 0 ? null : (double)zeros / count;
    }
}
