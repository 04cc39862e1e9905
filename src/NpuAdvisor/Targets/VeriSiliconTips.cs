using NpuAdvisor.Model;

namespace NpuAdvisor.Targets;

/// <summary>Measurements the VeriSilicon-style tips (ARTPEC-8, AMLNN) share: channels, fusion partners, weight sparsity.</summary>
public static class VeriSiliconTips
{
    public static bool IsConvolution(OpKind k) => k is OpKind.Conv2D or OpKind.DepthwiseConv2D or OpKind.TransposeConv;

    public static bool IsReluFamily(OpKind k) => k is OpKind.Relu or OpKind.Relu6 or OpKind.ReluN1To1;

    /// <summary>Logical output channels of a 4-D op output; null when unknown.</summary>
    public static long? OutputChannels(Graph graph, Operator op) =>
        graph.Logical(op.Output(0)) is { C: > 0 } f ? f.C : null;

    /// <summary>"96 or 102" (nearest multiples below and above); just the one above when below is 0.</summary>
    public static string NearestMultiples(long n, int multiple)
    {
        var below = n / multiple * multiple;
        var above = below + multiple;
        return below == 0 ? $"{above}" : $"{below} or {above}";
    }

    /// <summary>
    /// The ops that read <paramref name="t"/>, looking through a QuantizeLinear → DequantizeLinear pair: a QDQ
    /// model wraps every tensor in one, and the NPU compiler fuses it away, so the op after it is the real reader.
    /// </summary>
    public static IReadOnlyList<Operator> ReadersThroughQdq(Tensor t) =>
        t.Consumers is [{ Kind: OpKind.Quantize } q] && q.Output(0) is { Consumers: [{ Kind: OpKind.Dequantize } dq] } && dq.Output(0) is { } y
            ? y.Consumers
            : t.Consumers;

    /// <summary>
    /// The convolution a standalone activation reads, when that convolution has no fused activation of its
    /// own and the activation is its output's only reader (so the two can become one layer).
    /// </summary>
    public static Operator? FusibleConvolution(Operator activation)
    {
        // Bounds given as constant inputs (an ONNX Clip read as RELU6) are part of the activation, not a second operand.
        if (activation.Inputs.Count(t => t is { IsConstant: false }) != 1 || activation.Input(0) is not { IsConstant: false } x) return null;
        if (x.Producer is not { } p || !IsConvolution(p.Kind)) return null;
        if (p.Attributes is not ConvAttributes { Activation: FusedActivation.None }) return null;
        return x.Consumers.Count == 1 ? p : null;
    }

    /// <summary>Share of zero weights of a conv/FC op as stored (through DEQUANTIZE/DENSIFY); null when the weights are not constant.</summary>
    public static double? WeightSparsity(Operator op) => StoredSparsity(Metrics.StoredWeights(op.Weights()));

    /// <summary>
    /// Share of zeros of a stored constant; a sparse-stored tensor counts the elements it leaves out as
    /// zeros, against its dense shape. Null when the tensor has no data or a type without a zero test.
    /// </summary>
    public static double? StoredSparsity(Tensor? stored)
    {
        if (stored is null || stored.Data.IsEmpty) return null;
        var inStored = Metrics.Sparsity(stored);
        if (inStored is null) return null;
        if (stored.Sparsity is null) return inStored;
        var dense = stored.Shape.ElementCount;
        var bits = stored.Type.Bits();
        if (dense is not > 0 || bits == 0) return null;
        var storedCount = Math.Min(dense.Value, stored.Data.Length * 8L / bits);
        var nonZero = storedCount * (1 - inStored.Value);
        return 1 - nonZero / dense.Value;
    }

    public static string Percent(double share) => FormattableString.Invariant($"{share * 100:0.#}%");
}
