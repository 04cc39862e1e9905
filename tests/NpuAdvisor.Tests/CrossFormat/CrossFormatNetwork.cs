using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Tests.Onnx;

namespace NpuAdvisor.Tests.CrossFormat;

/// <summary>
/// One small float32 network written twice: through the project's TFLite writer (NHWC, OHWI weights)
/// and as an ONNX ModelProto (NCHW, OIHW weights). ONNX node names equal the TFLite op names (the
/// output tensor names), so ops correspond by name. Op names carry no digits so that the numbers a
/// finding message holds are the op's numbers only.
/// </summary>
internal static class CrossFormatNetwork
{
    /// <summary>ONNX-only nodes: the depthwise conv's fused RELU6 in TFLite is a separate Clip(0, 6) node in ONNX.</summary>
    public const string DepthwiseClip = "dwclip";

    /// <summary>The ops both graphs have, by name.</summary>
    public static readonly string[] SharedOps =
        ["stem", "body", "bodyrelu", "wide", "padded", "narrow", "joined", "dw", "up", "pool", "gap", "logits", "probs"];

    public static Graph Tflite()
    {
        var b = new GraphBuilder { ActivationType = DataType.Float32 };
        var x = b.Input("image", 1, 96, 96, 3);
        var stem = b.Conv2D(x, 16, 5, 5, stride: 3, name: "stem");                      // 5×5 stride 3 → 32×32×16
        var body = b.Conv2D(stem, 32, 3, 3, name: "body");                               // conv without fused activation…
        var relu = b.Unary(OpKind.Relu, body, name: "bodyrelu");                         // …followed by a standalone RELU
        var wide = b.Conv2D(relu, 100, 1, 1, name: "wide");                              // 100 filters
        var padded = b.Pad(wide, 1, 1, 1, 1, name: "padded");                            // explicit PAD…
        var narrow = b.Conv2D(padded, 28, 3, 3, padding: PaddingKind.Valid, name: "narrow"); // …before a VALID conv
        var joined = b.Concat([wide, narrow], axis: 3, name: "joined");                  // 100 + 28 channels
        var dw = b.DepthwiseConv2D(joined, 3, 3, activation: FusedActivation.Relu6, name: "dw");
        var up = b.Resize(dw, 64, 64, name: "up");                                       // nearest ×2
        var pool = b.Pool(OpKind.MaxPool2D, up, 3, 2, name: "pool");                     // 3×3 stride 2 VALID → 31×31
        var gap = b.Mean(pool, [1, 2], keepDims: false, name: "gap");
        var logits = b.FullyConnected(gap, 10, name: "logits");
        b.Output(b.Softmax(logits, name: "probs"));
        return TfliteImporter.Load(TfliteExporter.Write(b.Build()));
    }

    public static Graph Onnx()
    {
        var m = new OnnxModel(opset: 13).Input("image", 1, 3, 96, 96);
        Conv(m, "stem", "image", 16, 3, 5, 3, autoPad: "SAME_UPPER");
        Conv(m, "body", "stem", 32, 16, 3, 1, autoPad: "SAME_UPPER");
        Node(m, "Relu", "bodyrelu", ["body"], "bodyrelu");
        Conv(m, "wide", "bodyrelu", 100, 32, 1, 1, autoPad: "SAME_UPPER");
        m.Init(OnnxModel.Int64s("padded/pads", 0, 0, 1, 1, 0, 0, 1, 1)); // NCHW begins then ends
        Node(m, "Pad", "padded", ["wide", "padded/pads"], "padded");
        Conv(m, "narrow", "padded", 28, 100, 3, 1, autoPad: "VALID");
        Node(m, "Concat", "joined", ["wide", "narrow"], "joined", OnnxModel.Int("axis", 1));
        Conv(m, "dw", "joined", 128, 1, 3, 1, autoPad: "SAME_UPPER", group: 128, output: "dwlinear");
        m.Init(OnnxModel.Scalar("dwclip/min", 1, 0)).Init(OnnxModel.Scalar("dwclip/max", 1, 6));
        Node(m, "Clip", DepthwiseClip, ["dwlinear", "dwclip/min", "dwclip/max"], "dw");
        m.Init(OnnxModel.Floats("up/scales", [4], 1f));
        m.Graph.Initializer[^1].FloatData[2] = 2f;
        m.Graph.Initializer[^1].FloatData[3] = 2f;
        // TFLite RESIZE_NEAREST_NEIGHBOR without align_corners/half_pixel_centers is ONNX's asymmetric + floor.
        Node(m, "Resize", "up", ["dw", "", "up/scales"], "up",
            OnnxModel.Str("mode", "nearest"), OnnxModel.Str("coordinate_transformation_mode", "asymmetric"), OnnxModel.Str("nearest_mode", "floor"));
        Node(m, "MaxPool", "pool", ["up"], "pool", OnnxModel.Ints("kernel_shape", 3, 3), OnnxModel.Ints("strides", 2, 2));
        Node(m, "ReduceMean", "gap", ["pool"], "gap", OnnxModel.Ints("axes", 2, 3), OnnxModel.Int("keepdims", 0));
        m.Init(OnnxModel.Floats("logits/weights", [10, 128], 0.01f)).Init(OnnxModel.Floats("logits/bias", [10], 0f));
        Node(m, "Gemm", "logits", ["gap", "logits/weights", "logits/bias"], "logits", OnnxModel.Int("transB", 1));
        Node(m, "Softmax", "probs", ["logits"], "probs", OnnxModel.Int("axis", -1));
        m.Output("probs");
        return m.Load("crossformat.onnx");
    }

    private static void Conv(OnnxModel m, string name, string input, int filters, int inChannelsPerGroup, int kernel, int stride,
        string autoPad, int group = 1, string? output = null)
    {
        m.Init(OnnxModel.Floats(name + "/weights", [filters, inChannelsPerGroup, kernel, kernel], 0.01f));
        m.Init(OnnxModel.Floats(name + "/bias", [filters], 0f));
        var attributes = new List<AttributeProto>
        {
            OnnxModel.Ints("kernel_shape", kernel, kernel), OnnxModel.Ints("strides", stride, stride), OnnxModel.Str("auto_pad", autoPad),
        };
        if (group != 1) attributes.Add(OnnxModel.Int("group", group));
        Node(m, "Conv", name, [input, name + "/weights", name + "/bias"], output ?? name, [.. attributes]);
    }

    private static void Node(OnnxModel m, string opType, string name, string[] inputs, string output, params AttributeProto[] attributes) =>
        m.Node(opType, inputs, [output], attributes).Name = name;
}
