using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Rewrite;

/// <summary>
/// fold-pad: a constant-mode PAD/PADV2 of the spatial axes, padding with the quantized zero (the zero
/// point, or +0.0 in float), whose only reader is a VALID convolution or depthwise convolution, becomes
/// that convolution's padding. A convolution pads with exactly that value, so the result is the same.
/// Where the format has only SAME/VALID, only pad amounts equal to SAME's for that input, kernel, stride
/// and dilation fold. Quantized depthwise convs with a zero point other than 0 are declined (see below).
/// </summary>
public sealed class FoldPadPass : RewritePass
{
    public override string Id => "fold-pad";
    public override string Summary => "merge a zero PAD/PADV2 in front of a VALID conv/depthwise conv into its padding";

    public override bool Fixes(Rule rule) => rule.FixKind == FixKind.FoldPadding;

    public override IEnumerable<RewriteSite> Sites(Graph graph, RewriteContext context)
    {
        var sg = graph.Main;
        var (hAxis, wAxis) = graph.Layout == TensorLayout.Nhwc ? (1, 2) : (2, 3);
        foreach (var pad in sg.Operators.ToList())
        {
            if (pad.Kind is not (OpKind.Pad or OpKind.PadV2) || pad.Input(0) is not { } x || pad.Outputs.Count != 1) continue;
            var u = pad.Outputs[0];
            if (GraphEdit.SoleConsumer(sg, u) is not { } conv || conv.Kind is not (OpKind.Conv2D or OpKind.DepthwiseConv2D)) continue;
            if (conv.Input(0) != u || conv.Inputs.Skip(1).Contains(u) || conv.Attr<ConvAttributes>() is not { } c) continue;
            var what = $"fold {pad.TypeName} into {conv.TypeName}";
            var amounts = pad.Attr<PadAttributes>() is { Mirror: false, Paddings: { Count: 4 } p } ? p : null;
            if (amounts is null || x.Shape.Rank != 4 || !x.Shape.IsFullyKnown) continue;
            var other = Enumerable.Range(0, 4).Where(i => i != hAxis && i != wAxis);
            if (other.Any(i => amounts[i] != (0, 0)) || amounts.Any(a => a.Before < 0 || a.After < 0)) continue;
            var (top, bottom) = amounts[hAxis];
            var (left, right) = amounts[wAxis];
            if (top + bottom + left + right == 0) continue;
            if (c.Padding.Kind != PaddingKind.Valid && !c.Padding.IsZero)
            {
                yield return RewriteSite.Decline([pad, conv], what, "the convolution already pads");
                continue;
            }
            if (x.Type != u.Type || !FuseActivationPass.SameQuantization(x.Quantization, u.Quantization))
            {
                yield return RewriteSite.Decline([pad, conv], what, $"not bit-exact: the PAD requantizes ({x.Quantization} → {u.Quantization})");
                continue;
            }
            if (conv.Kind == OpKind.DepthwiseConv2D && x.Quantization.IsQuantized && x.Quantization.ZeroPoint != 0)
            {
                // TFLite pads a quantized depthwise conv with the zero point, but Arm NN 20.08's reference backend
                // disagrees with its own PAD there, so the rewrite cannot be shown bit-exact on an independent executor.
                yield return RewriteSite.Decline([pad, conv], what,
                    $"not proven exact: runtimes differ on a quantized depthwise conv's implicit padding when the zero point is {x.Quantization.ZeroPoint}, not 0");
                continue;
            }
            if (PadValueIsZero(pad, u) is { } why)
            {
                yield return RewriteSite.Decline([pad, conv], what, why);
                continue;
            }
            Padding2D padding;
            if (context.Capabilities.ExplicitConvPadding)
                padding = new Padding2D(PaddingKind.Explicit, (int)top, (int)bottom, (int)left, (int)right);
            else
            {
                var (st, sb) = Same(x.Shape[hAxis], c.KernelH, c.StrideH, c.DilationH);
                var (sl, sr) = Same(x.Shape[wAxis], c.KernelW, c.StrideW, c.DilationW);
                if ((st, sb, sl, sr) != (top, bottom, left, right))
                {
                    yield return RewriteSite.Decline([pad, conv], what,
                        $"the format has only SAME/VALID padding and SAME pads {st},{sb},{sl},{sr} (top, bottom, left, right) here, not {top},{bottom},{left},{right}");
                    continue;
                }
                padding = Padding2D.Same((int)st, (int)sb, (int)sl, (int)sr);
            }
            yield return new RewriteSite([pad, conv], what, () =>
            {
                conv.Inputs = [x, .. conv.Inputs.Skip(1)];
                conv.Attributes = c with { Padding = padding };
                GraphEdit.Remove(graph, [pad], [u, .. pad.Inputs.Skip(1)]);
            });
        }
    }

    /// <summary>SAME's (before, after) for one spatial axis, as TFLite computes it.</summary>
    public static (long Before, long After) Same(long input, int kernel, int stride, int dilation)
    {
        var effective = (long)(kernel - 1) * dilation + 1;
        var output = (input + stride - 1) / stride;
        var total = Math.Max(0, (output - 1) * stride + effective - input);
        return (total / 2, total - total / 2);
    }

    /// <summary>Null when the op pads with the quantized zero, else why not.</summary>
    private static string? PadValueIsZero(Operator pad, Tensor u)
    {
        if (pad.Input(2) is not { } value) return null; // PAD and PADV2/ONNX Pad without a value pad with the zero point (0.0 in float)
        if (value.Data.IsEmpty) return "the pad value is not a constant";
        var bytes = value.Data.Span;
        var zero = u.Quantization.IsQuantized ? u.Quantization.ZeroPoint : 0;
        long? v = value.Type switch
        {
            DataType.Int8 when bytes.Length == 1 => (sbyte)bytes[0],
            DataType.UInt8 when bytes.Length == 1 => bytes[0],
            DataType.Float32 when bytes.Length == 4 => BitConverter.ToInt32(bytes) == 0 ? 0 : null,
            _ => null,
        };
        if (v is null) return $"not bit-exact: the pad value is not the quantized zero (+0.0 or zero point {zero})";
        return v == zero ? null : $"not bit-exact: the pad value {v} is not the zero point {zero}";
    }
}
