using System.Collections.Immutable;
using Google.Protobuf;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;

namespace NpuAdvisor.Fuzz;

/// <summary>
/// The hand-made minimal seed models under fuzz/corpus: one per main op kind, control flow and a
/// QDQ model, each a few hundred bytes so AFL's mutations stay cheap and land in structure.
/// </summary>
internal static class Seeds
{
    public static void Write(string corpusDir)
    {
        var tflite = Directory.CreateDirectory(Path.Combine(corpusDir, "tflite")).FullName;
        foreach (var (name, bytes) in TfliteSeeds()) File.WriteAllBytes(Path.Combine(tflite, name + ".tflite"), bytes);
        var onnx = Directory.CreateDirectory(Path.Combine(corpusDir, "onnx")).FullName;
        foreach (var (name, bytes) in OnnxSeeds()) File.WriteAllBytes(Path.Combine(onnx, name + ".onnx"), bytes);
    }

    private static IEnumerable<(string, byte[])> TfliteSeeds()
    {
        yield return Tflite("conv2d", (b, x) => b.Conv2D(x, 4, 3, 3));
        yield return Tflite("depthwise", (b, x) => b.DepthwiseConv2D(x, 3, 3));
        yield return Tflite("transpose_conv", (b, x) => b.TransposeConv(x, 2, 3, 2));
        yield return Tflite("fully_connected", (b, x) => b.FullyConnected(b.Reshape(x, [1, 64]), 4));
        yield return Tflite("pools", (b, x) => b.Pool(OpKind.AveragePool2D, b.Pool(OpKind.MaxPool2D, x, 2, 2), 2, 2));
        yield return Tflite("elementwise", (b, x) => b.Binary(OpKind.Add, b.Unary(OpKind.Logistic, x), b.Unary(OpKind.HardSwish, x)));
        yield return Tflite("pad_concat", (b, x) => b.Concat([b.Pad(x, 1, 1, 1, 1), b.Pad(x, 1, 1, 1, 1)]));
        yield return Tflite("mean_softmax", (b, x) => b.Softmax(b.Reshape(b.Mean(x, [1, 2]), [1, 4])));
        yield return Tflite("resize", (b, x) => b.Resize(x, 8, 8, ResizeMode.Bilinear));
        yield return Tflite("split", (b, x) => b.Concat(b.Split(x, 2)));
        // Sites for every `fix` pass: a pad to fold into the convolution, a standalone activation to fuse, odd channel counts.
        yield return Tflite("fixable", (b, x) => b.Conv2D(b.Unary(OpKind.Relu, b.Conv2D(b.Pad(x, 1, 1, 1, 1), 5, 3, 3, padding: PaddingKind.Valid)), 4, 1, 1));
        yield return Tflite("custom", (b, x) => b.Custom("TFLite_Detection_PostProcess", x, [1, 10, 4]));
        yield return ("while", TfliteControlFlow(OpKind.While));
        yield return ("if", TfliteControlFlow(OpKind.If));
    }

    private static (string, byte[]) Tflite(string name, Func<GraphBuilder, Tensor, Tensor> body)
    {
        var b = new GraphBuilder();
        var x = b.Input("input", 1, 4, 4, 4);
        b.Output(body(b, x));
        using var g = b.Build();
        return (name, TfliteExporter.Write(g));
    }

    /// <summary>A main graph whose one control-flow op names the two identity subgraphs after it.</summary>
    private static byte[] TfliteControlFlow(OpKind kind)
    {
        var b = new GraphBuilder();
        var x = b.Input("input", 1, 4);
        var y = b.Activation("output", 1, 4);
        var inputs = kind == OpKind.If ? new[] { b.Constant("cond", DataType.Bool, [], [1]), x } : [x];
        b.Op(kind, inputs, [y], new ControlFlowAttributes([1, 2]));
        b.Output(y);
        var g = b.Build();
        for (var i = 1; i <= 2; i++) g.Subgraphs.Add(Passthrough(i, b.ActivationType, b.ActivationQuantization));
        using (g) return TfliteExporter.Write(g);
    }

