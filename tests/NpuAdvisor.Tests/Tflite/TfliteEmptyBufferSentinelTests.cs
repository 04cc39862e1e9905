using System.Text.Json;
using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using NpuAdvisor.Targets;
using NpuAdvisor.Tests.Cli;
using Xunit;
using S = NpuAdvisor.Formats.Tflite.TfliteSchema;
using W = NpuAdvisor.Tests.Tflite.ForwardFlatBufferWriter;

namespace NpuAdvisor.Tests.Tflite;

/// <summary>
/// Buffer 0 is TFLite's empty sentinel: InterpreterBuilder::ParseTensors returns "no data" for
/// tensor.buffer == 0 before it compares the index with buffers.size(), so a file without a buffers
/// vector (or with an empty one) is valid as long as its tensors name buffer 0 only.
/// </summary>
public class TfliteEmptyBufferSentinelTests
{
    // A fresh table per tensor: the forward writer lays shared nodes out once, and uoffsets only point forward.
    private static W.Table Int8() => new((S.QuantizationParameters.Scale, new W.Scalars(BitConverter.GetBytes(0.05f), 1)),
        (S.QuantizationParameters.ZeroPoint, new W.Scalars(BitConverter.GetBytes(0L), 1)));

    private static W.Table Tensor(string name, uint buffer) =>
        new((S.Tensor.Shape, W.Ints(1, 8, 8, 16)), (S.Tensor.Type, S.TensorType.INT8), (S.Tensor.Buffer, buffer),
            (S.Tensor.Name, new W.Str(name)), (S.Tensor.Quantization, Int8()));

    /// <summary>ADD(a, b) → RELU, every tensor naming <paramref name="bufferOfB"/> or 0, and no buffers vector entries at all.</summary>
    private static byte[] AddRelu(uint bufferOfB) => W.Build(new W.Table(
        (S.Model.Version, 3u),
        (S.Model.OperatorCodes, new W.Tables(
            new W.Table((S.OperatorCode.DeprecatedBuiltinCode, (sbyte)S.BuiltinOperator.ADD), (S.OperatorCode.Version, 1), (S.OperatorCode.BuiltinCode, S.BuiltinOperator.ADD)),
            new W.Table((S.OperatorCode.DeprecatedBuiltinCode, (sbyte)S.BuiltinOperator.RELU), (S.OperatorCode.Version, 1), (S.OperatorCode.BuiltinCode, S.BuiltinOperator.RELU)))),
        (S.Model.Subgraphs, new W.Tables(new W.Table(
            (S.SubGraph.Tensors, new W.Tables(Tensor("a", 0), Tensor("b", bufferOfB), Tensor("sum", 0), Tensor("out", 0))),
            (S.SubGraph.Inputs, W.Ints(0, 1)),
            (S.SubGraph.Outputs, W.Ints(3)),
            (S.SubGraph.Operators, new W.Tables(
                new W.Table((S.Operator.OpcodeIndex, 0u), (S.Operator.Inputs, W.Ints(0, 1)), (S.Operator.Outputs, W.Ints(2)),
                    (S.Operator.BuiltinOptionsType, S.BuiltinOptions.AddOptions), (S.Operator.BuiltinOptions, new W.Table())),
                new W.Table((S.Operator.OpcodeIndex, 1u), (S.Operator.Inputs, W.Ints(2)), (S.Operator.Outputs, W.Ints(3))))),
            (S.SubGraph.Name, new W.Str("main"))))),
        (S.Model.Buffers, new W.Tables())));

    [Fact]
    public void Tensors_naming_buffer_0_load_without_a_buffers_entry()
    {
        using var g = TfliteImporter.Load(AddRelu(0));
        g.Properties["buffer_count"].Should().Be("0");
        g.Main.Operators.Select(o => o.Kind).Should().Equal(OpKind.Add, OpKind.Relu);
        g.Main.Tensors.Should().OnlyContain(t => t.Data.IsEmpty && !t.IsConstant && t.BufferIndex == 0);
    }

    [Fact]
    public void Buffer_1_past_the_end_of_an_empty_buffers_vector_stays_a_typed_error()
    {
        var e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(AddRelu(1)));
        e.Field.Should().Be("Model.subgraphs[0].tensors[1].buffer");
        e.Message.Should().Contain("buffer index 1 is out of range (the model has 0 buffers)");
    }

    [Fact]
    public void A_model_without_buffers_checks_and_reports_on_every_target()
    {
        var path = Path.Combine(Path.GetTempPath(), $"npu-advisor-nobuffers-{Guid.NewGuid():N}.tflite");
        File.WriteAllBytes(path, AddRelu(0));
        try
        {
            foreach (var format in new[] { "table", "json", "markdown", "sarif" })
            {
                var run = CliRunner.Run("check", path, "--format", format);
                run.ExitCode.Should().NotBe(3, run.Err);
                run.Err.Should().NotContain("buffer");
                foreach (var t in TargetRegistry.All)
                    run.Out.Should().Contain(format is "json" or "sarif" ? t.Id : t.Name, $"the {format} report covers {t.Name}");
            }
            using var doc = JsonDocument.Parse(CliRunner.Run("check", path, "--format", "json").Out);
            doc.RootElement.GetProperty("models")[0].GetProperty("targets").GetArrayLength().Should().Be(TargetRegistry.All.Count);
        }
        finally { File.Delete(path); }
    }
}
