using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis.Cost;

public static partial class ReferenceGraphs
{
    /// <summary>The YOLOv5 sizes calibration.md names.</summary>
    public enum YoloSize { N, S, M }

    /// <summary>How the export lays the network out.</summary>
    public enum YoloLayout
    {
        /// <summary>
        /// As the shared ARTPEC-8 export (shared/models/tflite/axis/yolov5n_artpec8_coco_640.tflite): channel counts rounded
        /// for the DLPU (16/32/64/128/256 at n → 24/36/72/132/264, C3 hidden 18/36/66/132), n reproduces the file op for op.
        /// </summary>
        Artpec8,
        /// <summary>
        /// The public YOLOv5 v6 definition's channel counts (width × 64…1024 rounded to multiples of 8: all multiples of 16 at
        /// s and m, as ARTPEC-9's tips ask), and the 6×6/2 stem written as its exact equivalent SPACE_TO_DEPTH(2) + 3×3/1
        /// convolution over 12 channels (a 6×6 kernel is outside the Ethos-N kernel set). Stands in for the ARTPEC-9 export,
        /// which is not shared (calibration.md's caveat).
        /// </summary>
        Reference,
    }

    /// <summary>
    /// YOLOv5 (v6 definition: 6×6 stem, C3 blocks, SPPF, PANet head, Detect decode) with explicit PADs before every
    /// stride-2 convolution and the decode in the graph, as the Axis TFLite exports write it. calibration.md's recipe:
    /// s doubles every hidden channel count of n, m triples it and doubles the C3 repeats (depth 0.67 vs 0.33); the
    /// 3-channel input and the 255-channel detection outputs stay.
    /// </summary>
    public static Graph YoloV5(YoloSize size, YoloLayout layout = YoloLayout.Artpec8, int input = 640)
    {
        var (w, depth) = size switch { YoloSize.N => (1, 1), YoloSize.S => (2, 1), _ => (3, 2) };
        var b = new GraphBuilder { Description = $"YOLOv5{size.ToString().ToLowerInvariant()} ({layout} layout)", WeightScale = 0.01f };
        // Channels of a v6 yaml layer of width c (at width multiple 1.0), and the C3 hidden width of a C3 of output c.
        var a8Out = new Dictionary<int, int> { [64] = 24, [128] = 36, [256] = 72, [512] = 132, [1024] = 264 };
        var a8Hidden = new Dictionary<int, int> { [128] = 18, [256] = 36, [512] = 66, [1024] = 132 };
        int Out(int c) => layout == YoloLayout.Artpec8 ? a8Out[c] * w : (int)Math.Ceiling(c * 0.25 * w / 8) * 8;
        int Hidden(int c) => layout == YoloLayout.Artpec8 ? a8Hidden[c] * w : Out(c) / 2;
        var raw = b.Input("images", 1, input, input, 3);
        var x = b.Unary(OpKind.Quantize, raw, "quantize_in");
        if (layout == YoloLayout.Artpec8) x = DownConv(b, x, Out(64), 6, 2);
        else
        {
            var f = FeatureMaps.Logical(TensorLayout.Nhwc, x)!.Value;
            var s2d = b.Activation("space_to_depth", 1, f.H / 2, f.W / 2, 12);
            b.Op(OpKind.SpaceToDepth, [x], [s2d], new BlockAttributes(2));
            // 6×6/2 with 2 pixels of padding = 3×3/1 on the 2×2-blocked input with 1 block of padding.
            x = b.Conv2D(b.Pad(s2d, 1, 1, 1, 1), Out(64), 3, 3, 1, PaddingKind.Valid, FusedActivation.Relu6);
        }
        x = DownConv(b, x, Out(128), 3, 1);
        x = C3(b, x, Out(128), Hidden(128), 1 * depth, shortcut: true);
        x = DownConv(b, x, Out(256), 3, 1);
        var p3 = x = C3(b, x, Out(256), Hidden(256), 2 * depth, shortcut: true);
        x = DownConv(b, x, Out(512), 3, 1);
        var p4 = x = C3(b, x, Out(512), Hidden(512), 3 * depth, shortcut: true);
        x = DownConv(b, x, Out(1024), 3, 1);
        x = C3(b, x, Out(1024), Hidden(1024), 1 * depth, shortcut: true);
        // SPPF: three chained 5×5 max pools.
        var s = b.Conv2D(x, Hidden(1024), 1, 1, activation: FusedActivation.Relu6);
        var m1 = b.Pool(OpKind.MaxPool2D, s, 5, 1, PaddingKind.Same);
        var m2 = b.Pool(OpKind.MaxPool2D, m1, 5, 1, PaddingKind.Same);
        var m3 = b.Pool(OpKind.MaxPool2D, m2, 5, 1, PaddingKind.Same);
        x = b.Conv2D(b.Concat([s, m1, m2, m3]), Out(1024), 1, 1, activation: FusedActivation.Relu6);
        // PANet head.
        var h5 = b.Conv2D(x, Out(512), 1, 1, activation: FusedActivation.Relu6);
        x = b.Concat([b.Resize(h5, input / 16, input / 16), p4]);
        x = C3(b, x, Out(512), Hidden(512), depth, shortcut: false);
        var h4 = b.Conv2D(x, Out(256), 1, 1, activation: FusedActivation.Relu6);
        x = b.Concat([b.Resize(h4, input / 8, input / 8), p3]);
        var out3 = x = C3(b, x, Out(256), Hidden(256), depth, shortcut: false);
        x = b.Concat([DownConv(b, x, Out(256), 3, 1), h4]);
        var out4 = x = C3(b, x, Out(512), Hidden(512), depth, shortcut: false);
        x = b.Concat([DownConv(b, x, Out(512), 3, 1), h5]);
        var out5 = C3(b, x, Out(1024), Hidden(1024), depth, shortcut: false);
        // Detect: one 1×1 convolution to 3 anchors × 85 per level, then the in-graph decode.
        var levels = new[] { out5, out4, out3 }.Select(o => Decode(b, b.Conv2D(o, 255, 1, 1))).ToList();
        var all = b.Concat([levels[2], levels[1], levels[0]], axis: 1);
        b.Output(b.Unary(OpKind.Quantize, all, "quantize_out"));
        return b.Build();
    }

