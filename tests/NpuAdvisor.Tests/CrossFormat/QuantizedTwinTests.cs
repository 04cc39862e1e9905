using FluentAssertions;
using NpuAdvisor.Analysis;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using Xunit;

namespace NpuAdvisor.Tests.CrossFormat;

/// <summary>
/// A quantized ONNX model is an integer network whichever way it is written: QDQ, QOperator and the TFLite twin get
/// the same placement and the same findings, op for op, on every target and integer flavour.
/// </summary>
public class QuantizedTwinTests
{
    public static TheoryData<string, IntFlavour> Cases()
    {
        var data = new TheoryData<string, IntFlavour>();
        foreach (var t in TargetRegistry.All)
            foreach (var f in IntFlavour.All) data.Add(t.Id, f);
        return data;
    }

    public static TheoryData<string> ArtpecTargets => ["artpec7", "artpec8", "artpec9"];

    [Theory]
    [MemberData(nameof(IntFlavours))]
    public void Qdq_groups_read_as_one_quantized_op_each(IntFlavour f)
    {
        using var g = QuantizedTwins.Qdq(f);
        g.Main.Operators.Select(o => o.Name).Should().Equal(QuantizedTwins.Ops, "every DQ and Q is consumed by a unit");
        var conv1 = g.Main.Operators[0];
        conv1.Kind.Should().Be(OpKind.Conv2D);
        conv1.Attr<ConvAttributes>()!.Activation.Should().Be(FusedActivation.Relu, "the Relu between the conv and its Q is fused");
        conv1.Inputs.Select(t => t!.Type).Should().Equal(f.Type, f.Type, DataType.Int32);
        conv1.Input(1)!.IsConstant.Should().BeTrue();
        conv1.Input(1)!.Quantization.Kind.Should().Be(f.PerChannel ? QuantizationKind.PerAxis : QuantizationKind.PerTensor);
        conv1.Output(0)!.Type.Should().Be(f.Type);
        conv1.Output(0)!.Quantization.ZeroPoint.Should().Be(f.ZeroPoint);
        g.Main.Operators.Should().OnlyContain(o => o.Outputs.All(t => t.Type == f.Type && t.Quantization.IsQuantized));
    }

    public static TheoryData<IntFlavour> IntFlavours => [.. IntFlavour.All];

    [Fact]
    public void Inspect_view_keeps_the_files_quantize_and_dequantize_nodes()
    {
        var bytes = QuantizedTwins.QdqBytes(IntFlavour.Int8PerChannel);
        var path = Path.Combine(Path.GetTempPath(), $"twins-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, bytes);
        try
        {
            using var stored = Formats.ModelLoader.Load(path, asStored: true);
            using var analysed = Formats.ModelLoader.Load(path);
            stored.Main.Operators.Count(o => o.Kind is OpKind.Quantize or OpKind.Dequantize).Should().Be(16, "6 activation DQ, 4 weight/bias DQ, 6 Q");
            stored.Main.Operators.Should().Contain(o => o.Name == "conv1/relu");
            analysed.Main.Operators.Select(o => o.Name).Should().Equal(QuantizedTwins.Ops);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Fix_does_not_rewrite_a_qdq_model_it_cannot_map_back_onto_its_nodes()
    {
        var dir = Directory.CreateTempSubdirectory("qdq-fix").FullName;
        try
        {
            var model = Path.Combine(dir, "twins.onnx");
            var output = Path.Combine(dir, "fixed.onnx");
            File.WriteAllBytes(model, QuantizedTwins.QdqBytes(IntFlavour.Int8PerChannel));
            foreach (var target in new[] { "artpec8", "artpec9", "amlnn" })
            {
                var run = Cli.CliRunner.Run("fix", model, "--target", target, "-o", output);
                run.ExitCode.Should().Be(1, $"{target}: {run.Out}{run.Err}");
                File.Exists(output).Should().BeFalse();
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [MemberData(nameof(ArtpecTargets))]
    public void Qdq_network_is_one_npu_segment_without_data_type_findings(string targetId)
    {
        foreach (var f in IntFlavour.All)
        {
            using var g = QuantizedTwins.Qdq(f);
            var r = TargetRegistry.Find(targetId)!.Analyze(g);
            r.Ops.Should().OnlyContain(o => o.Placement == Placement.Npu, $"{targetId} {f}: {Describe(r)}");
            r.Segments.Should().ContainSingle().Which.OnNpu.Should().BeTrue();
            r.AllFindings.Should().NotContain(x => x.Rule.Id.Contains("DATA-TYPE") || x.Rule.Id.Contains("INT8-ONLY"), $"{targetId} {f}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Qdq_qoperator_and_tflite_twins_get_the_same_placement_and_findings(string targetId, IntFlavour f)
    {
        var target = TargetRegistry.Find(targetId)!;
        using var tflite = QuantizedTwins.Tflite(f);
        using var qdq = QuantizedTwins.Qdq(f);
        using var qop = QuantizedTwins.QOperator(f);
        var (t, d, o) = (target.Analyze(tflite), target.Analyze(qdq), target.Analyze(qop));
        foreach (var name in QuantizedTwins.Ops)
        {
            SameAdvice(Result(t, name), Result(d, name), $"{targetId} {f} '{name}' TFLite vs QDQ");
            // QOperator has no node for conv1's Relu: the quantizer folds it into the output range, so no rule sees it.
            SameAdvice(Result(d, name), Result(o, name), $"{targetId} {f} '{name}' QDQ vs QOperator", ignoreActivationRules: name == "conv1");
        }
        d.Segments.Count.Should().Be(t.Segments.Count);
        o.Segments.Count.Should().Be(t.Segments.Count);
        d.ModelFindings.Select(x => x.Rule.Id).Should().Equal(t.ModelFindings.Select(x => x.Rule.Id));
        o.ModelFindings.Select(x => x.Rule.Id).Should().Equal(t.ModelFindings.Select(x => x.Rule.Id));
    }

    private static void SameAdvice(OpResult a, OpResult b, string what, bool ignoreActivationRules = false)
    {
        b.Placement.Should().Be(a.Placement, what);
        b.Op.Kind.Should().Be(a.Op.Kind, what);
        b.Macs.Should().Be(a.Macs, what);
        var (ia, ib) = (Ids(a, ignoreActivationRules), Ids(b, ignoreActivationRules));
        ib.Should().Equal(ia, what);
        foreach (var id in ia)
            Numbers(Message(b, id)).Order().Should().Equal(Numbers(Message(a, id)).Order(), $"{what} {id}: '{Message(a, id)}' vs '{Message(b, id)}'");
    }

    private static string Describe(TargetResult r) =>
        string.Join("; ", r.Ops.Where(o => o.Placement != Placement.Npu).Select(o => $"{o.Op} {string.Join(", ", o.Findings.Select(f => f.Rule.Id))}"));

    private static OpResult Result(TargetResult r, string name) => r.Ops.Single(o => o.Op.Name == name);

    private static List<string> Ids(OpResult r, bool ignoreActivationRules) =>
        [.. r.Findings.Select(f => f.Rule.Id).Where(id => !ignoreActivationRules || !id.Contains("RELU")).Distinct().Order(StringComparer.Ordinal)];

    private static string Message(OpResult r, string id) => r.Findings.First(f => f.Rule.Id == id).Message;

    private static List<long> Numbers(string message) => CrossFormatTests.Numbers(message);
}
