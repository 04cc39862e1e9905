using System.Collections.Immutable;
using System.Runtime.InteropServices;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;

namespace NpuAdvisor.Rewrite;

/// <summary>
/// align-channels: a CONV_2D whose output channels are not a multiple of the target's (ARTPEC-8 6,
/// ARTPEC-9 16, AMLNN the core count) gets zero filters (zero weights, zero bias) up to the next multiple,
/// when its only reader is another CONV_2D, which gets zero weights for the added input channels. The added
/// channels hold the quantized zero, and every weight that reads them is zero, so the reader's output is
/// unchanged; the widened tensor is internal, so no model output changes shape. TFLite layouts only
/// (weights O×H×W×I); other readers (depthwise, fully connected, pooling…) are not widened.
/// </summary>
public sealed class AlignChannelsPass : RewritePass
{
    public override string Id => "align-channels";
    public override string Summary => "append zero filters so a conv's output channels reach the target's multiple, with zero input weights in the conv that reads them";

    public override bool Fixes(Rule rule) => rule.FixKind == FixKind.AlignChannels;

    public override IEnumerable<RewriteSite> Sites(Graph graph, RewriteContext context)
    {
        if (context.ChannelMultiple is not { } multiple || multiple <= 1 || graph.Layout != TensorLayout.Nhwc) yield break;
        var sg = graph.Main;
        foreach (var conv in sg.Operators.ToList())
        {
            if (conv.Kind != OpKind.Conv2D || conv.Outputs.Count != 1 || conv.Input(1) is not { } w || conv.Input(2) is not { } bias) continue;
            var y = conv.Outputs[0];
            if (y.Shape.Rank != 4 || !y.Shape.IsFullyKnown || w.Shape.Rank != 4) continue;
            var n = (int)w.Shape[0];
            if (n % multiple == 0 || y.Shape[3] != n) continue;
            if (GraphEdit.SoleConsumer(sg, y) is not { Kind: OpKind.Conv2D } next || next.Input(0) != y || next.Inputs.Skip(1).Contains(y)) continue;
            if (next.Input(1) is not { } w2 || w2.Shape.Rank != 4 || w2.Shape[3] != n || next.Attr<ConvAttributes>() is not { Groups: <= 1 }) continue;
            if (!Widenable(w) || !Widenable(bias) || !Widenable(w2) || w.Consumers.Count != 1 || bias.Consumers.Count != 1 || w2.Consumers.Count != 1) continue;
            if (y.Quantization.Kind == QuantizationKind.PerAxis) continue;
            var target = (n + multiple - 1) / multiple * multiple;
            yield return new RewriteSite([conv, next], $"align {n} → {target} output channels", () =>
            {
                var extra = target - n;
                var filter = (int)(w.Shape[1] * w.Shape[2] * w.Shape[3]);
                w.Data = Append(w, filter * extra);
                w.Shape = new Shape(target, w.Shape[1], w.Shape[2], w.Shape[3]);
                w.Quantization = Extend(w.Quantization, extra);
                bias.Data = Append(bias, extra);
                bias.Shape = new Shape(target);
                bias.Quantization = Extend(bias.Quantization, extra);
                y.Shape = new Shape(y.Shape[0], y.Shape[1], y.Shape[2], target);
                if (y.ShapeSignature is { Rank: 4 } sig) y.ShapeSignature = new Shape(sig[0], sig[1], sig[2], target);
                w2.Data = InsertInner(w2, n, extra);
                w2.Shape = new Shape(w2.Shape[0], w2.Shape[1], w2.Shape[2], target);
            });
        }
    }

    private static bool Widenable(Tensor t) =>
        !t.Data.IsEmpty && t.Sparsity is null && t.Type is DataType.Int8 or DataType.Float32 or DataType.Int32
        && t.Shape.ElementCount is { } n && t.Data.Length == n * t.Type.Bits() / 8
        && (t.Quantization.Kind != QuantizationKind.PerAxis || t.Quantization.Axis == 0) && t.Quantization.ZeroPoints.All(z => z == 0);

    /// <summary>The tensor's bytes followed by <paramref name="elements"/> zero elements (zero is the quantized zero: weights and biases have zero point 0).</summary>
    private static byte[] Append(Tensor t, int elements)
    {
        var size = t.Type.Bits() / 8;
        var result = new byte[t.Data.Length + elements * size];
        t.Data.Span.CopyTo(result);
        return result;
    }

    /// <summary>Zero elements inserted after every <paramref name="n"/> innermost elements (the new input channels).</summary>
    private static byte[] InsertInner(Tensor t, int n, int extra)
    {
        var size = t.Type.Bits() / 8;
        var src = t.Data.Span;
        var rows = src.Length / (n * size);
        var result = new byte[rows * (n + extra) * size];
        for (var r = 0; r < rows; r++)
            src.Slice(r * n * size, n * size).CopyTo(result.AsSpan(r * (n + extra) * size));
        return result;
    }

    /// <summary>Per-channel scales grow with the filters (the added ones reuse the last scale, zero point 0).</summary>
    private static Quantization Extend(Quantization q, int extra)
    {
        if (q.Kind != QuantizationKind.PerAxis) return q;
        var scales = q.Scales.AddRange(Enumerable.Repeat(q.Scales[^1], extra));
        var zeros = q.ZeroPoints.AddRange(Enumerable.Repeat(0L, extra));
        return new Quantization(scales, zeros, q.Axis);
    }
}
