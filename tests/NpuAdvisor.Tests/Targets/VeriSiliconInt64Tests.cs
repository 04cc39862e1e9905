using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using NpuAdvisor.Tests.Onnx;
using Xunit;
using static NpuAdvisor.Tests.Targets.ResultQueries;

namespace NpuAdvisor.Tests.Targets;

/// <summary>
/// OpMapperBase::IsSupported (tflite-vx-delegate op_map.cc, 469adc01) walks every input of a node and refuses
/// it on the first kTfLiteInt64 ("Int64 input is not supported"), constant or not; int32 passes. The cases are
/// the parameter tensors TFLite's own kernels accept in either width (PAD paddings, GATHER indices, EXPAND_DIMS
/// axis, MEAN axes, RESHAPE shape), written once as int32 and once as int64, for both targets running the delegate.
/// </summary>
public class VeriSiliconInt64Tests
{
    public static TheoryData<string> DelegateTargets => new() { "artpec8", "amlnn" };

    private static readonly string[] Ops = ["padded", "gathered", "expanded", "mean", "reshaped"];

    private static Graph ParameterNetwork(bool int64)
    {
        var b = new GraphBuilder();
        var x = b.Input("x", 1, 8, 8, 6);
        b.Pad(x, 1, 1, 1, 1, name: "padded");
        b.Op(OpKind.Gather, [x, b.Int32Constant("gathered/indices", 0, 2, 4, 6)], [b.Activation("gathered", 1, 4, 8, 6)], new AxisAttributes(1));
        b.Op(OpKind.ExpandDims, [x, b.Int32Constant("expanded/axis", 0)], [b.Activation("expanded", 1, 1, 8, 8, 6)]);
        b.Mean(x, [1, 2], name: "mean");
        b.Reshape(x, [1, 64, 6], name: "reshaped");
        if (int64)
            foreach (var t in b.Main.Tensors.Where(t => t is { IsConstant: true, Type: DataType.Int32 }))
                Widen(t);
        return b.BuildTflite();
    }

    private static void Widen(Tensor t)
    {
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(t.Data.Span).ToArray();
        t.Type = DataType.Int64;
        t.Data = values.SelectMany(v => BitConverter.GetBytes((long)v)).ToArray();
    }

    [Theory]
    [MemberData(nameof(DelegateTargets))]
    public void Int64_parameter_tensors_send_the_op_to_the_cpu_int32_ones_do_not(string id)
    {
        var target = TargetRegistry.Find(id)!;
        var narrow = target.Analyze(ParameterNetwork(int64: false));
        var wide = target.Analyze(ParameterNetwork(int64: true));
        var prefix = id == "artpec8" ? "A8" : "AML";
        foreach (var name in Ops)
        {
            OpNamed(narrow, name).Placement.Should().Be(Placement.Npu, $"{name} with int32 parameters is mapped");
            var r = OpNamed(wide, name);
            r.Placement.Should().Be(Placement.Cpu, $"{name} with an int64 parameter is refused");
            r.CpuReason!.Rule.Id.Should().Be($"{prefix}-VX-TENSOR");
            r.CpuReason.Message.Should().StartWith("constant input '").And.Contain("is int64: the delegate refuses int64 inputs, parameters included");
        }
    }

    [Theory]
    [MemberData(nameof(DelegateTargets))]
    public void Onnx_int64_shape_and_index_constants_are_judged_as_their_int32_tflite_conversion(string id)
    {
        // ONNX prescribes int64 for Reshape's shape and Unsqueeze's axes, so a file cannot choose int32;
        // onnx2tf / tf.lite write them as int32, which OpMapperBase::IsSupported accepts.
        var m = new OnnxModel(opset: 13).Input("x", 1, 6, 8, 8);
        m.Init(OnnxModel.Int64s("shape", 1, 6, 64)).Init(OnnxModel.Int64s("axes", 0));
        m.Node("Reshape", ["x", "shape"], ["reshaped"]).Name = "reshaped";
        m.Node("Unsqueeze", ["x", "axes"], ["expanded"]).Name = "expanded";
        m.Output("reshaped").Output("expanded");
        using var g = m.Load("int64-params.onnx");
        var r = TargetRegistry.Find(id)!.Analyze(g);
        foreach (var name in new[] { "reshaped", "expanded" })
        {
            var op = OpNamed(r, name);
            op.Findings.Should().NotContain(f => f.Rule.Id.EndsWith("-VX-TENSOR"), $"{name}'s int64 constant is ONNX's prescribed parameter type");
        }

        // Run-time int64 data is refused whatever the format: the delegate sees int64 after conversion too.
        var d = new OnnxModel(opset: 13);
        d.Graph.Input.Add(OnnxModel.Value("ids", 7, 1, 4));
        d.Init(OnnxModel.Int64s("shape", 4));
        d.Node("Reshape", ["ids", "shape"], ["flat"]).Name = "flat";
        d.Output("flat");
        using var gd = d.Load("int64-data.onnx");
        OpNamed(TargetRegistry.Find(id)!.Analyze(gd), "flat").Placement.Should().Be(Placement.Cpu);
    }
}
