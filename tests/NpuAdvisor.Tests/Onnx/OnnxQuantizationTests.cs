using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Formats.Onnx;
using NpuAdvisor.Formats.Onnx.Proto;
using NpuAdvisor.Model;
using Xunit;
using static NpuAdvisor.Tests.Onnx.OnnxModel;

namespace NpuAdvisor.Tests.Onnx;

public class OnnxQuantizationTests
{
    private const string Root = "onnx/onnx-testdata";

    private static JsonElement Entry(string test) =>
        SharedModels.Entries("onnx").Single(e => e.GetProperty("path").GetString() == $"{Root}/{test}/model.onnx");

    /// <summary>The reference inputs (input_k.pb) of a conformance test, decoded with our TensorProto, by tensor name.</summary>
    private static Dictionary<string, (TensorProto Proto, ReadOnlyMemory<byte> Bytes)> ReferenceInputs(string test)
    {
        var result = new Dictionary<string, (TensorProto, ReadOnlyMemory<byte>)>();
        foreach (var file in Directory.GetFiles(SharedModels.PathOf($"{Root}/{test}/test_data_set_0"), "input_*.pb"))
        {
            var bytes = File.ReadAllBytes(file);
            var proto = TensorProto.Parser.ParseFrom(bytes);
            result[proto.Name] = (proto, bytes);
        }
        return result;
    }

    private static double[] Values(TensorProto t)
    {
        var type = OnnxTypes.ToIr(t.DataType);
        var data = OnnxTensorData.Read(t, t.Name, null);
        return OnnxTensorData.AsDoubles(type, data.Span)!;
    }

