using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>
/// The published networks of calibration.md, built layer by layer with <see cref="GraphBuilder"/> (int8,
/// TFLite shapes) for the rows whose model file is not in shared/models. MobileNetV2 reproduces the
/// shared mobilenet_v2_1.0_224_quant.tflite op for op (66 ops, 300,775,552 MACs).
/// </summary>
public static partial class ReferenceGraphs
{
    /// <summary>MobileNet v2 1.0/224: TF1 QAT layout (AVERAGE_POOL_2D head), or the TF2 PTQ layout (QUANTIZE in/out, MEAN, per-channel).</summary>
    public static Graph MobileNetV2(int size = 224, bool tf2 = false)
    {
        var b = new GraphBuilder { Description = tf2 ? "MobileNetV2 (TF2 PTQ shape)" : "MobileNetV2 (TF1 QAT shape)" };
        var pc = tf2;
        var x = b.Input("input", 1, size, size, 3);
        if (tf2) x = b.Unary(OpKind.Quantize, x, "quantize_in");
        x = b.Conv2D(x, 32, 3, 3, 2, activation: FusedActivation.Relu6, perChannel: pc);
        x = b.DepthwiseConv2D(x, 3, 3, 1, activation: FusedActivation.Relu6, perChannel: pc);
        x = b.Conv2D(x, 16, 1, 1, perChannel: pc);
        long c = 16;
        foreach (var (t, outC, n, s) in new[] { (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1) })
        {
            for (var i = 0; i < n; i++)
            {
                var stride = i == 0 ? s : 1;
                var y = b.Conv2D(x, (int)(c * t), 1, 1, activation: FusedActivation.Relu6, perChannel: pc);
                y = b.DepthwiseConv2D(y, 3, 3, stride, activation: FusedActivation.Relu6, perChannel: pc);
                y = b.Conv2D(y, outC, 1, 1, perChannel: pc);
                x = stride == 1 && c == outC ? b.Binary(OpKind.Add, x, y) : y;
                c = outC;
            }
        }
        x = b.Conv2D(x, 1280, 1, 1, activation: FusedActivation.Relu6, perChannel: pc);
        x = tf2 ? b.Mean(x, [1, 2]) : b.Pool(OpKind.AveragePool2D, x, size / 32, 1);
        x = b.Conv2D(x, 1001, 1, 1, perChannel: pc);
        x = b.Reshape(x, [1, 1001]);
        x = b.Softmax(x);
        if (tf2) x = b.Unary(OpKind.Quantize, x, "quantize_out");
        b.Output(x);
        return b.Build();
    }

    /// <summary>MobileNet v1 1.0/224 (569 MMAC): 13 depthwise-separable blocks.</summary>
    public static Graph MobileNetV1(int size = 224)
    {
        var b = new GraphBuilder { Description = "MobileNetV1" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 32, 3, 3, 2, activation: FusedActivation.Relu6);
        foreach (var (outC, s) in new[] { (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1) })
        {
            x = b.DepthwiseConv2D(x, 3, 3, s, activation: FusedActivation.Relu6);
            x = b.Conv2D(x, outC, 1, 1, activation: FusedActivation.Relu6);
        }
        x = b.Pool(OpKind.AveragePool2D, x, size / 32, 1);
        x = b.Conv2D(x, 1001, 1, 1);
        x = b.Reshape(x, [1, 1001]);
        b.Output(b.Softmax(x));
        return b.Build();
    }

    /// <summary>EfficientNet-Lite0 (no squeeze-excite, ReLU6) at the given input size.</summary>
    public static Graph EfficientNetLite0(int size = 300)
    {
        var b = new GraphBuilder { Description = "EfficientNet-Lite0" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 32, 3, 3, 2, activation: FusedActivation.Relu6);
        long c = 32;
        foreach (var (t, k, s, outC, n) in new[] { (1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3), (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1) })
        {
            for (var i = 0; i < n; i++)
            {
                var stride = i == 0 ? s : 1;
                var y = t == 1 ? x : b.Conv2D(x, (int)(c * t), 1, 1, activation: FusedActivation.Relu6);
                y = b.DepthwiseConv2D(y, k, k, stride, activation: FusedActivation.Relu6);
                y = b.Conv2D(y, outC, 1, 1);
                x = stride == 1 && c == outC ? b.Binary(OpKind.Add, x, y) : y;
                c = outC;
            }
        }
        x = b.Conv2D(x, 1280, 1, 1, activation: FusedActivation.Relu6);
        var h = FeatureMaps.Logical(TensorLayout.Nhwc, x)!.Value.H;
        x = b.Pool(OpKind.AveragePool2D, x, (int)h, 1);
        x = b.Reshape(x, [1, 1280]);
        x = b.FullyConnected(x, 1000);
        b.Output(b.Softmax(x));
        return b.Build();
    }

    /// <summary>ResNet-50 v1 (bottlenecks with the stride on the first 1×1), about 25.6 M parameters.</summary>
    public static Graph ResNet50(int size = 299)
    {
        var b = new GraphBuilder { Description = "ResNet-50 v1" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 64, 7, 7, 2, activation: FusedActivation.Relu);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2, PaddingKind.Same);
        foreach (var (mid, blocks, s) in new[] { (64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2) })
        {
            for (var i = 0; i < blocks; i++)
            {
                var stride = i == 0 ? s : 1;
                var shortcut = i == 0 ? b.Conv2D(x, mid * 4, 1, 1, stride) : x;
                var y = b.Conv2D(x, mid, 1, 1, stride, activation: FusedActivation.Relu);
                y = b.Conv2D(y, mid, 3, 3, activation: FusedActivation.Relu);
                y = b.Conv2D(y, mid * 4, 1, 1);
                x = b.Binary(OpKind.Add, shortcut, y, activation: FusedActivation.Relu);
            }
        }
        var h = FeatureMaps.Logical(TensorLayout.Nhwc, x)!.Value.H;
        x = b.Pool(OpKind.AveragePool2D, x, (int)h, 1);
        x = b.Reshape(x, [1, 2048]);
        x = b.FullyConnected(x, 1000);
        b.Output(b.Softmax(x));
        return b.Build();
    }
}
