using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Tests.Onnx;

namespace NpuAdvisor.Tests.CrossFormat;

/// <summary>
/// One small network written twice: through the project's TFLite writer (NHWC, OHWI weights) and as an
/// ONNX ModelProto (NCHW, OIHW weights), either float32 or int8 (TFLite int8 tensors vs ONNX QDQ: every
/// activation goes through QuantizeLinear → DequantizeLinear and weights/biases are integer initializers
/// behind a DequantizeLinear). ONNX node names equal the TFLite op names (their output tensor names), so
/// ops correspond by name. Names carry no digits, so the numbers in a finding message are the op's own.
/// </summary>
internal static class CrossFormatNetwork
{
    /// <summary>The depthwise conv's fused RELU6 in TFLite is this separate Clip(0, 6) node in ONNX.</summary>
    public const string DepthwiseClip = "dwclip";

    /// <summary>The ops both graphs have, by name, in TFLite order.</summary>
    public static readonly string[] SharedOps =
        ["stem", "body", "bodyrelu", "wide", "padded", "narrow", "joined", "dw", "up", "pool", "gap", "logits", "probs"];

    private const float ActivationScale = 1f / 32, WeightScale = 0.01f, SoftmaxScale = 1f / 256;
    private const int SoftmaxZeroPoint = -128;

