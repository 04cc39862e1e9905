using FluentAssertions;
using NpuAdvisor.Formats.Tflite;
using NpuAdvisor.Model;
using Xunit;

namespace NpuAdvisor.Tests.TfliteWrite;

/// <summary>read → write → read through the real importer, for every shared TFLite model and for builder graphs.</summary>
public class TfliteRoundTripTests
{
    public static IEnumerable<object[]> Models => SharedModels.Paths("tflite");

    [Theory]
    [MemberData(nameof(Models))]
    public void Shared_model_survives_read_write_read(string path)
    {
        using var original = TfliteImporter.Load(SharedModels.PathOf(path));
        var sparse = original.Subgraphs.SelectMany(s => s.Tensors).FirstOrDefault(t => t.Sparsity is not null);
        if (sparse is not null)
        {
            // The IR keeps a sparse tensor's layout but not its index arrays, so writing it would corrupt it.
            var act = () => TfliteExporter.Write(original);
            act.Should().Throw<ModelFormatException>().Where(e => e.Field.EndsWith(".sparsity", StringComparison.Ordinal))
                .WithMessage($"*'{sparse.Name}'*");
            return;
        }

        var written = TfliteExporter.Write(original);
        using var reread = TfliteImporter.Load(written);
        GraphAssert.Same(reread, original);
        TfliteExporter.Write(reread).Should().Equal(written, "writing what was read back gives the same bytes");
    }

    [Fact]
    public void Every_shared_model_is_covered()
    {
        Models.Should().HaveCount(12);
    }

    [Fact]
    public void Builder_graph_with_every_written_option_survives_the_importer()
    {
        var b = new GraphBuilder(seed: 3);
        var x = b.Input("x", 1, 24, 24, 8);
        var c = b.Conv2D(x, 16, 3, 3, stride: 2, padding: PaddingKind.Valid, activation: FusedActivation.Relu, name: "conv", perChannel: true, dilation: 1, strideW: 1);
        var d = b.DepthwiseConv2D(c, 3, 3, activation: FusedActivation.Relu6, name: "dw", depthMultiplier: 2, perChannel: true);
        var t = b.TransposeConv(d, 8, 3, 2, PaddingKind.Valid, "up");
        var p = b.Pool(OpKind.AveragePool2D, t, 2, 2, PaddingKind.Same, "avg");
        var pad = b.Pad(p, 1, 0, 0, 1, "pad");
        var r = b.Resize(pad, 16, 16, ResizeMode.Bilinear, "resize");
        var halves = b.Split(r, 2, axis: 3, name: "split");
        var sum = b.Binary(OpKind.Add, halves[0], halves[1], "add", FusedActivation.Relu);
        var mul = b.Binary(OpKind.Mul, sum, halves[1], "mul");
        var sub = b.Binary(OpKind.Sub, mul, sum, "sub");
        var cat = b.Concat([sub, mul], axis: -1, name: "cat");
        var leaky = b.Unary(OpKind.LeakyRelu, cat, "leaky", new LeakyReluAttributes(0.125f));
        var s2d = b.Unary(OpKind.SpaceToDepth, leaky, "s2d", new BlockAttributes(2));
        s2d.Shape = new Shape(1, 8, 8, 64);
        var d2s = b.Unary(OpKind.DepthToSpace, s2d, "d2s", new BlockAttributes(2));
        d2s.Shape = new Shape(1, 16, 16, 16);
        var perm = b.Int32Constant("perm", 0, 2, 1, 3);
        var tr = b.Activation("transposed", 1, 16, 16, 16);
        b.Op(OpKind.Transpose, [d2s, perm], [tr], new TransposeAttributes([0, 2, 1, 3]));
        var sliced = b.Activation("sliced", 1, 8, 16, 16);
        b.Op(OpKind.StridedSlice, [tr, b.Int32Constant("begin", 0, 0, 0, 0), b.Int32Constant("end", 1, 8, 16, 16), b.Int32Constant("strides", 1, 1, 1, 1)],
            [sliced], new StridedSliceAttributes(1, 8, 0, 0, 0, [0, 0, 0, 0], [1, 8, 16, 16], [1, 1, 1, 1]));
        var flat = b.Reshape(sliced, [1, 8 * 16 * 16], "flat");
        var fc = b.FullyConnected(flat, 12, FusedActivation.Relu, "fc");
        var sq = b.Activation("squeezed", 12);
        b.Op(OpKind.Squeeze, [fc], [sq], new SqueezeAttributes([0]));
        var gathered = b.Activation("gathered", 3);
        b.Op(OpKind.Gather, [sq, b.Int32Constant("idx", 0, 5, 7)], [gathered], new AxisAttributes(0));
        var packed = b.Activation("packed", 2, 3);
        b.Op(OpKind.Pack, [gathered, gathered], [packed], new AxisAttributes(0, Count: 2));
        var red = b.Activation("max", 2);
        b.Op(OpKind.ReduceMax, [packed, b.Int32Constant("rax", 1)], [red], new ReduceAttributes([1], false));
        var soft = b.Unary(OpKind.Softmax, red, "soft", new SoftmaxAttributes(0.5f));
        b.Output(b.Custom("PostProcess", soft, [2], "post"));
        var g = b.Build();

        using var read = TfliteImporter.Load(TfliteExporter.Write(g));
        var ops = read.Main.Operators;
        ops.Select(o => o.Kind).Should().Equal(g.Main.Operators.Select(o => o.Kind));
        ops.Select(o => o.Name).Should().Equal(g.Main.Operators.Select(o => o.Name));
        for (var i = 0; i < ops.Count; i++)
        {
            var what = $"op {i} {ops[i].TypeName}";
            var expected = g.Main.Operators[i];
            var inputs = ops[i].Inputs.Select(t => t is null ? -1 : read.Main.Tensors.IndexOf(t)).ToArray();
            if (expected.Kind == OpKind.TransposeConv)
            {
                inputs.Take(3).Should().Equal(expected.Inputs.Select(t => t!.Index), what);
                read.Main.Tensors[inputs[3]].Name.Should().Be("up/output_shape");
            }
            else
            {
                inputs.Should().Equal(expected.Inputs.Select(t => t is null ? -1 : t.Index), what);
            }
            if (expected.Kind is OpKind.Pack)
                ops[i].Attributes.Should().BeEquivalentTo(expected.Attributes, o => o.RespectingRuntimeTypes(), what);
            else if (expected.Attributes is not null)
                ops[i].Attributes.Should().BeEquivalentTo(expected.Attributes, o => o.RespectingRuntimeTypes().WithStrictOrdering()
                    .Excluding(m => m.Name == "Groups" || m.Name == "Count"), what);
        }
        ops[^1].CustomCode.Should().Be("PostProcess");
        read.Main.Tensors.Take(g.Main.Tensors.Count).Select(t => t.Data.ToArray())
            .Should().BeEquivalentTo(g.Main.Tensors.Select(t => t.Data.ToArray()), o => o.WithStrictOrdering());
        read.Main.Tensors.Should().HaveCount(g.Main.Tensors.Count + 1, "only TRANSPOSE_CONV's output_shape is added");
    }
}
