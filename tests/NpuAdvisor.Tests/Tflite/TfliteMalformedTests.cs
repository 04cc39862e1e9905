using System.Buffers.Binary;
using System.Runtime.InteropServices;
using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Formats.Tflite.FlatBuffers;
using NpuAdvisor.Model;
using Xunit;
using S = NpuAdvisor.Formats.Tflite.TfliteSchema;

namespace NpuAdvisor.Tests.Tflite;

/// <summary>Targeted corruptions of a real model: each must be reported with the field path and byte offset it concerns.</summary>
public class TfliteMalformedTests
{
    private static byte[] SplitConcat() => File.ReadAllBytes(SharedModels.PathOf("tflite/coral/split_concat.tflite"));

    private static FbTable Model(byte[] bytes) => new FlatBuffer(bytes).Root(FieldPath.Root("Model"));

    private static FbTable Subgraph0(byte[] bytes) => Model(bytes).GetVector(S.Model.Subgraphs, 4, "subgraphs").Table(0);

    /// <summary>Absolute position of what the uoffset field <paramref name="id"/> of <paramref name="table"/> points to.</summary>
    private static int Target(byte[] bytes, FbTable table, int id)
    {
        var field = table.GetStructPosition(id, 4, "field");
        field.Should().BeGreaterThan(0);
        return field + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(field));
    }

    [Fact]
    public void A_vector_longer_than_the_file_names_its_path_and_offset()
    {
        var bytes = SplitConcat();
        var tensor0 = Subgraph0(bytes).GetVector(S.SubGraph.Tensors, 4, "tensors").Table(0);
        var shape = Target(bytes, tensor0, S.Tensor.Shape);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(shape), int.MaxValue);

        var e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(bytes));
        e.Field.Should().Be("Model.subgraphs[0].tensors[0].shape");
        e.Offset.Should().Be(shape);
        e.Message.Should().Contain("runs past the file");
    }

    [Fact]
    public void An_operator_input_outside_the_tensor_table_is_rejected()
    {
        var bytes = SplitConcat();
        var op1 = Subgraph0(bytes).GetVector(S.SubGraph.Operators, 4, "operators").Table(1);
        var inputs = Target(bytes, op1, S.Operator.Inputs);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(inputs + 4), 999);

        var e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(bytes));
        e.Field.Should().Be("Model.subgraphs[0].operators[1].inputs[0]");
        e.Offset.Should().Be(inputs + 4);
        e.Message.Should().Contain("tensor index 999");
    }

    [Fact]
    public void A_buffer_index_outside_the_buffer_table_is_rejected()
    {
        var bytes = SplitConcat();
        var tensors = Subgraph0(bytes).GetVector(S.SubGraph.Tensors, 4, "tensors");
        var index = Enumerable.Range(0, tensors.Count).First(i => tensors.Table(i).GetStructPosition(S.Tensor.Buffer, 4, "buffer") > 0);
        var field = tensors.Table(index).GetStructPosition(S.Tensor.Buffer, 4, "buffer");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(field), 1000);

        var e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(bytes));
        e.Field.Should().Be($"Model.subgraphs[0].tensors[{index}].buffer");
        e.Message.Should().Contain("buffer index 1000");
    }

    [Fact]
    public void A_missing_identifier_is_tolerated_only_for_a_schema_3_model()
    {
        var bytes = SplitConcat();
        "XXXX"u8.CopyTo(bytes.AsSpan(4));
        using (var g = TfliteImporter.Load(bytes))
        {
            g.Properties["file_identifier"].Should().Be("XXXX");
            g.Main.Operators.Should().HaveCount(3);
        }

        var version = Model(bytes).GetStructPosition(S.Model.Version, 4, "version");
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(version), 2);
        var e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(bytes));
        e.Message.Should().Contain("not a TFLite model");
    }

    [Fact]
    public void Tiny_empty_and_missing_files_raise_ModelFormatException()
    {
        Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(ReadOnlyMemory<byte>.Empty));
        Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(new byte[7]));
        Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(new byte[64]));
        Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".tflite")));

        var empty = Path.GetTempFileName();
        try
        {
            Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(empty)).Message.Should().Contain("empty");
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public void Mapped_constants_are_views_of_the_file_not_copies()
    {
        var path = SharedModels.PathOf("tflite/coral/mobilenet_v1_0.25_128_quant.tflite");
        var bytes = File.ReadAllBytes(path);
        using var mapped = TfliteImporter.Load(path);
        using var fromBytes = TfliteImporter.Load(bytes, path);

        var weights = mapped.Main.Operators[0].Weights()!;
        weights.IsConstant.Should().BeTrue();
        weights.Data.Length.Should().Be(8 * 3 * 3 * 3);
        MemoryMarshal.TryGetArray(weights.Data, out _).Should().BeFalse("mapped data is not copied into a managed array");

        MemoryMarshal.TryGetArray(fromBytes.Main.Operators[0].Weights()!.Data, out var segment).Should().BeTrue();
        segment.Array.Should().BeSameAs(bytes);
        weights.Data.Span.SequenceEqual(bytes.AsSpan(segment.Offset, segment.Count)).Should().BeTrue();
        mapped.FileSize.Should().Be(bytes.Length);
        mapped.Path.Should().Be(path);
        mapped.Owner.Should().NotBeNull();
    }
}
