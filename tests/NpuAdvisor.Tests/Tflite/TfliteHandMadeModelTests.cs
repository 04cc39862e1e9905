using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;
using S = NpuAdvisor.Formats.Tflite.TfliteSchema;
using W = NpuAdvisor.Tests.Tflite.ForwardFlatBufferWriter;

namespace NpuAdvisor.Tests.Tflite;

/// <summary>Features no shared model has (TRANSPOSE_CONV, IF, external buffers, unranked tensors, shared tables), on small hand-built files.</summary>
public class TfliteHandMadeModelTests
{
    private static W.Table Tensor(int[] shape, sbyte type, uint buffer, string name, bool? hasRank = null)
    {
        var f = new List<(int, object)> { (S.Tensor.Shape, W.Ints(shape)), (S.Tensor.Type, type), (S.Tensor.Buffer, buffer), (S.Tensor.Name, new W.Str(name)) };
        if (hasRank is { } r) f.Add((S.Tensor.HasRank, r));
        return new W.Table([.. f]);
    }

    private static W.Table OpCode(int code) =>
        new((S.OperatorCode.DeprecatedBuiltinCode, (sbyte)Math.Min(code, 127)), (S.OperatorCode.Version, 1), (S.OperatorCode.BuiltinCode, code));

    private static W.Table Op(uint opcode, int[] inputs, int[] outputs, byte optionsType, W.Table options) =>
        new((S.Operator.OpcodeIndex, opcode), (S.Operator.Inputs, W.Ints(inputs)), (S.Operator.Outputs, W.Ints(outputs)),
            (S.Operator.BuiltinOptionsType, optionsType), (S.Operator.BuiltinOptions, options));

    private static W.Table Subgraph(W.Node tensors, int[] inputs, int[] outputs, params W.Table[] ops) =>
        new((S.SubGraph.Tensors, tensors), (S.SubGraph.Inputs, W.Ints(inputs)), (S.SubGraph.Outputs, W.Ints(outputs)),
            (S.SubGraph.Operators, new W.Tables(ops)), (S.SubGraph.Name, new W.Str("main")));

    private static W.Table Model(W.Table[] codes, W.Table[] subgraphs, params W.Node[] buffers) =>
        new((S.Model.Version, 3u), (S.Model.OperatorCodes, new W.Tables(codes)), (S.Model.Subgraphs, new W.Tables(subgraphs)),
            (S.Model.Description, new W.Str("hand-made")), (S.Model.Buffers, new W.Tables(buffers)));

    private static readonly W.Table EmptyBuffer = new();

    private static W.Table TransposeConvModel(ulong weightsOffset, ulong weightsSize) => Model(
        [OpCode(S.BuiltinOperator.TRANSPOSE_CONV)],
        [Subgraph(new W.Tables(
                Tensor([4], S.TensorType.INT32, 1, "output_shape"),
                Tensor([4, 3, 3, 2], S.TensorType.FLOAT32, 2, "weights"),
                Tensor([1, 4, 4, 2], S.TensorType.FLOAT32, 0, "input"),
                Tensor([1, 8, 8, 4], S.TensorType.FLOAT32, 0, "output")),
            [2], [3],
            Op(0, [0, 1, 2], [3], S.BuiltinOptions.TransposeConvOptions,
                new W.Table((S.TransposeConvOptions.Padding, S.Padding.SAME), (S.TransposeConvOptions.StrideW, 2), (S.TransposeConvOptions.StrideH, 2))))],
        EmptyBuffer,
        new W.Table((S.Buffer.Data, W.Ints(1, 8, 8, 4))),
        new W.Table((S.Buffer.Offset, weightsOffset), (S.Buffer.Size, weightsSize)));