    private static Subgraph Passthrough(int index, DataType type, Quantization q)
    {
        var sg = new Subgraph { Index = index, Name = "body" + index };
        var a = new Tensor { Index = 0, Name = "a", Type = type, Shape = new Shape(ImmutableArray.Create(1L, 4L)), Quantization = q };
        var r = new Tensor { Index = 1, Name = "r", Type = type, Shape = new Shape(ImmutableArray.Create(1L, 4L)), Quantization = q };
        sg.Tensors.AddRange([a, r]);
        sg.Operators.Add(new Operator { Index = 0, SubgraphIndex = index, Kind = OpKind.Relu, SourceType = OpKindNames.Of(OpKind.Relu), Name = "r", Inputs = [a], Outputs = [r] });
        sg.Inputs.Add(a);
        sg.Outputs.Add(r);
        sg.Link();
        return sg;
    }

    private static IEnumerable<(string, byte[])> OnnxSeeds()
    {
        yield return Onnx("conv", g =>
        {
            g.Initializer.Add(Floats("w", [4, 3, 3, 3]));
            g.Node.Add(Node("Conv", ["x", "w"], ["y"], Ints("kernel_shape", 3, 3), Ints("pads", 1, 1, 1, 1), Ints("strides", 1, 1)));
        });
        yield return Onnx("conv_transpose", g =>
        {
            g.Initializer.Add(Floats("w", [3, 2, 2, 2]));
            g.Node.Add(Node("ConvTranspose", ["x", "w"], ["y"], Ints("strides", 2, 2)));
        });
        yield return Onnx("gemm", g =>
        {
            g.Initializer.Add(Floats("w", [48, 4]));
            g.Node.Add(Node("Flatten", ["x"], ["f"]));
            g.Node.Add(Node("Gemm", ["f", "w"], ["y"]));
        });
        yield return Onnx("pools", g =>
        {
            g.Node.Add(Node("MaxPool", ["x"], ["m"], Ints("kernel_shape", 2, 2), Ints("strides", 2, 2)));
            g.Node.Add(Node("GlobalAveragePool", ["m"], ["y"]));
        });
        yield return Onnx("elementwise", g =>
        {
            g.Node.Add(Node("Sigmoid", ["x"], ["s"]));
            g.Node.Add(Node("Mul", ["x", "s"], ["m"]));
            g.Node.Add(Node("Relu", ["m"], ["y"]));
        });
        yield return Onnx("shape_ops", g =>
        {
            g.Initializer.Add(Int64s("shape", 1, 3, 16));
            g.Node.Add(Node("Reshape", ["x", "shape"], ["r"]));
            g.Node.Add(Node("Transpose", ["r"], ["t"], Ints("perm", 0, 2, 1)));
            g.Node.Add(Node("Softmax", ["t"], ["y"], Int("axis", -1)));
        });
        yield return Onnx("concat_split_resize", g =>
        {
            g.Initializer.Add(Floats("scales", [4], 1f));
            g.Node.Add(Node("Split", ["x"], ["a", "b"], Int("axis", 3)));
            g.Node.Add(Node("Concat", ["b", "a"], ["c"], Int("axis", 3)));
            g.Node.Add(Node("Resize", ["c", "", "scales"], ["y"], Str("mode", "linear")));
        });
        yield return Onnx("reduce_pad", g =>
        {
            g.Initializer.Add(Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1));
            g.Node.Add(Node("Pad", ["x", "pads"], ["p"]));
            g.Node.Add(Node("ReduceMean", ["p"], ["y"], Ints("axes", 2, 3), Int("keepdims", 1)));
        });
        yield return Onnx("fixable", g =>
        {
            g.Initializer.Add(Int64s("pads", 0, 0, 1, 1, 0, 0, 1, 1));
            g.Initializer.Add(Floats("w", [5, 3, 3, 3]));
            g.Node.Add(Node("Pad", ["x", "pads"], ["p"]));
            g.Node.Add(Node("Conv", ["p", "w"], ["c"], Ints("kernel_shape", 3, 3)));
            g.Node.Add(Node("Relu", ["c"], ["y"]));
        });
        yield return Onnx("qdq_conv", g =>
        {
            g.Initializer.Add(Scalar("s", 0.02f));
            g.Initializer.Add(Raw("zp", 2, [], [0]));
            g.Initializer.Add(Raw("wq", 3, [2, 3, 1, 1], [1, 2, 3, 4, 5, 6]));
            g.Initializer.Add(Scalar("ws", 0.01f));
            g.Initializer.Add(Raw("wzp", 3, [], [0]));
            g.Node.Add(Node("QuantizeLinear", ["x", "s", "zp"], ["xq"]));
            g.Node.Add(Node("DequantizeLinear", ["xq", "s", "zp"], ["xd"]));
            g.Node.Add(Node("DequantizeLinear", ["wq", "ws", "wzp"], ["wd"]));
            g.Node.Add(Node("Conv", ["xd", "wd"], ["c"]));
            g.Node.Add(Node("QuantizeLinear", ["c", "s", "zp"], ["cq"]));
            g.Node.Add(Node("DequantizeLinear", ["cq", "s", "zp"], ["y"]));
        });
        yield return Onnx("if", g =>
        {
            g.Initializer.Add(new TensorProto { Name = "cond", DataType = 9, Int32Data = { 1 } });
            g.Node.Add(Node("If", ["cond"], ["y"], GraphAttr("then_branch", Branch("then", "Relu")), GraphAttr("else_branch", Branch("else", "Sigmoid"))));
        });
        yield return Onnx("loop", g =>
        {
            g.Initializer.Add(Int64s("trip", 3));
            g.Initializer.Add(new TensorProto { Name = "go", DataType = 9, Int32Data = { 1 } });
            var body = new GraphProto { Name = "body" };
            body.Input.Add(Value("i", 7));
            body.Input.Add(Value("c", 9));
            body.Input.Add(Value("v", 1, 1, 3, 4, 4));
            body.Node.Add(Node("Identity", ["c"], ["c_out"]));
            body.Node.Add(Node("Relu", ["v"], ["v_out"]));
            body.Output.Add(Value("c_out", 9));
            body.Output.Add(Value("v_out", 1, 1, 3, 4, 4));
            g.Node.Add(Node("Loop", ["trip", "go", "x"], ["y"], GraphAttr("body", body)));
        });
        yield return Onnx("external_data", g =>
        {
            var w = new TensorProto { Name = "w", DataType = 1, DataLocation = TensorProto.Types.DataLocation.External, Dims = { 4, 3, 1, 1 } };
            w.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
            w.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "0" });
            w.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = "48" });
            g.Initializer.Add(w);
            g.Node.Add(Node("Conv", ["x", "w"], ["y"]));
        });
    }

    private static (string, byte[]) Onnx(string name, Action<GraphProto> body)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "npu-advisor-fuzz-seed", Graph = new GraphProto { Name = name } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        model.Graph.Input.Add(Value("x", 1, 1, 3, 4, 4));
        body(model.Graph);
        model.Graph.Output.Add(new ValueInfoProto { Name = "y" });
        return (name, model.ToByteArray());
    }

    private static GraphProto Branch(string name, string op)
    {
        var g = new GraphProto { Name = name };
        g.Node.Add(Node(op, ["x"], [name + "_out"]));
        g.Output.Add(Value(name + "_out", 1, 1, 3, 4, 4));
        return g;
    }

    private static ValueInfoProto Value(string name, int elemType, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } } };
    }

    private static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = outputs[0] + "_node" };
        n.Input.Add(inputs);
        n.Output.Add(outputs);
        n.Attribute.Add(attributes);
        return n;
    }

    private static TensorProto Floats(string name, long[] dims, float fill = 0.5f)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.Add(dims);
        t.FloatData.Add(Enumerable.Repeat(fill, (int)dims.Aggregate(1L, (a, b) => a * b)));
        return t;
    }

    private static TensorProto Scalar(string name, float value) => new() { Name = name, DataType = 1, FloatData = { value } };

    private static TensorProto Int64s(string name, params long[] values) => new() { Name = name, DataType = 7, Dims = { values.Length }, Int64Data = { values } };

    private static TensorProto Raw(string name, int type, long[] dims, byte[] raw) =>
        new() { Name = name, DataType = type, Dims = { dims }, RawData = ByteString.CopyFrom(raw) };

    private static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    private static AttributeProto Str(string name, string v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };
    private static AttributeProto Ints(string name, params long[] v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { v } };
    private static AttributeProto GraphAttr(string name, GraphProto g) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = g };
}