    [Theory]
    [InlineData("test_qlinearconv")]
    [InlineData("test_convinteger_with_padding")]
    [InlineData("test_quantizelinear_axis")]
    [InlineData("test_dequantizelinear_axis")]
    [InlineData("test_qlinearmatmul_2D")]
    public void Reference_tensors_decode_to_the_manifest_values(string test)
    {
        var inputs = ReferenceInputs(test);
        foreach (var td in Entry(test).GetProperty("test_data").EnumerateArray().Where(e => e.GetProperty("path").GetString()!.Contains("input_")))
        {
            var (proto, _) = inputs[td.GetProperty("tensor_name").GetString()!];
            OnnxTypes.Name(proto.DataType).Should().Be(td.GetProperty("dtype").GetString());
            proto.Dims.Should().Equal(td.GetProperty("dims").EnumerateArray().Select(d => d.GetInt64()));
            Values(proto).Should().Equal(td.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()), (a, b) => (float)a == (float)b);
        }
    }

    /// <summary>Binds every parameter input (all but the data input) to its reference value, as a deployed model would hold them.</summary>
    private static Graph LoadBound(string test, params string[] keepAsInputs)
    {
        var bound = ReferenceInputs(test).Where(p => !keepAsInputs.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value.Bytes);
        return OnnxImporter.Load(SharedModels.PathOf($"{Root}/{test}/model.onnx"), new OnnxImportOptions { InputValues = bound });
    }

    private static float Float(Dictionary<string, (TensorProto Proto, ReadOnlyMemory<byte> Bytes)> refs, string name) => (float)Values(refs[name].Proto).Single();
    private static long Long(Dictionary<string, (TensorProto Proto, ReadOnlyMemory<byte> Bytes)> refs, string name) => (long)Values(refs[name].Proto).Single();

    [Fact]
    public void QLinearConv_is_a_quantized_conv()
    {
        var refs = ReferenceInputs("test_qlinearconv");
        using var g = LoadBound("test_qlinearconv", "x");
        var op = g.Main.Operators.Single();
        op.Kind.Should().Be(OpKind.Conv2D);
        op.SourceType.Should().Be("QLinearConv");
        op.Attr<ConvAttributes>()!.KernelH.Should().Be(1);
        op.Input(0)!.Name.Should().Be("x");
        op.Input(1)!.Name.Should().Be("w");
        op.Input(0)!.Quantization.Scale.Should().Be(Float(refs, "x_scale"));
        op.Input(0)!.Quantization.ZeroPoint.Should().Be(Long(refs, "x_zero_point"));
        op.Input(1)!.Quantization.Scale.Should().Be(Float(refs, "w_scale"));
        op.Input(1)!.Quantization.ZeroPoint.Should().Be(Long(refs, "w_zero_point"));
        op.Output(0)!.Quantization.Scale.Should().Be(Float(refs, "y_scale"));
        op.Output(0)!.Quantization.ZeroPoint.Should().Be(Long(refs, "y_zero_point"));
        op.Output(0)!.Type.Should().Be(DataType.UInt8);
        op.Output(0)!.Shape.Should().Be(new Shape(1, 1, 7, 7));
        g.Scheme().Should().Be(QuantizationScheme.PerTensor);

        // Unbound, the parameters are graph inputs whose values the model does not hold: nothing is guessed.
        using var unbound = OnnxImporter.Load(SharedModels.PathOf($"{Root}/test_qlinearconv/model.onnx"));
        unbound.Main.Operators.Single().Input(0)!.Quantization.IsQuantized.Should().BeFalse();
        unbound.Main.Inputs.Should().HaveCount(8);
    }

    [Fact]
    public void ConvInteger_carries_zero_points_and_pads()
    {
        var refs = ReferenceInputs("test_convinteger_with_padding");
        using var g = LoadBound("test_convinteger_with_padding", "x");
        var op = g.Main.Operators.Single();
        op.Kind.Should().Be(OpKind.Conv2D);
        op.Attr<ConvAttributes>()!.Padding.Should().Be(new Padding2D(PaddingKind.Explicit, 1, 1, 1, 1));
        op.Input(0)!.Quantization.ZeroPoint.Should().Be(Long(refs, "x_zero_point"));
        op.Input(1)!.Quantization.ZeroPoint.Should().Be(0);
        op.Output(0)!.Type.Should().Be(DataType.Int32);
        op.Output(0)!.Shape.Should().Be(new Shape(1, 1, 4, 4));
    }

    [Fact]
    public void QLinearMatMul_with_constant_b_is_fully_connected()
    {
        var refs = ReferenceInputs("test_qlinearmatmul_2D");
        using var g = LoadBound("test_qlinearmatmul_2D", "a");
        var op = g.Main.Operators.Single();
        op.Kind.Should().Be(OpKind.FullyConnected);
        op.Input(1)!.Name.Should().Be("b");
        op.Input(0)!.Quantization.Scale.Should().Be(Float(refs, "a_scale"));
        op.Input(1)!.Quantization.Scale.Should().Be(Float(refs, "b_scale"));
        op.Input(1)!.Quantization.ZeroPoint.Should().Be(Long(refs, "b_zero_point"));
        op.Output(0)!.Quantization.ZeroPoint.Should().Be(Long(refs, "y_zero_point"));
        op.Output(0)!.Shape.Should().Be(new Shape(2, 3));
        g.Macs(op).Should().Be(2 * 4 * 3);

        using var unbound = OnnxImporter.Load(SharedModels.PathOf($"{Root}/test_qlinearmatmul_2D/model.onnx"));
        unbound.Main.Operators.Single().Kind.Should().Be(OpKind.BatchMatMul, "b is a runtime input there");
    }

    [Theory]
    [InlineData("test_quantizelinear_axis", "y_scale", "y_zero_point")]
    [InlineData("test_dequantizelinear_axis", "x_scale", "x_zero_point")]
    public void Per_axis_quantize_and_dequantize(string test, string scaleName, string zpName)
    {
        var refs = ReferenceInputs(test);
        using var g = LoadBound(test, "x");
        var op = g.Main.Operators.Single();
        var integer = op.Kind == OpKind.Quantize ? op.Output(0)! : op.Input(0)!;
        var real = op.Kind == OpKind.Quantize ? op.Input(0)! : op.Output(0)!;
        integer.Type.Should().Be(DataType.UInt8);
        real.Type.Should().Be(DataType.Float32);
        foreach (var t in new[] { integer, real })
        {
            t.Quantization.Kind.Should().Be(QuantizationKind.PerAxis);
            t.Quantization.Axis.Should().Be(1);
            t.Quantization.Scales.Should().Equal(Values(refs[scaleName].Proto).Select(v => (float)v));
            t.Quantization.ZeroPoints.Should().Equal(Values(refs[zpName].Proto).Select(v => (long)v));
        }
    }

    [Fact]
    public void Qdq_model_reads_as_int8_per_channel()
    {
        var m = new OnnxModel(13).Input("x", 1, 2, 4, 4).Output("out");
        m.Init(Scalar("xs", 1, 0.05)).Init(new TensorProto { Name = "xz", DataType = 3, Int32Data = { 0 } });
        m.Init(Raw("wq", 3, [3, 2, 1, 1], [1, 2, 3, 4, 5, 0xFF]));
        m.Init(new TensorProto { Name = "ws", DataType = 1, Dims = { 3 }, FloatData = { 0.1f, 0.2f, 0.3f } });
        m.Init(new TensorProto { Name = "wz", DataType = 3, Dims = { 3 }, Int32Data = { 0, 0, 0 } });
        m.Init(Scalar("ys", 1, 0.1));
        m.Node("QuantizeLinear", ["x", "xs", "xz"], ["xq"]);
        m.Node("DequantizeLinear", ["xq", "xs", "xz"], ["xdq"]);
        m.Node("DequantizeLinear", ["wq", "ws", "wz"], ["w"], Int("axis", 0));
        m.Node("Conv", ["xdq", "w"], ["y"]);
        m.Node("QuantizeLinear", ["y", "ys", "xz"], ["yq"]);
        m.Node("DequantizeLinear", ["yq", "ys", "xz"], ["out"]);
        using var g = m.Load();
        var conv = g.Main.Operators.Single(o => o.Kind == OpKind.Conv2D);
        var stored = Metrics.StoredWeights(conv.Weights());
        stored!.Name.Should().Be("wq");
        stored.Type.Should().Be(DataType.Int8);
        stored.Quantization.Kind.Should().Be(QuantizationKind.PerAxis);
        stored.Quantization.Axis.Should().Be(0);
        stored.Quantization.Scales.Should().Equal(0.1f, 0.2f, 0.3f);
        conv.Input(0)!.Quantization.Scale.Should().Be(0.05f);
        conv.Output(0)!.Quantization.Scale.Should().Be(0.1f);
        conv.Attr<ConvAttributes>()!.KernelH.Should().Be(1);
        g.Scheme().Should().Be(QuantizationScheme.PerChannel);
        // DQ(x), DQ(w) → Conv → Q is one int8 conv; the Q at the input and the DQ at the output are the model's boundary.
        conv.Input(0)!.Name.Should().Be("xq");
        conv.Input(1)!.Name.Should().Be("wq");
        conv.Output(0)!.Name.Should().Be("yq");
        g.Main.Operators.Select(o => o.Kind).Should().Equal(OpKind.Quantize, OpKind.Conv2D, OpKind.Dequantize);
        using var asStored = m.Load(options: new OnnxImportOptions { KeepQdqNodes = true });
        asStored.Main.Operators.Count(o => o.Kind == OpKind.Dequantize).Should().Be(3);
    }

    [Fact]
    public void Float_models_read_as_float()
    {
        using var g = OnnxImporter.Load(SharedModels.PathOf("onnx/blazeface/face_detection_front_128x128_barracuda.onnx"));
        g.Scheme().Should().Be(QuantizationScheme.Float);
    }

    /// <summary>x (int8) → DQ → op → Q → y (int8); <paramref name="outScale"/> is the Q's scale.</summary>
    private static OnnxModel Around(string opType, double outScale = 0.05, params AttributeProto[] attributes)
    {
        var m = new OnnxModel(13).Output("y");
        m.Graph.Input.Add(Value("x", 3, 1, 4, 4, 4));
        m.Init(Scalar("s", 1, 0.05)).Init(Scalar("os", 1, outScale)).Init(new TensorProto { Name = "z", DataType = 3, Int32Data = { 0 } });
        m.Node("DequantizeLinear", ["x", "s", "z"], ["xf"]);
        if (opType == "Reshape")
        {
            m.Init(Int64s("shape", 1, 64));
            m.Node(opType, ["xf", "shape"], ["yf"], attributes);
        }
        else m.Node(opType, ["xf"], ["yf"], attributes);
        m.Node("QuantizeLinear", ["yf", "os", "z"], ["y"]);
        return m;
    }

    [Fact]
    public void An_op_with_a_quantized_form_between_dq_and_q_is_one_int8_op()
    {
        using var g = Around("Sigmoid", outScale: 1.0 / 256).Load();
        var op = g.Main.Operators.Should().ContainSingle().Subject;
        (op.Kind, op.Input(0)!.Name, op.Input(0)!.Type, op.Output(0)!.Name, op.Output(0)!.Type).Should().Be((OpKind.Logistic, "x", DataType.Int8, "y", DataType.Int8));
    }

    [Fact]
    public void An_op_without_a_quantized_form_stays_float_and_its_dq_and_q_stay_real_ops()
    {
        using var g = Around("Erf").Load();
        g.Main.Operators.Select(o => o.Kind).Should().Equal(OpKind.Dequantize, OpKind.Unknown, OpKind.Quantize);
        g.Main.Operators[1].Input(0)!.Type.Should().Be(DataType.Float32);
    }

    [Fact]
    public void Data_movement_groups_need_equal_parameters_on_both_sides()
    {
        using (var same = Around("Reshape").Load())
            same.Main.Operators.Select(o => o.Kind).Should().Equal(OpKind.Reshape);
        // ONNX Runtime's drop-QDQ selector refuses a Reshape that requantizes: it stays a float op between real DQ and Q.
        using var requantizing = Around("Reshape", outScale: 0.1).Load();
        requantizing.Main.Operators.Select(o => o.Kind).Should().Equal(OpKind.Dequantize, OpKind.Reshape, OpKind.Quantize);
    }

    [Fact]
    public void A_shared_dq_stays_for_a_reader_that_is_not_part_of_a_group()
    {
        var m = Around("Relu");
        m.Node("Erf", ["xf"], ["e"]);
        m.Output("e");
        using var g = m.Load();
        // Relu became an int8 op reading x; Erf still reads the float DQ output, so that DQ is kept for it.
        g.Main.Operators.Select(o => o.Kind).Should().Equal(OpKind.Dequantize, OpKind.Relu, OpKind.Unknown);
        g.Main.Operators[1].Input(0)!.Name.Should().Be("x");
    }
}
