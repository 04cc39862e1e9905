using NpuAdvisor.Model;

namespace NpuAdvisor.Analysis.Cost;

/// <summary>
/// More published networks of calibration.md, from their public architecture definitions (the papers' layer
/// tables, as Keras/TF-slim build them), int8 with TFLite shapes.
/// </summary>
public static partial class ReferenceGraphs
{
    private const FusedActivation Relu = FusedActivation.Relu;
    private const FusedActivation Relu6 = FusedActivation.Relu6;

    private static long Side(Tensor x) => FeatureMaps.Logical(TensorLayout.Nhwc, x)!.Value.H;
    private static long Channels(Tensor x) => FeatureMaps.Logical(TensorLayout.Nhwc, x)!.Value.C;

    private static Tensor Classifier(GraphBuilder b, Tensor x, int classes)
    {
        x = b.Pool(OpKind.AveragePool2D, x, (int)Side(x), 1);
        x = b.Reshape(x, [1, Channels(x)]);
        x = b.FullyConnected(x, classes);
        return b.Softmax(x);
    }

    /// <summary>MobileNet v1 with width multiplier alpha (0.25 → 41 MMAC at 224).</summary>
    public static Graph MobileNetV1Alpha(double alpha, int size = 224)
    {
        var b = new GraphBuilder { Description = $"MobileNetV1 {alpha}" };
        int A(int c) => (int)(c * alpha);
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, A(32), 3, 3, 2, activation: Relu6);
        foreach (var (outC, s) in new[] { (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1) })
        {
            x = b.DepthwiseConv2D(x, 3, 3, s, activation: Relu6);
            x = b.Conv2D(x, A(outC), 1, 1, activation: Relu6);
        }
        x = b.Pool(OpKind.AveragePool2D, x, size / 32, 1);
        x = b.Conv2D(x, 1001, 1, 1);
        x = b.Reshape(x, [1, 1001]);
        b.Output(b.Softmax(x));
        return b.Build();
    }

    /// <summary>VGG16 (Simonyan &amp; Zisserman, configuration D): 13 3×3 convolutions, 3 fully connected layers, 15.5 GMAC at 224.</summary>
    public static Graph Vgg16(int size = 224)
    {
        var b = new GraphBuilder { Description = "VGG16" };
        var x = b.Input("input", 1, size, size, 3);
        foreach (var (c, n) in new[] { (64, 2), (128, 2), (256, 3), (512, 3), (512, 3) })
        {
            for (var i = 0; i < n; i++) x = b.Conv2D(x, c, 3, 3, activation: Relu);
            x = b.Pool(OpKind.MaxPool2D, x, 2, 2);
        }
        x = b.Reshape(x, [1, Side(x) * Side(x) * 512]);
        x = b.FullyConnected(x, 4096, Relu);
        x = b.FullyConnected(x, 4096, Relu);
        x = b.FullyConnected(x, 1000);
        b.Output(b.Softmax(x));
        return b.Build();
    }

    /// <summary>SqueezeNet 1.1 (the Keras/TF port Coral compiles): fire modules of a 1×1 squeeze and 1×1 + 3×3 expands.</summary>
    public static Graph SqueezeNet(int size = 224)
    {
        var b = new GraphBuilder { Description = "SqueezeNet 1.1" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 64, 3, 3, 2, PaddingKind.Valid, Relu);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2);
        Tensor Fire(Tensor t, int squeeze, int expand)
        {
            var s = b.Conv2D(t, squeeze, 1, 1, activation: Relu);
            return b.Concat([b.Conv2D(s, expand, 1, 1, activation: Relu), b.Conv2D(s, expand, 3, 3, activation: Relu)]);
        }
        x = Fire(Fire(x, 16, 64), 16, 64);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2);
        x = Fire(Fire(x, 32, 128), 32, 128);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2);
        x = Fire(Fire(Fire(Fire(x, 48, 192), 48, 192), 64, 256), 64, 256);
        x = b.Conv2D(x, 1000, 1, 1, activation: Relu);
        x = b.Pool(OpKind.AveragePool2D, x, (int)Side(x), 1);
        x = b.Reshape(x, [1, 1000]);
        b.Output(b.Softmax(x));
        return b.Build();
    }

    /// <summary>
    /// ResNet V2 (pre-activation, TF-slim resnet_v2: the stride on the last unit of a stage, a standalone ReLU before
    /// each unit since the batch norm cannot fold into the residual sum) with the given units per stage.
    /// </summary>
    public static Graph ResNetV2(int[] units, int size = 299)
    {
        var b = new GraphBuilder { Description = $"ResNet V2 ({string.Join("-", units)})" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 64, 7, 7, 2);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2, PaddingKind.Same);
        var depth = new[] { 64, 128, 256, 512 };
        for (var stage = 0; stage < 4; stage++)
        {
            for (var i = 0; i < units[stage]; i++)
            {
                var stride = i == units[stage] - 1 && stage < 3 ? 2 : 1;
                var mid = depth[stage];
                var pre = b.Unary(OpKind.Relu, x);
                var shortcut = i == 0
                    ? b.Conv2D(pre, mid * 4, 1, 1, stride)
                    : stride > 1 ? b.Pool(OpKind.MaxPool2D, x, 1, stride) : x;
                var y = b.Conv2D(pre, mid, 1, 1, activation: Relu);
                y = b.Conv2D(y, mid, 3, 3, stride, activation: Relu);
                y = b.Conv2D(y, mid * 4, 1, 1);
                x = b.Binary(OpKind.Add, shortcut, y);
            }
        }
        x = b.Unary(OpKind.Relu, x);
        b.Output(Classifier(b, x, 1001));
        return b.Build();
    }

    /// <summary>Inception v1 (GoogLeNet, Szegedy et al. table 1) at 224: nine inception modules.</summary>
    public static Graph InceptionV1(int size = 224)
    {
        var b = new GraphBuilder { Description = "Inception v1" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 64, 7, 7, 2, activation: Relu6);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2, PaddingKind.Same);
        x = b.Conv2D(x, 64, 1, 1, activation: Relu6);
        x = b.Conv2D(x, 192, 3, 3, activation: Relu6);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2, PaddingKind.Same);
        Tensor Module(Tensor t, int c1, int r3, int c3, int r5, int c5, int pool)
        {
            var a = b.Conv2D(t, c1, 1, 1, activation: Relu6);
            var m = b.Conv2D(b.Conv2D(t, r3, 1, 1, activation: Relu6), c3, 3, 3, activation: Relu6);
            var n = b.Conv2D(b.Conv2D(t, r5, 1, 1, activation: Relu6), c5, 3, 3, activation: Relu6); // slim uses 3×3 here
            var p = b.Conv2D(b.Pool(OpKind.MaxPool2D, t, 3, 1, PaddingKind.Same), pool, 1, 1, activation: Relu6);
            return b.Concat([a, m, n, p]);
        }
        x = Module(x, 64, 96, 128, 16, 32, 32);
        x = Module(x, 128, 128, 192, 32, 96, 64);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2, PaddingKind.Same);
        x = Module(x, 192, 96, 208, 16, 48, 64);
        x = Module(x, 160, 112, 224, 24, 64, 64);
        x = Module(x, 128, 128, 256, 24, 64, 64);
        x = Module(x, 112, 144, 288, 32, 64, 64);
        x = Module(x, 256, 160, 320, 32, 128, 128);
        x = b.Pool(OpKind.MaxPool2D, x, 2, 2, PaddingKind.Same);
        x = Module(x, 256, 160, 320, 32, 128, 128);
        x = Module(x, 384, 192, 384, 48, 128, 128);
        b.Output(Classifier(b, x, 1001));
        return b.Build();
    }

    /// <summary>Inception v3 (Szegedy et al. 2015, Keras layout) at 299, about 5.7 GMAC.</summary>
    public static Graph InceptionV3(int size = 299)
    {
        var b = new GraphBuilder { Description = "Inception v3" };
        Tensor Cv(Tensor t, int c, int kh, int kw, int s = 1, PaddingKind p = PaddingKind.Same) => b.Conv2D(t, c, kh, kw, s, p, Relu);
        var x = b.Input("input", 1, size, size, 3);
        x = Cv(x, 32, 3, 3, 2, PaddingKind.Valid);
        x = Cv(x, 32, 3, 3, 1, PaddingKind.Valid);
        x = Cv(x, 64, 3, 3);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2);
        x = Cv(x, 80, 1, 1, 1, PaddingKind.Valid);
        x = Cv(x, 192, 3, 3, 1, PaddingKind.Valid);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2);
        foreach (var pool in new[] { 32, 64, 64 })
        {
            var a = Cv(x, 64, 1, 1);
            var m = Cv(Cv(x, 48, 1, 1), 64, 5, 5);
            var n = Cv(Cv(Cv(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
            var p = Cv(b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same), pool, 1, 1);
            x = b.Concat([a, m, n, p]);
        }
        {
            var a = Cv(x, 384, 3, 3, 2, PaddingKind.Valid);
            var m = Cv(Cv(Cv(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, 2, PaddingKind.Valid);
            x = b.Concat([a, m, b.Pool(OpKind.MaxPool2D, x, 3, 2)]);
        }
        foreach (var c in new[] { 128, 160, 160, 192 })
        {
            var a = Cv(x, 192, 1, 1);
            var m = Cv(Cv(Cv(x, c, 1, 1), c, 1, 7), 192, 7, 1);
            var n = Cv(Cv(Cv(Cv(Cv(x, c, 1, 1), c, 7, 1), c, 1, 7), c, 7, 1), 192, 1, 7);
            var p = Cv(b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same), 192, 1, 1);
            x = b.Concat([a, m, n, p]);
        }
        {
            var a = Cv(Cv(x, 192, 1, 1), 320, 3, 3, 2, PaddingKind.Valid);
            var m = Cv(Cv(Cv(Cv(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, 2, PaddingKind.Valid);
            x = b.Concat([a, m, b.Pool(OpKind.MaxPool2D, x, 3, 2)]);
        }
        for (var i = 0; i < 2; i++)
        {
            var a = Cv(x, 320, 1, 1);
            var m = Cv(x, 384, 1, 1);
            var n = Cv(Cv(x, 448, 1, 1), 384, 3, 3);
            var p = Cv(b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same), 192, 1, 1);
            x = b.Concat([a, Cv(m, 384, 1, 3), Cv(m, 384, 3, 1), Cv(n, 384, 1, 3), Cv(n, 384, 3, 1), p]);
        }
        b.Output(Classifier(b, x, 1001));
        return b.Build();
    }

    /// <summary>Inception v4 (Szegedy et al. 2016, figures 3–9) at 299, about 12.3 GMAC and 42.7 M parameters.</summary>
    public static Graph InceptionV4(int size = 299)
    {
        var b = new GraphBuilder { Description = "Inception v4" };
        Tensor Cv(Tensor t, int c, int kh, int kw, int s = 1, PaddingKind p = PaddingKind.Same) => b.Conv2D(t, c, kh, kw, s, p, Relu);
        var x = b.Input("input", 1, size, size, 3);
        x = Cv(x, 32, 3, 3, 2, PaddingKind.Valid);
        x = Cv(x, 32, 3, 3, 1, PaddingKind.Valid);
        x = Cv(x, 64, 3, 3);
        x = b.Concat([b.Pool(OpKind.MaxPool2D, x, 3, 2), Cv(x, 96, 3, 3, 2, PaddingKind.Valid)]);
        x = b.Concat([Cv(Cv(x, 64, 1, 1), 96, 3, 3, 1, PaddingKind.Valid),
            Cv(Cv(Cv(Cv(x, 64, 1, 1), 64, 1, 7), 64, 7, 1), 96, 3, 3, 1, PaddingKind.Valid)]);
        x = b.Concat([Cv(x, 192, 3, 3, 2, PaddingKind.Valid), b.Pool(OpKind.MaxPool2D, x, 3, 2)]);
        for (var i = 0; i < 4; i++)
            x = b.Concat([Cv(b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same), 96, 1, 1), Cv(x, 96, 1, 1),
                Cv(Cv(x, 64, 1, 1), 96, 3, 3), Cv(Cv(Cv(x, 64, 1, 1), 96, 3, 3), 96, 3, 3)]);
        x = b.Concat([Cv(x, 384, 3, 3, 2, PaddingKind.Valid), Cv(Cv(Cv(x, 192, 1, 1), 224, 3, 3), 256, 3, 3, 2, PaddingKind.Valid),
            b.Pool(OpKind.MaxPool2D, x, 3, 2)]);
        for (var i = 0; i < 7; i++)
            x = b.Concat([Cv(b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same), 128, 1, 1), Cv(x, 384, 1, 1),
                Cv(Cv(Cv(x, 192, 1, 1), 224, 1, 7), 256, 7, 1),
                Cv(Cv(Cv(Cv(Cv(x, 192, 1, 1), 192, 1, 7), 224, 7, 1), 224, 1, 7), 256, 7, 1)]);
        x = b.Concat([Cv(Cv(x, 192, 1, 1), 192, 3, 3, 2, PaddingKind.Valid),
            Cv(Cv(Cv(Cv(x, 256, 1, 1), 256, 1, 7), 320, 7, 1), 320, 3, 3, 2, PaddingKind.Valid), b.Pool(OpKind.MaxPool2D, x, 3, 2)]);
        for (var i = 0; i < 3; i++)
        {
            var m = Cv(x, 384, 1, 1);
            var n = Cv(Cv(Cv(x, 384, 1, 1), 448, 1, 3), 512, 3, 1);
            x = b.Concat([Cv(b.Pool(OpKind.AveragePool2D, x, 3, 1, PaddingKind.Same), 256, 1, 1), Cv(x, 256, 1, 1),
                Cv(m, 256, 1, 3), Cv(m, 256, 3, 1), Cv(n, 256, 1, 3), Cv(n, 256, 3, 1)]);
        }
        b.Output(Classifier(b, x, 1001));
        return b.Build();
    }

    /// <summary>DenseNet-121 (Huang et al., growth 32, blocks 6/12/24/16, compression 0.5) at 224.</summary>
    public static Graph DenseNet121(int size = 224)
    {
        var b = new GraphBuilder { Description = "DenseNet-121" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 64, 7, 7, 2, activation: Relu);
        x = b.Pool(OpKind.MaxPool2D, x, 3, 2, PaddingKind.Same);
        var blocks = new[] { 6, 12, 24, 16 };
        for (var s = 0; s < 4; s++)
        {
            for (var i = 0; i < blocks[s]; i++)
            {
                // BN-ReLU before each composite layer: a standalone activation over the growing concatenation.
                var y = b.Conv2D(b.Unary(OpKind.Relu, x), 128, 1, 1, activation: Relu);
                y = b.Conv2D(y, 32, 3, 3);
                x = b.Concat([x, y]);
            }
            if (s == 3) break;
            x = b.Conv2D(b.Unary(OpKind.Relu, x), (int)(Channels(x) / 2), 1, 1);
            x = b.Pool(OpKind.AveragePool2D, x, 2, 2);
        }
        x = b.Unary(OpKind.Relu, x);
        b.Output(Classifier(b, x, 1000));
        return b.Build();
    }

    /// <summary>
    /// SSD MobileNet v1 (TF object-detection API, as Coral ships it: 6 feature maps with 3 anchors on the first and 6
    /// on the others, box and class heads per map, TFLite_Detection_PostProcess with 90 classes, fast NMS, 10 detections).
    /// </summary>
    public static Graph SsdMobileNetV1(int size = 300)
    {
        var b = new GraphBuilder { Description = "SSD MobileNet v1" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 32, 3, 3, 2, activation: Relu6);
        var maps = new List<Tensor>();
        var blocks = new[] { (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1) };
        for (var i = 0; i < blocks.Length; i++)
        {
            x = b.DepthwiseConv2D(x, 3, 3, blocks[i].Item2, activation: Relu6);
            x = b.Conv2D(x, blocks[i].Item1, 1, 1, activation: Relu6);
            if (i == 10 || i == 12) maps.Add(x);
        }
        foreach (var c in new[] { 512, 256, 256, 128 })
        {
            x = b.Conv2D(x, c / 2, 1, 1, activation: Relu6);
            x = b.Conv2D(x, c, 3, 3, 2, activation: Relu6);
            maps.Add(x);
        }
        const int classes = 91;
        var boxes = new List<Tensor>();
        var scores = new List<Tensor>();
        long anchors = 0;
        for (var m = 0; m < maps.Count; m++)
        {
            var perCell = m == 0 ? 3 : 6;
            var cells = Side(maps[m]) * Side(maps[m]);
            anchors += cells * perCell;
            boxes.Add(b.Reshape(b.Conv2D(maps[m], perCell * 4, 1, 1), [1, cells * perCell, 1, 4]));
            scores.Add(b.Reshape(b.Conv2D(maps[m], perCell * classes, 1, 1), [1, cells * perCell, classes]));
        }
        var boxAll = b.Reshape(b.Concat(boxes, axis: 1), [1, anchors, 4]);
        var scoreAll = b.Unary(OpKind.Logistic, b.Concat(scores, axis: 1), outputQuantization: SigmoidQuantization);
        var anchorBoxes = b.Constant("anchors", DataType.UInt8, [anchors, 4], new byte[anchors * 4], b.ActivationQuantization);
        var options = FlexMap.Write([("max_detections", 10), ("max_classes_per_detection", 1), ("detections_per_class", 100),
            ("num_classes", classes - 1), ("use_regular_nms", 0)]);
        var outs = new[]
        {
            b.Tensor("detection_boxes", DataType.Float32, new Shape([1, 10, 4])), b.Tensor("detection_classes", DataType.Float32, new Shape([1, 10])),
            b.Tensor("detection_scores", DataType.Float32, new Shape([1, 10])), b.Tensor("num_detections", DataType.Float32, new Shape([1])),
        };
        b.Main.Operators.Add(new Operator
        {
            Index = b.Main.Operators.Count, SubgraphIndex = 0, Kind = OpKind.Custom, SourceType = "CUSTOM:" + DetectionPostProcess.CustomCode,
            CustomCode = DetectionPostProcess.CustomCode, Name = "TFLite_Detection_PostProcess", Inputs = [boxAll, scoreAll, anchorBoxes],
            Outputs = outs, CustomOptions = options,
        });
        foreach (var o in outs) b.Output(o);
        return b.Build();
    }

    /// <summary>
    /// DeepLab V3 on MobileNet v2 (the Coral/TF deeplabv3_mnv2 export, output stride 16): the MobileNet v2 body with the
    /// last stride replaced by dilation, the image-pooling and 1×1 ASPP branches, 21-class logits, bilinear upsampling to
    /// the input and the per-pixel arg max.
    /// </summary>
    public static Graph DeepLabV3MobileNetV2(int size = 513)
    {
        var b = new GraphBuilder { Description = "DeepLab V3 MobileNet v2" };
        var x = b.Input("input", 1, size, size, 3);
        x = b.Conv2D(x, 32, 3, 3, 2, activation: Relu6);
        x = b.DepthwiseConv2D(x, 3, 3, 1, activation: Relu6);
        x = b.Conv2D(x, 16, 1, 1);
        long c = 16;
        foreach (var (t, outC, n, s) in new[] { (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 1), (6, 320, 1, 1) })
        {
            for (var i = 0; i < n; i++)
            {
                var stride = i == 0 ? s : 1;
                var y = b.Conv2D(x, (int)(c * t), 1, 1, activation: Relu6);
                y = b.DepthwiseConv2D(y, 3, 3, stride, activation: Relu6);
                y = b.Conv2D(y, outC, 1, 1);
                x = stride == 1 && c == outC ? b.Binary(OpKind.Add, x, y) : y;
                c = outC;
            }
        }
        var side = (int)Side(x);
        var pooled = b.Conv2D(b.Pool(OpKind.AveragePool2D, x, side, 1), 256, 1, 1, activation: Relu);
        var image = b.Resize(pooled, side, side, ResizeMode.Bilinear);
        var aspp = b.Conv2D(x, 256, 1, 1, activation: Relu);
        x = b.Conv2D(b.Concat([image, aspp]), 256, 1, 1, activation: Relu);
        x = b.Conv2D(x, 21, 1, 1);
        x = b.Resize(x, size, size, ResizeMode.Bilinear);
        var arg = b.Tensor("segmentation", DataType.Int32, new Shape([1, size, size]));
        b.Op(OpKind.ArgMax, [x, b.Int32Constant("axis", 3)], [arg], new AxisAttributes(3));
        b.Output(arg);
        return b.Build();
    }
}
