using Google.Protobuf;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;

namespace NpuAdvisor.Tests.Onnx;

/// <summary>Builds small ONNX models in memory with the generated protobuf classes.</summary>
internal sealed class OnnxModel
{
    public ModelProto Model { get; } = new() { IrVersion = 8, ProducerName = "npu-advisor-tests", Graph = new GraphProto { Name = "test" } };
    public GraphProto Graph => Model.Graph;

    public OnnxModel(long opset = 13)
    {
        Model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    public static ValueInfoProto Value(string name, int elemType, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
            shape.Dim.Add(d >= 0 ? new TensorShapeProto.Types.Dimension { DimValue = d } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elemType, Shape = shape } } };
    }

    public OnnxModel Input(string name, params long[] dims) { Graph.Input.Add(Value(name, 1, dims)); return this; }

    public OnnxModel Output(string name) { Graph.Output.Add(new ValueInfoProto { Name = name }); return this; }

    public static TensorProto Floats(string name, long[] dims, float fill = 0.5f)
    {
        var t = new TensorProto { Name = name, DataType = 1 };
        t.Dims.Add(dims);
        var n = dims.Aggregate(1L, (a, b) => a * b);
        for (var i = 0; i < n; i++) t.FloatData.Add(fill);
        return t;
    }

    public static TensorProto Int64s(string name, params long[] values)
    {
        var t = new TensorProto { Name = name, DataType = 7 };
        t.Dims.Add(values.Length);
        t.Int64Data.Add(values);
        return t;
    }

    public static TensorProto Raw(string name, int type, long[] dims, byte[] raw)
    {
        var t = new TensorProto { Name = name, DataType = type, RawData = ByteString.CopyFrom(raw) };
        t.Dims.Add(dims);
        return t;
    }

    public static TensorProto Scalar(string name, int type, double value)
    {
        var t = new TensorProto { Name = name, DataType = type };
        switch (type)
        {
            case 1: t.FloatData.Add((float)value); break;
            case 7: t.Int64Data.Add((long)value); break;
            default: t.Int32Data.Add((int)value); break;
        }
        return t;
    }

    public OnnxModel Init(TensorProto t) { Graph.Initializer.Add(t); return this; }

    public NodeProto Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = opType, Name = outputs.Length > 0 ? outputs[0] + "_node" : opType };
        n.Input.Add(inputs);
        n.Output.Add(outputs);
        n.Attribute.Add(attributes);
        Graph.Node.Add(n);
        return n;
    }

    public static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };
    public static AttributeProto Float(string name, float v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };
    public static AttributeProto Str(string name, string v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(v) };
    public static AttributeProto Ints(string name, params long[] v)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.Add(v);
        return a;
    }
    public static AttributeProto Tensor(string name, TensorProto t) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = t };
    public static AttributeProto GraphAttr(string name, GraphProto g) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Graph, G = g };

    public byte[] Bytes() => Model.ToByteArray();

    public Graph Load(string path = "memory.onnx", OnnxImportOptions? options = null) => OnnxImporter.Load(Bytes(), path, options);
}
