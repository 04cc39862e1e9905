using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Tests.Onnx;

namespace NpuAdvisor.Tests.CrossFormat;

/// <summary>Integer flavour of the twins: activation type and zero point, weights per tensor or per output channel.</summary>
public sealed record IntFlavour(string Name, DataType Type, long ZeroPoint, bool PerChannel)
{
    public static readonly IntFlavour Int8PerTensor = new("int8 per-tensor", DataType.Int8, -3, false);
    public static readonly IntFlavour Int8PerChannel = new("int8 per-channel", DataType.Int8, -3, true);
    public static readonly IntFlavour UInt8PerTensor = new("uint8 per-tensor", DataType.UInt8, 128, false);

    public static readonly IntFlavour[] All = [Int8PerTensor, Int8PerChannel, UInt8PerTensor];

    public int OnnxType => Type == DataType.Int8 ? 3 : 2;

    /// <summary>Stored weight value for a signed value v (uint8 weights carry zero point 128, as TFLite's uint8 models do).</summary>
    public byte Stored(int v) => Type == DataType.Int8 ? (byte)(sbyte)v : (byte)(v + 128);

    public override string ToString() => Name;
}

/// <summary>
/// One quantized network written three ways: TFLite int8/uint8 tensors, ONNX QDQ (every op between DequantizeLinear
/// and QuantizeLinear, the conv's Relu between the conv and its Q, as ONNX Runtime's quantizer writes it) and ONNX
/// QOperator (QLinearConv, com.microsoft QLinearAdd/QLinearConcat, MaxPool and Resize straight on the integers).
/// Graph input and output are integer, so nothing at the boundary converts from float. Ops share names across
/// the three; names carry no digits other than the layer numbers, which are the same in every form.
/// conv1 (3×3, Relu) → conv2 (1×1) → sum = conv1 + conv2 → pool (max 2×2/2) → up (nearest ×2) → joined = concat(sum, up).
/// </summary>
internal static class QuantizedTwins
{
    public static readonly string[] Ops = ["conv1", "conv2", "sum", "pool", "up", "joined"];
    public static readonly string[] ComputeOps = ["conv1", "conv2", "sum", "pool", "joined"];

    private const int Channels = 8, Filters = 16, Side = 16;
    private const float ActScale = 1f / 32, WeightScale = 0.01f;

    private static float ChannelScale(IntFlavour f, int channel) => f.PerChannel ? WeightScale * (1 + channel % 4) / 4 : WeightScale;

    public static Graph Tflite(IntFlavour f)
    {
        var b = new GraphBuilder { ActivationType = f.Type, ActivationQuantization = Quantization.PerTensor(ActScale, f.ZeroPoint), WeightScale = WeightScale };
        var x = b.Input("image", 1, Side, Side, Channels);
        var conv1 = b.Conv2D(x, Filters, 3, 3, activation: FusedActivation.Relu, name: "conv1", perChannel: f.PerChannel);
        var conv2 = b.Conv2D(conv1, Filters, 1, 1, name: "conv2", perChannel: f.PerChannel);
        var sum = b.Binary(OpKind.Add, conv1, conv2, name: "sum");
        var pool = b.Pool(OpKind.MaxPool2D, sum, 2, 2, name: "pool");
        var up = b.Resize(pool, Side, Side, name: "up");
        b.Output(b.Concat([sum, up], axis: 3, name: "joined"));
        if (f.Type == DataType.UInt8)
            foreach (var w in b.Main.Tensors.Where(t => t is { IsConstant: true, Type: DataType.Int8 }))
            {
                w.Type = DataType.UInt8;
                w.Data = w.Data.ToArray().Select(v => f.Stored((sbyte)v)).ToArray();
                w.Quantization = Quantization.PerTensor(w.Quantization.Scale, 128);
            }
        return TfliteImporter.Load(TfliteExporter.Write(b.Build()));
    }

    public static Graph Qdq(IntFlavour f) => new Onnx(f, qdq: true).Write().Load("twins-qdq.onnx");

    public static byte[] QdqBytes(IntFlavour f) => new Onnx(f, qdq: true).Write().Bytes();

    public static Graph QOperator(IntFlavour f) => new Onnx(f, qdq: false).Write().Load("twins-qop.onnx");

    private sealed class Onnx(IntFlavour f, bool qdq)
    {
        private readonly OnnxModel _m = new(opset: 13);