    [Fact]
    public void Transpose_conv_is_data_first_with_kernel_padding_and_external_weights()
    {
        var weights = Enumerable.Range(0, 4 * 3 * 3 * 2 * 4).Select(i => (byte)i).ToArray();
        var flatbufferLength = W.Build(TransposeConvModel(2, 0)).Length;
        var file = W.Build(TransposeConvModel((ulong)flatbufferLength, (ulong)weights.Length), trailer: weights);

        using var g = TfliteImporter.Load(file, "tconv.tflite");
        var op = g.Main.Operators.Single();
        op.Kind.Should().Be(OpKind.TransposeConv);
        op.Inputs.Select(t => t?.Name).Should().Equal("input", "weights", null, "output_shape");
        // SAME seen from the 8×8 output: ceil(8/2)=4 rows in, (4−1)·2+3−8 = 1 row of padding, at the bottom/right.
        op.Attr<ConvAttributes>().Should().Be(new ConvAttributes(3, 3, 2, 2, 1, 1, Padding2D.Same(0, 1, 0, 1), FusedActivation.None));
        op.Weights()!.Data.ToArray().Should().Equal(weights);
        op.Weights()!.IsConstant.Should().BeTrue();
        g.Macs(op).Should().Be(1L * 4 * 4 * 2 * 3 * 3 * 4);
        g.Description.Should().Be("hand-made");
    }

    [Fact]
    public void External_data_past_the_end_of_the_file_is_rejected()
    {
        var length = W.Build(TransposeConvModel(2, 0)).Length;
        var file = W.Build(TransposeConvModel((ulong)length + 1000, 288), trailer: new byte[288]);
        var e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(file));
        e.Field.Should().Be("Model.buffers[2].offset");
    }

    private static byte[] IfModel(int elseBranch) => W.Build(Model(
        [OpCode(S.BuiltinOperator.IF)],
        [
            Subgraph(new W.Tables(
                    Tensor([], S.TensorType.BOOL, 0, "cond", hasRank: true),
                    Tensor([], S.TensorType.FLOAT32, 0, "x"),
                    Tensor([1], S.TensorType.FLOAT32, 0, "y", hasRank: true)),
                [0, 1], [2],
                Op(0, [0, 1], [2], S.BuiltinOptions.IfOptions,
                    new W.Table((S.IfOptions.ThenSubgraphIndex, 1), (S.IfOptions.ElseSubgraphIndex, elseBranch)))),
            Subgraph(new W.Tables(), [], []),
            Subgraph(new W.Tables(), [], []),
        ],
        EmptyBuffer));

    [Fact]
    public void If_names_its_branch_subgraphs_and_rank_flags_tell_scalars_from_unranked()
    {
        using var g = TfliteImporter.Load(IfModel(2));
        g.Subgraphs.Should().HaveCount(3);
        var op = g.Main.Operators.Single();
        op.Kind.Should().Be(OpKind.If);
        op.Attr<ControlFlowAttributes>()!.BodySubgraphs.Should().Equal(1, 2);
        g.Main.Tensors[0].Shape.Should().Be(Shape.Scalar);
        g.Main.Tensors[1].Shape.IsUnknownRank.Should().BeTrue("has_rank is written by this file's writer and false here");
        g.Properties["file_identifier"].Should().Be("TFL3");
    }

    [Fact]
    public void A_branch_outside_the_model_is_rejected()
    {
        var e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(IfModel(5)));
        e.Field.Should().Be("Model.subgraphs[0].operators[0].builtin_options.else_subgraph_index");
        e.Message.Should().Contain("else_subgraph_index 5");
    }

    [Fact]
    public void Tables_shared_many_times_cannot_make_the_reader_work_without_bound()
    {
        // One tensor with a 100,000-dimension shape referenced 2,000 times: 200 M values from a 0.4 MB file.
        var big = Tensor(Enumerable.Repeat(1, 100_000).ToArray(), S.TensorType.INT8, 0, "shared");
        var file = W.Build(Model([OpCode(S.BuiltinOperator.ADD)],
            [Subgraph(new W.Tables(Enumerable.Repeat<W.Node>(big, 2000).ToArray()), [], [])], EmptyBuffer));

        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<ModelFormatException>(() => TfliteImporter.Load(file));
        sw.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1));
        e.Message.Should().Contain("more data than the file holds");
        e.Field.Should().StartWith("Model.subgraphs[0].tensors[");
    }
}