    /// <summary>TFLite's int8 LOGISTIC output quantization (scale 1/256, zero point -128), which the kernels require.</summary>
    internal static Quantization SigmoidQuantization => Quantization.PerTensor(1f / 256, -128);

    /// <summary>A stride-2 convolution with its explicit PAD (VALID padding), as the export writes it.</summary>
    private static Tensor DownConv(GraphBuilder b, Tensor x, int filters, int kernel, int pad)
    {
        x = b.Pad(x, pad, pad, pad, pad);
        return b.Conv2D(x, filters, kernel, kernel, 2, PaddingKind.Valid, FusedActivation.Relu6);
    }

    /// <summary>C3: cv1 → n bottlenecks (1×1, 3×3, optional residual add), cv2 in parallel, concat, cv3.</summary>
    private static Tensor C3(GraphBuilder b, Tensor x, int outC, int hidden, int n, bool shortcut)
    {
        var y = b.Conv2D(x, hidden, 1, 1, activation: FusedActivation.Relu6);
        for (var i = 0; i < n; i++)
        {
            var t = b.Conv2D(y, hidden, 1, 1, activation: FusedActivation.Relu6);
            t = b.Conv2D(t, hidden, 3, 3, activation: FusedActivation.Relu6);
            y = shortcut ? b.Binary(OpKind.Add, y, t) : t;
        }
        var z = b.Conv2D(x, hidden, 1, 1, activation: FusedActivation.Relu6);
        return b.Conv2D(b.Concat([y, z]), outC, 1, 1, activation: FusedActivation.Relu6);
    }

    /// <summary>
    /// The decode of one level ([1,H,W,255] → [1,H·W·3,85]): xy = (σ·2 + grid)·stride·scale, wh = σ²·anchor·scale,
    /// scores = σ re-quantized, concatenated per anchor.
    /// </summary>
    private static Tensor Decode(GraphBuilder b, Tensor head)
    {
        var f = FeatureMaps.Logical(TensorLayout.Nhwc, head)!.Value;
        var cells = f.H * f.W;
        var grid = b.Reshape(head, [1, cells, 3, 85]);
        Tensor Slice(long from, long count)
        {
            var y = b.Activation($"slice{b.Main.Operators.Count}", 1, cells, 3, count);
            b.Op(OpKind.StridedSlice, [grid, b.Int32Constant("begin", 0, 0, 0, (int)from), b.Int32Constant("end", 1, (int)cells, 3, (int)(from + count)),
                b.Int32Constant("strides", 1, 1, 1, 1)], [y],
                new StridedSliceAttributes(0, 0, 0, 0, 0, [0, 0, 0, from], [1, cells, 3, from + count], [1, 1, 1, 1]));
            return y;
        }
        Tensor Const(string name, params long[] dims)
        {
            var n = dims.Aggregate(1L, (a, d) => a * d);
            return b.Constant(name, DataType.Int8, dims, new byte[n], b.ActivationQuantization);
        }
        var xy = b.Unary(OpKind.Logistic, Slice(0, 2), outputQuantization: SigmoidQuantization);
        xy = b.Binary(OpKind.Mul, xy, Const("two"));
        xy = b.Binary(OpKind.Add, xy, Const("grid", 1, cells, 1, 2));
        xy = b.Binary(OpKind.Mul, xy, Const("stride"));
        xy = b.Binary(OpKind.Mul, xy, Const("scale_xy", 1, 2));
        var wh = b.Unary(OpKind.Logistic, Slice(2, 2), outputQuantization: SigmoidQuantization);
        wh = b.Binary(OpKind.Mul, wh, wh);
        wh = b.Binary(OpKind.Mul, wh, Const("anchors", 1, 1, 3, 2));
        wh = b.Binary(OpKind.Mul, wh, Const("scale_wh", 1, 2));
        var scores = b.Unary(OpKind.Quantize, b.Unary(OpKind.Logistic, Slice(4, 81), outputQuantization: SigmoidQuantization));
        return b.Reshape(b.Concat([xy, wh, scores]), [1, cells * 3, 85]);
    }
}
