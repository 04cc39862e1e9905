using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using static NpuAdvisor.Targets.Artpec9Limits;

namespace NpuAdvisor.Targets;

/// <summary>ARTPEC-9 checks every DLPU op gets before its own row: rank, data type, batch, quantization axes, depth.</summary>
internal static class Artpec9Generic
{
    /// <summary>True when a generic check failed (the op's row is then not checked).</summary>
    public static bool Check(OpContext ctx)
    {
        var op = ctx.Op;
        var activations = ArtpecTensors.Activations(op).ToList();
        foreach (var (role, t) in activations)
            if (t.Shape.Rank > MaxRank)
                return Fail(ctx, Artpec9Target.TensorRank, $"{role} '{t.Name}' is {t.Shape} ({t.Shape.Rank}-D); the ethosn can only support up to {MaxRank}D tensors");
        foreach (var (role, t) in activations)
            if (!t.Type.Is8Bit() || !t.Quantization.IsQuantized)
                return Fail(ctx, Artpec9Target.DataType, $"{Cap(role)} '{t.Name}' ({Describe(t)}) must be UINT8_QUANTIZED or INT8_QUANTIZED");
        if (Metrics.HasWeights(op.Kind) && op.Input(1) is { } w && (!w.Type.Is8Bit() || !w.Quantization.IsQuantized))
            return Fail(ctx, Artpec9Target.DataType, $"Weights '{w.Name}' ({Describe(w)}) must be UINT8_QUANTIZED or INT8_QUANTIZED");
        foreach (var (role, t) in activations)
            if (FeatureMaps.Logical(ctx.Graph, t) is { N: not Batch and > 0 } f)
                return Fail(ctx, Artpec9Target.BatchSize, $"Batch size must be {Batch}: {role} '{t.Name}' is {f}");
        foreach (var (role, t) in activations)
            if (t.Quantization.Kind == QuantizationKind.PerAxis)
                return Fail(ctx, Artpec9Target.QuantAxis, $"{Cap(role)} '{t.Name}': Quantization Dim should not be used on {Cap(role)} ({t.Quantization})");
        if (WeightAxisProblem(ctx) is { } axisProblem)
            return Fail(ctx, Artpec9Target.QuantAxis, axisProblem);
        foreach (var (role, t) in activations)
            if (FeatureMaps.Logical(ctx.Graph, t) is { W: > 1, C: > 0 } f && DepthChunk * f.C > SramBytes)
                return Fail(ctx, Artpec9Target.TensorDepth, $"{Cap(role)} '{t.Name}': Tensor max depth cannot fit in SRAM ({DepthChunk * f.C} / {SramBytes})");
        return false;
    }

    private static string? WeightAxisProblem(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Weights() is not { Quantization.Kind: QuantizationKind.PerAxis } w) return null;
        if (op.Kind == OpKind.FullyConnected)
            return $"Multiple quantization scales is not supported for FullyConnected operation: weights '{w.Name}' have {w.Quantization.Scales.Length} scales";
        var expected = op.Kind == OpKind.DepthwiseConv2D && ctx.Graph.Layout == TensorLayout.Nhwc ? 3 : 0;
        var axis = ArtpecTensors.Normalize(w.Quantization.Axis, Math.Max(1, w.Shape.Rank));
        return axis == expected ? null
            : $"Weights '{w.Name}': per channel quantization axis is {axis}; it must be the output-channel axis {expected} of {w.Shape}";
    }

    /// <summary>The fused activation of an op, when it has one.</summary>
    public static FusedActivation? FusedActivation(Operator op) => op.Attributes switch
    {
        ConvAttributes c => c.Activation,
        PoolAttributes p => p.Activation,
        FullyConnectedAttributes f => f.Activation,
        ElementwiseAttributes e => e.Activation,
        AxisAttributes a => a.Activation,
        _ => null,
    };

    private static string Describe(Tensor t) => t.Quantization.IsQuantized ? t.Type.Name() : $"{t.Type.Name()}, not quantized";

    private static string Cap(string role) => char.ToUpperInvariant(role[0]) + role[1..];

    private static bool Fail(OpContext ctx, Rule rule, string message)
    {
        ctx.Report(rule, message);
        return true;
    }
}

/// <summary>ARTPEC-9 performance tips: ReLU6, explicit padding, filter counts divisible by 16.</summary>
internal static class Artpec9Tips
{
    private static readonly HashSet<OpKind> OtherActivations =
        [OpKind.Relu, OpKind.ReluN1To1, OpKind.LeakyRelu, OpKind.PRelu, OpKind.HardSwish, OpKind.Elu, OpKind.Gelu];

    public static void Check(OpContext ctx)
    {
        var op = ctx.Op;
        if (op.Kind is OpKind.Pad or OpKind.PadV2 or OpKind.MirrorPad)
        {
            var amounts = op.Attr<PadAttributes>()?.Paddings is { } p ? string.Join(", ", p.Select(x => $"({x.Before},{x.After})")) : "non-constant";
            ctx.Report(Artpec9Target.ExplicitPadding, $"explicit {op.TypeName} by {amounts}: an extra pass over the feature map");
        }
        if (ctx.Result.Findings.Any(f => f.Kind == RuleKind.Unsupported)) return;

        if (OtherActivations.Contains(op.Kind))
            ctx.Report(Artpec9Target.PreferRelu6, $"standalone {op.TypeName} activation; ReLU6 is preferred");
        else if (Metrics.HasWeights(op.Kind) && Artpec9Generic.FusedActivation(op) is FusedActivation.Relu or FusedActivation.ReluN1To1 or FusedActivation.Tanh or FusedActivation.SignBit)
            ctx.Report(Artpec9Target.PreferRelu6, $"fused {Artpec9Generic.FusedActivation(op)} activation; ReLU6 is preferred");

        if (op.Kind is OpKind.Conv2D or OpKind.DepthwiseConv2D or OpKind.TransposeConv
            && FeatureMaps.Logical(ctx.Graph, op.Output(0)) is { C: > 0 } f && f.C % ChannelMultiple != 0)
            ctx.Report(Artpec9Target.Filters16, $"{f.C} filters is not a multiple of {ChannelMultiple}; nearest aligned: {Nearest(f.C, ChannelMultiple)}");
    }
}