        public OnnxModel Write()
        {
            var m = _m;
            m.Model.OpsetImport.Add(new OperatorSetIdProto { Domain = "com.microsoft", Version = 1 });
            m.Init(OnnxModel.Scalar("act/scale", 1, ActScale)).Init(Zp("act/zp", f.ZeroPoint));
            m.Graph.Input.Add(OnnxModel.Value("image", f.OnnxType, 1, Channels, Side, Side));

            Conv("conv1", "image", Channels, 3, relu: true);
            Conv("conv2", "conv1", Filters, 1, relu: false);
            if (qdq) Quantized("Add", "sum", ["conv1", "conv2"]);
            else Contrib("QLinearAdd", "sum", ["conv1", "act/scale", "act/zp", "conv2", "act/scale", "act/zp", "act/scale", "act/zp"]);
            var pool = new[] { OnnxModel.Ints("kernel_shape", 2, 2), OnnxModel.Ints("strides", 2, 2) };
            if (qdq) Quantized("MaxPool", "pool", ["sum"], pool);
            else m.Node("MaxPool", ["sum"], ["pool"], pool).Name = "pool";
            var scales = OnnxModel.Floats("up/scales", [4], 1f);
            scales.FloatData[2] = scales.FloatData[3] = 2f;
            m.Init(scales);
            AttributeProto[] nearest = [OnnxModel.Str("mode", "nearest"), OnnxModel.Str("coordinate_transformation_mode", "asymmetric"), OnnxModel.Str("nearest_mode", "floor")];
            if (qdq) Quantized("Resize", "up", ["pool", "", "up/scales"], nearest);
            else m.Node("Resize", ["pool", "", "up/scales"], ["up"], nearest).Name = "up";
            if (qdq) Quantized("Concat", "joined", ["sum", "up"], OnnxModel.Int("axis", 1));
            else Contrib("QLinearConcat", "joined", ["act/scale", "act/zp", "sum", "act/scale", "act/zp", "up", "act/scale", "act/zp"], OnnxModel.Int("axis", 1));
            m.Graph.Output.Add(OnnxModel.Value("joined", f.OnnxType, 1, 2 * Filters, Side, Side));
            return m;
        }

        private TensorProto Zp(string name, long value) => OnnxModel.Raw(name, f.OnnxType, [], [f.Type == DataType.Int8 ? (byte)(sbyte)value : (byte)value]);

        private void Conv(string name, string input, int inChannels, int kernel, bool relu)
        {
            long[] dims = [Filters, inChannels, kernel, kernel];
            var count = (int)dims.Aggregate(1L, (a, b) => a * b);
            // Nonzero weights (no sparsity findings either way); uint8 weights sit around zero point 128.
            _m.Init(OnnxModel.Raw(name + "/w", f.OnnxType, dims, [.. Enumerable.Range(0, count).Select(i => f.Stored(i % 13 - 6 == 0 ? 5 : i % 13 - 6))]));
            var wScales = Enumerable.Range(0, f.PerChannel ? Filters : 1).Select(c => ChannelScale(f, c)).ToArray();
            _m.Init(OnnxModel.Floats(name + "/w/scale", f.PerChannel ? [Filters] : [], 0f));
            var ws = _m.Graph.Initializer[^1];
            ws.FloatData.Clear();
            ws.FloatData.Add(wScales);
            _m.Init(OnnxModel.Raw(name + "/w/zp", f.OnnxType, f.PerChannel ? [Filters] : [], [.. Enumerable.Repeat(f.Stored(0), wScales.Length)]));
            _m.Init(OnnxModel.Raw(name + "/b", 6, [Filters], new byte[Filters * 4]));
            AttributeProto[] attrs = [OnnxModel.Ints("kernel_shape", kernel, kernel), OnnxModel.Str("auto_pad", "SAME_UPPER")];
            if (!qdq)
            {
                // The quantizer folds a Relu into QLinearConv's output range: there is no node left for it.
                _m.Node("QLinearConv", [input, "act/scale", "act/zp", name + "/w", name + "/w/scale", name + "/w/zp", "act/scale", "act/zp", name + "/b"], [name], attrs).Name = name;
                return;
            }
            _m.Init(OnnxModel.Floats(name + "/b/scale", f.PerChannel ? [Filters] : [], 0f));
            var bs = _m.Graph.Initializer[^1];
            bs.FloatData.Clear();
            bs.FloatData.Add(wScales.Select(s => ActScale * s));
            _m.Node("DequantizeLinear", [name + "/w", name + "/w/scale", name + "/w/zp"], [name + "/w/f"], OnnxModel.Int("axis", 0)).Name = name + "/w/dq";
            _m.Node("DequantizeLinear", [name + "/b", name + "/b/scale"], [name + "/b/f"], OnnxModel.Int("axis", 0)).Name = name + "/b/dq";
            var x = Dequantized(input);
            var linear = relu ? name + "/linear" : name + "/f";
            _m.Node("Conv", [x, name + "/w/f", name + "/b/f"], [linear], attrs).Name = name;
            if (relu) _m.Node("Relu", [linear], [name + "/f"]).Name = name + "/relu";
            _m.Node("QuantizeLinear", [name + "/f", "act/scale", "act/zp"], [name]).Name = name + "/q";
        }

        /// <summary>DQ → op → Q with the activation parameters; the op keeps the unit's name.</summary>
        private void Quantized(string opType, string name, string[] inputs, params AttributeProto[] attributes)
        {
            var xs = inputs.Select((t, i) => t.Length == 0 || (i > 0 && opType == "Resize") ? t : Dequantized(t)).ToArray();
            _m.Node(opType, xs, [name + "/f"], attributes).Name = name;
            _m.Node("QuantizeLinear", [name + "/f", "act/scale", "act/zp"], [name]).Name = name + "/q";
        }

        private void Contrib(string opType, string name, string[] inputs, params AttributeProto[] attributes)
        {
            var n = _m.Node(opType, inputs, [name], attributes);
            n.Name = name;
            n.Domain = "com.microsoft";
        }

        private readonly HashSet<string> _dequantized = [];

        /// <summary>One shared DequantizeLinear per integer tensor, as the quantizer writes it (every reader uses it).</summary>
        private string Dequantized(string t)
        {
            if (_dequantized.Add(t)) _m.Node("DequantizeLinear", [t, "act/scale", "act/zp"], [t + "/deq"]).Name = t + "/dq";
            return t + "/deq";
        }
    }
}