    public static Graph Tflite(bool int8)
    {
        var b = new GraphBuilder
        {
            ActivationType = int8 ? DataType.Int8 : DataType.Float32,
            ActivationQuantization = Quantization.PerTensor(ActivationScale, 0),
            WeightScale = WeightScale,
        };
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

    public static Graph Onnx(bool qdq) => new OnnxNetwork(qdq).Build();

    private sealed class OnnxNetwork(bool qdq)
    {
        private readonly OnnxModel _m = new(opset: 13);

        public Graph Build()
        {
            var m = _m;
            if (qdq)
            {
                m.Init(OnnxModel.Scalar("act/scale", 1, ActivationScale)).Init(OnnxModel.Scalar("act/zp", 3, 0));
                m.Init(OnnxModel.Scalar("softmax/scale", 1, SoftmaxScale)).Init(OnnxModel.Scalar("softmax/zp", 3, SoftmaxZeroPoint));
                m.Init(OnnxModel.Scalar("weights/scale", 1, WeightScale)).Init(OnnxModel.Scalar("weights/zp", 3, 0));
                m.Init(OnnxModel.Scalar("bias/scale", 1, ActivationScale * WeightScale)).Init(OnnxModel.Scalar("bias/zp", 6, 0));
                m.Input("image/float", 1, 3, 96, 96);
                QuantDequant("image/float", "image", "act");
            }
            else m.Input("image", 1, 3, 96, 96);

            Conv("stem", "image", 16, 3, 5, 3, autoPad: "SAME_UPPER");
            Conv("body", "stem", 32, 16, 3, 1, autoPad: "SAME_UPPER");
            Node("Relu", "bodyrelu", ["body"], "bodyrelu");
            Conv("wide", "bodyrelu", 100, 32, 1, 1, autoPad: "SAME_UPPER");
            m.Init(OnnxModel.Int64s("padded/pads", 0, 0, 1, 1, 0, 0, 1, 1)); // NCHW begins, then ends
            Node("Pad", "padded", ["wide", "padded/pads"], "padded");
            Conv("narrow", "padded", 28, 100, 3, 1, autoPad: "VALID");
            Node("Concat", "joined", ["wide", "narrow"], "joined", OnnxModel.Int("axis", 1));
            // As quantizers write a conv + activation: no Q/DQ between the conv and its Clip, which QDQ readers fuse.
            Conv("dw", "joined", 128, 1, 3, 1, autoPad: "SAME_UPPER", group: 128, output: "dwlinear", quantizeOutput: false);
            m.Init(OnnxModel.Scalar("dwclip/min", 1, 0)).Init(OnnxModel.Scalar("dwclip/max", 1, 6));
            Node("Clip", DepthwiseClip, ["dwlinear", "dwclip/min", "dwclip/max"], "dw");
            var scales = OnnxModel.Floats("up/scales", [4], 1f);
            scales.FloatData[2] = scales.FloatData[3] = 2f;
            m.Init(scales);
            // TFLite RESIZE_NEAREST_NEIGHBOR without align_corners/half_pixel_centers is ONNX's asymmetric + floor.
            Node("Resize", "up", ["dw", "", "up/scales"], "up",
                OnnxModel.Str("mode", "nearest"), OnnxModel.Str("coordinate_transformation_mode", "asymmetric"), OnnxModel.Str("nearest_mode", "floor"));
            Node("MaxPool", "pool", ["up"], "pool", OnnxModel.Ints("kernel_shape", 3, 3), OnnxModel.Ints("strides", 2, 2));
            Node("ReduceMean", "gap", ["pool"], "gap", OnnxModel.Ints("axes", 2, 3), OnnxModel.Int("keepdims", 0));
            Weights("logits", [10, 128]);
            Node("Gemm", "logits", ["gap", "logits/weights", "logits/bias"], "logits", OnnxModel.Int("transB", 1));
            Node("Softmax", "probs", ["logits"], "probs", qdq ? "softmax" : "act", OnnxModel.Int("axis", -1));
            m.Output("probs");
            return m.Load("crossformat.onnx");
        }

        private void Weights(string name, long[] dims)
        {
            var count = (int)dims.Aggregate(1L, (a, b) => a * b);
            if (!qdq)
            {
                _m.Init(OnnxModel.Floats(name + "/weights", dims, 0.01f)).Init(OnnxModel.Floats(name + "/bias", [dims[0]], 0f));
                return;
            }
            _m.Init(OnnxModel.Raw(name + "/weights/int8", 3, dims, [.. Enumerable.Range(0, count).Select(i => (byte)(sbyte)(i % 7 - 3 == 0 ? 1 : i % 7 - 3))]));
            _m.Init(OnnxModel.Raw(name + "/bias/int32", 6, [dims[0]], new byte[dims[0] * 4]));
            _m.Node("DequantizeLinear", [name + "/weights/int8", "weights/scale", "weights/zp"], [name + "/weights"]).Name = name + "/weights/dq";
            _m.Node("DequantizeLinear", [name + "/bias/int32", "bias/scale", "bias/zp"], [name + "/bias"]).Name = name + "/bias/dq";
        }

        private void Conv(string name, string input, int filters, int inChannelsPerGroup, int kernel, int stride,
            string autoPad, int group = 1, string? output = null, bool quantizeOutput = true)
        {
            Weights(name, [filters, inChannelsPerGroup, kernel, kernel]);
            var attributes = new List<AttributeProto>
            {
                OnnxModel.Ints("kernel_shape", kernel, kernel), OnnxModel.Ints("strides", stride, stride), OnnxModel.Str("auto_pad", autoPad),
            };
            if (group != 1) attributes.Add(OnnxModel.Int("group", group));
            if (quantizeOutput) Node("Conv", name, [input, name + "/weights", name + "/bias"], output ?? name, [.. attributes]);
            else _m.Node("Conv", [input, name + "/weights", name + "/bias"], [output ?? name], [.. attributes]).Name = name;
        }

        private void Node(string opType, string name, string[] inputs, string output, params AttributeProto[] attributes) =>
            Node(opType, name, inputs, output, "act", attributes);

        /// <summary>A node; with QDQ its float output goes through QuantizeLinear → DequantizeLinear before anyone reads it.</summary>
        private void Node(string opType, string name, string[] inputs, string output, string quantization, params AttributeProto[] attributes)
        {
            _m.Node(opType, inputs, [qdq ? output + "/float" : output], attributes).Name = name;
            if (qdq) QuantDequant(output + "/float", output, quantization);
        }

        private void QuantDequant(string floatName, string output, string quantization)
        {
            _m.Node("QuantizeLinear", [floatName, quantization + "/scale", quantization + "/zp"], [output + "/int8"]).Name = output + "/q";
            _m.Node("DequantizeLinear", [output + "/int8", quantization + "/scale", quantization + "/zp"], [output]).Name = output + "/dq";
        }
    }

}
